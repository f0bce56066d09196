"""Bulk pages without MkDocs' per-page template work.

MkDocs renders one shell page per (depth, stylesheets) through the theme; every bulk page is
that shell with its own title, URL and body put in. Pages outside the nav at the same depth
differ from each other in nothing else, so the result is what MkDocs would have written.
"""
from __future__ import annotations

from markupsafe import escape

from ..site.pages import PageSpec, page_tags

SHELL_TITLE = "GKMLSHELLTITLE"
SHELL_CONTENT = "<!--GKMLSHELLCONTENT <h1> -->"  # "<h1" stops Material adding its own title
SHELL_HEAD = "<!--GKMLSHELLHEAD-->"  # the page's own <meta> tags (main.html prints page.meta.gkml_head)


def head_html(spec: PageSpec, platform: str) -> str:
    """The page's own <meta name=…> tags, escaped: what main.html puts in <head>."""
    return "".join(f'<meta name="{name}" content="{escape(value)}">' for name, value in page_tags(spec, platform))


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
            self.html[uri] = output
            return True
        return False

    def html_for(self, spec: PageSpec) -> str:
        return self.html[self.specs[shell_key(spec)].uri]

    def page(self, spec: PageSpec, body: str) -> str:
        shell = self.specs[shell_key(spec)]
        html = self.html[shell.uri]
        return (html.replace(shell.url, spec.url).replace(SHELL_TITLE, str(escape(spec.title)))
                .replace(SHELL_HEAD, head_html(spec, self.platform), 1).replace(SHELL_CONTENT, body))
