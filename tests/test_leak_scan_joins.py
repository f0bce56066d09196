"""The final scan's fast test for markup that joins what a reader sees (leak_scan._JOINS) answers
exactly as the plain one (_JOINER) does, on every string built from the pieces that matter."""
from __future__ import annotations

import random

from gkml.site.leak_scan import _JOINER, _JOINS

PIECES = ["1", "9", "一", "字", "a", "Z", " ", "\n", "<", ">", "/", "&", "#", ";", "*", "_", "~", "\\", "-", "!",
          "<b>", "</B>", "<span class=x>", "<a href='1'>", "</a>", "<td>", "</td>", "<!--", "-->", "<!-- x -->",
          "&amp;", "&#49;", "&#x31;", "&#X030;", "&#0048;", "&nbsp;", "\u200b", "\u00ad", "\ufeff", "<em/>", "<br>",
          "<abbr>", "<i\n>", "<s", "x", "é", "１"]


def test_the_fast_joiner_test_finds_a_join_exactly_when_the_plain_one_does():
    rng = random.Random(18)
    for _ in range(50_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        assert bool(_JOINS.search(text)) == bool(_JOINER.search(text)), text


def test_joins_of_each_kind():
    for text in ("电话 138<em></em>12345678", "一<!-- -->二", "1&amp;2", "3*4", "内部<b>资料", "&#49;", "a\u200bb",
                 "息<small class=\"gkml-unitname\">示"):
        assert _JOINS.search(text) and _JOINER.search(text), text
    for text in ("<td>2025</td>", '<a href="x">示例</a> 2025', "a<b>c", "1 <b>2", "第<p>二"):
        assert not _JOINS.search(text) and not _JOINER.search(text), text
