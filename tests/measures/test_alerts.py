"""Patient-list alerts: every kind on hand-built records, the windows at their boundaries, the
exemptions of the no-diary alert, sorting, and bad input naming its field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.growth import value_at_sds
from spasmcare.measures.alerts import (
    DEFAULT_ALERT_SETTINGS,
    AlertSettings,
    OverdueCheck,
    PatientAlert,
    PendingConfirmation,
    no_diary_alert,
    not_configured,
    patient_alerts,
    sort_alerts,
)
from spasmcare.measures.labs import LabThresholds
from spasmcare.plain import day_text
from spasmcare.record.model import (
    DiaryEntry,
    DietPeriod,
    GrowthMeasurement,
    LabResult,
    Patient,
    Record,
    Treatment,
    VitalSign,
)
from spasmcare.therapy.monitoring import MonitoringItem

TODAY = date(2026, 6, 20)
BORN = date(2026, 1, 5)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def at(n: int, hour: int = 9) -> datetime:
    return datetime.combine(ago(n), time(hour, 0))


def rec(**sections: object) -> Record:
    """A female infant born 5 Jan 2026 with the given sections (no course unless given)."""
    return Record(patient=Patient(id="p", birth_date=BORN, sex="female"), **sections)  # type: ignore[arg-type]


def kept(*days_ago: int) -> frozenset[date]:
    return frozenset(ago(n) for n in days_ago)


def course(start_ago: int, stop_ago: int | None = None, drug: str = "prednisolone") -> Treatment:
    return Treatment(
        id="pred1",
        drug=drug,
        start=ago(start_ago),
        stop=ago(stop_ago) if stop_ago is not None else None,
    )


def kinds(alerts: list[PatientAlert]) -> list[str]:
    return [a.kind for a in alerts]


def glucose(n: int, mmol_l: float, hour: int = 9) -> LabResult:
    return LabResult(at(n, hour), "glucose", mmol_l, "mmol/L", mmol_l, "mmol/L")


def bhb(n: int, mmol_l: float) -> LabResult:
    return LabResult(at(n), "bhb", mmol_l, "mmol/L", mmol_l, "mmol/L")


# --- monitoring overdue ----------------------------------------------------------------------


def test_monitoring_overdue_from_tuples_objects_and_plan_items() -> None:
    items = [
        ("Blood pressure", ago(3)),
        OverdueCheck("Urine glucose", ago(0), "protocol monitoring"),
        MonitoringItem(date=ago(10), what="Vision test", sources=["FDA label"], until=ago(5)),
    ]
    alerts = patient_alerts(rec(), TODAY, monitoring_overdue=items)
    assert kinds(alerts) == ["monitoring_overdue"] * 3
    # Same severity: most recent first -> due today, 3 days ago, then the vision test whose
    # latest date (until) was 5 days ago.
    assert [a.since for a in alerts] == [ago(0), ago(3), ago(5)]
    assert all(a.severity == "review" for a in alerts)
    assert alerts[0].message == (
        "Monitoring overdue: Urine glucose, due 20 Jun 2026 (today) and not ticked."
    )
    assert alerts[1].message == (
        "Monitoring overdue: Blood pressure, due 17 Jun 2026 (3 days ago) and not ticked."
    )
    assert alerts[0].source == "protocol monitoring" and alerts[2].source == "FDA label"


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([("BP", ago(1)), ("Weight", ago(-1))], "monitoring_overdue[1].due"),  # not yet due
        ([("BP", "yesterday")], "monitoring_overdue[0].due"),
        ([("", ago(1))], "monitoring_overdue[0].label"),
        ([42], "monitoring_overdue[0]"),
    ],
)
def test_monitoring_bad_items_name_their_field(items: list[object], field: str) -> None:
    with pytest.raises(InputError) as err:
        patient_alerts(rec(), TODAY, monitoring_overdue=items)
    assert err.value.field == field


# --- blood pressure --------------------------------------------------------------------------


def bp(n: int, systolic: float, diastolic: float, hour: int = 9) -> VitalSign:
    return VitalSign(at=at(n, hour), systolic_mmhg=systolic, diastolic_mmhg=diastolic)


def test_bp_not_configured_reports_once_only_with_recent_readings() -> None:
    # Recent window (default 7 days) = 14-20 June; 13 June (7 days ago) is outside.
    old = rec(vitals=(bp(7, 130, 90),))
    assert patient_alerts(old, TODAY) == []
    recent = rec(vitals=(bp(7, 130, 90), bp(6, 100, 60), bp(1, 104, 62)))
    alerts = patient_alerts(recent, TODAY)
    assert kinds(alerts) == ["bp_thresholds_not_configured"]
    (alert,) = alerts
    # "review", never mere "info": a raised reading must not pass unnoticed (issue 12)
    assert alert.severity == "review" and alert.since == ago(1)
    assert alert.message == (
        "Blood pressure 104/62 mmHg on 19 Jun 2026 09:00 not checked: blood-pressure alerts "
        "are not configured (2 readings in the last 7 days). Look at the reading yourself, "
        "and set the clinic's limits."
    )
    assert not_configured() == [
        "high systolic blood pressure: the sources give no infant threshold, so the clinic "
        "sets its own",
        "high diastolic blood pressure: the sources give no infant threshold, so the clinic "
        "sets its own",
    ]


def test_bp_high_judges_the_latest_recent_reading_strictly_above_the_limit() -> None:
    limits = AlertSettings(bp_systolic_high_mmhg=110, bp_diastolic_high_mmhg=70)
    assert not_configured(limits) == []
    # Latest reading 112/70: systolic above 110, diastolic equal to 70 (not above).
    record = rec(vitals=(bp(2, 100, 60), bp(1, 112, 70, hour=8), bp(1, 98, 58, hour=7)))
    (alert,) = patient_alerts(record, TODAY, settings=limits)
    assert alert.kind == "bp_high" and alert.severity == "urgent" and alert.since == ago(1)
    assert alert.message == (
        "Blood pressure 112/70 mmHg on 19 Jun 2026 08:00 (latest reading): systolic above the "
        "clinic's limit of 110 mmHg."
    )
    # An earlier high reading followed by a normal one: no alert (the latest decides).
    record = rec(vitals=(bp(3, 130, 85), bp(1, 104, 62)))
    assert patient_alerts(record, TODAY, settings=limits) == []
    # Exactly at both limits: not above.
    assert patient_alerts(rec(vitals=(bp(0, 110, 70),)), TODAY, settings=limits) == []
    # Diastolic only above.
    (alert,) = patient_alerts(rec(vitals=(bp(0, 100, 71),)), TODAY, settings=limits)
    assert alert.message.endswith("diastolic above the clinic's limit of 70 mmHg.")


def test_bp_partly_configured_checks_what_is_set_and_says_what_is_not() -> None:
    limits = AlertSettings(bp_systolic_high_mmhg=110)
    alerts = patient_alerts(rec(vitals=(bp(0, 120, 60),)), TODAY, settings=limits)
    assert kinds(alerts) == ["bp_high", "bp_thresholds_not_configured"]
    assert "alerts are not configured" in alerts[1].message


def test_alert_settings_refuse_bad_values() -> None:
    for kwargs in (
        {"recent_days": 0},
        {"no_diary_days": -1},
        {"follow_up_day": 2.5},
        {"bp_systolic_high_mmhg": 0},
        {"bp_diastolic_high_mmhg": "80"},
    ):
        with pytest.raises(InputError) as err:
            AlertSettings(**kwargs)  # type: ignore[arg-type]
        assert err.value.field == next(iter(kwargs))


# --- glucose and ketones ---------------------------------------------------------------------


def test_glucose_and_ketone_alerts_reuse_lab_rules_in_the_recent_window() -> None:
    record = rec(
        labs=(
            glucose(8, 1.9),  # 12 June: outside the 7-day window
            glucose(5, 2.4),  # <= 2.5 -> glucose_low (NHS critical-care KD guide)
            glucose(2, 2.5, hour=6),  # exactly 2.5: "at or below" -> glucose_low
            glucose(2, 4.1, hour=8),  # later normal result
            bhb(1, 6.4),  # > 6 -> bhb_high (NHS GGC)
            LabResult(at(1), "triglycerides", 9.0, "mmol/L", 9.0, "mmol/L"),  # no cut-off set
        )
    )
    alerts = patient_alerts(record, TODAY)
    assert kinds(alerts) == ["bhb_high", "glucose_low"]
    assert [a.severity for a in alerts] == ["urgent", "urgent"]
    assert [a.since for a in alerts] == [ago(1), ago(2)]
    assert alerts[1].message == (
        "Lab out of range: glucose 2.5 mmol/L, at or below 2.5 (18 Jun 2026 06:00); 2 such "
        "results in the last 7 days; the latest result (4.1 mmol/L, 18 Jun 2026 08:00) raised "
        "no alert."
    )
    assert alerts[0].source.startswith("NHS GGC")
    # The thresholds are those of spasmcare.measures.labs: changing them there changes this.
    stricter = AlertSettings(labs=LabThresholds(glucose_low_mmol_l=2.0))
    assert kinds(patient_alerts(record, TODAY, settings=stricter)) == ["bhb_high"]


def test_lab_kinds_setting_selects_the_lab_alerts_shown() -> None:
    record = rec(
        labs=(LabResult(at(1), "bicarbonate", 15.0, "mmol/L", 15.0, "mmol/L"),),
    )
    acidosis = AlertSettings(labs=LabThresholds(bicarbonate_low_mmol_l=18.0))
    assert patient_alerts(record, TODAY, settings=acidosis) == []  # not a glucose/ketone kind
    every = replace(acidosis, lab_kinds=None)
    (alert,) = patient_alerts(record, TODAY, settings=every)
    assert alert.kind == "acidosis" and alert.severity == "review"


def test_bhb_below_target_needs_a_diet() -> None:
    # BHB 1.2 < 2.0 target, 3 days into a diet started 5 days ago (grace 2 days) -> alert;
    # the same value without a diet -> nothing.
    diet = DietPeriod(id="kd", diet="classic-kd", start=ago(5))
    alerts = patient_alerts(rec(labs=(bhb(2, 1.2),), diet_periods=(diet,)), TODAY)
    assert "bhb_below_target" in kinds(alerts)
    assert patient_alerts(rec(labs=(bhb(2, 1.2),)), TODAY) == []


# --- faltering growth ------------------------------------------------------------------------


def weight_at(day: date, z: float) -> GrowthMeasurement:
    age_years = (day - BORN).days / 365.25
    return GrowthMeasurement(day=day, weight_kg=value_at_sds("weight", z, age_years, "female"))


def test_faltering_growth_on_the_latest_measurement_only() -> None:
    # +0.5 SD on 5 Mar, -0.7 SD on 5 May: fall 1.2 > 1 SD (issue 5 rule) -> flagged.
    falling = rec(growth=(weight_at(date(2026, 3, 5), 0.5), weight_at(date(2026, 5, 5), -0.7)))
    (alert,) = patient_alerts(falling, TODAY)
    assert alert.kind == "faltering_growth" and alert.severity == "review"
    assert alert.since == date(2026, 5, 5)
    assert alert.message == (
        "Faltering growth: weight fell 1.20 SD (from +0.50 to -0.70), more than 1 SD "
        "(measured 2026-05-05)."
    )
    # Back to -0.3 SD on 5 June: fall 0.8 from the best, not flagged -> no alert now.
    recovered = replace(falling, growth=(*falling.growth, weight_at(date(2026, 6, 5), -0.3)))
    assert patient_alerts(recovered, TODAY) == []
    # A measurement after "today" is not read: on 4 June the May flag is still current.
    assert kinds(patient_alerts(recovered, date(2026, 6, 4))) == ["faltering_growth"]


def test_low_weight_flag() -> None:
    # A single weight at -2.3 SD: below -2 SD -> faltering_growth.
    (alert,) = patient_alerts(rec(growth=(weight_at(date(2026, 6, 1), -2.3),)), TODAY)
    assert alert.message == (
        "Faltering growth: weight -2.30 SD, below -2.0 SD (measured 2026-06-01)."
    )


# --- no diary --------------------------------------------------------------------------------


def test_no_diary_boundary_at_exactly_no_diary_days() -> None:
    on_course = rec(treatments=(course(30),))
    # Last diary day 2 days ago: only yesterday is missing -> no alert.
    assert no_diary_alert(replace(on_course, recorded_days=kept(10, 2)), TODAY) is None
    # Last diary day 3 days ago: the 2 whole days before today are missing -> alert.
    alert = no_diary_alert(replace(on_course, recorded_days=kept(10, 3)), TODAY)
    assert alert is not None and alert.since == ago(2) and alert.severity == "review"
    assert alert.message == (
        "No diary: last diary day 17 Jun 2026, none in the 2 days since; on prednisolone "
        "since 21 May 2026."  # the course by drug and start, never its record id (issue 19)
    )
    # Today never counts as missing, and a diary entry counts as much as a recorded day.
    entry = DiaryEntry(at=at(2), kind="cluster", spasms=4)
    assert no_diary_alert(replace(on_course, diary=(entry,)), TODAY) is None
    # With no_diary_days = 3 the same 3-day gap is at the boundary: no alert.
    three = AlertSettings(no_diary_days=3)
    assert no_diary_alert(replace(on_course, recorded_days=kept(3)), TODAY, three) is None
    assert no_diary_alert(replace(on_course, recorded_days=kept(4)), TODAY, three) is not None


def test_no_diary_never_kept_counts_from_the_course_start() -> None:
    assert no_diary_alert(rec(treatments=(course(1),)), TODAY) is None  # day 2 of the course
    alert = no_diary_alert(rec(treatments=(course(2),)), TODAY)
    assert alert is not None and alert.since == ago(2)
    assert alert.message.startswith("No diary: no diary day kept since 18 Jun 2026 (2 days);")


def test_no_diary_follow_up_to_day_60_then_exempt() -> None:
    # Course started 59 days ago (today is day 60), stopped 20 days ago: in follow-up.
    followed = rec(treatments=(course(59, 20),), recorded_days=kept(25))
    alert = no_diary_alert(followed, TODAY)
    assert alert is not None and (
        "in follow-up of prednisolone from 22 Apr 2026 to day 60" in alert.message
    )
    # One day later (day 61): exempt.
    later = rec(treatments=(course(60, 20),), recorded_days=kept(25))
    assert no_diary_alert(later, TODAY) is None
    # follow_up_day is a setting.
    assert no_diary_alert(later, TODAY, AlertSettings(follow_up_day=61)) is not None


def test_no_diary_diet_and_pre_treatment_diary_expect_a_diary() -> None:
    diet = DietPeriod(id="kd", diet="mad", start=ago(100))
    alert = no_diary_alert(rec(diet_periods=(diet,), recorded_days=kept(5)), TODAY)
    assert alert is not None and "on the modified Atkins diet since 12 Mar 2026" in alert.message
    stopped = replace(diet, stop=ago(10))
    assert no_diary_alert(rec(diet_periods=(stopped,), recorded_days=kept(5)), TODAY) is None
    # A diary started before any course: the baseline is read from it.
    alert = no_diary_alert(rec(recorded_days=kept(9, 8, 7, 6)), TODAY)
    assert alert is not None and alert.since == ago(5)
    assert "diary started, no treatment recorded yet" in alert.message


def test_no_diary_exempt_patients() -> None:
    # No course, no diet, no diary ever: nothing to chase.
    assert no_diary_alert(rec(), TODAY) is None
    # Every course over and past its follow-up: the measures read no new days.
    done = rec(treatments=(course(200, 170),), recorded_days=kept(150))
    assert no_diary_alert(done, TODAY) is None


@settings(max_examples=80, deadline=None)
@given(gap=st.integers(0, 30), limit=st.integers(1, 10), started=st.integers(0, 40))
def test_no_diary_alert_iff_gap_exceeds_the_setting(gap: int, limit: int, started: int) -> None:
    # On a running course with the last diary day `gap` days ago: the alert fires exactly when
    # the whole days missing before today (gap - 1) reach the setting.
    record = rec(treatments=(course(started),), recorded_days=kept(gap))
    alert = no_diary_alert(record, TODAY, AlertSettings(no_diary_days=limit))
    assert (alert is not None) == (gap - 1 >= limit)
    if alert is not None:
        assert alert.since == ago(gap - 1)


# --- confirmation pending --------------------------------------------------------------------


def test_confirmation_pending_one_alert_per_course() -> None:
    vgb = Treatment(id="vgb1", drug="vigabatrin", start=ago(3))
    record = rec(treatments=(course(10), vgb), recorded_days=kept(0))
    alerts = patient_alerts(
        record,
        TODAY,
        confirmations_pending=[
            ("pred1", ["day7-escalation"]),
            PendingConfirmation(
                "pred1", ("taper-steps", "day7-escalation"), "prednisolone-high-dose"
            ),
            ("vgb1", []),  # nothing pending: no alert
        ],
    )
    assert kinds(alerts) == ["confirmation_pending"]
    (alert,) = alerts
    assert alert.since == ago(10) and alert.severity == "review"
    # issue 19: the course by drug and start, the protocol by its title, the details in
    # words (the ids "pred1", "prednisolone-high-dose" were on screen)
    assert alert.message == (
        f"Clinic confirmation pending: prednisolone course from {day_text(ago(10))} "
        "(High-dose oral prednisolone, UKISS) has 2 protocol details not confirmed "
        "(day 7 escalation, taper steps); the plan shows them as to be confirmed and does not "
        "use them."
    )
    with pytest.raises(InputError) as err:
        patient_alerts(record, TODAY, confirmations_pending=[("pred1", ["x"]), ("acth9", ["y"])])
    assert err.value.field == "confirmations_pending[1].treatment"
    with pytest.raises(InputError) as err:
        patient_alerts(record, TODAY, confirmations_pending=[("pred1", "day7-escalation")])
    assert err.value.field == "confirmations_pending[0].details"


# --- all together ----------------------------------------------------------------------------


def test_sorted_urgent_first_then_most_recent_and_json_ready() -> None:
    record = rec(
        treatments=(course(20),),
        recorded_days=kept(6),
        labs=(glucose(4, 2.2),),
        vitals=(bp(1, 100, 60),),
    )
    alerts = patient_alerts(
        record,
        datetime.combine(TODAY, time(12, 0)),  # a datetime is taken as its date
        monitoring_overdue=[("Weight", ago(1))],
        confirmations_pending=[("pred1", ["day7-escalation"])],
    )
    assert [(a.severity, a.kind, a.since) for a in alerts] == [
        ("urgent", "glucose_low", ago(4)),
        ("review", "bp_thresholds_not_configured", ago(1)),
        ("review", "monitoring_overdue", ago(1)),
        ("review", "no_diary", ago(5)),
        ("review", "confirmation_pending", ago(20)),
    ]
    assert alerts[0].to_dict() == {
        "kind": "glucose_low",
        "severity": "urgent",
        "message": "Lab out of range: glucose 2.2 mmol/L, at or below 2.5 (16 Jun 2026 09:00).",
        "since": "2026-06-16",
        "source": alerts[0].source,
        "action": alerts[0].action,
    }
    assert sort_alerts(reversed(alerts)) == alerts


@settings(max_examples=40, deadline=None)
@given(
    sinces=st.lists(
        st.tuples(st.sampled_from(["urgent", "review", "info"]), st.integers(0, 60)), max_size=8
    )
)
def test_sort_property(sinces: list[tuple[str, int]]) -> None:
    alerts = [PatientAlert("k", s, "m", ago(n), "src") for s, n in sinces]  # type: ignore[arg-type]
    ordered = sort_alerts(alerts)
    keys = [
        ({"urgent": 0, "review": 1, "info": 2}[a.severity], -a.since.toordinal()) for a in ordered
    ]
    assert keys == sorted(keys) and len(ordered) == len(alerts)


def test_default_settings_are_the_documented_ones() -> None:
    s = DEFAULT_ALERT_SETTINGS
    assert (s.recent_days, s.no_diary_days, s.follow_up_day) == (7, 2, 60)
    assert s.bp_systolic_high_mmhg is None and s.bp_diastolic_high_mmhg is None
