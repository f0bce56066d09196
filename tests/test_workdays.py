"""Working days beyond the holiday data (估算, never an error) and holidays.yml adding to the
library instead of replacing it (catalogue/README.md「节假日」)."""
from __future__ import annotations

import datetime as dt
import json

from conftest import line_of, run_cli, run_gkml
from sitetools import write_config
from test_annual_helpers import annual, build, diagnostics, write  # noqa: F401

from gkml.annual.compute import answer_due, late_requests
from gkml.annual.register import Request
from gkml.catalogue.workdays import LIBRARY_YEARS, WorkCalendar, estimate_note

D = dt.date.fromisoformat
WITHOUT_2026 = LIBRARY_YEARS - {2026}  # stands for the release before the 2026 notice (chinesecalendar 1.10)


def test_a_year_beyond_the_data_is_estimated_on_the_stated_basis():
    cal = WorkCalendar(library_years=WITHOUT_2026)
    assert cal.missing_years(D("2025-12-04"), D("2026-01-05")) == [2026]
    assert cal.missing_years(D("2025-01-01"), D("2025-12-31")) == []
    assert not cal.is_workday(D("2026-01-01"))  # 元旦: a fixed date, known in advance
    assert not cal.is_workday(D("2026-05-02")) and not cal.is_workday(D("2026-10-03"))
    assert cal.is_workday(D("2026-02-16"))  # 春节 moves with the lunar calendar: not in the estimate
    assert not cal.is_workday(D("2026-01-04"))  # a Sunday the notice later made a 调休 workday
    # Received Thu 2025-12-04: 12-05 1, 12-08..12 2-6, 12-15..19 7-11, 12-22..26 12-16, 12-29..31 17-19,
    # 2026-01-01 元旦 (estimated holiday), 01-02 20.
    due = answer_due(Request("qczj", "T-1", D("2025-12-04"), 0, None, 1), cal)[1]
    assert due == D("2026-01-02")
    note = estimate_note([2026])
    assert note.startswith("估算：2026 年的节假日安排尚未收录") and "holidays.yml" in note
    assert "1月1日元旦" in note and "春节" in note


def test_the_estimate_is_recomputed_when_the_years_data_arrives(tmp_path):
    path = tmp_path / "holidays.yml"
    received = Request("qczj", "T-1", D("2025-12-04"), 0, None, 1)
    assert answer_due(received, WorkCalendar.from_file(path, WITHOUT_2026))[1] == D("2026-01-02")
    # The 2026 notice typed in: 元旦 1月1日至3日, 1月4日 (Sunday) a working day.
    path.write_text("2026:\n  放假: [2026-01-01, 2026-01-02, 2026-01-03, 2026-05-01, 2026-05-02, 2026-10-01,"
                    " 2026-10-02, 2026-10-03]\n  调休上班: [2026-01-04]\n", encoding="utf-8")
    cal = WorkCalendar.from_file(path, WITHOUT_2026)
    assert cal.missing_years(D("2025-12-04"), D("2026-01-05")) == [] and cal.problems == []
    assert answer_due(received, cal)[1] == D("2026-01-04")  # the 调休 Sunday is the 20th working day
    # And the real library (1.11) agrees with the typed notice.
    assert answer_due(received, WorkCalendar())[1] == D("2026-01-04")


def test_late_answers_computed_on_an_estimate_say_so():
    cal = WorkCalendar(library_years=WITHOUT_2026)
    late = Request("qczj", "T-1", D("2025-12-04"), 0, None, 1, answered=D("2026-01-06"), outcome="予以公开")
    [found] = late_requests([late], 2026, cal)
    assert found.estimated == (2026,) and "应在 2026-01-02（估算） 前答复" in found.explanation
    [exact] = late_requests([late], 2026, WorkCalendar())
    assert exact.estimated == () and "估算" not in exact.explanation


def test_one_workday_in_holidays_yml_keeps_the_librarys_holidays(annual):
    write(annual, "holidays.yml", "2026:\n  调休上班: [2026-02-14]\n")
    cal = WorkCalendar.from_file(annual / "holidays.yml")
    assert cal.problems == []
    assert cal.is_workday(D("2026-02-14"))
    assert not cal.is_workday(D("2026-02-16")) and not cal.is_workday(D("2026-10-01"))  # 春节, 国庆 kept
    assert cal.is_workday(D("2026-02-28"))  # the library's own 调休 Saturday too
    _, report = build(annual)
    assert [d.code for d in report.items if d.code.startswith("holidays")] == []


def test_added_holiday_and_corrected_workday_on_top_of_the_library(tmp_path):
    path = tmp_path / "holidays.yml"
    path.write_text("2025:\n  放假: [2025-10-09]\n  调休上班: [2025-10-08]\n", encoding="utf-8")
    cal = WorkCalendar.from_file(path)
    assert not cal.is_workday(D("2025-10-09")) and cal.is_workday(D("2025-10-08"))
    assert not cal.is_workday(D("2025-10-01")) and cal.is_workday(D("2025-09-28"))  # the rest of the library's year


def test_a_whole_year_is_replaced_only_when_the_file_says_so(tmp_path):
    path = tmp_path / "holidays.yml"
    path.write_text("2026:\n  替换全年: true\n  调休上班: [2026-02-14]\n", encoding="utf-8")
    cal = WorkCalendar.from_file(path)
    assert cal.is_workday(D("2026-02-16")) and cal.is_workday(D("2026-10-01"))  # as the file says
    [warning] = cal.problems
    assert (warning.level, warning.code, warning.line) == ("warning", "holidays-incomplete", 1)
    assert "没有 1月1日（元旦）" in warning.message and "替换全年" in warning.message


def test_holidays_yml_is_validated_with_file_and_line(annual):
    write(annual, "holidays.yml", "2027:\n"
                                   "  放假: [2027-01-01, 2027-05-01, 2027-05-02, 2027-10-01, 2027-10-02, 2027-10-03]\n"
                                   "  调休上班:\n"
                                   "    - 2026-12-26\n"
                                   "    - 2027-10-02\n"
                                   "    - 2027-02-15\n"
                                   "  放假日期: [2027-02-06]\n"
                                   "2028年:\n"
                                   "  放假: [2028-13-01]\n")
    code, data = json_check(annual)
    found = {(d["code"], d["line"], d["level"]) for d in data["diagnostics"] if d["path"].endswith("holidays.yml")}
    assert found == {("holidays-wrong-year", 4, "error"), ("holidays-both", 3, "error"),
                     ("holidays-weekday-workday", 3, "warning"), ("holidays-key", 7, "error"),
                     ("holidays-year", 8, "error")}
    assert code == 1
    result = run_cli("check", "--today", "2026-06-30", annual)
    text = result.stdout + result.stderr
    assert "holidays.yml:4: 错误: 2026-12-26 不在 2027 年；请写到「2026:」下" in text
    assert "holidays.yml:3: 错误: 2027-10-02 同时写在「放假」和「调休上班」中" in text
    assert "holidays.yml:7: 错误: 不认识「放假日期」" in text and "放假" in text
    assert "2027-02-15 是星期一，本来就上班" in text
    write(annual, "holidays.yml", "2027:\n  放假: [2027-01-01\n")
    code, data = json_check(annual)
    [syntax] = [d for d in data["diagnostics"] if d["path"].endswith("holidays.yml")]
    assert (code, syntax["code"], syntax["level"]) == (1, "holidays-syntax", "error")


def json_check(root, today="2026-06-30", *extra: str):
    result = run_cli("check", "--format", "json", "--today", today, *extra, root)
    return result.exit_code, json.loads(result.stdout)


def december_requests(root) -> None:
    write(root, "requests/qczj/2026.yml", "申请:\n"
                                          "  - 编号: 2026-101\n"
                                          "    收到日期: 2026-12-04\n"
                                          "    申请人类型: 自然人\n"
                                          "  - 编号: 2026-102\n"
                                          "    收到日期: 2026-12-07\n"
                                          "    申请人类型: 商业企业\n")


def test_december_requests_check_with_notices_only(annual):
    december_requests(annual)
    code, data = json_check(annual, "2026-12-08", "--strict")  # as the pre-commit hook and CI run it
    assert code == 0 and data["errors"] == 0 and data["warnings"] == 0
    estimates = [d for d in data["diagnostics"] if d["code"] == "calendar-estimate"]
    if 2027 in LIBRARY_YEARS:  # a chinesecalendar release with 2027: nothing to estimate
        assert estimates == []
        return
    assert [(d["level"], d["line"]) for d in estimates] == [("notice", 2), ("notice", 5)]
    # 2026-12-04 + 20 working days: 12-07..11 1-5, 12-14..18 6-10, 12-21..25 11-15, 12-28..31 16-19,
    # 2027-01-01 元旦, 01-04 20.
    assert "申请「2026-101」的答复期限 2027-01-04（估算）：估算：2027 年的节假日安排尚未收录" in estimates[0]["message"]
    assert "申请「2026-102」的答复期限 2027-01-05（估算）" in estimates[1]["message"]
    # The State Council's 2027 notice typed in (the dates here are for the test only): recomputed.
    write(annual, "holidays.yml", "2027:\n  放假: [2027-01-01, 2027-01-04, 2027-05-01, 2027-05-02, 2027-10-01, "
                                   "2027-10-02, 2027-10-03]\n")
    code, data = json_check(annual, "2026-12-08")
    assert code == 0 and not [d for d in data["diagnostics"] if d["code"] == "calendar-estimate"]
    code, data = json_check(annual, "2027-01-06")
    [overdue] = [d for d in data["diagnostics"] if d["code"] == "request-pending-overdue"]
    assert "申请「2026-101」的答复期限 2027-01-05 已过" in overdue["message"]  # 01-04 is now a holiday
    assert line_of(annual / "requests/qczj/2026.yml", "  - 编号: 2026-101") == overdue["line"]


def test_december_requests_build(annual, tmp_path):
    """The real `gkml build` as on 2026-12-08, whatever the date the suite runs on: never stopped
    by the calendar."""
    december_requests(annual)
    config = write_config(annual, tmp_path / "site", tmp_path, site_url="https://www.example.org/")
    result = run_gkml("build", "--strict", "--today", "2026-12-08", "-f", config)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").exists() and "错误" not in result.stderr
    estimated = 2027 not in LIBRARY_YEARS
    assert ("requests/qczj/2026.yml:2: 提示: 申请「2026-101」的答复期限 2027-01-04（估算）" in result.stderr) == estimated
    # the day is the build's, not the machine's: on 2026-12-01 these receipts lie in the future
    early = run_gkml("build", "--today", "2026-12-01", "-f", config)
    assert early.returncode == 1 and "2026-12-04" in early.stderr and "原有网站保持不变" in early.stderr
