"""Menus: variety limits hold, every meal is solved."""

from __future__ import annotations

from collections import Counter

import pytest

from spasmcare.errors import InputError
from spasmcare.keto.analysis import PlainFood
from spasmcare.keto.menus import plan_menu
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
