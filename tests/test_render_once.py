"""Pieces shared by many pages (list rows, breadcrumb trails) are rendered once while pages are
written in bulk (render.py Once), and the page is the same as rendered without it."""
from __future__ import annotations

from markupsafe import Markup

from gkml.site.render import Link, Once


class Item(list):
    def __init__(self, url):
        super().__init__([url])
        self.url = url


class Counting:
    """A stand-in for a Jinja macro: counts its calls, returns its arguments."""

    def __init__(self):
        self.calls = 0
        self._func = self.__call__

    def __call__(self, *args):
        self.calls += 1
        return Markup(repr(args))


def test_links_from_one_folder_are_one_link():
    assert Link("a/b/1.html") == Link("a/b/2.html") and hash(Link("a/b/1.html")) == hash(Link("a/b/2.html"))
    assert Link("a/b/1.html") != Link("a/c/1.html")
    assert Link("a/b/1.html")("item/x.html") == Link("a/b/2.html")("item/x.html") == "../../item/x.html"


def test_once_renders_each_piece_once_only_while_remembering():
    once, macro = Once(), Counting()
    item, other = Item("x.html"), Item("x.html")  # equal, not the same: count by identity
    once(macro, item, "href")
    assert macro.calls == 1  # not remembering: every call renders
    once.memo = {}
    first = once(macro, item, "href", True)
    assert once(macro, item, "href", True) == first and macro.calls == 2
    once(macro, other, "href", True)
    once(macro, item, "other", True)
    once(macro, item, Markup("href"), True)  # Markup is not the same argument as the plain string
    once(macro, item, "href", 1)  # nor 1 the same as True
    assert macro.calls == 6
    rows = once.rows(macro, [item, item], Link("a/b/1.html"), True)
    assert macro.calls == 7 and rows == 2 * once(macro, item, "../../x.html", True)
