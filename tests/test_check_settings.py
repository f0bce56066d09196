"""`gkml check` on the settings: site.yml, taxonomy.yml and the unit files, failing and passing cases."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check_json, line_of


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def reported(root: Path, path: Path, code: str, field: str | None, line: int | None, text: str,
             level: str = "error", exit_code: int | None = None) -> dict:
    expected_exit = exit_code if exit_code is not None else (1 if level == "error" else 0)
    exit_code, data = check_json(root, "--today", "2026-01-15")
    rel = path.relative_to(root.parent).as_posix()
    hits = [d for d in data["diagnostics"] if (d["path"], d["code"], d["field"]) == (rel, code, field)]
    assert hits, data["diagnostics"]
    assert (hits[0]["level"], hits[0]["line"]) == (level, line) and text in hits[0]["message"], hits[0]
    assert exit_code == expected_exit
    return hits[0]


def clean(root: Path) -> None:
    exit_code, data = check_json(root, "--strict", "--today", "2026-01-15")
    assert (exit_code, data["diagnostics"]) == (0, [])


# -- units ----------------------------------------------------------------------------------------

def test_unit_kind_enum(catalogue):
    path = edit(catalogue / "units/dhz.yml", "类型: 乡镇", "类型: 镇")
    reported(catalogue, path, "enum", "类型", 2, "「类型」的值「镇」不在允许的范围内，应为：县级政府、政府部门、乡镇、街道")


def test_unit_org_code_shape(catalogue):
    path = edit(catalogue / "units/dhz.yml", "机构代码: 11350199MB0600006E", "机构代码: 1135019")
    reported(catalogue, path, "org-code", "机构代码", 3, "应为 18 位统一社会信用代码或 9 位组织机构代码")


def test_unit_org_code_check_character(catalogue):
    path = edit(catalogue / "units/dhz.yml", "机构代码: 11350199MB0600006E", "机构代码: 11350199MB0600006F")
    # The unit's items now carry another prefix, hence errors elsewhere (exit 1).
    reported(catalogue, path, "org-code-check", "机构代码", 3, "校验位应为 E", level="warning", exit_code=1)


def test_unit_org_code_with_hyphen_and_lower_case_is_normalised(catalogue):
    edit(catalogue / "units/dhz.yml", "机构代码: 11350199MB0600006E", "机构代码: 11350199-mb0600006e")
    clean(catalogue)


def test_unit_org_code_written_as_a_number_keeps_its_digits(catalogue):
    # 9 digits, a valid 组织机构代码: YAML would read 012345620 as an octal number without the quotes.
    path = edit(catalogue / "units/dhz.yml", "机构代码: 11350199MB0600006E", "机构代码: 012345620")
    exit_code, data = check_json(catalogue, "--today", "2026-01-15")
    assert not [d for d in data["diagnostics"] if d["path"].endswith("units/dhz.yml")]
    index = [d for d in data["diagnostics"] if d["code"] == "index-prefix" and "dhz" in d["path"]]
    assert index and "012345620" in index[0]["message"]


def test_duplicate_org_code(catalogue):
    path = edit(catalogue / "units/dhz.yml", "机构代码: 11350199MB0600006E", "机构代码: 11350199MB0800008R")
    reported(catalogue, path, "duplicate-org-code", "机构代码", 3, "与单位「cgjd」相同")


def test_unknown_parent(catalogue):
    path = edit(catalogue / "units/dhz.yml", "上级: qzf", "上级: qzff")
    reported(catalogue, path, "unknown-unit", "上级", 4, "上级单位「qzff」不存在（units/ 下没有这个文件）；是否应为「qzf」？")


def test_parent_cycle(catalogue):
    edit(catalogue / "units/dhz.yml", "上级: qzf", "上级: cgjd")
    path = edit(catalogue / "units/cgjd.yml", "上级: qzf", "上级: dhz")
    reported(catalogue, path, "unit-cycle", "上级", 4, "cgjd → dhz → cgjd")


def test_unit_cannot_be_its_own_parent(catalogue):
    path = edit(catalogue / "units/dhz.yml", "上级: qzf", "上级: dhz")
    reported(catalogue, path, "unit-cycle", "上级", 4, "dhz → dhz")


@pytest.mark.parametrize("field", ["公开工作机构", "办公地址", "办公时间", "联系电话", "传真", "互联网联系方式", "邮编"])
def test_guide_fields_required(catalogue, field):
    path = catalogue / "units/dhz.yml"
    lines = [s for s in path.read_text(encoding="utf-8").splitlines() if not s.startswith(f"  {field}:")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reported(catalogue, path, "required", f"指南.{field}", line_of(path, "指南:"), f"缺少必填字段「{field}」")


def test_guide_required(catalogue):
    path = catalogue / "units/dhz.yml"
    path.write_text(path.read_text(encoding="utf-8").split("指南:")[0], encoding="utf-8")
    reported(catalogue, path, "required", "指南", 1, "条例第十二条")


def test_not_applicable_unknown_column(catalogue):
    path = edit(catalogue / "units/qczj.yml", "  - 栏目: sfbz", "  - 栏目: sfbzz")
    reported(catalogue, path, "unknown-column", "不适用.0.栏目", line_of(path, "  - 栏目:"), "是否应为「sfbz」？")


def test_not_applicable_needs_a_reason(catalogue):
    path = catalogue / "units/qczj.yml"
    path.write_text(path.read_text(encoding="utf-8").split("    理由:")[0], encoding="utf-8")
    reported(catalogue, path, "required", "不适用.0.理由", line_of(path, "  - 栏目:"), "为什么没有这个栏目")


def test_not_applicable_column_outside_the_profile(catalogue):
    path = edit(catalogue / "units/qczj.yml", "  - 栏目: sfbz", "  - 栏目: nyzc")
    reported(catalogue, path, "not-in-profile", "不适用.0.栏目", line_of(path, "  - 栏目:"), "本来就不适用于政府部门",
             level="warning")


def test_unit_file_name_is_a_slug(catalogue):
    path = catalogue / "units/东湖镇.yml"
    (catalogue / "units/dhz.yml").rename(path)
    (catalogue / "items/dhz").rename(catalogue / "items/东湖镇")
    reported(catalogue, path, "slug", None, None, "只能用小写英文字母、数字和连字符")


def test_unknown_unit_key(catalogue):
    path = edit(catalogue / "units/dhz.yml", "排序: 100", "排序: 100\n简称: 东湖")
    reported(catalogue, path, "unknown-field", "简称", 6, "未知字段「简称」", level="warning")


# -- site.yml -------------------------------------------------------------------------------------

def test_site_gov_unit_must_exist(catalogue):
    path = edit(catalogue / "site.yml", "本级政府: qzf", "本级政府: qz")
    reported(catalogue, path, "unknown-unit", "本级政府", line_of(path, "本级政府:"), "在 units/ 下没有对应文件；是否应为「qzf」？")


def test_site_gov_unit_must_be_a_county_government(catalogue):
    path = edit(catalogue / "site.yml", "本级政府: qzf", "本级政府: qczj")
    reported(catalogue, path, "gov-kind", "本级政府", line_of(path, "本级政府:"), "类型应为「县级政府」")


def test_site_name_required(catalogue):
    path = edit(catalogue / "site.yml", "名称: 示例区人民政府\n", "")
    reported(catalogue, path, "required", "名称", 1, "缺少必填字段「名称」")


@pytest.mark.parametrize("value, code, text", [("2", "range", "应在 3 到 8 之间"), ("五", "type", "应为整数"),
                                              (".nan", "type", "应为整数")])
def test_site_serial_width(catalogue, value, code, text):
    path = edit(catalogue / "site.yml", "序号位数: 5", f"序号位数: {value}")
    reported(catalogue, path, code, "索引号.序号位数", line_of(path, "  序号位数:"), text)


def test_site_negative_list_must_be_regular_expressions(catalogue):
    path = edit(catalogue / "site.yml", "  - 内部资料", "  - 内部资料\n  - 示密〔(\\d{4}〕")
    reported(catalogue, path, "regex", "负面清单", line_of(path, "  - 示密"), "负面清单第 2 项不是有效的正则表达式")


def test_site_audit_settings_are_checked(catalogue):
    path = edit(catalogue / "site.yml", "负面清单:", "自查:\n  抢发天数: 100\n  抢发速度: 3\n负面清单:")
    reported(catalogue, path, "audit-config", "自查", line_of(path, "自查:"), "自查 下没有「抢发速度」这一项")
    reported(catalogue, path, "audit-config", "自查", line_of(path, "自查:"), "抢发天数")


def test_missing_taxonomy_file(catalogue):
    (catalogue / "taxonomy.yml").unlink()
    exit_code, data = check_json(catalogue)
    assert exit_code == 1 and data["diagnostics"][0]["path"] == "catalogue/taxonomy.yml"
    assert "缺少统一目录文件 taxonomy.yml" in data["diagnostics"][0]["message"]


# -- taxonomy.yml ---------------------------------------------------------------------------------

def test_taxonomy_duplicate_code(catalogue):
    path = edit(catalogue / "taxonomy.yml", "{代码: bmyjs, 名称: 部门预决算", "{代码: sgjf, 名称: 部门预决算")
    # The second one (the real 三公经费) is the duplicate.
    reported(catalogue, path, "duplicate-code", "栏目.1.子栏目.6.子栏目.2.代码", line_of(path, "          - {代码: sgjf, 名称: 三公"),
             "栏目代码「sgjf」重复")


def test_taxonomy_deadline(catalogue):
    path = edit(catalogue / "taxonomy.yml", "时限: 3个工作日", "时限: 三个工作日")
    reported(catalogue, path, "deadline", "栏目.1.子栏目.1.子栏目.3.时限", line_of(path, "            时限: 三个工作日"),
             "应写成「20个工作日」或「每年1月31日前」")


def test_taxonomy_impossible_annual_deadline(catalogue):
    path = edit(catalogue / "taxonomy.yml", "时限: 每年4月30日前", "时限: 每年2月30日前")
    d = reported(catalogue, path, "deadline", "栏目.1.子栏目.3.子栏目.0.时限", line_of(path, "          - {代码: tjgb"),
                 "无法识别的时限「每年2月30日前」")
    assert "每年1月31日前" in d["message"]


def test_taxonomy_unknown_unit_kind(catalogue):
    path = edit(catalogue / "taxonomy.yml", "适用: [县级政府, 政府部门, 乡镇]\n        子栏目:\n          - {代码: fzgh",
                "适用: [县级政府, 政府部门, 村]\n        子栏目:\n          - {代码: fzgh")
    reported(catalogue, path, "enum", "栏目.1.子栏目.2.适用", line_of(path, "        适用: [县级政府, 政府部门, 村]"),
             "未知的单位类型「村」")


def test_taxonomy_code_slug(catalogue):
    path = edit(catalogue / "taxonomy.yml", "代码: zcjd", "代码: ZCJD")
    reported(catalogue, path, "slug", "栏目.1.子栏目.1.子栏目.3.代码", line_of(path, "          - 代码: ZCJD"),
             "只能用小写英文字母、数字和连字符")


def test_taxonomy_without_columns(catalogue):
    path = catalogue / "taxonomy.yml"
    path.write_text("名称: 空目录\n栏目: []\n", encoding="utf-8")
    reported(catalogue, path, "required", "栏目", 1, "统一目录没有任何栏目")


def test_settings_of_the_fixture_are_clean(catalogue):
    clean(catalogue)
