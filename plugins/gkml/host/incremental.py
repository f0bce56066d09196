"""Rebuild only what changed, for `gkml serve`: a fingerprint per bulk page, from the data
its template sees. A page is written again only when its fingerprint or its shell changed.

Fingerprints stand in for the objects in a page's context: an item by its file's stamp
(so any edit to it, or to an item it links to, shows) as it was when the item was read — not as
it is when the page is fingerprinted, which may be after an edit the build did not read (the
page would then pass for up to date and never be written again), a unit by its file's stamp, a column
by its code (the taxonomy file is in the build's salt, as are the templates). Objects this
module does not know change every build, so their pages are always rendered again.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ..catalogue.model import Column, Item, Unit
from ..catalogue.stamps import stamp as file_stamp


def stamp(path: Path | None) -> tuple:
    """A file's name and stamp, as a page's fingerprint holds it (no file: None)."""
    return (str(path), path and file_stamp(path))


def folder_stamp(folder: Path) -> tuple:
    return tuple(stamp(p) for p in sorted(folder.rglob("*")) if p.is_file()) if folder.is_dir() else ()


_SCALARS = (str, int, float, bool, type(None), dt.date)


class Fingerprints:
    """One per build. Every object a context holds is alive for the whole build, so a
    fingerprint is kept per object id: a unit's column tree, shown on several of its pages, or an
    item, shown in many lists, is walked (and its file stat'ed) once."""

    def __init__(self, salt: tuple, stamp_of=None):
        self.salt = salt
        self.stamp_of = stamp_of  # item -> its file's stamp when read (FileMemo.stamp_of); None: now
        self._known: dict[int, object] = {}

    def of(self, value):
        if isinstance(value, _SCALARS):
            return value
        key = self._known.get(id(value))
        if key is None:
            key = self._known[id(value)] = self._walk(value)
        return key

    def _walk(self, value):
        if isinstance(value, Item):
            if self.stamp_of is None:
                return ("item", value.index_no, stamp(value.path))
            read = self.stamp_of(value)
            return ("item", value.index_no, read) if read is not None else ("object", id(value))
        if isinstance(value, (list, tuple)):
            return tuple(self.of(v) for v in value)
        if isinstance(value, dict):
            return tuple((k, self.of(v)) for k, v in value.items())
        if isinstance(value, Unit):
            return ("unit", value.id, stamp(value.path))
        if isinstance(value, Column):
            return ("column", value.code)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return tuple(self.of(getattr(value, f.name)) for f in dataclasses.fields(value))
        return ("object", id(value))  # unknown: never equal across builds

    def page(self, spec, shell_html: str) -> int:
        return hash((self.salt, shell_html, spec.template, spec.title, self.of(spec.crumbs), self.of(spec.context)))


# url -> fingerprint of what was written there, per output folder, across rebuilds in one process
_WRITTEN: dict[str, dict[str, int]] = {}


def plan_writes(site_dir: Path, fingerprints: dict[str, int]) -> tuple[set[str], list[str]]:
    """(urls to write, stale urls to delete); everything on the first build into `site_dir`."""
    before = _WRITTEN.get(str(site_dir))
    _WRITTEN[str(site_dir)] = fingerprints
    if before is None:
        return set(fingerprints), []
    todo = {url for url, fp in fingerprints.items() if before.get(url) != fp or not (site_dir / url).exists()}
    return todo, [url for url in before if url not in fingerprints]
