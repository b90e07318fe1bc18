"""A saved, verified keto plan for each ketogenic-diet infant of the demo clinic.

Registered in :data:`spasmcare.web.operations.demo.AFTER_IMPORT`. For an infant with
:attr:`~spasmcare.demo.DemoInfant.keto`, the fictional dietitian does what the
planner page does, through the keto view module's own functions:

1. the diet inputs become the planner's prescription inputs (:func:`planner_inputs`), checked by
   the planner's form and turned into the domain prescription (:func:`keto_plan.compute`);
2. formula-fed infants (``feed: True``) get a feed of a specialty formula of the food table,
   solved by the domain feed solver (:func:`spasmcare.web.keto.feed.feed_result`); the other
   infants get one
   meal per prescribed meal, each from a set of ordinary foods of the food table solved to the
   meal's target (:func:`keto_plan.meal_result`), the next set of :data:`MEAL_SETS` being tried
   when the solver finds a set infeasible;
3. the plan is re-checked exactly as the save view checks it (``compute(..., solve=False)`` and
   :attr:`keto_plan.Plan.saveable`) and stored with :func:`keto_plan.plan_data` through
   :func:`spasmcare.web.clinic.audit.create_entry`, as the ``dietitian`` login.

Nothing is solved or checked here: the food sets are the demo's choice (like the rest of the
fictional clinic); every gram comes from the solver and every verdict from the planner's check.
When no plan can be made (a diet without per-meal targets, no food set that solves), one line is
logged and the infant keeps no plan: the demo never fails for it.

The modified Atkins diet has no per-meal ratio, energy or protein target (a daily carbohydrate
limit only), so the solver has nothing to solve to and that infant gets no plan. For the low
glycaemic index treatment the demo dietitian ticks the planner's "Set an energy target"
(:data:`LGIT_ENERGY`): fat then gives 60 % of the energy (Pfeifer & Thiele 2005, as in
:func:`spasmcare.keto.prescription.lgit`) and each meal has a target to solve to.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from spasmcare.demo import DemoInfant
from spasmcare.errors import InputError
from spasmcare.foods import FoodTable, default_table
from spasmcare.web.clinic import audit
from spasmcare.web.clinic.models import Kind, Patient, User
from spasmcare.web.keto import plan as keto_plan
from spasmcare.web.keto.common import meal_targets
from spasmcare.web.keto.feed import feed_result
from spasmcare.web.keto.forms import (
    DIET_LABELS,
    FEEDS_PER_DAY_START,
    FeedState,
    MealState,
    default_inputs,
    medications_of,
)

log = logging.getLogger(__name__)

#: The login that saves the demo plans (created by the demo before the infants).
DIETITIAN = "dietitian"

#: The LGIT infant's plan sets an energy target (the planner's "Set an energy target" box).
LGIT_ENERGY = True

#: Foods of one meal (food-table ids): a fat, a protein food and a fruit or vegetable, foods a
#: ketogenic dietitian uses for a toddler. Sets share no food, so the saved meals also give a
#: full 7-day menu (each food in at most 7 meals a week, the menu planner's default). Tried in
#: order; a set the solver finds infeasible is passed over.
KETOGENIC_MEALS: tuple[tuple[str, ...], ...] = (
    # heavy whipping cream, hard-boiled egg (never raw for an infant: NHS weaning guidance),
    # strawberries, butter
    ("01053", "01129", "09316", "01001"),
    # roasted chicken breast, olive oil, avocado, boiled carrots
    ("05064", "04053", "09037", "11125"),
    # cheddar, blueberries, coconut oil
    ("01009", "09050", "04047"),
    # spares: cooked cod, olive oil, boiled carrots, avocado; cottage cheese, raspberries,
    # canola oil; mozzarella, canned peaches in juice, coconut oil
    ("15016", "04053", "11125", "09037"),
    ("01012", "09302", "04582"),
    ("01026", "09238", "04047"),
)
#: LGIT meals: carbohydrate from foods listed in the LGIT glycaemic index table below the
#: cut-off (:func:`spasmcare.keto.gi.foods_below` 50, Atkinson 2008: apple 36, carrots 39, whole
#: milk 39, orange 43, canned peaches 43), fat and protein from foods with little carbohydrate.
LGIT_MEALS: tuple[tuple[str, ...], ...] = (
    # roasted chicken breast, olive oil, boiled carrots, raw navel orange
    ("05064", "04053", "11125", "09202"),
    # cream cheese, raw apple with skin, canola oil
    ("01017", "09003", "04582"),
    # cheddar, whole milk, canned peaches in juice, coconut oil
    ("01009", "01077", "09238", "04047"),
    # spares: hard-boiled egg, butter, apple, heavy whipping cream; whole-milk mozzarella,
    # canned peaches in juice, coconut oil; cooked cod, butter, carrots, apple
    ("01129", "01001", "09003", "01053"),
    ("01026", "09238", "04047"),
    ("15016", "01001", "11125", "09003"),
)
MEAL_SETS: dict[str, tuple[tuple[str, ...], ...]] = {
    "classic": KETOGENIC_MEALS,
    "mct": KETOGENIC_MEALS,
    "lgit": LGIT_MEALS,
}
#: MCT diet: MCT oil (food-table id) in every meal, at the meal's share of the prescribed oil.
MCT_OIL = "mct-oil"

#: Infant feeds, tried in order: (food-table id, "powder" | "liquid") per ingredient. KetoCal
#: 3:1 first for infants (the 4:1 powder is labelled for children over 1 year, specialty.yaml).
#: Feeds are formula-led (issue 19): the formula at the energy target, its protein checked
#: against the minimum for age; the sets with expressed breast milk and Liquigen are spares.
FEED_SETS: dict[str, tuple[tuple[tuple[str, str], ...], ...]] = {
    "classic": (
        (("ketocal-3-1-powder", "powder"),),
        (("ketocal-3-1-powder", "powder"), ("01107", "liquid"), ("liquigen", "liquid")),
        (("ketocal-3-1-powder", "powder"), ("ketocal-4-1-powder", "powder")),
    ),
    "mct": ((("ketocal-3-1-powder", "powder"), ("liquigen", "liquid")),),
}


class NoPlan(Exception):
    """No plan could be made for this infant (the message says why)."""


def planner_inputs(keto: Mapping[str, Any]) -> dict[str, Any]:
    """The planner's prescription inputs for a :attr:`DemoInfant.keto` dict: the defaults of the
    form (the domain's named energy, protein and fluid rules, as ``keto_prescription`` uses)
    with the child and the diet's own settings."""
    inputs = default_inputs() | {
        "diet": keto["diet"],
        "age_months": keto["age_months"],
        "weight_kg": keto["weight_kg"],
        "length_cm": keto.get("length_cm") or "",
        "sex": keto.get("sex") or "",
        "meals": int(keto.get("meals", 3)),
    }
    diet = keto["diet"]
    if diet == "classic":
        inputs["ratio"] = f"{float(keto['ratio']):g}"
    elif diet == "mct" and "mct_percent" in keto:
        inputs["mct_percent"] = keto["mct_percent"]
    elif diet == "mad" and "carb_limit_g" in keto:
        inputs["carb_limit_g"] = keto["carb_limit_g"]
    elif diet == "lgit":
        inputs["lgit_energy"] = LGIT_ENERGY
        if "carb_g" in keto:
            inputs["lgit_carb_g"] = keto["carb_g"]
        if "gi_cutoff" in keto:
            inputs["gi_cutoff"] = keto["gi_cutoff"]
    return inputs


def _prescribed(inputs: dict[str, Any], table: FoodTable) -> keto_plan.Plan:
    plan = keto_plan.compute(inputs, [], FeedState(), solve=False, table=table, assess_day=False)
    if plan.rx is None or plan.errors:
        fields = "; ".join(f"{k}: {' '.join(v)}" for k, v in plan.form.errors.items())
        raise NoPlan(f"the prescription does not read ({fields or 'see the planner'})")
    return plan


def _feed(keto: Mapping[str, Any], plan: keto_plan.Plan, table: FoodTable) -> FeedState:
    assert plan.rx is not None
    resolution = plan.form.cleaned_data["resolution"]
    reasons = []
    for ingredients in FEED_SETS.get(plan.rx.diet, ()):
        feed = FeedState(
            feeds=int(keto.get("meals", FEEDS_PER_DAY_START)),
            ingredients=[
                {"food": food, "kind": kind, "fixed_per_day": None} for food, kind in ingredients
            ],
        )
        result, solved = feed_result(table, feed, plan.rx, resolution)
        if solved is not None and solved.solved and not result["violations"]:
            return feed
        reasons.append(str(result.get("reason") or result["status"]))
    raise NoPlan("no feed solved: " + ("; ".join(reasons) or f"no formula for {plan.rx.diet}"))


def _mct_oil(plan: keto_plan.Plan, index: int, resolution: float) -> dict[str, Any] | None:
    """MCT oil locked at the meal's share of the day's prescribed oil, in whole scale steps."""
    assert plan.rx is not None
    oil = plan.rx.details.get("mct_oil_g")
    if plan.rx.diet != "mct" or not oil:
        return None
    grams = round(oil * plan.rx.per_meal[index].fraction / resolution) * resolution
    return {"food": MCT_OIL, "grams": grams, "locked": True}


def _meals(plan: keto_plan.Plan, table: FoodTable) -> list[MealState]:
    """One solved meal per prescribed meal, each from the first food set that solves (sets
    not yet used first, so the meals differ)."""
    rx = plan.rx
    assert rx is not None
    c = plan.form.cleaned_data
    targets, _, _ = meal_targets(rx, medications_of(c))
    if any(t is None for t in targets):
        raise NoPlan(
            f"{DIET_LABELS.get(rx.diet, rx.diet)}: no per-meal target (ratio, energy, protein) "
            "for the solver to solve to"
        )
    sets: Sequence[tuple[str, ...]] = MEAL_SETS.get(rx.diet, ())
    used: list[tuple[str, ...]] = []
    meals: list[MealState] = []
    for index, (target, spec) in enumerate(zip(targets, rx.per_meal, strict=True)):
        reasons = []
        ordered = [s for s in sets if s not in used] + [s for s in sets if s in used]
        for foods in ordered:
            items = [{"food": food, "grams": None, "locked": False} for food in foods]
            oil = _mct_oil(plan, index, c["resolution"])
            if oil is not None:
                items.insert(0, oil)
            result = keto_plan.meal_result(
                table,
                MealState(spec.name, items),
                target,
                resolution=c["resolution"],
                carbs=rx.carbs,
                solve=True,
                age_months=rx.patient.get("age_months"),
            )
            if result["status"] == "solved":
                rows = [
                    {"food": r["food"], "grams": r["grams"], "locked": r["locked"]}
                    for r in result["rows"]
                    if r["grams"]  # a food the solver left out is not kept
                ]
                meals.append(MealState(spec.name, rows))
                used.append(foods)
                break
            reasons.append(f"{', '.join(foods)}: {result['reason'] or result['status']}")
        else:
            raise NoPlan(f"{spec.name}: no food set solved ({'; '.join(reasons)})")
    return meals


def plan_for(keto: Mapping[str, Any], table: FoodTable | None = None) -> dict[str, Any]:
    """The ``keto_plan`` data the planner would save for these diet inputs (raises
    :class:`NoPlan`)."""
    table = table or default_table()
    inputs = planner_inputs(keto)
    try:
        plan = _prescribed(inputs, table)
        if keto.get("feed"):
            meals, feed = [], _feed(keto, plan, table)
        else:
            meals, feed = _meals(plan, table), FeedState()
    except InputError as exc:
        raise NoPlan(f"{exc.field}: {exc.value!r} is not accepted: {exc.accepted}") from None
    # the save view's check, on the plan as it would be posted
    checked = keto_plan.compute(inputs, meals, feed, solve=False, table=table, assess_day=False)
    if not checked.saveable:
        problems = [f"{m['name']}: {m['status']}" for m in checked.meals]
        raise NoPlan(f"the plan does not pass the save check ({'; '.join(problems)})")
    return keto_plan.plan_data(checked)


def demo_keto_plan(patient: Patient, infant: DemoInfant, user: User) -> None:
    """Save a verified keto plan for a demo infant on a ketogenic diet (nothing otherwise)."""
    if not infant.keto:
        return
    try:
        data = plan_for(infant.keto)
    except NoPlan as exc:
        # e.g. the modified Atkins diet: a carbohydrate limit, no meals solved to a ratio
        log.debug("demo: %s has no designed meals (%s)", patient.record_id, exc)
        return
    except Exception as exc:  # the demo loads without a plan rather than not at all
        log.warning("demo: no keto plan for %s (%s)", patient.record_id, type(exc).__name__)
        return
    dietitian = User.objects.filter(username=DIETITIAN).first() or user
    audit.create_entry(patient, Kind.KETO_PLAN, data, dietitian)
