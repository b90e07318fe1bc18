"""Menus of several days with variety: every meal solved exactly, no food too often.

Meals come from a pool of *templates* (each a list of foods with their limits) or from food
*groups* (e.g. protein, fat, fruit/vegetable: one food of each group per meal). For each meal of
each day, the candidates whose foods have been used least so far are tried first (ties broken by
a seeded shuffle, so a menu is reproducible), skipping any candidate that would put a food in
more than ``max_per_food`` meals of the menu or repeat a meal already served that day. Each
candidate is solved with the exact meal solver; the first that solves is served. A meal slot
where nothing fits is reported with the reason of its best candidate.

The variety limit and the number of candidates tried per meal are preferences, not clinical
numbers; the default limit (7 meals a week, i.e. once a day on average) is stated so that it can
be changed.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spasmcare.errors import InputError
from spasmcare.keto.portions import swap_family
from spasmcare.keto.ratio import DEFAULT_CARBS, CarbBasis
from spasmcare.keto.solver import (
    MealFood,
    MealSolution,
    MealTarget,
    SolverOptions,
    Tolerances,
    meal_problem,
    solve_meal,
)

MAX_DAYS = 7
DEFAULT_MAX_PER_FOOD = 7
#: Candidates tried for one meal before it is declared unsolvable (bounds the time of a week).
DEFAULT_TRIES_PER_MEAL = 60
#: Group-product menus draw at most this many combinations.
MAX_COMBINATIONS = 5000


@dataclass(frozen=True)
class MenuMeal:
    day: int
    meal: int
    solution: MealSolution
    name: str | None = None  # the designed meal's name ("breakfast"), kept on every day

    def to_dict(self) -> dict[str, Any]:
        data = self.solution.to_dict()
        return {"day": self.day, "meal": self.meal, "name": self.name, **data}


@dataclass(frozen=True)
class Menu:
    days: int
    meals_per_day: int
    max_per_food: int
    meals: tuple[MenuMeal, ...]
    food_counts: Mapping[str, int]
    unsolved: tuple[tuple[int, int, str], ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.unsolved

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "solved" if self.complete else "incomplete",
            "days": self.days,
            "meals_per_day": self.meals_per_day,
            "max_per_food": self.max_per_food,
            "meals": [m.to_dict() for m in self.meals],
            "food_counts": dict(self.food_counts),
            "unsolved": [{"day": d, "meal": m, "reason": r} for d, m, r in self.unsolved],
        }


def _candidates(
    templates: Sequence[Sequence[MealFood]] | None,
    groups: Mapping[str, Sequence[MealFood]] | None,
    rng: random.Random,
) -> list[tuple[MealFood, ...]]:
    if bool(templates) == bool(groups):
        raise InputError("--template", "(both or neither)", "either meal templates or food groups")
    if templates:
        out = [tuple(t) for t in templates]
        for t in out:
            if not t:
                raise InputError("--template", "(empty)", "at least one food per template")
    else:
        assert groups is not None
        lists = [list(v) for v in groups.values()]
        for name, foods in groups.items():
            if not foods:
                raise InputError("--group", name, "at least one food per group")
        total = 1
        for foods in lists:
            total *= len(foods)
        if total <= MAX_COMBINATIONS:
            out = [tuple(c) for c in itertools.product(*lists)]
        else:
            seen: set[tuple[str, ...]] = set()
            out = []
            while len(out) < MAX_COMBINATIONS:
                combo = tuple(rng.choice(foods) for foods in lists)
                key = tuple(mf.id for mf in combo)
                if key not in seen:
                    seen.add(key)
                    out.append(combo)
        for combo in out:
            ids = [mf.id for mf in combo]
            if len(set(ids)) != len(ids):
                raise InputError("--group", ",".join(ids), "each food in one group only")
    rng.shuffle(out)
    return out


def plan_menu(
    target: MealTarget,
    *,
    templates: Sequence[Sequence[MealFood]] | None = None,
    groups: Mapping[str, Sequence[MealFood]] | None = None,
    days: int = 7,
    meals_per_day: int = 3,
    max_per_food: int = DEFAULT_MAX_PER_FOOD,
    tolerances: Tolerances | None = None,
    resolution: float = 1.0,
    carbs: CarbBasis = DEFAULT_CARBS,
    seed: int = 0,
    tries_per_meal: int = DEFAULT_TRIES_PER_MEAL,
    options: SolverOptions | None = None,
) -> Menu:
    """A menu of ``days`` × ``meals_per_day`` meals, each solved to ``target`` (module notes)."""
    if not (isinstance(days, int) and 1 <= days <= MAX_DAYS):
        raise InputError("--days", days, f"a whole number of days from 1 to {MAX_DAYS}")
    if not (isinstance(meals_per_day, int) and 1 <= meals_per_day <= 8):
        raise InputError("--meals", meals_per_day, "a whole number of meals a day from 1 to 8")
    if not (isinstance(max_per_food, int) and max_per_food >= 1):
        raise InputError("--max-per-food", max_per_food, "a whole number of meals, 1 or more")
    rng = random.Random(seed)
    candidates = _candidates(templates, groups, rng)
    order = {tuple(mf.id for mf in c): i for i, c in enumerate(candidates)}
    solve = _cached_solver(target, tolerances, resolution, carbs, options)

    counts: Counter[str] = Counter()
    meals: list[MenuMeal] = []
    unsolved: list[tuple[int, int, str]] = []
    for day in range(1, days + 1):
        served_today: set[tuple[str, ...]] = set()
        for meal in range(1, meals_per_day + 1):
            ranked = sorted(
                candidates,
                key=lambda c: (sum(counts[mf.id] for mf in c), order[tuple(mf.id for mf in c)]),
            )
            chosen: MealSolution | None = None
            tried = 0
            first_tried: tuple[MealFood, ...] | None = None
            for combo in ranked:
                key = tuple(mf.id for mf in combo)
                if key in served_today or any(counts[i] + 1 > max_per_food for i in key):
                    continue
                if tried >= tries_per_meal:
                    break
                tried += 1
                first_tried = first_tried or combo
                solution = solve(combo)
                if solution.solved:
                    used = tuple(item.food_id for item in solution.items)
                    if any(counts[i] + 1 > max_per_food for i in used):
                        continue
                    chosen = solution
                    served_today.add(key)
                    counts.update(used)
                    break
            if chosen is None:
                if first_tried is None:
                    reason = (
                        f"every food would exceed {max_per_food} meals in the menu: add foods or "
                        "raise --max-per-food"
                    )
                else:
                    reason = solve(first_tried, explain=True).reason or "no candidate solves"
                unsolved.append((day, meal, reason))
                continue
            meals.append(MenuMeal(day, meal, chosen))
    return Menu(
        days=days,
        meals_per_day=meals_per_day,
        max_per_food=max_per_food,
        meals=tuple(meals),
        food_counts=dict(sorted(counts.items())),
        unsolved=tuple(unsolved),
    )


# --------------------------------------------------------------------------------------------
# Rotation: designed meals and their alternatives, so that days differ
# --------------------------------------------------------------------------------------------
#: How many alternatives of one designed meal are offered to a rotation (a software setting:
#: more alternatives give more variety and cost more solving).
DEFAULT_ALTERNATIVES_PER_MEAL = 4
#: Substitutes considered for one food of a designed meal (a software setting).
DEFAULT_SUBSTITUTES_PER_FOOD = 2
_PROFILE_KEYS = ("fat_g", "protein_g", "carb_g")


def _profile(food: Any) -> tuple[float, float, float] | None:
    per = getattr(food, "per_100g", None) or {}
    values = [per.get(k) for k in _PROFILE_KEYS]
    if any(v is None for v in values):
        return None
    return (float(values[0]), float(values[1]), float(values[2]))  # type: ignore[arg-type]


def _kind(food: Any) -> str:
    name = str(getattr(food, "name", "") or "")
    return name.split(",")[0].strip().casefold()


def substitutes(
    food: Any,
    pool: Sequence[Any],
    limit: int = DEFAULT_SUBSTITUTES_PER_FOOD,
    preferred: frozenset[str] | None = None,
) -> list[Any]:
    """Foods of ``pool`` that could stand in for ``food`` in a meal: the same swap family of
    categories when the food has one (:func:`spasmcare.keto.portions.swap_family`: protein
    foods for protein foods, fats for fats, cream for cream...), else the same food group (when
    both have one), and the nearest fat, protein and carbohydrate per 100 g (sum of absolute
    differences), nearest first. Another form of the same food (the same first word of the
    name, e.g. "Butter, salted" and "Butter, without salt") is no variety and is left out. Foods
    in ``preferred`` (the everyday foods) come before all others. A
    software choice of *candidates*: every meal built from them is still solved to the
    prescription before it is served.
    """
    own = _profile(food)
    if own is None:
        return []
    group = getattr(food, "group", None)
    family = swap_family(food)
    kind = _kind(food)
    scored: list[tuple[bool, float, str, Any]] = []
    for other in pool:
        if other.id == food.id:
            continue
        if family is not None:
            if swap_family(other) != family:
                continue
        elif group and getattr(other, "group", None) != group:
            continue
        if kind and _kind(other) == kind:
            continue
        prof = _profile(other)
        if prof is None:
            continue
        distance = sum(abs(a - b) for a, b in zip(own, prof, strict=True))
        usual = preferred is None or other.id in preferred
        scored.append((not usual, distance, other.id, other))
    scored.sort(key=lambda s: (s[0], s[1], s[2]))
    return [s[3] for s in scored[:limit]]


def meal_alternatives(
    foods: Sequence[MealFood],
    substitutes_by_id: Mapping[str, Sequence[Any]],
    limit: int = DEFAULT_ALTERNATIVES_PER_MEAL,
) -> list[tuple[MealFood, ...]]:
    """Candidate variations of a designed meal: one food (never a fixed amount) replaced by one
    of its substitutes, keeping that food's limits. At most ``limit``, in the order of the meal's
    foods and of each food's substitutes, taking the foods in turn so that several foods vary.
    """
    ids = {mf.id for mf in foods}
    per_food: list[list[tuple[MealFood, ...]]] = []
    for k, mf in enumerate(foods):
        if mf.fixed_amount is not None:
            continue
        options: list[tuple[MealFood, ...]] = []
        for sub in substitutes_by_id.get(mf.id, ()):
            if sub.id in ids:
                continue
            new = replace(mf, food=sub)
            options.append(tuple(foods[:k]) + (new,) + tuple(foods[k + 1 :]))
        per_food.append(options)
    out: list[tuple[MealFood, ...]] = []
    for round_ in itertools.zip_longest(*per_food):
        for combo in round_:
            if combo is not None and len(out) < limit:
                out.append(combo)
    return out


def plan_rotation(
    target: MealTarget,
    slots: Sequence[Sequence[Sequence[MealFood]]],
    *,
    days: int = 7,
    max_per_food: int = DEFAULT_MAX_PER_FOOD,
    tolerances: Tolerances | None = None,
    resolution: float = 1.0,
    carbs: CarbBasis = DEFAULT_CARBS,
    options: SolverOptions | None = None,
    names: Sequence[str] | None = None,
) -> Menu:
    """A menu whose meal ``s`` of each day is one of ``slots[s]`` (a designed meal first, then
    its alternatives), every served meal solved to ``target``; ``names[s]`` names meal ``s``
    on every day.

    For each slot of each day the candidates are ranked: first the one served longest ago in
    that slot (never served first), then by how often their foods were used so far, then by
    their order. A candidate that would put a food in more than ``max_per_food`` meals, or that
    does not solve, is skipped. So a slot cycles through all its solvable candidates before
    repeating one: with two or more no two consecutive days are the same. The day's last meal
    avoids a choice that would make the whole day equal to an earlier one, so with enough
    solvable candidates the 7 days of a week all differ (no 2- or 3-day pattern).
    """
    if not (isinstance(days, int) and 1 <= days <= MAX_DAYS):
        raise InputError("--days", days, f"a whole number of days from 1 to {MAX_DAYS}")
    if not (isinstance(max_per_food, int) and max_per_food >= 1):
        raise InputError("--max-per-food", max_per_food, "a whole number of meals, 1 or more")
    if not slots or len(slots) > 8:
        raise InputError("--meals", len(slots), "from 1 to 8 meals a day")
    cands = [[tuple(c) for c in slot if c] for slot in slots]
    for s, slot in enumerate(cands, start=1):
        if not slot:
            raise InputError("--template", f"meal {s}", "at least one food per meal")
    solve = _cached_solver(target, tolerances, resolution, carbs, options)

    counts: Counter[str] = Counter()
    meals: list[MenuMeal] = []
    unsolved: list[tuple[int, int, str]] = []
    last_served: dict[tuple[int, int], int] = {}
    seen_days: set[tuple[int | None, ...]] = set()
    for day in range(1, days + 1):
        today: list[int | None] = []
        for s, slot in enumerate(cands):
            ranked = sorted(
                range(len(slot)),
                key=lambda j: (
                    last_served.get((s, j), 0),
                    sum(counts[mf.id] for mf in slot[j]),
                    j,
                ),
            )
            if s == len(cands) - 1:
                # the day's last meal: a choice that would repeat a whole earlier day goes last
                ranked.sort(key=lambda j: (*today, j) in seen_days)
            chosen: MealSolution | None = None
            first_tried: tuple[MealFood, ...] | None = None
            for j in ranked:
                combo = slot[j]
                if any(counts[mf.id] + 1 > max_per_food for mf in combo):
                    continue
                first_tried = first_tried or combo
                solution = solve(combo)
                if not solution.solved:
                    continue
                used = tuple(item.food_id for item in solution.items)
                if any(counts[i] + 1 > max_per_food for i in used):
                    continue
                chosen = solution
                last_served[(s, j)] = day
                today.append(j)
                counts.update(used)
                break
            if chosen is None:
                if first_tried is None:
                    reason = (
                        f"every food would exceed {max_per_food} meals in the menu: add foods or "
                        "raise --max-per-food"
                    )
                else:
                    reason = solve(first_tried, explain=True).reason or "no candidate solves"
                unsolved.append((day, s + 1, reason))
                today.append(None)
                continue
            name = names[s] if names is not None and s < len(names) else None
            meals.append(MenuMeal(day, s + 1, chosen, name))
        seen_days.add(tuple(today))
    return Menu(
        days=days,
        meals_per_day=len(cands),
        max_per_food=max_per_food,
        meals=tuple(meals),
        food_counts=dict(sorted(counts.items())),
        unsolved=tuple(unsolved),
    )


@dataclass(frozen=True)
class ShoppingLine:
    food_id: str
    name: str
    grams: float
    meals: int


def shopping_list(menu: Menu) -> list[ShoppingLine]:
    """Grams of each food over the whole menu (summed over every served meal), by name.

    A food solved to 0 g in a meal is not bought for that meal (it counts no grams and no meal).
    """
    grams: dict[str, float] = {}
    meals: Counter[str] = Counter()
    names: dict[str, str] = {}
    for m in menu.meals:
        for item in m.solution.items:
            if item.amount <= 0:
                continue
            grams[item.food_id] = grams.get(item.food_id, 0.0) + item.amount
            meals[item.food_id] += 1
            names[item.food_id] = item.name
    lines = [ShoppingLine(i, names[i], round(grams[i], 6), meals[i]) for i in grams]
    return sorted(lines, key=lambda line: line.name.casefold())


def _cached_solver(
    target: MealTarget,
    tolerances: Tolerances | None,
    resolution: float,
    carbs: CarbBasis,
    options: SolverOptions | None,
) -> Callable[..., MealSolution]:
    """``solve(combo, explain=False)``: each food combination solved once per menu; an
    explanation of infeasibility is computed only when asked for."""
    full = options or SolverOptions()
    quiet = replace(full, explain=False)
    cache: dict[tuple[str, ...], MealSolution] = {}

    def solve(combo: tuple[MealFood, ...], explain: bool = False) -> MealSolution:
        key = tuple(mf.id for mf in combo)
        if key in cache and (cache[key].solved or not explain):
            return cache[key]
        problem = meal_problem(
            combo, target, tolerances, resolution, carbs, options=full if explain else quiet
        )
        cache[key] = solve_meal(problem)
        return cache[key]

    return solve
