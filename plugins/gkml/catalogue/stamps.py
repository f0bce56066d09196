"""When a file last changed, read cheaply from the file system: what every cache of per-file
work compares (the check cache across runs, the preview's file memo within one, the pages'
fingerprints between builds). Modification time and size, and the inode and change time too: a
file replaced by another of the same size within the clock's resolution (a `git checkout`) still
gets a different stamp."""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Iterable


def stamp(path: Path) -> tuple | None:
    """The file's stamp; None when it cannot be read (gone, or no access)."""
    try:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
    except OSError:
        return None


def stamps(paths: Iterable[Path]) -> list[tuple[Path, tuple | None]]:
    """Each file with its stamp: what a cache records beside a result (an item's attachments)."""
    return [(p, stamp(p)) for p in paths]


def unchanged(recorded: Iterable[tuple[Path, tuple | None]]) -> bool:
    """Whether every file recorded by `stamps` still has its stamp."""
    return all(stamp(p) == s for p, s in recorded)


def digest(path: Path) -> bytes | None:
    """The file's content in 16 bytes (BLAKE2b): what a cache compares when the stamp differs but
    the content may not (a fresh clone, a checkout, a reinstall); None when it is not a regular
    file (a FIFO would block the reader for ever) or cannot be read. Read in blocks: an attachment
    may be large."""
    try:  # opened without waiting (a FIFO's open blocks until a writer comes), then asked what it is
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    with open(fd, "rb") as f:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            summary = hashlib.blake2b(digest_size=16)
            while block := f.read(1 << 20):
                summary.update(block)
            return summary.digest()
        except OSError:
            return None
