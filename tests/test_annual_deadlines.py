"""The legal time limits for answering requests (条例第三十、三十三条), counted in Chinese
working days: public holidays are not counted and 调休 weekend workdays are."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from test_annual_helpers import annual, build, diagnostics, write  # noqa: F401

from gkml.annual.compute import answer_due, late_requests
from gkml.annual.register import Request
from gkml.catalogue.workdays import WorkCalendar

D = dt.date.fromisoformat
CAL = WorkCalendar()  # chinese_calendar's State Council schedule, no overrides


def request(received: str, **kw) -> Request:
    return Request("qczj", "T-1", D(received), 0, Path("requests/qczj/2025.yml"), 3, **kw)


def test_national_day_week_2025_is_counted_by_hand():
    # Received Fri 2025-09-26. Working days after it: 09-28 (Sun, 调休) 1, 09-29 2, 09-30 3,
    # 10-01..10-08 holiday, 10-09 4, 10-10 5, 10-11 (Sat, 调休) 6, 10-13..17 7-11, 10-20..24 12-16,
    # 10-27..30 17-20.
    start, due, allowed = answer_due(request("2025-09-26"), CAL)
    assert (start, due, allowed) == (D("2025-09-26"), D("2025-10-30"), 20)
    # Counting only Monday-to-Friday would have given 2025-10-24; ignoring only the 调休 days, 2025-11-03.
    assert due not in (D("2025-10-24"), D("2025-11-03"))


def test_answer_on_the_last_day_is_on_time_and_a_day_later_is_late():
    on_time = request("2025-09-26", answered=D("2025-10-30"), outcome="予以公开")
    late = request("2025-09-26", answered=D("2025-10-31"), outcome="予以公开")
    assert late_requests([on_time], 2025, CAL) == []
    [found] = late_requests([late], 2025, CAL)
    assert (found.kind, found.due, found.late_workdays) == ("答复", D("2025-10-30"), 1)
    assert found.explanation == "2025-09-26 收到，答复期限 20 个工作日，应在 2025-10-30 前答复，2025-10-31 才答复，超期 1 个工作日"


def test_extension_adds_twenty_working_days():
    # From 2025-10-30 (day 20): 10-31 21, 11-03..07 22-26, 11-10..14 27-31, 11-17..21 32-36, 11-24..27 37-40.
    _, due, allowed = answer_due(request("2025-09-26", extended=True), CAL)
    assert (due, allowed) == (D("2025-11-27"), 40)


def test_correction_restarts_the_clock_from_the_corrected_request():
    # Corrected request received 2025-09-10: 09-11..12 1-2, 09-15..19 3-7, 09-22..26 8-12, 09-28 13,
    # 09-29..30 14-15, 10-09..10 16-17, 10-11 18, 10-13..14 19-20.
    corrected = request("2025-09-01", notice=D("2025-09-03"), corrected=D("2025-09-10"),
                        answered=D("2025-10-14"), outcome="予以公开")
    assert answer_due(corrected, CAL)[:2] == (D("2025-09-10"), D("2025-10-14"))
    assert late_requests([corrected], 2025, CAL) == []
    uncorrected = request("2025-09-01", answered=D("2025-10-14"), outcome="予以公开")
    assert answer_due(uncorrected, CAL)[1] == D("2025-09-28")  # the 调休 Sunday is the 20th working day
    # 09-29, 09-30, 10-09, 10-10, 10-11 (调休), 10-13, 10-14: 7 working days late.
    assert [late.late_workdays for late in late_requests([uncorrected], 2025, CAL)] == [7]


def test_consultation_time_is_not_counted():
    # 2025-03-03 + 20 working days would be 2025-03-31; the 9 working days of consultation
    # (03-11..14, 03-17..21) move it past 清明 (04-04 holiday) to 2025-04-14.
    consulted = request("2025-03-03", consulted=(D("2025-03-10"), D("2025-03-21")))
    assert answer_due(consulted, CAL)[1] == D("2025-04-14")
    assert answer_due(request("2025-03-03"), CAL)[1] == D("2025-03-31")


def test_correction_notice_within_seven_working_days():
    # 2025-09-26 + 7 working days: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13.
    ok = request("2025-09-26", notice=D("2025-10-13"), corrected=D("2025-10-15"))
    late = request("2025-09-26", notice=D("2025-10-14"), corrected=D("2025-10-15"))
    assert late_requests([ok], 2025, CAL) == []
    [found] = late_requests([late], 2025, CAL)
    assert (found.kind, found.due, found.late_workdays) == ("补正告知", D("2025-10-13"), 1)


@pytest.mark.parametrize("outcome", ["逾期不补正", "逾期未缴费"])
def test_no_deadline_when_the_applicant_let_the_request_lapse(outcome):
    lapsed = request("2025-01-02", notice=D("2025-01-03"), answered=D("2025-06-30"), outcome=outcome)
    assert late_requests([lapsed], 2025, CAL) == []


def test_late_request_of_another_year_is_not_listed():
    late_in_2026 = request("2025-12-01", answered=D("2026-02-27"), outcome="予以公开")
    assert late_requests([late_in_2026], 2025, CAL) == []
    assert [x.done for x in late_requests([late_in_2026], 2026, CAL)] == [D("2026-02-27")]


def test_holidays_file_overrides_the_calendar(annual):
    # holidays.yml adds to the library's year: here 10-08 is made a working day (as if the State
    # Council had announced it), so the 20th working day comes one day earlier.
    write(annual, "holidays.yml", "2025:\n  调休上班: [2025-09-28, 2025-10-08, 2025-10-11]\n"
          "  节假日: [2025-10-01, 2025-10-02, 2025-10-03, 2025-10-06, 2025-10-07]\n")
    reports, _ = build(annual)
    [late] = reports["qczj-2025"].late
    assert (late.request.number, late.due, late.late_workdays) == ("2025-002", D("2025-10-29"), 1)


def test_the_fixtures_national_day_request_is_on_time_and_one_day_later_is_listed(annual):
    reports, _ = build(annual)
    assert reports["qczj-2025"].late == []
    path = annual / "requests/qczj/2025.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("答复日期: 2025-10-30", "答复日期: 2025-10-31"),
                    encoding="utf-8")
    reports, report = build(annual)
    assert [(x.request.number, x.due, x.late_workdays) for x in reports["qczj-2025"].late] == [
        ("2025-002", D("2025-10-30"), 1)]
    assert [x.request.number for x in reports["qzf-2025-huizong"].late] == ["2025-002"]
    assert report.errors == [] and reports["qczj-2025"].problems == []  # late is a fact, not a wrong table
    assert "超期 1 个工作日" in reports["qczj-2025"].render_markdown()


def test_pending_request_past_its_deadline_is_noticed(annual):
    path = annual / "requests/qczj/2025.yml"
    text = path.read_text(encoding="utf-8").replace("    答复日期: 2026-01-20\n    办理结果: 予以公开\n", "")
    path.write_text(text, encoding="utf-8")
    _, report = build(annual, today=D("2026-01-26"))  # due 2026-01-27 (元旦 01-01 not counted)
    assert diagnostics(report, "request-pending-overdue") == []
    _, report = build(annual, today=D("2026-01-28"))
    [warning] = diagnostics(report, "request-pending-overdue")
    # a notice: shown, but a late reply never stops the site from being published, even --strict
    assert warning.level == "notice" and warning.path == "catalogue/requests/qczj/2025.yml"
    assert "申请「2025-003」的答复期限 2026-01-27 已过" in warning.message
