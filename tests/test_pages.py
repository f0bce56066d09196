"""Page plan pieces that need no build."""
from gkml.site.pages import Listing


def test_pagination_window_is_bounded_and_marks_gaps():
    urls = [f"p{n}" for n in range(1, 626)]
    listing = Listing([], 300, 625, 12_500, urls)
    assert listing.window() == [(1, "p1"), (297, None), (298, "p298"), (299, "p299"), (300, "p300"),
                                (301, "p301"), (302, "p302"), (624, None), (625, "p625")]
    assert Listing([], 1, 3, 50, urls[:3]).window() == [(1, "p1"), (2, "p2"), (3, "p3")]
