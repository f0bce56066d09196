"""Search in real Chromium: the query side agrees with the builder, ranks exact title phrases first,
and the search page works over HTTP and from file:// (type, filter, share the URL, open a result)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest

from conftest import MINI
from sitetools import SEARCH_DONE, build_site, open_search, serve

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "search"))
import searchtools as st  # noqa: E402

from gkml.search.encode import fnv1a  # noqa: E402
from gkml.search.fold import fold, id_key  # noqa: E402
from gkml.search.tokenize import looks_like_id, query_terms  # noqa: E402
from gkml.search.fold import id_key  # noqa: E402
from gkml.search.postings import WHOLE_TITLE_MAX  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def real_harness(tmp_path_factory):
    catalogue = st.realdata_catalogue()
    out = st.write_harness(catalogue, tmp_path_factory.mktemp("harness"))
    with serve(out) as url:
        yield catalogue, out, url


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mini")
    catalogue = tmp / "catalogue"
    shutil.copytree(MINI, catalogue)
    site, result = build_site(catalogue, tmp)
    assert result.returncode == 0, result.stderr
    with serve(site) as url:
        yield site, url


def _titles(page) -> list[str]:
    return page.eval_on_selector_all(".gkml-result-title", "els => els.map(e => e.textContent)")


def test_computed_annual_reports_are_found(chromium, http_root):
    """The 汇总 年报 gkml computes are pages, not items: search finds them all the same."""
    page = open_search(chromium, f"{http_root}/search.html?q=" + quote("年度报告 汇总"))
    assert _titles(page)[:2] == ["示例区人民政府2025年政府信息公开工作年度报告（汇总）",
                                 "示例区人民政府2024年政府信息公开工作年度报告（汇总）"]
    page.click(".gkml-result-title")
    page.wait_for_url("**/qzf/nianbao/2025-huizong.html")
    assert "（汇总）" in page.title() and page.errors == []


# ---- the query side agrees with the builder ----------------------------------------------------

def test_javascript_folds_tokenises_and_hashes_like_python(chromium, real_harness):
    catalogue, _, url = real_harness
    page = open_search(chromium, f"{url}/search.html")
    samples = [t for t, _ in st.realdata_titles()][:400]
    samples += ["臨時救助辦法", "ＡＢＣ１２３　示政办［２０２５］３号", "示政办〔2025〕3号", "11350199MB01000012/2025-00002",
                "covid-19 疫情", "《示例区》、（修订）", "每亩 100 元", "二〇二五年", "税", "", "，。", "_a_b_",
                "11350199mb01000012／2025－00002", "发展改革 委员会"]
    got = page.evaluate("""samples => samples.map(s => [gkmlSearch.fold(s),
        gkmlSearch.queryTerms(s).map(t => t.keys), gkmlSearch.idKey(s), gkmlSearch.looksLikeId(s),
        gkmlSearch.fnv1a(s)])""", samples)
    for sample, (folded, terms, key, like_id, hashed) in zip(samples, got):
        assert folded == fold(sample), sample
        assert terms == query_terms(sample), sample
        assert key == id_key(sample), sample
        assert like_id == looks_like_id(sample), sample
        assert hashed == fnv1a(sample), sample
    assert page.errors == []


# ---- ranking on the 1,093 real titles ----------------------------------------------------------

def test_exact_title_phrases_come_first_newest_first(chromium, real_harness):
    catalogue, _, url = real_harness
    titles = [fold(i.title) for i in catalogue.public_items]
    page = open_search(chromium, f"{url}/search.html")
    queries = st.title_phrases(titles, 40, seed=11, longest=5) + ["公示", "采购", "平潭综合实验区", "应急物资", "2023年", "关于"]
    results = page.evaluate("qs => Promise.all(qs.map(q => gkmlSearch.search(q).then(r => r.docs)))", queries)
    many = 0
    for query, docs in zip(queries, results):
        exact = sorted(n for n, t in enumerate(titles) if st.contains_phrase(t, query))
        assert exact, query
        assert len(docs) == len(set(docs)), query
        # a title that is the whole query first (issue 16), then every exact match, newest first
        whole = [n for n in exact if id_key(titles[n]) == id_key(query) and len(titles[n]) <= WHOLE_TITLE_MAX]
        assert docs[:len(exact)] == whole + [n for n in exact if n not in whole], query
        if len(exact) >= 10:
            many += 1
    assert many >= 5  # the top-10 rule was exercised on queries with at least 10 exact matches


def test_all_terms_are_required(chromium, real_harness):
    catalogue, _, url = real_harness
    titles = [fold(i.title) for i in catalogue.public_items]
    page = open_search(chromium, f"{url}/search.html")
    docs = page.evaluate("gkmlSearch.search('应急 采购').then(r => r.docs)")
    both = {n for n, t in enumerate(titles) if "应急" in t and "采购" in t}
    assert both and set(docs) == both  # nothing but documents with both terms (bodies here are 第N条。)


def test_doc_number_in_any_form_finds_its_item_first(chromium, real_harness):
    catalogue, _, url = real_harness
    page = open_search(chromium, f"{url}/search.html")
    items = [(n, i) for n, i in enumerate(catalogue.public_items) if "〔" in i.doc_no][:15]
    queries = []
    for n, item in items:
        for variant in (item.doc_no, item.doc_no.replace("〔", "[").replace("〕", "]"),
                        item.doc_no.replace("〔", "（").replace("〕", "）")):
            queries.append((n, variant))
    results = page.evaluate("qs => Promise.all(qs.map(q => gkmlSearch.search(q).then(r => r.docs[0])))",
                            [q for _, q in queries])
    for (n, query), first in zip(queries, results):
        same = [m for m, i in enumerate(catalogue.public_items) if id_key(i.doc_no) == id_key(query)]
        assert first in same and n in same, query


def test_more_results_and_focus(chromium, real_harness):
    catalogue, _, url = real_harness
    page = open_search(chromium, f"{url}/search.html?q=" + quote("关于"))
    assert len(_titles(page)) == 10
    page.dblclick("#gkml-more")  # a second click while the page is on its way adds nothing
    page.wait_for_function("document.querySelectorAll('.gkml-result').length === 20")
    page.wait_for_selector(SEARCH_DONE)
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(".gkml-result-title", "els => els.map(e => e.getAttribute('href'))")
    assert len(hrefs) == 20 and len(set(hrefs)) == 20
    focused = page.evaluate("document.activeElement.closest('.gkml-result') === document.querySelectorAll('.gkml-result')[10]")
    assert focused


def test_a_new_index_under_an_open_page_is_picked_up(chromium, tmp_path):
    """Files of two builds never mix: a file of a newer build makes the page reload the index."""
    out = st.write_harness(st.realdata_catalogue(), tmp_path)
    shards = st.IndexReader(out / "search").meta["shards"]
    new_keys = query_terms("补充材料甲乙")[0]
    first = next(q for q in ("公示", "采购", "通知", "公告", "关于")
                 if fnv1a(q) % shards not in {fnv1a(k) % shards for k in new_keys})
    with serve(out) as url:
        page = open_search(chromium, f"{url}/search.html?q=" + quote(first))
        assert st.IndexReader(out / "search").match("补充材料甲乙") == set()
        changed = st.realdata_catalogue()
        changed.public_items[700].title = "平潭补充材料甲乙的公告"
        from gkml.search import write_search_index
        write_search_index(changed, out)
        assert page.evaluate("gkmlSearch.search('补充材料甲乙').then(r => r.docs)") == [700]
        assert page.evaluate("gkmlSearch.details([700]).then(d => d[0][0])") == "平潭补充材料甲乙的公告"


# ---- the page in a real MkDocs build, over HTTP and from file:// -------------------------------

def test_type_filter_share_and_open_over_http(chromium, mini_site):
    site, url = mini_site
    page = open_search(chromium, f"{url}/search.html")
    assert page.inner_text("#gkml-status").startswith("找到 8 条")  # browse mode: all public items
    page.fill("#gkml-q", "临时救助")
    page.press("#gkml-q", "Enter")
    page.wait_for_function("document.querySelector('#gkml-status').textContent.startsWith('找到 3 条')")
    page.wait_for_selector(SEARCH_DONE)
    titles = _titles(page)
    assert titles[0] == "《示例区城乡居民临时救助办法（修订）》政策解读"  # exact, newest first
    assert len(titles) == 3
    assert page.eval_on_selector(".gkml-result-title mark", "m => m.textContent") == "临时救助"
    assert parse_qs(urlparse(page.url).query) == {"q": ["临时救助"]}
    page.click("#gkml-facets-box > summary")  # the filters load their counts when opened
    page.wait_for_function("document.querySelectorAll('#gkml-f-valid option').length > 1")
    page.wait_for_selector(SEARCH_DONE)
    options = page.eval_on_selector_all("#gkml-f-valid option", "os => os.map(o => o.textContent)")
    assert options == ["全部", "有效（2）", "废止（1）"]
    page.select_option("#gkml-f-genre", "通知")
    page.wait_for_function("document.querySelector('#gkml-status').textContent.startsWith('找到 2 条')")
    page.wait_for_selector(SEARCH_DONE)
    assert parse_qs(urlparse(page.url).query) == {"q": ["临时救助"], "genre": ["通知"]}
    page.select_option("#gkml-f-valid", "废止")
    page.wait_for_function("document.querySelector('#gkml-status').textContent.startsWith('找到 1 条')")
    page.wait_for_selector(SEARCH_DONE)
    shared = page.url
    with page.expect_navigation():
        page.click(".gkml-result-title")
    assert page.url.endswith("/item/11350199MB01000012/2025-00001.html")
    assert "临时救助办法" in page.inner_text("h1")
    again = open_search(chromium, shared)  # the shared link restores query and filters
    assert again.input_value("#gkml-q") == "临时救助"
    assert again.input_value("#gkml-f-valid") == "废止" and again.input_value("#gkml-f-genre") == "通知"
    assert _titles(again) == ["示例区人民政府关于印发《示例区城乡居民临时救助办法》的通知"]
    assert page.errors == [] and again.errors == []


def test_from_disk_with_traditional_query_and_facet_in_url(chromium, mini_site):
    site, _ = mini_site
    url = (site / "search.html").as_uri() + "?q=" + quote("臨時救助") + "&valid=" + quote("有效")
    page = open_search(chromium, url)
    assert _titles(page) == ["《示例区城乡居民临时救助办法（修订）》政策解读",
                             "示例区人民政府关于印发《示例区城乡居民临时救助办法（修订）》的通知"]
    with page.expect_navigation():
        page.click(".gkml-result-title >> nth=1")
    assert page.url.startswith("file://") and page.url.endswith("/item/11350199MB01000012/2025-00002.html")
    assert page.errors == []


def test_header_form_leads_to_results(chromium, mini_site):
    site, url = mini_site
    page = chromium.new_page()
    page.goto(f"{url}/zhinan.html")  # the box on top of every page but the home page, which has its own
    page.fill("#gkml-topsearch-q", "示政规[2025]3号")
    page.press("#gkml-topsearch-q", "Enter")
    page.wait_for_selector(SEARCH_DONE)
    assert _titles(page)[0] == "示例区人民政府关于印发《示例区城乡居民临时救助办法（修订）》的通知"


def test_filter_data_loads_only_when_the_filters_open(chromium, mini_site):
    site, url = mini_site
    page = chromium.new_page()
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url))
    page.goto(f"{url}/search.html?q=" + quote("救助"))
    page.wait_for_selector(SEARCH_DONE)
    assert not [u for u in loaded if "facets.js" in u]
    assert page.eval_on_selector_all("#gkml-f-unit option", "os => os.length") == 1
    page.click("#gkml-facets-box > summary")
    page.wait_for_function("document.querySelectorAll('#gkml-f-unit option').length > 1")
    assert [u for u in loaded if "facets.js" in u]
    assert page.eval_on_selector_all("#gkml-f-unit option", "os => os.map(o => o.textContent)") == [
        "全部", "示例区人民政府（3）"]


def test_index_number_query_finds_and_shows_it(chromium, mini_site):
    site, url = mini_site
    page = open_search(chromium, f"{url}/search.html?q=" + quote("１１３５０１９９mb0300003d/2025-00001"))
    assert _titles(page)[0] == "示例区财政局2025年部门预算"
    assert page.eval_on_selector(".gkml-result-meta mark", "m => m.textContent") == "11350199MB0300003D/2025-00001"


def test_unit_year_topic_facets_combine(chromium, mini_site):
    site, url = mini_site
    page = open_search(chromium, f"{url}/search.html?unit=qzf&topic=" + quote("民政、扶贫、救灾/社会福利"))
    assert page.inner_text("#gkml-status").startswith("找到 3 条")
    units = page.eval_on_selector_all("#gkml-f-unit option", "os => os.map(o => o.textContent)")
    # other units' counts are computed without the unit filter, with the topic filter
    assert units == ["全部", "示例区人民政府（3）"]
    years = page.eval_on_selector_all("#gkml-f-year option", "os => os.map(o => o.value)")
    assert years == ["", "2025"]
    page.click("#gkml-clear")
    page.wait_for_function("document.querySelector('#gkml-status').textContent.startsWith('找到 8 条')")


def test_no_results_message_and_screen_reader_wiring(chromium, mini_site):
    site, url = mini_site
    page = open_search(chromium, f"{url}/search.html?q=" + quote("不存在的词语组合"))
    assert "没有找到" in page.inner_text("#gkml-status")
    assert page.get_attribute("#gkml-status", "role") == "status"
    assert page.get_attribute("#gkml-status", "aria-live") == "polite"
    assert page.eval_on_selector("label[for=gkml-q]", "l => l.textContent") == "检索词"
    for name in ("unit", "col", "topic", "genre", "year", "valid"):
        assert page.eval_on_selector(f"label[for=gkml-f-{name}]", "l => !!l.textContent")


def test_keyboard_only_search_and_open(chromium, mini_site):
    site, url = mini_site
    page = open_search(chromium, f"{url}/search.html")
    page.focus("#gkml-q")
    page.keyboard.type("防汛")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#gkml-status').textContent.startsWith('找到 1 条')")
    page.wait_for_selector(SEARCH_DONE)
    for _ in range(30):  # Tab through the form and filters to the first result
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('gkml-result-title')"):
            break
    else:
        pytest.fail("the first result is not reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/item/11350199MB01000012/2025-00004.html")


def test_phone_width_and_axe(chromium, mini_site):
    from axe_playwright_python.sync_playwright import Axe
    site, url = mini_site
    page = open_search(chromium, f"{url}/search.html?q=" + quote("救助"), viewport={"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.eval_on_selector(".gkml-result-title", "e => e.getBoundingClientRect().right")
    assert box <= 360
    results = Axe().run(page, context="#gkml-search")
    serious = [(v["id"], v["nodes"][0]["target"]) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_facet_counts_match_the_catalogue(chromium, tmp_path):
    from collections import Counter
    catalogue = st.varied_catalogue()
    out = st.write_harness(catalogue, tmp_path)
    items = catalogue.public_items
    with serve(out) as url:
        page = open_search(chromium, f"{url}/search.html")
        counts = page.evaluate("gkmlSearch.search('').then(r => r.counts)")
        filtered = page.evaluate("gkmlSearch.search('', {valid: '废止', year: '2021'}).then(r => [r.total, r.counts])")
    want = {
        "unit": Counter(i.unit_id for i in items), "col": Counter(i.column for i in items),
        "genre": Counter(i.genre for i in items), "valid": Counter(i.validity for i in items),
        "year": Counter(str(i.published.year) for i in items),
        "topic": Counter(i.topic[0] if i.topic else "" for i in items)
        + Counter(f"{i.topic[0]}/{i.topic[1]}" for i in items if i.topic and i.topic[1]),
    }
    assert {k: dict(v) for k, v in want.items()} == counts
    both = [i for i in items if i.validity == "废止" and i.published.year == 2021]
    total, facet = filtered
    assert total == len(both) > 0
    assert facet["valid"] == dict(Counter(i.validity for i in items if i.published.year == 2021))
    assert facet["unit"] == dict(Counter(i.unit_id for i in both))


def test_big_posting_lists_in_their_own_files_give_the_same_results(chromium, tmp_path, monkeypatch, real_harness):
    """Terms with long posting lists live in search/b/ (listed in meta.js); results do not change."""
    import gkml.search.build as build
    catalogue, _, normal_url = real_harness
    monkeypatch.setattr(build, "BIG_LIST", 40)
    out = st.write_harness(catalogue, tmp_path)
    assert len(st.IndexReader(out / "search").meta["big"]) > 50
    queries = ["平潭综合实验区 公告", "关于", "应急物资", "2023年 采购", "管理局"]
    script = "qs => Promise.all(qs.map(q => gkmlSearch.search(q).then(r => r.docs)))"
    normal = open_search(chromium, f"{normal_url}/search.html").evaluate(script, queries)
    with serve(out) as url:
        page = open_search(chromium, f"{url}/search.html")
        loaded: list[str] = []
        page.on("request", lambda r: loaded.append(r.url))
        assert page.evaluate(script, queries) == normal
    assert [u for u in loaded if "/search/b/" in u]
