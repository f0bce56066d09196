"""Bulk pages without MkDocs' per-page template work.

MkDocs renders one shell page per (depth, stylesheets) through the theme; every bulk page is
that shell with its own title, URL, <meta> tags, unit link and body put in. Pages outside the nav
at the same depth differ from each other in nothing else.

Shells are lean (issue 18: a 100,000-item city must fit a free static host): main.html gives them
a short sidebar instead of the whole tree of units, and `squeeze` drops the theme's indentation,
the parts of Material's configuration its script never reads on such a page, and the script for
content tabs, which no bulk page has.
"""
from __future__ import annotations

import json
import re

from markupsafe import escape

from ..site.pages import PageSpec, page_tags

SHELL_TITLE = "GKMLSHELLTITLE"
SHELL_CONTENT = "<!--GKMLSHELLCONTENT <h1> -->"  # "<h1" stops Material adding its own title
SHELL_HEAD = "<!--GKMLSHELLHEAD-->"  # the page's own <meta> tags (main.html prints page.meta.gkml_head)
SHELL_UNIT = "<!--GKMLSHELLUNIT-->"  # the page's unit in the lean sidebar (main.html prints page.meta.gkml_lean)

# Runs of whitespace holding a line break, outside <pre>, <textarea> and <script>: one line break
# renders the same (HTML collapses whitespace) and is a third of the theme's output.
_KEEP = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S | re.I)
_BLANK = re.compile(r"\s*\n\s*")
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
# Material's inline script that opens the content tab (pymdownx.tabbed) named in the URL's #fragment.
# Bulk page bodies are gkml's fragments and item Markdown sanitised by nh3, which lets no <input>
# through: they hold no tabs.
_TABBED = re.compile(r"<script>[^<]*__tabbed_[^<]*</script>\n?")
# Material's placeholders left empty on a bulk page: the skip link (written only for a page with a
# table of contents), the announcement bar (none configured), and the dialog, which shows only
# "copied" after a copy button or search-result link was copied (`lean_config` keeps its string
# when the page can have one).
_EMPTY = re.compile(r'<div data-md-component="(?:skip|announce)">\s*</div>\n?')
_DIALOG = re.compile(r'<div class="md-dialog" data-md-component="dialog">\s*<div class="md-dialog__inner md-typeset"></div>\s*</div>\n?')
# MkDocs' and Material's names and versions, on every page: nothing for a reader, and a version
# number a security scan of a government website reports as disclosed (版本信息泄露).
_GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">\n?')


def without_generator(html: str) -> str:
    """A page MkDocs wrote (through the theme) without its generator tag."""
    return _GENERATOR.sub("", html, 1)


def squeeze(html: str) -> str:
    """`html` with every whitespace run that holds a line break cut to one line break, except
    inside <pre>, <textarea> and <script> (kept byte for byte), and Material's configuration
    (JSON) cut to what its script reads on this page (`lean_config`) and with its Chinese as
    characters instead of \\u escapes (three bytes a character instead of six); Material's script
    for content tabs and its empty placeholders dropped."""
    parts = _KEEP.split(html)
    # split() with two groups yields: text, whole kept element, its tag name, text, …
    html = "".join(_BLANK.sub("\n", part) if i % 3 == 0 else part if i % 3 == 1 else ""
                   for i, part in enumerate(parts))
    html = _EMPTY.sub("", _TABBED.sub("", html, 1))
    material_search = 'data-md-component="search"' in html
    m = _CONFIG.search(html)
    if m is None:
        return html
    config = lean_config(json.loads(m.group(1)), material_search)
    text = json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    html = html[:m.start(1)] + text + html[m.end(1):]
    return html if "clipboard.copied" in config["translations"] else _DIALOG.sub("", html, 1)


def lean_config(config: dict, material_search: bool = False) -> dict:
    """Material's page configuration with only what its script (bundle.*.js, Material 9) reads on
    the page: `base` and `features` always; `translations` as an object (its lookups index it),
    holding only the strings of components the page can have: the search box's with Material's
    search (the page has `data-md-component="search"`, as has its worker URL `search`), the
    copy buttons' with the content.code.copy feature (a `.copy` class cannot pass the body
    sanitiser) or search.share beside Material's search, the version selector's with a version;
    `annotate`, `tags` and `version` only when set (the script reads them through `&&` and `?.`)."""
    features = config.get("features") or []
    copying = "content.code.copy" in features or (material_search and "search.share" in features)
    wanted = (("search.", material_search), ("clipboard.", copying), ("select.", bool(config.get("version"))))
    prefixes = tuple(prefix for prefix, needed in wanted if needed)
    lean = {"base": config["base"], "features": features,
            "translations": {k: v for k, v in (config.get("translations") or {}).items()
                             if prefixes and k.startswith(prefixes)}}
    if material_search and "search" in config:
        lean["search"] = config["search"]
    lean.update({k: config[k] for k in ("annotate", "tags", "version") if config.get(k) is not None})
    return lean


def head_html(spec: PageSpec, platform: str) -> str:
    """The page's own <meta name=…> tags, escaped: what main.html puts in <head>."""
    return "".join(f'<meta name="{name}" content="{escape(value)}">' for name, value in page_tags(spec, platform))


def unit_html(spec: PageSpec) -> str:
    """The lean sidebar's entry for the page's own unit (none on pages of no unit), relative to the page."""
    unit = spec.context.get("unit")
    if unit is None:
        return ""
    href = "../" * spec.uri.count("/") + f"{unit.id}/index.html"
    return f'<li class="md-nav__item"><a href="{escape(href)}" class="md-nav__link">{escape(unit.name)}</a></li>'


def shell_key(spec: PageSpec) -> tuple[int, tuple[str, ...]]:
    return spec.uri.count("/"), tuple(spec.css)


def shell_spec(key: tuple[int, tuple[str, ...]]) -> PageSpec:
    depth, css = key
    name = "gkml-shell" + "".join(f"-{c.rsplit('/', 1)[-1].split('.')[0]}" for c in css)
    return PageSpec("/".join([name] * (depth + 1)) + ".md", SHELL_TITLE, "shell", css=css)


class Shells:
    def __init__(self, bulk: list[PageSpec], platform: str = ""):
        self.platform = platform
        self.specs = {key: shell_spec(key) for key in sorted({shell_key(p) for p in bulk})}
        self.by_uri = {s.uri: s for s in self.specs.values()}
        self.html: dict[str, str] = {}

    def capture(self, uri: str, output: str) -> bool:
        if uri in self.by_uri:
            self.html[uri] = squeeze(output)
            return True
        return False

    def html_for(self, spec: PageSpec) -> str:
        return self.html[self.specs[shell_key(spec)].uri]

    def page(self, spec: PageSpec, body: str) -> str:
        shell = self.specs[shell_key(spec)]
        html = self.html[shell.uri]
        return (html.replace(shell.url, spec.url).replace(SHELL_TITLE, str(escape(spec.title)))
                .replace(SHELL_HEAD, head_html(spec, self.platform), 1).replace(SHELL_UNIT, unit_html(spec), 1)
                .replace(SHELL_CONTENT, body))
