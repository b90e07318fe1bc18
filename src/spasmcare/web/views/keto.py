"""Keto planner: prescription, meals solved live to the exact ratio, infant feeds, 7-day menu,
micronutrients, and the printable family pages.

Every number comes from :mod:`spasmcare.keto` (prescriptions, gradual start, the MILP meal
solver, feeds, menus, DRI completeness, medicine carbohydrate) over the food table of
:mod:`spasmcare.foods`; these views read the form, call the domain, and render. A meal is shown
as "verified by the solver" only when its amounts meet the ratio, energy and protein
tolerances by the domain's own check (:func:`spasmcare.keto.solver.violations`).

One ``keto_plan`` entry per patient holds the saved plan (written through
:mod:`spasmcare.web.audit`, with optimistic concurrency)::

    {"date": ..., "prescription": {form inputs},
     "meals": [{"name": ..., "items": [{"food": id, "grams": g, "locked": bool}]}],
     "feed": {"feeds", "volume_ml", "batch", "match_protein", "ingredients", "day"} or null}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from spasmcare.errors import InputError
from spasmcare.foods import Food, FoodTable, default_table
from spasmcare.keto.advice import meal_changes
from spasmcare.keto.analysis import Portion, analyze
from spasmcare.keto.completeness import assess
from spasmcare.keto.feeds import (
    FeedPlan,
)
from spasmcare.keto.initiation import initiation_for
from spasmcare.keto.menus import substitutes
from spasmcare.keto.portions import default_rules, swap_family, unsuitable_for_age
from spasmcare.keto.prescription import Prescription
from spasmcare.keto.solver import (
    RESOLUTIONS_G,
    MealFood,
    MealSolution,
    MealTarget,
    diagnosis,
    meal_problem,
    solve_meal,
    swap_and_resolve,
    violations,
)
from spasmcare.record import Record
from spasmcare.web import audit, records
from spasmcare.web.access import current_patient as _patient
from spasmcare.web.access import current_user as _user
from spasmcare.web.forms import show_error
from spasmcare.web.keto_common import TOLERANCES, meal_targets
from spasmcare.web.keto_common import message as _message
from spasmcare.web.keto_feed import FEED_CANDIDATES, feed_day_data, feed_result
from spasmcare.web.keto_forms import (
    DIET_LABELS,
    FAMILY_DIET_LABELS,
    RECORD_DIET,
    FeedState,
    MealState,
    PrescriptionForm,
    build_prescription,
    default_inputs,
    feed_from_data,
    feed_from_post,
    fit_meals,
    meal_from_data,
    meals_from_post,
    medications_of,
    prefill_from,
    prefilled_inputs,
    supplements_of,
)
from spasmcare.web.keto_menu import saved_menu
from spasmcare.web.keto_supplements import posted_rows
from spasmcare.web.models import Entry, Kind, Patient, User

#: Search results returned to the meal designer (a display setting).
SEARCH_LIMIT = 15
PRINT_PAGES = ("meals", "feed", "menu")
SOLVER_SOURCE = (
    "Meals solved in whole steps of the scale by mixed-integer programming (HiGHS), checked "
    "against the ratio, energy and protein tolerances; dietary-unit algebra of Compass Group, "
    "Manual of Clinical Nutrition Management 2013, pp. E-15-E-16."
)


def plan_entry(patient: Patient) -> Entry | None:
    """The patient's live keto plan (one per patient; the newest if ever more)."""
    return (
        Entry.objects.filter(patient=patient, kind=Kind.KETO_PLAN, retracted_at__isnull=True)
        .select_related("updated_by")
        .order_by("-id")
        .first()
    )


# --- meals ------------------------------------------------------------------------------------


def _food(table: FoodTable, food_id: str, field_name: str = "food") -> Food:
    return table.get(food_id, field_name)


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
        food = _lookup(table, row["food"])
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
            out["status"], out["reason"] = "error", _message(exc)
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
        out["status"], out["reason"] = "error", _message(exc)
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
            rows = [_row(_lookup(table, i["food"]), i) for i in meal.items]
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
            out.append({"label": label, "error": _message(exc)})
            continue
        out.append({"label": label, "report": report.to_dict()})
    return out


def _record(patient: Patient) -> tuple[Record | None, str | None]:
    try:
        return records.load_record(patient), None
    except InputError as exc:
        return None, _message(exc)


def state_from_entry(entry: Entry) -> tuple[dict[str, Any], list[MealState], FeedState]:
    """A saved keto plan's inputs, meals and feed (read back, not solved again)."""
    data = entry.data
    inputs = default_inputs() | dict(data.get("prescription") or {})
    meals = []
    for k, m in enumerate(data.get("meals") or []):
        try:
            meals.append(meal_from_data(m, f"meal {k + 1}"))
        except InputError as exc:
            meals.append(MealState(f"meal {k + 1}", error=_message(exc)))
    return inputs, meals, feed_from_data(data.get("feed"))


def _page(
    request: HttpRequest,
    patient: Patient,
    plan: Plan,
    entry: Entry | None,
    *,
    version: int,
    status: int = 200,
    offer_diet: bool | None = None,
) -> HttpResponse:
    table = default_table()
    record, problem = _record(patient)
    pre = prefill_from(record, patient.birth_date, patient.sex, records.today())
    if offer_diet is None:
        offer_diet = record is not None and pre.open_diet is None
    rx = plan.rx
    growth_note = None
    if rx is not None and pre.weight_kg is not None and pre.weight_kg != rx.patient["weight_kg"]:
        growth_note = (
            f"The record's latest weight is {pre.weight_kg:g} kg ({pre.growth_date}); "
            f"this plan uses {rx.patient['weight_kg']:g} kg."
        )
    context = {
        "patient": patient,
        "plan": plan,
        "form": plan.form,
        "rx": None if rx is None else rx.to_dict(),
        "diet_label": DIET_LABELS.get(rx.diet, "") if rx is not None else "",
        "meals": list(zip(plan.states, plan.meals, strict=False)),
        "meal_count": len(plan.states),
        "feed_state": plan.feed_state,
        "feed_rows": [
            ing | {"name": _name(table, ing["food"])} for ing in plan.feed_state.ingredients
        ],
        "feed": plan.feed,
        "entry": entry,
        "version": version,
        "menu": saved_menu(patient, entry) if entry is not None else None,
        "record_problem": problem,
        "growth_note": growth_note,
        "offer_diet": offer_diet,
        "today": records.today(),
        "tolerances": TOLERANCES,
        "portion_rules": default_rules(),
        "resolution": plan.form.cleaned_data.get("resolution", 1.0)
        if plan.form.is_bound and hasattr(plan.form, "cleaned_data")
        else 1.0,
        "solver_source": SOLVER_SOURCE,
        "record_diet": RECORD_DIET.get(rx.diet, "") if rx is not None else "",
    }
    return render(request, "web/keto/planner.html", context, status=status)


@require_GET
def planner(request: HttpRequest, pid: int) -> HttpResponse:
    """The planner: the saved plan re-verified, or a new one prefilled from the record."""
    patient = _patient(request)
    entry = plan_entry(patient)
    if entry is not None:
        inputs, meals, feed = state_from_entry(entry)
    else:
        record, _ = _record(patient)
        pre = prefill_from(record, patient.birth_date, patient.sex, records.today())
        inputs, meals, feed = prefilled_inputs(pre), [], FeedState()
    plan = compute(inputs, meals, feed, solve=False)
    if entry is not None:
        changed = [m["name"] for m in plan.meals if m["status"] in ("not verified", "error")]
        if changed:
            plan.errors.append(
                "The saved amounts of " + ", ".join(changed) + " no longer meet the prescription "
                "by the current food table and solver check: re-solve and save again."
            )
        if plan.feed.get("changed"):
            plan.errors.append(
                "The saved feed differs from what the solver now finds (the food table may have "
                "changed): check the feed and save again."
            )
    return _page(request, patient, plan, entry, version=entry.version if entry else 0)


def _posted_state(
    request: HttpRequest, table: FoodTable
) -> tuple[dict[str, Any], list[MealState], FeedState]:
    post = request.POST
    inputs = {name: post.get(name) for name in PrescriptionForm.base_fields}
    inputs |= posted_rows(post)  # the supplement rows (bounded)
    for name in ("lgit_energy", "stone_risk", "cannot_chew"):
        inputs[name] = name in post
    try:
        count = max(0, min(int(post.get("meal_count") or 0), 12))
    except ValueError:
        count = 0
    meals = meals_from_post(post, count)
    feed = feed_from_post(post)
    action = str(post.get("action") or "")
    _apply_action(action, post, meals, feed, table)
    step = action.split(":")[3] if action.startswith("feed_use:") and action.count(":") == 3 else ""
    if step in {f"{r:g}" for r in RESOLUTIONS_G}:
        inputs["resolution"] = str(float(step))  # a verified change weighs in finer steps
    return inputs, meals, feed


def _lookup(table: FoodTable, text: str) -> Food | None:
    try:
        return table.get(text)
    except InputError:
        return None


def _name(table: FoodTable, food_id: str) -> str:
    food = _lookup(table, food_id)
    return food.name if food is not None else f"unknown food {food_id}"


def _suggest(table: FoodTable, text: str) -> str:
    try:
        hits = table.search(text, limit=5)
    except InputError:
        hits = []
    if not hits:
        return f"no food matches {text!r}"
    # the food by its name; its id is what to type in the box, so it is named as such
    return f"{text!r} is not a food id; did you mean: " + "; ".join(
        f"{h.food.name} (food id {h.food.id})" for h in hits
    )


def _apply_action(
    action: str, post: Any, meals: list[MealState], feed: FeedState, table: FoodTable
) -> None:
    """The no-JavaScript buttons: add, remove, swap or solve one meal; add or remove a feed
    ingredient."""
    parts = action.split(":", 2)
    verb = parts[0]
    try:
        i = int(parts[1]) if len(parts) > 1 and verb in ("add", "remove", "swap", "solve") else -1
    except ValueError:
        return
    if 0 <= i < len(meals):
        meal = meals[i]
        if verb in ("add", "swap"):
            text = str(post.get(f"m{i}_add") or "").strip()
            if verb == "swap" and len(parts) > 2:
                # the replacement chosen beside the food ("Swap for…"), else the typed food
                text = str(post.get(f"m{i}_swap_{parts[2]}") or "").strip() or text
            if not text:
                meal.error = (
                    "Choose the replacement beside the food, or type a food id (or search) "
                    "in the box first."
                    if verb == "swap"
                    else "Type a food id (or search) in the box first."
                )
                return
            found = _lookup(table, text)
            if found is None:
                meal.error = _suggest(table, text)
                return
            new_id = found.id
            if any(item["food"] == new_id for item in meal.items):
                meal.error = f"{found.name} is already in this meal."
                return
            if verb == "add":
                meal.items.append({"food": new_id, "grams": None, "locked": False})
            elif len(parts) > 2:
                meal.swap = (parts[2], new_id)
        elif verb == "remove" and len(parts) > 2:
            meal.items = [item for item in meal.items if item["food"] != parts[2]]
        meal.force = True
    elif verb == "feed_add":
        text = str(post.get("f_add") or "").strip()
        found = _lookup(table, text) if text else None
        if found is None:
            feed.error = _suggest(table, text) if text else "Type a food id first."
            return
        if any(i["food"] == found.id for i in feed.ingredients):
            feed.error = f"{found.name} is already in the feed."
            return
        kind = "liquid" if post.get("f_add_kind") == "liquid" else "powder"
        feed.ingredients.append({"food": found.id, "kind": kind, "fixed_per_day": None})
    elif verb == "feed_use" and len(parts) > 2:
        # a change verified to solve: add the product it names and/or check protein
        food_id, protein = parts[1], parts[2].split(":")[0]
        if food_id:
            offered = dict(FEED_CANDIDATES).get(food_id)
            if offered is None or food_id not in table:
                feed.error = f"{food_id} is not one of the products offered for feeds."
                return
            if not any(i["food"] == food_id for i in feed.ingredients):
                feed.ingredients.append({"food": food_id, "kind": offered, "fixed_per_day": None})
        if protein == "checked":
            feed.match_protein = False
    elif verb == "feed_remove" and len(parts) > 1:
        feed.ingredients = [i for i in feed.ingredients if i["food"] != parts[1]]


@require_POST
def solve(request: HttpRequest, pid: int) -> HttpResponse:
    """Re-solve: JSON in and out for one meal (keto.js), or the whole form re-rendered."""
    patient = _patient(request)
    if request.content_type == "application/json":
        return _solve_json(request)
    table = default_table()
    inputs, meals, feed = _posted_state(request, table)
    plan = compute(inputs, meals, feed, solve=True, table=table)
    try:
        version = int(request.POST.get("plan_version") or 0)
    except ValueError:
        version = 0
    return _page(request, patient, plan, plan_entry(patient), version=version)


def _json_error(exc: InputError, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {
            "status": "error",
            "error": {"field": exc.field, "value": str(exc.value), "accepted": exc.accepted},
            "reason": _message(exc),
        },
        status=status,
    )


def _solve_json(request: HttpRequest) -> JsonResponse:
    """``{"prescription": {inputs}, "meal": {"index", "items"}, "swap": {"old", "new"}}``."""
    try:
        body = json.loads(request.body.decode("utf-8"))
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _json_error(InputError("body", "(request)", "a JSON object"))
    given = body.get("prescription") or {}
    if not isinstance(given, dict):
        return _json_error(InputError("prescription", "(a list)", "a JSON object of inputs"))
    inputs = default_inputs() | given
    form = PrescriptionForm(data=inputs)
    if not form.is_valid():
        name, errs = next(iter(form.errors.items()))
        return _json_error(InputError(name, inputs.get(name), " ".join(errs)))
    c = form.cleaned_data
    doc = body.get("meal") or {}
    try:
        rx = build_prescription(c)
        targets, _, _ = meal_targets(rx, medications_of(c))
        index = int(doc.get("index", 0)) if isinstance(doc, dict) else -1
        if not 0 <= index < len(targets):
            raise InputError("meal.index", index, f"a meal number from 0 to {len(targets) - 1}")
        meal = meal_from_data(doc, rx.per_meal[index].name)
        swap = body.get("swap")
        if isinstance(swap, dict) and swap.get("old") and swap.get("new"):
            meal.swap = (str(swap["old"]), str(swap["new"]))
    except InputError as exc:
        return _json_error(exc)
    result = meal_result(
        default_table(),
        meal,
        targets[index],
        resolution=c["resolution"],
        carbs=rx.carbs,
        solve=True,
        age_months=rx.patient.get("age_months"),
    )
    result["index"] = index
    return JsonResponse(_finite(result))


def _finite(value: Any) -> Any:
    """inf/NaN (a ratio with no protein or carbohydrate) become null in JSON."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


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


@require_POST
def save(request: HttpRequest, pid: int) -> HttpResponse:
    """Save the plan as shown (dietitian): every meal must be verified and the feed solved."""
    patient = _patient(request)
    user = _user(request)
    table = default_table()
    inputs, meals, feed = _posted_state(request, table)
    plan = compute(inputs, meals, feed, solve=False, table=table)
    try:
        version = int(request.POST.get("plan_version") or 0)
    except ValueError:
        version = -1
    entry = plan_entry(patient)
    if not plan.saveable:
        blockers = plan.blockers()
        moved = [m["name"] for m in plan.meals if m["status"] == "not verified"]
        if moved:
            # a meal whose target moved (the medicines' carbohydrate entered after the meals):
            # solve it again now, show the new amounts, and let the dietitian save them
            plan = compute(inputs, plan.states, feed, solve=True, table=table)
        text = "Nothing was saved: " + "; ".join(blockers) + "."
        if moved:
            text += (
                f" Solved again to the new target{'s' if len(moved) > 1 else ''}: "
                f"{', '.join(moved)}; check the new amounts and save again."
            )
        plan.errors.append(text)
        return _page(request, patient, plan, entry, version=version, status=400)
    data = plan_data(plan)
    try:
        with transaction.atomic():
            # read the plan again under the patient lock: two first saves at once make one
            # plan and refuse the other, never two plans
            audit.lock_patient(patient)
            entry = plan_entry(patient)
            if entry is None:
                if version != 0:
                    raise audit.StaleEdit("keto plan", version, 0, "someone")
                entry = audit.create_entry(patient, Kind.KETO_PLAN, data, user)
            else:
                entry = audit.update_entry(entry, version, data, user)
            if request.POST.get("record_diet"):
                _start_diet(patient, plan, request, user)
    except audit.StaleEdit as exc:
        plan.errors.append(str(exc))
        return _page(request, patient, plan, plan_entry(patient), version=version, status=409)
    except InputError as exc:
        plan.errors.append("Nothing was saved: " + _message(exc))
        return _page(request, patient, plan, plan_entry(patient), version=version, status=400)
    messages.success(request, "Keto plan saved; the previous version is kept in the history.")
    return redirect("keto_planner", pid=patient.pk)


def _start_diet(patient: Patient, plan: Plan, request: HttpRequest, user: User) -> None:
    """Record a diet period from the plan when the record has none open."""
    assert plan.rx is not None
    record = records.load_record(patient)
    today = records.today()
    if prefill_from(record, patient.birth_date, patient.sex, today).open_diet is not None:
        return
    # ids of every diet entry, retracted ones too, so an old id is never reused
    ids = {
        str(data.get("id"))
        for data in Entry.objects.filter(patient=patient, kind=Kind.DIET).values_list(
            "data", flat=True
        )
        if isinstance(data, dict)
    }
    n = 1
    while f"kd{n}" in ids:
        n += 1
    start = str(request.POST.get("diet_start") or today.isoformat())
    item: dict[str, Any] = {"id": f"kd{n}", "diet": RECORD_DIET[plan.rx.diet], "start": start}
    if plan.rx.ratio is not None and plan.rx.diet == "classic":
        item["prescribed_ratio"] = plan.rx.ratio
    audit.create_entry(patient, Kind.DIET, item, user)


@require_GET
def food_search(request: HttpRequest) -> HttpResponse:
    """Foods for the meal designer: ``[{"id", "name", "group", "basis", "per_100", ...}]``."""
    query = str(request.GET.get("q") or "").strip()
    if not query:
        return JsonResponse([], safe=False)
    try:
        hits = default_table().search(query[:100], limit=SEARCH_LIMIT)
    except InputError as exc:
        return _json_error(exc)
    out = []
    for h in hits:
        f = h.food
        values = f.per_100ml if f.basis == "100 mL" and f.per_100ml else f.per_100g
        out.append(
            {
                "id": f.id,
                "name": f.name,
                "group": f.group,
                "basis": f.basis,
                "fat_g": values.get("fat_g"),
                "protein_g": values.get("protein_g"),
                "carb_g": values.get("carb_g"),
                "kcal": values.get("kcal"),
                "verify": f.verify,
            }
        )
    return JsonResponse(out, safe=False)


# --- printable family pages -------------------------------------------------------------------


def family_cautions(table: FoodTable, food_ids: list[str]) -> list[str]:
    """The product cautions (the food table's ``verify`` notes) of the foods a family page
    names, in the family's words: the product's name and "check the label"."""
    out: list[str] = []
    for food_id in dict.fromkeys(food_ids):
        try:
            food = table.get(food_id)
        except (InputError, KeyError):
            continue
        if not getattr(food, "verify", None):
            continue
        out.append(
            f"{food.name}: the values used for this plan come from a source the team could not "
            "fully check. Compare them with the label on your product; if the label differs, "
            "call the team before you use it."
        )
    return out


def family_pages(patient: Patient) -> list[str]:
    """The keto pages a family's printout holds: only what the saved plan prescribes
    (``[]`` without a plan; meals, feed, or both when the dietitian saved both)."""
    entry = plan_entry(patient)
    if entry is None:
        return []
    _, meals, feed = state_from_entry(entry)
    pages = []
    if any(m.items for m in meals):
        pages.extend(["meals", "menu"])
    if feed.active:
        pages.append("feed")
    return pages


def printable(request: HttpRequest, patient: Patient, page: str) -> HttpResponse:
    """The family's printout of the saved plan: ``page`` is ``meals`` or ``feed``.

    Meals print only when every meal of the prescription is designed and passes the check
    against it (a family is never given part of a day as if it were the day); a feed prints
    only when its day meets the prescription's ratio, energy and protein
    (:func:`spasmcare.keto.feeds.prescription_violations`). The product cautions ("verify
    against the label") are printed with the recipe."""
    if page not in PRINT_PAGES:
        raise Http404("no such page")
    entry = plan_entry(patient)
    context: dict[str, Any] = {"patient": patient, "entry": entry, "page": page}
    if entry is not None:
        table = default_table()
        inputs, meals, feed = state_from_entry(entry)
        plan = compute(inputs, meals, feed, solve=False, table=table, assess_day=False)
        designed = [m for m in plan.meals if m["rows"]]
        expected = len(plan.rx.per_meal) if plan.rx is not None else len(designed)
        meals_ok = bool(designed) and all(
            m["status"] in ("verified", "no target") for m in designed
        )
        feed_ok = bool(plan.feed.get("verified"))
        menu = saved_menu(patient, entry) if page == "menu" and meals_ok else None
        if page == "meals":
            ids = [r["food"] for m in designed for r in m["rows"] if r.get("grams")]
        elif page == "menu":
            ids = [line["food"] for line in (menu or {}).get("shopping", [])]
        else:
            ids = [i["food"] for i in feed.ingredients] if feed_ok else []
        context.update(
            plan=plan,
            rx=None if plan.rx is None else plan.rx.to_dict(),
            diet_label=FAMILY_DIET_LABELS.get(plan.rx.diet, "") if plan.rx is not None else "",
            meals=[
                m | {"print_rows": [r for r in m["rows"] if r["grams"] is not None]}
                for m in designed
            ],
            meals_designed=len(designed),
            meals_expected=expected,
            meals_complete=meals_ok and len(designed) >= expected,
            feed=plan.feed,
            feed_ok=feed_ok,
            both=bool(designed) and feed.active,
            cautions=family_cautions(table, ids),
            menu=menu,
        )
    return render(request, f"web/keto/print_{page}.html", context)
