"""`gkml check` on registers and narratives: every mistake is named by file, line and field
in Chinese, personal data is refused, and nothing raises a traceback."""
from __future__ import annotations

import re

import pytest

from conftest import check_json, line_of, run_gkml
from test_annual_helpers import annual, write  # noqa: F401

RECORD = """申请:
  - 编号: 2025-001
    收到日期: 2025-01-06
    申请人类型: 自然人
    答复日期: 2025-01-17
    办理结果: 予以公开
"""


def errors(root, *extra):
    code, data = check_json(root, "--today", "2026-06-30", *extra)
    return code, [d for d in data["diagnostics"] if d["level"] == "error"], data["diagnostics"]


def only(found: list[dict], code: str) -> dict:
    hits = [d for d in found if d["code"] == code]
    assert len(hits) == 1, found
    return hits[0]


def with_record(root, extra: str, rel: str = "requests/qczj/2025.yml"):
    return write(root, rel, RECORD + extra)


@pytest.mark.parametrize("extra, code, field, text", [
    ("    姓名: 张三\n", "register-unknown-field", "申请.0.姓名", "不得记录申请人姓名、证件号码、联系方式"),
    ("    联系电话: 13800138000\n", "register-unknown-field", "申请.0.联系电话", "个人信息"),
    ("    备注: 申请人电话13912345678\n", "personal-data", "申请.0.备注", "含有手机号码「139****5678」"),
    ("    延期: 是\n", "type", "申请.0.延期", "应写 true 或 false"),
    ("    补正: {补正日期: 2025-01-10}\n", "required", "申请.0.补正.告知日期", "缺少必填字段「告知日期」"),
    ("    补正: {告知日期: 2025-01-08, 补正日期: 2025-01-07}\n", "date-order", "申请.0.补正.补正日期",
     "收到补正的日期 2025-01-07 早于告知补正日期 2025-01-08"),
    ("    复议: {申请日期: 2025-02-01, 结果: 驳回}\n", "enum", "申请.0.复议.结果", "应为：维持、纠正、其他、尚未审结"),
    ("    复议: {申请日期: 2025-02-01, 结果: 维持}\n", "required", "申请.0.复议.审结日期", "应写审结日期"),
    ("    诉讼: {起诉日期: 2025-02-01, 结果: 尚未审结, 审结日期: 2025-05-01}\n", "case-closed", "申请.0.诉讼.结果",
     "结果不能是「尚未审结」"),
    ("    征求意见: {发出日期: 2025-01-10, 回复日期: 2025-01-08}\n", "date-order", "申请.0.征求意见.回复日期",
     "早于发出日期"),
])
def test_record_field_mistakes(annual, extra, code, field, text):
    path = with_record(annual, extra)
    status, found, _ = errors(annual)
    hit = only(found, code)
    assert status == 1
    assert (hit["path"], hit["field"]) == ("catalogue/requests/qczj/2025.yml", field)
    assert hit["line"] == len(path.read_text(encoding="utf-8").splitlines())  # the line just added
    assert text in hit["message"]


@pytest.mark.parametrize("old, new, code, field, text", [
    ("申请人类型: 自然人", "申请人类型: 个人", "enum", "申请.0.申请人类型", "应为：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他"),
    ("办理结果: 予以公开", "办理结果: 公开了", "enum", "申请.0.办理结果", "「办理结果」的值「公开了」不在允许的范围内"),
    ("收到日期: 2025-01-06", "收到日期: 2025/1/6", "date-format", "申请.0.收到日期", "请改为 2025-01-06"),
    ("答复日期: 2025-01-17", "答复日期: 2025-01-05", "answer-before-receipt", "申请.0.答复日期",
     "答复日期 2025-01-05 早于收到日期 2025-01-06"),
    ("    答复日期: 2025-01-17\n", "", "required", "申请.0.答复日期", "写了办理结果，缺少「答复日期」"),
    ("    办理结果: 予以公开\n", "", "required", "申请.0.办理结果", "已有答复日期，缺少「办理结果」"),
    ("收到日期: 2025-01-06", "收到日期: 2026-01-06", "request-wrong-year", "收到日期",
     "收到日期是 2026 年，应登记在 requests/qczj/2026.yml"),
    ("答复日期: 2025-01-17", "答复日期: 2026-12-17", "date-future", "申请.0.答复日期", "晚于今天"),
])
def test_record_value_mistakes(annual, old, new, code, field, text):
    path = write(annual, "requests/qczj/2025.yml", RECORD.replace(old, new))
    _, found, _ = errors(annual)
    hit = only(found, code)
    assert hit["path"] == "catalogue/requests/qczj/2025.yml" and hit["field"] == field
    assert hit["line"] in range(2, len(path.read_text(encoding="utf-8").splitlines()) + 1)
    assert text in hit["message"]


def test_duplicate_numbers_within_and_across_registers(annual):
    write(annual, "requests/qczj/2025.yml", RECORD + RECORD.replace("申请:\n", "").replace("2025-001", "2024-001"))
    _, found, _ = errors(annual)
    hit = only(found, "request-duplicate")
    first = line_of(annual / "requests/qczj/2024.yml", "  - 编号: 2024-001")
    assert (hit["path"], hit["line"], hit["field"]) == ("catalogue/requests/qczj/2025.yml", 7, "编号")
    assert f"编号「2024-001」与 catalogue/requests/qczj/2024.yml 第 {first} 行重复" in hit["message"]


def test_request_of_a_registered_earlier_year_must_stay_there(annual):
    # 2024 has an itemised register, so a 2024 request may not be listed again in 2025's.
    write(annual, "requests/qczj/2025.yml", RECORD.replace("2025-001", "2024-099").replace("2025-01-06", "2024-12-30"))
    _, found, _ = errors(annual)
    hit = only(found, "request-wrong-year")
    assert "应登记在 requests/qczj/2024.yml" in hit["message"] and "只在收到的那一年登记一次" in hit["message"]


def test_outcome_needing_a_correction_record(annual):
    write(annual, "requests/qczj/2025.yml", RECORD.replace("予以公开", "逾期不补正"))
    _, found, _ = errors(annual)
    assert "办理结果为「逾期不补正」，应有「补正」记录" in only(found, "correction-missing")["message"]
    write(annual, "requests/qczj/2025.yml",
          RECORD.replace("予以公开", "逾期不补正") + "    补正: {告知日期: 2025-01-07, 补正日期: 2025-01-09}\n")
    _, found, _ = errors(annual)
    assert "已于 2025-01-09 收到补正" in only(found, "correction-contradiction")["message"]


@pytest.mark.parametrize("text, code, field, message", [
    ("申请: 一件\n", "type", "申请", "「申请」应为列表"),
    ("备注: 无\n", "register-key", "备注", "登记中不能有「备注」"),
    ("统计: 1\n", "register-empty", "申请", "本年没有收到申请的写「申请: []」"),
    (RECORD + "汇总表:\n  本年新收: [0, 0, 0, 0, 0, 0, 0]\n", "register-both", "汇总表", "不能既有「申请」又有「汇总表」"),
    ("汇总表:\n  本年新收: [1, 0, 0, 0, 0, 1]\n  上年结转: [0, 0, 0, 0, 0, 0, 0]\n  总计: [0, 0, 0, 0, 0, 0, 0]\n"
     "  结转下年度: [0, 0, 0, 0, 0, 0, 0]\n复议诉讼: {行政复议: [0,0,0,0,0], 未经复议直接起诉: [0,0,0,0,0], 复议后起诉: [0,0,0,0,0]}\n",
     "table-row", "汇总表.本年新收", "应为 7 个不小于 0 的整数，依次为：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计"),
    ("汇总表:\n  本年新收: [0, 0, 0, 0, 0, 0, 0]\n  上年结转: [0, 0, 0, 0, 0, 0, 0]\n  总计: [0, 0, 0, 0, 0, 0, 0]\n"
     "复议诉讼: {行政复议: [0,0,0,0,0], 未经复议直接起诉: [0,0,0,0,0], 复议后起诉: [0,0,0,0,0]}\n",
     "required", "汇总表.结转下年度", "汇总表缺少「结转下年度」这一行"),
    ("汇总表:\n  本年新收: [0, 0, 0, 0, 0, 0, 0]\n  上年结转: [0, 0, 0, 0, 0, 0, 0]\n  总计: [0, 0, 0, 0, 0, 0, 0]\n"
     "  结转下年度: [0, 0, 0, 0, 0, 0, 0]\n  予以公布: [0, 0, 0, 0, 0, 0, 0]\n"
     "复议诉讼: {行政复议: [0,0,0,0,0], 未经复议直接起诉: [0,0,0,0,0], 复议后起诉: [0,0,0,0,0]}\n",
     "table-row-name", "汇总表.予以公布", "是否应为「予以公开」"),
    ("汇总表:\n  本年新收: [0, 0, 0, 0, 0, 0, 0]\n  上年结转: [0, 0, 0, 0, 0, 0, 0]\n  总计: [0, 0, 0, 0, 0, 0, 0]\n"
     "  结转下年度: [0, 0, 0, 0, 0, 0, 0]\n复议诉讼: {行政复议: [0, 0, 0, -1, 0], 未经复议直接起诉: [0,0,0,0,0]}\n",
     "table-row", "复议诉讼.行政复议", "应为 5 个不小于 0 的整数"),
])
def test_register_shape_mistakes(annual, text, code, field, message):
    write(annual, "requests/qczj/2025.yml", text)
    _, found, _ = errors(annual)
    hits = [d for d in found if d["code"] == code and d["field"] == field]
    assert hits and message in hits[0]["message"], found
    assert all(d["path"].startswith("catalogue/") for d in found)


def test_yaml_syntax_error_is_reported_with_its_line(annual):
    write(annual, "requests/qczj/2025.yml", RECORD + "  - 编号: 2025-002\n\t收到日期: 2025-02-01\n")
    status, found, _ = errors(annual)
    hit = only(found, "yaml-syntax")
    assert status == 1 and hit["line"] == 8 and "Tab" in hit["message"]


def test_files_in_the_wrong_place(annual):
    write(annual, "requests/qczj/2025.yaml", RECORD)
    write(annual, "requests/qcj/2025.yml", RECORD)
    write(annual, "reports/qczj/2025-汇总.md", "## 一、总体情况\n\n无。\n")
    _, found, _ = errors(annual)
    assert "requests/ 下的文件应为 requests/<单位代码>/<年份>.yml" in only(found, "requests-location")["message"]
    assert "是否应为「qczj」" in only(found, "unknown-unit")["message"]
    assert "只有本级政府（qzf）有汇总报告" in only(found, "rollup-unit")["message"]


# -- narratives -----------------------------------------------------------------------------------

NARRATIVE = """---
行政许可: 5
行政处罚: 1
行政强制: /
行政事业性收费: 3.25
---

## 一、总体情况

总体情况。

## 五、存在的主要问题及改进情况

无。

## 六、其他需要报告的事项

本年度未收取信息处理费。
"""


@pytest.mark.parametrize("old, new, code, field, text", [
    ("行政许可: 5\n", "", "required", "行政许可", "缺少必填字段「行政许可」"),
    ("行政许可: 5", "行政许可: 很多", "figure", "行政许可", "应为不小于 0 的整数，或「/」（本单位无此职权）"),
    ("行政处罚: 1", "行政处罚: 1.5", "figure", "行政处罚", "应为不小于 0 的整数"),
    ("行政事业性收费: 3.25", "行政事业性收费: 3.123456", "figure", "行政事业性收费", "最多写 4 位小数"),
    ("行政强制: /", "行政强制: /\n规章: 3", "report-key", "规章", "规章和行政规范性文件的件数由目录中的信息自动统计"),
    ("行政强制: /", "行政强制: /\n发布日期: 2025-12-30", "report-published-early", "发布日期", "应晚于 2025-12-31"),
    ("行政强制: /", "行政强制: /\n发布日期: 2026-1-20", "date-format", "发布日期", "应写成 YYYY-MM-DD"),
    ("行政强制: /", "行政强制: /\n索引号: 2026-00001", "index-format", "索引号", "格式不对"),
    ("行政强制: /", "行政强制: /\n索引号: 11350199MB01000012/2026-00001", "index-prefix", "索引号",
     "应为本单位（示例区财政局）的机构代码 11350199MB0300003D"),
    ("行政强制: /", "行政强制: /\n索引号: 11350199MB0300003D/2025-00002", "duplicate-index-no", "索引号", "重复"),
])
def test_narrative_front_matter_mistakes(annual, old, new, code, field, text):
    path = write(annual, "reports/qczj/2025.md", NARRATIVE.replace(old, new))
    _, found, _ = errors(annual)
    hit = only(found, code)
    assert (hit["path"], hit["field"]) == ("catalogue/reports/qczj/2025.md", field)
    assert text in hit["message"]
    if field in path.read_text(encoding="utf-8"):
        assert hit["line"] == line_of(path, field)


@pytest.mark.parametrize("old, new, code, line_prefix, text", [
    ("## 五、存在的主要问题及改进情况\n\n无。\n\n", "", "report-section-missing", None,
     "缺少「## 五、存在的主要问题及改进情况」"),
    ("## 五、存在的主要问题及改进情况\n\n无。\n", "## 五、存在的主要问题及改进情况\n\n", "report-section-empty",
     "## 五", "没有需要报告的写「无。」"),
    ("## 一、总体情况", "# 标题\n\n## 一、总体情况", "report-title", "# 标题", "不要写一级标题"),
    ("## 五、", "## 三、收到和处理政府信息公开申请情况\n\n表格。\n\n## 五、", "report-computed-section", "## 三",
     "由 gkml 根据目录和依申请公开登记自动生成"),
    ("## 五、", "## 七、附件\n\n无。\n\n## 五、", "report-section", "## 七", "不认识的部分「七、附件」"),
    ("## 六、其他需要报告的事项\n\n本年度未收取信息处理费。\n", "## 六、其他需要报告的事项\n\n无。\n\n## 一、总体情况\n\n又一次。\n",
     "report-section-repeated", "## 一、总体情况\n\n又", "「一、总体情况」出现了两次"),
    ("总体情况。", "联系人身份证号11010519491231002X。", "personal-data", "联系人", "含有身份证号「110105********002X」"),
])
def test_narrative_body_mistakes(annual, old, new, code, line_prefix, text):
    path = write(annual, "reports/qczj/2025.md", NARRATIVE.replace(old, new))
    _, found, _ = errors(annual)
    hit = only(found, code)
    assert hit["path"] == "catalogue/reports/qczj/2025.md" and text in hit["message"]
    if line_prefix:
        lines = path.read_text(encoding="utf-8").split("\n")
        first = line_prefix.split("\n")[0]
        candidates = [n for n, line in enumerate(lines, 1) if line.startswith(first)]
        assert hit["line"] in candidates


def test_section_order_and_title_wording(annual):
    text = NARRATIVE.replace("## 五、存在的主要问题及改进情况\n\n无。\n\n", "").replace(
        "本年度未收取信息处理费。\n", "本年度未收取信息处理费。\n\n## 五、存在的问题\n\n无。\n")
    write(annual, "reports/qczj/2025.md", text)
    _, found, diags = errors(annual)
    assert "按 一、五、六 的顺序排列" in only(found, "report-section-order")["message"]
    [wording] = [d for d in diags if d["code"] == "report-section-title"]
    assert wording["level"] == "warning" and "标题应为「五、存在的主要问题及改进情况」" in wording["message"]


def test_narrative_content_warnings(annual):
    path = annual / "reports/qzf/2025.md"
    text = path.read_text(encoding="utf-8").replace("开展社会评议，", "").replace("本年度未收取信息处理费。", "无。")
    path.write_text(text, encoding="utf-8")
    status, found, diags = errors(annual)
    assert status == 0 and found == []
    warned = {d["code"]: d for d in diags}
    assert "文中没有提到「社会评议」" in warned["report-government-topics"]["message"]
    assert warned["report-fee-missing"]["line"] == line_of(path, "## 六")
    status, _, _ = errors(annual, "--strict")
    assert status == 1
    # A department report is not asked about 考核/社会评议/责任追究.
    assert [d for d in diags if d["code"] == "report-government-topics" and "qczj" in d["path"]] == []


def test_missing_register_and_missing_report_are_warned(annual):
    (annual / "requests/qzf/2025.yml").unlink()
    (annual / "reports/qczj/2024.md").unlink()
    status, found, diags = errors(annual)
    codes = {d["code"]: d for d in diags}
    assert status == 0 and found == []
    assert "没有 2025 年的依申请公开登记 requests/qzf/2025.yml" in codes["register-missing"]["message"]
    assert "示例区财政局2024 年的年度报告应在 2025-01-31 前公布" in codes["report-missing"]["message"]


def test_rollup_narrative_has_no_figures_but_may_be_dated(annual):
    write(annual, "reports/qzf/2025-汇总.md", NARRATIVE)
    _, found, _ = errors(annual)
    assert "汇总报告的元数据只写发布日期和索引号，不认识「行政许可」" in [
        d["message"] for d in found if d["code"] == "rollup-front-matter"][0]
    body = NARRATIVE.split("---\n", 2)[2]
    write(annual, "reports/qzf/2025-汇总.md", "---\n发布日期: 2026-03-20\n索引号: 11350199MB01000012/2026-00009\n---\n" + body)
    status, found, _ = errors(annual)
    assert (status, found) == (0, [])


def test_an_undated_report_is_a_notice(annual):
    path = annual / "reports/qczj/2025.md"
    path.write_text(path.read_text(encoding="utf-8").replace("发布日期: 2026-01-20\n", ""), encoding="utf-8")
    _, _, diags = errors(annual)
    undated = [d for d in diags if d["code"] == "report-undated"]
    assert [(d["path"], d["level"]) for d in undated] == [("catalogue/reports/qczj/2025.md", "notice")]
    assert "公布后在本文件开头的元数据中写「发布日期」和「索引号」" in undated[0]["message"]


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", "申请: [".encode(), "- 列表\n".encode(), b"   \n",
                                     "申请:\n  - 编号: [1, 2]\n    收到日期: 99999-01-01\n".encode()])
def test_garbage_never_raises_a_traceback(annual, content):
    (annual / "requests/qczj/2025.yml").write_bytes(content)
    (annual / "reports/qczj/2025.md").write_bytes(content)
    result = run_gkml("check", annual)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "catalogue/requests/qczj/2025.yml" in result.stdout


def test_readme_examples_are_valid_and_add_up(annual):
    from conftest import REPO
    readme = (REPO / "catalogue/README.md").read_text(encoding="utf-8")
    lines, in_code = readme[readme.index("\n## 五、年度报告数据") + 1:].split("\n"), False
    for end, line in enumerate(lines):
        in_code ^= line.startswith("```")
        if end and not in_code and line.startswith("## "):
            break  # the next section of the README
    section = "\n".join(lines[:end])
    blocks = {lang: [] for lang in ("yaml", "markdown")}
    for lang, body in re.findall(r"```(yaml|markdown)\n(.*?)```", section, re.S):
        blocks[lang].append(body)
    register, totals = blocks["yaml"]
    [narrative] = blocks["markdown"]
    write(annual, "requests/qczj/2025.yml", register)
    write(annual, "reports/qczj/2025.md", narrative.replace("……", "内容。"))
    write(annual, "requests/qzf/2025.yml", totals)
    status, found, diags = errors(annual, "--strict")
    diags = [d for d in diags if d["level"] != "notice" or d["path"].endswith("qczj/2025.md")]  # the fixture's own
    assert (status, diags) == (0, [])  # the example is dated: no 「没有发布日期」 notice


def test_overview_five_topics_and_section_six(annual):
    path = annual / "reports/qczj/2025.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("政府信息管理、平台建设、监督保障", "平台建设").replace(
        "政务公开工作要点均已落实；本年度未承办人大代表建议和政协提案。", "无。"), encoding="utf-8")
    status, found, diags = errors(annual)
    assert status == 0 and found == []
    mine = [d for d in diags if d["path"] == "catalogue/reports/qczj/2025.md"]
    [overview] = [d for d in mine if d["code"] == "report-overview-topics"]
    assert overview["line"] == line_of(path, "## 一") and overview["level"] == "warning"
    assert overview["message"].endswith("文中没有写到「政府信息管理」「监督保障」")
    other = sorted(d["message"] for d in mine if d["code"] == "report-other-topics")
    assert len(other) == 2 and "政务公开工作要点落实情况" in other[1] and "人大代表建议和政协提案" in other[0]
    # The roll-up's narrative is held to the same layout.
    write(annual, "reports/qzf/2025-汇总.md", "## 一、总体情况\n\n汇总。\n\n## 五、存在的主要问题及改进情况\n\n无。\n\n"
                                             "## 六、其他需要报告的事项\n\n本年度未收取信息处理费。\n")
    _, _, diags = errors(annual)
    assert {d["code"] for d in diags if d["path"].endswith("2025-汇总.md") and d["level"] != "notice"} == {"report-overview-topics",
                                                                                "report-other-topics"}
