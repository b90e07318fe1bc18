"""Exact-ratio meal solver: whole multiples of a scale resolution, by mixed-integer programming.

The problem
-----------
Foods ``i`` with fat ``f_i``, protein ``p_i`` and carbohydrate ``c_i`` per unit (g, or mL for
liquids in a feed). Each amount is ``k_i × res_i`` with ``k_i`` a whole number, and each food is
either absent or used at least at its minimum (a binary "use" variable ``y_i``:
``L_i y_i ≤ k_i ≤ U_i y_i``). With ``F, P, C`` the meal's fat, protein and carbohydrate, the hard
constraints are

* ratio: ``F − (R + t)(P + C) ≤ 0`` and ``F − (R − t)(P + C) ≥ 0``, i.e. ``|F/(P+C) − R| ≤ t``;
* energy: ``|9F + 4P + 4C − K| ≤ e·K``;
* protein: ``|P − P*| ≤ t_p`` (when a protein target is given);
* any extra linear rows (the infant feed's volume).

Among feasible amounts the solver prefers, in this order:

1. closeness to the targets, in bands: it first looks for amounts inside a tighter band (30 % of
   each tolerance by default) and only then inside the full tolerances;
2. natural amounts, optimised by the MILP inside the band: a listed food left out costs
   ``leave_out_cost``, a used food below ``natural_min_g`` ("a crumb") costs ``crumb_cost``; for
   a swap, every gram moved away from the saved amounts costs ``anchor_cost_per_g``;
3. closeness again, finely: whole-step moves of one or two foods that bring the meal nearer the
   targets (each deviation divided by its tolerance) without changing which foods are used or
   making a crumb, until no move helps.

With intended portions (``anchors``: the dietitian's entered amounts in the planner, the saved
amounts of a swap) the solver instead returns the **closest meal** to them: the least weighted
sum of absolute deviations from the intended amounts among all amounts meeting every constraint
above, proved by HiGHS (or the best found within ``closest_time_limit_s``, labelled so), warm-
started from the plain MILP answer; see :mod:`spasmcare.keto.closest`. ``closeness``,
``optimal``, ``gap`` and ``status_words`` of the result say which.

Closeness to the targets is not put in the MILP objective itself: its LP bound is about zero,
so HiGHS cannot close the gap and would enumerate (≈ 10× slower in the benchmark); the band and
the moves keep the meal close at the cost of exact optimality of the closeness score.

HiGHS (through :func:`scipy.optimize.milp`) proves infeasibility; :func:`explain_infeasible` then
names the binding constraint with linear-programming relaxations, in words a dietitian acts on.

The tolerances (ratio ±0.02, energy ±1 %, protein ±0.5 g) are the acceptance tolerances set by
the project (issue 3); they are options, not clinical thresholds.

The code is in modules along these seams; this module solves a problem and re-solves a saved
meal with a food swapped, and re-exports the public names so every caller imports from here:
:mod:`~spasmcare.keto.solver_model` (targets, tolerances, foods, options, the problem and its
result, :func:`violations`), :mod:`~spasmcare.keto.solver_milp` (the arrays, the MILP, the
polish and the closest meal) and :mod:`~spasmcare.keto.solver_infeasible` (why there is no
solution, in words).

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", pp. E-15–E-16:
   a dietary unit at R:1 supplies 9R + 4 kcal; each meal keeps (protein + carbohydrate) × R = fat.
2. Huangfu Q, Hall JAJ. Parallelizing the dual revised simplex method. Math Prog Comp
   2018;10:119–142 (HiGHS, the solver behind scipy.optimize.milp / linprog).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spasmcare.errors import InputError
from spasmcare.keto.analysis import (
    FoodLike,
    Portion,
    analyze,
)
from spasmcare.keto.ratio import (
    DEFAULT_CARBS,
    CarbBasis,
)
from spasmcare.keto.solver_infeasible import diagnosis, explain_infeasible
from spasmcare.keto.solver_milp import _build, closest_arrays, meal_base, solve_within_tolerances
from spasmcare.keto.solver_model import (
    RESOLUTIONS_G,
    LinearRow,
    MealFood,
    MealProblem,
    MealSolution,
    MealTarget,
    SolvedItem,
    SolverOptions,
    Tolerances,
    Unit,
    meal_problem,
    parse_food_spec,
    validate_resolution,
    violations,
)

__all__ = [
    "RESOLUTIONS_G",
    "LinearRow",
    "MealFood",
    "MealProblem",
    "MealSolution",
    "MealTarget",
    "SavedMeal",
    "SolvedItem",
    "SolverOptions",
    "Tolerances",
    "Unit",
    "_build",
    "closest_arrays",
    "diagnosis",
    "explain_infeasible",
    "meal_problem",
    "parse_food_spec",
    "solve_meal",
    "swap_and_resolve",
    "validate_resolution",
    "violations",
]


def solve_meal(problem: MealProblem) -> MealSolution:
    """Solve ``problem``: amounts in whole multiples of the resolution meeting every tolerance.

    Returns a solved :class:`MealSolution`, or an infeasible one whose ``reason`` names the
    binding constraint (see :func:`explain_infeasible`).
    """
    model = _build(problem)
    solved = solve_within_tolerances(model)
    if solved is not None:
        return solved
    if problem.options.explain:
        binding, reason = explain_infeasible(problem, model)
    else:
        binding, reason = "unknown", "no amounts meet every tolerance"
    return MealSolution(
        status="infeasible",
        items=(),
        analysis=None,
        reason=reason,
        binding=binding,
        warnings=tuple(model.warnings),
        **meal_base(problem),
    )


# --------------------------------------------------------------------------------------------
# Swap and re-solve
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedMeal:
    """A saved meal to swap a food in: its foods, amounts [g] by food id, and its target."""

    foods: tuple[FoodLike, ...]
    amounts: Mapping[str, float]
    target: MealTarget | None = None

    @classmethod
    def from_dict(
        cls,
        doc: Any,
        lookup: Callable[[str], FoodLike],
        field_name: str = "--meal",
        source: str = "(saved meal)",
    ) -> SavedMeal:
        """Read the JSON document of :meth:`MealSolution.to_dict` (``keto meal --json``).

        ``lookup`` turns a food id into a food (raising :class:`InputError` for an unknown id);
        ``source`` names the document in error messages (e.g. its file name).
        """
        accepted = "a JSON document written by `keto meal --json`"
        foods: dict[str, FoodLike] = {}
        amounts: dict[str, float] = {}
        target = None
        try:
            for row in doc["items"]:
                food = lookup(str(row["food_id"]))
                foods[food.id] = food
                amounts[food.id] = float(row["grams"])
            saved = doc.get("target")
            if saved:
                protein = saved.get("protein_g")
                target = MealTarget(
                    float(saved["ratio"]),
                    float(saved["kcal"]),
                    None if protein is None else float(protein),
                )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(field_name, source, accepted) from exc
        if not amounts:
            raise InputError(field_name, source, "a saved meal with at least one food")
        return cls(tuple(foods.values()), amounts, target)

    def target_for(
        self, explicit: MealTarget | None = None, carbs: CarbBasis = DEFAULT_CARBS
    ) -> MealTarget:
        """The target to re-solve to: ``explicit`` if given, else the saved target, else the
        ratio, energy and protein the saved amounts have now (on the ``carbs`` basis)."""
        if explicit is not None:
            return explicit
        if self.target is not None:
            return self.target
        current = analyze([Portion(f, self.amounts[f.id]) for f in self.foods], carbs)
        return MealTarget(current.ratio, current.kcal, current.protein_g)


def swap_and_resolve(
    foods: Sequence[MealFood],
    amounts: Mapping[str, float],
    old_id: str,
    new_food: FoodLike,
    target: MealTarget,
    tolerances: Tolerances | None = None,
    resolution: float = 1.0,
    carbs: CarbBasis = DEFAULT_CARBS,
    options: SolverOptions | None = None,
    new_limits: tuple[float | None, float | None] | None = None,
) -> MealSolution:
    """Replace ``old_id`` by ``new_food`` in a saved meal and re-solve, moving the others least.

    ``new_limits`` (minimum, maximum) are the new food's own limits; without them it takes the
    replaced food's.

    ``amounts`` are the saved amounts by food id. The other foods keep their limits and are
    anchored at their saved amounts; the new food is anchored, ten times more loosely (weight
    0.1), at the old food's amount. The result is the closest meal to these anchors
    (:mod:`spasmcare.keto.closest`: least weighted sum of gram deviations). A fixed amount of
    the replaced food is released (the new food differs).
    """
    ids = [mf.id for mf in foods]
    if old_id not in ids:
        raise InputError("--replace", old_id, f"a food of the saved meal ({', '.join(ids)})")
    if new_food.id in ids and new_food.id != old_id:
        raise InputError("--replace", new_food.id, "a food not already in the meal")
    new_foods: list[MealFood] = []
    anchors: dict[str, float] = {}
    weights: dict[str, float] = {}
    for mf in foods:
        if mf.id == old_id:
            low, high = new_limits if new_limits is not None else (mf.min_amount, mf.max_amount)
            new_foods.append(
                MealFood(
                    new_food,
                    min_amount=low,
                    max_amount=high,
                    unit=mf.unit,
                    resolution=mf.resolution,
                )
            )
            anchors[new_food.id] = float(amounts.get(old_id, 0.0))
            weights[new_food.id] = 0.1
        else:
            new_foods.append(mf)
            anchors[mf.id] = float(amounts.get(mf.id, 0.0))
            weights[mf.id] = 1.0
    problem = meal_problem(
        new_foods,
        target,
        tolerances,
        resolution,
        carbs,
        anchors=anchors,
        anchor_weights=weights,
        options=options or SolverOptions(),
    )
    return solve_meal(problem)
