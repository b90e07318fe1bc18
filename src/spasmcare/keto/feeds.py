"""Infant ketogenic feeds: formula, milk and modules to a ratio, energy and volume, in N feeds.

A day's feed is made of *powders* weighed in grams (KetoCal 4:1 powder, a standard infant
formula powder, a protein or carbohydrate module) and *liquids* measured in millilitres
(expressed breast milk, ready-to-feed formula, KetoCal 4:1 LQ, Liquigen), made up with water to
the prescribed volume and split into N identical feeds.

How it is solved
----------------
The exact meal solver (:mod:`spasmcare.keto.solver`) solves the amounts that are weighed, in
whole multiples of the powder resolution (g) and the liquid resolution (mL), meeting ratio ± t,
energy ± e % and protein ± t_p, with the liquids fitting in the volume. Two ways of making up:

* ``batch="day"`` (default): the day's batch is weighed and made up to the day's volume, then
  poured into N equal feeds. The batch amounts are whole steps; the per-feed lines are the batch
  ÷ N (for information, not for weighing).
* ``batch="feed"``: each feed is weighed separately, so one feed is solved in whole steps with
  ``kcal / N`` and protein ``t_p / N`` (so that N identical feeds meet the day's ± t_p); this is
  tighter and may need a finer resolution.

Water makes the batch up to its volume; the water shown (volume − liquids) is an upper bound,
because powder takes up some volume: make up *to the volume*, not with the amount shown.
Limits are given per day (``fixed``, ``min``, ``max``); with ``batch="feed"`` they are divided by
N and a fixed day amount must split into N whole steps of the resolution.

Energy basis
------------
Every solved plan states how its energy is counted (:meth:`FeedPlan.energy_basis`): the 9/4/4
convention (fat 9, protein 4, carbohydrate 4 kcal/g) with carbohydrate on the chosen basis,
which the targets and the solver use [1], beside the labels' own energy, which uses the
manufacturers' factors and is not used for the targets [2]. KetoCal 4:1 powder, 100 g: 692.0
kcal by 9/4/4 on net carbohydrate, 713.2 kcal on total, 705 kcal on its label [2]. With total
carbohydrate a product whose own ratio changes carries a warning (KetoCal 4:1 → 3.06:1,
:func:`spasmcare.keto.analysis.carb_basis_ratio_warning`).

Liquids need millilitre values: the food's own per-100 mL basis, its density, or a density
derived from its SR28 household measures (:func:`spasmcare.keto.analysis.liquid_ready`, the one
place this is done), which the plan then states as a warning.

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", pp. E-15–E-16
   (9R + 4 kcal per dietary unit: fat 9, protein and carbohydrate 4 kcal/g).
2. spasmcare facts file ``shared/reference/keto-therapy.md`` §6: KetoCal 4:1 label 705 kcal per
   100 g vs 692.0 (net) or 713.2 (total) by 9/4/4 [D]; "software must choose label vs computed
   energy explicitly".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.keto.analysis import (
    ML_PER_US_CUP,
    ML_PER_US_FL_OZ,
    FoodLike,
    MealAnalysis,
    Portion,
    analyze,
    check_density,
    density_from_measures,
    liquid_ready,
)
from spasmcare.keto.protein import DEFAULT_PROTEIN_REFERENCE, ProteinCheck, check_protein
from spasmcare.keto.ratio import DEFAULT_CARBS, CarbBasis
from spasmcare.keto.solver import (
    LinearRow,
    MealFood,
    MealTarget,
    SolverOptions,
    Tolerances,
    meal_problem,
    solve_meal,
    validate_resolution,
    violations,
)

__all__ = [
    "ML_PER_US_CUP",
    "ML_PER_US_FL_OZ",
    "MAX_FEEDS_PER_DAY",
    "Batch",
    "FeedIngredient",
    "FeedLine",
    "FeedPlan",
    "FeedTarget",
    "Kind",
    "density_from_measures",
    "liquid_ready",
    "prescription_violations",
    "solve_feed",
]

Kind = Literal["powder", "liquid"]
Batch = Literal["day", "feed"]

MAX_FEEDS_PER_DAY = 24


@dataclass(frozen=True)
class FeedIngredient:
    """A powder (grams) or liquid (mL) of the feed, with limits *per day*."""

    food: FoodLike
    kind: Kind
    min_per_day: float | None = None
    max_per_day: float | None = None
    fixed_per_day: float | None = None

    @property
    def unit(self) -> Literal["g", "ml"]:
        return "g" if self.kind == "powder" else "ml"


@dataclass(frozen=True)
class FeedTarget:
    """A day's feed: ratio R:1, energy [kcal/day], protein [g/day] (optional), volume [mL/day]."""

    ratio: float
    kcal: float
    volume_ml: float
    feeds: int
    protein_g: float | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.volume_ml) and self.volume_ml > 0):
            raise InputError("--volume-ml", self.volume_ml, "a positive volume in mL per day")
        if not (isinstance(self.feeds, int) and 1 <= self.feeds <= MAX_FEEDS_PER_DAY):
            raise InputError(
                "--feeds", self.feeds, f"a whole number of feeds from 1 to {MAX_FEEDS_PER_DAY}"
            )
        MealTarget(self.ratio, self.kcal, self.protein_g)  # validates ratio, kcal, protein

    def per_feed(self) -> MealTarget:
        n = self.feeds
        protein = None if self.protein_g is None else self.protein_g / n
        return MealTarget(self.ratio, self.kcal / n, protein)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ratio": self.ratio,
            "kcal": self.kcal,
            "protein_g": self.protein_g,
            "volume_ml": self.volume_ml,
            "feeds": self.feeds,
        }


@dataclass(frozen=True)
class FeedLine:
    """One ingredient of a feed: ``amount`` in ``unit`` (g for powders, mL for liquids)."""

    food_id: str
    name: str
    kind: Kind
    amount: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "food_id": self.food_id,
            "name": self.name,
            "kind": self.kind,
            "amount": self.amount,
            "unit": self.unit,
        }


@dataclass(frozen=True)
class FeedPlan:
    """A solved day of feeds (or the reason none exists)."""

    status: Literal["solved", "infeasible"]
    target: FeedTarget
    per_feed: tuple[FeedLine, ...]
    feed_volume_ml: float
    water_ml_per_feed: float | None
    day: tuple[FeedLine, ...]
    day_analysis: MealAnalysis | None
    carbs: CarbBasis
    tolerances: Tolerances
    batch: Batch = "day"
    reason: str | None = None
    binding: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def solved(self) -> bool:
        return self.status == "solved"

    @property
    def kcal_per_ml(self) -> float | None:
        """Energy density of the made-up feed [kcal/mL] (None when unsolved)."""
        if self.day_analysis is None:
            return None
        return self.day_analysis.kcal / self.target.volume_ml

    @property
    def water_ml_per_day(self) -> float | None:
        """Water to make the day up to its volume, at most [mL/day] (None when unsolved)."""
        if self.water_ml_per_feed is None:
            return None
        return self.water_ml_per_feed * self.target.feeds

    def energy_basis(self) -> dict[str, Any] | None:
        """How the day's energy is counted, and the labels' energy beside it (None: unsolved).

        Keys: ``method`` ("9/4/4"), ``kcal_per_g`` (fat, protein, carbohydrate), ``carbs``,
        ``kcal`` (9/4/4 on the chosen basis, the figure the targets use), ``kcal_label`` (sum
        of the products' own energy; a lower bound when ``kcal_label_unknown_in`` lists foods
        without one), ``items`` (per ingredient, both figures) and ``statement`` (in words).
        """
        a = self.day_analysis
        if a is None:
            return None
        carbs_words = (
            "net carbohydrate (total minus fibre)"
            if self.carbs == "net"
            else "total carbohydrate (fibre included)"
        )
        unknown = list(a.kcal_table.unknown_in)
        label = f"the labels' own energy {a.kcal_table.amount:.1f} kcal/day"
        if unknown:
            names = {i.food_id: i.name for i in a.items}
            without = ", ".join(names.get(fid, fid) for fid in unknown)
            label += f" (a lower bound: no label energy for {without})"
        statement = (
            f"energy counted by 9/4/4 (fat 9, protein 4, carbohydrate 4 kcal/g) on "
            f"{carbs_words}: {a.kcal:.1f} kcal/day, the figure the target uses; {label}, "
            "not used for the target"
        )
        return {
            "method": "9/4/4",
            "kcal_per_g": {"fat": 9.0, "protein": 4.0, "carbohydrate": 4.0},
            "carbs": self.carbs,
            "kcal": a.kcal,
            "kcal_label": a.kcal_table.amount,
            "kcal_label_unknown_in": unknown,
            "items": [
                {"food_id": i.food_id, "name": i.name, "kcal": i.kcal, "kcal_label": i.kcal_table}
                for i in a.items
            ],
            "statement": statement,
        }

    def to_dict(self) -> dict[str, Any]:
        a = self.day_analysis
        day_totals = None
        if a is not None:
            day_totals = {
                **a.totals(),
                "volume_ml": self.target.volume_ml,
                "kcal_per_ml": self.kcal_per_ml,
                "water_ml": self.water_ml_per_day,
            }
        return {
            "status": self.status,
            "target": self.target.to_dict(),
            "feeds": self.target.feeds,
            "batch": self.batch,
            "per_feed": {
                "items": [line.to_dict() for line in self.per_feed],
                "water_ml": self.water_ml_per_feed,
                "volume_ml": self.feed_volume_ml,
            },
            "day": {"items": [line.to_dict() for line in self.day], "totals": day_totals},
            "carbs": self.carbs,
            "energy_basis": self.energy_basis(),
            "tolerances": self.tolerances.to_dict(),
            "reason": self.reason,
            "binding": self.binding,
            "warnings": list(self.warnings),
            "food_cautions": (
                None if self.day_analysis is None else self.day_analysis.to_dict()["food_cautions"]
            ),
        }


def _per_feed_limit(
    ing: FeedIngredient, value: float | None, n: int, res: float, name: str
) -> float | None:
    if value is None:
        return None
    if not (math.isfinite(value) and value >= 0):
        raise InputError("--" + ing.kind, f"{ing.food.id}:{name}={value}", f"{name} of 0 or more")
    per = value / n
    if name == "fixed":
        steps = per / res
        if abs(steps - round(steps)) > 1e-9:
            raise InputError(
                "--" + ing.kind,
                f"{ing.food.id}:fixed={value:g}",
                f"a day amount that splits into {n} feeds of whole {res:g} {ing.unit} steps "
                f"(a multiple of {n * res:g} {ing.unit})",
            )
        return round(steps) * res
    return per


def _solver_foods(
    ingredients: Sequence[FeedIngredient],
    densities: Mapping[str, float] | None,
    parts: int,
    powder_res: float,
    liquid_res: float,
    warnings: list[str],
) -> tuple[list[MealFood], dict[str, Kind]]:
    """The ingredients as the solver's foods (liquids per mL, limits per solved batch) and each
    food's kind; a liquid's density note is added to ``warnings``."""
    meal_foods: list[MealFood] = []
    kinds: dict[str, Kind] = {}
    for ing in ingredients:
        food = ing.food
        if ing.kind == "liquid":
            food, note = liquid_ready(food, densities)
            if note:
                warnings.append(note)
        res = powder_res if ing.kind == "powder" else liquid_res
        if (
            ing.min_per_day is not None
            and ing.max_per_day is not None
            and ing.min_per_day > ing.max_per_day
        ):
            raise InputError("--" + ing.kind, food.id, "min ≤ max")
        kinds[food.id] = ing.kind
        meal_foods.append(
            MealFood(
                food,
                min_amount=_per_feed_limit(ing, ing.min_per_day, parts, res, "min"),
                max_amount=_per_feed_limit(ing, ing.max_per_day, parts, res, "max"),
                fixed_amount=_per_feed_limit(ing, ing.fixed_per_day, parts, res, "fixed"),
                unit=ing.unit,
                resolution=res,
            )
        )
    return meal_foods, kinds


def _volume_row(
    meal_foods: list[MealFood], kinds: Mapping[str, Kind], volume_ml: float
) -> LinearRow:
    """The solver's extra row: the liquids of a solved batch within its volume [mL]."""
    return LinearRow(
        name="volume",
        coef=tuple(1.0 if kinds[mf.id] == "liquid" else 0.0 for mf in meal_foods),
        lb=0.0,
        ub=volume_ml,
        reason=(
            "the liquids alone need more than the volume ({ub:.0f} mL): lower a fixed or "
            "minimum liquid amount or raise the day's volume"
        ),
    )


def solve_feed(
    ingredients: Sequence[FeedIngredient],
    target: FeedTarget,
    *,
    tolerances: Tolerances | None = None,
    powder_resolution_g: float = 1.0,
    liquid_resolution_ml: float = 1.0,
    carbs: CarbBasis = DEFAULT_CARBS,
    batch: Batch = "day",
    densities: Mapping[str, float] | None = None,
    options: SolverOptions | None = None,
) -> FeedPlan:
    """Solve a day of N feeds (see the module notes for ``batch``)."""
    if not ingredients:
        raise InputError("--powder", "(none)", "at least one powder or liquid")
    if batch not in ("day", "feed"):
        raise InputError("--batch", batch, "day or feed")
    for food_id, value in (densities or {}).items():
        check_density(food_id, value)
    tolerances = tolerances or Tolerances()
    powder_res = validate_resolution(powder_resolution_g, "--powder-resolution")
    liquid_res = validate_resolution(liquid_resolution_ml, "--liquid-resolution")
    n = target.feeds
    parts = n if batch == "feed" else 1  # how many times the solved amounts are made per day
    solved_volume = target.volume_ml / parts
    feed_volume = target.volume_ml / n
    warnings: list[str] = []
    meal_foods, kinds = _solver_foods(
        ingredients, densities, parts, powder_res, liquid_res, warnings
    )
    volume_row = _volume_row(meal_foods, kinds, solved_volume)
    day_target = MealTarget(target.ratio, target.kcal, target.protein_g)
    solved_target = target.per_feed() if parts > 1 else day_target
    # A feed's amounts are small: no crumb preference beyond the 1 g (or 1 mL) minimum.
    opts = options or SolverOptions(natural_min_g=1.0)
    problem = meal_problem(
        meal_foods,
        solved_target,
        replace(tolerances, protein_g=tolerances.protein_g / parts),
        powder_res,
        carbs,
        extra_rows=(volume_row,),
        options=opts,
    )
    solution = solve_meal(problem)
    warnings.extend(solution.warnings)
    base: dict[str, Any] = dict(
        target=target,
        feed_volume_ml=feed_volume,
        carbs=carbs,
        tolerances=tolerances,
        batch=batch,
    )
    if not solution.solved:
        reason = solution.reason
        if parts > 1 and solution.binding and reason:
            reason += (
                f" (one feed of {n}: {target.kcal / n:.0f} kcal"
                + ("" if target.protein_g is None else f", {target.protein_g / n:.2f} g protein")
                + "; the day's batch may solve where single feeds do not)"
            )
        return FeedPlan(
            status="infeasible",
            per_feed=(),
            water_ml_per_feed=None,
            day=(),
            day_analysis=None,
            reason=reason,
            binding=solution.binding,
            warnings=tuple(warnings),
            **base,
        )
    solved_lines = tuple(
        FeedLine(i.food_id, i.name, kinds[i.food_id], i.amount, i.unit) for i in solution.items
    )
    day = tuple(replace(line, amount=round(line.amount * parts, 9)) for line in solved_lines)
    per_feed = tuple(replace(line, amount=line.amount / n) for line in day)
    liquids_day = sum(line.amount for line in day if line.kind == "liquid")
    water_per_feed = max(target.volume_ml - liquids_day, 0.0) / n
    foods_by_id = {mf.id: mf.food for mf in meal_foods}
    day_analysis = analyze(
        [Portion(foods_by_id[line.food_id], line.amount, line.unit) for line in day], carbs
    )
    if any(line.kind == "powder" for line in day):
        made = "the day's batch" if batch == "day" else "each feed"
        volume = target.volume_ml if batch == "day" else feed_volume
        warnings.append(
            f"water shown is at most what is needed: the powder takes up some volume, so make "
            f"{made} up to {volume:g} mL rather than adding the water shown"
        )
    return FeedPlan(
        status="solved",
        per_feed=per_feed,
        water_ml_per_feed=water_per_feed,
        day=day,
        day_analysis=day_analysis,
        warnings=tuple(warnings),
        **base,
    )


def prescription_violations(
    plan: FeedPlan,
    ratio: float,
    kcal: float,
    protein_g: float | None,
    tolerances: Tolerances | None = None,
) -> list[str]:
    """The prescription's tolerances the solved day of feeds breaks (empty: it meets them).

    A feed may be solved without holding protein (``FeedTarget.protein_g`` None), so its day
    can meet ratio and energy while its protein differs from the prescription; only a day
    that meets the prescription's ratio, energy *and* protein within the solver's tolerances
    (ratio ± 0.02, energy ± 1 %, protein ± 0.5 g by default [1]) may be called checked
    against the prescription. An unsolved plan breaks everything: one reason is returned.

    Parameters
    ----------
    plan : FeedPlan
        A plan of :func:`solve_feed`.
    ratio, kcal, protein_g
        The prescription's day: ratio R:1, energy [kcal/day] and protein [g/day] (None: no
        protein target).
    tolerances : Tolerances, optional
        Default: the plan's own tolerances.

    References
    ----------
    1. spasmcare.keto.solver.Tolerances: the acceptance tolerances of a solved meal, the same
       check (:func:`spasmcare.keto.solver.violations`) a meal passes.
    """
    if not plan.solved or plan.day_analysis is None:
        return [f"the feed is not solved ({plan.reason or plan.status})"]
    tol = tolerances or plan.tolerances
    return violations(plan.day_analysis, MealTarget(ratio, kcal, protein_g), tol)


def formula_led_protein_check(
    plan: FeedPlan,
    weight_kg: float | None,
    age_months: float | None,
    reference: str = DEFAULT_PROTEIN_REFERENCE,
    maximum_g_per_kg: float | None = None,
) -> ProteinCheck | None:
    """The protein a formula-led feed (no protein target) brings, checked against the age
    minimum and a clinic's maximum (:func:`spasmcare.keto.protein.check_protein`); ``None``
    when protein was a target, the feed is unsolved, or the weight or the age is unknown."""
    if weight_kg is None or age_months is None:
        return None
    if plan.target.protein_g is not None or plan.day_analysis is None:
        return None
    return check_protein(
        plan.day_analysis.protein_g, weight_kg, age_months, reference, maximum_g_per_kg
    )
