"""Menus: variety limits hold, every meal is solved."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.foods.model import Food
from spasmcare.keto.analysis import PlainFood
from spasmcare.keto.menus import (
    Menu,
    meal_alternatives,
    plan_menu,
    plan_rotation,
    shopping_list,
    substitutes,
)
from spasmcare.keto.solver import MealFood, MealTarget, Tolerances, violations


def _food(i: str, fat: float, protein: float, carb: float) -> MealFood:
    return MealFood(
        PlainFood(i, i, {"fat_g": fat, "protein_g": protein, "carb_g": carb, "fibre_g": 0.0})
    )


PROTEIN = [_food(f"p{i}", 8 + i, 18 + i, 1.0) for i in range(5)]
FAT = [_food(f"f{i}", 80 + 4 * i, 0.5, 0.2) for i in range(5)]
VEG = [_food(f"v{i}", 0.3, 2.0 + 0.2 * i, 5.0 + i) for i in range(5)]


def test_week_respects_the_variety_limit_and_every_meal_meets_its_target() -> None:
    target = MealTarget(3, 400, 6)
    menu = plan_menu(
        target, groups={"protein": PROTEIN, "fat": FAT, "veg": VEG}, max_per_food=5, seed=1
    )
    assert menu.complete
    assert len(menu.meals) == 21
    counts: Counter[str] = Counter()
    for m in menu.meals:
        assert m.solution.analysis is not None
        assert violations(m.solution.analysis, target, Tolerances()) == []
        counts.update({i.food_id for i in m.solution.items})
    assert max(counts.values()) <= 5
    assert dict(counts) == dict(menu.food_counts)
    for day in range(1, 8):
        combos = [
            tuple(sorted(i.food_id for i in m.solution.items)) for m in menu.meals if m.day == day
        ]
        assert len(combos) == len(set(combos))


def test_too_few_foods_for_the_limit_is_reported() -> None:
    # 2 fats × at most 3 meals each = 6 meals with a fat, but 21 meals are asked for.
    menu = plan_menu(
        MealTarget(3, 400, 6),
        groups={"protein": PROTEIN, "fat": FAT[:2], "veg": VEG},
        max_per_food=3,
    )
    assert not menu.complete
    assert len(menu.meals) <= 6
    assert all(v <= 3 for v in menu.food_counts.values())
    assert "max-per-food" in menu.unsolved[0][2]


def test_same_seed_same_menu() -> None:
    kwargs = dict(groups={"protein": PROTEIN, "fat": FAT, "veg": VEG}, days=2, seed=7)
    a = plan_menu(MealTarget(3, 400, 6), **kwargs)  # type: ignore[arg-type]
    b = plan_menu(MealTarget(3, 400, 6), **kwargs)  # type: ignore[arg-type]
    assert a.to_dict() == b.to_dict()


def test_menu_from_templates() -> None:
    templates = [[PROTEIN[0], FAT[0], VEG[0]], [PROTEIN[1], FAT[1], VEG[1]]]
    menu = plan_menu(MealTarget(3, 400, 6), templates=templates, days=2, meals_per_day=2)
    assert menu.complete and len(menu.meals) == 4


@pytest.mark.parametrize("kwargs", [{"days": 0}, {"days": 8}, {"max_per_food": 0}])
def test_bad_menu_input(kwargs: dict[str, int]) -> None:
    with pytest.raises(InputError):
        plan_menu(MealTarget(3, 400, 6), groups={"p": PROTEIN}, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- rotation (issue 12, item 7)
def _day_meals(menu: Menu, day: int) -> tuple[tuple[str, ...], ...]:
    return tuple(
        tuple(sorted(i.food_id for i in m.solution.items)) for m in menu.meals if m.day == day
    )


def test_rotation_with_two_candidates_per_slot_never_repeats_a_day() -> None:
    target = MealTarget(3, 400, 6)
    slots = [
        [[PROTEIN[0], FAT[0], VEG[0]], [PROTEIN[1], FAT[0], VEG[0]]],
        [[PROTEIN[2], FAT[1], VEG[1]], [PROTEIN[2], FAT[2], VEG[1]]],
        [[PROTEIN[3], FAT[3], VEG[2]], [PROTEIN[3], FAT[3], VEG[3]]],
    ]
    menu = plan_rotation(target, slots, days=7, max_per_food=21)
    assert menu.complete and len(menu.meals) == 21
    for m in menu.meals:
        assert m.solution.analysis is not None
        assert violations(m.solution.analysis, target, Tolerances()) == []
    days = [_day_meals(menu, d) for d in range(1, 8)]
    for a, b in itertools.pairwise(days):
        assert a != b
    # meal 1 alternates: designed meal on odd days, its alternative on even days
    firsts = [days[d][0] for d in range(7)]
    assert firsts[0] == ("f0", "p0", "v0") and firsts[1] == ("f0", "p1", "v0")
    assert firsts[2] == firsts[0]


@given(st.integers(min_value=2, max_value=7), st.integers(min_value=2, max_value=3))
@settings(max_examples=8, deadline=None)
def test_rotation_property_consecutive_days_differ(days: int, per_slot: int) -> None:
    target = MealTarget(3, 400, 6)
    slots = [[[PROTEIN[j], FAT[s], VEG[s]] for j in range(per_slot)] for s in range(2)]
    menu = plan_rotation(target, slots, days=days, max_per_food=14)
    assert menu.complete
    for d in range(1, days):
        assert _day_meals(menu, d) != _day_meals(menu, d + 1)


def test_rotation_respects_the_food_limit() -> None:
    # FAT[0] in every candidate, at most 3 meals: days 4.. cannot have meal 1
    slots = [[[PROTEIN[0], FAT[0], VEG[0]], [PROTEIN[1], FAT[0], VEG[1]]]]
    menu = plan_rotation(MealTarget(3, 400, 6), slots, days=5, max_per_food=3)
    assert len(menu.meals) == 3 and menu.food_counts["f0"] == 3
    assert [d for d, _, _ in menu.unsolved] == [4, 5]
    assert "max-per-food" in menu.unsolved[0][2]


def test_one_candidate_repeats_that_meal() -> None:
    menu = plan_rotation(MealTarget(3, 400, 6), [[[PROTEIN[0], FAT[0], VEG[0]]]], days=3)
    assert menu.complete and _day_meals(menu, 1) == _day_meals(menu, 2)


def test_substitutes_are_nearest_in_the_same_group() -> None:
    # names and SR28 groups as the table has them: swaps stay within the food's swap family
    # (here meat and fish: protein foods), never another family (oil)
    def g(i: str, fat: float, protein: float, group: str) -> Food:
        return Food(i, i, per_100g={"fat_g": fat, "protein_g": protein, "carb_g": 0.0}, group=group)

    egg = g("Chicken, roast", 10, 13, "Poultry Products")
    pool = [
        egg,
        g("Duck, roast", 14, 13, "Poultry Products"),
        g("Turkey, roast", 11, 13, "Poultry Products"),
        g("Oil, olive", 11, 13, "Fats and Oils"),
        g("Chicken, boiled", 10, 13, "Poultry Products"),
    ]
    # nearest first (|11 - 10| = 1 < |14 - 10| = 4); another family and another form of the
    # same food (same first word of the name) are left out
    assert [f.id for f in substitutes(egg, pool, limit=5)] == ["Turkey, roast", "Duck, roast"]
    meal = [MealFood(egg), MealFood(g("butter", 81, 1, "Fats and Oils"), fixed_amount=10)]
    alts = meal_alternatives(meal, {"Chicken, roast": [pool[2]], "butter": [pool[3]]})
    # the fixed butter is never replaced
    assert [[mf.id for mf in a] for a in alts] == [["Turkey, roast", "butter"]]


def test_bad_rotation_input() -> None:
    with pytest.raises(InputError):
        plan_rotation(MealTarget(3, 400, 6), [])
    with pytest.raises(InputError):
        plan_rotation(MealTarget(3, 400, 6), [[[PROTEIN[0]]]], days=8)


@given(
    st.lists(st.integers(min_value=2, max_value=5), min_size=1, max_size=3).filter(
        lambda ks: math.prod(ks) >= 7
    )
)
@settings(max_examples=10, deadline=None)
def test_week_has_seven_different_days_when_the_candidates_allow(per_slot: list[int]) -> None:
    # issue 19: no 2- or 3-day repeating pattern: whenever the slots' candidates can make 7
    # different days, the week has 7 different days, each meal named as designed
    target = MealTarget(3, 400, 6)
    slots = [[[PROTEIN[j], FAT[s], VEG[s]] for j in range(k)] for s, k in enumerate(per_slot)]
    names = [f"meal {chr(97 + s)}" for s in range(len(per_slot))]
    menu = plan_rotation(target, slots, days=7, max_per_food=21, names=names)
    assert menu.complete
    assert len({_day_meals(menu, d) for d in range(1, 8)}) == 7
    assert all(m.name == names[m.meal - 1] for m in menu.meals)


def test_shopping_list_sums_the_week() -> None:
    slots = [[[PROTEIN[0], FAT[0], VEG[0]], [PROTEIN[1], FAT[0], VEG[0]]]]
    menu = plan_rotation(MealTarget(3, 400, 6), slots, days=3, max_per_food=21)
    lines = {line.food_id: line for line in shopping_list(menu)}
    for food_id, line in lines.items():
        served = [i.amount for m in menu.meals for i in m.solution.items if i.food_id == food_id]
        assert line.grams == pytest.approx(sum(served)) and line.meals == len(served)
    assert lines["f0"].meals == 3
