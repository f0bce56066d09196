"""Text attachments that read right over HTTP without server settings.

A static host serves `.txt` as `text/plain` with no charset (python's http.server, many object
stores); browsers then guess the encoding and show UTF-8 Chinese as mojibake (GBK). A byte-order
mark is the one signal every browser honours ahead of the guess (WHATWG Encoding, "BOM sniff"),
and Excel needs it to open a UTF-8 `.csv`. So a UTF-8 text attachment without one is published
with it: the text is unchanged, only the mark is added; other files are copied as they are.
"""
from __future__ import annotations

import codecs
from pathlib import Path

MARKED_SUFFIXES = (".txt", ".csv")


def published_bytes(source: Path) -> bytes | None:
    """The bytes to publish for a text attachment that needs the mark, else None (copy as is)."""
    if source.suffix.lower() not in MARKED_SUFFIXES:
        return None
    data = source.read_bytes()
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None  # another encoding: `gkml check` names it; nothing to mark
    return codecs.BOM_UTF8 + data
