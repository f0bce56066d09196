"""Fuzzing: no file content, however broken, may raise out of the loader or the validator.

Seeded, so a failure is reproducible; set GKML_FUZZ_SEED and GKML_FUZZ_CASES for a longer run.
Each case must end either in a parsed document or in at least one diagnostic naming the file,
with a Chinese message.
"""
from __future__ import annotations

import copy
import datetime as dt
import os
import random
import re
from pathlib import Path

import pytest
import yaml

from conftest import front_matter
from gkml.diagnostics import Report
from gkml.catalogue.load import read_item, read_mapping
from gkml.catalogue.validate import load_catalogue
from test_check_rules import base

SEED = int(os.environ.get("GKML_FUZZ_SEED", "20261124"))
CASES = int(os.environ.get("GKML_FUZZ_CASES", "200"))
CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters that mean something to YAML, to our parser, or to decoders.
SPICE = list(":-[]{}&*!|>'\"#%@`,?\\\t\n\r ") + ["\x00", "\x07", "\x85", "\u2028", "\ufeff", "---\n", "...\n",
                                                 "&a ", "*a", "<<: ", "!!binary ", "!x ", "\t- ", "标题: ", "年", "〔"]
VALID = f"---\n{front_matter(base())}---\n\n正文。\n"


def mutate(rng: random.Random, text: str) -> bytes:
    chars = list(text)
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(len(chars) + 1)
        action = rng.random()
        if action < 0.4:
            chars.insert(pos, rng.choice(SPICE))
        elif action < 0.7 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif chars:
            chars[min(pos, len(chars) - 1)] = rng.choice(SPICE)
    data = "".join(chars).encode("utf-8", "surrogatepass")
    if rng.random() < 0.15:  # a stray byte that is not UTF-8
        at = rng.randrange(len(data) + 1)
        data = data[:at] + bytes([rng.randrange(0x80, 0x100)]) + data[at:]
    return data


def random_yaml(rng: random.Random, depth: int = 0) -> str:
    """A random, often invalid, YAML-ish mapping."""
    lines = []
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(["标题", "索引号", "附件", "保密审查", "生成日期", "x", "1", "true", "~", "'引号'", "<<", "? a"])
        value = rng.choice(["", "值", "2025-02-30", "2025-01-01 08:00:00", "[a, b", "{a: 1}", "*a", "&a v", "!!set {a}",
                            "|", ">-\n  折叠", "\"\\u12\"", "1e999", ".nan", "0o17", "- x", "null", "yes", "9" * 50])
        lines.append("  " * rng.randint(0, depth) + f"{key}: {value}")
        if depth < 3 and rng.random() < 0.3:
            lines.append(random_yaml(rng, depth + 1))
    return "\n".join(lines)


def cases(kind: str):
    rng = random.Random(f"{SEED}-{kind}")
    for n in range(CASES):
        r = rng.random()
        if r < 0.15:
            yield bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
        elif r < 0.55:
            yield mutate(rng, VALID)
        else:
            yield ("---\n" + random_yaml(rng) + "\n---\n正文\n").encode("utf-8", "surrogatepass") if kind == "item" \
                else random_yaml(rng).encode("utf-8", "surrogatepass")


def assert_sane(report: Report, path: Path) -> None:
    for d in report.items:
        assert d.path.endswith(path.name) or "items" in d.path, d
        assert d.level in ("error", "warning") and CJK.search(d.message), d
        assert d.line is None or d.line >= 1, d


def test_fuzz_read_item(tmp_path):
    root = tmp_path / "catalogue"
    path = root / "items/qczj/2025/00009.md"
    path.parent.mkdir(parents=True)
    for data in cases("item"):
        path.write_bytes(data)
        report = Report(base=tmp_path)
        doc = read_item(path, root, report)
        assert doc is not None or report.errors, data
        assert_sane(report, path)


def test_fuzz_read_mapping(tmp_path):
    path = tmp_path / "catalogue/units/x.yml"
    path.parent.mkdir(parents=True)
    for data in cases("mapping"):
        path.write_bytes(data)
        report = Report(base=tmp_path)
        doc = read_mapping(path, tmp_path / "catalogue", report)
        assert doc is not None or report.errors, data
        assert_sane(report, path)


@pytest.mark.parametrize("target", ["items/qczj/2025/00009.md", "units/dhz.yml", "site.yml", "taxonomy.yml"])
def test_fuzz_whole_catalogue(catalogue, target):
    """Fuzzed content in each kind of file goes through every stage of validation without raising."""
    path = catalogue / target
    original = path.read_text(encoding="utf-8") if path.exists() else VALID
    rng = random.Random(f"{SEED}-{target}")
    for _ in range(max(CASES // 8, 20)):
        path.write_bytes(mutate(rng, original) if rng.random() < 0.8 else random_yaml(rng).encode())
        cat, report = load_catalogue(catalogue, today=dt.date(2026, 1, 15))
        for d in report.items:
            assert d.level in ("error", "warning") and CJK.search(d.message), d
        if cat is not None:
            assert all(item.index_no for item in cat.items)


# Values of every type in every field: typed reading (Fields) and the cross-file rules must cope.
ODD_VALUES = [None, "", " ", 0, -1, 1.5, float("nan"), float("inf"), True, [], {}, [1, [2]], {"a": {"b": 1}}, [None],
              dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.datetime(2025, 1, 1, 8), "x" * 5000, "\u2028", "../x",
              "/etc/passwd", "a" * 300 + ".pdf", "11350199MB0300003D/2025-00001", "令第0号", "其他/其他", "2025-02-30",
              [{"文件": None}], [{"文件": "a\0.pdf"}], [{"文件": "x" * 5000 + ".pdf"}], {"审查人": [], "日期": "x"},
              "qzf", "gz", "每年2月30日前", "(?P<", ["(?P<"], {"日期段": [], "序号位数": float("nan")},
              [{"栏目": None, "理由": []}], [{"代码": "zcjd", "名称": "x", "子栏目": [{"代码": "zcjd"}]}]]


def _poke(rng: random.Random, data, depth: int = 0) -> None:
    """Replace one value somewhere inside `data` by an odd one."""
    if isinstance(data, dict) and data:
        key = rng.choice(list(data) + ["新键"])
        if key not in data or depth > 3 or rng.random() < 0.5:
            data[key] = copy.deepcopy(rng.choice(ODD_VALUES))
        else:
            _poke(rng, data[key], depth + 1)
    elif isinstance(data, list) and data:
        i = rng.randrange(len(data))
        if depth > 3 or rng.random() < 0.3:
            data[i] = copy.deepcopy(rng.choice(ODD_VALUES))
        else:
            _poke(rng, data[i], depth + 1)


@pytest.mark.parametrize("target", ["items/qczj/2025/00001.md", "units/qczj.yml", "site.yml", "taxonomy.yml"])
def test_fuzz_odd_values(catalogue, target):
    path = catalogue / target
    text = path.read_text(encoding="utf-8")
    item = target.endswith(".md")
    head, body = (text.split("\n---\n", 1)[0][4:], text.split("\n---\n", 1)[1]) if item else (text, "")
    original = yaml.safe_load(head)
    rng = random.Random(f"{SEED}-odd-{target}")
    for _ in range(max(CASES // 4, 50)):
        data = copy.deepcopy(original)
        for _ in range(rng.randint(1, 4)):
            _poke(rng, data)
        dumped = front_matter(data)
        path.write_text(f"---\n{dumped}---\n{body}" if item else dumped, encoding="utf-8", errors="surrogatepass")
        cat, report = load_catalogue(catalogue, today=dt.date(2026, 1, 15))
        for d in report.items:
            assert d.level in ("error", "warning") and CJK.search(d.message), d
