"""Stage 4: plan every page of the site from the model — pure Python, no MkDocs.

Each PageSpec names its source URI (MkDocs renders `x.md` to `x.html`), its title, the
fragment template that renders its body and that template's context. Item pages are never
in the navigation: the nav holds sections only.
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field

from ..catalogue.history import revisions
from ..catalogue.model import Catalogue, Column, Item, Unit
from ..catalogue.vocab import GENRES, TOPICS, UNIT_KINDS

PLATFORM_ENTRIES = (  # the four standard entries of every platform, plus 依申请公开
    ("zhinan", "政府信息公开指南"),
    ("zhidu", "政府信息公开制度"),
    ("fdzdgknr", "法定主动公开内容"),
    ("nianbao", "政府信息公开年报"),
    ("yishenqing", "依申请公开"),
)


@dataclass
class PageSpec:
    uri: str  # source URI, e.g. "qczj/bmyjs/index.md"
    title: str
    template: str
    context: dict = field(default_factory=dict)
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (title, url) from the home page down
    in_nav: bool = False
    css: tuple[str, ...] = ()  # extra stylesheets, site-root relative

    @property
    def url(self) -> str:
        return self.uri[:-3] + ".html"

    @property
    def bulk(self) -> bool:
        """Pages outside the nav below the top folder (items, listings, unit subpages) share one
        Material shell per depth, rendered once; see shell.py."""
        return not self.in_nav and "/" in self.uri


def html(uri: str) -> str:
    return uri[:-3] + ".html"


@dataclass
class Listing:
    """One page of a paginated list, with stable page URLs: base/index, base/page-2, …"""

    items: list[Item]
    number: int
    total_pages: int
    total: int
    urls: list[str]

    def window(self, around: int = 2) -> list[tuple[int, str | None]]:
        """Page links to show: the first, the last and those within `around` of this one, with
        (n, None) standing for a gap. Bounded, however many pages the listing has."""
        shown = sorted({1, self.total_pages, *range(max(1, self.number - around),
                                                     min(self.total_pages, self.number + around) + 1)})
        out: list[tuple[int, str | None]] = []
        for n in shown:
            if out and n - out[-1][0] > 1:
                out.append((n - 1, None))
            out.append((n, self.urls[n - 1]))
        return out


def paginate(items: list[Item], base: str, size: int) -> list[tuple[str, Listing]]:
    pages = max(1, math.ceil(len(items) / size))
    uris = [f"{base}/index.md"] + [f"{base}/page-{n}.md" for n in range(2, pages + 1)]
    urls = [html(u) for u in uris]
    return [(uris[n], Listing(items[n * size:(n + 1) * size], n + 1, pages, len(items), urls)) for n in range(pages)]


class SitePlan:
    """All pages, built from a complete Catalogue."""

    def __init__(self, cat: Catalogue, page_size: int = 20, annual_reports=(), history=None,
                 index_page_size: int = 100):
        self.cat = cat
        self.history = history or {}
        self.page_size = page_size
        # Lists that repeat items listed elsewhere: a column with subcolumns (everything below it,
        # up to the unit's 法定主动公开内容) and the cross indexes (topic, genre, year, publisher).
        # At 20 a page they were 0.27 files per item, more than a static host's file budget
        # allows besides the item pages (issue 18). Their first page keeps its URL.
        self.index_page_size = index_page_size
        self.annual_reports = list(annual_reports)
        self.pages: list[PageSpec] = []
        self.home = ("首页", "index.html")
        self._crumbs: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
        by_unit_column: dict[tuple[str, str], list[Item]] = defaultdict(list)
        for item in cat.public_items:
            by_unit_column[(item.unit_id, item.column)].append(item)
        self.by_unit_column = by_unit_column
        self.on_request: dict[str, list[Item]] = defaultdict(list)
        for item in cat.items:
            if item.is_on_request:
                self.on_request[item.unit_id].append(item)
        annual = {c.code for c in cat.taxonomy.walk() if c.annual}
        self.annual_items = [i for i in cat.public_items if i.column in annual]
        self._plan()

    # -- helpers --------------------------------------------------------------------------------
    def unit_url(self, unit: Unit, page: str = "index") -> str:
        return f"{unit.id}/{page}.html"

    def column_url(self, unit: Unit, column: Column) -> str:
        return f"{unit.id}/{column.code}/index.html"

    def column_count(self, unit: Unit, column: Column) -> int:
        return sum(len(self.by_unit_column.get((unit.id, leaf.code), ())) for leaf in column.walk() if leaf.is_leaf)

    def catalogue_count(self, unit: Unit) -> int:
        """Items under the unit's 法定主动公开内容 (the taxonomy's non-leaf roots): the number its
        column page shows, without 制度 and 年报 filed beside it."""
        return sum(self.column_count(unit, c) for c in self.cat.taxonomy.roots
                   if not c.is_leaf and c.applies_to(unit.kind))

    def unit_tree(self, unit: Unit) -> list[dict]:
        """The unit kind's column profile as nested dicts with counts and 不适用 reasons."""
        def node(col: Column) -> dict:
            children = [node(c) for c in col.children if c.applies_to(unit.kind)]
            return {"column": col, "count": self.column_count(unit, col), "children": children,
                    "not_applicable": unit.not_applicable.get(col.code), "url": self.column_url(unit, col)}
        return [node(c) for c in self.cat.taxonomy.roots if c.applies_to(unit.kind)]

    def crumbs_for(self, unit: Unit, column: Column | None = None) -> list[tuple[str, str]]:
        """Home page down to the column; one shared list per unit and column (never modified)."""
        key = (unit.id, column.code if column is not None else None)
        if key not in self._crumbs:
            self._crumbs[key] = self._crumbs_for(unit, column)
        return self._crumbs[key]

    def _crumbs_for(self, unit: Unit, column: Column | None) -> list[tuple[str, str]]:
        crumbs = [self.home, (unit.name, self.unit_url(unit))]
        if column is not None:
            crumbs.append(("法定主动公开内容", self.unit_url(unit, "fdzdgknr")))
            for col in column.ancestors + [column]:
                if col.code != "fdzdgknr":
                    crumbs.append((col.name, self.column_url(unit, col)))
        return crumbs

    def add(self, uri: str, title: str, template: str, crumbs=None, in_nav=False, css=(), **context) -> PageSpec:
        spec = PageSpec(uri, title, template, context, crumbs or [self.home], in_nav, tuple(css))
        self.pages.append(spec)
        return spec

    # -- the plan ---------------------------------------------------------------------------------
    def _plan(self) -> None:
        cat = self.cat
        units = cat.sorted_units()
        grouped = [(kind, [u for u in units if u.kind == kind]) for kind in UNIT_KINDS]
        self.add("index.md", cat.site.platform, "home.html", crumbs=[], in_nav=True,
                 grouped=[g for g in grouped if g[1]], latest=cat.public_items[:12], entries=PLATFORM_ENTRIES,
                 gov=cat.units.get(cat.site.gov_unit), total=len(cat.public_items))
        self._plan_platform_entries(grouped)
        for unit in units:
            self._plan_unit(unit)
        for item in cat.public_items:
            self._plan_item(item)
        self._plan_indexes()
        self.add("search.md", "信息检索", "search.html", in_nav=True, css=["assets/gkml-search.css"])

    def _plan_platform_entries(self, grouped) -> None:
        cat = self.cat
        gov = cat.units.get(cat.site.gov_unit)
        self.add("zhinan.md", "政府信息公开指南", "platform_guide.html", in_nav=True, gov=gov, grouped=grouped)
        system_codes = {c.code for c in cat.taxonomy.roots if c.is_leaf and not c.annual}
        system_items = [i for i in cat.public_items if i.column in system_codes]
        self.add("zhidu.md", "政府信息公开制度", "item_list_page.html", in_nav=True, items=system_items,
                 intro="本级政府及各单位制定的政府信息公开工作制度。")
        self.add("fdzdgknr.md", "法定主动公开内容", "platform_catalogue.html", in_nav=True, grouped=grouped,
                 counts={u.id: self.catalogue_count(u) for g in grouped for u in g[1]})
        self.add("nianbao.md", "政府信息公开年报", "platform_annual.html", in_nav=True,
                 by_year=self._annual_by_year(None))
        self.add("yishenqing.md", "依申请公开", "platform_request.html", in_nav=True, gov=gov, grouped=grouped)

    def _annual_by_year(self, unit: Unit | None) -> list[tuple[int, list[dict]]]:
        """Annual reports, newest year first: the ones gkml computes, and those filed as items in
        the 年报 column for unit-years gkml does not compute."""
        rows: dict[int, list[dict]] = defaultdict(list)
        computed = set()
        for rep in self.annual_reports:
            if unit is None or rep.unit_id == unit.id:
                computed.add((rep.unit_id, rep.year))
                rows[rep.year].append({"title": rep.title, "url": self.report_url(rep),
                                       "unit": self.cat.units.get(rep.unit_id), "date": rep.published})
        for item in self.annual_items:
            if unit is not None and item.unit_id != unit.id:
                continue
            year = _report_year(item)
            if (item.unit_id, year) not in computed:
                rows[year].append({"title": item.title, "url": item.url, "unit": self.cat.units[item.unit_id],
                                   "date": item.published})
        return sorted(rows.items(), reverse=True)

    def report_url(self, rep) -> str:
        return f"{rep.unit_id}/nianbao/{rep.year}{getattr(rep, 'slug_suffix', '')}.html"

    def _plan_unit(self, unit: Unit) -> None:
        cat = self.cat
        crumbs = [self.home, (unit.name, self.unit_url(unit))]
        children = [u for u in cat.sorted_units() if u.parent_id == unit.id]
        tree = self.unit_tree(unit)
        nodes = {n["column"].code: n for n in _walk_tree(tree)}
        self.add(f"{unit.id}/index.md", unit.name, "unit.html", crumbs=[self.home], in_nav=True, unit=unit,
                 latest=cat.unit_items(unit.id)[:10], children=children, tree=tree)
        self.add(f"{unit.id}/zhinan.md", f"{unit.name}政府信息公开指南", "guide.html", crumbs=crumbs, unit=unit,
                 tree=tree, parent=cat.units.get(unit.parent_id or ""))
        self.add(f"{unit.id}/fdzdgknr.md", f"{unit.name}法定主动公开内容", "tree.html", crumbs=crumbs, unit=unit,
                 tree=tree)
        self.add(f"{unit.id}/nianbao.md", f"{unit.name}政府信息公开年报", "unit_annual.html", crumbs=crumbs, unit=unit,
                 by_year=self._annual_by_year(unit))
        on_request = sorted(self.on_request.get(unit.id, []), key=lambda i: (i.generated, i.index_no), reverse=True)
        self.add(f"{unit.id}/yishenqing.md", f"{unit.name}依申请公开", "request.html", crumbs=crumbs, unit=unit,
                 rows=on_request)
        for column in cat.taxonomy.profile(unit.kind):
            items = [i for leaf in column.walk() if leaf.is_leaf and leaf.applies_to(unit.kind)
                     for i in self.by_unit_column.get((unit.id, leaf.code), ())]
            items.sort(key=lambda i: (i.published, i.index_no), reverse=True)
            size = self.page_size if column.is_leaf else self.index_page_size
            for uri, listing in paginate(items, f"{unit.id}/{column.code}", size):
                title = column.name if listing.number == 1 else f"{column.name}（第 {listing.number} 页）"
                self.add(uri, f"{unit.name} · {title}", "column.html", crumbs=self.crumbs_for(unit, column)[:-1],
                         unit=unit, column=column, listing=listing, node=nodes.get(column.code),
                         not_applicable=unit.not_applicable.get(column.code))
        for rep in self.annual_reports:
            if rep.unit_id == unit.id:
                self.add(self.report_url(rep)[:-5] + ".md", rep.title, "annual_report.html", css=["assets/gkml-annual.css"],
                         crumbs=crumbs + [("政府信息公开年报", self.unit_url(unit, "nianbao"))], unit=unit, report=rep)

    def _plan_item(self, item: Item) -> None:
        self.pages.append(self.item_page(item))

    def item_page(self, item: Item) -> PageSpec:
        """An item's own page (not added to the plan: the preview shows a new item's page with it
        before the full build plans the item into its lists)."""
        cat = self.cat
        unit = cat.units[item.unit_id]
        column = cat.taxonomy.by_code[item.column]
        return PageSpec(item.url[:-5] + ".md", item.title, "item.html",
                        dict(item=item, unit=unit, column=column, interprets=cat.public_link(item.interprets),
                             interpretations=cat.interpretations.get(item.index_no, []),
                             replaced_by=cat.public_link(item.replaced_by), replaces=cat.replaces.get(item.index_no, []),
                             history=revisions(item, self.history.get(item.rel, []))),
                        self.crumbs_for(unit, column))

    def _plan_indexes(self) -> None:
        """按主题分类 / 体裁 / 年份 / 发布机构, each with counts. Folder names never move: the
        position in the fixed vocabulary, the year itself, or a digest of the publisher's name."""
        items = self.cat.public_items

        def position(vocab):
            return lambda key: str(vocab.index(key) + 1)

        facets = (
            ("topics", "按主题分类", lambda i: i.topic[0] if i.topic else None, list(TOPICS), position(list(TOPICS))),
            ("genres", "按体裁", lambda i: i.genre or None, list(GENRES), position(list(GENRES))),
            ("years", "按年份", lambda i: str(i.year), None, str),
            ("publishers", "按发布机构", lambda i: i.publisher, None,
             lambda key: hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]),
        )
        for slug, title, key_of, vocab, folder_of in facets:
            groups: dict[str, list[Item]] = defaultdict(list)
            for item in items:
                if (key := key_of(item)) is not None:
                    groups[key].append(item)
            if vocab is not None:
                keys = vocab
            elif slug == "years":
                keys = sorted(groups, reverse=True)
            else:
                keys = sorted(groups, key=lambda k: (-len(groups[k]), k))
            crumbs = [self.home, (title, f"{slug}/index.html")]
            entries = []
            for key in keys:
                base = f"{slug}/{folder_of(key)}"
                entries.append({"name": key, "count": len(groups.get(key, ())), "url": f"{base}/index.html"})
                for uri, listing in paginate(groups.get(key, []), base, self.index_page_size):
                    suffix = "" if listing.number == 1 else f"（第 {listing.number} 页）"
                    self.add(uri, f"{title}：{key}{suffix}", "facet.html", crumbs=crumbs, listing=listing, name=key,
                             facet_title=title)
            self.add(f"{slug}/index.md", title, "facet_index.html", in_nav=True, entries=entries)

    def nav(self) -> list:
        """Sections only: platform entries, units by kind, cross indexes, search."""
        by_uri = {p.uri: p for p in self.pages}
        nav: list = [{"首页": "index.md"}]
        nav += [{title: f"{slug}.md"} for slug, title in PLATFORM_ENTRIES]
        units = self.cat.sorted_units()
        nav.append({"各单位": [{kind: [{u.name: f"{u.id}/index.md"} for u in units if u.kind == kind]}
                            for kind in UNIT_KINDS if any(u.kind == kind for u in units)]})
        nav.append({"分类浏览": [{by_uri[f"{s}/index.md"].title: f"{s}/index.md"}
                             for s in ("topics", "genres", "years", "publishers")]})
        if "search.md" in by_uri:
            nav.append({"信息检索": "search.md"})
        return nav


def _walk_tree(nodes):
    for n in nodes:
        yield n
        yield from _walk_tree(n["children"])


def _report_year(item: Item) -> int:
    """An annual report filed as an item reports on the year before the one it was published in,
    unless its title names the year."""
    import re
    m = re.search(r"(20\d{2})\s*年", item.title)
    return int(m[1]) if m else item.generated.year - 1


# 栏目类别 (ColumnType) by page kind, from the enumerated values of the 政府网站网页设计规范.
COLUMN_TYPES = {
    "home.html": "首页", "unit.html": "首页",
    "platform_guide.html": "信息公开指南", "guide.html": "信息公开指南",
    "item_list_page.html": "信息公开目录", "platform_catalogue.html": "信息公开目录", "tree.html": "信息公开目录",
    "column.html": "信息公开目录", "facet.html": "信息公开目录", "facet_index.html": "信息公开目录",
    "item.html": "信息公开目录",
    "platform_annual.html": "信息公开年报", "unit_annual.html": "信息公开年报", "annual_report.html": "信息公开年报",
    "platform_request.html": "依法申请公开", "request.html": "依法申请公开",
    "data.html": "数据开放", "search.html": "信息检索",
}


def page_tags(spec: PageSpec, platform: str) -> list[tuple[str, str]]:
    """The page's own <meta name=…> tags (栏目标签 and, on item pages, 内容页面标签), and its
    description; the site's tags (SiteName …) are the same on every page and come from the theme.
    An item page's description is the 规范's `Description` (摘要), which is also HTML's
    `description`: HTML compares metadata names ASCII case-insensitively and allows one per page."""
    ctx = spec.context
    column = ctx.get("column")
    item = ctx.get("item")
    tags = [("ColumnName", column.name if column is not None else spec.title),
            ("ColumnType", COLUMN_TYPES.get(spec.template, "信息公开目录"))]
    if item is not None:
        tags += [("ArticleTitle", item.title), ("PubDate", f"{item.published.isoformat()} 00:00"),
                 ("ContentSource", item.publisher)]
        if item.keywords:
            tags.append(("Keywords", ",".join(item.keywords)))
        return tags + [("Description", item.summary or item.title)]
    unit = ctx.get("unit")
    report = ctx.get("report")
    if report is not None and report.published is not None:  # a computed 年报 is a content page too
        tags += [("ArticleTitle", report.title), ("PubDate", f"{report.published.isoformat()} 00:00"),
                 ("ContentSource", report.unit_name)]
    if spec.template == "home.html":
        description = f"{platform}：集中公开本级政府及所属各单位主动公开的政府信息，可检索、查阅、下载"
    else:
        where = f"{unit.name}" if unit is not None and unit.name not in spec.title else ""
        description = f"{platform}：{where}{spec.title}"
    return tags + [("description", description)]
