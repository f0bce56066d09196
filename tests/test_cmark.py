"""cmark.py: the same HTML as cmarkgfm's own high-level call, without its memory leak."""
from __future__ import annotations

from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from gkml.site.cmark import Cmark

EXTENSIONS = ["table", "strikethrough", "autolink"]
CATALOGUE = Path(__file__).resolve().parent.parent / "catalogue" / "items"
SAMPLES = ["", "| 项目 | 金额 |\n|---|---:|\n| 合计 | ~~1~~ 2 |\n", "见 www.example.gov.cn 。", "<script>x</script>\n\n**粗体**",
           "1. 一\n2. 二\n\n> 引文\n\n```\ncode\n```\n"]


def _resident_mib() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 >> 20


@pytest.mark.parametrize("text", SAMPLES + [p.read_text(encoding="utf-8") for p in sorted(CATALOGUE.rglob("*.md"))[:40]])
def test_same_html_as_cmarkgfm(text):
    expected = cmarkgfm.markdown_to_html_with_extensions(text, options=Options.CMARK_OPT_UNSAFE, extensions=EXTENSIONS)
    assert Cmark(EXTENSIONS)(text) == expected


def test_memory_is_given_back():
    render = Cmark(EXTENSIONS)
    body = "\n\n".join(SAMPLES) * 20  # ~4 KB: cmarkgfm's own call keeps ~25 KB of such a body
    for _ in range(500):
        render(body)
    before = _resident_mib()
    for _ in range(5000):
        render(body)
    assert _resident_mib() - before < 20  # the leaking call grows by > 100 MiB here


def test_unknown_extension_is_refused():
    with pytest.raises(ValueError):
        Cmark(["no-such-extension"])
