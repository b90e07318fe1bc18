"""Analyses checked by hand."""

from __future__ import annotations

import math

import pytest

from spasmcare.errors import InputError
from spasmcare.keto.analysis import (
    PlainFood,
    Portion,
    analyze,
    carb_basis_ratio_warning,
    parse_item,
    portion,
)
from tests.keto_meals.conftest import BERRY_NO_FIBRE, BROCCOLI, BUTTER, EGG


def test_butter_egg_broccoli_total_by_hand() -> None:
    # butter 20 g: fat 16, protein 0.2, carb 0
    # egg 50 g: fat 5, protein 6, carb 0.5
    # broccoli 100 g: fat 0.5, protein 3, carb 7 (total), fibre 3
    # totals: fat 21.5, protein 9.2, carb 7.5 → ratio 21.5 / 16.7 = 1.28743
    # kcal 9·21.5 + 4·(9.2 + 7.5) = 193.5 + 66.8 = 260.3
    a = analyze([Portion(BUTTER, 20), Portion(EGG, 50), Portion(BROCCOLI, 100)], "total")
    assert a.fat_g == pytest.approx(21.5)
    assert a.protein_g == pytest.approx(9.2)
    assert a.carb_g == pytest.approx(7.5)
    assert a.fibre_g.amount == pytest.approx(3.0)
    assert a.kcal == pytest.approx(260.3)
    assert a.ratio == pytest.approx(21.5 / 16.7)
    # K:AK = (0.9·21.5 + 0.46·9.2) / (7.5 + 0.1·21.5 + 0.58·9.2) = 23.582 / 14.986
    assert a.k_ak == pytest.approx(23.582 / 14.986)
    # table energy: 144 + 70 + 34 = 248
    assert a.kcal_table.amount == pytest.approx(248.0)
    assert a.to_dict()["items"][2]["carb_net_g"] == pytest.approx(4.0)


def test_net_basis_subtracts_fibre() -> None:
    # broccoli 100 g: net carb 7 − 3 = 4; ratio 0.5 / (3 + 4)
    a = analyze([Portion(BROCCOLI, 100)], "net")
    assert a.carb_g == pytest.approx(4.0)
    assert a.carb_total_g == pytest.approx(7.0)
    assert a.ratio == pytest.approx(0.5 / 7.0)
    assert a.kcal == pytest.approx(9 * 0.5 + 4 * 7.0)


def test_unknown_fibre_falls_back_to_total_with_warning() -> None:
    a = analyze([Portion(BERRY_NO_FIBRE, 50)], "net")
    assert a.carb_g == pytest.approx(5.0)  # total, not net
    assert a.carb_net_g is None
    assert a.fibre_g.unknown_in == ("berry",)
    assert any("fibre unknown" in w for w in a.warnings)


def test_unknown_micronutrient_is_a_lower_bound_not_zero() -> None:
    # calcium known for butter (20 mg/100 g) and egg, unknown for broccoli
    a = analyze([Portion(BUTTER, 10), Portion(BROCCOLI, 10)], "total")
    ca = a.micronutrients["calcium_mg"]
    assert ca.amount == pytest.approx(2.0)
    assert ca.unknown_in == ("broccoli",)


def test_millilitres_use_the_volume_basis() -> None:
    liquid = PlainFood(
        "lq",
        "MCT emulsion",
        {},
        per_100ml={"fat_g": 50.0, "protein_g": 0.0, "carb_g": 0.0, "kcal": 450.0},
    )
    a = analyze([portion(liquid, 30, "ml")], "total")
    assert a.fat_g == pytest.approx(15.0)
    assert a.items[0].grams is None and a.items[0].volume_ml == 30
    assert math.isinf(a.ratio)


def test_millilitres_without_density_are_refused() -> None:
    with pytest.raises(InputError):
        portion(BUTTER, 10, "ml")


@pytest.mark.parametrize("text", ["01001", "01001=-3", "=5", "01001=abc"])
def test_bad_items(text: str) -> None:
    with pytest.raises(InputError):
        parse_item(text)


def test_parse_item_units() -> None:
    assert parse_item("01001=12.5") == ("01001", 12.5, "g")
    assert parse_item("01107=50ml") == ("01107", 50.0, "ml")


def test_verify_caution_of_a_product_reaches_every_analysis() -> None:
    from spasmcare.foods import default_table

    food = default_table().get("ketocal-3-1-powder")
    a = analyze([portion(food, 10), portion(food, 5)], "total")
    cautions = [w for w in a.warnings if "verify against the label" in w]
    assert len(cautions) == 1  # once per food, however many portions
    # named by name for people (issue 19: not "ketocal-3-1-powder: ..."), the id for machines
    assert cautions[0].startswith("KetoCal 3:1 powder (Nutricia): verify against the label")
    assert ("ketocal-3-1-powder", cautions[0]) in a.food_cautions
    assert {"food": "ketocal-3-1-powder", "warning": cautions[0]} in a.to_dict()["food_cautions"]


def test_millilitres_of_a_food_with_only_household_measures() -> None:
    # SR28 01107 (human milk) has no density but a measure 1 fl oz = 30.8 g; a US fl oz is
    # 29.5735295625 mL, so density = 30.8 / 29.5735295625 = 1.04147 g/mL and 50 mL = 52.07 g.
    # Fat 4.38 g/100 g → 52.0736 × 0.0438 = 2.2808 g.
    from spasmcare.foods import default_table

    milk = default_table().get("01107")
    a = analyze([portion(milk, 50, "ml")], "total")
    density = 30.8 / 29.5735295625
    assert density == pytest.approx(1.0415, abs=5e-5)
    assert a.items[0].grams == pytest.approx(50 * density)
    assert a.items[0].volume_ml == 50
    assert a.fat_g == pytest.approx(50 * density * milk.per_100g["fat_g"] / 100)
    assert [w for w in a.warnings if "density derived" in w] == [
        "Milk, human, mature, fluid: density derived, 1 fl oz = 30.8 g (SR28 measure) → 1.0415 g/mL"
    ]
    assert not any("01107" in w for w in a.warnings)
    assert [fid for fid, w in a.food_cautions if "density derived" in w] == ["01107"]


def test_millilitres_without_any_volume_information_name_the_field() -> None:
    with pytest.raises(InputError) as err:
        portion(BUTTER, 10, "ml", "--item")
    assert err.value.field == "--item"


def test_ratio_change_warning_only_with_total_carbs_for_ketogenic_foods() -> None:
    # keto-therapy.md §6: KetoCal 4:1 69.2 / (14.4 + 2.9) = 4.00:1 net, 69.2 / 22.6 = 3.06:1 total.
    ketocal = PlainFood(
        "kc", "KetoCal 4:1", {"fat_g": 69.2, "protein_g": 14.4, "carb_g": 8.2, "fibre_g": 5.3}
    )
    total = analyze([Portion(ketocal, 50.0)], "total")
    assert total.ratio == pytest.approx(69.2 / 22.6)
    notes = [w for w in total.warnings if "own ratio" in w]
    assert len(notes) == 1 and "3.06:1, not 4.00:1" in notes[0]
    assert not [w for w in analyze([Portion(ketocal, 50.0)], "net").warnings if "own ratio" in w]
    # Broccoli's own ratio (0.5 / (3 + 4) = 0.07 net) is not a ketogenic product's: no warning.
    assert carb_basis_ratio_warning(BROCCOLI, "total") is None
    # Butter has no fibre: the two bases agree, no warning.
    assert carb_basis_ratio_warning(BUTTER, "total") is None


def test_ratio_change_warning_names_the_product_by_name_and_keeps_its_id_apart() -> None:
    """KetoCal 4:1 powder per 100 g: fat 69.2, protein 14.4, carbohydrate 8.2 g of which fibre
    5.3 g: net 69.2 / (14.4 + 2.9) = 4.00:1, total 69.2 / (14.4 + 8.2) = 3.06:1. People read
    the product's name (issue 19: not "ketocal-4-1-powder (KetoCal ...)"); machines its id."""
    from spasmcare.foods import default_table

    food = default_table().get("ketocal-4-1-powder")
    a = analyze([portion(food, 10)], "total")
    said = [w for w in a.warnings if "counted as total" in w]
    assert said == [
        f"{food.name}: with carbohydrate counted as total (fibre included) its own ratio is "
        "3.06:1, not 4.00:1 as counted with net carbohydrate (5.3 g fibre per 100 g)"
    ]
    assert food.name.startswith("KetoCal 4:1")
    assert not any("ketocal-4-1-powder" in w for w in a.warnings)
    assert ("ketocal-4-1-powder", said[0]) in a.food_cautions
