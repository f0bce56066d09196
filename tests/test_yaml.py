"""yamldoc.parse_mapping and fields.Fields: values, line numbers, and what is refused."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from gkml.diagnostics import Report
from gkml.catalogue.fields import Fields
from gkml.catalogue.load import field_at
from gkml.catalogue.yamldoc import YamlProblem, parse_mapping


def problem(text: str, first_line: int = 1) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        parse_mapping(text, first_line)
    return info.value


def test_values_and_lines():
    doc = parse_mapping("标题: 示例\n日期: 2025-03-08\n列表:\n  - 甲\n  - {文件: a.pdf}\n审查:\n  人: 李某\n", first_line=2)
    assert doc.data == {"标题": "示例", "日期": dt.date(2025, 3, 8), "列表": ["甲", {"文件": "a.pdf"}],
                        "审查": {"人": "李某"}}
    assert (doc.line("标题"), doc.line("列表", 1), doc.line("列表", 1, "文件"), doc.line("审查", "人")) == (2, 6, 6, 8)
    assert doc.line("没有") is None and doc.line("审查", "没有") == 7


def test_keys_are_text_as_written():
    doc = parse_mapping("1: a\ntrue: b\nnull: c\n2025: d\n")
    assert doc.data == {"1": "a", "true": "b", "null": "c", "2025": "d"}


def test_plain_numbers_keep_their_source_text():
    doc = parse_mapping("a: 1.50\nb: 012345620\nc: yes\nd: '1.50'\n")
    assert doc.data == {"a": 1.5, "b": 0o12345620, "c": True, "d": "1.50"}
    assert doc.source == {"a": "1.50", "b": "012345620", "c": "yes"}


def test_impossible_date_stays_text():
    assert parse_mapping("a: 2025-02-30\n").data == {"a": "2025-02-30"}


@pytest.mark.parametrize("text, code, line, field, message", [
    ("a: 1\nb: 2\na: 3\n", "yaml-duplicate-key", 3, "a", "键「a」重复出现（第 1 行已有）"),
    ("a:\n  b: 1\n  b: 2\n", "yaml-duplicate-key", 3, "a.b", "键「b」重复出现（第 2 行已有）"),
    ("a: &x 1\nb: *x\n", "yaml-alias", 2, "b", "锚点和别名"),
    ("a: &x {k: 1}\nb:\n  <<: *x\n", "yaml-alias", 3, "b.<<", "合并键"),
    ("a: [1, 2]\nb: !!set {x}\n", "yaml-tag", 2, "b", "「!!set」"),
    ("a: !include other.yml\n", "yaml-tag", 1, "a", "「!include」"),
    ("a: !!int 十\n", "yaml-value", 1, "a", "无法识别的值「十」"),
    ("? [a, b]\n: 1\n", "yaml-key", 1, None, "键必须是文字"),
    ("- a\n- b\n", "yaml-not-mapping", 1, None, "顶层应为「键: 值」的列表"),
    ("标题：示例\n", "yaml-syntax", 1, None, "用了中文冒号「：」"),
    ("# 只有注释\n", "yaml-empty", 1, None, "YAML 内容为空"),
    ("a: " + "[" * 25 + "]" * 25 + "\n", "yaml-depth", 1, "a", "嵌套层次过深"),
])
def test_refused_with_line_and_field(text, code, line, field, message):
    p = problem(text)
    assert (p.code, p.line, p.field) == (code, line, field) and message in p.message


def test_line_numbers_shift_with_first_line():
    assert problem("a: 1\na: 2\n", first_line=2).line == 3
    assert problem("a: 1\nb: [\n", first_line=2).line == 3


@pytest.mark.parametrize("text, line, message", [
    ("a: 1\nb:\n\tc: 2\n", 3, "Tab"),
    ("a: b: c\n", 1, "此处不能出现冒号"),
    ("a: \"x\n", 1, "引号或括号没有闭合"),
    ("a: [x, y\nb: 1\n", 1, "方括号 [ ] 没有闭合"),
    ("a: {x: 1\n", 1, "花括号 { } 没有闭合"),
    ("a: 1\n---\nb: 2\n", 2, "只能有一段元数据"),
    ("a: \"\\q\"\n", 1, "反斜杠"),
    ("a: 1\nb: x\x07y\n", 2, "控制字符"),
    ("a: *nothing\n", 1, "锚点和别名"),
    ("%YAML 9.9\n---\na: 1\n", 1, "YAML 语法错误"),
    ("索引号: x\n标题：示例\n发布机构: y\n", 2, "用了中文冒号「：」"),
    ("索引号：x\n标题: y\n", 1, "用了中文冒号「：」"),
    ("索引号: x\n标题:示例\n", 2, "冒号后面缺少空格"),
])
def test_syntax_errors_in_chinese(text, line, message):
    p = problem(text)
    assert p.code == "yaml-syntax" and p.line == line and message in p.message


def test_deep_nesting_is_refused_before_libyaml_recurses():
    # ~30,000 levels crashed the whole process with SIGSEGV inside libyaml's composer.
    p = problem("a: " + "[" * 200_000 + "]" * 200_000 + "\n")
    assert (p.code, p.line) == ("yaml-depth", 1)


def test_alias_bomb_is_refused_without_expanding():
    lines = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    p = problem("\n".join(lines))
    assert (p.code, p.line, p.field) == ("yaml-alias", 2, "a1")


@pytest.mark.parametrize("line, field", [(1, None), (2, "标题"), (3, "保密审查"), (4, "保密审查"), (5, None), (6, "正文"),
                                         (7, "正文")])
def test_field_at(line, field):
    assert field_at("---\n标题: 甲\n保密审查:\n  审查人: 乙\n---\n\n正文\n", line) == field


def test_field_at_names_the_key_of_a_colon_slip():
    assert field_at("索引号: x\n标题：示例\n", 2) == "标题" and field_at("标题:示例\n", 1) == "标题"
    assert field_at("网址: http://a.b\n", 1) == "网址"


def test_field_at_without_front_matter():
    assert field_at("名称: 甲\n指南:\n  电话: 1\n不是键\n", 3) == "指南"
    assert field_at("名称: 甲\n指南:\n  电话: 1\n不是键\n", 4) is None
    assert field_at("名称: 甲\n", None) is None


# -- Fields ---------------------------------------------------------------------------------------

def fields(text: str) -> tuple[Fields, Report]:
    report = Report()
    return Fields(parse_mapping(text), Path("x.yml"), report), report


def test_text_field_takes_typed_numbers_as_written():
    f, report = fields("标题: 2025\n概述: 1.50\n开关: off\n")
    assert (f.text("标题"), f.text("概述"), f.text("开关")) == ("2025", "1.50", "off") and not report.items


def test_integer_and_number_refuse_nan_and_infinity():
    f, report = fields("a: .nan\nb: .inf\nc: 3\n")
    assert f.integer("a", 5) == 5 and f.integer("b", 5) == 5 and f.integer("c", 5) == 3
    assert f.number("a", 1.0) == 1.0 and f.number("b", 1.0) == 1.0
    assert [d.code for d in report.items] == ["type"] * 4


def test_unknown_keys_prefers_known_synonyms():
    f, report = fields("发文字号: 示财〔2025〕3号\n标提: x\n")
    f.unknown_keys({"文号", "标题"}, {"发文字号": "文号"})
    messages = [d.message for d in report.items]
    assert messages == ["未知字段「发文字号」，将被忽略；是否应为「文号」？", "未知字段「标提」，将被忽略；是否应为「标题」？"]


def test_dates():
    f, report = fields("a: 2025-03-08\nb: 2025/3/8\nc: 2025-03-08 10:00\nd: 明天\ne: 2099-01-01\n")
    today = dt.date(2026, 1, 1)
    assert [f.date(k, today=today) for k in "abcde"] == [dt.date(2025, 3, 8)] * 3 + [None, dt.date(2099, 1, 1)]
    assert [(d.field, d.code) for d in report.items] == [("b", "date-format"), ("c", "date-time"), ("d", "date-format"),
                                                         ("e", "date-future")]


def test_same_values_as_pyyaml_on_real_files():
    """The resolver shortcut and our own tree walk give exactly what yaml.safe_load gives."""
    import yaml

    from conftest import MINI, REPO
    files = [p for folder in (MINI, REPO / "catalogue") for p in sorted(folder.rglob("*.yml")) + sorted(
        (folder / "items").rglob("*.md"))]
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        head = text.split("\n---\n")[0][4:] if path.suffix == ".md" else text
        assert parse_mapping(head).data == yaml.safe_load(head), path
    assert len(files) > 20


# ---- the plain front matter read without libyaml (issue 18) must read exactly as libyaml does ----

SUBSET_CASES = [
    "标题: 示例\n日期: 2025-03-08\n",
    "索引号: 11350199MB01000012/2025-00001\n文号: 示政〔2025〕1号\n",
    "关键词: [政务公开, 工作制度]\n空: []\n",
    "保密审查:\n  审查人: 林某\n  日期: 2025-02-30\n栏目: gfxwj\n",
    "列表:\n- 甲\n- 乙\n下一个: 丙\n",
    "列表:\n  - 甲\n  - 2025-01-02\n",
    "没有值:\n下一个: 值\n",
    "标题: 示例  \n# 注释\n\n内容概述: 一、二,三[四]\n",
    "标题: 全角　空格　\n",
    "日期: 2025-3-8\n",  # no timestamp: YAML's date has two-digit months and days
    "真: true\n草稿: False\n开: on\n列表: [yes, 甲]\n审查:\n  过: NO\n",  # booleans, recorded as typed
    "附件:\n  - 文件: a.pdf\n    名称: 甲\n  - 文件: 00012/b.xlsx\n    名称: 2025年\n",
    "附件:\n- 文件: a.pdf\n  名称: 甲\n- 乙.pdf\n-   文件:\n    # 注释\n\n    名称: 丙\n标题: 后\n",
]
NOT_SUBSET_CASES = [
    "标题: 示例 # 注释\n", "标题: '引号'\n", "数: 12\n", "数: 1.5\n", "空: ~\n", "空: null\n",
    "时间: 2025-03-08 10:00:00\n", "标题: 一行\n  续行\n", "标题: a: b\n", "标题: 示例\n标题: 重复\n",
    "列表: [甲, [乙]]\n", "列表: [甲, '乙']\n", "列表: [甲,]\n", "别名: &a 甲\n", "标签: !!str 甲\n",
    "标题:\t示例\n", "标题: 示例\x85\n", "标题: 示例\u2028续\n", "<<: 甲\n", "标题: >\n  折叠\n",
    "附件:\n  - 文件: a.pdf\n     名称: 甲\n", "附件:\n  - 文件: a.pdf\n   名称: 甲\n", "附件:\n  - 甲\n    续行\n",
    "附件:\n  - 文件:\n      深: 甲\n", "附件:\n  - 文件: a\n    文件: b\n", "附件:\n  - 文件: a\n    - b\n",
    "附件:\n  - - 甲\n", "附件:\n  - 文件: a: b\n", "附件:\n  - 文件:a\n    名称: b\n",
    "审查:\n  人: 甲\n   多: 乙\n", "- 甲\n", "标题:示例\n", "标题：示例\n",
    "审查:\n  人:\n    深: 甲\n", "数: 0x1F\n", "数: 1_000\n",
]


def _by_libyaml(text: str, first_line: int = 1):
    from gkml.catalogue import yamldoc
    real, yamldoc._simple_mapping = yamldoc._simple_mapping, lambda text, first_line: None
    try:
        return parse_mapping(text, first_line)
    except YamlProblem as exc:
        return (exc.line, exc.message, exc.code)
    finally:
        yamldoc._simple_mapping = real


def _same(a, b) -> bool:
    return not isinstance(b, tuple) and (a.data, a.lines, a.source) == (b.data, b.lines, b.source)


@pytest.mark.parametrize("text", SUBSET_CASES)
def test_plain_front_matter_reads_as_libyaml_reads_it(text):
    from gkml.catalogue.yamldoc import _simple_mapping
    fast = _simple_mapping(text, 2)
    assert fast is not None and _same(fast, _by_libyaml(text, 2))


@pytest.mark.parametrize("text", NOT_SUBSET_CASES)
def test_anything_else_goes_to_libyaml(text):
    from gkml.catalogue.yamldoc import _simple_mapping
    assert _simple_mapping(text, 2) is None


def test_every_front_matter_of_the_examples_reads_the_same_either_way():
    """The example catalogue, the test fixtures and the real 平潭 sample: most go the short way."""
    from gkml.catalogue.yamldoc import _simple_mapping
    repo = Path(__file__).resolve().parent.parent
    short = total = 0
    for root in (repo / "catalogue", repo / "tests" / "fixtures", Path("/work/shared/realdata/pingtan")):
        for path in sorted(root.rglob("*.md")):
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            if not text.startswith("---\n") or (end := text.find("\n---", 4)) < 0:
                continue
            head = text[4:end + 1]
            total += 1
            if (fast := _simple_mapping(head, 2)) is not None:
                short += 1
                assert _same(fast, _by_libyaml(head, 2)), path
    assert total > 300 and short > total * 0.7, (short, total)


_SLIPS = {  # what is usually written, and now and then a slip
    "key": (["标题", "附件", "文件", "名称", "a"], ["- b", "#c", "标题 ", "文件", "<<", "? k", "'q'"]),
    "separator": ([": "], [":", "：", ":  ", ": # ", " : "]),
    "value": (["甲", "2025-03-08", "00012/附件1.pdf", "[甲, 乙]", "true", "No", "乙 ", "示财〔2025〕3号"],
              ["2025-02-30", "2025-3-8", "12", "[yes, 2025-01-02]", "a: b", "'q'", "", "~", "甲 # 注", "[甲, [乙]]",
               "*a", "&a 甲", "|", "2025-03-08 10:00"]),
    "after key": ([":"], [": ", ":  # 注", "：", ": 甲"]),
    "dash": (["- ", "-   "], ["-", "- - ", "-\t"]),
    "column": ([0], [-1, 1, 2]),
    "indent": ([2, 4, 0], [1, 3]),
}


@st.composite
def _front_matter(draw) -> str:
    """Mostly the shapes the short way reads (values, a mapping or a list below a key, a list of
    `- 键: 值` entries), with slips now and then: wrong columns, odd keys, separators and values,
    blank and comment lines."""
    def pick(what):
        usual, slips = _SLIPS[what]
        return draw(st.sampled_from(slips if draw(st.integers(0, 14)) == 0 else usual))

    def pair(n):
        key = pick("key")
        if key[0] not in "-#<?'" and draw(st.integers(0, 9)):  # numbered, so that keys mostly differ
            key = f"{key}{n}"
        return key + pick("separator") + pick("value")

    rows = []
    for n in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["value", "value", "mapping", "list", "entries"]))
        if kind == "value":
            rows.append(pair(n))
            continue
        rows.append(f"键{n}" + pick("after key"))
        indent = " " * pick("indent")
        for m in range(draw(st.integers(1, 3))):
            if kind == "mapping":
                rows.append(indent + " " * (pick("column") % 3) + pair(m))
            elif kind == "list":
                rows.append(indent + pick("dash") + pick("value"))
            else:
                dash = pick("dash")
                rows.append(indent + dash + pair(m))
                for k in range(draw(st.integers(0, 2))):
                    rows.append(indent + " " * max(len(dash) + pick("column"), 0) + pair(f"{m}{k}"))
            if draw(st.integers(0, 9)) == 0:
                rows.append(draw(st.sampled_from(["", "  ", "# 注释", "    # 注释"])))
    return "\n".join(rows) + "\n"


@given(_front_matter())
@settings(max_examples=3000, deadline=None)
def test_random_front_matter_the_short_way_reads_as_libyaml_reads_it(text):
    from gkml.catalogue.yamldoc import _simple_mapping
    if (fast := _simple_mapping(text, 2)) is not None:
        assert _same(fast, _by_libyaml(text, 2)), text
