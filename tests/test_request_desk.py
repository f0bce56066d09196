"""The request desk (`gkml requests`, and its section of `gkml audit`): open requests, their due
dates with 延期, 补正 and 征求意见 accounted for, working days left, 即将逾期 and 逾期."""
from __future__ import annotations

import datetime as dt
import json

from conftest import line_of, run_cli
from test_annual_helpers import annual, write  # noqa: F401

from gkml.annual.desk import build_desk
from gkml.catalogue.validate import load_catalogue

D = dt.date.fromisoformat
TODAY = "2026-12-08"
REGISTER = """申请:
  - 编号: 2026-080
    收到日期: 2026-11-02
    申请人类型: 自然人
  - 编号: 2026-081
    收到日期: 2026-11-02
    申请人类型: 自然人
    延期: true
  - 编号: 2026-085
    收到日期: 2026-11-05
    申请人类型: 自然人
    补正: {告知日期: 2026-11-06}
  - 编号: 2026-086
    收到日期: 2026-10-20
    申请人类型: 商业企业
    补正: {告知日期: 2026-10-22, 补正日期: 2026-11-20}
  - 编号: 2026-087
    收到日期: 2026-11-12
    申请人类型: 自然人
  - 编号: 2026-088
    收到日期: 2026-11-16
    申请人类型: 自然人
    征求意见: {发出日期: 2026-11-20}
  - 编号: 2026-090
    收到日期: 2026-11-10
    申请人类型: 自然人
  - 编号: 2026-091
    收到日期: 2026-11-10
    申请人类型: 自然人
    答复日期: 2026-11-20
    办理结果: 予以公开
"""


def desk_json(root, *extra):
    result = run_cli("requests", "--format", "json", "--today", TODAY, *extra, root)
    return result.exit_code, json.loads(result.stdout)


def test_each_open_request_with_its_due_date_and_working_days_left(annual):
    write(annual, "requests/qczj/2026.yml", REGISTER)
    code, data = desk_json(annual, "--unit", "qczj")
    assert code == 1  # one request is 逾期
    [unit] = data["units"]
    rows = {r["number"]: (r["state"], r["due"], r["left"]) for r in unit["requests"]}
    assert rows == {
        # 11-02 + 20 working days = 11-30; 12-01..04, 12-07, 12-08: 6 working days past it.
        "2026-080": ("逾期", "2026-11-30", -6),
        # 11-10 + 20 = 12-08, today: the last day.
        "2026-090": ("即将逾期", "2026-12-08", 0),
        # 11-12 + 20 = 12-10: 12-09 and 12-10 left.
        "2026-087": ("即将逾期", "2026-12-10", 2),
        # Corrected 11-20: the clock restarts, 20 working days = 12-18.
        "2026-086": ("办理中", "2026-12-18", 8),
        # 延期: 40 working days from 11-02 = 12-28.
        "2026-081": ("办理中", "2026-12-28", 14),
        # 征求意见 sent 11-20 after 4 working days (11-17..20): paused with 16 left.
        "2026-088": ("征求意见中", None, 16),
        "2026-085": ("待补正", None, None),
    }
    assert [r["number"] for r in unit["requests"]] == ["2026-080", "2026-090", "2026-087", "2026-086", "2026-081",
                                                        "2026-088", "2026-085"]
    assert data["counts"] == {"逾期": 1, "即将逾期": 2, "办理中": 2, "征求意见中": 1, "待补正": 1}
    first = unit["requests"][0]
    assert (first["file"], first["line"]) == ("requests/qczj/2026.yml", line_of(annual / "requests/qczj/2026.yml",
                                                                               "  - 编号: 2026-080"))
    consult = next(r for r in unit["requests"] if r["number"] == "2026-088")
    assert "第三方应在 2026-12-11 前答复" in " ".join(consult["notes"])  # 15 working days (条例第三十二条)
    assert any("重新计算" in n for n in next(r for r in unit["requests"] if r["number"] == "2026-085")["notes"])
    # The threshold is configurable: with 1 working day, 2026-087 (2 left) is no longer 即将逾期.
    _, data = desk_json(annual, "--unit", "qczj", "--warn-days", "1")
    assert {r["number"]: r["state"] for r in data["units"][0]["requests"]}["2026-087"] == "办理中"
    site = annual / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "自查:\n  即将逾期: 10\n", encoding="utf-8")
    _, data = desk_json(annual, "--unit", "qczj")
    assert data["warn_days"] == 10 and data["counts"]["即将逾期"] == 3


def test_text_and_printable_page(annual, tmp_path):
    write(annual, "requests/qczj/2026.yml", REGISTER)
    text = run_cli("requests", "--today", TODAY, annual)
    assert text.exit_code == 1
    assert "【示例区财政局】未办结 7 件" in text.stdout
    assert "逾期" in text.stdout and "已超过 6 个工作日" in text.stdout and "今天到期" in text.stdout
    assert "逾期 1 件，即将逾期 2 件，办理中 2 件，征求意见中 1 件，待补正 1 件" in text.stdout
    out = tmp_path / "desk.html"
    page = run_cli("requests", "--today", TODAY, "--format", "html", "-o", out, annual)
    assert page.exit_code == 1 and "办理台账已写入" in page.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "不对外公开" in html and "<script" not in html
    assert '<tr class="overdue"><td class="state">逾期</td><th scope="row">2026-080</th>' in html
    assert "@page { size: A4 landscape" in html


def test_december_due_dates_are_marked_as_estimates(annual):
    write(annual, "requests/qczj/2026.yml", "申请:\n  - 编号: 2026-101\n    收到日期: 2026-12-04\n    申请人类型: 自然人\n")
    code, data = desk_json(annual, "--unit", "qczj")
    [row] = data["units"][0]["requests"]
    assert code == 0 and row["state"] == "办理中"
    from gkml.catalogue.workdays import LIBRARY_YEARS
    if 2027 not in LIBRARY_YEARS:
        assert (row["due"], row["estimated"], data["estimated"]) == ("2027-01-04", [2027], [2027])
        assert data["estimate_note"].startswith("估算：2027 年的节假日安排尚未收录")
        text = run_cli("requests", "--today", TODAY, "--unit", "qczj", annual).stdout
        assert "期限 2027-01-04（估算）" in text and "估算：2027 年" in text


def test_an_audit_as_of_a_past_date_sees_later_answers_as_open(annual):
    cat, _ = load_catalogue(annual, today=D("2026-06-30"))
    # The fixture's 2025-003 was received 2025-12-25 and answered 2026-01-20 (due 2026-01-27).
    desk = build_desk(cat, D("2026-01-15"), unit="qczj")
    assert [(o.request.number, o.state, o.due) for o in desk.open["qczj"]] == [
        ("2025-003", "办理中", D("2026-01-27"))]
    assert build_desk(cat, D("2026-01-21"), unit="qczj").open["qczj"] == []


def test_audit_lists_overdue_and_due_soon_requests(annual):
    write(annual, "requests/qczj/2026.yml", REGISTER)
    result = run_cli("audit", annual, "--as-of", TODAY, "--unit", "qczj", "--format", "json")
    data = json.loads(result.stdout)
    found = [(f["kind"], f["details"]["number"]) for f in data["findings"] if f["kind"].startswith("request-")]
    assert found == [("request-overdue", "2026-080"), ("request-due-soon", "2026-087"),
                     ("request-due-soon", "2026-090")]
    overdue = next(f for f in data["findings"] if f["kind"] == "request-overdue")
    assert overdue["level"] == "error" and overdue["file"] == "requests/qczj/2026.yml"
    assert "答复期限 2026-11-30 已过" in overdue["message"]
    assert data["requests"]["counts"]["逾期"] == 1
    text = run_cli("audit", annual, "--as-of", TODAY, "--unit", "qczj").stdout
    assert "依申请公开：未办结 7 件，其中逾期 1 件、即将逾期 2 件" in text
