"""Specialty products, against shared/reference/keto-therapy.md §6."""

from __future__ import annotations

import pytest

from spasmcare.foods import FoodTable, Measure
from spasmcare.foods.nutrients import NUTRIENT_KEYS

PRODUCTS = ["ketocal-4-1-powder", "ketocal-3-1-powder", "ketocal-4-1-lq", "liquigen", "mct-oil"]


def test_all_products_have_source_reliability_and_basis(table: FoodTable) -> None:
    for product in PRODUCTS:
        food = table.get(product)
        assert food.source and food.reliability
        assert food.basis in ("100 g", "100 mL")


def test_weak_products_say_verify_against_the_label(table: FoodTable) -> None:
    # §6 tags KetoCal 3:1 powder and KetoCal 4:1 LQ [W]; the others [P].
    flagged = {p for p in PRODUCTS if table.get(p).verify}
    assert flagged == {"ketocal-3-1-powder", "ketocal-4-1-lq"}
    for product in flagged:
        assert table.get(product).verify.startswith("verify against the label")  # type: ignore[union-attr]


def test_ketocal_4_1_powder(table: FoodTable) -> None:
    food = table.get("ketocal-4-1-powder")
    v = food.per_100g
    # nutricia.ca: 705 kcal, fat 69.2, protein 14.4, carbohydrate 8.2 total incl. fibre 5.3
    assert (v["kcal"], v["fat_g"], v["protein_g"], v["carb_g"], v["fibre_g"]) == (
        705,
        69.2,
        14.4,
        8.2,
        5.3,
    )
    # net (available) carbohydrate 8.2 − 5.3 = 2.9 g, as in the EKM calculator
    assert v["carb_g"] - v["fibre_g"] == pytest.approx(2.9)  # type: ignore[operator]
    # ratio 69.2 / (14.4 + 2.9) = 4.0 [D]
    assert v["fat_g"] / (v["protein_g"] + 2.9) == pytest.approx(4.0, abs=0.01)  # type: ignore[operator]
    # a 300 g can = 2115 kcal (nutricia.ca): 705 × 3
    can = food.measures[0]
    assert can == Measure(1.0, "can (300 g)", 300.0)
    assert food.nutrient("kcal", can.grams) == pytest.approx(2115)
    assert any("692.0" in n and "713.2" in n for n in food.notes)  # label ≠ 9/4/4 energy
    assert v["sugars_g"] is None and v["water_g"] is None  # not given: unknown


def test_ketocal_3_1_powder_energy_not_given(table: FoodTable) -> None:
    v = table.get("ketocal-3-1-powder").per_100g
    assert (v["fat_g"], v["protein_g"], v["carb_g"]) == (67.7, 15.3, 7.2)
    assert v["kcal"] is None and v["fibre_g"] is None


def test_per_100ml_products_without_density(table: FoodTable) -> None:
    for product in ("ketocal-4-1-lq", "liquigen"):
        food = table.get(product)
        assert food.basis == "100 mL"
        assert food.density_g_per_ml is None
        assert all(v is None for v in food.per_100g.values())
        assert food.nutrient("fat_g", 100) is None
    lq = table.get("ketocal-4-1-lq").per_100ml
    assert lq is not None and (lq["fat_g"], lq["protein_g"], lq["carb_g"]) == (14.8, 3.09, 0.61)


def test_liquigen_per_ml(table: FoodTable) -> None:
    food = table.get("liquigen")
    per_100ml = food.per_100ml
    assert per_100ml is not None
    assert (per_100ml["kcal"], per_100ml["fat_g"], per_100ml["mct_g"]) == (450, 50, 45.4)
    # 4.5 kcal/mL: 10 mL = 45 kcal; MCT 45.4 g/100 mL: 10 mL = 4.54 g
    assert food.nutrient_ml("kcal", 10) == pytest.approx(45.0)
    assert food.nutrient_ml("mct_g", 10) == pytest.approx(4.54)
    assert food.nutrient_ml("fa_8_0_g", 10) is None


def test_set_density_is_explicit_and_local(table: FoodTable) -> None:
    clinic = table.copy()
    # 0.5 g/mL is a test number, not a product density.
    food = clinic.set_density("liquigen", 0.5, "test value")
    # per 100 g = per 100 mL ÷ density: 450 / 0.5 = 900 kcal, 50 / 0.5 = 100 g fat
    assert food.per_100g["kcal"] == pytest.approx(900)
    assert food.per_100g["fat_g"] == pytest.approx(100)
    assert food.per_100ml == table.get("liquigen").per_100ml
    assert any("test value" in n for n in food.notes)
    assert table.get("liquigen").density_g_per_ml is None
    assert clinic.get("liquigen").density_g_per_ml == 0.5


def test_mct_oil(table: FoodTable) -> None:
    food = table.get("mct-oil")
    v = food.per_100g
    # Mead Johnson monograph: 8.3 kcal/g; 1 tbsp = 15 mL = 14 g, fat ≈ 14 g
    assert v["kcal"] == 830 and v["fat_g"] == 100 and v["mct_g"] == 100
    assert food.density_g_per_ml == pytest.approx(14 / 15)
    # 1 tbsp: 14 g × 8.3 kcal/g = 116.2 kcal, by weight and by volume alike
    assert food.nutrient("kcal", 14) == pytest.approx(116.2)
    assert food.nutrient_ml("kcal", 15) == pytest.approx(116.2)
    assert v["fa_8_0_g"] is None and v["fa_10_0_g"] is None


def test_every_product_lists_every_key(table: FoodTable) -> None:
    for product in PRODUCTS:
        data = table.get(product).to_dict()
        assert list(data["per_100g"]) == list(NUTRIENT_KEYS)


def test_polycal_carbohydrate_module(table: FoodTable) -> None:
    # nutricia.ca Polycal Powder, per 100 g: 384 kcal, carbohydrate 96.0 g, protein 0, fat 0
    food = table.get("polycal-powder")
    v = food.per_100g
    assert (v["kcal"], v["carb_g"], v["protein_g"], v["fat_g"]) == (384, 96.0, 0, 0)
    assert food.source.startswith("nutricia.ca") and food.verify is None
    # 1 scoop = 5 g (the product page): 96.0 × 0.05 = 4.8 g carbohydrate
    assert food.nutrient("carb_g", 5) == pytest.approx(4.8)
    assert table.search("polycal")[0].food.id == "polycal-powder"
    assert table.search("maltodextrin")[0].food.id == "polycal-powder"


def test_calogen_fat_emulsion_is_flagged_for_the_clinic_to_confirm(table: FoodTable) -> None:
    # secondary sources only: 4.5 kcal/mL, 200 mL = 100 g fat, protein-free
    food = table.get("calogen")
    per_100ml = food.per_100ml
    assert per_100ml is not None
    assert (per_100ml["kcal"], per_100ml["fat_g"], per_100ml["protein_g"]) == (450, 50, 0)
    assert food.verify is not None and food.verify.startswith("confirm against the label")
    assert food.density_g_per_ml is None
    assert table.search("calogen")[0].food.id == "calogen"
    assert table.search("fat emulsion")[0].food.id == "calogen"
