"""Page plan pieces that need no build."""
from gkml.site.pages import Listing


def test_pagination_window_is_bounded_and_marks_gaps():
    urls = [f"p{n}" for n in range(1, 626)]
    listing = Listing([], 300, 625, 12_500, urls)
    assert listing.window() == [(1, "p1"), (297, None), (298, "p298"), (299, "p299"), (300, "p300"),
                                (301, "p301"), (302, "p302"), (624, None), (625, "p625")]
    assert Listing([], 1, 3, 50, urls[:3]).window() == [(1, "p1"), (2, "p2"), (3, "p3")]


def test_cross_indexes_page_by_their_own_size_and_keep_the_first_url():
    """The topic, genre, year and publisher lists and the columns with subcolumns page by
    index_page_size (issue 18: fewer files), the leaf columns by page_size; each list stays
    complete, its first page at base/index."""
    from pathlib import Path

    from gkml.catalogue.validate import load_catalogue
    from gkml.site.pages import SitePlan

    cat, report = load_catalogue(Path(__file__).resolve().parent.parent / "catalogue")
    assert cat is not None and not report.errors
    plan = SitePlan(cat, page_size=2, index_page_size=3)
    listings = {p.uri: p.context["listing"] for p in plan.pages if "listing" in p.context}
    years = {}
    for item in cat.public_items:
        years.setdefault(str(item.year), []).append(item)
    year, items = max(years.items(), key=lambda kv: len(kv[1]))
    assert len(items) > 3
    pages = [listings[f"years/{year}/index.md"]] + [listings[f"years/{year}/page-{n}.md"]
                                                     for n in range(2, -(-len(items) // 3) + 1)]
    assert [len(p.items) for p in pages[:-1]] == [3] * (len(pages) - 1)
    assert [i for p in pages for i in p.items] == items and pages[0].total == len(items)
    columns = [p.context for p in plan.pages if p.template == "column.html" and p.context["listing"].items]
    assert {len(c["listing"].items) for c in columns if c["column"].is_leaf} == {1, 2}
    assert max(len(c["listing"].items) for c in columns if not c["column"].is_leaf) == 3
