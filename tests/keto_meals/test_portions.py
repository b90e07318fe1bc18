"""Portions, categories and foods unsuitable for infants (issue 19)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.foods import default_table
from spasmcare.keto.menus import substitutes
from spasmcare.keto.portions import (
    category_of,
    default_rules,
    suitable,
    swap_family,
    unsuitable_for_age,
)
from spasmcare.keto.prescription import Patient, classic
from spasmcare.keto.solver import MealFood, MealTarget, meal_problem, solve_meal

TABLE = default_table()


@pytest.mark.parametrize(
    ("food_id", "category"),
    [
        ("01001", "fat"),  # Butter, salted
        ("04001", "fat"),  # Fat, beef tallow (Fats and Oils)
        ("01017", "cream"),  # Cheese, cream
        ("01053", "cream"),  # Cream, fluid, heavy whipping
        ("01009", "cheese"),
        ("01129", "egg"),
        ("05064", "meat_fish"),
        ("15237", "meat_fish"),
        ("11205", "vegetables"),  # Cucumber, with peel, raw
        ("09316", "fruit"),
        ("01300", None),  # Ice cream bar, covered with chocolate and nuts
        ("ketocal-4-1-powder", None),
    ],
)
def test_categories(food_id: str, category: str | None) -> None:
    assert category_of(TABLE.get(food_id)) == category


def test_unsuitable_for_infants_by_age_with_the_nhs_source() -> None:
    honey, raw_egg, almonds = TABLE.get("19296"), TABLE.get("01123"), TABLE.get("12061")
    # honey: not before 1 year
    flag = unsuitable_for_age(honey, 10)
    assert flag is not None and "botulism" in flag.reason and "NHS" in flag.words()
    assert unsuitable_for_age(honey, 12) is None
    # raw egg: a baby's egg is cooked solid; the hard-boiled egg is fine
    assert unsuitable_for_age(raw_egg, 10) is not None
    assert unsuitable_for_age(TABLE.get("01129"), 10) is None
    # whole nuts: not under 5 years; a smooth nut butter is fine from 6 months
    assert "choking" in unsuitable_for_age(almonds, 30).reason  # type: ignore[union-attr]
    assert unsuitable_for_age(almonds, 60) is None
    assert unsuitable_for_age(TABLE.get("12195"), 10) is None  # almond butter
    assert unsuitable_for_age(raw_egg, None) is None  # age unknown: not judged here


def test_cream_cheese_is_never_swapped_for_an_ice_cream_bar() -> None:
    cream_cheese = TABLE.get("01017")
    pool = list(TABLE)
    offered = substitutes(cream_cheese, pool, 10, default_rules().everyday_ids())
    assert "01300" not in [f.id for f in offered]
    assert all(swap_family(f) == "cream" for f in offered)
    # everyday foods first
    assert offered[0].id in default_rules().everyday_ids()


@pytest.mark.parametrize(
    ("age_months", "weight_kg", "food_ids"),
    [
        (10, 7.0, ("01129", "01001", "09316")),  # infant: cooked egg, butter, strawberries
        # 2½ years: chicken, butter, cucumber, strawberries (without limits: 179 g cucumber)
        (30, 13.0, ("05064", "01001", "11205", "09316")),
    ],
)
def test_portion_limits_keep_meat_egg_and_cucumber_sensible(
    age_months: float, weight_kg: float, food_ids: tuple[str, ...]
) -> None:
    rx = classic(Patient(age_months, weight_kg, "female"), 3.0)
    target = MealTarget.from_prescription(rx.per_meal[0])
    rules = default_rules()
    foods = []
    for food_id in food_ids:
        food = TABLE.get(food_id)
        low, high = rules.limits(food) or (None, None)
        foods.append(MealFood(food, min_amount=low, max_amount=high))
    solution = solve_meal(meal_problem(foods, target))
    assert solution.solved, solution.reason
    for item in solution.items:
        low, high = rules.limits(TABLE.get(item.food_id))  # type: ignore[misc]
        # left out (0 g, shown) or a real portion: never 3-6 g of egg or meat, never 144 g of
        # cucumber
        assert item.grams == 0 or low <= item.grams <= high  # type: ignore[operator]
    with pytest.raises(InputError):
        rules.with_limits("egg", 30, 20)
    assert rules.with_limits("egg", 20, 50).limits(TABLE.get("01129")) == (20, 50)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.sampled_from(sorted(default_rules().everyday_ids()) + ["19296", "01123", "12061"]),
        min_size=1,
        max_size=8,
    ),
    st.floats(min_value=0, max_value=11.9),
)
def test_no_food_unsuitable_for_infants_survives_the_filter(ids: list[str], age: float) -> None:
    kept = suitable([TABLE.get(i) for i in ids], age)
    assert all(unsuitable_for_age(f, age) is None for f in kept)
    assert not {"19296", "01123", "12061"} & {f.id for f in kept}


EVERYDAY = sorted(default_rules().everyday_ids())


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(EVERYDAY), st.integers(min_value=1, max_value=8))
def test_swaps_stay_within_the_swap_family(food_id: str, limit: int) -> None:
    food = TABLE.get(food_id)
    pool = [TABLE.get(i) for i in EVERYDAY] + [TABLE.get(i) for i in ("01300", "04001", "05621")]
    for other in substitutes(food, pool, limit, default_rules().everyday_ids()):
        assert swap_family(other) == swap_family(food)
        assert other.id not in ("01300",)  # an ice-cream bar is never a swap
