"""The planner's infant feed: solved by the domain, its protein checked against the age
minimum when it is formula-led, and, when it has no solution, only changes verified to solve."""

from __future__ import annotations

from typing import Any

from spasmcare.errors import InputError
from spasmcare.foods import Food, FoodTable
from spasmcare.keto.advice import feed_changes
from spasmcare.keto.feeds import (
    FeedIngredient,
    FeedPlan,
    FeedTarget,
    formula_led_protein_check,
    prescription_violations,
    solve_feed,
)
from spasmcare.keto.portions import LABELLED_FROM_1_YEAR, label_age_warnings
from spasmcare.keto.prescription import Prescription
from spasmcare.keto.protein import DEFAULT_PROTEIN_REFERENCE
from spasmcare.keto.solver import diagnosis
from spasmcare.web.clinic.forms import error_text
from spasmcare.web.keto.common import TOLERANCES
from spasmcare.web.keto.forms import FeedState

#: Products offered to an unsolved feed, each tried by re-solving (spasmcare.keto.advice): a
#: carbohydrate module, a fat emulsion, MCT oil, the ketogenic formulas, a standard infant
#: formula powder (SR28 03805). Only those that make the feed solve are shown.
FEED_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("polycal-powder", "powder"),
    ("calogen", "liquid"),
    ("ketocal-4-1-powder", "powder"),
    ("ketocal-3-1-powder", "powder"),
    ("03805", "powder"),
    ("mct-oil", "powder"),
)


def _feed_candidates(table: FoodTable) -> list[tuple[Food, Any]]:
    return [(table.get(fid), kind) for fid, kind in FEED_CANDIDATES if fid in table]


def feed_result(
    table: FoodTable,
    feed: FeedState,
    rx: Prescription | None,
    resolution: float,
    protein_max_g_per_kg: float | None = None,
) -> tuple[dict[str, Any], FeedPlan | None]:
    out: dict[str, Any] = {
        "status": "empty",
        "reason": feed.error,
        "plan": None,
        "changed": False,
        "violations": [],
        "verified": False,
        "changes": [],
        "protein_check": None,
    }
    if feed.error:
        out["status"] = "error"
        return out, None
    if not feed.active or rx is None:
        return out, None
    if rx.ratio is None or rx.kcal is None:
        out["status"] = "no target"
        out["reason"] = "a feed is solved to a ratio and an energy target: this prescription has no"
        out["reason"] += " ratio or no energy target"
        return out, None
    options: dict[str, Any] = dict(tolerances=TOLERANCES, carbs=rx.carbs, batch=feed.batch)
    try:
        ingredients = [
            FeedIngredient(
                table.get(i["food"], "feed ingredient"),
                "liquid" if i.get("kind") == "liquid" else "powder",
                fixed_per_day=i.get("fixed_per_day"),
            )
            for i in feed.ingredients
        ]
        volume = feed.volume_ml if feed.volume_ml is not None else rx.fluid_ml
        if volume is None:
            raise InputError("volume per day", None, "a volume in mL")
        held = rx.protein_g if feed.match_protein else None
        target = FeedTarget(rx.ratio, rx.kcal, volume, feed.feeds, held)
        plan = solve_feed(ingredients, target, powder_resolution_g=resolution, **options)
    except InputError as exc:
        out["status"], out["reason"] = "error", error_text(exc)
        return out, None
    data = plan.to_dict()
    out.update(status=plan.status, reason=plan.reason, plan=data)
    out["kcal_per_ml"] = plan.kcal_per_ml
    out["water_ml_per_day"] = plan.water_ml_per_day
    out["volume_from_fluid"] = feed.volume_ml is None
    if not plan.solved:
        # what binds, and only the changes verified to solve (never an untried rule of thumb)
        out["reason"] = diagnosis(plan.reason or "no amounts meet every tolerance")
        changes = feed_changes(
            ingredients,
            target,
            _feed_candidates(table),
            powder_resolution_g=resolution,
            **options,
        )
        out["changes"] = [c.to_dict() for c in changes]
        for change in out["changes"]:
            if change["added"] in LABELLED_FROM_1_YEAR:
                said = label_age_warnings([change["added"]], {}, rx.patient.get("age_months"))
                if said:
                    change["change"] += " (labelled for children of 1 year and over)"
        return out, plan
    if feed.day:
        saved = {(d["food"], round(float(d["amount"]), 6)) for d in feed.day}
        now = {(line.food_id, round(line.amount, 6)) for line in plan.day}
        out["changed"] = saved != now
    out["violations"] = prescription_violations(plan, rx.ratio, rx.kcal, held)
    # formula-led (protein not held): the domain's rule checks the protein it brings
    check = formula_led_protein_check(
        plan,
        rx.patient["weight_kg"],
        rx.patient["age_months"],
        rx.protein.get("reference") or DEFAULT_PROTEIN_REFERENCE,
        protein_max_g_per_kg,
    )
    if check is not None:
        out["protein_check"] = check.to_dict()
    out["verified"] = not out["violations"] and not out["changed"]
    names = {line.food_id: line.name for line in plan.day}
    out["label_warnings"] = label_age_warnings(
        [line.food_id for line in plan.day], names, rx.patient.get("age_months")
    )
    return out, plan


def feed_day_data(plan: FeedPlan | None) -> list[dict[str, Any]]:
    if plan is None or not plan.solved:
        return []
    return [
        {"food": line.food_id, "kind": line.kind, "amount": line.amount, "unit": line.unit}
        for line in plan.day
    ]
