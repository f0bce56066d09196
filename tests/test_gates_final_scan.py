"""The last line of defence (issue 17): after a build, before the staged site is swapped in, every
written byte is scanned; a personal number or a 负面清单 word fails the build, names the output
file and where it came from, and leaves the old site in place."""
from __future__ import annotations

import datetime as dt
import re

from conftest import write_item
from sitetools import build_site, mkdocs_build, write_config

from gkml.site.leak_scan import Shells, findings, search_shard_text
from test_gates_attachments import ITEM

MOBILE, MASKED = "13812345678", "138****5678"


def test_a_number_from_mkdocs_yml_fails_the_build_and_keeps_the_old_site(catalogue, tmp_path):
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0, result.stderr
    before = (site / "index.html").read_bytes()
    config = write_config(catalogue, site, tmp_path, extra=f"copyright: 值班手机 {MOBILE}\n")
    result = mkdocs_build(config)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "最终检查发现" in log and re.search(rf"输出文件 \S+\.html 含有手机号码「{re.escape(MASKED)}」", log)
    assert "不在目录的条目中：请查 mkdocs.yml、模板和手册页面" in log
    assert MOBILE not in log
    assert (site / "index.html").read_bytes() == before  # the old site, untouched
    assert not list(tmp_path.glob(".site-build-*"))


def test_a_number_the_gates_cannot_see_is_caught_in_the_page_and_traced_to_its_item(catalogue, tmp_path):
    # an empty Markdown link between the digits: the source has no number, the page shows one
    path = write_item(catalogue, "qczj/2025/00009.md", ITEM, body="\n联系电话：138[](x)12345678\n")
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert f"输出文件 item/11350199MB0300003D/2025-00009.html 含有手机号码「{MASKED}」（来源：items/qczj/2025/00009.md）" in log
    assert not (site / "index.html").exists()
    assert path.exists()


def test_numbers_published_under_an_exemption_pass(catalogue, tmp_path):
    exemption = {"个人信息豁免": {"理由": "公示经本人同意", "审查人": "陈某", "日期": dt.date(2025, 4, 1)}}
    write_item(catalogue, "qczj/2025/00009.md", {**ITEM, **exemption}, body=f"\n联系人手机：{MOBILE}\n")
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0, result.stderr
    assert MOBILE in (site / "item/11350199MB0300003D/2025-00009.html").read_text(encoding="utf-8")


def test_search_postings_are_not_read_as_numbers_but_their_words_are():
    shard = 'gkmlSearchLoad("s",0,"ab12",{"2025":"13601023601","%s":"G"});\n' % MOBILE
    text = search_shard_text(shard)
    assert text.split("\n") == ["2025", MOBILE]
    assert search_shard_text('gkmlSearchLoad("b",3,"",["13601023601"]);') == ""
    assert [k for k, _, _ in findings(text, [], frozenset())] == ["手机号码"]


def test_the_theme_around_each_page_is_scanned_once_per_variant():
    nav = "<nav>" + "<li>单位</li>" * 50 + "</nav>"
    shells = Shells()
    first = [p for p, _ in shells.parts(f"<head>甲</head>{nav}<article>一</article>", "index.html")]
    second = shells.parts(f"<head>乙</head>{nav}<article>二</article>", "item/x/2025-00001.html")
    assert nav in first and nav not in [p for p, _ in second]
    assert ("<article>二", True) in second and ("<head>乙</head>", False) in second  # an item's article: as read


def test_machine_data_is_not_read_as_numbers_but_text_is():
    encoded = "T0406060705030505070504034466050606150506063635169604061505F15061404041404264325030255M5"
    assert findings(f'{{"col":"{encoded}"}}', [], frozenset()) == []
    assert search_shard_text('gkmlSearchLoad("facets",0,"ab",{"col":"%s","docs":"x"});' % encoded) == "col\ndocs"
    assert [k for k, _, _ in findings(f"联系人:{MOBILE}，身份证 11010519491231002X", [], frozenset())] == ["手机号码", "身份证号"]
    assert findings(f"联系人 {MOBILE}", [], frozenset({MOBILE})) == []  # published under an exemption


def test_negative_words_are_found_as_read():
    import re as _re
    hits = findings("<p>内部<b></b>资料</p>", [_re.compile("内部资料")], frozenset())
    assert hits == [("负面清单", "「内部资料」：「内部资料」", "内部资料")]


def test_any_page_whose_markup_joins_text_is_read_as_read():
    shells = Shells()
    (article, markup), *_ = shells.parts("<nav></nav><article><p>电话 138<em></em>12345678</p></article>", "pages/a.html")
    assert markup and [k for k, _, _ in findings(article, [], frozenset(), markup)] == ["手机号码"]
    (article, markup), *_ = shells.parts('<article><li><a href="x">示例</a> 2025-01-01</li></article>', "topics/a.html")
    assert not markup


def test_a_number_the_gates_read_in_context_passes_in_the_search_index(catalogue, tmp_path):
    """「选字第350128201800005-3501282017000011号」: the gates read the tail as part of the permit
    number; the search index lists it as a word of its own, where it looks like a bank card."""
    from gkml.catalogue.validate import load_catalogue
    from gkml.site.leak_scan import Leak, _outside_context

    tail = "3501282017000011"  # Luhn-valid, 16 digits
    suspect = Leak("search/s/0.js", "银行卡号", "3501********0011", tail)
    cat, _ = load_catalogue(catalogue)
    assert _outside_context([suspect], cat) == [suspect]  # in no published text: still a leak
    write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "标题": f"选址意见书公示（选字第350128201800005-{tail}号）"})
    cat, _ = load_catalogue(catalogue)
    assert _outside_context([suspect], cat) == []
    assert _outside_context([Leak("item/x.html", "银行卡号", "x", tail)], cat) != []  # pages keep their context
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0, result.stderr
