"""Hostile values give Chinese messages, never tracebacks (issue 17): full-width digits in 机构代码,
Arabic-Indic digits in a 索引号 serial, control characters in a title (the feeds stay valid XML)."""
from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

from conftest import line_of, run_gkml, write_item

from gkml.catalogue.validate import load_catalogue
from gkml.site.export import atom_feed
from test_gates_attachments import ITEM


def test_full_width_digits_in_an_org_code(catalogue):
    unit = catalogue / "units/qczj.yml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("11350199MB0300003D", "１１350199MB0300003D"), encoding="utf-8")
    for command in (["check"], ["audit"]):
        result = run_gkml(*command, catalogue)
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr + result.stdout, result.stderr
    result = run_gkml("check", catalogue)
    assert result.returncode == 1
    assert f"units/qczj.yml:{line_of(unit, '机构代码')}: 错误: 机构代码「１１350199MB0300003D」含有全角或其他非英文字符" in result.stdout


def test_arabic_indic_digits_in_an_index_serial_are_refused(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "索引号": "11350199MB0300003D/2025-٠٠٠٠١"})
    _, report = load_catalogue(catalogue)
    assert any(d.code == "index-format" and d.path.endswith(path.name) for d in report.errors)
    assert not any(d.code == "duplicate-index-no" for d in report.errors)


def test_control_characters_in_a_title_keep_the_feed_valid(catalogue):
    write_item(catalogue, "qczj/2025/00009.md", f'标题: "示例区\\b财政局\\x1f通知"\n' + "\n".join(
        f"{k}: {v}" for k, v in {**ITEM, "保密审查": None}.items() if k != "标题" and v is not None)
        + "\n保密审查:\n  审查人: 陈某\n  日期: 2025-04-01\n")
    cat, report = load_catalogue(catalogue)
    item = cat.by_index_no[ITEM["索引号"]]
    assert item.is_public and "\b" in item.title
    feed = atom_feed(cat, cat.public_items, cat.site.platform, "feed.xml", "")
    titles = [e.text for e in ET.fromstring(feed).iter("{http://www.w3.org/2005/Atom}title")]
    assert "示例区财政局通知" in titles
    assert not re.search("[\x00-\x08]", feed)


def test_an_output_folder_that_cannot_be_written_is_named(catalogue, tmp_path):
    from sitetools import write_config
    config = write_config(catalogue, Path("/sys/gkml-site"), tmp_path)  # sysfs: no one may create folders there
    result = run_gkml("build", "-f", config)
    assert result.returncode == 1
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    assert "无法写入 /sys/.gkml-site-build-" in result.stderr and "没有写入权限" in result.stderr


def test_a_full_disk_is_named():
    from gkml.host.build_cmd import explain
    try:
        with open("/dev/full", "w") as full:  # every write to it fails with «No space left on device»
            full.write("x")
    except OSError as exc:
        message = explain(exc, "mkdocs.yml", "网站没有生成，原有网站保持不变", verbose=False)
    assert message.startswith("无法写入 输出目录：磁盘空间已满") and "请清理磁盘空间后重试" in message
    assert "内部错误" not in message
