"""Changes that would solve a feed (or a meal) that has no solution, each verified by solving.

The solver's own explanation (:func:`spasmcare.keto.solver.explain_infeasible`) names what binds
and adds a rule of thumb ("add a fat without protein") that was never tried: with KetoCal
alone at a protein target, adding oil changes nothing, because the protein that the KetoCal
brings with its fat does not go down. Here each candidate change is applied and the feed solved
again; only the changes whose feed solves are returned, with the amounts they give, so a
dietitian is never told to try something that does not work.

Candidate changes, in this order (project choices, not clinical rules):

1. check protein against the age minimum instead of holding it to the prescription's grams
   (how formula-led feeds are usually prescribed: the formula at the energy target, its
   protein accepted when it meets the minimum for age);
2. drop a fixed amount; count carbohydrate as net rather than total (a prescription change:
   KetoCal 4:1 is 4.0:1 on net carbohydrate, 3.06:1 on total);
3. weigh powders in finer steps (0.5 g, then 0.1 g);
4. add one product from the candidates the caller offers (a carbohydrate module, a fat
   emulsion, an infant formula, a ketogenic formula...), with and without change 1, and if
   need be with powders weighed in finer steps (a 1 g step of a module moves the ratio of a
   day's feed by more than ± 0.02).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from spasmcare.keto.feeds import FeedIngredient, FeedPlan, FeedTarget, Kind, solve_feed
from spasmcare.keto.solver import RESOLUTIONS_G, MealProblem, MealSolution, solve_meal

#: The most candidate changes tried for one feed (each is one solve of a small problem).
MAX_TRIALS = 30


@dataclass(frozen=True)
class FeedChange:
    """A change to an unsolved feed, and the feed it gives (solved: verified)."""

    change: str
    plan: FeedPlan
    kind: str  # "protein" | "unfix" | "add" | "resolution"
    protein_held: bool
    added: str | None = None  # food id of an added product
    powder_resolution_g: float | None = None

    def to_dict(self) -> dict[str, Any]:
        day = ", ".join(
            f"{line.amount:g} {'mL' if line.unit == 'ml' else 'g'} {line.name}"
            for line in self.plan.day
        )
        return {
            "change": self.change,
            "kind": self.kind,
            "gives": day,
            "protein_held": self.protein_held,
            "added": self.added,
            "powder_resolution_g": self.powder_resolution_g,
        }


def feed_changes(
    ingredients: Sequence[FeedIngredient],
    target: FeedTarget,
    candidates: Sequence[tuple[Any, Kind]] = (),
    *,
    powder_resolution_g: float = 1.0,
    solve: Callable[..., FeedPlan] | None = None,
    limit: int = 4,
    **options: Any,
) -> list[FeedChange]:
    """Up to ``limit`` changes that make the feed solve, each verified by solving it.

    ``candidates`` are products (food, kind) the caller offers to add; ``options`` go to
    :func:`spasmcare.keto.feeds.solve_feed` unchanged (tolerances, carbs, batch...).
    """
    run = solve or solve_feed
    found: list[FeedChange] = []
    tried = 0
    held = target.protein_g is not None
    free = replace(target, protein_g=None)

    def attempt(
        kind: str,
        change: str,
        ings: Sequence[FeedIngredient],
        tgt: FeedTarget,
        res: float = powder_resolution_g,
        added: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> bool:
        extra = extra or {}
        nonlocal tried
        if tried >= MAX_TRIALS or len(found) >= limit:
            return False
        tried += 1
        plan = run(list(ings), tgt, powder_resolution_g=res, **(options | extra))
        if plan.solved:
            found.append(
                FeedChange(
                    change,
                    plan,
                    kind,
                    tgt.protein_g is not None,
                    added,
                    None if res == powder_resolution_g else res,
                )
            )
        return plan.solved

    relaxed_solves = False
    if held:
        relaxed_solves = attempt(
            "protein",
            "check protein against the minimum for age instead of holding it to "
            f"{target.protein_g:.1f} g",
            ingredients,
            free,
        )
    for i, ing in enumerate(ingredients):
        if ing.fixed_per_day is not None:
            loose = [*ingredients[:i], replace(ing, fixed_per_day=None), *ingredients[i + 1 :]]
            change = f"let the amount of {ing.food.name} be solved (not fixed)"
            attempt("unfix", change, loose, target)
    if options.get("carbs") == "total":
        attempt(
            "carbs",
            "count carbohydrate as net (fibre excluded), the basis of the formulas' labelled "
            "ratios (a change to the prescription)",
            ingredients,
            target,
            extra={"carbs": "net"},
        )
    finer = [r for r in RESOLUTIONS_G if r < powder_resolution_g - 1e-12]
    for res in finer:
        if attempt("resolution", f"weigh powders in steps of {res:g} g", ingredients, target, res):
            break
    present = {ing.food.id for ing in ingredients}
    finer = [r for r in RESOLUTIONS_G if r < powder_resolution_g - 1e-12]
    for food, kind in candidates:
        if food.id in present:
            continue
        more = [*ingredients, FeedIngredient(food, kind)]
        done = False
        for res in [powder_resolution_g, *finer]:
            steps = "" if res == powder_resolution_g else f", powders weighed in {res:g} g steps"
            for tgt in [target, free] if held and not relaxed_solves else [target]:
                check = "" if tgt is target or not held else " and check protein instead"
                done = attempt("add", f"add {food.name}{steps}{check}", more, tgt, res, food.id)
                if done:
                    break
            if done:
                break
    return found


@dataclass(frozen=True)
class MealChange:
    """A change to an unsolved meal, and the meal it gives (solved: verified)."""

    change: str
    solution: MealSolution

    def words(self) -> str:
        gives = ", ".join(f"{i.amount:g} g {i.name}" for i in self.solution.items if i.amount)
        return f"{self.change} (gives {gives})"


def meal_changes(
    problem: MealProblem,
    candidates: Sequence[Any] = (),
    *,
    limit: int = 3,
    max_trials: int = MAX_TRIALS,
) -> list[MealChange]:
    """Up to ``limit`` changes that make an unsolved meal solve, each verified by solving it.

    Tried in order: finer scale steps; a locked amount released; a food's portion minimum
    dropped (it may then be served below its usual portion); one food of ``candidates`` added
    (within the limits the caller gives it as a :class:`MealFood`).
    """
    quiet = replace(problem, options=replace(problem.options, explain=False))
    found: list[MealChange] = []
    tried = 0

    def attempt(change: str, trial: MealProblem) -> bool:
        nonlocal tried
        if tried >= max_trials or len(found) >= limit:
            return False
        tried += 1
        solution = solve_meal(trial)
        if solution.solved:
            found.append(MealChange(change, solution))
        return solution.solved

    grams_only = all(mf.unit == "g" and mf.resolution is None for mf in problem.foods)
    if grams_only:
        for res in (r for r in RESOLUTIONS_G if r < problem.resolution - 1e-12):
            fits = all(
                mf.fixed_amount is None
                or abs(mf.fixed_amount / res - round(mf.fixed_amount / res)) < 1e-9
                for mf in problem.foods
            )
            if fits and attempt(f"weigh in steps of {res:g} g", replace(quiet, resolution=res)):
                break
    foods = list(problem.foods)
    for k, mf in enumerate(foods):
        if mf.fixed_amount is not None:
            freed = [*foods[:k], replace(mf, fixed_amount=None), *foods[k + 1 :]]
            attempt(f"unlock {mf.food.name}", replace(quiet, foods=tuple(freed)))
        elif mf.min_amount:
            lower = [*foods[:k], replace(mf, min_amount=None), *foods[k + 1 :]]
            attempt(
                f"allow less than {mf.min_amount:g} g of {mf.food.name}",
                replace(quiet, foods=tuple(lower)),
            )
    present = {mf.id for mf in foods}
    for extra in candidates:
        if extra.id in present:
            continue
        attempt(f"add {extra.food.name}", replace(quiet, foods=(*foods, extra)))
    return found
