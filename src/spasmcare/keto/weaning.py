"""A plan to come off the ketogenic diet: dated steps, each solved to a real meal, ketone checks.

Practice is "very variable and physician dependent" [1]; the sources give ranges, so each
schedule below is a *named default* with its source, and every number can be changed within
the range the source gives:

* ``after-1-year`` (classic diet, ≥ 1 year on it): ratio down 0.5 every 14 days — KetoHope:
  after ≥ 1 year wean over 3-6 months, ratio down 0.25-0.5 every 2-4 weeks [2]; the default
  takes the largest step at the shortest interval of those ranges.
* ``short-trial`` (classic diet after a short trial, e.g. an infant's 2-4-week trial): ratio
  down 0.5 every 3 days — early termination: ratio dropped every 3 days (NYU/Hopkins pages [3]);
  KetoHope: after 3-4 months stop over 1-2 weeks [2]; infants: back to normal feeding over
  1-2 weeks [4]. The step size is not given by these sources: 0.5 is KetoHope's upper step
  [2] (VERIFY). The plan warns when its length falls outside 1-2 weeks.
* ``mad-lgit`` (modified Atkins or low-GI diet): carbohydrate up 5 g a day per step every 14
  days — KetoHope: + 5-10 g carbohydrate a day per step [2]; interval as the classic 2-4
  weeks [2].

Where the weaning ends (the last ratio, or the last carbohydrate allowance before an ordinary
diet) is not given by any source here ("lowering the ratio until urinary ketosis disappears"
[5]): the caller gives it (``to_ratio`` / ``to_carb_g``), never a default.

Each step's day is solved to a real meal at its ratio (or carbohydrate) by the existing solver
(:func:`spasmcare.keto.solver.solve_meal`; the solver is not changed), the same meal for each of
the day's meals. A ketone check is dated on the last day of each step, before the next one
(software choice: the sources say ketones are followed while weaning but give no day).

If spasms return (:func:`replan`), the steps before the day stay as they were, and from that
day the diet goes back to the ratio of the step before the one in force; weaning stops there
until the team plans again — what to do on a relapse is a clinical decision the sources here
do not give (VERIFY).

References
----------
1. Epilepsy Foundation (epilepsy.com) 2011, "What to do when it's time to stop" (Hopkins):
   practice very variable; traditionally the ratio lowered every couple of months over 6-9
   months. SECONDARY.
2. KetoHope (ketohope.org), weaning: after 3-4 months on the diet stop over 1-2 weeks; after
   ≥ 1 year over 3-6 months, ratio down 0.25-0.5 every 2-4 weeks; MAD/LGIT + 5-10 g
   carbohydrate a day per step. SECONDARY.
3. NYU Langone epilepsy pages: wean over 2-6 months; early termination, ratio dropped every
   3 days. SECONDARY (project reference care-pathway.md §4).
4. Nutrition in Infancy vol. 2, ch. 3 "Ketogenic diet as treatment option for infants": trial
   may be 2-4 weeks; if ineffective, return to normal feeding over 1-2 weeks. SECONDARY.
5. Freeman 2007 as cited by Wikipedia "Ketogenic diet": wean over 2-3 months by lowering the
   ratio until urinary ketosis disappears. SECONDARY.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.keto.ratio import KCAL_PER_G_CARB, KCAL_PER_G_FAT, KCAL_PER_G_PROTEIN
from spasmcare.keto.solver import MealFood, MealSolution, MealTarget, meal_problem, solve_meal

Kind = Literal["ratio", "carb"]


@dataclass(frozen=True)
class Schedule:
    """A named default: step size, days between steps, the range its source allows, source."""

    name: str
    kind: Kind
    step: float  # ratio units down (kind ratio) or g carbohydrate a day up (kind carb)
    interval_days: int
    step_range: tuple[float, float]
    interval_range: tuple[int, int]
    source: str
    #: Total length [days] the source gives, to warn outside it (None: no warning).
    total_days: tuple[int, int] | None = None


SCHEDULES: dict[str, Schedule] = {
    "after-1-year": Schedule(
        "after-1-year",
        "ratio",
        0.5,
        14,
        (0.25, 0.5),
        (14, 28),
        "KetoHope: after ≥ 1 year, ratio down 0.25-0.5 every 2-4 weeks over 3-6 months [2]",
        (91, 183),
    ),
    "short-trial": Schedule(
        "short-trial",
        "ratio",
        0.5,
        3,
        (0.25, 0.5),
        (3, 7),
        "early termination: ratio dropped every 3 days (NYU/Hopkins [3]); stop over 1-2 weeks "
        "(KetoHope [2], infants [4]); step 0.5 from KetoHope's range (VERIFY)",
        (7, 14),
    ),
    "mad-lgit": Schedule(
        "mad-lgit",
        "carb",
        5.0,
        14,
        (5.0, 10.0),
        (14, 28),
        "KetoHope: MAD/LGIT + 5-10 g carbohydrate a day per step, every 2-4 weeks [2]",
    ),
}


@dataclass(frozen=True)
class WeaningRequest:
    """What a plan is made from. ``start``/``to`` are ratios (kind ratio) or g carbohydrate a
    day (kind carb); ``kcal`` and ``protein_g`` are the day's targets, split over ``meals``."""

    schedule: str
    start_day: date
    start: float
    to: float
    kcal: float
    protein_g: float
    meals: int = 3
    step: float | None = None
    interval_days: int | None = None

    def resolved(self) -> Schedule:
        if self.schedule not in SCHEDULES:
            raise InputError("--schedule", self.schedule, "one of " + ", ".join(SCHEDULES))
        s = SCHEDULES[self.schedule]
        step = s.step if self.step is None else self.step
        interval = s.interval_days if self.interval_days is None else self.interval_days
        lo, hi = s.step_range
        if not (math.isfinite(step) and lo <= step <= hi):
            raise InputError("--step", step, f"for {s.name}: from {lo:g} to {hi:g} [source range]")
        ilo, ihi = s.interval_range
        if not (isinstance(interval, int) and ilo <= interval <= ihi):
            raise InputError("--interval-days", interval, f"for {s.name}: {ilo} to {ihi} days")
        return replace(s, step=step, interval_days=interval)

    def check(self, s: Schedule) -> None:
        for name, v in (("--kcal", self.kcal), ("--protein-g", self.protein_g)):
            if not (math.isfinite(v) and v > 0):
                raise InputError(name, v, "a positive number")
        if not (isinstance(self.meals, int) and 1 <= self.meals <= 8):
            raise InputError("--meals", self.meals, "1 to 8 meals a day")
        if s.kind == "ratio":
            if not (math.isfinite(self.start) and 0.5 <= self.start <= 6):
                raise InputError("--from", self.start, "a ratio from 0.5 to 6")
            if not (math.isfinite(self.to) and 0 < self.to < self.start):
                raise InputError("--to", self.to, f"a ratio above 0 and below {self.start:g}")
        else:
            if not (math.isfinite(self.start) and 0 < self.start <= 200):
                raise InputError("--from", self.start, "carbohydrate from above 0 to 200 g a day")
            if not (math.isfinite(self.to) and self.start < self.to <= 300):
                raise InputError("--to", self.to, f"more than {self.start:g} g, at most 300 g")


def step_values(start: float, to: float, step: float, kind: Kind) -> list[float]:
    """The ratio (or carbohydrate) of each step after the current one, the last one ``to``."""
    values: list[float] = []
    n = 1
    while True:
        v = start - n * step if kind == "ratio" else start + n * step
        if (kind == "ratio" and v <= to + 1e-9) or (kind == "carb" and v >= to - 1e-9):
            values.append(to)
            return values
        values.append(v)
        n += 1


def _meal_target(kind: Kind, value: float, kcal: float, protein_g: float) -> MealTarget:
    """One meal's target: a ratio with energy and protein, or (MAD/LGIT) carbohydrate grams with
    energy and protein, fat making up the energy (9/4/4)."""
    if kind == "ratio":
        return MealTarget(ratio=value, kcal=kcal, protein_g=protein_g)
    fat_g = (kcal - KCAL_PER_G_PROTEIN * protein_g - KCAL_PER_G_CARB * value) / KCAL_PER_G_FAT
    if fat_g <= 0:
        raise InputError("--kcal", kcal, "enough energy for the protein and carbohydrate of a step")
    return MealTarget.from_macros(fat_g, protein_g, value)


def plan_weaning(request: WeaningRequest, foods: Sequence[MealFood]) -> dict[str, Any]:
    """The dated steps of the plan, each with its meal solved and a ketone check."""
    s = request.resolved()
    request.check(s)
    values = step_values(request.start, request.to, s.step, s.kind)
    per_kcal = request.kcal / request.meals
    per_protein = request.protein_g / request.meals
    steps = []
    for i, value in enumerate(values):
        first = request.start_day + timedelta(days=i * s.interval_days)
        last = first + timedelta(days=s.interval_days - 1)
        meal_value = value / request.meals if s.kind == "carb" else value
        target = _meal_target(s.kind, meal_value, per_kcal, per_protein)
        solution = solve_meal(meal_problem(list(foods), target))
        steps.append(_step(i + 1, s.kind, value, first, last, request.meals, solution))
    end = steps[-1]["last_day"]
    warnings = []
    length = (end - request.start_day).days + 1
    if s.total_days and not (s.total_days[0] <= length <= s.total_days[1]):
        warnings.append(
            f"the plan takes {length} days; the source gives {s.total_days[0]}-"
            f"{s.total_days[1]} days ({s.source})"
        )
    if any(st["meal"]["status"] != "solved" for st in steps):
        warnings.append("a step has no meal at its target with these foods: see its reason")
    return {
        "schedule": s.name,
        "kind": s.kind,
        "step": s.step,
        "interval_days": s.interval_days,
        "from": request.start,
        "to": request.to,
        "start_day": request.start_day,
        "end_day": end,
        "meals_per_day": request.meals,
        "kcal": request.kcal,
        "protein_g": request.protein_g,
        "steps": steps,
        "source": s.source,
        "warnings": warnings,
        "replanned": None,
    }


def _step(
    number: int,
    kind: Kind,
    value: float,
    first: date,
    last: date,
    meals: int,
    solution: MealSolution,
) -> dict[str, Any]:
    what = f"ratio {value:g}:1" if kind == "ratio" else f"{value:g} g carbohydrate a day"
    return {
        "step": number,
        "first_day": first,
        "last_day": last,
        "ratio": value if kind == "ratio" else None,
        "carb_g_per_day": value if kind == "carb" else None,
        "what": what,
        "meal": solution.to_dict(),
        "meals_per_day": meals,
        "ketone_check": {
            "day": last,
            "what": "check ketones (blood or urine) before the next step",
        },
    }


def replan(plan: dict[str, Any], return_day: date) -> dict[str, Any]:
    """The plan re-planned because spasms returned on ``return_day`` (pure): the steps before
    the one in force on that day kept, the one in force cut at the day before, and from
    ``return_day`` the previous step's ratio (or carbohydrate; the starting one when the first
    step was in force) with its meal, with no further steps until the team plans again."""
    steps = plan["steps"]
    if return_day <= plan["start_day"]:
        raise InputError("--spasms-returned", return_day.isoformat(), f"after {plan['start_day']}")
    kind = plan["kind"]
    in_force = max(i for i, st in enumerate(steps) if st["first_day"] < return_day)
    kept = steps[:in_force]
    current = steps[in_force]
    kept.append({**current, "last_day": return_day - timedelta(days=1), "ketone_check": None})
    previous = steps[in_force - 1] if in_force > 0 else None
    back_to = plan["from"] if previous is None else _value(previous, kind)
    what = f"back to ratio {back_to:g}:1" if kind == "ratio" else f"back to {back_to:g} g a day"
    held = {
        "step": current["step"] + 1,
        "first_day": return_day,
        "last_day": None,
        "ratio": back_to if kind == "ratio" else None,
        "carb_g_per_day": back_to if kind == "carb" else None,
        "what": what + ": weaning paused until the team plans again",
        "meal": None if previous is None else previous["meal"],
        "meals_per_day": plan["meals_per_day"],
        "ketone_check": None,
    }
    return {
        **plan,
        "steps": [*kept, held],
        "end_day": None,
        "replanned": {
            "spasms_returned": return_day,
            "back_to": back_to,
            "rule": "the previous step's ratio from the day spasms returned; weaning paused "
            "until the team plans again (no source gives the rule: VERIFY)",
        },
    }


def _value(step: dict[str, Any], kind: str) -> float:
    v = step["ratio"] if kind == "ratio" else step["carb_g_per_day"]
    return float(v)
