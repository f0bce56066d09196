"""Escaping at every template boundary (issue 17): a catalogue whose every text field holds markup
is built for real, and no element or attribute from that markup reaches any page; feeds stay
valid XML; CSV cells that a spreadsheet would run as formulas are neutralised."""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml
from conftest import front_matter
from sitetools import build_site

from gkml.site.export import neutralise_cell

POISON = '"\'><gkml-xss onmouseover="alert(1)">'
SETTINGS_KEYS = {"名称", "平台名称", "地区", "简介", "依据", "理由", "主办单位", "备案号", "网站标识码",
                 "公开工作机构", "办公地址", "办公时间", "互联网联系方式"}
ITEM_KEYS = {"标题", "内容概述", "发布机构", "名称", "不公开理由"}


def poison(data, keys: set[str]):
    if isinstance(data, dict):
        return {k: (v + POISON if isinstance(v, str) and k in keys else poison(v, keys)) for k, v in data.items()}
    if isinstance(data, list):
        return [poison(v, keys) for v in data]
    return data


def rewrite_yaml(path: Path, keys: set[str], extra: dict | None = None) -> None:
    data = poison(yaml.safe_load(path.read_text(encoding="utf-8")), keys)
    path.write_text(yaml.safe_dump({**data, **(extra or {})}, allow_unicode=True, sort_keys=False), encoding="utf-8")


def rewrite_item(path: Path) -> None:
    _, meta, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = poison(yaml.safe_load(meta), ITEM_KEYS)
    data["关键词"] = ["预算" + POISON]
    path.write_text(f"---\n{front_matter(data)}---\n{body}", encoding="utf-8")


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


def test_markup_in_every_text_field_reaches_no_page_as_markup(catalogue, tmp_path):
    rewrite_yaml(catalogue / "site.yml", SETTINGS_KEYS, {"网站": {"主办单位": "示例区办公室" + POISON, "备案号": "示ICP备1号" + POISON}})
    rewrite_yaml(catalogue / "taxonomy.yml", SETTINGS_KEYS)
    for unit in (catalogue / "units").glob("*.yml"):
        rewrite_yaml(unit, SETTINGS_KEYS)
    for item in (catalogue / "items").rglob("*.md"):
        rewrite_item(item)
    site, result = build_site(catalogue, tmp_path, "site", "https://www.example.org/")  # with feeds
    assert result.returncode == 0, result.stderr
    pages = [p for p in site.rglob("*.html")]
    assert len(pages) > 20
    shown = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser = Elements()
        parser.feed(text)
        assert "gkml-xss" not in parser.tags, page
        assert "onmouseover" not in parser.attrs, page
        shown += "&lt;gkml-xss" in text or "&#34;&gt;&lt;gkml-xss" in text
    assert shown > 20  # the values are on the pages, as text
    feeds = [site / "feed.xml", *site.glob("*/feed.xml")]
    assert len(feeds) > 2
    for feed in feeds:
        ET.parse(feed)  # well-formed


def test_csv_cells_that_would_run_as_formulas_are_neutralised():
    for value in ("=HYPERLINK(\"http://x\",\"点此\")", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise_cell(value) == "'" + value
    for value in ("示例", "2025-01-01", "", "11350199MB0300003D/2025-00001"):
        assert neutralise_cell(value) == value


def test_open_data_csv_neutralises_a_formula_title(catalogue, tmp_path):
    path = catalogue / "items/qczj/2025/00001.md"
    path.write_text(path.read_text(encoding="utf-8").replace("标题: 示例区财政局2025年部门预算",
                                                             "标题: '=HYPERLINK(\"http://evil.example\",\"预算\")'"),
                    encoding="utf-8")
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((site / "data/items.csv").read_text(encoding="utf-8-sig"))))
    title = next(r["标题"] for r in rows if r["索引号"] == "11350199MB0300003D/2025-00001")
    assert title == "'=HYPERLINK(\"http://evil.example\",\"预算\")"
    data = json.loads((site / "data/items.json").read_text(encoding="utf-8"))
    assert any(r["标题"].startswith("=HYPERLINK") for r in data["信息"])  # JSON keeps the value as it is
