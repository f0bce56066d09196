"""Stage 5: render page bodies from the fragment templates (site-templates/gkml/, shipped as gkml/theme/gkml/).

Fragments are inserted by the plugin as the content of Material pages, so they carry no
<html> shell. Every link is relative to the page it is on, so the site works under any
sub-path and opened from disk.
"""
from __future__ import annotations

import contextlib
import html
import re
from pathlib import Path

import jinja2
import markupsafe
import nh3

from .cmark import Cmark
from .pages import PageSpec

_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"}
_ALLOWED_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "th": {"colspan", "rowspan", "scope", "align"},
                       "td": {"colspan", "rowspan", "align"}, "img": {"src", "alt", "title", "width", "height"},
                       "a": {"href", "title"}, "ol": {"start"}}


# GFM without "tagfilter": that would print <script> as visible text; nh3 removes it whole.
_EXTENSIONS = ["table", "strikethrough", "autolink"]


def relative(target: str, here: str) -> str:
    """URL of `target` (site-root relative) as seen from the page at `here`."""
    if target.startswith(("http://", "https://", "mailto:", "#")):
        return target
    path, _, anchor = target.partition("#")
    # Both are clean site-root paths, so this is posixpath.relpath without its costly abspath calls.
    src, dst = here.split("/")[:-1], (path or here).split("/")
    common = 0
    while common < len(src) and common < len(dst) - 1 and src[common] == dst[common]:
        common += 1
    rel = "/".join([".."] * (len(src) - common) + dst[common:])
    return rel + (f"#{anchor}" if anchor else "")


class Link:
    """`link(target)` in a template: the URL of a site-root path as seen from the page at `here`.
    Equal for pages in the same folder, which see every target with a path at the same URL (only
    `link("")`, the page itself, differs between them): see `Once`."""
    __slots__ = ("here", "folder")

    def __init__(self, here: str):
        self.here = here
        self.folder = here.rpartition("/")[0]

    def __call__(self, target: str) -> str:
        return relative(target, self.here)

    def __eq__(self, other) -> bool:
        return isinstance(other, Link) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


_BY_VALUE = frozenset({str, int, bool, type(None), Link})


class Once:
    """`once(macro, *args)` in a template: the macro's output for these arguments, made once while
    pages are written in bulk (`Renderer.remembering`) and then reused. An item's row is listed on
    some seven pages and a page's breadcrumb trail is that of every page of its column from the same
    folder (issue 18). Plain strings, numbers and links (by folder) count by value and type, other
    arguments (items, lists, Markup) by identity: the memo holds them, so no other object takes
    their id meanwhile, and nothing changes them while pages are written. Outside `remembering`
    (the preview's fast path) every call renders."""

    LIMIT = 200_000  # entries (a row is well under 1 KB); past this the memo starts afresh

    def __init__(self):
        self.memo: dict | None = None

    def __call__(self, macro, *args):
        if self.memo is None:
            return macro(*args)
        key = (macro._func.__code__, *((type(a), a) if type(a) in _BY_VALUE else id(a) for a in args))
        hit = self.memo.get(key)
        if hit is None:
            if len(self.memo) >= self.LIMIT:
                self.memo.clear()
            hit = self.memo[key] = (args, macro(*args))
        return hit[1]

    def rows(self, macro, items, link, *args) -> markupsafe.Markup:
        """A list's rows: `once(macro, item, link(item.url), *args)` for each item, joined (one call
        from the template for the whole list, not one per row)."""
        return markupsafe.Markup("".join([self(macro, item, link(item.url), *args) for item in items]))


class BodyRenderer:
    """Markdown (GitHub-flavoured: tables, strikethrough, autolinks) → HTML → sanitised HTML (no
    script, event handlers, javascript: links, iframes). cmark-gfm is C and about ten times
    faster than Python-Markdown on item bodies, which dominate a large build. Raw HTML is let
    through the parser so that editors' simple HTML tables survive, then sanitised by nh3."""

    def __init__(self):
        self.markdown = Cmark(_EXTENSIONS)

    def __call__(self, text: str) -> str:
        raw = self.markdown(text or "")
        return nh3.clean(raw, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                         url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")


_TAGS = re.compile(r"<[^>]+>")
_BARE_REGULATION = re.compile(r"(?<![《\w])条例(?=第)")


def body_text(markdown_text: str) -> str:
    """The visible text of an item body, exactly what its page shows (sanitised, tags removed):
    what search and snippets may use, so that nothing the page hides is indexed."""
    return html.unescape(_TAGS.sub(" ", BodyRenderer()(markdown_text)))


def filesize(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


_URL_UNSAFE = re.compile(r'[\x00-\x20%#?"<>\\^`{|}\x7f]')


def urlpath(path: str) -> str:
    """A file path as a URL path: characters that end or change a URL (# ? %, spaces, quotes …)
    percent-encoded, Chinese and other letters kept as they are (browsers send them UTF-8 encoded)."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), path)


class Renderer:
    """Page bodies from the fragment templates. Pickled as its template folders and globals, and
    rebuilt from them (a spawned worker gets a fresh Jinja environment and Markdown parser)."""

    def __init__(self, templates: Path | list[Path], extra_globals: dict | None = None):
        # An office's own fragments (first) override the ones gkml ships (last).
        self.templates = [Path(t) for t in (templates if isinstance(templates, list) else [templates])]
        self.extra_globals = dict(extra_globals or {})
        # auto_reload off: a build renders with the templates it started with (no stat of each
        # template on every page); the preview makes a new Renderer for each build.
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(t) for t in self.templates]), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                      auto_reload=False)
        self.env.filters["filesize"] = filesize
        self.env.filters["urlpath"] = urlpath
        self.env.filters["date"] = lambda d: d.isoformat() if d else ""
        # a bare 条例第N条 (taxonomy text) cited as 《条例》第N条, the way the pages cite it
        self.env.filters["cite"] = lambda s: _BARE_REGULATION.sub("《条例》", s or "")
        # 索引号 may break after its "/" on a narrow screen, and nowhere else
        # 索引号 on narrow screens: a line may break after the slash, never inside a part (2025-|00014)
        self.env.filters["slashbreak"] = lambda s: markupsafe.Markup("/<wbr>").join(
            markupsafe.Markup('<span class="gkml-nowrap">%s</span>') % part for part in str(s).split("/"))
        self.once = Once()
        self.env.globals["once"] = self.once
        self.env.globals.update(self.extra_globals)
        self.body = BodyRenderer()

    def add_globals(self, **values) -> None:
        self.extra_globals.update(values)
        self.env.globals.update(values)

    def __reduce__(self):
        return Renderer, (self.templates, self.extra_globals)

    @contextlib.contextmanager
    def remembering(self):
        """Pieces rendered by `once` are reused until the end of the block (see Once)."""
        self.once.memo = {}
        try:
            yield
        finally:
            self.once.memo = None

    def render(self, spec: PageSpec) -> str:
        template = self.env.get_template(spec.template)
        return template.render(page=spec, link=Link(spec.url), body=self.body, crumbs=spec.crumbs, **spec.context)
