"""The closest meal to the intended portions (issue 24, item 6).

"Closest" is the least Σ weight × |grams − intended grams| over the foods with an intended
portion, among the whole-gram meals meeting every tolerance (ratio ± 0.02, energy ± 1 %, protein
± 0.5 g when a protein target is set). The brute force below enumerates every whole-gram
combination of 2–3 foods in small ranges and checks each with its own arithmetic (per-100 g
values × grams, 9/4/4 kcal), not with the solver's analysis.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spasmcare.keto.analysis import PlainFood
from spasmcare.keto.closest import closeness, solve_closest
from spasmcare.keto.solver import (
    MealFood,
    MealTarget,
    SolverOptions,
    _build,
    closest_arrays,
    meal_problem,
    solve_meal,
)
from tests.keto_meals.conftest import BROCCOLI, BUTTER, CREAM, EGG, OIL

RATIO_TOL, KCAL_PCT, PROTEIN_TOL = 0.02, 1.0, 0.5


def _macros(food: PlainFood, grams: float) -> tuple[float, float, float]:
    per = food.per_100g
    return (
        grams * float(per["fat_g"] or 0) / 100,
        grams * float(per["protein_g"] or 0) / 100,
        grams * float(per["carb_g"] or 0) / 100,
    )


def _meets(foods: list[PlainFood], grams: tuple[float, ...], target: MealTarget) -> bool:
    """Independent check: ratio ± 0.02, kcal ± 1 %, protein ± 0.5 g (own arithmetic)."""
    fat = protein = carb = 0.0
    for food, g in zip(foods, grams, strict=True):
        f, p, c = _macros(food, g)
        fat, protein, carb = fat + f, protein + p, carb + c
    if protein + carb <= 0:
        return False
    kcal = 9 * fat + 4 * protein + 4 * carb
    ok = abs(fat / (protein + carb) - target.ratio) <= RATIO_TOL + 1e-12
    ok &= abs(kcal - target.kcal) <= target.kcal * KCAL_PCT / 100 + 1e-9
    if target.protein_g is not None:
        ok &= abs(protein - target.protein_g) <= PROTEIN_TOL + 1e-9
    return bool(ok)


def _brute_force(
    foods: list[PlainFood], maxima: list[int], intended: list[float], target: MealTarget
) -> float | None:
    """Least Σ |grams − intended| over every whole-gram meal meeting the tolerances."""
    best: float | None = None
    for grams in itertools.product(*(range(0, m + 1) for m in maxima)):
        if not _meets(foods, grams, target):
            continue
        dev = sum(abs(g - a) for g, a in zip(grams, intended, strict=True))
        best = dev if best is None else min(best, dev)
    return best


def _solve(foods: list[PlainFood], maxima: list[int], intended: list[float], target: MealTarget):  # type: ignore[no-untyped-def]
    problem = meal_problem(
        [MealFood(f, max_amount=m) for f, m in zip(foods, maxima, strict=True)],
        target,
        anchors={f.id: a for f, a in zip(foods, intended, strict=True)},
        options=SolverOptions(explain=False, closest_time_limit_s=30.0),
    )
    return solve_meal(problem)


def _grams(solution, foods: list[PlainFood]) -> tuple[float, ...]:  # type: ignore[no-untyped-def]
    by_id = {item.food_id: item.grams for item in solution.items}
    return tuple(float(by_id.get(f.id) or 0.0) for f in foods)


def test_closest_equals_brute_force_butter_egg_broccoli() -> None:
    foods, maxima = [BUTTER, EGG, BROCCOLI], [30, 60, 40]
    intended = [20.0, 40.0, 10.0]
    target = MealTarget(3.0, 300.0, None)
    expected = _brute_force(foods, maxima, intended, target)
    assert expected is not None
    solution = _solve(foods, maxima, intended, target)
    assert solution.solved and solution.optimal is True and solution.gap == 0.0
    assert solution.closeness is not None
    assert math.isclose(solution.closeness, expected, abs_tol=1e-6)
    grams = _grams(solution, foods)
    assert _meets(foods, grams, target)
    moved = sum(abs(g - a) for g, a in zip(grams, intended, strict=True))
    assert math.isclose(moved, expected, abs_tol=1e-6)
    assert solution.status_words == "closest to the intended portions (proved)"


def test_closest_equals_brute_force_with_protein_target() -> None:
    foods, maxima = [BUTTER, EGG, BROCCOLI], [30, 60, 40]
    intended = [20.0, 40.0, 10.0]
    target = MealTarget(3.0, 250.0, 6.0)
    expected = _brute_force(foods, maxima, intended, target)
    assert expected is not None
    solution = _solve(foods, maxima, intended, target)
    assert solution.solved and solution.optimal is True
    assert solution.closeness is not None
    assert math.isclose(solution.closeness, expected, abs_tol=1e-6)


def test_to_dict_carries_the_closeness_words() -> None:
    foods, maxima = [BUTTER, EGG, BROCCOLI], [30, 60, 40]
    solution = _solve(foods, maxima, [20.0, 40.0, 10.0], MealTarget(3.0, 300.0, None))
    assert solution.solved
    data = solution.to_dict()
    assert data["optimal"] is True and data["gap"] == 0.0
    assert data["closeness"] == solution.closeness
    assert "proved" in data["status_words"]


POOL = [BUTTER, EGG, BROCCOLI, CREAM, OIL]


@st.composite
def small_meals(draw):  # type: ignore[no-untyped-def]
    """2–3 foods, maxima 5–40 g, intended portions anywhere in range; the target is what one
    hidden whole-gram meal supplies (so every drawn problem has a solution), with or without
    its protein as a protein target."""
    count = draw(st.integers(2, 3))
    foods = draw(st.permutations(POOL))[:count]
    maxima = [draw(st.integers(5, 40)) for _ in foods]
    hidden = [draw(st.integers(1, m)) for m in maxima]
    intended = [float(draw(st.integers(0, m))) for m in maxima]
    fat = protein = carb = 0.0
    for food, g in zip(foods, hidden, strict=True):
        f, p, c = _macros(food, g)
        fat, protein, carb = fat + f, protein + p, carb + c
    assume(fat > 0 and protein + carb > 0)
    with_protein = draw(st.booleans())
    target = MealTarget(
        fat / (protein + carb),
        9 * fat + 4 * protein + 4 * carb,
        round(protein, 6) if with_protein else None,
    )
    return foods, maxima, intended, target


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_meals())
def test_solution_meets_tolerances_and_matches_brute_force(meal) -> None:  # type: ignore[no-untyped-def]
    foods, maxima, intended, target = meal
    expected = _brute_force(foods, maxima, intended, target)
    solution = _solve(foods, maxima, intended, target)
    assert expected is not None  # the hidden meal meets every tolerance
    assert solution.solved
    grams = _grams(solution, foods)
    assert all(g == int(g) for g in grams)
    assert all(g == 0 or 1 <= g <= m for g, m in zip(grams, maxima, strict=True))
    assert _meets(foods, grams, target)
    assert solution.optimal is True
    assert solution.closeness is not None
    assert math.isclose(solution.closeness, expected, abs_tol=1e-6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_meals(), st.randoms(use_true_random=False))
def test_warm_start_from_a_feasible_meal_is_never_worse(meal, rnd) -> None:  # type: ignore[no-untyped-def]
    foods, maxima, intended, target = meal
    feasible = [
        grams
        for grams in itertools.product(*(range(0, m + 1) for m in maxima))
        if _meets(foods, grams, target)
    ]
    assume(feasible)
    problem = meal_problem(
        [MealFood(f, max_amount=m) for f, m in zip(foods, maxima, strict=True)],
        target,
        anchors={f.id: a for f, a in zip(foods, intended, strict=True)},
    )
    arrays = closest_arrays(_build(problem))
    start = np.array(rnd.choice(feasible), dtype=float)
    result = solve_closest(arrays, start, time_limit_s=30.0)
    assert result is not None
    assert result.closeness <= closeness(arrays, start) + 1e-9
    # even with almost no time, the start is the floor
    hurried = solve_closest(arrays, start, time_limit_s=1e-6)
    assert hurried is not None
    assert hurried.closeness <= closeness(arrays, start) + 1e-9


def test_without_intended_portions_nothing_changes() -> None:
    problem = meal_problem([MealFood(BUTTER), MealFood(EGG)], MealTarget(3.0, 300.0, None))
    solution = solve_meal(problem)
    assert solution.solved
    assert solution.closeness is None and solution.optimal is None and solution.gap is None
