"""The gates ask once, for all of an item's texts (or an attachment's pieces) joined, whether any could
hold a finding (privacy.nothing_to_find, issue 18), and scan each text on its own only then. That
shortcut must never hide a finding: checked here against scanning every text, on random texts made of
the spellings that hide numbers and words, on the example catalogue and on real texts (平潭)."""
from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

from hypothesis import given, settings, strategies as st
from conftest import MINI, write_item

from gkml.catalogue import gates
from gkml.catalogue.privacy import negative_hits, nothing_to_find, scan_as_read
from gkml.catalogue.validate import load_catalogue
from test_gates_attachments import ITEM

REPO = Path(__file__).resolve().parent.parent
PINGTAN = Path("/work/shared/realdata/pingtan/pages")
ID, MOBILE, CARD = "11010519491231002X", "13912345678", "6222021001123456789"
PATTERNS = [re.compile(p) for p in ("内部资料", r"示密〔\d{4}〕\d+号", "^机密", "绝密$", r"\bsecret\b", r"(?<=甲)乙",
                                    r"丙\n丁", "[^号]草稿")]
PIECES = ["内部", "资料", "示密〔2024〕3号", "机密", "绝密", "secret", "甲", "乙", "丙", "丁", "草稿", "号", "\n", " ", "-",
          "0", "1", "5678", "1391234", MOBILE, ID, CARD, "１", "٣", "&#49;", "&amp;", "<span>", "</span>", "<b\n>", "**", "_",
          "\u200b", "\u00ad", "<", ">", "&", "a", "+86", "\\"]


@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), max_size=6),
       st.sets(st.sampled_from(range(len(PATTERNS)))), st.booleans())
@settings(max_examples=2000, deadline=None)
def test_never_says_nothing_when_a_text_holds_something(texts, chosen, personal):
    patterns = [PATTERNS[i] for i in sorted(chosen)]
    if nothing_to_find(texts, patterns, personal):
        for text in texts:
            assert negative_hits(patterns, text) == []
            assert not personal or scan_as_read(text) == []


def test_says_nothing_only_for_plain_texts():
    plain = ["示例区财政局资金拨付材料", "2025-04-01", "示财〔2025〕3号", "金额 41775.44 万元\n第二行"]
    assert nothing_to_find(plain, PATTERNS[:2])
    assert not nothing_to_find(plain + [f"电话{MOBILE}"], PATTERNS[:2])
    assert nothing_to_find(plain + [f"电话{MOBILE}"], PATTERNS[:2], personal=False)  # an exemption
    assert not nothing_to_find(plain + ["内部资料"], PATTERNS[:2], personal=False)
    assert not nothing_to_find(plain, PATTERNS)  # a pattern that may look around a match: each text alone
    for hidden in ("**", "&#49;", "<span>", "１", "\u200b"):  # as a reader reads it may differ
        assert not nothing_to_find(plain + [f"编号{hidden}"], PATTERNS[:2])
    assert nothing_to_find([MOBILE[:6], MOBILE[6:]], [])  # a newline splits a number, as separate texts do


def _gated_both_ways(root: Path, monkeypatch) -> tuple[list, list, int]:
    """(diagnostics and blocked items with the shortcut, the same scanning every text, shortcuts taken)."""
    taken = []

    def counting(*args, **kwargs):
        taken.append(answer := nothing_to_find(*args, **kwargs))
        return answer

    def outcome():
        cat, report = load_catalogue(root)
        return ([dataclasses.astuple(d) for d in report.sorted()],
                sorted(i.rel for i in cat.items if i.blocked))

    monkeypatch.setattr(gates, "nothing_to_find", counting)
    fast = outcome()
    monkeypatch.setattr(gates, "nothing_to_find", lambda *args, **kwargs: False)
    return fast, outcome(), sum(taken)


def test_example_catalogue_gives_the_same_findings(tmp_path, monkeypatch):
    root = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", root)
    fast, slow, taken = _gated_both_ways(root, monkeypatch)
    assert fast == slow
    assert taken > 100  # the shortcut was taken, and agreed


def _pingtan_pages() -> list[tuple[str, str, str]]:
    """(标题, 文号, 正文) of each real page."""
    pages = []
    for page in sorted(PINGTAN.glob("*.txt")):
        head, _, body = page.read_text(encoding="utf-8").partition("==== 正文 ====")
        fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        pages.append((fields["标题"].strip(), fields.get("文号", "").strip(), body.strip("= \n")))
    return pages


def test_real_texts_give_the_same_findings(tmp_path, monkeypatch):
    """Each 平潭 page as an item, as it is and with a number or a word hidden in one of its texts."""
    root = tmp_path / "catalogue"
    shutil.copytree(MINI, root)
    pages = _pingtan_pages()
    assert len(pages) == 15
    variants = [{}, {"标题": lambda t: f"{t}，{ID}"}, {"正文": lambda t: t[:50] + f"，电话**{MOBILE[:4]}**{MOBILE[4:]}，" + t[50:]},
                {"关键词": lambda t: ["财政", "内部资料"]}, {"内容概述": lambda t: "账号" + CARD.translate(
                    str.maketrans("0123456789", "０１２３４５６７８９"))}, {"个人信息豁免": lambda t: None}]
    serial = 0
    for title, doc_no, body in pages:
        for variant in variants:
            serial += 1
            fields = {**ITEM, "索引号": f"11350199MB0300003D/2025-{serial:05d}", "标题": title, "内容概述": title[:60]}
            if doc_no and doc_no != "无":
                fields["文号"] = doc_no
            text = body
            for name, change in variant.items():
                if name == "正文":
                    text = change(body)
                elif name == "个人信息豁免":
                    fields[name] = {"理由": "公示须列明", "审查人": "陈某", "日期": ITEM["生成日期"]}
                    text = f"{body}\n\n联系电话 {MOBILE}"
                else:
                    fields[name] = change(fields.get(name, ""))
            write_item(root, f"qczj/2025/{serial:05d}.md", fields, text + "\n")
    fast, slow, taken = _gated_both_ways(root, monkeypatch)
    assert fast == slow
    codes = {d[3] for d in fast[0]}
    assert {"personal-data", "negative-list"} <= codes
    assert len(fast[1]) >= 4 * len(pages)  # every hidden number or word stopped its item
    assert taken >= len(pages)
