"""The diet's monitoring schedule: dates worked out by hand on a calendar (month ends, leap
years), the first overdue day, and done/due/overdue from the record's entries."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.keto.monitoring import (
    CHECK_KEYS,
    MonitoringSettings,
    check_status,
    time_points,
)
from spasmcare.record.model import DietPeriod, GrowthMeasurement, LabResult, Patient, Record


def _record(born: date, *, labs: tuple[LabResult, ...] = (), growth=()) -> Record:
    return Record(
        patient=Patient(id="p", birth_date=born, sex="female"),
        labs=labs,
        growth=growth,
    )


def _lab(day: date, analyte: str, value: float = 1.0, unit: str = "mmol/L") -> LabResult:
    return LabResult(datetime(day.year, day.month, day.day, 9), analyte, value, unit, value, unit)


def _dates(diet: DietPeriod, born: date, until: date, **kw) -> list[date]:
    return [p.day for p in time_points(diet, born, until, MonitoringSettings(**kw))]


def test_month_end_start_in_a_leap_year_clamps_to_29_february() -> None:
    # 31 Aug 2023 + 6 months = 31 Feb 2024 -> 29 Feb 2024 (2024 is a leap year);
    # + 3 = 30 Nov (no 31 Nov); + 12 = 31 Aug 2024; + 18 = 28 Feb 2025 (not leap).
    diet = DietPeriod("kd", "classic-kd", date(2023, 8, 31))
    got = _dates(diet, date(2022, 1, 1), date(2025, 9, 1))
    assert got == [
        date(2023, 8, 31),
        date(2023, 11, 30),
        date(2024, 2, 29),
        date(2024, 8, 31),
        date(2025, 2, 28),
        date(2025, 8, 31),
        date(2026, 8, 31),  # the first one after "until" is shown too
    ]


def test_months_counted_from_the_start_not_chained() -> None:
    # 29 Feb 2024 start: + 12 months = 28 Feb 2025 (clamped), + 24 = 28 Feb 2026,
    # + 36 (first yearly) = 28 Feb 2027, + 48 = 29 Feb 2028 (leap year again, not 28).
    diet = DietPeriod("kd", "classic-kd", date(2024, 2, 29))
    got = _dates(diet, date(2023, 1, 1), date(2028, 2, 28))
    assert got[3] == date(2025, 2, 28)
    assert got[5:] == [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]
    assert got[1:3] == [date(2024, 5, 29), date(2024, 8, 29)]


def test_stops_at_the_diet_stop() -> None:
    diet = DietPeriod("kd", "classic-kd", date(2025, 1, 10), stop=date(2025, 7, 9))
    # 10 Jul 2025 (6 months) is after the stop: only baseline and 3 months.
    assert _dates(diet, date(2024, 1, 1), date(2026, 1, 1)) == [
        date(2025, 1, 10),
        date(2025, 4, 10),
    ]


def test_infant_interval_is_a_clinic_setting_unset_by_default_and_flagged() -> None:
    born = date(2025, 1, 15)
    diet = DietPeriod("kd", "classic-kd", date(2025, 5, 15))  # 4 months old at the start
    rec = _record(born)
    default = check_status(rec, diet, date(2025, 5, 15))
    assert any("infant_interval_months" in f for f in default["flags"])
    assert not any(r["infant_interval"] for r in default["checks"])
    # With 1 month set: extra checks on 15 Jun, 15 Jul (3 months is a standard one),
    # 15 Sep, 15 Oct, 15 Dec 2025; 15 Jan 2026 is the first birthday (no longer under 12 months).
    got = _dates(diet, born, date(2026, 6, 1), infant_interval_months=1)
    assert got[:8] == [
        date(2025, 5, 15),
        date(2025, 6, 15),
        date(2025, 7, 15),
        date(2025, 8, 15),
        date(2025, 9, 15),
        date(2025, 10, 15),
        date(2025, 11, 15),
        date(2025, 12, 15),
    ]
    assert got[8] == date(2026, 5, 15)  # 12 months, back on the standard schedule


def test_first_overdue_day_is_the_day_after_the_due_date() -> None:
    diet = DietPeriod("kd", "classic-kd", date(2025, 1, 31))
    rec = _record(date(2024, 6, 1), labs=(_lab(date(2025, 1, 30), "bhb"),))

    def status(today: date) -> str:
        rows = check_status(rec, diet, today)["checks"]
        return next(r["status"] for r in rows if r["check"] == "ketones" and r["month"] == 3)

    # 3 months after 31 Jan 2025 = 30 Apr 2025 (April has 30 days).
    assert status(date(2025, 4, 29)) == "upcoming"
    assert status(date(2025, 4, 30)) == "due"
    assert status(date(2025, 5, 1)) == "overdue"
    late = check_status(rec, diet, date(2025, 5, 1), MonitoringSettings(overdue_after_days=7))
    row = next(r for r in late["checks"] if r["check"] == "ketones" and r["month"] == 3)
    assert row["status"] == "due" and row["overdue_from"] == date(2025, 5, 8)


def test_done_by_entries_in_the_window() -> None:
    diet = DietPeriod("kd", "classic-kd", date(2025, 1, 31))
    labs = (
        _lab(date(2025, 1, 30), "bhb"),  # baseline ketones (before the start)
        _lab(date(2025, 5, 2), "bicarbonate"),  # 3-month blood panel, 2 days late
        _lab(date(2025, 5, 2), "urine_calcium"),
        _lab(date(2025, 5, 2), "urine_creatinine", 2.0),
    )
    growth = (GrowthMeasurement(date(2025, 4, 30), weight_kg=8.0, length_cm=70.0),)
    rec = _record(date(2024, 6, 1), labs=labs, growth=growth)
    rows = check_status(rec, diet, date(2025, 5, 10))["checks"]
    by = {(r["check"], r["month"]): r for r in rows}
    assert by[("ketones", 0)]["status"] == "done"
    assert by[("ketones", 0)]["done_on"] == date(2025, 1, 30)
    assert by[("blood_panel", 0)]["status"] == "overdue"  # nothing on or before the start
    assert by[("blood_panel", 3)]["done_on"] == date(2025, 5, 2)
    assert by[("urine_ca_cr", 3)]["status"] == "done"  # computed from calcium and creatinine
    assert by[("growth", 3)]["status"] == "done"
    assert by[("ketones", 3)]["status"] == "overdue"
    assert by[("bone_health", 3)]["status"] == "not recorded"
    assert by[("growth", 6)]["status"] == "upcoming"  # 31 Jul 2025
    # A result entered after "today" does not count yet.
    early = check_status(rec, diet, date(2025, 5, 1))["checks"]
    bp3 = next(r for r in early if r["check"] == "blood_panel" and r["month"] == 3)
    assert bp3["status"] == "overdue" and bp3["done_on"] is None


def test_every_check_has_a_source() -> None:
    diet = DietPeriod("kd", "classic-kd", date(2025, 1, 1))
    out = check_status(_record(date(2024, 1, 1)), diet, date(2026, 1, 1))
    assert {r["check"] for r in out["checks"]} == set(CHECK_KEYS)
    assert all(r["source"] for r in out["checks"])
    assert any("PMC7049795" in s for s in out["references"])


@pytest.mark.parametrize("value", [0, 12, 1.5, -1])
def test_infant_interval_out_of_range_is_refused(value: float) -> None:
    with pytest.raises(InputError, match="infant_interval_months"):
        MonitoringSettings(infant_interval_months=value)  # type: ignore[arg-type]


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    years=st.integers(min_value=0, max_value=6),
)
def test_points_are_increasing_and_on_a_month_day(start: date, years: int) -> None:
    diet = DietPeriod("kd", "classic-kd", start)
    until = date(start.year + years, start.month, min(start.day, 28))
    pts = time_points(diet, date(1999, 1, 1), until)
    days = [p.day for p in pts]
    assert days == sorted(set(days)) and days[0] == start
    assert days[-1] > until
    for p in pts:
        # the same day of the month, or the month's last day when it lacks that day
        assert p.day.day == min(start.day, monthrange(p.day.year, p.day.month)[1])


def test_baseline_window_is_30_days_up_to_the_start() -> None:
    diet = DietPeriod("kd", "classic-kd", date(2025, 3, 31))
    # 1 Mar 2025 is 30 days before 31 Mar: counts; 28 Feb (31 days before) does not.
    for day, expected in ((date(2025, 3, 1), "done"), (date(2025, 2, 28), "overdue")):
        rec = _record(date(2024, 6, 1), labs=(_lab(day, "calcium"),))
        rows = check_status(rec, diet, date(2025, 4, 1))["checks"]
        row = next(r for r in rows if r["check"] == "blood_panel" and r["month"] == 0)
        assert row["status"] == expected, day


def test_unsourced_thresholds_listed_while_unset() -> None:
    from spasmcare.measures.labs import LabThresholds

    diet = DietPeriod("kd", "classic-kd", date(2025, 1, 1))
    rec = _record(date(2024, 1, 1))
    unset = check_status(rec, diet, date(2025, 2, 1))["thresholds_not_configured"]
    assert any("bicarbonate_low_mmol_l" in t for t in unset)
    assert any("triglycerides_high_mmol_l" in t for t in unset)
    labs = LabThresholds(bicarbonate_low_mmol_l=18.0)
    got = check_status(rec, diet, date(2025, 2, 1), labs=labs)["thresholds_not_configured"]
    assert not any("bicarbonate" in t for t in got)


def test_open_checks_overdue_first_in_words() -> None:
    from spasmcare.keto.monitoring import open_checks

    diet = DietPeriod("kd", "classic-kd", date(2026, 8, 10))
    rec = Record(
        patient=Patient(id="p", birth_date=date(2025, 12, 1), sex="male"),
        diet_periods=(diet,),
        labs=(_lab(date(2026, 8, 10), "bhb"), _lab(date(2026, 8, 10), "calcium")),
        growth=(GrowthMeasurement(date(2026, 8, 10), weight_kg=8.0),),
    )
    # 10 Nov 2026 = 3 months; on 10 Nov nothing is overdue yet except the baseline urine test
    rows = open_checks(rec, date(2026, 11, 10))
    assert rows[0]["status"] == "overdue" and rows[0]["check"] == "urine_ca_cr"
    assert (
        rows[0]["text"] == "Urine calcium:creatinine due on 10 Aug 2026: overdue since 11 Aug 2026"
    )
    due = [r for r in rows if r["status"] == "due"]
    assert {r["check"] for r in due} == {"blood_panel", "urine_ca_cr", "growth", "ketones"}
    assert all(r["date"] == date(2026, 11, 10) for r in due)
