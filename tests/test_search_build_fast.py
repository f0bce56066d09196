"""Search index build: the numpy fast paths give exactly what the plain Python readings give
(the byte-for-byte proof on whole corpora is scripts/bench_search_build.py)."""
from __future__ import annotations

import html

import random
import numpy as np
import pytest

import conftest  # noqa: F401  (puts plugins/ on sys.path)
from gkml.search.bulk import long_terms, pair_code, pair_term
from gkml.search.encode import ALPHABET, bitmap, fnv1a, fnv1a_many, varint
from gkml.search.fold import fold
from gkml.search.invert import dedupe, make_keys, split_parts, varint_text
from gkml.search.postings import OTHER, Vocabulary, build_postings, title_tail, title_tails
from gkml.search import text as text_module  # noqa: E402
from gkml.search.text import index_text, plain_text
from gkml.search.tokenize import add_text_terms, pairs, segments, title_positions
from test_search_tokenize import REALDATA

EDGE_TEXTS = [
    "covid 19 区 a 区 b c  ab区cd ２０２５年 _x_y 〇二 ٣٤ é a\u3000区\ufeffb\x1cc x \n y",
    "", " ", "a", "中", "1 2", " 2025 年 ", "ＡＢ 國家", "a中b", "中a中", "ab\n\ncd区", "区\t \n1", "𠀀𠀁 x𠀂",
    "《临时救助》的通知（2025年）", "示政办〔2025〕3号", "每亩 100 元", "_", "a_b", "区_区",
]


def real_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REALDATA / "pages").glob("*.txt"))]
    return texts + (REALDATA / "index-sample.tsv").read_text(encoding="utf-8").splitlines()[:400]


def bulk_sets(texts: list[str]) -> list[set[str]]:
    found = long_terms(texts, list(range(len(texts))))
    out: list[set[str]] = [set() for _ in texts]
    for code, doc in zip(found.pair_codes.tolist(), found.pair_docs.tolist()):
        out[doc].add(pair_term(code))
    for term, doc in zip(found.terms, found.term_docs.tolist()):
        out[doc].add(term)
    return out


def test_bulk_terms_are_the_terms_of_add_text_terms():
    texts = EDGE_TEXTS + real_texts()
    assert len(texts) > 100
    for text, found in zip(texts, bulk_sets(texts)):
        expected: set[str] = set()
        add_text_terms(expected, fold(text), singles=False)
        assert found == expected, text[:40]


def test_bulk_never_pairs_across_items():
    found = bulk_sets(["临时", "救助", "2025", "年"])
    assert found == [{"临时"}, {"救助"}, {"2025"}, set()]


def test_pair_codes_round_trip_and_stay_below_other_codes():
    for term in ("临时", "区3", "𠀀𠀁", "=a"):
        assert pair_term(pair_code(term)) == term and pair_code(term) < OTHER
    vocabulary = Vocabulary()
    codes = [vocabulary[t] for t in ("2025", "救助", "=示政办(2025)3号", "2025")]
    assert codes[0] == codes[3] == OTHER and codes[1] == pair_code("救助") and codes[2] == OTHER + 1
    assert [vocabulary.term(c) for c in codes] == ["2025", "救助", "=示政办(2025)3号", "2025"]


def reference_title_positions(folded: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    base = 0
    for seg in segments(folded):
        for i, key in pairs(seg):
            out.setdefault(key, []).append(base + i)
        for unit in seg:
            out.setdefault(unit, [])
        base += len(seg)
    return out


def test_title_positions_agree_with_segments_and_pairs():
    titles = EDGE_TEXTS + [line.split("\t")[0] for line in real_texts()[-400:]]
    for title in titles:
        folded = fold(title)
        assert title_positions(folded) == reference_title_positions(folded), title


def test_title_tails_encode_the_positions_of_pairs_only():
    in_title = title_positions(fold("救助救助 2025年 临时"))
    tails = dict(zip(in_title, title_tails(in_title)))
    assert tails["救助"] == varint(0 * 2 + 1) + varint(2 * 2 + 0)  # positions 0 and 2
    assert tails["2025年"] == varint(4 * 2) and tails["2025"] == tails["救"] == ""
    assert title_tails({"长题": [20000]}) == [title_tail([20000])] == [varint(40000)]


def test_fnv1a_many_is_fnv1a():
    rng = random.Random(3)
    texts = ["", "a", "政府", "=示政办(2025)3号", "𠀀x"] + [
        "".join(chr(rng.choice([rng.randrange(0x30, 0x7B), rng.randrange(0x4E00, 0x9FA5)]))
                for _ in range(rng.randrange(1, 40))) for _ in range(300)]
    assert fnv1a_many(texts) == [fnv1a(t) for t in texts]


def test_varint_text_writes_values_and_tails_in_order():
    values = np.array([0, 31, 32, 1023, 1024, 5, 2 ** 20 + 7], dtype=np.int64)
    with_tail = np.array([False, True, False, False, True, False, True])
    tails = ["1", "", "xyz"]
    text, offsets = varint_text(values, tails, with_tail)
    pieces = [varint(v) for v in values.tolist()]
    for n, tail in zip(np.flatnonzero(with_tail).tolist(), tails):
        pieces[n] += tail
    assert text == "".join(pieces)
    assert [text[a:b] for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())] == pieces


def test_dedupe_keeps_the_title_posting_and_parts_stay_sorted():
    keys = np.concatenate((make_keys([7, 7, 9], [1, 2, 1], False, 4), make_keys([7], [2], True, 4),
                           make_keys([7, 9], [1, 1], False, 4)))
    kept = dedupe(keys)
    assert len(kept) == 3
    assert ((kept >> np.uint64(1)) & np.uint64(15)).tolist() == [1, 2, 1]  # documents
    assert (kept & np.uint64(1)).tolist() == [1, 0, 1]  # (7, 2) is the title posting
    parts = split_parts(kept, 4)
    assert sorted(np.concatenate(parts).tolist()) == kept.tolist()
    assert all((np.diff(p.astype(np.int64)) > 0).all() for p in parts if len(p) > 1)


@pytest.mark.parametrize("docs, count", [([0, 5, 6, 13, 99], 100), ([], 7), (list(range(12)), 12)])
def test_bitmap_of_numpy_documents_matches_the_bit_definition(docs, count):
    text = bitmap(np.array(docs, dtype=np.int64), count)
    assert len(text) == -(-count // 6)
    assert [6 * n + k for n, ch in enumerate(text) for k in range(6) if ALPHABET.index(ch) & (32 >> k)] == docs


def unguarded_index_text(markdown: str, limit: int) -> str:
    """index_text before its fast path: every pass, whatever the text holds."""
    markdown = text_module._HIDDEN.sub(" ", markdown) if "<" in markdown else markdown
    text = text_module._NOT_TEXT.sub(text_module._keep_label, markdown[:limit + limit // 4])
    return html.unescape(text_module._MARK.sub(" ", text_module._RULE.sub(" ", text)))[:limit]


def unguarded_plain_text(markdown: str) -> str:
    text = text_module._IMAGE.sub(r"\1", text_module._HIDDEN.sub(" ", markdown))
    for pattern, replacement in ((text_module._LINK, r"\1"), (text_module._TAG, " "), (text_module._RULE, " "),
                                 (text_module._MARK, " ")):
        text = pattern.sub(replacement, text)
    return text_module._SPACE.sub(" ", html.unescape(text)).strip()


def test_text_fast_paths_change_nothing():
    plain = "示例区人民政府**2025年**工作\n## 标题\n1. 第一\n---\n"
    bodies = [plain, plain * 60, plain * 60 + "<!-- 注释\n" + plain, plain * 60 + "[链接](http://x.y/z.html)",
              "[链接](http://x.y) ![图](a.png) <b>粗</b> | a | b |\n|---|---|\n<script>x</script>尾",
              "<!-- 未闭合 " + plain, "一[二<三", "印发<助力纾困>的通知&nbsp;附件&lt;b&gt;", ""]
    for body in bodies:
        assert plain_text(body) == unguarded_plain_text(body), body[:30]
        for limit in (10, 100, 3000):
            assert index_text(body, limit) == unguarded_index_text(body, limit), (body[:30], limit)


def test_postings_of_two_items_by_hand():
    class Item:
        def __init__(self, title, body, doc_no=""):
            self.title, self.body, self.doc_no = title, body, doc_no
            self.keywords, self.summary, self.publisher, self.index_no = ("救助",), "", "示例区民政局", ""
            self.original_index_no = ""

    items = [Item("临时救助办法", "临时救助的对象。"), Item("通知", "关于临时救助", "示民〔2025〕1号")]
    postings = build_postings(items)
    assert postings["临时"] == varint(0 * 2 + 1) + varint(0) + varint(0)   # doc 0 title at 0, doc 1 body
    assert postings["救助"] == varint(1) + varint(2 * 2) + varint(0)       # title at 2; doc 1 via keywords
    assert postings["通知"] == varint(2 + 1) + varint(0)                    # doc 1 only, in title at 0
    assert postings["=示民(2025)1号"] == varint(2)
    assert postings["民政"] == varint(0) + varint(0) and postings["救"] == varint(1) + varint(0)
    assert "象。" not in postings and "对象" in postings and "象" not in postings  # no body singles
