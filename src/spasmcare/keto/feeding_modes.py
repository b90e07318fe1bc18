"""Infant feeding modes on the diet: breastfeeds, expressed breast milk, and solids week by week.

Three ways an infant on the ketogenic diet is fed (issue 24, item 4; care pathway §5 [1]):

* ``breastfeed``: the infant nurses (the mother's estimate of the breast milk taken per feed,
  fixed), then takes a measured bottle of keto formula; the bottle is solved so that the whole
  day stays at the prescribed ratio and energy [1, 2].
* ``ebm``: expressed breast milk (EBM) is mixed into the formula: the EBM volume is fixed where
  the mother sets it, the formula is solved around it (preferred for its accuracy [1]).
* ``solids``: baby foods (SR28 food group "Baby Foods") introduced one a week, each at a small
  fixed portion, the formula re-solved around them so that every day stays at the prescribed
  ratio and energy; solids start at about 6 months [3].

In ``solids`` mode breast milk may be given too (``breast_milk_ml_per_feed``: mixed into the
formula, as ``ebm``). A solid is weighed in grams and eaten, not drunk: in the solved plan's
lines it is a weighed item without volume (a "powder" to the solver), and the family's sheet
shows it apart, as grams a day.

Every day is solved by :func:`spasmcare.keto.feeds.solve_feed` (formula-led: the formula at the
energy target, protein not held, checked against the age minimum with
:func:`spasmcare.keto.protein.check_protein` when weight and age are given).

What is sourced and what is a setting
-------------------------------------
Sourced: the compositions (breast milk: USDA SR28 NDB 01107 "Milk, human, mature, fluid",
per 100 g fat 4.38, protein 1.03, carbohydrate 6.89 g, its density from SR28's own household
measure 1 fl oz = 30.8 g [4]; formulas and modules from the specialty table with their
sources; baby foods from SR28 [4]); the modes themselves [1, 2]; solids from about 6 months [3].
Software settings, **not from a source** (clinic settings with named defaults, every result
lists them): the starting portion of each solid (:data:`DEFAULT_SOLID_PORTION_G_PER_DAY`) and
the number of weeks of the plan (:data:`DEFAULT_SOLID_WEEKS`).

When the mother's volume cannot fit
-----------------------------------
At ratio R:1 and E kcal a day, a day holds E / (9R + 4) g of protein plus carbohydrate (one
dietary unit is R g fat + 1 g protein and carbohydrate, 9R + 4 kcal [5]). Breast milk brings
about 0.08 g of protein and carbohydrate per mL (01107), so too much of it leaves no room for
the prescription. An unsolved day says so with the numbers, and the largest breast-milk volume
(or solid portion) found that does solve, by solving again (as :mod:`spasmcare.keto.advice`
does; with weight and age given, its protein must also reach the minimum for age), plus the
verified changes of :func:`spasmcare.keto.advice.feed_changes`. The search tries at most
:data:`MAX_SEARCH_SOLVES` amounts downward from the allowance (a software setting).

References
----------
1. spasmcare facts file ``shared/reference/care-pathway.md`` §5: breastfeeding need not stop;
   nursing followed by a measured bottle of 4:1 keto formula (Pfeifer & Thiele), or expressed
   breast milk mixed into the formula, preferred for its accuracy (Thompson) [SECONDARY].
2. ``shared/reference/keto-therapy.md`` §2.2: breast milk can be kept, ketosis reached
   (Dressler et al., Breastfeed Med 2020;15(2):72-78); human milk about 50 % of energy from fat,
   40 % carbohydrate, 10 % protein (Thompson, Keto News 2021) [S].
3. ``shared/reference/care-pathway.md`` §5: solids start at about 6 months (AAP); Matthew's
   Friends "Weaning on the keto diet" booklet (paper) [SECONDARY].
4. U.S. Department of Agriculture, Agricultural Research Service. USDA National Nutrient
   Database for Standard Reference, Release 28 (2016): NDB 01107 and food group 0300
   "Baby Foods".
5. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", pp.
   E-15-E-16 (a dietary unit: 9R + 4 kcal).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.keto.advice import feed_changes
from spasmcare.keto.ages import check_age_months
from spasmcare.keto.analysis import FoodLike, liquid_ready, macros_per_gram
from spasmcare.keto.feeds import (
    FeedIngredient,
    FeedPlan,
    FeedTarget,
    Kind,
    formula_led_protein_check,
    solve_feed,
)
from spasmcare.keto.ratio import DEFAULT_CARBS, CarbBasis, kcal_per_dietary_unit
from spasmcare.keto.solver import Tolerances
from spasmcare.plain import day_text

Mode = Literal["breastfeed", "ebm", "solids"]
MODES: tuple[Mode, ...] = ("breastfeed", "ebm", "solids")

#: SR28 NDB number of "Milk, human, mature, fluid" [4].
BREAST_MILK_ID = "01107"
#: SR28 food group of the solids offered [4].
BABY_FOODS_GROUP = "Baby Foods"
#: Age from which solids are usually started [months] [3].
SOLIDS_FROM_AGE_MONTHS = 6.0

#: Software setting, NOT from a source: grams a day of each newly introduced solid.
DEFAULT_SOLID_PORTION_G_PER_DAY = 10.0
#: Software setting, NOT from a source: weeks in a solids plan (one new food a week).
DEFAULT_SOLID_WEEKS = 4

#: What a family's sheet and the planner cite (the References above, in words: the project's
#: own facts files are named in the docstring, never on a page people read).
SOURCES = (
    "Breastfeeds followed by a measured bottle of 4:1 keto formula (Pfeifer & Thiele) or "
    "expressed breast milk mixed into the formula (Thompson); solids from about 6 months "
    "(AAP); Matthew's Friends weaning booklet",
    "Breast milk kept on the diet (Dressler et al., Breastfeed Med 2020;15(2):72-78)",
    "USDA SR28 NDB 01107 'Milk, human, mature, fluid' (breast milk composition and density); "
    "SR28 food group 'Baby Foods' (solids)",
)


@dataclass(frozen=True)
class FeedingRequest:
    """One infant's feeding mode and prescription.

    ``volume_ml`` is the day's fluid: breast milk plus bottles (``breastfeed``, ``ebm``) or
    the formula's (``solids``); ``breast_milk_ml_per_feed`` is the mother's volume (fixed).
    """

    mode: Mode
    ratio: float
    kcal: float
    volume_ml: float
    feeds: int
    formula: tuple[tuple[FoodLike, Kind], ...]
    breast_milk_ml_per_feed: float = 0.0
    solids: tuple[FoodLike, ...] = ()
    solid_portion_g_per_day: float = DEFAULT_SOLID_PORTION_G_PER_DAY
    weeks: int | None = None
    weight_kg: float | None = None
    age_months: float | None = None
    start: date | None = None  # first day of week 1 of solids (optional)

    def check(self) -> None:
        if self.age_months is not None:
            check_age_months(self.age_months)
        if self.mode not in MODES:
            raise InputError("mode", self.mode, "one of " + ", ".join(MODES))
        if not self.formula:
            raise InputError("--formula", "(none)", "at least one formula or module")
        bm = self.breast_milk_ml_per_feed
        if not (math.isfinite(bm) and bm >= 0 and float(bm).is_integer()):
            raise InputError("--breast-milk-ml", bm, "whole mL per feed, 0 or more")
        if self.mode in ("breastfeed", "ebm") and bm <= 0:
            raise InputError("--breast-milk-ml", bm, f"mL of breast milk per feed ({self.mode})")
        if bm * self.feeds > self.volume_ml:
            raise InputError(
                "--breast-milk-ml",
                bm,
                f"at most {self.volume_ml / self.feeds:g} mL per feed (the day's volume ÷ feeds)",
            )
        if self.mode == "solids":
            self._check_solids()

    def _check_solids(self) -> None:
        if not self.solids:
            raise InputError("--solid", "(none)", "at least one baby food (SR28 'Baby Foods')")
        for food in self.solids:
            if getattr(food, "group", None) != BABY_FOODS_GROUP:
                raise InputError("--solid", food.id, "a food of the SR28 group 'Baby Foods'")
        p = self.solid_portion_g_per_day
        if not (math.isfinite(p) and 1 <= p <= 200 and float(p).is_integer()):
            raise InputError("--solid-portion-g", p, "whole grams a day from 1 to 200")
        weeks = self.n_weeks
        if not 1 <= weeks <= len(self.solids):
            raise InputError(
                "--weeks", weeks, f"1 to {len(self.solids)} (one new --solid food a week)"
            )

    @property
    def n_weeks(self) -> int:
        return self.weeks if self.weeks is not None else min(DEFAULT_SOLID_WEEKS, len(self.solids))


def allowance_g(ratio: float, kcal: float) -> tuple[float, float]:
    """(fat, protein + carbohydrate) [g/day] of a day at ``ratio``:1 and ``kcal`` [5]."""
    units = kcal / kcal_per_dietary_unit(ratio)
    return ratio * units, units


def _pc_per_unit(food: FoodLike, unit: str, carbs: CarbBasis) -> float:
    """Protein + carbohydrate [g] per g or mL of a food (carbohydrate on ``carbs``)."""
    per_unit = macros_per_gram(food, carbs, unit)
    return per_unit.protein + per_unit.carb


def _solve(
    req: FeedingRequest,
    bm_ml_per_feed: float,
    solids: Sequence[tuple[FoodLike, float]],
    carbs: CarbBasis,
    tol: Tolerances,
) -> tuple[FeedPlan, list[FeedIngredient], FeedTarget]:
    ings = [FeedIngredient(food, kind) for food, kind in req.formula]
    if bm_ml_per_feed > 0:
        milk_ml = bm_ml_per_feed * req.feeds
        ings.append(FeedIngredient(_breast_milk(), "liquid", fixed_per_day=milk_ml))
    # A solid is weighed in grams and not drunk: a zero-volume "powder" of the solver.
    ings += [FeedIngredient(food, "powder", fixed_per_day=grams) for food, grams in solids]
    target = FeedTarget(req.ratio, req.kcal, req.volume_ml, req.feeds, None)
    return solve_feed(ings, target, tolerances=tol, carbs=carbs), ings, target


def _breast_milk() -> FoodLike:
    from spasmcare.foods import default_table

    return default_table().get(BREAST_MILK_ID, "--breast-milk-ml")


#: The most solves spent looking for the largest volume or portion that fits (software setting).
MAX_SEARCH_SOLVES = 30


def _largest(fits: Any, high: int) -> int | None:
    """The largest whole n in [1, high] found with ``fits(n)``, trying n downward from ``high``
    (every n while there are at most :data:`MAX_SEARCH_SOLVES`, else an even grid of that
    many); None when none fits. Every answer is verified by ``fits`` itself."""
    if high < 1:
        return None
    step = max(1, math.ceil(high / MAX_SEARCH_SOLVES))
    for n in range(high, 0, -step):
        if fits(n):
            return n
    return None


def _fits(req: FeedingRequest, plan: FeedPlan) -> bool:
    """A plan solved and, when weight and age are known, with protein at the age minimum."""
    if not plan.solved or plan.day_analysis is None:
        return False
    check = formula_led_protein_check(plan, req.weight_kg, req.age_months)
    return check is None or check.status == "pass"


def _problem(
    req: FeedingRequest,
    plan: FeedPlan,
    ings: list[FeedIngredient],
    target: FeedTarget,
    solids: Sequence[tuple[FoodLike, float]],
    carbs: CarbBasis,
    tol: Tolerances,
) -> dict[str, Any]:
    """Why a day does not solve, with the numbers, and what would (each verified)."""
    fat_g, pc_g = allowance_g(req.ratio, req.kcal)
    bm = req.breast_milk_ml_per_feed
    bm_pc = 0.0
    if bm > 0:
        milk, _ = liquid_ready(_breast_milk(), None)
        bm_pc = _pc_per_unit(milk, "ml", carbs) * bm * req.feeds
    solids_pc = sum(_pc_per_unit(f, "g", carbs) * g for f, g in solids)
    words = (
        f"the prescription ({req.ratio:g}:1, {req.kcal:g} kcal a day) allows {pc_g:.1f} g of "
        f"protein + carbohydrate and {fat_g:.1f} g fat a day"
    )
    if bm > 0:
        words += f"; breast milk {bm * req.feeds:g} mL a day brings {bm_pc:.1f} g"
        if bm_pc > pc_g:
            words += ", more than the whole day allows"
    if solids:
        words += f"; the solids bring {solids_pc:.1f} g"
        if solids_pc > pc_g:
            words += ", more than the whole day allows"
    out: dict[str, Any] = {
        "reason": plan.reason,
        "binding": plan.binding,
        "allowance_fat_g": fat_g,
        "allowance_protein_carb_g": pc_g,
        "breast_milk_protein_carb_g": bm_pc,
        "solids_protein_carb_g": solids_pc,
        "words": words,
        "would_solve": [],
    }
    if bm > 0:
        milk_pc_per_feed = _pc_per_unit(milk, "ml", carbs) * req.feeds
        cap = min(int(bm) - 1, math.floor(pc_g / milk_pc_per_feed))
        best = _largest(lambda n: _fits(req, _solve(req, n, solids, carbs, tol)[0]), cap)
        if best is not None and best > 0:
            out["max_breast_milk_ml_per_feed"] = best
            out["would_solve"].append(
                f"breast milk at most {best} mL per feed ({best * req.feeds} mL a day)"
            )
    elif solids:
        food, grams = solids[-1]
        best = _largest(
            lambda g: _fits(req, _solve(req, 0, [*solids[:-1], (food, g)], carbs, tol)[0]),
            int(grams) - 1,
        )
        if best is not None and best > 0:
            out["max_new_solid_g_per_day"] = best
            out["would_solve"].append(f"{food.name} at most {best} g a day")
    for change in feed_changes(ings, target, tolerances=tol, carbs=carbs, limit=2):
        out["would_solve"].append(f"{change.change} (gives {change.to_dict()['gives']})")
    return out


def _day(
    req: FeedingRequest,
    label: str,
    solids: Sequence[tuple[FoodLike, float]],
    carbs: CarbBasis,
    tol: Tolerances,
) -> dict[str, Any]:
    plan, ings, target = _solve(req, req.breast_milk_ml_per_feed, solids, carbs, tol)
    day: dict[str, Any] = {
        "label": label,
        "status": plan.status,
        "plan": plan.to_dict(),
        "solids": [{"food_id": f.id, "name": f.name, "g_per_day": g} for f, g in solids],
        "protein_check": None,
        "problem": None,
    }
    if not plan.solved:
        day["problem"] = _problem(req, plan, ings, target, solids, carbs, tol)
    elif (check := formula_led_protein_check(plan, req.weight_kg, req.age_months)) is not None:
        day["protein_check"] = check.to_dict()
    return day


def plan_feeding(
    req: FeedingRequest,
    *,
    carbs: CarbBasis = DEFAULT_CARBS,
    tolerances: Tolerances | None = None,
) -> dict[str, Any]:
    """The days of a feeding mode, each solved (one day; one per week for ``solids``)."""
    req.check()
    tol = tolerances or Tolerances()
    warnings: list[str] = []
    days: list[dict[str, Any]] = []
    settings: dict[str, Any] = {}
    if req.mode == "solids":
        portion = req.solid_portion_g_per_day
        settings = {
            "solid_portion_g_per_day": portion,
            "weeks": req.n_weeks,
            "note": "software settings, not from a source: the clinic sets the starting "
            f"portion (default {DEFAULT_SOLID_PORTION_G_PER_DAY:g} g a day) and the weeks "
            f"(default {DEFAULT_SOLID_WEEKS})",
        }
        if req.age_months is not None and req.age_months < SOLIDS_FROM_AGE_MONTHS:
            warnings.append(
                f"age {req.age_months:g} months: solids usually start at about "
                f"{SOLIDS_FROM_AGE_MONTHS:g} months (AAP)"
            )
        for week in range(1, req.n_weeks + 1):
            solids = [(f, portion) for f in req.solids[:week]]
            label = f"week {week}"
            if req.start is not None:
                first = req.start + timedelta(weeks=week - 1)
                label += f" (from {day_text(first)} to {day_text(first + timedelta(days=6))})"
            day = _day(req, f"{label}: adds {req.solids[week - 1].name}", solids, carbs, tol)
            if req.start is not None:
                day["from"] = first
                day["to"] = first + timedelta(days=6)
            days.append(day)
    else:
        days.append(_day(req, "every day", [], carbs, tol))
    return {
        "mode": req.mode,
        "prescription": {
            "ratio": req.ratio,
            "kcal": req.kcal,
            "volume_ml": req.volume_ml,
            "feeds": req.feeds,
            "breast_milk_ml_per_feed": req.breast_milk_ml_per_feed,
            "carbs": carbs,
        },
        "settings": settings,
        "days": days,
        "solved": all(d["status"] == "solved" for d in days),
        "warnings": warnings,
        "sources": list(SOURCES),
    }
