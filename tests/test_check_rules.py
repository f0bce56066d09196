"""`gkml check`: every rule of the item format, each with a failing and a passing case.

Each failing case asserts the exit code, the exact file, the line, the field and a distinctive
part of the Chinese message (what was expected); each passing case asserts that the same file
draws no diagnostic at all, even with --strict.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from conftest import check_json, line_of, write_item

TODAY = "2026-01-15"
D = dt.date
QCZJ = "11350199MB0300003D"
QZF = "11350199MB01000012"
DHZ = "11350199MB0600006E"
OLD = f"{QZF}/2025-00001"   # 废止 in the fixture
NEW = f"{QZF}/2025-00002"   # replaces OLD
APPLY = f"{QCZJ}/2025-00002"  # 依申请公开 in the fixture


def base(**changes) -> dict:
    """A valid 主动公开 item of 示例区财政局 (qczj), as a front-matter dict; None removes a key."""
    item = {
        "索引号": f"{QCZJ}/2025-00009",
        "标题": "示例区财政局2025年三公经费预算",
        "内容概述": "公开本局2025年因公出国（境）费、公务接待费和公务用车购置及运行费预算。",
        "生成日期": D(2025, 3, 10),
        "发布日期": D(2025, 3, 12),
        "发布机构": "示例区财政局",
        "栏目": "sgjf",
        "主题分类": "财政、金融、审计/财政",
        "体裁": "其他",
        "有效性": "有效",
        "公开方式": "主动公开",
        "保密审查": {"审查人": "陈某", "日期": D(2025, 3, 11)},
    }
    for key, value in changes.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    return item


def report_for(root: Path, *extra: str) -> tuple[int, list[dict]]:
    code, data = check_json(root, "--today", TODAY, *extra)
    return code, data["diagnostics"]


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root.parent).as_posix()


def assert_reported(root: Path, path: Path, *, code: str, field: str | None, line: int | None, text: str,
                    level: str = "error") -> dict:
    """Exactly the expected diagnostic is present for `path`, and the exit code follows its level."""
    exit_code, diags = report_for(root)
    hits = [d for d in diags if d["path"] == rel(root, path) and d["code"] == code and d["field"] == field]
    assert hits, f"no {code} for {rel(root, path)}; got {diags}"
    d = hits[0]
    assert (d["level"], d["field"], d["line"]) == (level, field, line), d
    assert text in d["message"], d["message"]
    assert exit_code == (1 if level == "error" else 0)
    if level == "warning":
        assert report_for(root, "--strict")[0] == 1
    return d


def assert_clean(root: Path, path: Path | None = None) -> None:
    exit_code, diags = report_for(root, "--strict")
    mine = [d for d in diags if path is None or d["path"] == rel(root, path)]
    assert mine == [] and exit_code == 0, diags


# -- the fixture itself ------------------------------------------------------------------------

def test_mini_fixture_is_clean_under_strict(catalogue):
    exit_code, data = check_json(catalogue, "--strict", "--today", TODAY)
    assert (exit_code, data["errors"], data["warnings"], data["items"]) == (0, 0, 0, 10)


def test_base_item_is_clean(catalogue):
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md", base()))


# -- required fields per 公开方式 -----------------------------------------------------------------

ALWAYS = ("索引号", "标题", "生成日期", "发布机构", "栏目", "公开方式")
PROACTIVE = ALWAYS + ("内容概述", "发布日期", "主题分类", "体裁", "有效性")


@pytest.mark.parametrize("field", PROACTIVE)
def test_proactive_item_requires(catalogue, field):
    path = write_item(catalogue, "qczj/2025/00009.md", base(**{field: None}))
    assert_reported(catalogue, path, code="required", field=field, line=1, text=f"缺少必填字段「{field}」")


@pytest.mark.parametrize("field", [f for f in ALWAYS if f != "公开方式"] + ["内容概述", "不公开理由"])
def test_on_request_item_requires(catalogue, field):
    fields = base(公开方式="依申请公开", 不公开理由="属于过程性信息", 发布日期=None, 保密审查=None)
    del fields[field]
    path = write_item(catalogue, "qczj/2025/00009.md", fields)
    assert_reported(catalogue, path, code="required", field=field, line=1, text=f"缺少必填字段「{field}」")


def test_on_request_item_needs_no_publication_fields(catalogue):
    fields = base(公开方式="依申请公开", 不公开理由="属于过程性信息", 发布日期=None, 保密审查=None, 主题分类=None,
                  体裁=None, 有效性=None)
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md", fields))


def test_withheld_item_needs_only_reason(catalogue):
    fields = {k: v for k, v in base(公开方式="不予公开", 不公开理由="属于国家秘密").items()
              if k in ALWAYS + ("不公开理由",)}
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md", fields))
    fields.pop("不公开理由")
    path = write_item(catalogue, "qczj/2025/00009.md", fields)
    assert_reported(catalogue, path, code="required", field="不公开理由", line=1, text="必须说明理由")


def test_empty_value_counts_as_missing_and_names_its_line(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(标题=""))
    assert_reported(catalogue, path, code="required", field="标题", line=line_of(path, "标题:"), text="为空「标题」")


def test_proactive_item_without_review_is_warned(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(保密审查=None))
    assert_reported(catalogue, path, code="review-missing", field="保密审查", line=1, text="不会发布", level="warning")


def test_review_needs_reviewer(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(保密审查={"日期": D(2025, 3, 11)}))
    assert_reported(catalogue, path, code="required", field="保密审查.审查人", line=line_of(path, "保密审查:"),
                    text="缺少必填字段「审查人」")


# -- enumerations ------------------------------------------------------------------------------

@pytest.mark.parametrize("field, bad, expected", [
    ("公开方式", "主动公示", "主动公开、依申请公开、不予公开"),
    ("有效性", "生效", "有效、失效、废止"),
    ("体裁", "通知书", "决议、决定"),
    ("公开范围", "社会", "面向社会、面向申请人"),
    ("公开时限", "长期", "长期公开、限时公开"),
])
def test_enumerations(catalogue, field, bad, expected):
    path = write_item(catalogue, "qczj/2025/00009.md", base(**{field: bad}))
    d = assert_reported(catalogue, path, code="enum", field=field, line=line_of(path, f"{field}:"),
                        text=f"「{field}」的值「{bad}」不在允许的范围内，应为：{expected}")
    assert "是否应为" in d["message"] or field == "体裁"


@pytest.mark.parametrize("field", ["公开方式", "栏目", "索引号", "生成日期"])
def test_long_values_are_cut_in_messages(catalogue, field):
    write_item(catalogue, "qczj/2025/00009.md", base(**{field: "主" * 5000}))
    exit_code, diags = report_for(catalogue)
    mine = [d for d in diags if d["field"] == field]
    assert exit_code == 1 and mine and "（共 5000 字）" in mine[0]["message"] and len(mine[0]["message"]) < 400


@pytest.mark.parametrize("field, good", [("公开方式", "主动公开"), ("有效性", "有效"), ("体裁", "命令"),
                                         ("体裁", "命令（令）"), ("公开范围", "面向申请人"), ("公开时限", "长期公开")])
def test_enumeration_values_accepted(catalogue, field, good):
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md", base(**{field: good})))


@pytest.mark.parametrize("bad, text", [
    ("财政", "不是 22 个主题之一"),
    ("财政、金融、审计/预算", "下没有二级主题「预算」"),
    ("财政、金融、审计", "请写到二级主题"),
    ("其他/杂项", "「其他」没有二级主题"),
])
def test_topic(catalogue, bad, text):
    path = write_item(catalogue, "qczj/2025/00009.md", base(主题分类=bad))
    assert_reported(catalogue, path, code="topic", field="主题分类", line=line_of(path, "主题分类:"), text=text)


@pytest.mark.parametrize("good", ["财政、金融、审计/财政", "财政、金融、审计\\财政", "其他"])
def test_topic_accepted(catalogue, good):
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md", base(主题分类=good)))


def test_limited_term_needs_end_date(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(公开时限="限时公开"))
    assert_reported(catalogue, path, code="required", field="公开截止", line=1, text="必须写公开截止日期")
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md",
                                       base(公开时限="限时公开", 公开截止=D(2027, 12, 31))))


def test_unknown_field_is_warned_with_suggestion(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(发布时间=D(2025, 3, 12)))
    assert_reported(catalogue, path, code="unknown-field", field="发布时间", line=line_of(path, "发布时间:"),
                    text="是否应为「发布日期」", level="warning")


# -- 索引号 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [f"{QCZJ}-2025-00009", f"{QCZJ}/2025-0009", f"{QCZJ}/2025-000009", f"{QCZJ}/25-00009",
                                 f"{QCZJ}/2025–00009", f"{QCZJ.lower()}/2025-00009", "2025-00009"])
def test_index_no_format(catalogue, bad):
    path = write_item(catalogue, "qczj/2025/00009.md", base(索引号=bad))
    assert_reported(catalogue, path, code="index-format", field="索引号", line=line_of(path, "索引号:"),
                    text=f"应为「机构代码/年份-5位流水号」，如 {QCZJ}/2025-00001")


def test_index_no_prefix_must_be_the_units_code(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(索引号=f"{DHZ}/2025-00009"))
    assert_reported(catalogue, path, code="index-prefix", field="索引号", line=line_of(path, "索引号:"),
                    text=f"应为本单位（示例区财政局）的机构代码 {QCZJ}")


def test_index_no_period_should_match_generation_date(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(索引号=f"{QCZJ}/2024-00009"))
    assert_reported(catalogue, path, code="index-period", field="索引号", line=line_of(path, "索引号:"),
                    text="日期段 2024 与生成日期 2025-03-10 不符", level="warning")


def test_index_no_with_year_month_period(catalogue):
    site = catalogue / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("日期段: 年", "日期段: 年月"), encoding="utf-8")
    path = write_item(catalogue, "qczj/2025/00009.md", base())
    assert_reported(catalogue, path, code="index-format", field="索引号", line=2,
                    text=f"应为「机构代码/年月-5位流水号」，如 {QCZJ}/202503-00001")
    write_item(catalogue, "qczj/2025/00009.md", base(索引号=f"{QCZJ}/202503-00009"))
    exit_code, diags = report_for(catalogue)
    assert not [d for d in diags if d["path"].endswith("qczj/2025/00009.md")]


def test_index_no_unique_across_catalogue(catalogue):
    # Same 索引号 as an item of another folder: the later file is named, the first one is cited.
    path = write_item(catalogue, "qczj/2025/zz-copy.md", base(索引号=APPLY))
    d = assert_reported(catalogue, path, code="duplicate-index-no", field="索引号", line=line_of(path, "索引号:"),
                        text="索引号在全平台必须唯一")
    assert "catalogue/items/qczj/2025/00002.md" not in d["message"] and "items/qczj/2025/00002.md" in d["message"]


# -- 文号 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, fix", [
    ("示财【2025】3号", "应改为「示财〔2025〕3号」"),
    ("示财[2025]3号", "应改为「示财〔2025〕3号」"),
    ("示财（2025）3号", "应改为「示财〔2025〕3号」"),
    ("示财〔2025〕第3号", "应改为「示财〔2025〕3号」"),
    ("示财〔2025〕003号", "应改为「示财〔2025〕3号」"),
    ("示财〔２０２５〕３号", "应改为「示财〔2025〕3号」"),
    ("示财〔2025〕3", "应改为「示财〔2025〕3号」"),
    ("示财〔25〕3号", "年份写全四位"),
    ("2025年3号", "机关代字〔年份〕序号号"),
])
def test_docno_shape(catalogue, bad, fix):
    path = write_item(catalogue, "qczj/2025/00009.md", base(文号=bad, 成文日期=D(2025, 3, 8)))
    assert_reported(catalogue, path, code="docno", field="文号", line=line_of(path, "文号:"), text=fix)


@pytest.mark.parametrize("good", ["示财〔2025〕3号", "示财办函〔2025〕112号", "示政令第3号"])
def test_docno_accepted(catalogue, good):
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md", base(文号=good, 成文日期=D(2025, 3, 8))))


def test_docno_year_should_match_written_date(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(文号="示财〔2024〕3号", 成文日期=D(2025, 3, 8)))
    assert_reported(catalogue, path, code="docno-year", field="文号", line=line_of(path, "文号:"),
                    text="年份 2024 与成文日期 2025-03-08", level="warning")


def test_docno_needs_written_date(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(文号="示财〔2025〕3号"))
    assert_reported(catalogue, path, code="written-missing", field="成文日期", line=1, text="有文号的公文应写成文日期",
                    level="warning")


def test_docno_none_written_as_wu(catalogue):
    # Editors copying from old platforms write 「无」; it means "no 文号", which is said by leaving it out.
    path = write_item(catalogue, "qczj/2025/00009.md", base(文号="无"))
    assert_reported(catalogue, path, code="docno-none", field="文号", line=line_of(path, "文号:"),
                    text="没有文号时删去「文号」这一行", level="warning")


# -- 栏目 ---------------------------------------------------------------------------------------

def test_column_must_exist(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(栏目="sgjj"))
    assert_reported(catalogue, path, code="unknown-column", field="栏目", line=line_of(path, "栏目:"),
                    text="统一目录中没有栏目「sgjj」；是否应为「sgjf」？")


def test_column_must_be_a_leaf(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(栏目="czxx"))
    assert_reported(catalogue, path, code="column-not-leaf", field="栏目", line=line_of(path, "栏目:"),
                    text="信息只能放在末级栏目：zfyjs（政府预决算）、bmyjs（部门预决算）、sgjf（三公经费）")


def test_column_must_apply_to_the_units_kind(catalogue):
    # 乡镇重点领域 applies to 乡镇 only; qczj is a 政府部门.
    path = write_item(catalogue, "qczj/2025/00009.md", base(栏目="nyzc"))
    assert_reported(catalogue, path, code="column-kind", field="栏目", line=line_of(path, "栏目:"),
                    text="栏目「农业农村政策落实」不适用于政府部门（适用：乡镇）")


def test_column_marked_not_applicable_by_the_unit(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(栏目="sfbz"))
    assert_reported(catalogue, path, code="column-not-applicable", field="栏目", line=line_of(path, "栏目:"),
                    text="units/qczj.yml 的「不适用」中删除它")


def test_column_of_another_kind_accepted_for_that_kind(catalogue):
    fields = base(索引号=f"{DHZ}/2025-00009", 栏目="nyzc", 发布机构="示例区东湖镇人民政府")
    assert_clean(catalogue, write_item(catalogue, "dhz/2025/00009.md", fields))


# -- dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, field, text", [
    ({"成文日期": D(2025, 3, 11)}, "生成日期", "生成日期 2025-03-10 早于成文日期 2025-03-11"),
    ({"发布日期": D(2025, 3, 9)}, "发布日期", "发布日期 2025-03-09 早于生成日期 2025-03-10"),
])
def test_date_order(catalogue, changes, field, text):
    path = write_item(catalogue, "qczj/2025/00009.md", base(保密审查={"审查人": "陈某", "日期": D(2025, 3, 9)}, **changes))
    assert_reported(catalogue, path, code="date-order", field=field, line=line_of(path, f"{field}:"), text=text)


def test_equal_dates_are_in_order(catalogue):
    day = D(2025, 3, 10)
    fields = base(成文日期=day, 生成日期=day, 发布日期=day, 保密审查={"审查人": "陈某", "日期": day})
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md", fields))


@pytest.mark.parametrize("field", ["成文日期", "生成日期", "发布日期"])
def test_no_date_in_the_future(catalogue, field):
    future = D(2026, 1, 16)  # the day after --today
    dates = {"成文日期": D(2025, 3, 8), "生成日期": D(2025, 3, 10), "发布日期": D(2025, 3, 12)}
    dates[field] = future
    if field != "发布日期":
        dates["发布日期"] = future if field == "生成日期" else dates["发布日期"]
    fields = base(**dates)
    path = write_item(catalogue, "qczj/2025/00009.md", fields)
    assert_reported(catalogue, path, code="date-future", field=field, line=line_of(path, f"{field}:"),
                    text=f"2026-01-16 晚于今天（{TODAY}）")


def test_today_is_not_the_future(catalogue):
    day = D(2026, 1, 15)
    fields = base(索引号=f"{QCZJ}/2026-00001", 生成日期=day, 发布日期=day, 保密审查={"审查人": "陈某", "日期": day})
    assert_clean(catalogue, write_item(catalogue, "qczj/2026/00001.md", fields))


def test_future_is_judged_against_the_real_today_by_default(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(发布日期=D(2999, 1, 1)))
    exit_code, data = check_json(catalogue)
    hits = [d for d in data["diagnostics"] if d["code"] == "date-future"]
    assert exit_code == 1 and hits[0]["path"] == rel(catalogue, path) and dt.date.today().isoformat() in hits[0]["message"]


@pytest.mark.parametrize("raw, text", [
    ("2025/03/10", "应写成 YYYY-MM-DD；请改为 2025-03-10"),
    ("2025年3月10日", "应写成 YYYY-MM-DD；请改为 2025-03-10"),
    ("2025-02-30", "「2025-02-30」不是有效的日期"),
    ("下周一", "「下周一」不是有效的日期"),
    ("2025-03-10 09:30:00", "只写日期，不写时间；请改为 2025-03-10"),
])
def test_date_format(catalogue, raw, text):
    meta = "\n".join(f"{k}: {raw if k == '生成日期' else v}" for k, v in _flat(base()).items())
    path = write_item(catalogue, "qczj/2025/00009.md", meta)
    code = "date-time" if ":" in raw else "date-format"
    assert_reported(catalogue, path, code=code, field="生成日期", line=line_of(path, "生成日期:"), text=text)


def _flat(fields: dict) -> dict:
    """Top-level scalars only, as text (for hand-written front matter); the review goes inline."""
    out = {k: v for k, v in fields.items() if not isinstance(v, dict)}
    out["保密审查"] = "{审查人: 陈某, 日期: 2025-03-11}"
    return out


def test_item_in_wrong_year_folder(catalogue):
    path = write_item(catalogue, "qczj/2024/00009.md", base())
    assert_reported(catalogue, path, code="year-folder", field="生成日期", line=line_of(path, "生成日期:"),
                    text="请移到 2025/ 下", level="warning")


@pytest.mark.parametrize("relpath, text", [("qczj/00009.md", "items/<单位代码>/<年份>/<文件名>.md"),
                                           ("qczj/2025/sub/00009.md", "items/<单位代码>/<年份>/<文件名>.md"),
                                           ("qczj/二〇二五/00009.md", "应为四位年份，如 2025")])
def test_item_location(catalogue, relpath, text):
    path = write_item(catalogue, relpath, base())
    assert_reported(catalogue, path, code="item-location", field=None, line=None, text=text)


def test_item_of_unknown_unit_folder(catalogue):
    path = write_item(catalogue, "qczjj/2025/00009.md", base())
    assert_reported(catalogue, path, code="unknown-unit", field=None, line=None,
                    text="单位「qczjj」不存在（units/ 下没有 qczjj.yml）；是否应为「qczj」？")


# -- 废止 / 失效 -----------------------------------------------------------------------------------

def test_repealed_needs_date_and_replacement(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(有效性="废止"))
    assert_reported(catalogue, path, code="required", field="废止日期", line=1, text="废止的文件必须写明废止日期")
    assert_reported(catalogue, path, code="required", field="替代", line=1, text="替代它的新文件的索引号")


def test_lapsed_needs_only_a_date(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(有效性="失效"))
    assert_reported(catalogue, path, code="required", field="废止日期", line=1, text="失效的文件必须写明失效日期")
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md", base(有效性="失效", 废止日期=D(2025, 12, 31))))


def test_replacement_must_exist(catalogue):
    missing = f"{QZF}/2025-00099"
    path = write_item(catalogue, "qczj/2025/00009.md", base(有效性="废止", 废止日期=D(2025, 6, 1), 替代=missing))
    assert_reported(catalogue, path, code="unknown-index-no", field="替代", line=line_of(path, "替代:"),
                    text=f"「替代」指向的索引号「{missing}」在平台上不存在")


def test_replacement_must_be_public(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(有效性="废止", 废止日期=D(2025, 6, 1), 替代=APPLY))
    assert_reported(catalogue, path, code="link-not-public", field="替代", line=line_of(path, "替代:"),
                    text="不是主动公开信息，公众无法打开")


def test_replacement_accepted(catalogue):
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00009.md",
                                       base(有效性="废止", 废止日期=D(2025, 6, 1), 替代=NEW)))


def test_replacement_with_valid_status_is_warned(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(替代=NEW))
    assert_reported(catalogue, path, code="validity-conflict", field="有效性", line=line_of(path, "有效性:"),
                    text="有效性仍为「有效」", level="warning")


def test_item_cannot_replace_itself(catalogue):
    me = f"{QCZJ}/2025-00009"
    path = write_item(catalogue, "qczj/2025/00009.md", base(有效性="废止", 废止日期=D(2025, 6, 1), 替代=me))
    assert_reported(catalogue, path, code="self-link", field="替代", line=line_of(path, "替代:"), text="不能指向本条信息自己")


def test_two_items_cannot_replace_each_other(catalogue):
    me = f"{QCZJ}/2025-00009"
    write_item(catalogue, "qczj/2025/00010.md", base(索引号=f"{QCZJ}/2025-00010", 有效性="废止", 废止日期=D(2025, 6, 1), 替代=me))
    path = write_item(catalogue, "qczj/2025/00009.md", base(有效性="废止", 废止日期=D(2025, 6, 1), 替代=f"{QCZJ}/2025-00010"))
    assert_reported(catalogue, path, code="replacement-cycle", field="替代", line=line_of(path, "替代:"), text="互相「替代」")


def test_repeal_date_not_before_written_date(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md",
                      base(有效性="失效", 成文日期=D(2025, 3, 8), 废止日期=D(2025, 3, 1)))
    assert_reported(catalogue, path, code="date-order", field="废止日期", line=line_of(path, "废止日期:"),
                    text="废止日期 2025-03-01 早于成文日期 2025-03-08")


# -- 政策解读 -------------------------------------------------------------------------------------

def interpretation(**changes) -> dict:
    return base(**{"索引号": f"{QZF}/2025-00009", "发布机构": "示例区人民政府", "栏目": "zcjd", "政策解读": NEW,
                   **changes})


def test_interpretation_target_must_exist(catalogue):
    missing = f"{QZF}/2025-00098"
    path = write_item(catalogue, "qzf/2025/00009.md", interpretation(政策解读=missing))
    assert_reported(catalogue, path, code="unknown-index-no", field="政策解读", line=line_of(path, "政策解读:"),
                    text=f"「政策解读」指向的索引号「{missing}」在平台上不存在")


def test_interpretation_target_accepted(catalogue):
    assert_clean(catalogue, write_item(catalogue, "qzf/2025/00009.md", interpretation()))


def test_interpretation_column_needs_a_target(catalogue):
    path = write_item(catalogue, "qzf/2025/00009.md", interpretation(政策解读=None))
    assert_reported(catalogue, path, code="interpretation-target-missing", field="政策解读", line=line_of(path, "栏目:"),
                    text="写明所解读文件的索引号", level="warning")


def test_interpretation_outside_interpretation_column(catalogue):
    path = write_item(catalogue, "qzf/2025/00009.md", interpretation(栏目="qtwj"))
    assert_reported(catalogue, path, code="interpretation-column", field="政策解读", line=line_of(path, "政策解读:"),
                    text="不是政策解读栏目", level="warning")


def test_interpretation_of_an_interpretation(catalogue):
    path = write_item(catalogue, "qzf/2025/00009.md", interpretation(政策解读=f"{QZF}/2025-00003"))
    assert_reported(catalogue, path, code="interprets-interpretation", field="政策解读", line=line_of(path, "政策解读:"),
                    text="应指向被解读的原文件", level="warning")


# -- 发布机构 against site.yml's 发文机关 register ----------------------------------------------------

def _register(root: Path) -> None:
    site = root / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "发文机关:\n  - {名称: 福建省人民政府办公厅, 别名: [省政府办公厅]}\n",
                    encoding="utf-8")


def test_publisher_outside_the_register(catalogue):
    _register(catalogue)
    path = write_item(catalogue, "qczj/2025/00009.md", base(发布机构="示例区财证局"))
    d = assert_reported(catalogue, path, code="publisher-unknown", field="发布机构", line=line_of(path, "发布机构"),
                        text="发布机构「示例区财证局」不是本平台的单位，也没有登记在 site.yml 的「发文机关」中；是否应为「示例区财政局」？",
                        level="warning")
    assert "把它（和常用简称）登记到「发文机关」" in d["message"]


def test_publisher_alias_asks_for_the_full_name(catalogue):
    _register(catalogue)
    path = write_item(catalogue, "qczj/2025/00009.md", base(发布机构="示例区财政局 省政府办公厅"))  # joint issuers
    assert_reported(catalogue, path, code="publisher-alias", field="发布机构", line=line_of(path, "发布机构"),
                    text="发布机构「省政府办公厅」是「福建省人民政府办公厅」的简称（site.yml「发文机关」）；请写全称「福建省人民政府办公厅」",
                    level="warning")


def test_publishers_registered_or_units_pass_and_no_register_no_check(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", base(发布机构="某某不相干的机关"))
    assert_clean(catalogue, path)  # no register in site.yml: the office has not asked for the check
    _register(catalogue)
    path.write_text(path.read_text(encoding="utf-8").replace("某某不相干的机关", "示例区财政局 福建省人民政府办公厅"),
                    encoding="utf-8")
    assert_clean(catalogue)
    migrated = base(索引号=f"{QCZJ}/2025-00010", 发布机构="某某不相干的机关",
                    迁移={"平台": "旧门户", "原网址": "https://old.example.gov.cn/a.htm", "核对人": "核对员", "日期": D(2025, 6, 1)})
    assert_clean(catalogue, write_item(catalogue, "qczj/2025/00010.md", migrated))  # judged by gkml import


# -- 附件 ---------------------------------------------------------------------------------------

def attached(catalogue: Path, entries: list, files: dict[str, bytes] | None = None) -> Path:
    for name, data in (files or {}).items():
        target = catalogue / "items/qczj/2025" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return write_item(catalogue, "qczj/2025/00009.md", base(附件=entries))


def test_attachment_accepted(catalogue):
    pdf = (catalogue / "items/qczj/2025/00001/预算表.pdf").read_bytes()  # a real one-page PDF
    path = attached(catalogue, [{"文件": "00009/表.csv", "名称": "预算表"}, "00009/说明/说明.pdf"],
                    {"00009/表.csv": "项目,金额\n公务接待费,1000\n".encode(), "00009/说明/说明.pdf": pdf})
    assert_clean(catalogue, path)


def test_attachment_missing(catalogue):
    path = attached(catalogue, [{"文件": "00009/表.xlsx"}])
    assert_reported(catalogue, path, code="attachment-missing", field="附件", line=line_of(path, "- 文件: 00009/表.xlsx"),
                    text="附件文件「00009/表.xlsx」不存在")


def test_attachment_type(catalogue):
    path = attached(catalogue, ["00009/run.exe"], {"00009/run.exe": b"MZ"})
    assert_reported(catalogue, path, code="attachment-type", field="附件", line=line_of(path, "- 00009/run.exe"),
                    text="类型「.exe」不允许；允许：.pdf")


@pytest.mark.parametrize("bad", ["../../qzf/2025/00001.md.pdf", "00009/../../../x.pdf", "/etc/passwd.pdf", "C:/x.pdf",
                                 "..\\x.pdf"])
def test_attachment_path_must_stay_in_the_folder(catalogue, bad):
    path = attached(catalogue, [{"文件": bad}])
    assert_reported(catalogue, path, code="attachment-path", field="附件", line=line_of(path, "- 文件:"),
                    text="不能是绝对路径或含「..」")


def test_attachment_symlink_out_of_the_tree(catalogue, tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4 secret")
    (catalogue / "items/qczj/2025/00009").mkdir(parents=True)
    os.symlink(outside, catalogue / "items/qczj/2025/00009/link.pdf")
    path = write_item(catalogue, "qczj/2025/00009.md", base(附件=["00009/link.pdf"]))
    assert_reported(catalogue, path, code="attachment-outside", field="附件", line=line_of(path, "- 00009/link.pdf"),
                    text="指向条目文件夹之外的链接")


def test_attachment_in_a_linked_folder(catalogue, tmp_path):
    """A link anywhere along the path counts, not only the file's own name; one that stays in the folder is fine."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "a.pdf").write_bytes(b"%PDF-1.4 secret")
    folder = catalogue / "items/qczj/2025/00009"
    folder.mkdir(parents=True)
    os.symlink(outside, folder / "linked")
    (folder / "real").mkdir()
    (folder / "real/b.txt").write_text("正文", encoding="utf-8")
    os.symlink(folder / "real", folder / "alias")
    path = write_item(catalogue, "qczj/2025/00009.md", base(附件=["00009/linked/a.pdf", "00009/alias/b.txt"]))
    assert_reported(catalogue, path, code="attachment-outside", field="附件", line=line_of(path, "- 00009/linked/a.pdf"),
                    text="指向条目文件夹之外的链接")
    from gkml.catalogue.validate import load_catalogue
    cat, report = load_catalogue(catalogue)
    assert [d.line for d in report.items if d.code == "attachment-outside"] == [line_of(path, "- 00009/linked/a.pdf")]
    assert [a.file for a in cat.by_index_no[base()["索引号"]].attachments] == ["00009/alias/b.txt"]


def test_attachment_size_limit(catalogue):
    big = catalogue / "items/qczj/2025/00009/big.png"  # a type whose text is not extracted
    big.parent.mkdir(parents=True)
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024 + 1)  # sparse: costs no disk
    path = write_item(catalogue, "qczj/2025/00009.md", base(附件=["00009/big.png"]))
    assert_reported(catalogue, path, code="attachment-size", field="附件", line=line_of(path, "- 00009/big.png"),
                    text="超过 50 MB 的上限")
    with big.open("r+b") as f:
        f.truncate(50 * 1024 * 1024)  # exactly the limit is allowed
    assert_clean(catalogue, path)


@pytest.mark.parametrize("entry", [{"名称": "没有文件"}, {"文件": ""}, {"文件": ["a.pdf"]}, 3])
def test_attachment_entry_shape(catalogue, entry):
    path = attached(catalogue, [entry])
    assert_reported(catalogue, path, code="attachment", field="附件", line=line_of(path, "附件:") + 1,
                    text="附件每一项应写「文件: 相对路径」")


# -- types of values ------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value, text", [
    ("标题", ["甲", "乙"], "「标题」应为一段文字，实际为列表"),
    ("草稿", "是", "「草稿」应写 true 或 false"),
    ("关键词", {"a": 1}, "「关键词」应为文字列表"),
    ("保密审查", "陈某", "「保密审查」应为「键: 值」的列表"),
    ("附件", "00009/a.pdf", "「附件」应为列表"),
])
def test_value_types(catalogue, field, value, text):
    path = write_item(catalogue, "qczj/2025/00009.md", base(**{field: value}))
    assert_reported(catalogue, path, code="type", field=field, line=line_of(path, f"{field}:"), text=text)


def test_numbers_and_dates_in_text_fields_keep_what_was_written(catalogue):
    # YAML would read 标题: 2025 as a number and 内容概述: 1.50 as 1.5; a text field keeps the editor's text.
    meta = "\n".join(f"{k}: {v}" for k, v in _flat(base(标题=None, 内容概述=None)).items())
    path = write_item(catalogue, "qczj/2025/00009.md", meta + "\n标题: 2025\n内容概述: 1.50\n")
    from gkml.catalogue.validate import load_catalogue
    cat, report = load_catalogue(catalogue, today=D(2026, 1, 15))
    item = next(i for i in cat.items if i.path == path)
    assert (item.title, item.summary) == ("2025", "1.50")
    assert [d for d in report.items if d.path.endswith("00009.md")] == []
