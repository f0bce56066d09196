"""Search index files: what they hold, that nothing non-public leaks into them, determinism,
and phrase recall on the 1,093 real 平潭 titles."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import MINI, write_item

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "search"))
import searchtools as st  # noqa: E402

from gkml.search import build_search_index, write_search_index  # noqa: E402
from gkml.search.build import DETAIL_CHUNK  # noqa: E402
from gkml.search.encode import fnv1a  # noqa: E402
from gkml.search.fold import fold, t2s_table  # noqa: E402
from gkml.search.tokenize import id_term, segments  # noqa: E402
from gkml.catalogue.validate import load_catalogue  # noqa: E402


@pytest.fixture(scope="module")
def mini_index(tmp_path_factory):
    catalogue = st.mini_catalogue()
    out = tmp_path_factory.mktemp("mini-site")
    write_search_index(catalogue, out)
    return catalogue, st.IndexReader(out / "search")


@pytest.fixture(scope="module")
def real_index(tmp_path_factory):
    catalogue = st.realdata_catalogue()
    out = tmp_path_factory.mktemp("real-site")
    write_search_index(catalogue, out)
    return catalogue, st.IndexReader(out / "search")


def test_documents_are_the_public_items_newest_first(mini_index):
    catalogue, index = mini_index
    public = catalogue.public_items
    assert len(public) == 8 and len(catalogue.items) == 10
    assert index.meta["docs"] == len(public)
    assert [index.detail(n)[1] for n in range(len(public))] == [i.url for i in public]
    assert [index.detail(n)[0] for n in range(len(public))] == [i.title for i in public]
    dates = [index.detail(n)[3] for n in range(len(public))]
    assert dates == sorted(dates, reverse=True)


def test_postings_hold_title_flags_and_positions(mini_index):
    catalogue, index = mini_index
    docs = {i.index_no: n for n, i in enumerate(catalogue.public_items)}
    postings = index.postings("救助")
    old, new, note = (docs[f"11350199MB01000012/2025-0000{k}"] for k in (1, 2, 3))
    # 示例区人民政府关于印发《示例区城乡居民临时救助办法》的通知: 救 is unit 20
    assert postings[old] == [20]
    assert postings[note] == [9]
    assert set(postings) >= {old, new, note}
    body_only = index.postings("规范")  # 为（进一步）规范临时救助工作: in the bodies of both notices only
    assert body_only == {old: None, new: None}


def test_dense_lists_are_bitmaps_and_keep_title_positions(real_index):
    catalogue, index = real_index
    shard = index.load(f"s/{fnv1a('政府') % index.meta['shards']}.js")
    text = index.load(f"b/{index.meta['big']['政府']}.js") if "政府" in index.meta["big"] else shard["政府"]
    assert text.startswith("~")  # every item's 发布机构 is 示例区人民政府
    postings = index.postings("政府")
    assert set(postings) == set(range(len(catalogue.public_items)))
    for n, item in enumerate(catalogue.public_items):
        title = fold(item.title)
        if "政府" in title:
            units = [u for seg in segments(title) for u in seg]
            assert postings[n] == [i for i in range(len(units) - 1) if units[i] + units[i + 1] == "政府"], title
        else:
            assert postings[n] is None


def test_doc_number_and_index_number_are_whole_keys(mini_index):
    catalogue, index = mini_index
    docs = {i.index_no: n for n, i in enumerate(catalogue.public_items)}
    assert set(index.postings("=示政规(2025)3号")) == {docs["11350199MB01000012/2025-00002"]}
    assert set(index.postings("=11350199mb0300003d/2025-00001")) == {docs["11350199MB0300003D/2025-00001"]}


def test_single_characters_come_from_titles_not_bodies(mini_index):
    catalogue, index = mini_index
    docs = {i.index_no: n for n, i in enumerate(catalogue.public_items)}
    # 汛 occurs only in the title 示例区人民政府关于做好2025年防汛工作的通知
    assert set(index.postings("汛")) == {docs["11350199MB01000012/2025-00004"]}
    assert index.postings("亩") == {}  # 每亩 is in a body only


def test_build_is_deterministic(tmp_path):
    catalogue_a, _ = load_catalogue(MINI)
    catalogue_b, _ = load_catalogue(MINI)
    write_search_index(catalogue_a, tmp_path / "a")
    write_search_index(catalogue_b, tmp_path / "b")
    files_a = {p.relative_to(tmp_path / "a").as_posix(): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    files_b = {p.relative_to(tmp_path / "b").as_posix(): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert files_a == files_b and len(files_a) >= 4


def test_version_changes_with_content(tmp_path):
    catalogue = st.mini_catalogue()
    before = build_search_index(catalogue).version
    catalogue.public_items[0].title += "（更正）"
    assert build_search_index(catalogue).version != before


def test_rewrite_removes_stale_files(tmp_path):
    catalogue = st.realdata_catalogue()
    write_search_index(catalogue, tmp_path)
    last = tmp_path / "search" / "d" / f"{(len(catalogue.public_items) - 1) // DETAIL_CHUNK}.js"
    assert last.exists() and last.name not in ("0.js", "1.js")
    write_search_index(st.mini_catalogue(), tmp_path)
    assert not last.exists()


# ---- leak test: nothing but public items may reach search/ -------------------------------------

# Rare characters that are neither traditional nor the simplified form of one, and a Latin word,
# per kind of non-public item. None of them may appear in any file under search/.
MARKERS = {
    "依申请公开": ("鼯鼷齉", "zqonrequestx"),
    "不予公开": ("龘靐爨", "zqwithheldx"),
    "草稿": ("虋麤鼜", "zqdraftx"),
    "未审查": ("靇龖䨻", "zqunreviewedx"),
    "负面清单": ("鱻羴猋", "zqblockedx"),
}
PUBLIC_MARKER = ("犇骉麣", "zqpublicx")


def _marked(marker: tuple[str, str], serial: int, **changes) -> dict:
    cjk, word = marker
    fields = {
        "索引号": f"11350199MB01000012/2025-{serial:05d}",
        "标题": f"示例区{cjk}事项{word}的通知",
        "内容概述": f"{cjk}概述 {word}",
        "生成日期": "2025-06-02",
        "发布日期": "2025-06-03",
        "发布机构": "示例区人民政府",
        "文号": f"示政{cjk[0]}〔2025〕{serial}号",
        "栏目": "qtwj",
        "主题分类": "综合政务/政务公开",
        "体裁": "通知",
        "关键词": [f"{cjk}词", word],
        "有效性": "有效",
        "公开方式": "主动公开",
        "保密审查": {"审查人": "王某", "日期": "2025-06-02"},
    }
    for key, value in changes.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return fields


def test_non_public_items_never_reach_search_files(catalogue, tmp_path):
    root = catalogue
    kinds = {
        "依申请公开": {"公开方式": "依申请公开", "发布日期": None, "不公开理由": "属于内部过程性信息"},
        "不予公开": {"公开方式": "不予公开", "发布日期": None, "不公开理由": "属于国家秘密"},
        "草稿": {"草稿": True},
        "未审查": {"保密审查": None},
        "负面清单": {},
    }
    for serial, (kind, changes) in enumerate(kinds.items(), start=50):
        cjk, word = MARKERS[kind]
        body = f"{cjk}正文 {word}。" + ("本件为内部资料。" if kind == "负面清单" else "")
        write_item(root, f"qzf/2025/{serial:05d}.md", _marked(MARKERS[kind], serial, **changes), body)
    write_item(root, "qzf/2025/00060.md", _marked(PUBLIC_MARKER, 60), f"{PUBLIC_MARKER[0]}正文。")
    cat, report = load_catalogue(root)
    by_title = {i.title: i for i in cat.items}
    assert len(cat.items) == 10 + 6
    non_public = [i for i in cat.items if not i.is_public]
    assert {i.title for i in non_public} >= {f"示例区{c}事项{w}的通知" for c, w in MARKERS.values()}

    write_search_index(cat, tmp_path)
    text = st.IndexReader(tmp_path / "search").all_text()
    # Positive control: the public marker is there, folded and split into terms as expected.
    assert PUBLIC_MARKER[1] in text and "犇骉" in text and "骉麣" in text
    assert f"示例区{PUBLIC_MARKER[0]}事项{PUBLIC_MARKER[1]}的通知" in text
    for kind, (cjk, word) in MARKERS.items():
        assert all(ch not in t2s_table() and ch not in t2s_table().values() for ch in cjk)
        for needle in (word, *cjk):
            assert needle not in text, f"{kind}: {needle} leaked into search/"
    for item in non_public:
        for needle in (item.index_no, fold(item.index_no), item.title):
            assert needle not in text, f"{item.index_no} leaked into search/"
    assert by_title[f"示例区{PUBLIC_MARKER[0]}事项{PUBLIC_MARKER[1]}的通知"].is_public


# ---- recall on real titles ---------------------------------------------------------------------

def test_every_title_with_the_phrase_is_found_and_flagged_exact(real_index):
    catalogue, index = real_index
    titles = [fold(i.title) for i in catalogue.public_items]
    phrases = st.title_phrases(titles, 80, seed=7) + ["应急物资", "公示", "2023年", "平潭综合实验区", "关于", "采购"]
    for phrase in phrases:
        expected = {n for n, t in enumerate(titles) if st.contains_phrase(t, phrase)}
        assert expected, phrase
        found = index.match(phrase)
        assert expected <= found, phrase
        exact = {n for n in found if index.title_phrase(phrase, n)}
        assert exact == expected, phrase


def test_real_doc_numbers_find_their_items_in_any_bracket_form(real_index):
    catalogue, index = real_index
    with_numbers = [(n, i) for n, i in enumerate(catalogue.public_items) if "〔" in i.doc_no]
    assert len(with_numbers) > 20
    for n, item in with_numbers[:40]:
        for variant in (item.doc_no, item.doc_no.replace("〔", "[").replace("〕", "]"),
                        item.doc_no.replace("〔", "（").replace("〕", "）")):
            assert n in index.postings(id_term(variant)), variant
