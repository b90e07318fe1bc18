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

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", pp. E-15–E-16:
   a dietary unit at R:1 supplies 9R + 4 kcal; each meal keeps (protein + carbohydrate) × R = fat.
2. Huangfu Q, Hall JAJ. Parallelizing the dual revised simplex method. Math Prog Comp
   2018;10:119–142 (HiGHS, the solver behind scipy.optimize.milp / linprog).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from spasmcare.errors import InputError
from spasmcare.keto.analysis import (
    FoodLike,
    MacrosPerGram,
    MealAnalysis,
    Portion,
    analyze,
    carb_basis_ratio_warning,
    food_warnings,
    macros_per_gram,
)
from spasmcare.keto.closest import ClosestArrays, closeness, solve_closest
from spasmcare.keto.limits import AMOUNT, check_value
from spasmcare.keto.ratio import (
    DEFAULT_CARBS,
    CarbBasis,
    kcal_9_4_4,
    kcal_per_dietary_unit,
    ketogenic_ratio,
)

Unit = Literal["g", "ml"]

#: Resolutions offered to the user, in grams (1 g default; 0.5 g and 0.1 g for gram scales).
RESOLUTIONS_G: tuple[float, ...] = (1.0, 0.5, 0.1)

_INF = np.inf

#: How each unit is written in messages.
_UNIT_LABEL: dict[str, str] = {"g": "g", "ml": "mL"}


# --------------------------------------------------------------------------------------------
# Targets and tolerances
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tolerances:
    """Acceptance tolerances of a solved meal (defaults from issue 3; all must be > 0)."""

    ratio: float = 0.02
    kcal_pct: float = 1.0
    protein_g: float = 0.5

    def __post_init__(self) -> None:
        for name, value, flag in (
            ("ratio", self.ratio, "--ratio-tol"),
            ("kcal_pct", self.kcal_pct, "--kcal-tol-pct"),
            ("protein_g", self.protein_g, "--protein-tol-g"),
        ):
            if not (math.isfinite(value) and value > 0):
                raise InputError(flag, value, f"a positive number (tolerance on {name})")

    def to_dict(self) -> dict[str, float]:
        return {"ratio": self.ratio, "kcal_pct": self.kcal_pct, "protein_g": self.protein_g}


@dataclass(frozen=True)
class MealTarget:
    """What a meal must supply: ratio R:1, energy [kcal] and (optionally) protein [g].

    Fat and carbohydrate follow from the dietary-unit algebra [1]:
    ``P + C = kcal / (9R + 4)``, ``F = R (P + C)``, ``C = (P + C) − P``.
    """

    ratio: float
    kcal: float
    protein_g: float | None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.ratio) and self.ratio > 0):
            raise InputError("--ratio", self.ratio, "a ratio greater than 0, e.g. 3 or 3:1")
        if not (math.isfinite(self.kcal) and self.kcal > 0):
            raise InputError("--kcal", self.kcal, "a positive energy in kcal")
        if self.protein_g is not None:
            if not (math.isfinite(self.protein_g) and self.protein_g >= 0):
                raise InputError("--protein-g", self.protein_g, "0 g or more")
            if self.protein_g > self.protein_plus_carb_g + 1e-9:
                raise InputError(
                    "--protein-g",
                    self.protein_g,
                    f"at most {self.protein_plus_carb_g:.1f} g: at {self.ratio:g}:1 and "
                    f"{self.kcal:g} kcal protein and carbohydrate together are "
                    f"{self.protein_plus_carb_g:.1f} g, so more protein would need negative "
                    "carbohydrate",
                )

    @property
    def protein_plus_carb_g(self) -> float:
        """Protein + carbohydrate [g] = kcal / (9R + 4) [1]."""
        return self.kcal / kcal_per_dietary_unit(self.ratio)

    @property
    def fat_g(self) -> float:
        """Fat [g] = R × (protein + carbohydrate) [1]."""
        return self.ratio * self.protein_plus_carb_g

    @property
    def carb_g(self) -> float | None:
        """Carbohydrate [g] = (protein + carbohydrate) − protein; None without a protein target."""
        if self.protein_g is None:
            return None
        return max(self.protein_plus_carb_g - self.protein_g, 0.0)

    @classmethod
    def from_macros(cls, fat_g: float, protein_g: float, carb_g: float) -> MealTarget:
        """Target from explicit fat, protein and carbohydrate grams (energy by 9/4/4)."""
        for name, value in (("--fat-g", fat_g), ("--protein-g", protein_g), ("--carb-g", carb_g)):
            if not (math.isfinite(value) and value >= 0):
                raise InputError(name, value, "0 g or more")
        if protein_g + carb_g <= 0:
            raise InputError(
                "--carb-g", carb_g, "protein + carbohydrate above 0 g (the ratio divides by it)"
            )
        if fat_g <= 0:
            raise InputError("--fat-g", fat_g, "more than 0 g")
        ratio = ketogenic_ratio(fat_g, protein_g, carb_g)
        return cls(ratio=ratio, kcal=kcal_9_4_4(fat_g, protein_g, carb_g), protein_g=protein_g)

    @classmethod
    def from_prescription(cls, prescription: Any) -> MealTarget:
        """Target from anything with ``fat_g``, ``protein_g`` and ``carb_g`` (attributes or keys).

        A :class:`spasmcare.keto.prescription.Prescription`, one of its ``per_meal`` targets, or
        a plain dict (e.g. from the web app) all work: duck typing, so this module does not
        import the prescription module.
        """

        def get(name: str) -> float:
            value = (
                prescription.get(name)
                if isinstance(prescription, Mapping)
                else getattr(prescription, name, None)
            )
            if value is None:
                raise InputError("prescription", name, "fat_g, protein_g and carb_g all given")
            return float(value)

        return cls.from_macros(get("fat_g"), get("protein_g"), get("carb_g"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ratio": self.ratio,
            "kcal": self.kcal,
            "protein_g": self.protein_g,
            "fat_g": self.fat_g,
            "carb_g": self.carb_g,
        }


# --------------------------------------------------------------------------------------------
# Foods, options, problem
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MealFood:
    """A food offered to the solver, with optional minimum, maximum or fixed amount.

    Amounts are in the food's ``unit``: grams, or millilitres (liquids in infant feeds, which
    need values per 100 mL or a density). ``resolution`` overrides the problem's resolution
    for this food.
    """

    food: FoodLike
    min_amount: float | None = None
    max_amount: float | None = None
    fixed_amount: float | None = None
    unit: Unit = "g"
    resolution: float | None = None

    @property
    def id(self) -> str:
        return self.food.id


@dataclass(frozen=True)
class LinearRow:
    """An extra constraint ``lb ≤ Σ coef_i × amount_i ≤ ub`` over the foods' amounts."""

    name: str
    coef: tuple[float, ...]
    lb: float
    ub: float
    #: What to tell the user when this row cannot be met (formatted with ``{lb}`` and ``{ub}``).
    reason: str


@dataclass(frozen=True)
class SolverOptions:
    """Preferences among feasible amounts, and solver limits (none is a clinical number)."""

    #: A used food below this many grams counts as a crumb (the default minimum is 1 g).
    natural_min_g: float = 5.0
    crumb_cost: float = 0.1
    leave_out_cost: float = 0.25
    anchor_cost_per_g: float = 1.0
    #: Cap on the amount of a food that supplies no energy (water, tea), in its unit.
    default_max_zero_energy: float = 1000.0
    #: Default minimum amount of a used food [g] (issue 3: 1 g).
    default_min_g: float = 1.0
    time_limit_s: float = 2.0
    #: Branch-and-bound nodes HiGHS may explore before returning the best amounts found; a node
    #: limit (unlike a time limit) keeps results reproducible. None = search to optimality.
    node_limit: int | None = 1000
    #: Relative MIP gap at which HiGHS stops (every objective term is ≥ 0).
    mip_rel_gap: float = 1e-4
    #: Tolerance bands tried in turn, as fractions of each tolerance: the first band with a
    #: solution wins, so a meal well inside the tolerances is preferred to one at their edge.
    bands: tuple[float, ...] = (0.3, 1.0)
    #: Rounds of whole-step moves towards the targets after the MILP (0 = none).
    polish_rounds: int = 60
    explain: bool = True
    #: With intended portions (``anchors``), re-solve for the closest meal to them, warm-started
    #: from the first answer (:mod:`spasmcare.keto.closest`), within this time limit [s].
    closest: bool = True
    closest_time_limit_s: float = 0.25


@dataclass(frozen=True)
class MealProblem:
    """Everything the solver needs; build it with :func:`meal_problem` to validate input."""

    foods: tuple[MealFood, ...]
    target: MealTarget
    tolerances: Tolerances = field(default_factory=Tolerances)
    resolution: float = 1.0
    carbs: CarbBasis = DEFAULT_CARBS
    extra_rows: tuple[LinearRow, ...] = ()
    #: Saved amounts (by food id, in the food's unit) to stay close to: used by swap.
    anchors: Mapping[str, float] | None = None
    anchor_weights: Mapping[str, float] | None = None
    options: SolverOptions = field(default_factory=SolverOptions)


def validate_resolution(value: float, field_name: str = "--resolution") -> float:
    """A resolution must be a positive, finite number of grams (or mL)."""
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise InputError(field_name, value, "a positive step in grams, e.g. 1, 0.5 or 0.1")
    return float(value)


def _steps(amount: float, res: float, how: Literal["floor", "ceil", "exact"]) -> int:
    q = amount / res
    if how == "floor":
        return int(math.floor(q + 1e-9))
    if how == "ceil":
        return int(math.ceil(q - 1e-9))
    return int(round(q))


def meal_problem(
    foods: Sequence[MealFood],
    target: MealTarget,
    tolerances: Tolerances | None = None,
    resolution: float = 1.0,
    carbs: CarbBasis = DEFAULT_CARBS,
    **kwargs: Any,
) -> MealProblem:
    """Validate and assemble a :class:`MealProblem` (raises :class:`InputError`)."""
    resolution = validate_resolution(resolution)
    if not foods:
        raise InputError("--food", "(none)", "at least one food")
    seen: set[str] = set()
    for mf in foods:
        if mf.id in seen:
            raise InputError("--food", mf.id, "each food once")
        seen.add(mf.id)
        res = validate_resolution(mf.resolution if mf.resolution is not None else resolution)
        for name, value in (
            ("min", mf.min_amount),
            ("max", mf.max_amount),
            ("fixed", mf.fixed_amount),
        ):
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise InputError("--food", f"{mf.id}:{name}={value}", f"{name} of 0 or more")
        if (
            mf.min_amount is not None
            and mf.max_amount is not None
            and mf.min_amount > mf.max_amount
        ):
            raise InputError(
                "--food", f"{mf.id}:min={mf.min_amount},max={mf.max_amount}", "min ≤ max"
            )
        if mf.fixed_amount is not None:
            if mf.min_amount is not None or mf.max_amount is not None:
                raise InputError("--food", mf.id, "either a fixed amount or min/max, not both")
            if abs(_steps(mf.fixed_amount, res, "exact") * res - mf.fixed_amount) > 1e-9:
                raise InputError(
                    "--food",
                    f"{mf.id}:fixed={mf.fixed_amount}",
                    f"a fixed amount that is a whole multiple of the resolution ({res:g})",
                )
        macros_per_gram(mf.food, carbs, mf.unit)  # raises when fat/protein/carb is unknown
    tolerances = tolerances or Tolerances()
    return MealProblem(
        foods=tuple(foods),
        target=target,
        tolerances=tolerances,
        resolution=resolution,
        carbs=carbs,
        **kwargs,
    )


_SPEC = re.compile(r"^\s*([^:=,\s]+)\s*(?:(=)\s*([^:,]+)|:(.*))?\s*$")


def parse_food_spec(text: str, field_name: str = "--food") -> tuple[str, dict[str, float]]:
    """Read ``ID``, ``ID=30`` (fixed), or ``ID:min=10,max=40`` / ``ID:fixed=30`` (``:`` or ``,``).

    Returns the id and a dict with any of ``min``, ``max``, ``fixed``.
    """
    accepted = "FOOD_ID, FOOD_ID=GRAMS (fixed) or FOOD_ID:min=G,max=G or FOOD_ID:fixed=G"
    match = _SPEC.match(text)
    if not match:
        raise InputError(field_name, text, accepted)
    food_id = match.group(1)
    limits: dict[str, float] = {}
    if match.group(2):
        parts = [f"fixed={match.group(3)}"]
    elif match.group(4):
        parts = [p for p in re.split(r"[:,]", match.group(4)) if p.strip()]
    else:
        parts = []
    for part in parts:
        key, _, value = part.partition("=")
        key = key.strip().lower()
        if key not in ("min", "max", "fixed") or not value:
            raise InputError(field_name, text, accepted)
        try:
            amount = float(value)
        except ValueError as exc:
            raise InputError(field_name, text, accepted) from exc
        if not math.isfinite(amount) or amount < 0:
            raise InputError(field_name, text, f"{key} of 0 or more grams")
        check_value(AMOUNT, amount, field_name, text)
        limits[key] = amount
    if "min" in limits and "max" in limits and limits["min"] > limits["max"]:
        raise InputError(field_name, text, "min ≤ max")
    return food_id, limits


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SolvedItem:
    """One food of a solved meal; ``amount`` in ``unit`` (g or mL), ``grams`` always grams."""

    food_id: str
    name: str
    amount: float
    unit: Unit
    grams: float | None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"food_id": self.food_id, "name": self.name, "grams": self.grams}
        if self.unit == "ml":
            data["volume_ml"] = self.amount
        return data


@dataclass(frozen=True)
class MealSolution:
    """A solved meal (``status == "solved"``) or the reason none exists."""

    status: Literal["solved", "infeasible"]
    items: tuple[SolvedItem, ...]
    analysis: MealAnalysis | None
    target: MealTarget
    tolerances: Tolerances
    resolution: float
    carbs: CarbBasis
    reason: str | None = None
    binding: str | None = None
    warnings: tuple[str, ...] = ()
    #: With intended portions: Σ weight × |amount − intended| of these amounts (g or mL), whether
    #: HiGHS proved it the least possible, the relative gap to its proved bound, and in words.
    closeness: float | None = None
    optimal: bool | None = None
    gap: float | None = None
    status_words: str | None = None

    @property
    def solved(self) -> bool:
        return self.status == "solved"

    def achieved(self) -> dict[str, float] | None:
        if self.analysis is None:
            return None
        a = self.analysis
        return {
            "ratio": a.ratio,
            "kcal": a.kcal,
            "fat_g": a.fat_g,
            "protein_g": a.protein_g,
            "carb_g": a.carb_g,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "items": [item.to_dict() for item in self.items],
            "achieved": self.achieved(),
            "target": self.target.to_dict(),
            "tolerances": self.tolerances.to_dict(),
            "resolution": self.resolution,
            "carbs": self.carbs,
            "reason": self.reason,
            "binding": self.binding,
            "k_ak": None if self.analysis is None else self.analysis.k_ak,
            "warnings": list(self.warnings),
            "closeness": self.closeness,
            "optimal": self.optimal,
            "gap": self.gap,
            "status_words": self.status_words,
        }


def violations(analysis: MealAnalysis, target: MealTarget, tol: Tolerances) -> list[str]:
    """The tolerances ``analysis`` breaks (empty when it meets every one)."""
    out: list[str] = []
    ratio = analysis.ratio
    if not (math.isfinite(ratio) and abs(ratio - target.ratio) <= tol.ratio + 1e-12):
        out.append(f"ratio {ratio:.3f} outside {target.ratio:.3f} ± {tol.ratio:g}")
    if abs(analysis.kcal - target.kcal) > target.kcal * tol.kcal_pct / 100.0 + 1e-9:
        out.append(
            f"energy {analysis.kcal:.1f} kcal outside {target.kcal:.1f} ± {tol.kcal_pct:g} %"
        )
    if target.protein_g is not None and abs(analysis.protein_g - target.protein_g) > (
        tol.protein_g + 1e-9
    ):
        out.append(
            f"protein {analysis.protein_g:.2f} g outside {target.protein_g:.2f} "
            f"± {tol.protein_g:g} g"
        )
    return out


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------
@dataclass
class _Model:
    """Arrays of one problem, per *step* of each food (one step = its resolution)."""

    problem: MealProblem
    per_unit: list[MacrosPerGram]
    step: np.ndarray  # units per step
    fat: np.ndarray  # per step
    protein: np.ndarray
    carb: np.ndarray
    lo_steps: np.ndarray  # minimum when used
    hi_steps: np.ndarray
    fixed: np.ndarray  # bool
    crumb_steps: np.ndarray  # steps below which a used food is a crumb (at least 1)
    #: The foods' cautions (for an infeasible result; a solved one has its analysis's).
    warnings: list[str]

    @property
    def n(self) -> int:
        return len(self.step)

    @property
    def kcal(self) -> np.ndarray:
        return np.asarray(kcal_9_4_4(self.fat, self.protein, self.carb))


def _per_unit(mf: MealFood, carbs: CarbBasis) -> MacrosPerGram:
    return macros_per_gram(mf.food, carbs, mf.unit)


def _build(problem: MealProblem) -> _Model:
    opts = problem.options
    target, tol = problem.target, problem.tolerances
    kcal_max = target.kcal * (1 + tol.kcal_pct / 100.0)
    per_unit, steps, lo, hi, fixed, warnings = [], [], [], [], [], []
    for mf in problem.foods:
        pu = _per_unit(mf, problem.carbs)
        warnings.extend(food_warnings(mf.food, pu))
        ratio_note = carb_basis_ratio_warning(mf.food, problem.carbs, mf.unit)
        if ratio_note:
            warnings.append(ratio_note)
        res = mf.resolution if mf.resolution is not None else problem.resolution
        per_unit.append(pu)
        steps.append(res)
        if mf.fixed_amount is not None:
            k = _steps(mf.fixed_amount, res, "exact")
            lo.append(k)
            hi.append(k)
            fixed.append(True)
            continue
        if pu.kcal > 0:
            cap = kcal_max / pu.kcal
        else:
            cap = opts.default_max_zero_energy
        if mf.max_amount is not None:
            cap = min(cap, mf.max_amount)
        minimum = mf.min_amount
        if minimum is None:
            minimum = opts.default_min_g
        lo.append(max(_steps(minimum, res, "ceil"), 1))
        hi.append(max(_steps(cap, res, "floor"), 0))
        fixed.append(False)
    step = np.array(steps, dtype=float)
    return _Model(
        problem=problem,
        per_unit=per_unit,
        step=step,
        fat=np.array([p.fat for p in per_unit]) * step,
        protein=np.array([p.protein for p in per_unit]) * step,
        carb=np.array([p.carb for p in per_unit]) * step,
        lo_steps=np.array(lo, dtype=float),
        hi_steps=np.array(hi, dtype=float),
        fixed=np.array(fixed, dtype=bool),
        crumb_steps=np.array(
            [max(_steps(opts.natural_min_g, res, "ceil"), 1) for res in steps], dtype=float
        ),
        warnings=warnings,
    )


# Safety margins pulled off each tolerance inside the model, so that HiGHS's feasibility
# tolerance (1e-7 on rows) can never let a solution through that the exact check rejects.
_MARGIN_RATIO = 1e-6
_MARGIN_KCAL = 1e-5
_MARGIN_PROTEIN = 1e-6


@dataclass
class _Rows:
    rows: list[np.ndarray] = field(default_factory=list)
    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)

    def add(self, row: np.ndarray, lb: float, ub: float) -> None:
        self.rows.append(row)
        self.lb.append(lb)
        self.ub.append(ub)


def _tolerance_rows(
    model: _Model,
    *,
    band: float = 1.0,
    margin_scale: float = 1.0,
    use_ratio: bool = True,
    use_kcal: bool = True,
    use_protein: bool = True,
) -> list[tuple[np.ndarray, float, float]]:
    """The hard rows over the steps: ratio, energy, protein (inside ``band`` × each tolerance,
    less the safety margins) and the extra rows, as ``(row, lb, ub)``."""
    p = model.problem
    target, tol = p.target, p.tolerances
    out: list[tuple[np.ndarray, float, float]] = []
    pc = model.protein + model.carb
    R, K = target.ratio, target.kcal
    if use_ratio:
        t = band * max(tol.ratio - _MARGIN_RATIO * margin_scale, tol.ratio * 0.5)
        out.append((model.fat - (R + t) * pc, -_INF, 0.0))
        out.append((model.fat - (R - t) * pc, 0.0, _INF))
    if use_kcal:
        e = band * max(
            K * tol.kcal_pct / 100.0 - _MARGIN_KCAL * margin_scale, K * tol.kcal_pct / 200.0
        )
        out.append((model.kcal, K - e, K + e))
    if use_protein and target.protein_g is not None:
        tp = band * max(tol.protein_g - _MARGIN_PROTEIN * margin_scale, tol.protein_g * 0.5)
        out.append((model.protein, target.protein_g - tp, target.protein_g + tp))
    for extra in p.extra_rows:
        out.append((np.array(extra.coef) * model.step, extra.lb, extra.ub))
    return out


def _milp_solve(
    model: _Model,
    *,
    integral: bool = True,
    semicontinuous: bool = True,
    use_protein: bool = True,
    use_ratio: bool = True,
    use_kcal: bool = True,
    lo_override: Mapping[int, float] | None = None,
    margin_scale: float = 1.0,
    band: float = 1.0,
    closeness: bool = False,
    anchored: bool = True,
) -> tuple[int, np.ndarray | None]:
    """Solve the model (or a relaxation of it); returns (HiGHS status, steps per food or None)."""
    p = model.problem
    n = model.n
    target, tol, opts = p.target, p.tolerances, p.options
    has_protein = use_protein and target.protein_g is not None
    anchors = (p.anchors or {}) if anchored else {}
    anchor_idx = [i for i, mf in enumerate(p.foods) if mf.id in anchors]
    # variable layout: k (n) | v (n) | w (n) | dK, dP, dR | a (len(anchor_idx))
    # k: whole steps; v: 1 = food left out; w: 1 = food used below the natural minimum (crumb).
    # Every objective term is ≥ 0, so HiGHS's relative MIP gap is meaningful.
    iv, iw, idev, ia = n, 2 * n, 3 * n, 3 * n + 3
    nv = ia + len(anchor_idx)
    rows = _Rows()

    def vec() -> np.ndarray:
        return np.zeros(nv)

    lo = model.lo_steps.copy()
    if lo_override:
        for i, value in lo_override.items():
            lo[i] = value
    if not semicontinuous:
        lo = np.where(model.fixed, lo, 0.0)
    crumb = model.crumb_steps
    for i in range(n):
        r = vec()  # k ≤ U (1 − v)
        r[i], r[iv + i] = 1.0, model.hi_steps[i]
        rows.add(r, -_INF, model.hi_steps[i])
        r = vec()  # k ≥ L (1 − v)
        r[i], r[iv + i] = 1.0, lo[i]
        rows.add(r, lo[i], _INF)
        if crumb[i] > lo[i]:
            r = vec()  # k ≥ C (1 − v − w)
            r[i], r[iv + i], r[iw + i] = 1.0, crumb[i], crumb[i]
            rows.add(r, crumb[i], _INF)
    for row, row_lb, row_ub in _tolerance_rows(
        model,
        band=band,
        margin_scale=margin_scale,
        use_ratio=use_ratio,
        use_kcal=use_kcal,
        use_protein=has_protein,
    ):
        r = vec()
        r[:n] = row
        rows.add(r, row_lb, row_ub)
    pc = model.protein + model.carb
    kcal = model.kcal
    R, K = target.ratio, target.kcal
    # deviation rows
    r = vec()
    r[:n], r[idev] = kcal, -1.0
    rows.add(r, -_INF, K)
    r = vec()
    r[:n], r[idev] = kcal, 1.0
    rows.add(r, K, _INF)
    if has_protein:
        assert target.protein_g is not None
        r = vec()
        r[:n], r[idev + 1] = model.protein, -1.0
        rows.add(r, -_INF, target.protein_g)
        r = vec()
        r[:n], r[idev + 1] = model.protein, 1.0
        rows.add(r, target.protein_g, _INF)
    r = vec()
    r[:n], r[idev + 2] = model.fat - R * pc, -1.0
    rows.add(r, -_INF, 0.0)
    r = vec()
    r[:n], r[idev + 2] = model.fat - R * pc, 1.0
    rows.add(r, 0.0, _INF)
    for j, i in enumerate(anchor_idx):
        a = float(anchors[p.foods[i].id])
        r = vec()
        r[i], r[ia + j] = model.step[i], -1.0
        rows.add(r, -_INF, a)
        r = vec()
        r[i], r[ia + j] = model.step[i], 1.0
        rows.add(r, a, _INF)

    c = vec()
    if closeness:
        c[idev] = 1.0 / (K * tol.kcal_pct / 100.0)
        if has_protein:
            c[idev + 1] = 1.0 / tol.protein_g
        c[idev + 2] = 1.0 / (tol.ratio * target.protein_plus_carb_g)
    c[iv : iv + n] = opts.leave_out_cost
    c[iw : iw + n] = opts.crumb_cost
    weights = p.anchor_weights or {}
    for j, i in enumerate(anchor_idx):
        food = p.foods[i]
        c[ia + j] = opts.anchor_cost_per_g * float(weights.get(food.id, 1.0))

    lb, ub = vec(), np.full(nv, _INF)
    ub[:n] = model.hi_steps
    lb[:n] = np.where(model.fixed, model.hi_steps, 0.0)
    ub[iv:iw] = np.where(model.fixed, 0.0, 1.0)
    ub[iw:idev] = 1.0
    integrality = np.zeros(nv)
    if integral:
        integrality[:n] = 1
    if semicontinuous:
        integrality[iv:idev] = 1
    else:
        ub[iv:idev] = 0.0  # plain bounds 0..hi, no use or crumb choice
    constraints = LinearConstraint(np.array(rows.rows), rows.lb, rows.ub)
    result = milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lb, ub),
        options=_milp_options(opts),
    )
    if result.x is None and result.status == 1 and opts.node_limit is not None:
        # The node limit stopped the search before any solution: search on, unlimited, so that
        # "infeasible" is only ever said when HiGHS has proved it.
        result = milp(
            c,
            constraints=constraints,
            integrality=integrality,
            bounds=Bounds(lb, ub),
            options=_milp_options(replace(opts, node_limit=None)),
        )
    if result.x is None:
        return int(result.status), None
    x = np.asarray(result.x)
    steps = np.round(x[:n]) if integral else x[:n]
    return int(result.status), steps


def _closeness(model: _Model, steps: np.ndarray) -> np.ndarray:
    """Closeness score of candidate step vectors (rows): Σ deviation / tolerance."""
    p = model.problem
    target, tol = p.target, p.tolerances
    fat, prot, carb = steps @ model.fat, steps @ model.protein, steps @ model.carb
    kcal = kcal_9_4_4(fat, prot, carb)
    score = np.abs(kcal - target.kcal) / (target.kcal * tol.kcal_pct / 100.0)
    score += np.abs(fat - target.ratio * (prot + carb)) / (tol.ratio * target.protein_plus_carb_g)
    if target.protein_g is not None:
        score += np.abs(prot - target.protein_g) / tol.protein_g
    return np.asarray(score)


def _feasible_rows(model: _Model, steps: np.ndarray) -> np.ndarray:
    """Which candidate step vectors (rows) meet every tolerance and extra row (with margins)."""
    p = model.problem
    target, tol = p.target, p.tolerances
    fat, prot, carb = steps @ model.fat, steps @ model.protein, steps @ model.carb
    pc = prot + carb
    kcal = kcal_9_4_4(fat, prot, carb)
    t = tol.ratio - _MARGIN_RATIO
    ok = (fat - (target.ratio + t) * pc <= 0) & (fat - (target.ratio - t) * pc >= 0)
    e = target.kcal * tol.kcal_pct / 100.0 - _MARGIN_KCAL
    ok &= np.abs(kcal - target.kcal) <= e
    if target.protein_g is not None:
        ok &= np.abs(prot - target.protein_g) <= tol.protein_g - _MARGIN_PROTEIN
    for extra in p.extra_rows:
        value = steps @ (np.array(extra.coef) * model.step)
        ok &= (value >= extra.lb - 1e-9) & (value <= extra.ub + 1e-9)
    return np.asarray(ok)


_MOVES_CACHE: dict[int, np.ndarray] = {}


def _moves(n: int) -> np.ndarray:
    """Whole-step moves: one food by ±1 or ±2 steps, or two foods by ±1 step each."""
    if n not in _MOVES_CACHE:
        moves = []
        for i in range(n):
            for d in (-2, -1, 1, 2):
                m = np.zeros(n)
                m[i] = d
                moves.append(m)
        for i in range(n):
            for j in range(i + 1, n):
                for di in (-1, 1):
                    for dj in (-1, 1):
                        m = np.zeros(n)
                        m[i], m[j] = di, dj
                        moves.append(m)
        _MOVES_CACHE[n] = np.array(moves) if moves else np.zeros((0, n))
    return _MOVES_CACHE[n]


def _polish(model: _Model, steps: np.ndarray, rounds: int) -> np.ndarray:
    """Move towards the targets in whole steps, keeping the used foods and natural amounts.

    A food left out stays out, a fixed food stays fixed, a used food stays within its minimum
    and maximum and does not drop below the natural minimum unless it already was below it; for
    a swap, the anchors' cost is added to the score so that moves do not drift from them.
    """
    if rounds <= 0 or model.n == 0:
        return steps
    p = model.problem
    opts = p.options
    used = steps > 0
    movable = used & ~model.fixed
    crumb = model.crumb_steps
    floor = np.where(steps >= crumb, np.maximum(crumb, model.lo_steps), model.lo_steps)
    anchors = p.anchors or {}
    weights = p.anchor_weights or {}
    anchor = np.array([float(anchors.get(mf.id, np.nan)) for mf in p.foods])
    anchor_w = np.array(
        [
            opts.anchor_cost_per_g * float(weights.get(mf.id, 1.0)) if mf.id in anchors else 0.0
            for mf in p.foods
        ]
    )
    has_anchor = ~np.isnan(anchor)

    def score(cands: np.ndarray) -> np.ndarray:
        value = _closeness(model, cands)
        if has_anchor.any():
            grams = cands * model.step
            value = value + np.abs(grams[:, has_anchor] - anchor[has_anchor]) @ anchor_w[has_anchor]
        return value

    moves = _moves(model.n)
    moves = moves[~np.any((moves != 0) & ~movable, axis=1)]
    if len(moves) == 0:
        return steps
    current = steps.astype(float)
    best = float(score(current[None, :])[0])
    for _ in range(rounds):
        cands = current + moves
        ok = np.all(cands >= np.where(used, floor, 0), axis=1)
        ok &= np.all(cands <= model.hi_steps, axis=1)
        if not ok.any():
            break
        cands = cands[ok]
        ok = _feasible_rows(model, cands)
        if not ok.any():
            break
        cands = cands[ok]
        values = score(cands)
        k = int(np.argmin(values))
        if values[k] >= best - 1e-12:
            break
        best, current = float(values[k]), cands[k]
    return current


def _milp_options(opts: SolverOptions) -> dict[str, Any]:
    options: dict[str, Any] = {
        "disp": False,
        "time_limit": opts.time_limit_s,
        "mip_rel_gap": opts.mip_rel_gap,
    }
    if opts.node_limit is not None:
        options["node_limit"] = opts.node_limit
    return options


def _items_and_analysis(
    model: _Model, steps: np.ndarray
) -> tuple[tuple[SolvedItem, ...], MealAnalysis]:
    p = model.problem
    items: list[SolvedItem] = []
    portions: list[Portion] = []
    for i, mf in enumerate(p.foods):
        k = int(steps[i])
        if k <= 0:
            continue
        amount = round(k * float(model.step[i]), 9)
        portion = Portion(mf.food, amount, mf.unit)
        portions.append(portion)
        items.append(SolvedItem(mf.id, mf.food.name, amount, mf.unit, portion.grams))
    return tuple(items), analyze(portions, p.carbs)


def solve_meal(problem: MealProblem) -> MealSolution:
    """Solve ``problem``: amounts in whole multiples of the resolution meeting every tolerance.

    Returns a solved :class:`MealSolution`, or an infeasible one whose ``reason`` names the
    binding constraint (see :func:`explain_infeasible`).
    """
    model = _build(problem)
    base = dict(
        target=problem.target,
        tolerances=problem.tolerances,
        resolution=problem.resolution,
        carbs=problem.carbs,
    )
    if problem.anchors and problem.options.closest:
        closest_solution = _closest_meal(model, base)
        if closest_solution is not None:
            return closest_solution
    for margin_scale in (1.0, 100.0):
        status, steps = -1, None
        for band in problem.options.bands:
            status, steps = _milp_solve(model, margin_scale=margin_scale, band=band)
            if steps is not None:
                break
        if steps is None:
            break
        steps = _polish(model, steps, problem.options.polish_rounds)
        items, analysis = _items_and_analysis(model, steps)
        if not violations(analysis, problem.target, problem.tolerances):
            warnings = list(analysis.warnings)
            if status == 1:
                warnings.append("search limit reached: the best amounts found are shown")
            return MealSolution(
                status="solved",
                items=items,
                analysis=analysis,
                warnings=tuple(warnings),
                **base,  # type: ignore[arg-type]
            )
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
        **base,  # type: ignore[arg-type]
    )


def closest_arrays(model: _Model, margin_scale: float = 1.0) -> ClosestArrays:
    """The model's hard constraints and intended portions, for :func:`solve_closest`."""
    p = model.problem
    anchors = p.anchors or {}
    weights = p.anchor_weights or {}
    rows = _tolerance_rows(model, margin_scale=margin_scale)
    n = model.n
    return ClosestArrays(
        step=model.step,
        lo_steps=model.lo_steps,
        hi_steps=model.hi_steps,
        fixed=model.fixed,
        rows=np.array([r for r, _, _ in rows]).reshape(len(rows), n),
        row_lb=np.array([lb for _, lb, _ in rows]),
        row_ub=np.array([ub for _, _, ub in rows]),
        intended=np.array([float(anchors.get(mf.id, np.nan)) for mf in p.foods]),
        weight=np.array(
            [p.options.anchor_cost_per_g * float(weights.get(mf.id, 1.0)) for mf in p.foods]
        ),
    )


def _closest_meal(model: _Model, base: Mapping[str, Any]) -> MealSolution | None:
    """The closest meal to the intended portions (``anchors``), or None when none exists.

    The warm start is today's MILP answer (natural amounts: the leave-out and crumb costs, at
    the full tolerances, without the anchor terms, the tighter band or the whole-step polish,
    which the closest search supersedes); the closest search (:func:`solve_closest`) starts
    from it, so its answer is never further from the intended portions. Both are re-checked by
    :func:`violations`; with the safety margins widened once if the check refuses them.
    """
    p = model.problem
    opts = p.options
    for margin_scale in (1.0, 100.0):
        status, start = _milp_solve(model, margin_scale=margin_scale, anchored=False)
        if start is None:
            return None
        arrays = closest_arrays(model, margin_scale)
        found = solve_closest(arrays, start, time_limit_s=opts.closest_time_limit_s)
        candidates = [] if found is None else [found.steps]
        for steps in [*candidates, start]:
            items, analysis = _items_and_analysis(model, steps)
            if violations(analysis, p.target, p.tolerances):
                continue
            warnings = list(analysis.warnings)
            if status == 1:
                warnings.append("search limit reached: the best amounts found are shown")
            if found is not None and steps is found.steps and found.optimal:
                words = "closest to the intended portions (proved)"
            elif found is not None and steps is found.steps:
                words = (
                    f"best found within the time limit ({opts.closest_time_limit_s:g} s), not "
                    f"proved closest: at most {found.gap:.1%} above the closest possible"
                )
            else:
                words = "the first amounts found (the closest search's were not accepted)"
            proved = found is not None and steps is found.steps and found.optimal
            return MealSolution(
                status="solved",
                items=items,
                analysis=analysis,
                warnings=tuple(warnings),
                closeness=closeness(arrays, steps),
                optimal=proved,
                gap=found.gap if found is not None and steps is found.steps else None,
                status_words=words,
                **base,
            )
    return None


# --------------------------------------------------------------------------------------------
# Infeasibility, in words
# --------------------------------------------------------------------------------------------
def _lp_extreme(
    model: _Model,
    objective: np.ndarray,
    *,
    maximize: bool,
    ratio: bool | Literal["lower", "upper"],
    kcal: bool,
) -> float | None:
    """Max/min of ``objective · steps`` over the continuous relaxation (None if infeasible).

    ``ratio``: True for both sides of the ratio band, or only its ``"lower"`` (enough fat) or
    ``"upper"`` (not too much fat) side.
    """
    p = model.problem
    n = model.n
    rows = _Rows()
    target, tol = p.target, p.tolerances
    pc = model.protein + model.carb
    if ratio is True or ratio == "upper":
        rows.add(model.fat - (target.ratio + tol.ratio) * pc, -_INF, 0.0)
    if ratio is True or ratio == "lower":
        rows.add(model.fat - (target.ratio - tol.ratio) * pc, 0.0, _INF)
    if kcal:
        e = target.kcal * tol.kcal_pct / 100.0
        rows.add(model.kcal, target.kcal - e, target.kcal + e)
    for extra in p.extra_rows:
        rows.add(np.array(extra.coef) * model.step, extra.lb, extra.ub)
    lb = np.where(model.fixed, model.hi_steps, 0.0)
    ub = model.hi_steps
    c = -objective if maximize else objective
    kwargs: dict[str, Any] = {}
    if rows.rows:
        kwargs["constraints"] = LinearConstraint(np.array(rows.rows), rows.lb, rows.ub)
    result = milp(c, bounds=Bounds(lb, ub), options={"disp": False}, **kwargs)
    if result.x is None:
        return None
    return float(np.dot(objective, result.x[:n]))


def _ratio_extreme(model: _Model, *, maximize: bool) -> float:
    """Highest (or lowest) ratio any mix within the amounts' bounds reaches (Charnes–Cooper)."""
    n = model.n
    pc = model.protein + model.carb
    # variables: w (n) = steps × s, s ≥ 0; Σ pc·w = 1; fixed: w = hi·s; else 0 ≤ w ≤ hi·s
    nv = n + 1
    rows = _Rows()
    r = np.zeros(nv)
    r[:n] = pc
    rows.add(r, 1.0, 1.0)
    for i in range(n):
        r = np.zeros(nv)
        r[i], r[n] = 1.0, -model.hi_steps[i]
        if model.fixed[i]:
            rows.add(r, 0.0, 0.0)
        else:
            rows.add(r, -_INF, 0.0)
    c = np.zeros(nv)
    c[:n] = -model.fat if maximize else model.fat
    ub = np.full(nv, _INF)
    result = milp(
        c,
        constraints=LinearConstraint(np.array(rows.rows), rows.lb, rows.ub),
        bounds=Bounds(np.zeros(nv), ub),
        options={"disp": False},
    )
    if result.status == 3:  # unbounded: pure fat reachable
        return math.inf
    if result.x is None:  # no protein or carbohydrate at all
        return math.inf
    return float(np.dot(model.fat, result.x[:n]))


def _names(model: _Model, mask: np.ndarray) -> str:
    names = [model.problem.foods[i].food.name for i in range(model.n) if mask[i]]
    return ", ".join(names) if names else "none"


def explain_infeasible(problem: MealProblem, model: _Model | None = None) -> tuple[str, str]:
    """Name the binding constraint of an infeasible problem, in words a dietitian acts on.

    Returns ``(code, sentence)``. Codes: ``fixed_kcal``, ``fixed_protein``, ``extra:<name>``,
    ``kcal_supply``, ``protein_supply``, ``fat_supply``, ``too_fat``, ``ratio_kcal``,
    ``protein_vs_carb``, ``protein_vs_fat``, ``protein_excess``, ``minimum``, ``resolution``.
    """
    model = model or _build(problem)
    target, tol = problem.target, problem.tolerances
    R, K = target.ratio, target.kcal
    e = K * tol.kcal_pct / 100.0
    amounts_hi = model.hi_steps
    fixed = model.fixed
    # 1. fixed amounts alone
    fixed_kcal = float(np.dot(model.kcal[fixed], amounts_hi[fixed]))
    if fixed_kcal > K + e:
        return "fixed_kcal", (
            f"the fixed amounts alone give {fixed_kcal:.0f} kcal, over the {K:.0f} kcal "
            f"(± {tol.kcal_pct:g} %) of this meal: lower a fixed amount ({_names(model, fixed)})"
        )
    if target.protein_g is not None:
        fixed_p = float(np.dot(model.protein[fixed], amounts_hi[fixed]))
        if fixed_p > target.protein_g + tol.protein_g:
            return "fixed_protein", (
                f"the fixed amounts alone give {fixed_p:.1f} g protein, over the "
                f"{target.protein_g:.1f} g target: lower a fixed amount ({_names(model, fixed)})"
            )
    # 2. extra rows (volume) with bounds only
    for extra in problem.extra_rows:
        coef = np.array(extra.coef) * model.step
        low = float(np.dot(coef[fixed], amounts_hi[fixed]))
        high = low + float(np.dot(np.clip(coef[~fixed], 0, None), amounts_hi[~fixed]))
        low += float(np.dot(np.clip(coef[~fixed], None, 0), amounts_hi[~fixed]))
        if low > extra.ub + 1e-9 or high < extra.lb - 1e-9:
            return f"extra:{extra.name}", extra.reason.format(lb=extra.lb, ub=extra.ub)
    # 3. supply at the largest allowed amounts
    max_kcal = float(np.dot(model.kcal, amounts_hi))
    if max_kcal < K - e:
        return "kcal_supply", (
            f"even at their largest allowed amounts these foods give only {max_kcal:.0f} kcal; "
            f"the meal needs {K:.0f} kcal: raise a maximum or add a food"
        )
    if target.protein_g is not None:
        max_p = float(np.dot(model.protein, amounts_hi))
        if max_p < target.protein_g - tol.protein_g:
            return "protein_supply", (
                f"these foods cannot supply {target.protein_g:.1f} g protein even at their "
                f"largest amounts (at most {max_p:.1f} g): add a protein food such as meat, fish, "
                "egg or cheese, or raise its maximum"
            )
    # 4. the ratio alone
    hi_ratio = _ratio_extreme(model, maximize=True)
    if hi_ratio < R - tol.ratio:
        return "fat_supply", (
            f"nothing here supplies enough fat for {R:g}:1 — the fattiest possible mix of these "
            f"foods reaches only {hi_ratio:.2f}:1; add a fat such as butter, oil or heavy cream "
            "(or raise the maximum of the fat already listed)"
        )
    lo_ratio = _ratio_extreme(model, maximize=False)
    if lo_ratio > R + tol.ratio:
        return "too_fat", (
            f"every possible mix of these foods is richer than {R:g}:1 (the leanest reaches "
            f"{lo_ratio:.2f}:1): add a food with protein or carbohydrate, or lower a fixed or "
            "minimum amount of fat"
        )
    # 5. ratio and energy together
    kcal_at_ratio_max = _lp_extreme(model, model.kcal, maximize=True, ratio=True, kcal=False)
    if kcal_at_ratio_max is not None and kcal_at_ratio_max < K - e:
        # Which side of the ratio limits the energy: too little fat, or too little protein and
        # carbohydrate to carry the fat at R:1?
        fat_side = _lp_extreme(model, model.kcal, maximize=True, ratio="lower", kcal=False)
        if fat_side is not None and fat_side < K - e:
            advice = "raise the maximum of a fat or add one"
        else:
            advice = (
                "the protein and carbohydrate foods are too few to balance more fat at this "
                "ratio: raise the maximum or fixed amount of a protein or carbohydrate food "
                "(e.g. milk) or add one"
            )
        return "ratio_kcal", (
            f"at {R:g}:1 these foods give at most {kcal_at_ratio_max:.0f} kcal within their "
            f"allowed amounts, short of {K:.0f} kcal: {advice}"
        )
    kcal_at_ratio_min = _lp_extreme(model, model.kcal, maximize=False, ratio=True, kcal=False)
    if kcal_at_ratio_min is not None and kcal_at_ratio_min > K + e:
        return "ratio_kcal", (
            f"at {R:g}:1 the fixed amounts force at least {kcal_at_ratio_min:.0f} kcal, over "
            f"{K:.0f} kcal: lower a fixed amount"
        )
    # 6. protein at this ratio and energy
    if target.protein_g is not None:
        p_max = _lp_extreme(model, model.protein, maximize=True, ratio=True, kcal=True)
        p_min = _lp_extreme(model, model.protein, maximize=False, ratio=True, kcal=True)
        if p_max is not None and p_max < target.protein_g - tol.protein_g:
            carb_budget = target.protein_plus_carb_g - target.protein_g
            floor = _carb_at_protein(model, target.protein_g - tol.protein_g)
            if floor is not None and floor[0] > carb_budget + 1e-6:
                carb_of = floor[1]
                top = [int(i) for i in np.argsort(-carb_of) if carb_of[i] > 1e-9][:2]
                who = " and ".join(problem.foods[i].food.name for i in top) or "the foods"
                return "protein_vs_carb", (
                    f"the protein target ({target.protein_g:.1f} g) cannot be met without "
                    f"exceeding the carbohydrate ({carb_budget:.1f} g at {R:g}:1 and {K:.0f} "
                    f"kcal): with these foods at most {p_max:.1f} g protein fits, because "
                    f"{who} bring{'s' if len(top) == 1 else ''} carbohydrate with the protein; "
                    "add a protein food with little carbohydrate (meat, fish, egg), lower a "
                    "carbohydrate food, or lower the protein target"
                )
            return "protein_vs_fat", (
                f"at {R:g}:1 and {K:.0f} kcal the fat here can balance at most {p_max:.1f} g "
                f"protein, short of {target.protein_g:.1f} g: add a fat such as butter or oil, "
                "or raise the maximum of a fat"
            )
        if p_min is not None and p_min > target.protein_g + tol.protein_g:
            return "protein_excess", (
                f"protein cannot be kept down to {target.protein_g:.1f} g: at {R:g}:1 and "
                f"{K:.0f} kcal these foods bring at least {p_min:.1f} g protein with their fat; "
                "add a fat without protein (oil, butter) or lower the minimum or fixed amount of "
                "a protein food"
            )
    # 7. continuous amounts work: minimum amounts, then the resolution
    status, steps = _milp_solve(model, integral=False, semicontinuous=True)
    if steps is None:
        for i, mf in enumerate(problem.foods):
            if model.fixed[i] or model.lo_steps[i] <= 1:
                continue
            status, steps = _milp_solve(model, integral=False, lo_override={i: 1.0})
            if steps is not None:
                minimum = model.lo_steps[i] * model.step[i]
                return "minimum", (
                    f"the minimum of {minimum:g} {_UNIT_LABEL[mf.unit]} of {mf.food.name} does "
                    "not fit this meal; lower that minimum or leave the food out"
                )
        return "minimum", (
            "the minimum amounts of the foods together do not fit this meal; lower a minimum"
        )
    steps_text = " and ".join(
        dict.fromkeys(
            f"{float(model.step[i]):g} {_UNIT_LABEL[mf.unit]}" for i, mf in enumerate(problem.foods)
        )
    )
    hint = ""
    # The finer resolutions tried are grams for the whole meal: only meaningful when every food
    # is weighed in grams at the problem's resolution (a feed's powders and liquids each carry
    # their own step, which a single finer resolution would wrongly reset).
    if all(mf.unit == "g" and mf.resolution is None for mf in problem.foods):
        for res in (r for r in RESOLUTIONS_G if r < problem.resolution - 1e-12):
            trial = replace(
                problem, resolution=res, options=replace(problem.options, explain=False)
            )
            if all(_fits_resolution(f, res) for f in problem.foods) and solve_meal(trial).solved:
                hint = f" (at {res:g} g it solves)"
                break
    return "resolution", (
        f"no amounts in whole steps of {steps_text} meet the ratio, energy and protein "
        f"tolerances together, although amounts in between would: use a finer "
        f"resolution{hint}, widen a tolerance, or add a food"
    )


#: Where the sentence of :func:`explain_infeasible` turns from what binds to what to try.
_ADVICE_START = re.compile(
    r"[:;] (?=add |raise |lower |use a finer |the protein and carbohydrate foods )"
)


def diagnosis(reason: str) -> str:
    """What binds, without the untested suggestion of :func:`explain_infeasible`.

    The suggestion there is a rule of thumb, never re-solved; a caller that can try changes
    (:mod:`spasmcare.keto.advice`) shows this diagnosis with only the changes verified to solve.
    """
    match = _ADVICE_START.search(reason)
    return reason if match is None else reason[: match.start()]


def _fits_resolution(mf: MealFood, res: float) -> bool:
    if mf.fixed_amount is None:
        return True
    return abs(_steps(mf.fixed_amount, res, "exact") * res - mf.fixed_amount) <= 1e-9


def _carb_at_protein(model: _Model, protein_g: float) -> tuple[float, np.ndarray] | None:
    """Least carbohydrate of any mix within the bounds supplying ``protein_g`` protein.

    Returns the carbohydrate [g] and each food's share of it, or None when no mix can.
    """
    rows = _Rows()
    rows.add(model.protein, protein_g - 1e-6, _INF)
    lb = np.where(model.fixed, model.hi_steps, 0.0)
    result = milp(
        model.carb,
        constraints=LinearConstraint(np.array(rows.rows), rows.lb, rows.ub),
        bounds=Bounds(lb, model.hi_steps),
        options={"disp": False},
    )
    if result.x is None:
        return None
    share = model.carb * np.asarray(result.x)
    return float(share.sum()), share


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
