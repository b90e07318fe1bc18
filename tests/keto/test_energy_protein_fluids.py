"""Energy, protein and fluid rules against hand calculations from their cited sources."""

from __future__ import annotations

import pytest

from spasmcare.errors import InputError
from spasmcare.keto import energy, fluids, protein


@pytest.mark.parametrize(
    "weight_kg,age_months,expected",
    [
        # IOM 2002/2005: EER = 89 W - 100 + deposition.
        (6.0, 2, 609.0),  # 534 - 100 + 175
        (7.0, 5, 579.0),  # 623 - 100 + 56
        (9.0, 9, 723.0),  # 801 - 100 + 22
        (11.0, 18, 899.0),  # 979 - 100 + 20
    ],
)
def test_iom_eer_worked_examples(weight_kg: float, age_months: float, expected: float) -> None:
    assert energy.iom_eer_kcal(weight_kg, age_months) == pytest.approx(expected)


@pytest.mark.parametrize(
    "age,dep", [(0, 175), (3.9, 175), (4, 56), (6.9, 56), (7, 22), (12.9, 22), (13, 20), (35, 20)]
)
def test_iom_deposition_band_edges(age: float, dep: float) -> None:
    assert energy.iom_eer_deposition_kcal(age) == dep


def test_iom_eer_outside_age_range_names_field() -> None:
    with pytest.raises(InputError, match="--age-months"):
        energy.iom_eer_kcal(15, 40)


def test_fao_2004_infant() -> None:
    # 8 kg boy aged 8.0 months (9th month): -99.4 + 88.6*8 + 14 = 623.4
    assert energy.fao_2004_infant_kcal(8.0, 8.0, "male") == pytest.approx(623.4)
    # 5 kg girl aged 2.5 months (3rd month): -99.4 + 443 + 134 = 477.6
    assert energy.fao_2004_infant_kcal(5.0, 2.5, "female") == pytest.approx(477.6)


def test_fao_2004_child() -> None:
    # boy 12 kg: 310.2 + 759.6 - 37.872 = 1031.928
    assert energy.fao_2004_child_kcal(12.0, 24, "male") == pytest.approx(1031.928)
    # girl 12 kg: 263.4 + 65.3*12 - 0.454*144 = 981.624
    assert energy.fao_2004_child_kcal(12.0, 24, "female") == pytest.approx(981.624)


def test_schofield() -> None:
    assert energy.schofield_bmr_kcal(8.0, 8, "male") == pytest.approx(59.512 * 8 - 30.4)
    assert energy.schofield_bmr_kcal(8.0, 8, "female") == pytest.approx(58.317 * 8 - 31.1)
    assert energy.schofield_bmr_kcal(16.0, 48, "male") == pytest.approx(22.706 * 16 + 504.3)


@pytest.mark.parametrize(
    "age,per_kg", [(8, 80), (12, 75), (17.9, 75), (18, 70), (47, 70), (60, 65)]
)
def test_compass_allowance(age: float, per_kg: float) -> None:
    assert energy.compass_kd_allowance_kcal(10.0, age) == pytest.approx(10 * per_kg)


def test_equation_needing_sex_says_so() -> None:
    with pytest.raises(InputError, match="--sex"):
        energy.estimate_energy("schofield", 8, 8, None)


def test_unknown_equation_lists_accepted() -> None:
    with pytest.raises(InputError, match="iom-eer"):
        energy.estimate_energy("harris-benedict", 8, 8, "male")


@pytest.mark.parametrize(
    "age,expected", [(0, 1.52), (6.9, 1.52), (7, 1.2), (12.5, 1.2), (13, 1.05), (50, 0.95)]
)
def test_iom_protein(age: float, expected: float) -> None:
    assert protein.iom_protein_g_per_kg(age) == expected


@pytest.mark.parametrize(
    "age,expected",
    [(0.5, 1.77), (2, 1.50), (5, 1.36), (8, 1.31), (12, 1.14), (40, 0.90), (60, 0.87)],
)
def test_who_2007_protein_uses_younger_tabulated_age(age: float, expected: float) -> None:
    assert protein.who_2007_protein_g_per_kg(age) == expected


def test_fluid_rules() -> None:
    assert fluids.fluid_allowance("ml-per-kcal", 8, 650).ml_per_day == 650
    assert fluids.fluid_allowance("ml-per-kg", 8, 650).ml_per_day == 520  # 65 * 8
    # Holliday-Segar: 25 kg -> 10*100 + 10*50 + 5*20 = 1600 mL
    assert fluids.holliday_segar_ml(25) == 1600
    assert fluids.holliday_segar_ml(8) == 800
    assert fluids.holliday_segar_ml(15) == 1250
    with pytest.raises(InputError, match="--fluid-rule"):
        fluids.fluid_allowance("guess", 8, 600)
