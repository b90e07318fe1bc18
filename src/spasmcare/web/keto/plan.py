"""A keto plan computed over the planner's state: the prescription worked out, each meal
checked (or solved) against its target, the infant feed, the gradual start and the day's
micronutrients, all by :mod:`spasmcare.keto` over the food table of :mod:`spasmcare.foods`.

The planner views (:mod:`spasmcare.web.keto.views`), the family's printouts and today's
medicines, and the demonstration plans (:mod:`spasmcare.web.operations.demo_keto`) all compute a
plan here;
a view only reads the form and renders what this returns. A meal is shown as "verified by the
solver" only when its amounts meet the ratio, energy and protein tolerances by the domain's own
check (:func:`spasmcare.keto.solver.violations`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spasmcare.errors import InputError
from spasmcare.foods import Food, FoodTable, default_table
from spasmcare.keto.advice import meal_changes
from spasmcare.keto.analysis import Portion, analyze
from spasmcare.keto.completeness import assess
from spasmcare.keto.feeds import FeedPlan
from spasmcare.keto.initiation import initiation_for
from spasmcare.keto.menus import substitutes
from spasmcare.keto.portions import default_rules, swap_family, unsuitable_for_age
from spasmcare.keto.prescription import Prescription
from spasmcare.keto.solver import (
    MealFood,
    MealSolution,
    MealTarget,
    diagnosis,
    meal_problem,
    solve_meal,
    swap_and_resolve,
    violations,
)
from spasmcare.web.clinic import records
from spasmcare.web.clinic.forms import error_text, show_error
from spasmcare.web.clinic.models import Entry
from spasmcare.web.keto.common import TOLERANCES, meal_targets
from spasmcare.web.keto.feed import feed_day_data, feed_result
from spasmcare.web.keto.forms import (
    FeedState,
    MealState,
    PrescriptionForm,
    build_prescription,
    default_inputs,
    feed_from_data,
    fit_meals,
    meal_from_data,
    medications_of,
    supplements_of,
)

# --- meals ------------------------------------------------------------------------------------


def _food(table: FoodTable, food_id: str, field_name: str = "food") -> Food:
    return table.get(food_id, field_name)


def lookup(table: FoodTable, text: str) -> Food | None:
    """The food of ``text`` (an id), or None when the table has no such food."""
    try:
        return table.get(text)
    except InputError:
        return None


def _row(food: Food | None, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "food": item["food"],
        "name": food.name if food is not None else f"unknown food {item['food']}",
        "grams": item["grams"],
        "locked": bool(item["locked"]),
        "fat_g": None,
        "protein_g": None,
        "carb_g": None,
        "kcal": None,
        "verify": getattr(food, "verify", None),
    }


def _fill(rows: list[dict[str, Any]], analysis: Any) -> None:
    by_id = {i.food_id: i for i in analysis.items}
    for row in rows:
        item = by_id.get(row["food"])
        if item is None:
            continue
        row.update(fat_g=item.fat_g, protein_g=item.protein_g, carb_g=item.carb_g, kcal=item.kcal)


#: Replacements offered beside each food of a meal ("Swap for…"); a software setting.
SWAP_CHOICES = 5


def meal_result(
    table: FoodTable,
    meal: MealState,
    target: MealTarget | None,
    *,
    resolution: float,
    carbs: Any,
    solve: bool,
    age_months: float | None = None,
) -> dict[str, Any]:
    """:func:`_meal_result`, each row also offering its nearest replacements for a swap (in the
    food's swap family, none unsuitable at the child's age)."""
    out = _meal_result(
        table, meal, target, resolution=resolution, carbs=carbs, solve=solve, age_months=age_months
    )
    in_meal = {r["food"] for r in out["rows"]}
    pool: list[Food] | None = None
    shared = table.is_packaged()  # its swaps are the same for everyone
    for row in out["rows"]:
        food = lookup(table, row["food"])
        if food is None:
            row["alternatives"] = []
            continue
        limit = SWAP_CHOICES + len(in_meal)
        if shared:
            near = [table.get(fid) for fid in _packaged_swaps(food.id, limit)]
        else:
            pool = pool if pool is not None else list(table)
            near = substitutes(food, _swap_pool(food, pool), limit)
        row["alternatives"] = [
            {"food": f.id, "name": f.name}
            for f in near
            if f.id not in in_meal and unsuitable_for_age(f, age_months) is None
        ][:SWAP_CHOICES]
    return out


@lru_cache(maxsize=4096)
def _packaged_swaps(food_id: str, limit: int) -> tuple[str, ...]:
    """The nearest replacements of a food of the packaged table (it never changes while the
    app runs, so each food's list is worked out once per process, not on every re-solve)."""
    table = default_table()
    food = table.get(food_id)
    return tuple(f.id for f in substitutes(food, _swap_pool(food, list(table)), limit))


def _swap_pool(food: Any, pool: list[Any]) -> list[Any]:
    """A food of a category is swapped only for everyday foods (no beef tallow for butter, no
    brain for an egg); a food outside every category for any food of its group."""
    if swap_family(food) is None:
        return pool
    everyday = default_rules().everyday_ids()
    return [f for f in pool if f.id in everyday]


def _meal_result(
    table: FoodTable,
    meal: MealState,
    target: MealTarget | None,
    *,
    resolution: float,
    carbs: Any,
    solve: bool,
    age_months: float | None = None,
) -> dict[str, Any]:
    """The meal checked (``solve=False``) or solved: rows, totals, status and reason.

    A food unsuitable at the child's age (:func:`spasmcare.keto.portions.unsuitable_for_age`:
    raw egg, honey, whole nuts for an infant) stops the meal with the reason and its source.

    Solving keeps locked amounts fixed and the other foods near their current grams (the
    solver's anchors); a swap re-solves through :func:`swap_and_resolve`, which moves the other
    foods least.
    """
    out: dict[str, Any] = {
        "name": meal.name,
        "status": "empty",
        "verified": False,
        "reason": None,
        "note": meal.error,
        "rows": [],
        "totals": None,
        "target": None if target is None else target.to_dict(),
        "warnings": [],
        "solved_now": False,
    }
    foods: dict[str, Food] = {}
    for item in meal.items:
        try:
            foods[item["food"]] = _food(table, item["food"])
        except InputError as exc:
            out["status"], out["reason"] = "error", error_text(exc)
        out["rows"].append(_row(foods.get(item["food"]), item))
    for food in foods.values():
        flag = unsuitable_for_age(food, age_months)
        if flag is not None:
            out["status"] = "error"
            out["reason"] = f"{food.name} is not for this child: {flag.words()}; remove it"
    if not meal.items or out["status"] == "error":
        return out
    if target is None:
        # no per-meal ratio target (modified Atkins): analyse what is there
        portions = [
            Portion(foods[i["food"]], i["grams"]) for i in meal.items if i["grams"] is not None
        ]
        if portions:
            analysis = analyze(portions, carbs)
            _fill(out["rows"], analysis)
            out["totals"] = analysis.totals()
            out["warnings"] = list(analysis.warnings)
        out["status"] = "no target"
        return out
    missing = [i for i in meal.items if i["grams"] is None]
    if solve or missing:
        return _solved(table, meal, foods, target, out, resolution, carbs, age_months)
    portions = [Portion(foods[i["food"]], i["grams"]) for i in meal.items]
    analysis = analyze(portions, carbs)
    _fill(out["rows"], analysis)
    out["totals"] = analysis.totals()
    out["warnings"] = list(analysis.warnings)
    broken = violations(analysis, target, TOLERANCES)
    out["verified"] = not broken
    out["status"] = "verified" if not broken else "not verified"
    out["reason"] = "; ".join(broken) or None
    return out


def _solved(
    table: FoodTable,
    meal: MealState,
    foods: dict[str, Food],
    target: MealTarget,
    out: dict[str, Any],
    resolution: float,
    carbs: Any,
    age_months: float | None = None,
) -> dict[str, Any]:
    meal_foods: list[MealFood] = []
    anchors: dict[str, float] = {}
    for item in meal.items:
        food = foods[item["food"]]
        if item["locked"]:
            if item["grams"] is None:
                out["status"] = "error"
                out["reason"] = f"{food.name}: a locked food needs an amount in grams"
                return out
            meal_foods.append(MealFood(food, fixed_amount=item["grams"]))
        else:
            # a portion a dietitian would serve: the category's limits (software defaults a
            # clinic edits), or the food left out (0 g, shown)
            limits = default_rules().limits(food)
            low, high = limits if limits is not None else (None, None)
            meal_foods.append(MealFood(food, min_amount=low, max_amount=high))
            if item["grams"]:
                anchors[food.id] = item["grams"]
    try:
        if meal.swap is not None:
            old, new = meal.swap
            new_food = _food(table, new, "swap")
            amounts = {i["food"]: i["grams"] or 0.0 for i in meal.items}
            solution = swap_and_resolve(
                meal_foods,
                amounts,
                old,
                new_food,
                target,
                TOLERANCES,
                resolution,
                carbs,
                new_limits=default_rules().limits(new_food) or (None, None),
            )
            out["rows"] = [
                _row(new_food, {"food": new, "grams": None, "locked": False})
                if r["food"] == old
                else r
                for r in out["rows"]
            ]
        else:
            problem = meal_problem(
                meal_foods,
                target,
                TOLERANCES,
                resolution,
                carbs,
                anchors=anchors or None,
                anchor_weights={k: 1.0 for k in anchors} or None,
            )
            solution = solve_meal(problem)
            if not solution.solved:
                out = _from_solution(out, solution)
                out["reason"] = _meal_advice(table, problem, solution, age_months)
                return out
    except InputError as exc:
        out["status"], out["reason"] = "error", error_text(exc)
        return out
    return _from_solution(out, solution)


#: Everyday foods offered to an unsolved meal (a fat, cream, a protein food, a fruit and a
#: vegetable), each tried by solving the meal again with it (spasmcare.keto.advice).
MEAL_CANDIDATES = ("01001", "04053", "01053", "01129", "01009", "09316", "11091")
#: Solves tried to find changes for one unsolved meal (bounds the page's time).
MEAL_ADVICE_TRIALS = 12


def _meal_advice(
    table: FoodTable, problem: Any, solution: MealSolution, age_months: float | None
) -> str:
    """What binds, then only the changes verified to solve the meal."""
    rules = default_rules()
    extra = []
    for food_id in MEAL_CANDIDATES:
        if food_id in table and unsuitable_for_age(table.get(food_id), age_months) is None:
            food = table.get(food_id)
            low, high = rules.limits(food) or (None, None)
            extra.append(MealFood(food, min_amount=low, max_amount=high))
    changes = meal_changes(problem, extra, max_trials=MEAL_ADVICE_TRIALS)
    said = diagnosis(solution.reason or "no amounts meet every tolerance")
    if changes:
        return said + ". Changes that solve (each tried): " + "; ".join(c.words() for c in changes)
    return said + (
        ". None of the changes tried solves it (finer steps, unlocking, smaller portions, "
        "adding an everyday fat, protein, fruit or vegetable): change the foods"
    )


def _from_solution(out: dict[str, Any], solution: MealSolution) -> dict[str, Any]:
    out["solved_now"] = True
    out["warnings"] = list(solution.warnings)
    if not solution.solved or solution.analysis is None:
        out["status"], out["reason"] = "infeasible", solution.reason
        for row in out["rows"]:
            if not row["locked"]:
                row["grams"] = None
        return out
    grams = {i.food_id: i.grams for i in solution.items}
    for row in out["rows"]:
        row["grams"] = grams.get(row["food"], 0.0)
    _fill(out["rows"], solution.analysis)
    out["totals"] = solution.analysis.totals()
    out["status"], out["verified"], out["reason"] = "solved", True, None
    return out


# --- feed -------------------------------------------------------------------------------------


# --- the whole plan ---------------------------------------------------------------------------


#: How a meal's status reads in a refusal ("meal 2 is not verified ...").
MEAL_STATUS_WORDS = {
    "not verified": "no longer meets its target",
    "infeasible": "has no solution",
    "error": "cannot be solved",
    "waiting": "waits for the prescription",
}

#: Said beside a meal solved again because its target moved (medicines, prescription).
MOVED_NOTE = (
    "solved again: its target changed since these amounts were set (for example the medicines' "
    "carbohydrate): check the new amounts"
)


@dataclass
class Plan:
    """Everything the planner page (or a printout) shows, computed by the domain."""

    form: PrescriptionForm
    rx: Prescription | None = None
    meals: list[dict[str, Any]] = field(default_factory=list)
    states: list[MealState] = field(default_factory=list)
    feed: dict[str, Any] = field(default_factory=dict)
    feed_state: FeedState = field(default_factory=FeedState)
    feed_plan: FeedPlan | None = None
    initiation: dict[str, Any] | None = None
    budget: dict[str, Any] | None = None
    completeness: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def saveable(self) -> bool:
        return (
            self.rx is not None
            and not self.errors
            and all(m["status"] in ("empty", "verified", "solved", "no target") for m in self.meals)
            and self.feed["status"] in ("empty", "solved")
            and not self.feed.get("violations")
        )

    def blockers(self) -> list[str]:
        """What stops a save, each naming its meal (or the feed), in words."""
        out = list(self.errors)
        if self.rx is None and not out:
            out.append("the prescription is not complete")
        for m in self.meals:
            if m["status"] in ("empty", "verified", "solved", "no target"):
                continue
            said = MEAL_STATUS_WORDS.get(m["status"], m["status"])
            out.append(f"{m['name']} {said}" + (f" ({m['reason']})" if m.get("reason") else ""))
        if self.feed and self.feed.get("status") not in ("empty", "solved", None):
            out.append(f"the infant feed has no solution ({self.feed.get('reason')})")
        elif self.feed and self.feed.get("violations"):
            out.append("the infant feed does not meet the prescription")
        return out


def compute(
    inputs: dict[str, Any],
    states: list[MealState],
    feed: FeedState,
    *,
    solve: bool,
    table: FoodTable | None = None,
    assess_day: bool = True,
) -> Plan:
    """Run the domain over the planner's state. ``solve``: re-solve meals that need it."""
    table = table or default_table()
    form = PrescriptionForm(data=inputs)
    plan = Plan(form=form, states=states, feed_state=feed)
    rx = None
    if form.is_valid():
        c = form.cleaned_data
        try:
            rx = build_prescription(c)
        except InputError as exc:
            show_error(form, exc)
    plan.rx = rx
    targets: list[MealTarget | None] = []
    if rx is not None:
        c = form.cleaned_data
        try:
            targets, budget, share = meal_targets(rx, medications_of(c))
            if budget is not None:
                plan.budget = budget.to_dict() | {"per_meal": share}
        except InputError as exc:
            show_error(form, exc)
            targets = [None] * len(rx.per_meal)
        states = fit_meals(states, [m.name for m in rx.per_meal])
        plan.states = states
        if rx.diet == "classic":
            try:
                days, sources = initiation_for(rx, c["initiation"], c["days_per_step"])
                plan.initiation = {"days": [d.to_dict() for d in days], "sources": sources}
            except InputError as exc:
                show_error(form, exc)
        resolution, carbs = c["resolution"], rx.carbs
        for meal, target in zip(states, targets, strict=True):
            needs = solve and (meal.force or meal.swap is not None)
            age = rx.patient.get("age_months")
            result = meal_result(
                table, meal, target, resolution=resolution, carbs=carbs, solve=needs, age_months=age
            )
            if solve and not needs and result["status"] == "not verified":
                result = meal_result(
                    table,
                    meal,
                    target,
                    resolution=resolution,
                    carbs=carbs,
                    solve=True,
                    age_months=age,
                )
                result["note"] = MOVED_NOTE
                result["moved"] = True
            plan.meals.append(result)
        plan.feed, plan.feed_plan = feed_result(
            table, feed, rx, resolution, c.get("protein_max_g_per_kg")
        )
        if assess_day:
            plan.completeness = _completeness(table, plan, c)
    else:
        # keep the meals on the page (and in the next post) until the prescription reads
        for meal in states:
            rows = [_row(lookup(table, i["food"]), i) for i in meal.items]
            plan.meals.append(
                {
                    "name": meal.name,
                    "status": "waiting",
                    "rows": rows,
                    "totals": None,
                    "target": None,
                    "reason": None,
                    "note": meal.error,
                    "warnings": [],
                    "verified": False,
                }
            )
        plan.feed = {"status": "empty", "reason": None, "plan": None}
    if form.errors:
        plan.errors.append(prescription_problem(form))
    return plan


def prescription_problem(form: PrescriptionForm) -> str:
    """One line naming every field that needs attention, by its label (never a code name)."""
    names = [
        str(form.fields[name].label or name.replace("_", " ").capitalize()).split(" [")[0]
        for name in form.errors
        if name in form.fields
    ]
    if not names:
        return "The prescription cannot be worked out yet: see the message above the fields."
    return "To work out the prescription, fill in or correct: " + ", ".join(names) + "."


def _completeness(table: FoodTable, plan: Plan, c: dict[str, Any]) -> list[dict[str, Any]]:
    """Micronutrients of the day of meals and of the day of feeds against the DRI for age."""
    out: list[dict[str, Any]] = []
    try:
        supplements = supplements_of(c)
    except InputError as exc:
        show_error(plan.form, exc)
        return []
    days: list[tuple[str, Any]] = []
    portions = [
        Portion(table.get(row["food"]), row["grams"])
        for meal in plan.meals
        if meal["status"] in ("verified", "solved", "no target")
        for row in meal["rows"]
        if row["grams"]
    ]
    if portions and plan.rx is not None:
        days.append(("the day of meals", analyze(portions, plan.rx.carbs).micronutrients))
    if plan.feed_plan is not None and plan.feed_plan.day_analysis is not None:
        days.append(("the day of feeds", plan.feed_plan.day_analysis.micronutrients))
    for label, micronutrients in days:
        try:
            report = assess(
                micronutrients,
                c["age_months"],
                supplements,
                stone_risk=bool(c.get("stone_risk")),
                cannot_chew=bool(c.get("cannot_chew")),
            )
        except InputError as exc:
            out.append({"label": label, "error": error_text(exc)})
            continue
        out.append({"label": label, "report": report.to_dict()})
    return out


def state_from_entry(entry: Entry) -> tuple[dict[str, Any], list[MealState], FeedState]:
    """A saved keto plan's inputs, meals and feed (read back, not solved again)."""
    data = entry.data
    inputs = default_inputs() | dict(data.get("prescription") or {})
    meals = []
    for k, m in enumerate(data.get("meals") or []):
        try:
            meals.append(meal_from_data(m, f"meal {k + 1}"))
        except InputError as exc:
            meals.append(MealState(f"meal {k + 1}", error=error_text(exc)))
    return inputs, meals, feed_from_data(data.get("feed"))


def plan_data(plan: Plan) -> dict[str, Any]:
    """What the ``keto_plan`` entry of a saveable plan holds (see the module docstring): the
    prescription inputs, the meals as checked and the feed with its solved day's amounts."""
    if not plan.saveable:
        raise ValueError("only a saveable plan is stored: every meal verified, the feed solved")
    plan.feed_state.day = feed_day_data(plan.feed_plan)
    return {
        "date": records.today().isoformat(),
        "prescription": plan.form.inputs(),
        "meals": [m.to_data() for m in plan.states],
        "feed": plan.feed_state.to_data(),
    }
