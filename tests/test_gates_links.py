"""Links between items (替代, 政策解读) must point at an item that will itself be published
(issue 17): a draft, an unreviewed or a gated item is an error, and the open data never names it."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import line_of, write_item

from gkml.catalogue.validate import load_catalogue
from gkml.site.export import export_rows
from test_gates_attachments import ITEM

TARGET = "11350199MB0300003D/2025-00010"
TARGET_ITEM = {**ITEM, "索引号": TARGET, "标题": "示例区财政局专项资金管理办法"}


@pytest.mark.parametrize("change, reason", [
    ({"草稿": True}, "是草稿"),
    ({"保密审查": None}, "没有保密审查记录"),
    ({"内容概述": "联系人 13812345678"}, "含有个人信息或负面清单内容"),
])
@pytest.mark.parametrize("field, extra", [
    ("替代", {"有效性": "废止", "废止日期": dt.date(2025, 6, 1)}),
    ("政策解读", {"栏目": "bmyjs"}),
])
def test_links_to_items_that_will_not_be_published_are_errors(catalogue, change, reason, field, extra):
    target = {k: v for k, v in {**TARGET_ITEM, **change}.items() if v is not None}
    write_item(catalogue, "qczj/2025/00010.md", target)
    path = write_item(catalogue, "qczj/2025/00009.md", {**ITEM, **extra, field: TARGET})
    cat, report = load_catalogue(catalogue)
    (d,) = [d for d in report.errors if d.code == "link-not-published"]
    assert d.path.endswith("00009.md") and d.field == field and d.line == line_of(path, f"{field}:")
    assert reason in d.message and "不会发布" in d.message


def test_a_link_to_a_published_item_is_fine_and_exported(catalogue):
    write_item(catalogue, "qczj/2025/00010.md", TARGET_ITEM)
    write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "有效性": "废止", "废止日期": dt.date(2025, 6, 1), "替代": TARGET})
    cat, report = load_catalogue(catalogue)
    assert not [d for d in report.errors if d.code.startswith("link")]
    row = next(r for r in export_rows(cat) if r["索引号"] == ITEM["索引号"])
    assert row["替代"] == TARGET


def test_the_export_never_names_an_unpublished_target(catalogue):
    write_item(catalogue, "qczj/2025/00010.md", {**TARGET_ITEM, "草稿": True})
    write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "有效性": "废止", "废止日期": dt.date(2025, 6, 1), "替代": TARGET})
    cat, _ = load_catalogue(catalogue)  # an error, but a caller building anyway must not leak the 索引号
    row = next(r for r in export_rows(cat) if r["索引号"] == ITEM["索引号"])
    assert row["替代"] == ""
