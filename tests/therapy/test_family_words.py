"""What a family reads of a course (issue 19): syringe marks stated truthfully, doses in the
family's words with their times, and checks whose frequency is NOT FOUND kept on the sheet.

Every expected value is worked out by hand in the comment above it.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.therapy import Syringe, measurable_volume, plan_course
from spasmcare.therapy.dosing import mark_note
from spasmcare.therapy.export import family_product, given_text
from spasmcare.therapy.monitoring import FAMILY_HOW_OFTEN_UNSET, MonitoringItem, family_checks

START = date(2025, 3, 3)


# ---------------------------------------------------------------- syringe marks


def test_547_5_mg_of_50_mg_per_ml_on_finely_marked_syringes() -> None:
    # 547.5 mg / 50 mg/mL = 10.95 mL, the planned volume (issue 19's example)
    # on a 20 mL syringe marked every 0.1 mL: 109.5 steps, halves up -> 110 = 11.0 mL
    fine = (Syringe(20.0, 0.1),)
    assert measurable_volume(547.5, 50, syringes=fine)[0] == pytest.approx(11.0)
    # marked every 0.2 mL: 54.75 steps -> 55 = 11.0 mL, the nearer mark
    assert measurable_volume(547.5, 50, syringes=(Syringe(20.0, 0.2),))[0] == pytest.approx(11.0)
    # when 547.5 mg is the maximum (150 mg/kg/day x 7.3 kg / 2), 11.0 mL = 550 mg is above
    # it: the mark below, 10.9 mL (0.1 marks, 545 mg) or 10.8 mL (0.2 marks, 540 mg)
    assert measurable_volume(547.5, 50, 547.5, fine)[0] == pytest.approx(10.9)
    assert measurable_volume(547.5, 50, 547.5, (Syringe(20.0, 0.2),))[0] == pytest.approx(10.8)


def test_mark_note_names_the_planned_volume_and_never_claims_nearest_measurable() -> None:
    # the default 20 mL syringe is marked every 0.5 mL: 10.95 mL -> 11.0 mL is above the
    # 547.5 mg maximum, so 10.5 mL (525 mg); the sheet says what 10.5 mL is
    volume, syringe = measurable_volume(547.5, 50, 547.5)
    assert (volume, syringe.step_ml) == (10.5, 0.5)
    note = mark_note(547.5, "mg", volume, 50)
    assert note == (
        "(the planned 547.5 mg is 10.95 mL, between the syringe's marks: 10.5 mL is the nearest "
        "mark that gives no more than the maximum)"
    )
    assert "nearest measurable volume" not in note
    # a volume on a mark needs no note: 375 mg / 50 mg/mL = 7.5 mL
    assert mark_note(375, "mg", 7.5, 50) == ""


@given(
    dose=st.floats(1, 2000, allow_nan=False),
    concentration=st.sampled_from([10.0, 50.0, 100.0]),
)
def test_a_measured_volume_never_gives_more_than_its_maximum(
    dose: float, concentration: float
) -> None:
    volume, _ = measurable_volume(dose, concentration, limit=dose)
    assert volume * concentration <= dose + 1e-6
    note = mark_note(dose, "mg", volume, concentration)
    assert note == "" or f"{volume:g} mL" in note


# ---------------------------------------------------------------- doses in the family's words


def test_given_text_is_amount_volume_strength_and_times() -> None:
    # 20 mg of a 10 mg/mL liquid = 2 mL, three times a day
    assert given_text(20, "mg", 2, 10, ["08:00", "14:00", "20:00"]) == (
        "20 mg = 2 mL of 10 mg/mL at 08:00, 14:00, 20:00"
    )
    # 750 mg = 15 mL of 50 mg/mL at 08:00
    assert given_text(750, "mg", 15, 50, ["08:00"]) == "750 mg = 15 mL of 50 mg/mL at 08:00"
    # no sourced strength: mg only; no times: no "at"
    assert given_text(10, "mg", None, None, ["08:00"]) == "10 mg at 08:00"
    assert given_text(0.5, "mg") == "0.5 mg"
    # ACTH in units: 30 units = 0.37 mL of 80 U/mL
    assert given_text(29.6, "U", 0.37, 80, ["08:00"]) == "29.6 units = 0.37 mL of 80 U/mL at 08:00"


def test_a_strength_typed_at_planning_is_not_marked_for_families() -> None:
    plan = plan_course(
        "prednisolone-high-dose", weight_kg=7, start=START, products={"prednisolone": 5}
    )
    product = plan.days[0].doses[0].product
    assert product == "prednisolone 5 mg/mL (given at planning)"  # the clinicians' page
    assert family_product(product) == "prednisolone 5 mg/mL"
    assert family_product(None) == ""


# ---------------------------------------------------------------- checks


def test_checks_without_a_sourced_frequency_stay_on_the_family_sheet() -> None:
    # prednisolone-high-dose v2: BP, glucose and weight checks, frequency NOT FOUND (evidence
    # D-15); the response EEG on day 14 (3 Mar 2025 + 13 days = 16 Mar 2025)
    plan = plan_course("prednisolone-high-dose", weight_kg=7, start=START)
    checks = family_checks(plan.monitoring)
    assert [(c.what, c.date, c.how_often) for c in checks] == [
        ("Response EEG (spasms stopped and hypsarrhythmia resolved?)", date(2025, 3, 16), ""),
        ("Blood pressure, blood or urine glucose and weight", None, FAMILY_HOW_OFTEN_UNSET),
    ]
    assert FAMILY_HOW_OFTEN_UNSET == "your team will tell you how often"
    # before: the family's list was the confirmed items only, the EEG alone
    assert [m.what for m in plan.visible_monitoring(family=True)] == [checks[0].what]


def test_an_unset_check_is_listed_once() -> None:
    unset = MonitoringItem(START, "BP: schedule TO BE CONFIRMED", [], None, "f", False, check="BP")
    dated = MonitoringItem(START, "EEG", [])
    checks = family_checks([unset, dated, unset])
    assert [(c.what, c.date) for c in checks] == [("EEG", START), ("BP", None)]
