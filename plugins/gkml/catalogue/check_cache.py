"""What `gkml check` remembers between runs: for each item file, the Item it gave, whether the
gates stopped it, and its diagnostics — reused while the file and its attachments are unchanged.

A pre-commit hook runs `gkml check` on every commit; on a city's 100,000 items reading and gating
every file again takes minutes of CPU, while a commit changes a handful. The rules that look across
files (identifiers, columns, links, 年报 inputs) still run on the whole catalogue every time.

Safety, in this order:
- The cache lives in the user's own cache folder, never in the repository: it is a pickle, and a
  pickle must not be read from a place others can write to (a shared repository is such a place).
- Everything a file's result depends on besides the file is in one key: gkml's version and the
  content of its checking code, and the bytes of every settings file (site.yml with its 负面清单,
  the taxonomy, units, holidays). Any change there discards the whole cache.
- The date checked on matters to a file only through its dates ("not in the future"): an entry
  records the latest date its rules compared, and serves any day on or after it; a file that had
  a future date serves only the day it was checked.
- A file is reused when its stamp (modification time, size, inode, change time) and its
  attachments' stamps are the ones recorded, or, when a stamp differs, when the content is the one
  recorded (a digest): a fresh clone, as in CI with the cache folder kept between runs, gives every
  file a new stamp and the same content. A file changed within the clock's granularity of the
  moment the cache was written would keep its stamp, so such files are never recorded (as git
  treats "racily clean" entries).
- An unreadable, foreign or damaged cache file is ignored, and failing to write one is silent:
  the cache can make a check faster, never different.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path

from .. import __version__
from .stamps import digest, stamp

FORMAT = 3  # an entry: (stamp, digest, ((attachment, stamp, digest), ...), latest date, day, pickled result)
RACY_SECONDS = 2.0  # files modified this close to the cache's writing are not recorded
DISABLE_VARIABLE = "GKML_CACHE"  # "0": no cache
DIR_VARIABLE = "GKML_CACHE_DIR"


def cache_file(root: Path) -> Path | None:
    """The cache of the catalogue at `root` in the user's cache folder, or None when disabled."""
    if os.environ.get(DISABLE_VARIABLE, "").strip() == "0":
        return None
    base = os.environ.get(DIR_VARIABLE)
    if not base:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        else:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    name = hashlib.sha256(str(root.absolute()).encode("utf-8")).hexdigest()[:20]
    return Path(base) / "gkml" / f"check-{name}.bin"


def context_key(settings: list[Path]) -> str:
    """Everything per-file results depend on besides the files and the day: code and settings (by
    content, not stamp: a reinstall of the same gkml in CI keeps the cache)."""
    key = hashlib.sha256(f"{FORMAT}|{__version__}".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        key.update(f"{path.relative_to(package)}|".encode() + (digest(path) or b"\0missing"))
    for path in sorted(settings):
        key.update(str(path).encode("utf-8") + b"\0" + (digest(path) or b"\0missing"))
    return key.hexdigest()


class CheckCache:
    def __init__(self, file: Path, key: str, today):
        self.file, self.key, self.today = file, key, today
        self.old = self._load()
        self.new: dict[str, tuple] = {}
        self.reused = 0  # entries of `new` taken from `old`; the others were put
        self.restamped = 0  # of those, files with new stamps and the recorded content

    def _load(self) -> dict[str, tuple]:
        try:
            data = pickle.loads(zlib.decompress(self.file.read_bytes()))
            if isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == self.key:
                return data["files"]
        except Exception:  # damaged, foreign or unreadable: start afresh
            pass
        return {}

    def get(self, path: Path):
        """(item or None, diagnostics) recorded for this unchanged file, or None."""
        entry = self.old.get(str(path))
        if entry is None:
            return None
        latest, day = entry[3], entry[4]
        if day != self.today and (latest > day or latest > self.today):  # a date in the future on one of the days
            return None
        here, sources = stamp(path), entry[2]
        now = [stamp(source) for source, _, _ in sources]
        if here != entry[0] or any(n != s for n, (_, s, _) in zip(now, sources)):
            # New stamps: the same content is still the same file (a fresh clone, a checkout)
            if digest(path) != entry[1] or any(digest(source) != d for source, _, d in sources):
                return None
            entry = (here, entry[1], tuple((source, n, d) for n, (source, _, d) in zip(now, sources)), *entry[3:])
            self.restamped += 1
        try:
            item, diagnostics = pickle.loads(entry[5])
        except Exception:
            return None
        if item is not None:
            item.path = path
        self.new[str(path)] = entry
        self.reused += 1
        return item, diagnostics

    def put(self, path: Path, item, diagnostics: list, files: tuple, latest) -> None:
        """Record what the file gave; `files`: its stamp and digest and its attachments' (source,
        stamp, digest), as the reader took them (validate._read_part); `latest`: the latest date
        its rules compared with the day (Report.latest)."""
        # Without its text: the gates have read it, and the rules `gkml check` runs across files
        # never do (an item is mostly its text: this keeps the cache a fifth of the catalogue).
        # Without its path either: it is the key, and rebuilding a Path is most of unpickling.
        self.new[str(path)] = (*files, latest, self.today,
                               pickle.dumps((item and replace(item, body="", path=None), diagnostics),
                                            protocol=pickle.HIGHEST_PROTOCOL))

    def save(self) -> None:
        """Write the cache if it changed (files added, changed or removed). Atomic; never fails."""
        if self.reused == len(self.new) == len(self.old) and not self.restamped:  # as it was
            return
        horizon = (time.time() - RACY_SECONDS) * 1e9
        files = {path: entry for path, entry in self.new.items()
                 if entry[0] is not None and entry[0][0] < horizon
                 and all(s is not None and s[0] < horizon for _, s, _ in entry[2])}
        data = zlib.compress(pickle.dumps({"format": FORMAT, "key": self.key, "files": files},
                                          protocol=pickle.HIGHEST_PROTOCOL), 1)
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
            scratch.write_bytes(data)
            os.replace(scratch, self.file)
        except OSError:
            pass
