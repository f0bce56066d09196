"""The last line of defence: every byte the build wrote, scanned before the staged site is swapped in.

The gates (catalogue/gates.py) stop what the catalogue says; this scan reads what was actually
written — pages, search shards, feeds, exports, the service worker, the text of attachments — for
checksum-valid 身份证号, mobile numbers, Luhn-valid bank cards and 负面清单 words, read the way a
reader sees them. A template, a setting in mkdocs.yml, a rendering path nobody thought of: any hit
fails the build, so the old site stays. Numbers an item publishes under a reviewed 个人信息豁免
are allowed. Files copied unchanged from the theme (Material's scripts and styles) are not the
catalogue's and are skipped.
"""
from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..catalogue.attachment_text import SUPPORTED, UnreadableAttachment, extract
from ..catalogue.gates import item_texts
from ..catalogue.model import Catalogue
from ..catalogue.privacy import INLINE_TAGS, as_read, fold, negative_hits, scan, scan_as_read
from ..workers import run_tasks, slices, workers_for

TEXT_SUFFIXES = (".html", ".htm", ".xml", ".json", ".csv", ".js", ".txt", ".webmanifest", ".md", ".svg", ".css")
MAX_GZIP = 256 * 1024 * 1024  # a .gz the build wrote (the sitemap) is read up to this size
SHOWN = 20


@dataclass(frozen=True)
class Leak:
    file: str  # path in the site, POSIX
    kind: str  # 身份证号 | 手机号码 | 银行卡号 | 负面清单
    shown: str  # the number masked, or the pattern and the words it matched
    key: str  # digits or matched words: what finds the source
    source: str = ""  # the catalogue file it came from, when known

    def message(self) -> str:
        source = f"（来源：{self.source}）" if self.source else "（不在目录的条目中：请查 mkdocs.yml、模板和手册页面）"
        what = f"命中负面清单{self.shown}" if self.kind == "负面清单" else f"含有{self.kind}「{self.shown}」"
        return f"输出文件 {self.file} {what}{source}"


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text).upper()


_TOKEN_CHAR = re.compile(r"[A-Za-z0-9_+/=-]")


def _encoded(text: str, start: int) -> bool:
    """Whether the number at `start` is a piece of a long run of letters and digits (a hash, base64,
    an encoded posting list): machine data no one reads as a number. Text typed by editors never
    gets here unread: the gates, which make no such exception, have read it."""
    left = start
    while left > 0 and _TOKEN_CHAR.match(text, left - 1):
        left -= 1
    right = start
    while right < len(text) and _TOKEN_CHAR.match(text, right):
        right += 1
    run = text[left:right]
    return len(run) >= 32 and any(c.isalpha() for c in run)


def findings(text: str, negative: list[re.Pattern], allowed: frozenset[str],
             markup: bool = True) -> list[tuple[str, str, str]]:
    """(kind, shown, key) of every personal number not allowed, and every negative-list match, in `text`,
    as written and as read; `markup=False` for text where markup cannot join anything (see Shells)."""
    out = []
    read = as_read(text) if markup else fold(text)
    seen = set()
    for source in (text, read) if read != text else (text,):
        for f in scan(source):
            if f.digits not in allowed and f.digits not in seen and not _encoded(source, f.start):
                seen.add(f.digits)
                out.append((f.kind, f.masked, f.digits))
    for pattern, m in negative_hits(negative, text, read):
        out.append(("负面清单", f"「{pattern.pattern}」：「{m.group(0)}」", m.group(0)))
    return out


_POSTINGS = re.compile(r'^gkmlSearchLoad\("(s|b|facets)",\d+,"[^"]*",(.*)\);\s*$', re.S)


def search_shard_text(text: str) -> str:
    """A search shard's words without its posting lists: s/ maps each word to an encoded list of
    document numbers (runs of digits and letters that are no one's phone number); b/ holds one
    such list; facets.js maps each facet to an encoded bitset (its labels are in meta.js). The
    words and names are what a reader's browser shows."""
    m = _POSTINGS.match(text)
    if m is None:
        return text
    if m[1] == "b":
        return ""
    return "\n".join(json.loads(m[2]))


def file_texts(path: Path, source: Path | None, rel: str = ""):
    """The texts of one output file: decoded text, a gzip's content, or an attachment's text
    (read from the catalogue file it was copied from, which the gates have read already)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = path.read_bytes().decode("utf-8", errors="replace")
        yield search_shard_text(text) if rel.startswith("search/") else text
    elif suffix == ".gz":
        with gzip.open(path) as gz:
            yield gz.read(MAX_GZIP).decode("utf-8", errors="replace")
    elif suffix in SUPPORTED:
        if source is not None and _same_bytes(path, source):
            return  # a copy of an attachment the gates read whole with the same reader
        try:
            for chunk in extract(path):
                yield chunk.text
        except UnreadableAttachment:
            return  # the gates blocked it or `gkml audit` lists it


_NAV_EDGE = re.compile(r"(<nav\b|</nav>)")


def nav_pieces(html: str) -> list[str]:
    """`html` cut before each <nav and after each </nav> (a literal search: fast on long pages)."""
    pieces, current = [], []
    for token in _NAV_EDGE.split(html):
        if token.startswith("<nav"):
            pieces.append("".join(current))
            current = [token]
        elif token == "</nav>":
            current.append(token)
            pieces.append("".join(current))
            current = []
        else:
            current.append(token)
    pieces.append("".join(current))
    return [p for p in pieces if p]


# Where markup can make a reader see what the bytes do not say: inline markup, an entity or a
# Markdown mark right between two digits or ideographs, an entity that encodes a digit, an
# invisible character anywhere.
_JOINER = re.compile(r"[0-9\u4e00-\u9fff](?:</?(?:%s)(?:[\s/][^<>]*)?>|<!--.*?-->|&#?\w+;|[*_~\\])+"
                     r"[0-9\u4e00-\u9fff]|&#(?:0*(?:4[89]|5[0-7])|[xX]0*3[0-9]);|[\u00ad\u200b-\u200f\u2060\ufeff]"
                     % INLINE_TAGS, re.I | re.S)
# The same test, written so that the engine skips ahead to the next "<", "&", mark or invisible
# character (each branch starts with one) and looks back one character from there, instead of trying
# every digit and ideograph of the page: a third faster on item pages, which hold no such join.
# _JOINS.search(text) finds a match exactly when _JOINER.search(text) does (tests/test_leak_scan_joins.py).
_CJK_DIGIT = r"[0-9\u4e00-\u9fff]"
_MARK = r"(?:</?(?:%s)(?:[\s/][^<>]*)?>|<!--.*?-->|&#?\w+;|[*_~\\])" % INLINE_TAGS
_JOINS = re.compile(rf"<(?<={_CJK_DIGIT}<)(?:/?(?:{INLINE_TAGS})(?:[\s/][^<>]*)?>|!--.*?-->){_MARK}*{_CJK_DIGIT}"
                    rf"|&(?:(?<={_CJK_DIGIT}&)#?\w+;{_MARK}*{_CJK_DIGIT}|#(?:0*(?:4[89]|5[0-7])|[xX]0*3[0-9]);)"
                    rf"|[*_~\\](?<={_CJK_DIGIT}.){_MARK}*{_CJK_DIGIT}"
                    r"|[\u00ad\u200b-\u200f\u2060\ufeff]", re.I | re.S)


class Shells:
    """Every page repeats the theme's header, navigation and footer around its <article>. The
    navigation (most of those bytes) comes in a few variants, one per section and folder depth:
    each is scanned once per process; everything else of every page always. Pieces are cut at
    tags, so nothing a reader sees joined is cut apart.

    Only rendered Markdown can put markup between the digits of a number (an item's body, the
    manual, an office's own pages): what the templates write is escaped, so `&#49;` or `<span>`
    in a title shows as those characters. So an article where markup could join what a reader
    sees (_JOINER) is read as a reader reads it; everything else as written, its character forms
    folded (full-width digits survive escaping). The gates read every source as read already."""

    LIMIT = 20_000
    SMALL = 100  # pieces this short are scanned every time (cheaper than remembering them)

    def __init__(self):
        self.seen: set[str] = set()

    def parts(self, html: str) -> list[tuple[str, bool]]:
        """(piece, whether markup in it can join text) of a page, leaving out pieces seen before."""
        start, end = html.find("<article"), html.rfind("</article>")
        if start < 0 or end < start:
            return [(html, True)]
        article = html[start:end]
        out = [(article, bool(_JOINS.search(article)))]
        for piece in nav_pieces(html[:start]) + nav_pieces(html[end:]):
            if len(piece) <= self.SMALL:
                out.append((piece, False))
            elif piece not in self.seen:
                if len(self.seen) > self.LIMIT:
                    self.seen.clear()
                self.seen.add(piece)
                out.append((piece, False))
        return out


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _theme_copy(rel: str, path: Path, theme_dirs: list[Path]) -> bool:
    return any(_same_bytes(path, folder / rel) for folder in theme_dirs)


def allowed_numbers(cat: Catalogue) -> frozenset[str]:
    """Numbers published on purpose: those of public items with a reviewed 个人信息豁免 (for numbers
    the gates read in their context, see _outside_context)."""
    allowed = set()
    for item in cat.public_items:
        if not item.exemption:
            continue
        for _, _, text, _ in item_texts(item):
            allowed.update(f.digits for f in scan_as_read(text))
        for att in item.attachments:
            try:
                allowed.update(f.digits for c in extract(att.source, att.suffix) for f in scan_as_read(c.text))
            except UnreadableAttachment:
                pass
    return frozenset(allowed)


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    """What changes when a file is written again: another file, size or time of change."""
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class PageScan:
    """The scan of pages while they are written (site_build.write_pages), on the text written, in
    the process that writes them: the same reading `scan_site` gives a page it reads back (the same
    pieces, the theme's navigation once per variant and process), without reading 100,000 pages
    back in a phase of its own. Each page is remembered with its file's identity once written; a
    file changed after that (another writer, the same name) is read again by `scan_site`."""

    def __init__(self, negative: list[re.Pattern], allowed: frozenset[str]):
        self.negative, self.allowed = negative, allowed
        self.shells = Shells()
        self.leaks: list[Leak] = []
        self.done: dict[str, tuple] = {}  # site path -> file identity when scanned

    def page(self, rel: str, html: str, written: os.stat_result) -> None:
        self.leaks += _leaks(rel, self.shells.parts(html), self.negative, self.allowed)
        self.done[rel] = _identity(written)

    def result(self) -> tuple[list[Leak], dict[str, tuple]]:
        return self.leaks, self.done


def scan_site(site: Path, cat: Catalogue, attachments: dict[str, Path], theme_dirs: list[Path],
              workers: int | None = None, scanned: list[tuple[list[Leak], dict[str, tuple]]] = (),
              allowed: frozenset[str] | None = None) -> list[Leak]:
    """Every leak in the built site at `site`; `attachments` maps a site path to the catalogue file
    copied there. `scanned`: what PageScans found in pages as they were written, with the pages
    they read; those pages are not read again unless their file changed since. `allowed`: the
    `allowed_numbers` of `cat`, when known. Runs on every core for a large site."""
    negative = cat.site.negative_patterns
    allowed = allowed_numbers(cat) if allowed is None else allowed
    done = {rel: identity for _, part in scanned for rel, identity in part.items()}
    files = [site / rel for rel in _files_to_scan(site, done)]
    workers = workers_for(len(files), workers)
    # module-level function, picklable arguments: spawned workers (Windows) receive the task pickled
    tasks = [partial(_scan_files, site, files[part.start:part.stop], attachments, theme_dirs, negative, allowed)
             for part in slices(len(files), workers)]
    leaks = [leak for part in run_tasks(tasks) for leak in part]
    if scanned:  # in the order of a scan of every file: by path, then as found in the file
        leaks = sorted(leaks + [leak for found, _ in scanned for leak in found], key=lambda leak: site / leak.file)
    return _with_sources(_outside_context(leaks, cat), cat)


def _files_to_scan(site: Path, done: dict[str, tuple]) -> list[str]:
    """The site path of every file under `site` (as `site.rglob("*")` and `is_file()` find them: no
    descent into linked folders, linked files followed), in the order of their paths, but those in
    `done` whose file has not changed since. One directory listing a folder, no stat a file unless
    it is in `done`: a large site has a hundred thousand files."""
    out: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except PermissionError:
            return
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, rel + "/")
            elif entry.is_file():
                identity = done.get(rel)
                if identity is None or identity != _identity(entry.stat()):
                    out.append(rel)

    walk(str(site), "")
    return sorted(out, key=lambda rel: rel.split("/"))


def _scan_files(site: Path, files: list[Path], attachments: dict[str, Path], theme_dirs: list[Path],
                negative: list[re.Pattern], allowed: frozenset[str]) -> list[Leak]:
    leaks = []
    shells = Shells()
    for path in files:
        rel = path.relative_to(site).as_posix()
        if rel.startswith("assets/") and _theme_copy(rel, path, theme_dirs):
            continue
        for text in file_texts(path, attachments.get(rel), rel):
            pieces = shells.parts(text) if rel.endswith(".html") else [(text, not rel.startswith("search/"))]
            leaks += _leaks(rel, pieces, negative, allowed)
    return leaks


def _leaks(rel: str, pieces: list[tuple[str, bool]], negative: list[re.Pattern], allowed: frozenset[str]) -> list[Leak]:
    """The leaks in the (piece, markup can join) pieces of the file at site path `rel`: one reading
    for a page scanned as written (PageScan) and for a file read back (_scan_files)."""
    return [Leak(rel, kind, shown, key) for piece, markup in pieces
            for kind, shown, key in findings(piece, negative, allowed, markup)]


_DIGIT_RUN = re.compile(r"\d{11,19}", re.A)


def _outside_context(leaks: list[Leak], cat: Catalogue) -> list[Leak]:
    """A search shard lists words without the text around them: 「选字第350128201800005-3501282017000011号」
    gives the word 3501282017000011, which alone passes for a bank card. A number that stands in a
    published text the gates have read, and that the gates' reading of that text does not take for
    personal data (it is part of something longer), is such a fragment. One found nowhere in the
    catalogue, or one the gates flag in its context, is still a leak; pages keep their context."""
    suspects = {leak.key for leak in leaks if leak.file.startswith("search/") and leak.kind != "负面清单"}
    if not suspects:
        return leaks
    held, flagged = set(), set()
    for item in cat.public_items:  # one pass, however many suspects
        for _, _, text, _ in item_texts(item):
            found = {m for m in _DIGIT_RUN.findall(fold(text)) if m in suspects}
            if found:
                held |= found
                flagged |= found & {f.digits for f in scan_as_read(text)}
    fragments = held - flagged
    return [leak for leak in leaks if not (leak.file.startswith("search/") and leak.key in fragments)]


def _with_sources(leaks: list[Leak], cat: Catalogue) -> list[Leak]:
    """Each leak with the catalogue file it came from: the item whose page or attachment it is in,
    else an item, unit or setting whose text holds it."""
    if not leaks:
        return leaks
    by_page = {item.url[:-5]: item for item in cat.items}
    out = []
    for leak in leaks:
        parts = leak.file.removesuffix(".html").split("/")
        # an item's page item/<prefix>/<period-serial>.html, its attachments item/<prefix>/<period-serial>/…
        item = next((by_page[key] for n in range(len(parts), 1, -1) if (key := "/".join(parts[:n])) in by_page), None)
        source = item.rel if item is not None else _search(cat, leak)
        out.append(Leak(leak.file, leak.kind, leak.shown, leak.key, source or ""))
    return out


def _search(cat: Catalogue, leak: Leak) -> str | None:
    def holds(text: str) -> bool:
        read = as_read(text)
        return leak.key in (read if leak.kind == "负面清单" else _digits(read)) or leak.key in text

    for item in cat.items:
        if any(holds(text) for _, _, text, _ in item_texts(item)):
            return item.rel
    for unit in cat.units.values():
        if any(holds(text) for text in (unit.name, unit.intro, *unit.guide.values(), *unit.not_applicable.values())):
            return f"units/{unit.id}.yml"
    site = cat.site
    if any(holds(text) for text in (site.name, site.platform, site.region, *site.website.values())):
        return "site.yml"
    return None


def report(leaks: list[Leak]) -> str:
    lines = [leak.message() for leak in leaks[:SHOWN]]
    if len(leaks) > SHOWN:
        lines.append(f"另有 {len(leaks) - SHOWN} 处未逐一列出")
    return "\n".join(lines)
