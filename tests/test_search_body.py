"""Phrases in bodies, in real Chromium: a phrase found in an item's body by its character pairs
ranks as a phrase only if the body holds it side by side (checked against the text of the results
being ranked: on a web server read from their own pages, in a copy made by gkml bundle from the
index's search/t/ files), and a result matched in its body shows the words around the match.
Bodies are stretches of the real 平潭 item texts."""
from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from sitetools import SEARCH_DONE, open_search, serve

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "search"))
import searchtools as st  # noqa: E402

from gkml.search.fold import fold  # noqa: E402
from gkml.search.text import BODY_CHARS, search_fields  # noqa: E402

pytestmark = pytest.mark.browser


# where the browser reads a result's text: the index's copy (gkml bundle), or the item's page
TEXT_REQUEST = {"texts": "/search/t/", "pages": "/item/"}


@pytest.fixture(scope="module", params=["pages", "texts"])
def harness(request, tmp_path_factory):
    catalogue = st.bodied_catalogue()
    out = st.write_harness(catalogue, tmp_path_factory.mktemp("bodied"), texts=request.param == "texts")
    with serve(out) as url:
        yield catalogue, out, url, request.param


def _expected(items, query: str) -> tuple[list[int], list[int]]:
    """(documents whose title holds the phrase, documents whose other fields do and title not), newest first."""
    in_title = [n for n, i in enumerate(items) if st.contains_phrase(fold(i.title), fold(query))]
    in_body = [n for n, i in enumerate(items) if n not in in_title and st.holds_phrase(i, query)]
    return in_title, in_body


def _queries(items) -> list[str]:
    bodies = [fold(search_fields(i, BODY_CHARS)[5]) for i in items]
    drawn = st.title_phrases(bodies, 60, seed=7, longest=6) + ["海域使用", "生态环境保护", "2023年", "公顷"]
    # runs of two words drawn side by side («07», «15» → 0715) are no phrase of any body
    return [q for q in drawn if any(st.contains_phrase(b, q) for b in bodies)]


def _scattered(items, count: int = 12) -> list[str]:
    """Three-character queries whose two pairs are both in one body but never side by side there
    (「海域」…「域使」 → 海域使 where the body has 海域 and 域使 only apart)."""
    out: list[str] = []
    for item in items:
        body = fold(search_fields(item, BODY_CHARS)[5])
        after: dict[str, str] = {}
        for a, b in zip(body, body[1:]):
            if "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff":
                after.setdefault(a, b)
        for a, b in zip(body, body[1:]):
            c = after.get(b, "")
            query = a + b + c
            if c and "\u4e00" <= a <= "\u9fff" and query not in body and query not in out:
                out.append(query)
                break
        if len(out) == count:
            break
    return out


def _canonical(text: str) -> str:
    """A text as the phrase check reads it (gkml-search.js canonical()): folded, one space only
    between two letters or digits, none elsewhere."""
    squeezed = re.sub(r"\s+", " ", fold(text)).strip()
    return re.sub(r"(?<![0-9a-z]) | (?![0-9a-z])", "", squeezed)


def _page_fields(page, urls: list[str]) -> list:
    return page.evaluate("us => Promise.all(us.map(u => gkmlSearch.pageFields(u)))", urls)


def _agree(read: list[str], item) -> bool:
    """Fields read from a page against the index's: the same, but for the body, of which the index
    read the first BODY_CHARS characters and the page shows all."""
    want = [_canonical(f) for f in search_fields(item, BODY_CHARS)]
    got = [_canonical(f) for f in read[:len(want)]]
    return got[:5] == want[:5] and got[5].startswith(want[5]) and got[6:] == want[6:]


def test_page_fields_are_the_fields_the_index_read(chromium, harness):
    """What the browser reads from an item's page is what the index read from its file, field by
    field, for every item (real 平潭 bodies through the real item fragment)."""
    catalogue, out, url, mode = harness
    items = catalogue.public_items
    page = open_search(chromium, f"{url}/search.html")
    got = _page_fields(page, [i.url for i in items])
    if mode == "texts":  # no item pages beside this index: nothing read, the results stay unchecked
        assert not (out / "item").exists() and got == [None] * len(items)
        return
    for item, fields in zip(items, got):
        assert _agree(fields, item), item.url
    assert page.errors == []


def test_javascript_reads_phrases_like_python(chromium, harness):
    catalogue, _, url, _ = harness
    page = open_search(chromium, f"{url}/search.html")
    texts = [search_fields(i, BODY_CHARS)[5] for i in catalogue.public_items[:60]]
    cases = [(t, q) for t in texts for q in st.title_phrases([fold(t)], 4, seed=len(t), longest=6)]
    cases += [(t, q) for t in texts[:20] for q in st.title_phrases([fold(x) for x in texts[20:]], 3, seed=len(t))]
    cases += [("每亩 100 元", "100元"), ("每亩100元", "100元"), ("第12025号", "2025号"), ("共 2025 3 件", "20253"),
              ("COVID-19 疫情", "covid"), ("臨時救助", "临时救助"), ("临时,救助", "时救"), ("ＡＢＣ１２３号", "abc123号"),
              ("abc123号", "bc123号"), ("发展 改革", "展改"), ("", "发展")]
    got = page.evaluate("cs => cs.map(c => gkmlSearch.holds(c[0], c[1]))", cases)
    want = [st.contains_phrase(fold(t), fold(q)) for t, q in cases]
    assert got == want
    assert sum(want) > 50 and len(want) - sum(want) > 50  # both answers exercised
    assert page.errors == []


def test_body_phrases_rank_after_title_phrases_and_before_scattered_pairs(chromium, harness):
    catalogue, _, url, _ = harness
    items = catalogue.public_items
    page = open_search(chromium, f"{url}/search.html")
    queries = _queries(items) + _scattered(items)
    results = page.evaluate("""qs => qs.reduce((chain, q) => chain.then(out =>
        gkmlSearch.search(q).then(r => { const first = r.docs.slice(0, 10);
          return gkmlSearch.settle(r, r.docs.length).then(r => out.concat([[first, r.docs]])); })), Promise.resolve([]))""",
                            queries)
    with_body = scattered = 0
    for query, (first, docs) in zip(queries, results):
        in_title, in_body = _expected(items, query)
        exact = in_title + in_body
        assert len(docs) == len(set(docs)), query
        assert docs[:len(exact)] == exact, query   # title phrases, then body phrases, each newest first
        assert first == docs[:10], query         # the first page is settled by search() itself
        with_body += bool(in_body) and len(in_title) < 10
        scattered += len(docs) > len(exact)        # documents with every pair, never side by side
    assert with_body >= 20 and scattered >= 10, (with_body, scattered)
    assert page.errors == []


def test_texts_are_loaded_only_for_the_results_ranked_and_shown(chromium, harness):
    catalogue, _, url, mode = harness
    items = catalogue.public_items
    query = next(q for q in _queries(items) if len(_expected(items, q)[1]) > 30)
    page = chromium.new_page()
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url) if TEXT_REQUEST[mode] in r.url else None)
    page.goto(f"{url}/search.html?q={quote(query)}")
    page.wait_for_selector(SEARCH_DONE, timeout=15000)
    in_title, in_body = _expected(items, query)
    assert 0 < len(loaded) <= 20, (query, len(loaded))   # a page of ten, not the 30+ body matches
    hrefs = page.eval_on_selector_all(".gkml-result-title", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs == [items[n].url for n in (in_title + in_body)[:10]]


def test_a_match_deep_in_a_body_shows_the_words_around_it(chromium, harness):
    catalogue, _, url, _ = harness
    items = catalogue.public_items
    deep = None
    for query in _queries(items):
        if len(fold(query)) < 4:
            continue
        in_title, in_body = _expected(items, query)
        for n in in_body:
            body = fold(search_fields(items[n], BODY_CHARS)[5])
            if body.find(fold(query)) > 300 and not st.contains_phrase(fold(items[n].summary), fold(query)):
                deep = (query, n, (in_title + in_body).index(n))
                break
        if deep and deep[2] < 30:
            break
        deep = None
    assert deep, "no query matches deep in a body"
    query, n, rank = deep
    page = open_search(chromium, f"{url}/search.html?q={quote(query)}")
    for _ in range(rank // 10):
        count = len(page.query_selector_all(".gkml-result"))
        page.click("#gkml-more")
        page.wait_for_function(f"document.querySelectorAll('.gkml-result').length > {count}")
    result = page.locator(".gkml-result", has=page.locator(f'a[href="{items[n].url}"]'))
    snippet = result.locator(".gkml-result-snippet")
    text = snippet.text_content()
    assert text.startswith("…") and fold(query) in fold(text).replace(" ", ""), text
    assert fold(query) in fold("".join(snippet.locator("mark").all_text_contents())).replace(" ", "")
    assert len(text) <= 110


@pytest.mark.parametrize("mode", ["pages", "texts"])
def test_checking_stops_where_the_pairs_are_nearly_always_apart(chromium, tmp_path, mode):
    """60 newest bodies hold 任务, 务落 and 落实 apart, 3 old ones 「任务落实」: the first page reads
    at most PAGE + SLACK texts, then ranks the rest newest first; a caller may still settle all."""
    catalogue = st.realdata_catalogue()
    items = catalogue.public_items
    for n, item in enumerate(items):
        item.body = "任务完成情况。服务落地见效。落实责任。" if n < 60 else "抓好任务落实。" if n >= len(items) - 3 else f"第{n}条。"
    out = st.write_harness(catalogue, tmp_path / "site", texts=mode == "texts")
    with serve(out) as url:
        page = chromium.new_page()
        loaded: list[str] = []
        page.on("request", lambda r: loaded.append(r.url) if TEXT_REQUEST[mode] in r.url else None)
        page.goto(f"{url}/search.html?q={quote('任务落实')}")
        page.wait_for_selector(SEARCH_DONE, timeout=15000)
        hrefs = page.eval_on_selector_all(".gkml-result-title", "els => els.map(e => e.getAttribute('href'))")
        assert (10 if mode == "pages" else 1) <= len(loaded) <= 20  # pages: one a result; t/: 32 texts a file
        assert hrefs == [items[n].url for n in range(10)]   # gave up: newest first
        assert page.locator("#gkml-status").text_content().startswith("找到 63 条")
        docs = page.evaluate("gkmlSearch.search('任务落实').then(r => gkmlSearch.settle(r, r.docs.length)).then(r => r.docs)")
    assert docs[:3] == list(range(len(items) - 3, len(items)))
    assert sorted(docs) == list(range(60)) + list(range(len(items) - 3, len(items)))


def test_texts_of_a_newer_build_under_an_open_page_are_not_mixed_in(chromium, tmp_path):
    """t/ files carry no version: the page checks each one's URL against its (versioned) details.
    Here the newer build drops the newest item, so every document number moves by one."""
    from gkml.search import write_search_index
    older = st.bodied_catalogue()
    query = next(q for q in _queries(older.public_items) if len(_expected(older.public_items, q)[1]) > 40)
    out = st.write_harness(older, tmp_path / "site")
    with serve(out) as url:
        page = open_search(chromium, f"{url}/search.html?q={quote(query)}")
        first = page.eval_on_selector_all(".gkml-result-title", "els => els.map(e => e.getAttribute('href'))")
        in_title, in_body = _expected(older.public_items, query)
        assert first == [older.public_items[n].url for n in (in_title + in_body)[:10]]
        # the old details of the next page are in the page already: only the texts come from the new build
        page.evaluate("docs => gkmlSearch.details(docs)", (in_title + in_body)[10:30])
        newer = st.bodied_catalogue()
        newer.items = [i for i in newer.items if i.url != newer.public_items[0].url]
        for name in ("public_items", "by_index_no"):
            newer.__dict__.pop(name, None)
        write_search_index(newer, out, texts=True)
        page.click("#gkml-more")   # page 2 reads texts the old page has not: they are the new build's
        page.wait_for_selector(SEARCH_DONE, timeout=15000)
        page.wait_for_function("document.querySelectorAll('.gkml-result').length === 10")
        shown = page.eval_on_selector_all(".gkml-result-title", "els => els.map(e => e.getAttribute('href'))")
        in_title, in_body = _expected(newer.public_items, query)
        assert shown == [newer.public_items[n].url for n in (in_title + in_body)[:10]]
        assert page.errors == []


def test_the_example_sites_item_pages_give_the_indexed_fields(chromium, http_root, default_site):
    """On the built example site (the whole page frame around each item), the fields read from
    every public item's page are the ones its index entry was made from, and its index keeps no
    copy of them (search/t/ is for gkml bundle's copies)."""
    from gkml.catalogue.validate import load_catalogue
    from sitetools import REPO
    catalogue, _ = load_catalogue(REPO / "catalogue")
    items = catalogue.public_items
    page = open_search(chromium, f"{http_root}/search.html")
    assert page.evaluate("gkmlSearch.meta().textChunk") == 0 and not (default_site / "search" / "t").exists()
    got = _page_fields(page, [i.url for i in items])
    for item, fields in zip(items, got):
        assert _agree(fields, item), item.url
    assert len(items) > 300 and page.errors == []
    # a 年报 gkml computes is indexed by its title, summary and keywords, which its page does not
    # show: read nothing there (the result keeps its place) rather than fail every phrase
    reports = sorted(p.relative_to(default_site).as_posix() for p in default_site.glob("*/nianbao/20*.html"))
    assert len(reports) > 3 and _page_fields(page, reports) == [None] * len(reports)


def test_a_body_phrase_on_the_example_site_is_checked_in_the_result_pages(chromium, http_root):
    """End to end on the built site over HTTP: a phrase only item bodies hold (「主要违法」, in no
    title or summary) finds exactly those items, reads their pages and shows the words around it."""
    from gkml.catalogue.validate import load_catalogue
    from sitetools import REPO
    catalogue, _ = load_catalogue(REPO / "catalogue")
    items = catalogue.public_items
    query = "主要违法"
    holding = [i.url for i in items if st.holds_phrase(i, query)]
    assert holding and not any(query in i.title or query in i.summary for i in items)
    page = chromium.new_page()
    reads: list[str] = []
    page.on("request", lambda r: reads.append(r.url) if "/item/" in r.url else None)
    page.goto(f"{http_root}/search.html?q={quote(query)}")
    page.wait_for_selector(SEARCH_DONE, timeout=15000)
    hrefs = page.eval_on_selector_all(".gkml-result-title", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs[:len(holding)] == holding[:10]
    assert 0 < len(reads) <= 20  # the pages of the results ranked: at most a page and SLACK more
    snippets = page.eval_on_selector_all(".gkml-result-snippet mark", "els => els.map(e => e.textContent)")
    assert query in "".join(snippets)
