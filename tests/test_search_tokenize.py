"""Search: folding (简/繁, full-width, brackets) and tokenising (pairs, words, 文号, 索引号)."""
from __future__ import annotations

from pathlib import Path

import pytest

import conftest  # noqa: F401  (puts plugins/ on sys.path)
from gkml.search.encode import ALPHABET, decode_varints, fixed, fnv1a, is_pair_key, varint
from gkml.search.fold import fold, id_key, t2s_pairs, t2s_table
from gkml.search.tokenize import add_text_terms, looks_like_id, pairs, query_terms, segments, title_positions

REALDATA = Path("/work/shared/realdata/pingtan")
if not REALDATA.is_dir():
    REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "pingtan"


def terms_of(text: str, singles: bool = False) -> set[str]:
    out: set[str] = set()
    add_text_terms(out, fold(text), singles)
    return out


def reference_terms(folded: str, singles: bool) -> set[str]:
    """The slow, obviously-correct form of add_text_terms: segments, then units and pairs."""
    out: set[str] = set()
    for seg in segments(folded):
        out.update(u for u in seg if singles or u.isascii())
        out.update(key for _, key in pairs(seg))
    return out


# ---- folding ----------------------------------------------------------------------------------

@pytest.mark.parametrize("traditional, simplified", [
    ("臨時救助辦法", "临时救助办法"),
    ("醫療保障局關於規範性文件的通知", "医疗保障局关于规范性文件的通知"),
    ("財政預算", "财政预算"),
    ("發展和改革委員會", "发展和改革委员会"),
    ("臺灣", "台湾"),
])
def test_traditional_folds_to_simplified(traditional, simplified):
    assert fold(traditional) == fold(simplified) == simplified


def test_simplified_text_is_unchanged():
    text = "示例区人民政府关于印发《示例区城乡居民临时救助办法》的通知"
    assert fold(text) == text


def test_full_width_ascii_and_ideographic_space_fold_to_half_width_lower_case():
    assert fold("ＡＢＣ１２３　ｘｙｚ（）") == "abc123 xyz()"
    assert fold("COVID-19") == "covid-19"


def test_fold_is_per_character_so_lengths_match():
    text = "關於ＡＢＣ〔２０２５〕號"
    assert len(fold(text)) == len(text)


def test_t2s_table_comes_from_opencc_and_is_single_characters():
    table = t2s_table()
    assert len(table) > 2500
    assert table["國"] == "国" and table["號"] == "号"
    assert all(len(k) == len(v) == 1 and k != v for k, v in table.items())


def test_shipped_t2s_pairs_keep_only_targets_that_occur():
    shipped = t2s_pairs({"国", "号"})
    assert "國国" in shipped and "號号" in shipped
    assert "發" not in shipped
    assert len(shipped) % 2 == 0


# ---- 文号 and 索引号 ----------------------------------------------------------------------------

@pytest.mark.parametrize("variant", [
    "示政办〔2025〕3号", "示政办[2025]3号", "示政办【2025】3号", "示政办(2025)3号", "示政办（2025）3号",
    "示政办［２０２５］３号", "示政辦〔2025〕3號", "示政办 〔2025〕 3号", "示政办﹝2025﹞3号",
])
def test_doc_number_variants_share_one_key(variant):
    assert id_key(variant) == "示政办(2025)3号"
    assert looks_like_id(variant)


def test_index_number_key_is_case_and_width_insensitive():
    assert id_key("11350199MB01000012/2025-00002") == id_key("１１３５０１９９mb01000012／2025－00002")
    assert looks_like_id("11350199MB01000012/2025-00002")


@pytest.mark.parametrize("query", ["临时救助", "2025", "财政 预算", "号"])
def test_ordinary_queries_are_not_identifiers(query):
    assert not looks_like_id(query)


def test_doc_number_is_also_searchable_in_parts():
    terms = terms_of("示政规〔2025〕3号", singles=True)
    assert {"示政", "政规", "2025", "3", "3号", "号"} <= terms


# ---- tokenising -------------------------------------------------------------------------------

def test_cjk_becomes_overlapping_pairs():
    assert terms_of("临时救助") == {"临时", "时救", "救助"}


def test_single_characters_only_from_short_fields():
    assert "税" not in terms_of("税务登记")
    assert {"税", "务"} <= terms_of("税务登记", singles=True)


def test_words_and_mixed_pairs():
    assert terms_of("2025年部门预算") == {"2025", "2025年", "年部", "部门", "门预", "预算"}
    assert terms_of("GDP增长") == {"gdp", "gdp增", "增长"}


def test_spaces_do_not_cut_chinese_but_separate_words():
    assert terms_of("每亩 100 元") == {"每亩", "亩100", "100", "100元"}
    assert terms_of("covid 19") == {"covid", "19"}  # no word-word pair


def test_punctuation_cuts_pairs():
    terms = terms_of("关于印发《临时救助办法》的通知")
    assert "发临" not in terms and "法的" not in terms
    assert {"印发", "临时", "办法", "的通"} <= terms


def test_fast_tokeniser_agrees_with_reference_on_real_text():
    texts = [p.read_text(encoding="utf-8") for p in sorted((REALDATA / "pages").glob("*.txt"))]
    texts.append((REALDATA / "index-sample.tsv").read_text(encoding="utf-8"))
    texts.append("covid 19 区 a 区 b c  ab区cd ２０２５年 _x_y 〇二 ٣٤ é a\u3000区\ufeffb\x1cc x \n y")
    assert len(texts) >= 16
    for text in texts:
        folded = fold(text)
        for singles in (False, True):
            fast: set[str] = set()
            add_text_terms(fast, folded, singles)
            assert fast == reference_terms(folded, singles)


def test_title_positions_count_units_across_punctuation():
    positions = title_positions(fold("关于《临时救助》的通知2025年"))
    assert positions["关于"] == [0]
    assert positions["临时"] == [2] and positions["时救"] == [3] and positions["救助"] == [4]
    assert positions["通知"] == [7] and positions["2025年"] == [9]
    assert positions["2025"] == [] and positions["救"] == []  # single units: present, no positions


def test_repeated_pair_keeps_every_position():
    assert title_positions(fold("救助救助"))["救助"] == [0, 2]


def test_query_terms_split_on_space_and_punctuation():
    assert query_terms("臨時救助 2025年") == [["临时", "时救", "救助"], ["2025年"]]
    assert query_terms("《示例区》") == [["示例", "例区"]]
    assert query_terms("税") == [["税"]]
    assert query_terms("临时救助 臨時救助") == [["临时", "时救", "救助"]]
    assert query_terms("，。！") == []


# ---- encoding ---------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [0, 1, 31, 32, 33, 1023, 1024, 99_999, 2 ** 31])
def test_varint_round_trip(n):
    assert decode_varints(varint(n)) == [n]
    assert all(c in ALPHABET for c in varint(n))


def test_fixed_width_and_overflow():
    assert fixed(0, 2) == "00" and fixed(64 * 64 - 1, 2) == "__"
    with pytest.raises(ValueError):
        fixed(64 * 64, 2)


def test_fnv1a_known_values():
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C  # the published FNV-1a test vector


def test_pair_keys():
    assert is_pair_key("救助") and is_pair_key("2025年") and is_pair_key("a区")
    assert not is_pair_key("税") and not is_pair_key("2025") and not is_pair_key("=示政(2025)3号")


def test_bit_writer_packs_most_significant_bit_first():
    from gkml.search.encode import BitWriter, bits_for
    w = BitWriter()
    for value, width in [(5, 3), (0, 0), (1023, 10), (1, 1), (7, 3)]:
        w.write(value, width)
    bits = "".join(format(ALPHABET.index(c), "06b") for c in w.text())
    assert bits == "101" + "1111111111" + "1" + "111" + "0"
    assert [bits_for(n) for n in (0, 1, 2, 3, 4, 5, 64, 65)] == [0, 0, 1, 2, 2, 3, 6, 7]
    with pytest.raises(ValueError):
        w.write(8, 3)


def test_bitmap_marks_exactly_the_documents():
    from gkml.search.encode import bitmap
    docs = [0, 5, 6, 13, 99]
    text = bitmap(docs, 100)
    assert len(text) == 17
    found = [6 * n + k for n, ch in enumerate(text) for k in range(6) if ALPHABET.index(ch) & (32 >> k)]
    assert found == docs


def test_index_text_reads_markdown_like_plain_text():
    from gkml.search.text import index_text, plain_text
    md = "## 标题\n示例区人民政府**2025年**工作[链接](http://x.y/z.html)<b>粗</b>![图](a.png)\n| 金额 | 单位 |\n- 第一"
    assert terms_of(index_text(md, 3000)) == terms_of(plain_text(md))
    assert "府2025" in terms_of(index_text(md, 3000)) and "作链" in terms_of(index_text(md, 3000))
    assert "http" not in terms_of(index_text(md, 3000))


def test_text_the_page_hides_is_not_searchable():
    from gkml.search.text import index_text, plain_text
    body = "<script>alert('HIDDEN-1')</script>\n\n可见正文<!-- HIDDEN-2 -->\n<style>p{}</style><iframe src=x>HIDDEN-3</iframe>"
    for text in (plain_text(body), index_text(body, 1000)):
        assert "可见正文" in text and "HIDDEN" not in text
