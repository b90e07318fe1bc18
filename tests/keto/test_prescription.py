"""Prescriptions against hand calculations (Compass 2013 dietary units) and invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.keto import initiation
from spasmcare.keto.prescription import (
    EnergySpec,
    Patient,
    ProteinSpec,
    classic,
    lgit,
    liquigen_ml_for_mct_g,
    mad,
    mct,
)
from spasmcare.keto.ratio import k_ak, kcal_per_dietary_unit, parse_ratio

BABY = Patient(age_months=8, weight_kg=8.0, sex="male")


@pytest.mark.parametrize("ratio,kcal", [(2, 22), (3, 31), (4, 40), (5, 49)])
def test_kcal_per_unit_matches_compass_table(ratio: float, kcal: float) -> None:
    assert kcal_per_dietary_unit(ratio) == kcal


def test_classic_4_to_1_1000_kcal_by_hand() -> None:
    # 1000 kcal / 40 kcal per unit = 25 units; fat 4*25 = 100 g; P+C = 25 g; carb = 25 - 15 = 10 g.
    rx = classic(Patient(48, 16.0, "female"), 4.0, EnergySpec(kcal=1000), ProteinSpec(g_per_day=15))
    assert rx.dietary_units == pytest.approx(25.0)
    assert rx.fat_g == pytest.approx(100.0)
    assert rx.protein_g == pytest.approx(15.0)
    assert rx.carb_g == pytest.approx(10.0)
    # K:AK = (90 + 6.9) / (10 + 10 + 8.7) = 96.9 / 28.7
    assert rx.k_ak == pytest.approx(96.9 / 28.7)


def test_demo_infant_by_default_rules() -> None:
    # 8 kg, 8 months: EER = 89*8 - 100 + 22 = 634 kcal; protein 1.2 g/kg = 9.6 g;
    # 3:1 -> 634/31 = 20.4516 units; fat 61.355 g; carb 20.4516 - 9.6 = 10.8516 g; fluid 634 mL.
    rx = classic(BABY, 3.0)
    assert rx.kcal == pytest.approx(634)
    assert rx.protein_g == pytest.approx(9.6)
    assert rx.fat_g == pytest.approx(3 * 634 / 31)
    assert rx.carb_g == pytest.approx(634 / 31 - 9.6)
    assert rx.fluid_ml == pytest.approx(634)
    assert rx.carbs == "total"
    assert len(rx.per_meal) == 3
    assert any("Compass" in s for s in rx.sources)
    assert rx.energy["default"] is True


def test_kcal_per_kg_and_energy_percent() -> None:
    assert classic(BABY, 3, EnergySpec(kcal_per_kg=80)).kcal == pytest.approx(640)
    rx = classic(BABY, 3, EnergySpec(equation="schofield", percent=130))
    assert rx.kcal == pytest.approx((59.512 * 8 - 30.4) * 1.3)
    assert any("basal" in w for w in rx.warnings)


def test_conflicting_energy_flags_are_rejected() -> None:
    with pytest.raises(InputError, match="only one of"):
        classic(BABY, 3, EnergySpec(kcal=600, kcal_per_kg=80))


def test_protein_leaving_no_room_for_carbohydrate() -> None:
    # 4:1 at 400 kcal: 10 units, so protein + carb = 10 g; 12 g protein is impossible.
    with pytest.raises(InputError) as err:
        classic(BABY, 4, EnergySpec(kcal=400), ProteinSpec(g_per_day=12))
    assert "at most 10.0 g/day" in str(err.value)


@pytest.mark.parametrize("bad", ["0.4", "7", "abc", "3:0", "-2"])
def test_ratio_bounds(bad: str) -> None:
    with pytest.raises(InputError, match="--ratio"):
        parse_ratio(bad)


def test_ratio_notation() -> None:
    assert parse_ratio("3:1") == 3.0
    assert parse_ratio("7:2") == 3.5
    assert parse_ratio("3.5") == 3.5


def test_bad_weights() -> None:
    for weight in (0, -1):
        with pytest.raises(InputError, match="--weight-kg"):
            classic(Patient(8, weight, "male"), 3)
    with pytest.raises(InputError, match="±5 SD"):
        classic(Patient(8, 30, "male"), 3)


def test_snacks_take_their_fraction_and_meals_share_the_rest() -> None:
    rx = classic(BABY, 3, snack_fractions=(0.1,), meals=3)
    fractions = [m.fraction for m in rx.per_meal]
    assert fractions == pytest.approx([0.3, 0.3, 0.3, 0.1])


def test_net_carbs_is_a_visible_setting() -> None:
    rx = classic(BABY, 3, carbs="net")
    assert rx.carbs == "net" and "net" in rx.details["carbs_note"]


def test_mct_by_hand() -> None:
    # 600 kcal, 60 % MCT = 360 kcal -> 360/8.3 = 43.37 g MCT oil (Mead Johnson 8.3 kcal/g);
    # Liquigen holds 45.4 g MCT per 100 mL (keto-therapy.md §6), so 43.3735 / 0.454 = 95.536 mL
    # (not 360/4.5 = 80 mL, which holds 36.3 g); its label 4.5 kcal/mL -> 429.9 kcal.
    # carb 15 % = 90 kcal = 22.5 g; protein 10 g = 40 kcal; LCT = 600-360-90-40 = 110 kcal.
    rx = mct(BABY, EnergySpec(kcal=600), ProteinSpec(g_per_day=10))
    assert rx.details["mct_oil_g"] == pytest.approx(43.373, abs=1e-3)
    assert rx.details["liquigen_ml"] == pytest.approx(95.536, abs=1e-3)
    assert rx.details["liquigen_label_kcal"] == pytest.approx(429.9, abs=0.05)
    assert "95.5 mL Liquigen holds the same 43.4 g MCT" in rx.details["liquigen_note"]
    assert rx.carb_g == pytest.approx(22.5)
    assert rx.details["lct_fat_g"] == pytest.approx(110 / 9)
    with pytest.raises(InputError, match="--mct-percent"):
        mct(BABY, mct_percent=70)


def test_liquigen_volume_gives_the_oil_s_mct_for_420_kcal() -> None:
    # Issue 14 case, keto-therapy.md §6: 700 kcal × 60 % = 420 kcal of MCT.
    # Oil: 420 / 8.3 = 50.602 g MCT. Label route: 420 / 4.5 = 93.33 mL × 0.454 = 42.37 g (16.3 %
    # less). Composition route: 50.602 / 0.454 = 111.459 mL, which holds 50.602 g MCT.
    rx = mct(BABY, EnergySpec(kcal=700), ProteinSpec(g_per_day=10))
    assert rx.details["mct_kcal"] == pytest.approx(420.0)
    assert rx.details["mct_oil_g"] == pytest.approx(50.602, abs=1e-3)
    assert rx.details["liquigen_ml"] == pytest.approx(111.459, abs=1e-3)
    assert rx.details["liquigen_ml"] * 0.454 == pytest.approx(rx.details["mct_oil_g"])
    assert (420 / 4.5) * 0.454 == pytest.approx(42.373, abs=1e-3)  # the old volume's MCT


@given(st.floats(min_value=0, max_value=500, allow_nan=False))
def test_liquigen_and_oil_carry_the_same_mct(mct_g: float) -> None:
    assert liquigen_ml_for_mct_g(mct_g) * 0.454 == pytest.approx(mct_g)


def test_liquigen_refuses_negative_mct() -> None:
    with pytest.raises(InputError, match="MCT"):
        liquigen_ml_for_mct_g(-1)


@pytest.mark.parametrize("age", [130.0, 121.0, 120.5])
def test_ages_above_120_months_refused_in_months(age: float) -> None:
    shown = f"{age:g}"
    with pytest.raises(InputError) as err:
        classic(Patient(age_months=age, weight_kg=25.0, sex="male"), 3)
    assert str(err.value) == f"--age-months: {shown} is not accepted; at most 120 months"
    assert err.value.field == "--age-months"


def test_age_120_months_accepted_and_negative_refused() -> None:
    rx = classic(
        Patient(age_months=120, weight_kg=31.0, sex="female"),
        3,
        EnergySpec(kcal=1500),
        ProteinSpec(g_per_day=30),
    )
    assert rx.patient["age_months"] == 120
    with pytest.raises(InputError, match="an age from 0 to 120 months"):
        classic(Patient(age_months=-1, weight_kg=8.0, sex="male"), 3)


def test_mad_is_a_carbohydrate_limit_without_energy_cap() -> None:
    rx = mad(BABY)
    assert rx.carb_g == 10 and rx.kcal is None and rx.protein_g is None
    assert sum(m.carb_g or 0 for m in rx.per_meal) == pytest.approx(10)


def test_lgit_gi_cutoff_filters_foods() -> None:
    rx = lgit(BABY)
    names = {f["name"] for f in rx.details["allowed_foods"]}
    assert "Apple, raw" in names  # GI 36
    assert "Banana, raw" not in names  # GI 51 is not below 50
    assert "Spaghetti, white" in names  # GI 49
    looser = {f["name"] for f in lgit(BABY, gi_cutoff=55).details["allowed_foods"]}
    assert "Banana, raw" in looser and "Porridge, rolled oats" not in looser  # 55 is not < 55
    with_energy = lgit(BABY, EnergySpec(kcal=700))
    assert with_energy.fat_g == pytest.approx(700 * 0.6 / 9)


def test_initiation_ratio_steps_end_at_final() -> None:
    assert initiation.ratio_steps(3.5) == [1.0, 2.0, 3.0, 3.5]
    assert initiation.ratio_steps(4) == [1.0, 2.0, 3.0, 4.0]
    days = initiation.initiation_plan(BABY, 3.0, days_per_step=2)
    assert [d.ratio for d in days] == [1, 1, 2, 2, 3, 3]
    assert all(d.kcal == pytest.approx(634) for d in days)


def test_initiation_volume_steps_keep_ratio() -> None:
    days = initiation.initiation_plan(BABY, 4.0, mode="volume")
    assert [round(d.energy_fraction, 3) for d in days] == [0.333, 0.667, 1.0]
    for d in days:
        assert d.fat_g / (d.protein_g + d.carb_g) == pytest.approx(4.0)


def test_k_ak_ketocal() -> None:
    # KetoCal 4:1 per 100 g (available carb 2.9): (62.28 + 6.624) / (2.9 + 6.92 + 8.352)
    assert k_ak(69.2, 14.4, 2.9) == pytest.approx(68.904 / 18.172)


@settings(max_examples=60, deadline=None)
@given(
    ratio=st.floats(1.0, 5.0),
    kcal=st.floats(400, 1500),
    protein_share=st.floats(0.05, 0.95),
    meals=st.integers(1, 6),
)
def test_classic_invariants(ratio: float, kcal: float, protein_share: float, meals: int) -> None:
    units = kcal / (9 * ratio + 4)
    rx = classic(
        Patient(24, 12.0, "female"),
        ratio,
        EnergySpec(kcal=kcal),
        ProteinSpec(g_per_day=protein_share * units),
        meals=meals,
    )
    assert rx.fat_g is not None and rx.protein_g is not None and rx.carb_g is not None
    assert 9 * rx.fat_g + 4 * (rx.protein_g + rx.carb_g) == pytest.approx(kcal)
    assert rx.fat_g / (rx.protein_g + rx.carb_g) == pytest.approx(ratio)
    for key in ("fat_g", "protein_g", "carb_g", "kcal"):
        total = math.fsum(getattr(m, key) for m in rx.per_meal)
        assert total == pytest.approx(getattr(rx, key))
    for m in rx.per_meal:
        assert m.fat_g / (m.protein_g + m.carb_g) == pytest.approx(ratio)
