"""Hrachovy 1994 high- and low-dose natural ACTH regimens (issue 14, ACTH point).

Every expected number below is derived by hand from the reference line quoted beside it
(drug-protocols-evidence.md, "D-10 to D-12: Natural ACTH regimens", Hrachovy RA et al.,
J Pediatr 1994;124:803-6, FIRM (abstract)):

- HIGH: "150 U/m²/day × 3 weeks → 80 U/m²/day × 2 weeks → 80 U/m² every other day × 3 weeks
  → 50 U/m² every other day × 1 week → 'tapered to zero during a 3-week period'".
- LOW: "20 to 30 U/day for 2 to 6 weeks, then tapered to zero over 1 week".
- D-12: "express low-dose ACTH in U/day, not U/m² ... Keep both; store the unit explicitly."
- D-10: the 30/15/10/10 step taper is NOT FOUND; "Do not label that schedule 'FDA label'".

The infant: 4 kg, 56.25 cm, so Mosteller BSA = sqrt(4 × 56.25 / 3600) = sqrt(0.0625) = 0.25 m².
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.cli import main
from spasmcare.errors import InputError
from spasmcare.therapy import confirm_detail, list_protocols, load_protocol, plan_course

START = date(2026, 12, 7)
DRUG = "ACTH (Acthar Gel)"
HIGH = "acth-hrachovy-high-dose"
LOW = "acth-hrachovy-low-dose"


def daily(plan: Any) -> list[float]:
    return [round(sum(d.amount for d in day.doses if d.drug == DRUG), 4) for day in plan.days]


def pending_days(plan: Any, detail: str) -> list[int]:
    return [d.day for d in plan.days if any(p.detail == detail for p in d.pending)]


def high_dose_by_hand(bsa_m2: float) -> list[float]:
    """Days 1-63 of the HIGH line, one number per day [U/day], for a body-surface area."""
    days: list[float] = []
    days += [150 * bsa_m2] * 21  # 150 U/m²/day × 3 weeks: days 1-21
    days += [80 * bsa_m2] * 14  # 80 U/m²/day × 2 weeks: days 22-35
    # 80 U/m² every other day × 3 weeks: days 36-56, doses on 36, 38, ..., 56 (11 doses)
    days += [80 * bsa_m2 if (d - 36) % 2 == 0 else 0.0 for d in range(36, 57)]
    # 50 U/m² every other day × 1 week: days 57-63, same rhythm -> doses on 58, 60, 62
    days += [50 * bsa_m2 if d in (58, 60, 62) else 0.0 for d in range(57, 64)]
    return days


# ---------------------------------------------------------------- high dose


def test_high_dose_day_by_day_matches_the_hrachovy_line() -> None:
    plan = plan_course(HIGH, weight_kg=4, length_cm=56.25, start=START)
    assert plan.bsa_m2 == pytest.approx(0.25, abs=1e-9)
    got = daily(plan)
    # 3 + 2 + 3 + 1 + 3 weeks = 12 weeks = 84 days
    assert len(plan.days) == 84
    # by hand at 0.25 m²: 37.5 U/day (days 1-21), 20 U/day (22-35), 20 U on even days 36-56,
    # 12.5 U on days 58, 60, 62
    assert got[:21] == [37.5] * 21
    assert got[21:35] == [20.0] * 14
    assert [d for d in range(36, 57) if got[d - 1] > 0] == list(range(36, 57, 2))
    assert {got[d - 1] for d in range(36, 57, 2)} == {20.0}
    assert [(d, got[d - 1]) for d in range(57, 64) if got[d - 1] > 0] == [
        (58, 12.5),
        (60, 12.5),
        (62, 12.5),
    ]
    assert got[:63] == pytest.approx(high_dose_by_hand(0.25))
    # total of the sourced part: 0.25 × (150×21 + 80×14 + 80×11 + 50×3) = 0.25 × 5300 = 1325 U
    assert sum(got[:63]) == pytest.approx(1325.0)
    # no two injections on consecutive days once dosing is alternate-day (days 36-63)
    dosed = [d for d in range(36, 64) if got[d - 1] > 0]
    assert all(b - a >= 2 for a, b in zip(dosed, dosed[1:], strict=False))


def test_high_dose_grades_sources_and_waiting_taper() -> None:
    plan = plan_course(HIGH, weight_kg=4, length_cm=56.25, start=START)
    doses = [d for day in plan.days for d in day.doses]
    assert doses and {d.grade for d in doses} == {"FIRM"}
    assert {d.grade_sources for d in doses} == {("hrachovy1994",)}
    assert {d.unit for d in doses} == {"U"}
    assert {d.product for d in doses} == {"Acthar Gel 80 U/mL (5 mL vial)"}
    # "tapered to zero during a 3-week period": days 64-84 wait for the clinic (NOT FOUND)
    assert pending_days(plan, "taper") == list(range(64, 85))
    assert all(not d.doses for d in plan.days[63:])
    grades = {p.grade for d in plan.days[63:] for p in d.pending}
    assert grades == {"NOT FOUND"}
    waiting = {d["detail"]: d for d in plan.unconfirmed_details}
    assert {"taper", "doses-per-day"} <= set(waiting)
    assert waiting["taper"]["status"] == "to be confirmed by the clinic"
    assert "taper (NOT FOUND): to be confirmed by the clinic" in plan.warnings


def test_high_dose_split_in_two_keeps_the_daily_amount() -> None:
    # the split is a NOT FOUND option; choosing 2 halves each injection, the day's amount stays
    plan = plan_course(
        HIGH, weight_kg=4, length_cm=56.25, start=START, parameters={"doses_per_day": 2}
    )
    day1 = plan.days[0].doses
    assert [d.amount for d in day1] == [18.75, 18.75]
    assert daily(plan)[:63] == pytest.approx(high_dose_by_hand(0.25))


# ---------------------------------------------------------------- low dose (U/day, D-12)


def test_low_dose_default_two_weeks_of_20_units_then_waiting_taper() -> None:
    # LOW line, lower ends: 20 U/day for 2 weeks = days 1-14; taper over 1 week = days 15-21
    plan = plan_course(LOW, weight_kg=4, start=START)
    assert daily(plan)[:14] == [20.0] * 14
    assert len(plan.days) == 21
    assert pending_days(plan, "taper") == list(range(15, 22))
    waiting = {d["detail"] for d in plan.unconfirmed_details}
    assert {"taper", "low-dose-length", "doses-per-day"} <= waiting
    # U/day needs no length and no body-surface area
    assert plan.bsa_m2 is None
    assert all(d.per_m2 is None for day in plan.days for d in day.doses)


def test_low_dose_upper_ends_six_weeks_of_30_units() -> None:
    # LOW line, upper ends: 30 U/day for 6 weeks = days 1-42; taper = days 43-49
    plan = plan_course(
        LOW, weight_kg=4, start=START, parameters={"units_per_day": 30, "low_dose_weeks": 6}
    )
    assert daily(plan)[:42] == [30.0] * 42
    assert pending_days(plan, "taper") == list(range(43, 50))
    assert len(plan.days) == 49
    doses = [d for day in plan.days for d in day.doses]
    assert {d.grade for d in doses} == {"FIRM"}
    assert {d.grade_sources for d in doses} == {("hrachovy1994", "hrachovy1983")}


def test_low_dose_is_never_converted_by_body_surface_area() -> None:
    # D-12: stored in U/day; a length (any BSA) must not change the amount
    small = plan_course(LOW, weight_kg=4, length_cm=56.25, start=START)
    large = plan_course(LOW, weight_kg=9, length_cm=75, start=START)
    assert daily(small)[:14] == daily(large)[:14] == [20.0] * 14
    protocol = load_protocol(LOW)
    kinds = {
        next(iter(phase["dose"]))
        for course in protocol.courses
        for phase in course["phases"]
        if phase["dose"]
    }
    assert kinds == {"units_per_day"}
    assert protocol.parameters["units_per_day"]["unit"] == "U/day"


@pytest.mark.parametrize(
    ("name", "value"),
    [("units_per_day", 35), ("units_per_day", 15), ("low_dose_weeks", 7)],
)
def test_low_dose_outside_the_sourced_range_is_refused(name: str, value: int) -> None:
    with pytest.raises(InputError) as exc:
        plan_course(LOW, weight_kg=4, start=START, parameters={name: value})
    assert name in str(exc.value)


@settings(max_examples=25, deadline=None)
@given(units=st.integers(20, 30), weeks=st.integers(2, 6))
def test_low_dose_any_sourced_choice(units: int, weeks: int) -> None:
    plan = plan_course(
        LOW, weight_kg=5, start=START, parameters={"units_per_day": units, "low_dose_weeks": weeks}
    )
    assert daily(plan)[: 7 * weeks] == [float(units)] * (7 * weeks)
    assert pending_days(plan, "taper") == list(range(7 * weeks + 1, 7 * weeks + 8))


@settings(max_examples=25, deadline=None)
@given(weight=st.floats(3.0, 12.0), length=st.floats(50.0, 85.0))
def test_high_dose_scales_with_bsa_only(weight: float, length: float) -> None:
    plan = plan_course(HIGH, weight_kg=weight, length_cm=length, start=START)
    bsa = math.sqrt(weight * length / 3600)
    assert plan.bsa_m2 == pytest.approx(bsa, rel=1e-6)
    got, hand = daily(plan)[:63], high_dose_by_hand(bsa)
    # days 1-21 sit at the 150 U/m²/day maximum: rounded to 0.01 U, never above it
    for g, h in zip(got[:21], hand[:21], strict=True):
        assert -1e-9 <= h - g < 0.01 + 1e-9
    # the other days: to the nearest 0.01 U
    assert got[21:] == pytest.approx(hand[21:], abs=0.005 + 1e-9)


# ---------------------------------------------------------------- clinic confirmation


def test_clinic_confirms_the_split_and_it_becomes_the_default(tmp_path: Path) -> None:
    confirmed = confirm_detail(load_protocol(LOW), "doses-per-day", "Dr A", tmp_path, value=2)
    assert confirmed.version == 2 and confirmed.origin == "clinic"
    plan = plan_course(LOW, weight_kg=4, start=START, protocols_dir=tmp_path)
    assert plan.version == 2
    # 20 U/day in two injections of 10 U; the day's amount is the LOW line's, unchanged
    assert [d.amount for d in plan.days[0].doses] == [10.0, 10.0]
    assert daily(plan)[:14] == [20.0] * 14
    assert "doses-per-day" in {c["detail"] for c in plan.confirmed_details}
    assert "doses-per-day" not in {d["detail"] for d in plan.unconfirmed_details}


def test_confirming_the_taper_without_doses_is_refused(tmp_path: Path) -> None:
    # the file has no taper doses (NOT FOUND): a bare confirmation must not stand in for them
    with pytest.raises(InputError) as exc:
        confirm_detail(load_protocol(HIGH), "taper", "Dr A", tmp_path)
    assert "taper to zero over 3 weeks" in str(exc.value)
    assert not list(tmp_path.iterdir())
    plan = plan_course(HIGH, weight_kg=4, length_cm=56.25, start=START, protocols_dir=tmp_path)
    assert plan.version == 1
    assert all(not d.doses for d in plan.days[63:])


# ---------------------------------------------------------------- naming and versions


def test_no_taper_is_called_label_and_old_versions_untouched() -> None:
    # D-10: the 30/15/10/10 steps are NOT FOUND and must not be called the label's
    for p in list_protocols():
        if not p.id.startswith("acth"):
            continue
        for course in p.courses:
            for phase in course["phases"]:
                if "taper" in phase["name"]:
                    assert "label" not in phase["name"].lower(), (p.id, phase["name"])
        taper = p.details.get("taper")
        if taper is not None:
            assert taper["grade"] == "NOT FOUND"
            assert "label" not in taper["what"].lower(), p.id
    # the earlier versions are still there, unchanged in number
    assert load_protocol("acth-high-dose").version == 2
    assert load_protocol("acth-low-dose").version == 2
    assert load_protocol(HIGH).version == 1 and load_protocol(LOW).version == 1


# ---------------------------------------------------------------- CLI


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def test_cli_plan_high_dose_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["therapy", "plan", "--protocol", HIGH, "--weight-kg", "4", "--length-cm", "56.25"]
    code, out, _ = run([*args, "--start", "2026-12-07", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    units = [sum(d["units"] for d in day["doses"]) for day in data["days"]]
    assert units[0] == 37.5 and units[21] == 20.0 and units[57] == 12.5 and units[56] == 0
    assert data["days"][63]["pending"][0]["detail"] == "taper"
    assert data["days"][63]["pending"][0]["grade"] == "NOT FOUND"
    assert data["days"][0]["doses"][0]["grade"] == "FIRM"


def test_cli_plan_low_dose_table_shows_waiting_taper(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["therapy", "plan", "--protocol", LOW, "--weight-kg", "4", "--start", "2026-12-07"]
    code, out, _ = run([*args, "--set", "units_per_day=25", "--set", "low_dose_weeks=3"], capsys)
    assert code == 0
    assert "25 U" in out
    assert "to be confirmed by the clinic" in out
    assert "taper (NOT FOUND)" in out
