"""The meal solver's problem: targets, tolerances, foods, options, the problem and its result.

Built and checked here; solved by :func:`spasmcare.keto.solver.solve_meal` (the method is
described in :mod:`spasmcare.keto.solver`).

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", pp. E-15–E-16:
   a dietary unit at R:1 supplies 9R + 4 kcal; each meal keeps (protein + carbohydrate) × R = fat.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from spasmcare.errors import InputError
from spasmcare.keto.analysis import (
    FoodLike,
    MealAnalysis,
    macros_per_gram,
)
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
