"""Every bundled schedule recomputed by hand from its cited source.

Helpers sum each drug's daily amount so the expectations read like the source tables.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from spasmcare.therapy import CoursePlan, Syringe, load_protocol, plan_course
from spasmcare.therapy.protocol import TO_BE_CONFIRMED

START = date(2025, 3, 3)


def daily(plan: CoursePlan, drug: str) -> list[float]:
    return [round(sum(d.amount for d in day.doses if d.drug == drug), 4) for day in plan.days]


def per_dose(plan: CoursePlan, drug: str, day: int) -> list[float]:
    return [d.amount for d in plan.days[day - 1].doses if d.drug == drug]


def pending_days(plan: CoursePlan, drug: str) -> list[int]:
    return [day.day for day in plan.days if any(p.drug == drug for p in day.pending)]


# ---------------------------------------------------------------- prednisolone-high-dose


def test_prednisolone_high_dose_standard_course() -> None:
    # MSD Manual / PERC table: days 1-14 10 mg QID (40 mg/day); 15-19 10 mg TID (30);
    # 20-24 10 mg BID (20); 25-29 10 mg once daily (10); stop. 29 days.
    plan = plan_course("prednisolone-high-dose", weight_kg=7, start=START)
    assert len(plan.days) == 29
    assert daily(plan, "prednisolone") == [40] * 14 + [30] * 5 + [20] * 5 + [10] * 5
    assert per_dose(plan, "prednisolone", 1) == [10, 10, 10, 10]
    # total = 14x40 + 5x30 + 5x20 + 5x10 = 560 + 150 + 100 + 50 = 860 mg
    assert sum(daily(plan, "prednisolone")) == 860
    assert plan.last_dose["prednisolone"] == date(2025, 3, 31)
    # every fixed 10 mg dose shows its per-kg figure: 10 / 7 = 1.429 mg/kg
    assert plan.days[0].doses[0].per_kg == pytest.approx(1.429, abs=1e-3)
    assert [d.time for d in plan.days[0].doses] == ["08:00", "12:00", "16:00", "20:00"]


def test_prednisolone_escalation_unconfirmed_is_gated() -> None:
    plan = plan_course(
        load_protocol("prednisolone-high-dose", 1),  # version 1 has no grades
        weight_kg=7,
        start=START,
        decisions={"day7_spasms_continuing": True},
    )
    # days 1-7 stay 40 mg/day; days 8-29 belong to the unconfirmed escalation branch
    assert daily(plan, "prednisolone")[:7] == [40] * 7
    assert pending_days(plan, "prednisolone") == list(range(8, 30))
    assert all(not day.doses for day in plan.days[7:])
    assert any(TO_BE_CONFIRMED in n for n in plan.to_dict()["days"][7]["notes"])


def test_prednisolone_escalation_confirmed_and_replanning(confirmed_dir: Path) -> None:
    before = plan_course(
        "prednisolone-high-dose", weight_kg=7, start=START, protocols_dir=confirmed_dir
    )
    after = plan_course(
        "prednisolone-high-dose",
        weight_kg=7,
        start=START,
        protocols_dir=confirmed_dir,
        decisions={"day7_spasms_continuing": True},
    )
    # UK IS Trust (confirmed): 60 mg/day as 20 mg TID on days 8-14, then the same taper
    # days: 7 x 40, 7 x 60, 5 x 30, 5 x 20, 5 x 10 ; total 280 + 420 + 300 = 1000 mg
    assert daily(after, "prednisolone") == [40] * 7 + [60] * 7 + [30] * 5 + [20] * 5 + [10] * 5
    assert sum(daily(after, "prednisolone")) == 1000
    assert per_dose(after, "prednisolone", 8) == [20, 20, 20]
    # re-planning leaves the days before the decision takes effect unchanged
    assert [d.doses for d in before.days[:7]] == [d.doses for d in after.days[:7]]
    point = after.decision_points[0]
    assert (point.id, point.day, point.date, point.answer) == (
        "day7_spasms_continuing",
        7,
        date(2025, 3, 9),
        True,
    )
    assert before.decision_points[0].answer is None
    confirmed = {c["detail"]: c["by"] for c in after.confirmed_details}
    assert confirmed["day7-escalation"] == "Dr Test, consultant"


def test_prednisolone_product_volume() -> None:
    # 10 mg of a 5 mg/mL solution = 2.0 mL (5 mL syringe, 0.1 mL marks)
    plan = plan_course(
        "prednisolone-high-dose", weight_kg=7, start=START, products={"prednisolone": 5}
    )
    assert plan.days[0].doses[0].volume_ml == 2.0
    assert plan.days[0].doses[0].measured == 10.0


# ---------------------------------------------------------------- prednisolone-weight-based


def test_weight_based_unconfirmed_split_gives_no_doses() -> None:
    plan = plan_course("prednisolone-weight-based", weight_kg=7, start=START)
    assert all(not day.doses for day in plan.days)
    assert pending_days(plan, "prednisolone") == list(range(1, 30))


def test_weight_based_confirmed_7kg(confirmed_dir: Path) -> None:
    plan = plan_course(
        "prednisolone-weight-based", weight_kg=7, start=START, protocols_dir=confirmed_dir
    )
    # UCLA 8 mg/kg/day x 7 kg = 56 mg/day (< 60 max) in 3 doses: 56/3 = 18.67 mg
    assert per_dose(plan, "prednisolone", 1) == [18.67, 18.67, 18.67]
    # taper (confirmed shape): 75 % = 42 mg/day /3 = 14; 50 % = 28 /2 = 14; 25 % = 14 /1 = 14
    assert per_dose(plan, "prednisolone", 15) == [14, 14, 14]
    assert per_dose(plan, "prednisolone", 20) == [14, 14]
    assert per_dose(plan, "prednisolone", 25) == [14]
    assert len(plan.days) == 29


def test_weight_based_cap_at_60mg(confirmed_dir: Path) -> None:
    plan = plan_course(
        "prednisolone-weight-based", weight_kg=8.5, start=START, protocols_dir=confirmed_dir
    )
    # 8 x 8.5 = 68 mg/day > 60 mg/day maximum (UCLA) -> 60 mg/day = 3 x 20 mg
    assert per_dose(plan, "prednisolone", 1) == [20, 20, 20]
    assert any("capped" in n for n in plan.days[0].notes)
    # the taper is a fraction of the dose given (60): 45/3 = 15, 30/2 = 15, 15/1 = 15
    assert per_dose(plan, "prednisolone", 15) == [15, 15, 15]
    assert per_dose(plan, "prednisolone", 29) == [15]


def test_weight_based_4mg_option(confirmed_dir: Path) -> None:
    plan = plan_course(
        "prednisolone-weight-based",
        weight_kg=6,
        start=START,
        protocols_dir=confirmed_dir,
        parameters={"dose_mg_per_kg_per_day": 4},
    )
    # 4 mg/kg/day x 6 kg = 24 mg/day in 3 doses = 8 mg
    assert per_dose(plan, "prednisolone", 1) == [8, 8, 8]


def test_weight_based_non_responder_stops_at_day14(confirmed_dir: Path) -> None:
    plan = plan_course(
        "prednisolone-weight-based",
        weight_kg=7,
        start=START,
        protocols_dir=confirmed_dir,
        decisions={"day14_response": False},
    )
    assert len(plan.days) == 14
    assert "acth-high-dose" in plan.decision_points[0].effect


# ---------------------------------------------------------------- tetracosactide-depot


def test_tetracosactide_alternate_days_then_gated_taper() -> None:
    plan = plan_course("tetracosactide-depot", weight_kg=7, start=START)
    # UKISS / ICISS: 0.5 mg IM on alternate days for 14 days -> days 1,3,5,7,9,11,13
    injections = [day.day for day in plan.days if day.doses]
    assert injections == [1, 3, 5, 7, 9, 11, 13]
    assert sum(daily(plan, "tetracosactide depot")) == pytest.approx(3.5)  # 7 x 0.5 mg
    # version 2: UKISS's prednisolone tail runs "over a period of 15 days" (evidence D-5, ADC
    # 2005), days 15-29; its doses after tetracosactide are NOT FOUND and wait for the clinic
    assert pending_days(plan, "prednisolone") == list(range(15, 30))
    assert len(plan.days) == 29


def test_tetracosactide_escalation_confirmed(confirmed_dir: Path) -> None:
    plan = plan_course(
        "tetracosactide-depot",
        weight_kg=7,
        start=START,
        protocols_dir=confirmed_dir,
        decisions={"day7_spasms_continuing": True},
    )
    # UKISS allowed 0.75 mg: days 9, 11, 13 at 0.75 mg; 4 x 0.5 + 3 x 0.75 = 4.25 mg
    assert per_dose(plan, "tetracosactide depot", 9) == [0.75]
    assert sum(daily(plan, "tetracosactide depot")) == pytest.approx(4.25)
    # the tail has no written doses, so it stays flagged even in the confirmed copy (15 days)
    assert pending_days(plan, "prednisolone") == list(range(15, 30))


# ---------------------------------------------------------------- ACTH


def test_acth_high_dose_label_example() -> None:
    # Acthar label: BSA 0.4 m² -> 150 U/m²/day x 0.4 = 60 U/day, given as 2 x 30 U
    # Mosteller 72 cm x 8 kg = 0.4 m²; 30 U of 80 U/mL = 0.375 mL -> 1 mL syringe, 0.01 marks:
    # nearest mark 0.38 mL delivers 30.4 U > 30 U maximum -> the mark below, 0.37 mL (29.6 U)
    plan = plan_course("acth-high-dose", weight_kg=8, length_cm=72, start=START)
    assert plan.bsa_m2 == pytest.approx(0.4)
    assert per_dose(plan, "ACTH (Acthar Gel)", 1) == [30, 30]
    assert daily(plan, "ACTH (Acthar Gel)")[:14] == [60] * 14
    assert plan.days[0].doses[0].volume_ml == 0.37
    assert plan.days[0].doses[0].per_m2 == 75
    # the label taper steps are VERIFY: days 15-29 wait for the clinic
    assert pending_days(plan, "ACTH (Acthar Gel)") == [
        15,
        16,
        17,
        18,
        19,
        20,
        21,
        22,
        23,
        24,
        26,
        28,
    ]


def test_acth_high_dose_confirmed_taper(confirmed_dir: Path) -> None:
    plan = plan_course(
        "acth-high-dose", weight_kg=8, length_cm=72, start=START, protocols_dir=confirmed_dir
    )
    # taper x BSA 0.4: 30 U/m² -> 12 U (days 15-17); 15 -> 6 U (18-20); 10 -> 4 U (21-23);
    # 10 -> 4 U every other morning (24, 26, 28); 29 days in all (PERC)
    expected = [60] * 14 + [12] * 3 + [6] * 3 + [4] * 3 + [4, 0, 4, 0, 4, 0]
    assert daily(plan, "ACTH (Acthar Gel)") == expected
    # 12 U of 80 U/mL = 0.15 mL
    assert plan.days[14].doses[0].volume_ml == 0.15


def test_acth_high_dose_mosteller_60cm_6kg() -> None:
    # BSA sqrt(0.1) = 0.316228 m² ; 75 x 0.316228 = 23.717 U -> 23.72 rounds above the maximum
    # (75 U/m² per dose) so the dose is 23.71 U; 23.71 / 80 = 0.2964 mL -> 0.30 would give 24 U
    # (> 23.717) -> 0.29 mL (23.2 U)
    plan = plan_course("acth-high-dose", weight_kg=6, length_cm=60, start=START)
    dose = plan.days[0].doses[0]
    assert dose.amount == 23.71
    assert dose.volume_ml == 0.29
    assert dose.measured == pytest.approx(23.2)
    assert any("BSA formulas differ" in w for w in plan.warnings)


def test_acth_other_formula() -> None:
    plan = plan_course(
        "acth-high-dose", weight_kg=6, length_cm=60, start=START, bsa_formula="haycock"
    )
    # Haycock 0.32234 m² x 75 = 24.18 U
    assert plan.days[0].doses[0].amount == pytest.approx(24.18, abs=0.01)
    assert plan.bsa_formula == "haycock"


def test_acth_low_dose_gated_until_basis_confirmed() -> None:
    plan = plan_course("acth-low-dose", weight_kg=8, length_cm=72, start=START)
    assert all(not day.doses for day in plan.days)
    assert pending_days(plan, "ACTH (Acthar Gel)")[:14] == list(range(1, 15))


def test_acth_low_dose_per_m2_confirmed(confirmed_dir: Path) -> None:
    plan = plan_course(
        "acth-low-dose", weight_kg=8, length_cm=72, start=START, protocols_dir=confirmed_dir
    )
    # MSD / PERC 20 U/m²/day x 0.4 m² = 8 U/day in 2 injections = 4 U = 0.05 mL of 80 U/mL
    assert per_dose(plan, "ACTH (Acthar Gel)", 1) == [4, 4]
    assert plan.days[0].doses[0].volume_ml == 0.05


def test_acth_low_dose_per_day_needs_its_own_confirmation(tmp_path: Path) -> None:
    from spasmcare.therapy import confirm_detail

    p = load_protocol("acth-low-dose")
    p = confirm_detail(p, "dose-basis", "Dr Test", tmp_path, value="per-day")
    p = confirm_detail(p, "doses-per-day", "Dr Test", tmp_path)
    plan = plan_course(p, weight_kg=8, length_cm=72, start=START)
    # Hrachovy 20 U/day in 2 injections = 10 U = 0.125 mL -> 0.13 mL (half up; 10.4 U <= 15)
    assert per_dose(plan, "ACTH (Acthar Gel)", 1) == [10, 10]
    assert plan.days[0].doses[0].volume_ml == 0.13
    # planning per-m2 against a per-day confirmation un-confirms the basis
    other = plan_course(
        p, weight_kg=8, length_cm=72, start=START, parameters={"dose_basis": "per-m2"}
    )
    assert all(not day.doses for day in other.days)


# ---------------------------------------------------------------- vigabatrin


def test_vigabatrin_label_titration_5kg() -> None:
    # Sabril label table (50 mg/mL): 5 kg starts at 2.5 mL twice daily, maximum 7.5 mL
    # 50 mg/kg/day x 5 kg = 250 mg/day = 2 x 125 mg = 2 x 2.5 mL (days 1-3);
    # +50 every 3 days: 100 -> 2 x 250 mg = 5.0 mL (days 4-6); 150 -> 2 x 375 mg = 7.5 mL (day 7+)
    # (syringes marked every 0.1 mL, as the label's table assumes)
    tenth = (Syringe(5, 0.1), Syringe(10, 0.1))
    plan = plan_course("vigabatrin", weight_kg=5, start=START, syringes=tenth)
    vols = [plan.days[i - 1].doses[0].volume_ml for i in (1, 3, 4, 6, 7, 30)]
    assert vols == [2.5, 2.5, 5.0, 5.0, 7.5, 7.5]
    assert plan.days[0].doses[0].per_kg == 25
    # 3 calendar months from 2025-03-03 end on 2025-06-02 (day 92); the wean is VERIFY-gated
    assert plan.last_dose["vigabatrin"] == date(2025, 6, 2)
    assert pending_days(plan, "vigabatrin")[0] == 93


def test_vigabatrin_volume_rounding_never_above_maximum() -> None:
    # Sabril label infant table (drug-protocols.md section 3): 5 kg at the maximum = 7.5 mL
    # twice daily of 50 mg/mL. 7.5 mL is a mark of the 20 mL syringe (0.5 mL marks), so it is
    # measured exactly (it used to print 7.4 mL from the 10 mL syringe's 0.2 mL marks).
    plan = plan_course("vigabatrin", weight_kg=5, start=START)
    dose = plan.days[6].doses[0]
    assert (dose.amount, dose.volume_ml, dose.measured) == (375, 7.5, 375)
    # 5.05 kg: 75 x 5.05 = 378.75 mg = 7.575 mL, on no mark; the 10 mL syringe's nearest mark
    # 7.6 mL = 380 mg exceeds the maximum, so the mark below, 7.4 mL (370 mg)
    odd = plan_course("vigabatrin", weight_kg=5.05, start=START).days[6].doses[0]
    assert (odd.amount, odd.volume_ml, odd.measured) == (378.75, 7.4, 370)
    # 5.2 kg day 1: 130 mg = 2.6 mL on the 5 mL syringe (0.1 marks)
    small = plan_course("vigabatrin", weight_kg=5.2, start=START)
    assert small.days[0].doses[0].volume_ml == 2.6


def test_vigabatrin_label_step_25() -> None:
    plan = plan_course(
        "vigabatrin", weight_kg=5, start=START, parameters={"titration_step_mg_per_kg_per_day": 25}
    )
    # 50, 75 (day 4), 100 (day 7), 125 (day 10), 150 (day 13) mg/kg/day x 5 kg
    assert [daily(plan, "vigabatrin")[d - 1] for d in (1, 4, 7, 10, 13, 40)] == [
        250,
        375,
        500,
        625,
        750,
        750,
    ]


def test_vigabatrin_wean_confirmed(confirmed_dir: Path) -> None:
    plan = plan_course("vigabatrin", weight_kg=5, start=START, protocols_dir=confirmed_dir)
    # wean from 150 in steps of 25: 125, 100, 75, 50, 25 mg/kg/day over the month
    # 2025-06-03 .. 2025-07-02 (30 days, days 93-122) -> 6 days each, then stop
    levels = [x / 5 for x in daily(plan, "vigabatrin")[92:122]]
    assert levels == [125] * 6 + [100] * 6 + [75] * 6 + [50] * 6 + [25] * 6
    assert len(plan.days) == 122
    assert plan.last_dose["vigabatrin"] == date(2025, 7, 2)
    # vision follow-up (confirmed): 3 months after the start while on treatment, and
    # 3-6 months after the last dose
    vision = [m for m in plan.monitoring if m.what.startswith("Vision test")]
    assert [m.date for m in vision] == [START, date(2025, 6, 3), date(2025, 10, 2)]
    assert vision[0].until == date(2025, 3, 30)  # baseline within 4 weeks (day 28)
    assert vision[2].until == date(2026, 1, 2)


def test_vigabatrin_long_course_warning() -> None:
    plan = plan_course("vigabatrin", weight_kg=5, start=START, parameters={"treatment_months": 7})
    assert any("longer than 6 months" in w for w in plan.warnings)
    short = plan_course("vigabatrin", weight_kg=5, start=START)
    assert not any("longer than 6 months" in w for w in short.warnings)


def test_vigabatrin_rapid(confirmed_dir: Path) -> None:
    gated = plan_course(load_protocol("vigabatrin-rapid", 1), weight_kg=6, start=START)
    # day 1: 50 mg/kg/day (label start) x 6 kg = 300 mg = 2 x 150 mg = 2 x 3.0 mL
    assert per_dose(gated, "vigabatrin", 1) == [150, 150]
    assert pending_days(gated, "vigabatrin")[0] == 2
    plan = plan_course(
        "vigabatrin-rapid",
        weight_kg=6,
        start=START,
        protocols_dir=confirmed_dir,
        decisions={"spasms_continuing_72h": True},
    )
    # ICISS (confirmed): 100 mg/kg/day after 24 h = 600 mg/day; 150 from day 4 = 900 mg/day
    assert daily(plan, "vigabatrin")[:5] == [300, 600, 600, 900, 900]
    assert plan.days[3].doses[0].volume_ml == 9.0  # 450 mg / 50 mg/mL


def test_prednisolone_vigabatrin_combined(confirmed_dir: Path) -> None:
    plan = plan_course(
        "prednisolone-vigabatrin", weight_kg=6, start=START, protocols_dir=confirmed_dir
    )
    # each drug keeps its own schedule: prednisolone 860 mg over 29 days (as above);
    # vigabatrin 300 mg day 1 then 600 mg/day
    assert sum(daily(plan, "prednisolone")) == 860
    assert daily(plan, "vigabatrin")[:3] == [300, 600, 600]
    assert plan.last_dose["prednisolone"] == date(2025, 3, 31)
    assert {d.id for d in plan.decision_points} == {
        "day7_spasms_continuing",
        "spasms_continuing_72h",
    }


# ---------------------------------------------------------------- monitoring and safety


def test_hormone_monitoring_twice_weekly_when_confirmed(confirmed_dir: Path) -> None:
    plan = plan_course(
        "prednisolone-high-dose", weight_kg=7, start=START, protocols_dir=confirmed_dir
    )
    checks = [m.date.day for m in plan.monitoring if m.what.startswith("Blood pressure")]
    # twice a week (offsets 0 and 3 of each week) over days 1-29 of March 2025 (3rd-31st)
    assert checks == [3, 6, 10, 13, 17, 20, 24, 27, 31]
    eeg = [m for m in plan.monitoring if m.what.startswith("Response EEG")]
    assert eeg[0].date == date(2025, 3, 16)  # day 14
    assert all(m.confirmed_by for m in plan.monitoring if m.detail)


def test_weight_change_warning() -> None:
    plan = plan_course(
        "prednisolone-high-dose",
        weight_kg=7,
        start=START,
        weights={date(2025, 3, 10): 7.7, date(2025, 3, 12): 7.71},
    )
    # 7.7 / 7 = +10.0 % (not more than 10 %); 7.71 / 7 = +10.1 % -> one warning
    hits = [w for w in plan.warnings if "re-dose" in w]
    assert len(hits) == 1 and "2025-03-12" in hits[0]


def test_plan_records_protocol_identity() -> None:
    plan = plan_course("prednisolone-high-dose", weight_kg=7, start=START)
    again = load_protocol("prednisolone-high-dose", plan.version, expect_sha256=plan.sha256)
    replay = plan_course(again, weight_kg=7, start=START)
    assert replay.to_dict() == plan.to_dict()
    out = plan.to_dict()
    assert (out["protocol"], out["version"]) == ("prednisolone-high-dose", 2)
    assert out["days"][0]["doses"][0]["mg"] == 10
    assert "units" not in out["days"][0]["doses"][0]
