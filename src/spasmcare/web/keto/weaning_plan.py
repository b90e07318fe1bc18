"""The weaning plan of one patient (issue 24): made, saved, re-planned, printed.

The plan is :func:`spasmcare.keto.weaning.plan_weaning` over the foods the dietitian lists,
each offered in a portion a dietitian would serve (the planner's portion limits,
:func:`spasmcare.keto.portions.default_rules`); a re-plan after spasms returned is
:func:`spasmcare.keto.weaning.replan`. One ``keto_weaning`` entry per patient holds the
inputs (written through :mod:`spasmcare.web.clinic.audit`)::

    {"schedule", "start", "from", "to", "kcal", "protein_g", "meals", "foods": [ids],
     "step"?, "interval_days"?, "spasms_returned"?}

The plan is made again from them (the solver is deterministic) and kept as a computed view
stamped by the entry's version, so the page and the printout show the same plan.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spasmcare.errors import InputError
from spasmcare.foods import FoodTable, default_table
from spasmcare.keto.limits import check_option
from spasmcare.keto.portions import default_rules
from spasmcare.keto.solver import MealFood
from spasmcare.keto.weaning import WeaningRequest, plan_weaning, replan
from spasmcare.web.clinic import audit, computed, records
from spasmcare.web.clinic.models import Entry, Kind, Patient, User
from spasmcare.web.keto import saved

#: At most this many foods in a weaning meal (a software setting: a meal, not a pantry).
MAX_FOODS = 8
#: The keto commands' ranges (:data:`spasmcare.keto.limits.OPTION_RANGES`) of each input.
OPTIONS = {"from": "--from", "to": "--to", "kcal": "--kcal", "protein_g": "--protein-g",
           "step": "--step"}  # fmt: skip



def saved_entry(patient: Patient) -> Entry | None:
    """The patient's live weaning plan (the newest if ever more)."""
    return saved.live_entry(patient, Kind.KETO_WEANING)


def defaults(patient: Patient) -> dict[str, Any]:
    """Inputs prefilled from the saved keto plan: its ratio, energy, protein, meals a day and
    the foods of its first designed meal; the first day today."""
    out: dict[str, Any] = {"schedule": "after-1-year", "start": records.today().isoformat()}
    keto = saved.saved_keto(patient)
    if keto is None:
        return out
    inputs, meals, rx = keto.inputs, keto.meals, keto.rx
    if rx is not None:
        out |= {k: v for k, v in (("from", rx.ratio), ("kcal", rx.kcal)) if v is not None}
        if rx.protein_g is not None:
            out["protein_g"] = round(rx.protein_g, 1)
        if rx.diet in ("mad", "lgit"):
            out["schedule"] = "mad-lgit"
            out.pop("from", None)
    out["meals"] = inputs.get("meals") or 3
    first = next((m for m in meals if m.items), None)
    if first is not None:
        out["foods"] = [i["food"] for i in first.items]
    return out


def _meal_foods(ids: list[str], table: FoodTable) -> list[MealFood]:
    if not ids:
        raise InputError("foods", "(none)", "at least one food id of the food table")
    if len(ids) > MAX_FOODS:
        raise InputError("foods", len(ids), f"at most {MAX_FOODS} foods in a meal")
    rules = default_rules()
    out = []
    for food_id in ids:
        food = table.get(food_id, "foods")
        limits = rules.limits(food)
        low, high = limits if limits is not None else (None, None)
        out.append(MealFood(food, min_amount=low, max_amount=high))
    return out


def make_plan(inputs: dict[str, Any], table: FoodTable | None = None) -> dict[str, Any]:
    """The plan of ``inputs`` (re-planned when they name the day spasms returned)."""
    table = table or default_table()
    for key, option in OPTIONS.items():
        check_option(option, inputs.get(key))
    request = WeaningRequest(
        schedule=inputs["schedule"],
        start_day=saved.check_day("start_day", inputs["start"]),
        start=float(inputs["from"]),
        to=float(inputs["to"]),
        kcal=float(inputs["kcal"]),
        protein_g=float(inputs["protein_g"]),
        meals=int(inputs.get("meals") or 3),
        step=inputs.get("step"),
        interval_days=inputs.get("interval_days"),
    )
    plan = plan_weaning(request, _meal_foods(list(inputs["foods"]), table))
    if inputs.get("spasms_returned"):
        plan = replan(plan, saved.check_day("spasms_returned", inputs["spasms_returned"]))
    return plan


def saved_plan(patient: Patient, entry: Entry) -> dict[str, Any]:
    """The saved entry's plan, made once per entry version for every worker."""
    plan: dict[str, Any] = records.cached(
        patient,
        "keto-weaning",
        lambda: make_plan(entry.data),
        stamp=f"weaning:{entry.pk}v{entry.version}:{computed.code_fingerprint()}",
    )
    return plan


def unsolved(plan: dict[str, Any]) -> list[int]:
    """The steps whose meal was not solved (a plan is saved only when every step is)."""
    return [
        st["step"]
        for st in plan["steps"]
        if st.get("meal") is not None and st["meal"]["status"] != "solved"
    ]


def save(
    patient: Patient, inputs: dict[str, Any], user: User, entry: Entry | None, version: int
) -> Entry:
    """Store ``inputs`` (checked by making the plan first: every step solved), as a new entry
    or a new version of ``entry`` (a stale version refused by the audit layer)."""
    plan = make_plan(inputs)
    bad = unsolved(plan)
    if bad:
        raise InputError(
            "foods",
            ", ".join(inputs["foods"]),
            "foods from which every step's meal can be solved (step "
            + ", ".join(str(n) for n in bad)
            + " has none: add a food or change the numbers)",
        )
    return saved.store(patient, Kind.KETO_WEANING, inputs, user, entry, version)


def replan_saved(patient: Patient, entry: Entry, day: date, version: int, user: User) -> Entry:
    """The saved plan re-planned from ``day`` (spasms returned), saved as its next version."""
    inputs = {k: v for k, v in entry.data.items() if k != "spasms_returned"}
    inputs["spasms_returned"] = day.isoformat()
    make_plan(inputs)  # refused here (a day before the plan, ...) before anything is written
    return audit.update_entry(entry, version, inputs, user)
