"""Foods, clinic foods and recipes through the table API."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.foods import NUTRIENT_KEYS, Food, FoodTable, Measure, default_table

# ------------------------------------------------------------------------ Food


def test_food_basics_and_nutrient_amounts() -> None:
    food = Food("c1", "Test food", {"fat_g": 20, "protein_g": 5}, measures=[(2, "tbsp", 30)])
    assert food.per_100g["fat_g"] == 20.0
    assert food.per_100g["carb_g"] is None  # not given = unknown
    assert food.nutrient("fat_g", 30) == pytest.approx(6.0)  # 20 × 30 / 100
    assert food.nutrient("carb_g", 30) is None
    assert food.measures == [Measure(2.0, "tbsp", 30.0)]
    assert food.source == "clinic" and food.density_g_per_ml is None and food.verify is None


def test_food_is_immutable_and_dicts_are_copies() -> None:
    food = Food("c1", "Test food", {"fat_g": 20})
    values = food.per_100g
    values["fat_g"] = 0.0
    assert food.per_100g["fat_g"] == 20.0
    food.measures.append(Measure(1, "x", 1))
    assert food.measures == []
    with pytest.raises(AttributeError):
        food.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"fat_g": -1}, "per_100g.fat_g"),
        ({"fat_g": float("nan")}, "per_100g.fat_g"),
        ({"fat_g": "10"}, "per_100g.fat_g"),
        ({"fat": 10}, "per_100g.fat"),
        ({"fat_g": 60, "protein_g": 20, "carb_g": 10, "water_g": 16}, "per_100g"),  # 106 g
        ({"carb_g": 5, "fibre_g": 6}, "per_100g.fibre_g"),
        ({"fat_g": 10, "mct_g": 11}, "per_100g.mct_g"),
        ({"kcal": 950}, "per_100g.kcal"),
    ],
)
def test_food_rejects_impossible_compositions(values: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        Food("c1", "Bad", values)
    assert err.value.field == field


def test_food_rejects_bad_amounts() -> None:
    food = Food("c1", "Test", {"fat_g": 20})
    with pytest.raises(InputError) as err:
        food.nutrient("fat_g", -5)
    assert err.value.field == "grams"
    with pytest.raises(InputError) as err:
        food.nutrient("fat", 5)
    assert err.value.field == "nutrient"
    with pytest.raises(InputError):
        Food("c1", "Test", density_g_per_ml=0)
    with pytest.raises(InputError):
        Food("c1", "Test", measures=[(1, "cup", 0)])


def test_every_sr28_food_passes_the_clinic_validation(table: FoodTable) -> None:
    """The validation bounds are consistent with real data: every SR28 food is accepted."""
    for food in table:
        rebuilt = Food(food.id, food.name, food.per_100g, source=food.source)
        assert rebuilt.per_100g == food.per_100g


@settings(max_examples=60, deadline=None)
@given(
    fat=st.floats(0, 100),
    a=st.floats(0, 1000),
    b=st.floats(0, 1000),
)
def test_nutrient_is_linear_in_grams(fat: float, a: float, b: float) -> None:
    food = Food("c1", "Test", {"fat_g": fat})
    total = food.nutrient("fat_g", a + b)
    assert total == pytest.approx(food.nutrient("fat_g", a) + food.nutrient("fat_g", b))  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(fat=st.floats(0, 50), density=st.floats(0.5, 2.0))
def test_density_round_trip(fat: float, density: float) -> None:
    liquid = Food("c1", "Liquid", per_100ml={"fat_g": fat}, density_g_per_ml=density)
    assert liquid.per_100g["fat_g"] == pytest.approx(fat / density)
    assert liquid.nutrient("fat_g", density * 100) == pytest.approx(fat)  # 100 mL weigh 100·d g


# ----------------------------------------------------------------- table layer


def test_get_unknown_id() -> None:
    with pytest.raises(InputError) as err:
        default_table().get("99999")
    assert err.value.field == "food_id"
    assert "spasmcare foods search" in err.value.accepted


def test_add_and_clashes(table: FoodTable) -> None:
    n = len(table)
    table.add(Food("clinic-custard", "Custard, clinic recipe card", {"fat_g": 10}))
    assert len(table) == n + 1
    assert "clinic-custard" in table
    for bad_id in ("01001", "clinic-custard", "has space", "-x", "ketocal-4-1-powder"):
        with pytest.raises(InputError) as err:
            table.add(Food(bad_id, "Clash", {"fat_g": 1}))
        assert err.value.field == "food_id"
    with pytest.raises(InputError) as err:
        table.add("not a food")  # type: ignore[arg-type]
    assert err.value.field == "food"
    assert len(table) == n + 1


def test_additions_never_reach_the_shared_default() -> None:
    first = default_table()
    first.add(Food("clinic-only", "Clinic only", {"fat_g": 1}))
    first.set_density("ketocal-4-1-lq", 0.5, "test value")
    branch = first.copy()
    branch.add(Food("branch-only", "Branch only", {"fat_g": 1}))
    fresh = default_table()
    assert "clinic-only" not in fresh and "branch-only" not in fresh
    assert fresh.get("ketocal-4-1-lq").density_g_per_ml is None
    assert "clinic-only" in branch and "branch-only" not in first
    assert len(fresh) == 8789 + 7  # SR28 + the 7 curated specialty products


# ---------------------------------------------------------------------- recipes


def test_recipe_hand_computed(table: FoodTable) -> None:
    # 50 g butter, salted (01001) + 50 g cream, heavy whipping (01053); SR28 per 100 g:
    #   fat 81.11 / 36.08, protein 0.85 / 2.84, carb 0.06 / 2.74, water 15.87 / 57.81,
    #   kcal 717 / 340.
    # In 100 g of mix: fat 40.555 + 18.04 = 58.595; protein 0.425 + 1.42 = 1.845;
    #   carb 0.03 + 1.37 = 1.40; water 7.935 + 28.905 = 36.84; kcal 358.5 + 170 = 528.5.
    r = table.add_recipe("butter-cream", "Butter cream", [("01001", 50), ("01053", 50)])
    v = r.per_100g
    assert v["fat_g"] == pytest.approx(58.595)
    assert v["protein_g"] == pytest.approx(1.845)
    assert v["carb_g"] == pytest.approx(1.40)
    assert v["water_g"] == pytest.approx(36.84)
    assert v["kcal"] == pytest.approx(528.5)
    assert v["mct_g"] is None  # unknown in both ingredients
    assert r.ingredients == (("01001", 50.0), ("01053", 50.0))
    assert r.measures == [Measure(1.0, "whole recipe", 100.0)]
    assert table.get("butter-cream") is r
    assert table.search("butter cream")[0].food.id == "butter-cream"


def test_recipe_with_cooked_weight(table: FoodTable) -> None:
    # Same 100 g mix cooked down to 90 g (10 g of water lost):
    #   fat 58.595 / 90 × 100 = 65.1056; water (36.84 − 10) / 90 × 100 = 29.8222.
    r = table.add_recipe(
        "butter-cream-cooked", "Butter cream, cooked", [("01001", 50), ("01053", 50)], 90
    )
    assert r.per_100g["fat_g"] == pytest.approx(65.105556, rel=1e-6)
    assert r.per_100g["water_g"] == pytest.approx(29.822222, rel=1e-6)
    assert r.cooked_weight_g == 90
    # Below 100 − 36.84 = 63.16 g the weight loss would exceed the water present.
    with pytest.raises(InputError) as err:
        table.add_recipe("too-dry", "Too dry", [("01001", 50), ("01053", 50)], 60)
    assert err.value.field == "cooked_weight_g"


def test_recipe_unknown_propagates(table: FoodTable) -> None:
    # 10 g MCT oil (830 kcal, fat 100, 8:0 unknown) + 10 g butter (717 kcal, fat 81.11,
    # 8:0 1.19, MCT unknown): per 100 g fat (10 + 8.111) / 20 × 100 = 90.555,
    # kcal (83 + 71.7) / 20 × 100 = 773.5; 8:0 and MCT unknown.
    r = table.add_recipe("mct-butter", "MCT butter", [("mct-oil", 10), ("01001", 10)])
    assert r.per_100g["fat_g"] == pytest.approx(90.555)
    assert r.per_100g["kcal"] == pytest.approx(773.5)
    assert r.per_100g["fa_8_0_g"] is None and r.per_100g["mct_g"] is None
    # an ingredient with 0 g does not make anything unknown
    r0 = table.add_recipe("butter-only", "Butter only", [("01001", 100), ("mct-oil", 0)])
    assert r0.per_100g["fa_8_0_g"] == 1.19


def test_recipe_of_recipes(table: FoodTable) -> None:
    table.add_recipe("half-a", "Half A", [("01001", 50), ("01053", 50)])
    # 100 g of (half-a) + 100 g cream: fat (58.595 + 36.08) / 2 = 47.3375
    r = table.add_recipe("nested", "Nested", [("half-a", 100), ("01053", 100)])
    assert r.per_100g["fat_g"] == pytest.approx(47.3375)


@pytest.mark.parametrize(
    ("ingredients", "cooked", "field"),
    [
        ([], None, "ingredients"),
        ([("99999", 10)], None, "ingredients"),
        ([("01001", -1)], None, "ingredients[01001].grams"),
        ([("01001", 0)], None, "ingredients"),
        ([("01001", 10)], 0, "cooked_weight_g"),
        ([("liquigen", 10)], None, "ingredients"),  # per 100 mL, no density
        ([("01001",)], None, "ingredients"),
    ],
)
def test_recipe_bad_input(
    table: FoodTable, ingredients: list, cooked: float | None, field: str
) -> None:
    with pytest.raises(InputError) as err:
        table.add_recipe("bad", "Bad", ingredients, cooked)
    assert err.value.field == field
    assert "bad" not in table  # nothing half-added


@settings(max_examples=40, deadline=None)
@given(
    food_id=st.sampled_from(["01001", "01053", "01107", "01123", "11090", "04047", "09316"]),
    grams=st.floats(1, 1000),
)
def test_single_ingredient_recipe_equals_the_food(food_id: str, grams: float) -> None:
    table = default_table()
    food = table.get(food_id)
    recipe = table.add_recipe("r", "R", [(food_id, grams)])
    for key in NUTRIENT_KEYS:
        a, b = food.per_100g[key], recipe.per_100g[key]
        assert (a is None and b is None) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[arg-type]
