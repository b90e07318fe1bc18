"""Evidence grades (drug-protocols-evidence.md, December 2026) on every protocol detail.

Each expectation cites the evidence item it comes from (D-n). FIRM and SECONDARY details are
used by default with their grade beside the dose; NOT FOUND details wait for the clinic.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.therapy import confirm_detail, list_protocols, load_protocol, plan_course
from spasmcare.therapy.export import table_rows, to_ics
from spasmcare.therapy.products import Product, check_volume
from spasmcare.therapy.protocol import (
    CLINIC_CONFIRMED,
    GRADES,
    Protocol,
    default_version,
)

START = date(2026, 12, 7)


def daily(plan: Any, drug: str) -> list[float]:
    return [round(sum(d.amount for d in day.doses if d.drug == drug), 4) for day in plan.days]


def pending(plan: Any, drug: str) -> list[int]:
    return [day.day for day in plan.days if any(p.drug == drug for p in day.pending)]


# ---------------------------------------------------------------- every detail graded


def test_every_default_protocol_grades_every_detail_and_phase() -> None:
    for p in list_protocols():
        for key, spec in p.details.items():
            assert spec.get("grade") in GRADES, (p.id, key)
        for course in p.courses:
            for phase in course["phases"]:
                assert "detail" in phase or phase.get("grade") in GRADES, (p.id, phase["name"])


def test_only_not_found_details_wait() -> None:
    waiting = {p.id: set(p.summary()["waiting_details"]) for p in list_protocols()}
    # D-15, D-16: monitoring frequency and gastric protection agent are NOT FOUND everywhere
    for pid, details in waiting.items():
        spec = load_protocol(pid).details
        for key in details:
            assert spec[key]["grade"] == "NOT FOUND", (pid, key)
    assert "monitoring-frequency" in waiting["prednisolone-high-dose"]
    assert "gi-protection" in waiting["prednisolone-high-dose"]
    # D-2/D-3 (UKISS escalation) SECONDARY: not waiting; D-5 tail after escalation: waiting
    assert "day7-escalation" not in waiting["prednisolone-high-dose"]
    assert "taper-after-escalation" in waiting["prednisolone-high-dose"]
    # D-4: the ICISS escalation is NOT FOUND, so it waits in the ICISS combination course
    assert "day7-escalation" in waiting["prednisolone-vigabatrin"]
    # D-7: the ICISS vigabatrin titration is SECONDARY: used inside the combination course
    assert "rapid-titration" not in waiting["prednisolone-vigabatrin"]


# ---------------------------------------------------------------- UKISS (D-1 to D-6)


def test_ukiss_prednisolone_escalation_and_grades() -> None:
    # D-1: 10 mg four times daily; D-2/D-3: 20 mg three times daily in the second week (day 8)
    plan = plan_course(
        "prednisolone-high-dose",
        weight_kg=7,
        start=START,
        decisions={"day7_spasms_continuing": True},
    )
    assert daily(plan, "prednisolone")[:14] == [40] * 7 + [60] * 7
    assert [d.amount for d in plan.days[7].doses] == [20, 20, 20]
    assert {d.grade for d in plan.days[7].doses} == {"SECONDARY"}
    assert plan.days[0].doses[0].grade == "FIRM"  # ICISS abstract: 10 mg QID (D-1)
    # D-5: the tail after 60 mg/day is NOT FOUND: days 15-29 (15 days) wait for the clinic
    assert pending(plan, "prednisolone") == list(range(15, 30))
    assert {p.grade for day in plan.days for p in day.pending} == {"NOT FOUND"}


def test_ukiss_tail_is_15_days_in_perc_steps() -> None:
    # D-5: tail "over a period of 15 days"; PERC steps named default: 30, 20, 10 mg/day x 5
    plan = plan_course("prednisolone-high-dose", weight_kg=7, start=START)
    assert daily(plan, "prednisolone")[14:] == [30] * 5 + [20] * 5 + [10] * 5
    assert plan.parameters["taper_steps"] == "perc"
    assert {d.grade for d in plan.days[20].doses} == {"SECONDARY"}
    assert "perc-steps" in plan.days[20].doses[0].grade_sources


def test_ukiss_tetracosactide_escalation_in_mg() -> None:
    # D-6: 0.5 mg alternate days, 0.75 mg alternate days in the second week; mg, never IU (D-13)
    plan = plan_course(
        "tetracosactide-depot",
        weight_kg=7,
        start=START,
        decisions={"day7_spasms_continuing": True},
    )
    doses = {day.day: [d.amount for d in day.doses] for day in plan.days if day.doses}
    assert doses == {1: [0.5], 3: [0.5], 5: [0.5], 7: [0.5], 9: [0.75], 11: [0.75], 13: [0.75]}
    assert {d.unit for day in plan.days for d in day.doses} == {"mg"}
    keys = {k for day in plan.to_dict()["days"] for d in day["doses"] for k in d}
    assert "mg" in keys and "units" not in keys and "per_m2" not in keys


def test_iciss_combination_has_no_invented_escalation() -> None:
    # D-4: ICISS gives minimum doses only; with spasms at day 7 the day-8 dose waits
    plan = plan_course(
        "prednisolone-vigabatrin",
        weight_kg=6,
        start=START,
        decisions={"day7_spasms_continuing": True},
    )
    assert 8 in pending(plan, "prednisolone")
    assert not any(d.amount == 20 for day in plan.days for d in day.doses)
    # D-7: vigabatrin inside the combination: 50 -> 100 mg/kg/day after 24 h (6 kg)
    assert daily(plan, "vigabatrin")[:3] == [300, 600, 600]


# ---------------------------------------------------------------- vigabatrin (D-7, D-8)


def test_three_named_vigabatrin_titrations() -> None:
    # hand: 5 kg, days 1-7 daily mg/kg of each protocol, spasms persisting when asked
    yes = {"spasms_continuing_72h": True}
    iciss = plan_course("vigabatrin-rapid", weight_kg=5, start=START, decisions=yes)
    ukiss = plan_course(
        "vigabatrin-ukiss", weight_kg=5, start=START, decisions={"spasms_persisting_day5": True}
    )
    label = plan_course("vigabatrin", weight_kg=5, start=START)
    # ICISS (D-7): 50 on day 1, 100 after 24 h, 150 from day 4 (after 72 h)
    assert [x / 5 for x in daily(iciss, "vigabatrin")[:7]] == [50, 100, 100, 150, 150, 150, 150]
    # UKISS (D-7): 50 on day 1, 100 from day 2, 150 from day 5
    assert [x / 5 for x in daily(ukiss, "vigabatrin")[:7]] == [50, 100, 100, 100, 150, 150, 150]
    # label: 50, +50 every 3 days, maximum 150 -> day 7
    assert [x / 5 for x in daily(label, "vigabatrin")[:7]] == [50, 50, 50, 100, 100, 100, 150]


def test_label_infant_table_5_kg_is_7_5_ml() -> None:
    # Sabril label infant table (drug-protocols.md section 3): 5 kg at the maximum, 7.5 mL BID
    plan = plan_course("vigabatrin", weight_kg=5, start=START)
    day7 = plan.days[6].doses
    assert [d.volume_ml for d in day7] == [7.5, 7.5]
    row = table_rows(plan)[12]
    assert row["ml"] == "7.5 mL of 50 mg/mL"
    assert row["grade"] == "FIRM (sabril-label)"


def test_vigafyde_halves_the_volume_and_is_named() -> None:
    # D-8: 100 mg/mL solution: the same 375 mg dose is 3.75 mL; the 5 mL syringe (0.1 mL marks)
    # nearest mark 3.8 mL = 380 mg exceeds the 375 mg maximum, so the mark below, 3.7 mL
    plan = plan_course("vigabatrin", weight_kg=5, start=START, products={"vigabatrin": "vigafyde"})
    dose = plan.days[6].doses[0]
    assert (dose.amount, dose.volume_ml, dose.concentration) == (375, 3.7, 100)
    assert dose.product is not None and "VIGAFYDE" in dose.product
    assert any("the 50 mg/mL product needs 2 times" in w for w in plan.warnings)
    ics = to_ics(plan).decode()
    assert "3.7 mL of 100 mg/mL" in ics


def test_default_product_warns_about_the_other_strength() -> None:
    plan = plan_course("vigabatrin", weight_kg=5, start=START)
    assert any("100 mg/mL product needs 0.5 times" in w for w in plan.warnings)


def test_unknown_strength_is_named_and_unknown_product_refused() -> None:
    plan = plan_course("vigabatrin", weight_kg=5, start=START, products={"vigabatrin": 25})
    assert any("a strength no listed product has" in w for w in plan.warnings)
    with pytest.raises(InputError) as err:
        plan_course("vigabatrin", weight_kg=5, start=START, products={"vigabatrin": "sabrix"})
    assert err.value.field == "products"


def test_twofold_volume_is_refused() -> None:
    product = Product("vigabatrin 50 mg/mL", 50.0, "mg/mL")
    check_volume(375, 7.5, product, 0.5, "vigabatrin")  # right volume: no error
    with pytest.raises(InputError):
        check_volume(375, 3.75, product, 0.5, "vigabatrin")  # volume of the 100 mg/mL product


@settings(max_examples=40, deadline=None)
@given(weight=st.floats(min_value=3.0, max_value=12.0), which=st.sampled_from(["50", "vigafyde"]))
def test_every_printed_volume_delivers_its_dose(weight: float, which: str) -> None:
    products: dict[str, float | str] = {"vigabatrin": 50.0 if which == "50" else which}
    plan = plan_course("vigabatrin", weight_kg=weight, start=START, products=products)
    for day in plan.days[:10]:
        for d in day.doses:
            assert d.volume_ml is not None and d.concentration is not None
            # within one mark of the 20 mL syringe (0.5 mL): never a twofold error
            assert abs(d.volume_ml * d.concentration - d.amount) <= 0.5 * d.concentration


# ---------------------------------------------------------------- confirmation and default


def test_confirmation_overrides_grade_and_becomes_default(tmp_path: Path) -> None:
    bundled = load_protocol("prednisolone-high-dose")
    confirmed = confirm_detail(bundled, "day7-escalation", "Dr A", tmp_path)
    assert confirmed.version == bundled.version + 1 and confirmed.origin == "clinic"
    plan = plan_course(
        "prednisolone-high-dose",
        weight_kg=7,
        start=START,
        protocols_dir=tmp_path,
        decisions={"day7_spasms_continuing": True},
    )
    assert plan.version == confirmed.version
    assert {d.grade for d in plan.days[7].doses} == {CLINIC_CONFIRMED}


def test_default_version_prefers_the_clinic_copy() -> None:
    bundled = load_protocol("vigabatrin", 2)
    clinic = Protocol(data=bundled.data, path=bundled.path, origin="clinic", sha256="x")
    newer = Protocol(data=bundled.data, path=bundled.path, origin="bundled", sha256="y")
    # a newer bundled release does not replace the clinic's confirmed copy
    assert default_version({2: clinic, 3: newer}) == 2
    assert default_version({2: bundled, 3: newer}) == 3


def test_graded_detail_with_changed_value_waits() -> None:
    # a value changed at planning has neither a grade nor a confirmation
    p = load_protocol("vigabatrin")
    plan = plan_course(p, weight_kg=5, start=START, parameters={"wean_step_mg_per_kg_per_day": 50})
    assert any(d["detail"] == "wean" for d in plan.unconfirmed_details)


# ---------------------------------------------------------------- live-vaccine hold (D-14)


def test_prednisolone_course_holds_live_vaccines_course_plus_one_month() -> None:
    # D-14 (CDC): 40 mg/day >= 20 mg/day for 14 days; the course ends day 29 = 4 Jan 2027;
    # + 1 month (CDC default) = 4 Feb 2027
    plan = plan_course("prednisolone-high-dose", weight_kg=7, start=START)
    hold = plan.vaccine_hold
    assert hold is not None
    assert (hold.start, hold.last_course_day, hold.until) == (
        date(2026, 12, 7),
        date(2027, 1, 4),
        date(2027, 2, 4),
    )
    assert plan.to_dict(family=True)["live_vaccine_hold"]["until"] == "2027-02-04"
    assert "No live vaccines" in to_ics(plan).decode()


def test_chop_window_is_about_three_months() -> None:
    # D-14 (CHOP): about three months after stopping: 4 Jan 2027 + 3 months = 4 Apr 2027
    plan = plan_course(
        "prednisolone-high-dose",
        weight_kg=7,
        start=START,
        parameters={"live_vaccine_window": "chop-3-months"},
    )
    assert plan.vaccine_hold is not None and plan.vaccine_hold.until == date(2027, 4, 4)


def test_threshold_needs_two_weeks() -> None:
    from spasmcare.therapy.vaccines import above_threshold

    # 20 mg/day (CDC total) on 14 days reaches it; 13 days does not; 2 mg/kg at 5 kg = 10 mg
    assert above_threshold([20.0] * 14, 12.0)
    assert not above_threshold([20.0] * 13, 12.0)
    assert above_threshold([10.0] * 14, 5.0)
    assert not above_threshold([9.9] * 14, 5.0)


def test_vigabatrin_alone_has_no_hold() -> None:
    assert plan_course("vigabatrin", weight_kg=5, start=START).vaccine_hold is None


def test_a_split_awaiting_the_clinic_keeps_the_hold() -> None:
    # issue 19: the weight-based course's split (divided-doses) is NOT FOUND, so every day of
    # it awaits the clinic; the daily amount is sourced: 8 mg/kg/day x 7 kg = 56 mg/day
    # (under the 60 mg/day maximum) >= 20 mg/day on days 1-14, so the amount alone holds live
    # vaccines. Days 15-29 (the taper, also awaiting) are course days: last day 29 = 4 Jan 2027,
    # + 1 month (CDC) = 4 Feb 2027
    plan = plan_course("prednisolone-weight-based", weight_kg=7, start=START)
    assert all(not d.doses and d.pending for d in plan.days[:14])
    assert plan.days[0].pending[0].planned_daily == pytest.approx(56.0)
    hold = plan.vaccine_hold
    assert hold is not None
    assert (hold.start, hold.last_course_day, hold.until) == (
        date(2026, 12, 7),
        date(2027, 1, 4),
        date(2027, 2, 4),
    )
    # the planned amount is never given as a dose: the family still sees no amount
    assert all(not d["doses"] for d in plan.to_dict(family=True)["days"][:14])


def test_an_escalation_awaiting_the_clinic_keeps_the_hold() -> None:
    # ICISS combination, version 2: spasms continuing at day 7 -> the escalation (NOT FOUND for
    # ICISS, evidence D-4) awaits the clinic on days 8-14; days 1-7 are 40 mg/day (FIRM). The
    # planned escalation counts: 14 days >= 20 mg/day, so the hold stands (it was None before)
    plan = plan_course(
        "prednisolone-vigabatrin",
        weight_kg=7,
        start=START,
        decisions={"day7_spasms_continuing": True},
    )
    assert any(p.drug == "prednisolone" for p in plan.days[7].pending)
    assert plan.vaccine_hold is not None
    assert plan.vaccine_hold.start == date(2026, 12, 7)
