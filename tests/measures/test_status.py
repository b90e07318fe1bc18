"""What is in force and what is due (spasmcare.measures.status), derived by hand.

The course: UKISS prednisolone started 2 Mar 2026 (day 1), answered "yes" at day 7: 40 mg/day
from day 1, 60 mg/day from day 8 (9 Mar), the tail 30/20/10 mg/day from day 15 (16 Mar), 20
(21 Mar) and 25 (26 Mar), last dose day 29 = 30 Mar 2026.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from spasmcare.measures.alerts import AlertSettings, patient_alerts
from spasmcare.measures.status import course_state, course_text, dose_on, patient_status
from spasmcare.record.model import Dose, Treatment, VitalSign
from tests.measures.builders import START, build, day

UKISS = Treatment(
    id="pred1",
    drug="prednisolone",
    start=START,
    stop=day(29),
    protocol="prednisolone-high-dose",
    doses=(
        Dose(day(1), 40.0, "mg/day", "full dose 40 mg/day"),
        Dose(day(8), 60.0, "mg/day", "escalated dose 60 mg/day"),
        Dose(day(15), 30.0, "mg/day", "taper 30 mg/day (after escalation)"),
        Dose(day(20), 20.0, "mg/day", "taper 20 mg/day (after escalation)"),
        Dose(day(25), 10.0, "mg/day", "taper 10 mg/day (after escalation)"),
    ),
)


def test_day_9_is_the_escalated_dose_with_its_last_dose() -> None:
    assert day(9) == date(2026, 3, 10)
    assert course_text(UKISS, day(9)) == (
        "prednisolone 60 mg/day (day 9 of 29, escalated dose 60 mg/day; last dose 30 Mar 2026)"
    )


def test_the_tail_says_tapering() -> None:
    assert course_text(UKISS, day(21)) == (
        "prednisolone 20 mg/day (day 21 of 29, taper 20 mg/day (after escalation), tapering; "
        "last dose 30 Mar 2026)"
    )


def test_before_and_after_the_course() -> None:
    assert course_state(UKISS, day(0)) == "planned"
    assert course_text(UKISS, day(0)) == "prednisolone: starts on 2 Mar 2026"
    assert dose_on(UKISS, day(29)) == UKISS.doses[-1]  # the stop day is a dose day
    assert course_state(UKISS, day(30)) == "stopped"
    assert course_text(UKISS, day(30)) == "prednisolone: stopped on 30 Mar 2026"
    assert dose_on(UKISS, day(30)) is None


def test_status_of_the_course_on_day_9() -> None:
    record = build(treatments=[UKISS])
    status = patient_status(record, day(9))
    (course,) = status["courses"]
    assert course["state"] == "in force" and (course["day"], course["days"]) == (9, 29)
    assert course["dose"] == {
        "amount": 60.0, "unit": "mg/day", "since": "2026-03-09", "note": "escalated dose 60 mg/day"
    }
    assert course["next_change"]["start"] == "2026-03-16" and course["next_change"]["amount"] == 30
    assert status["now_on"] == course["text"]


def test_the_alerts_are_patient_alerts_and_bp_is_shown_with_the_limits() -> None:
    # 135/90 mmHg on day 8 (yesterday of day 9), limits 110/80 mmHg set for the test
    reading = VitalSign(datetime(2026, 3, 9, 9, 0), 135.0, 90.0)
    record = replace(build(treatments=[UKISS]), vitals=(reading,))
    limits = AlertSettings(bp_systolic_high_mmhg=110, bp_diastolic_high_mmhg=80)
    status = patient_status(record, day(9), settings=limits)
    expected = [
        a.to_dict() | {"at": a.since.isoformat()}
        for a in patient_alerts(record, day(9), settings=limits)
    ]
    assert status["alerts"] == expected
    assert "bp_high" in {a["kind"] for a in status["alerts"]}
    bp = status["blood_pressure"]
    assert (bp["systolic_limit_mmhg"], bp["diastolic_limit_mmhg"]) == (110, 80)
    assert bp["readings"][0]["at"] == "2026-03-09T09:00"
    # outside the 7-day window (day 9 - 7 = day 2 is its first day): not listed
    later = patient_status(record, day(9) + timedelta(days=7), settings=limits)
    assert later["blood_pressure"]["readings"] == []


def test_next_checks_are_sorted_and_dated() -> None:
    record = build(treatments=[UKISS])
    status = patient_status(
        record, day(9), next_checks=[("Response EEG", day(14)), ("Blood pressure", day(10))]
    )
    assert [c["what"] for c in status["next_checks"]] == ["Blood pressure", "Response EEG"]
    assert status["next_checks"][1]["text"] == "15 Mar 2026"


@given(st.integers(min_value=-5, max_value=40))
def test_one_state_per_day_and_a_dose_exactly_while_in_force(offset: int) -> None:
    on = START + timedelta(days=offset)
    state = course_state(UKISS, on)
    assert (dose_on(UKISS, on) is not None) == (state == "in force")
    if state == "in force":
        assert dose_on(UKISS, on) in UKISS.doses


def test_the_report_reads_the_same_status_and_keeps_old_results_as_findings() -> None:
    # issue 19: the report said "No alerts." beside the list's live alerts and listed an old
    # glucose of 2.2 mmol/L (<= 2.5, urgent when recent) that the list no longer shows: it is
    # history (findings), not an alert, 30 days later
    from spasmcare.record.model import LabResult
    from spasmcare.report import build_report, render_html
    from spasmcare.report.data import ReportOptions

    old = LabResult(datetime(2026, 3, 3, 8, 0), "glucose", 2.2, "mmol/L", 2.2, "mmol/L")
    reading = VitalSign(datetime(2026, 3, 9, 9, 0), 135.0, 90.0)
    record = replace(build(treatments=[UKISS]), labs=(old,), vitals=(reading,))
    limits = AlertSettings(bp_systolic_high_mmhg=110, bp_diastolic_high_mmhg=80)
    later = ReportOptions(today=day(9) + timedelta(days=24), alerts=limits)
    report = build_report(record, later)
    # nothing recent: the glucose and the BP are old (the diary gap is today's alert)
    assert [a["kind"] for a in report["alerts"]] == ["no_diary"]
    assert [f["kind"] for f in report["findings"]] == ["glucose_low"]
    now = build_report(record, ReportOptions(today=day(9), alerts=limits))
    status = patient_status(record, day(9), settings=limits)
    assert now["alerts"] == status["alerts"] and now["status"] == status
    page = render_html(now)
    assert "No alerts." not in page and "data-alert='bp_high'" in page
    assert "135/90 mmHg" in page.split('id="blood-pressure"')[1]


def test_only_answered_decisions_are_kept() -> None:
    record = build(treatments=[UKISS])
    points = [
        {"question": "Spasms at day 7?", "day": 7, "answer": True, "effect": "60 mg/day"},
        {"question": "Response at day 14?", "day": 14, "answer": None, "effect": "taper"},
    ]
    status = patient_status(record, day(9), decisions=points)
    assert status["decisions"] == [
        {"question": "Spasms at day 7?", "day": 7, "answer": True, "effect": "60 mg/day"}
    ]
