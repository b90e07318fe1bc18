"""The infant feeding mode of one patient (issue 24): made, saved, printed.

:func:`spasmcare.keto.feeding_modes.plan_feeding` over the inputs of the feeding form; one
``keto_feeding`` entry per patient holds the inputs (written through
:mod:`spasmcare.web.clinic.audit`)::

    {"date" (planned on), "mode", "ratio", "kcal", "volume_ml", "feeds",
     "formula": [{"food", "kind"}],
     "breast_milk_ml_per_feed", "solids": [ids], "solid_portion_g_per_day"?, "weeks"?,
     "start"?, "weight_kg"?, "age_months"?}

The plan is made again from them and kept as a computed view stamped by the entry's version.
"""

from __future__ import annotations

from typing import Any

from spasmcare.errors import InputError
from spasmcare.foods import FoodTable, default_table
from spasmcare.keto.feeding_modes import (
    DEFAULT_SOLID_PORTION_G_PER_DAY,
    FeedingRequest,
    plan_feeding,
)
from spasmcare.keto.limits import check_option
from spasmcare.web.clinic import computed, records
from spasmcare.web.clinic.models import Entry, Kind, Patient, User
from spasmcare.web.keto import saved

#: At most this many formulas and modules, or baby foods (a software setting).
MAX_ITEMS = 8
#: The keto commands' ranges (:data:`spasmcare.keto.limits.OPTION_RANGES`) of each input.
OPTIONS = {
    "kcal": "--kcal",
    "volume_ml": "--volume-ml",
    "breast_milk_ml_per_feed": "--breast-milk-ml",
    "solid_portion_g_per_day": "--solid-portion-g",
    "weeks": "--weeks",
    "weight_kg": "--weight-kg",
}


def saved_entry(patient: Patient) -> Entry | None:
    """The patient's live feeding plan (the newest if ever more)."""
    return saved.live_entry(patient, Kind.KETO_FEEDING)


def defaults(patient: Patient) -> dict[str, Any]:
    """Inputs prefilled from the saved keto plan: ratio, energy, the feed's volume, feeds a
    day and formula, the child's weight and age; mode expressed breast milk."""
    out: dict[str, Any] = {"mode": "ebm", "feeds": 6}
    keto = saved.saved_keto(patient)
    if keto is None:
        return out
    inputs, rx, feed = keto.inputs, keto.rx, keto.feed
    if rx is not None:
        out |= {k: v for k, v in (("ratio", rx.ratio), ("kcal", rx.kcal)) if v is not None}
        volume = feed.volume_ml or rx.fluid_ml
        if volume:
            out["volume_ml"] = round(volume)
    out |= {k: inputs[k] for k in ("weight_kg", "age_months") if inputs.get(k) is not None}
    if feed.active:
        out["feeds"] = feed.feeds
        out["formula"] = [
            {"food": i["food"], "kind": i.get("kind") or "powder"} for i in feed.ingredients
        ]
    return out


def _request(inputs: dict[str, Any], table: FoodTable) -> FeedingRequest:
    formula = inputs.get("formula") or []
    solids = inputs.get("solids") or []
    for name, items in (("--formula", formula), ("--solid", solids)):
        if len(items) > MAX_ITEMS:
            raise InputError(name, len(items), f"at most {MAX_ITEMS}")
    for f in formula:
        if f.get("kind") not in ("powder", "liquid"):
            raise InputError("--formula", f"{f.get('food')}:{f.get('kind')}", "ID or ID:liquid")
    return FeedingRequest(
        mode=inputs["mode"],
        ratio=float(inputs["ratio"]),
        kcal=float(inputs["kcal"]),
        volume_ml=float(inputs["volume_ml"]),
        feeds=int(inputs["feeds"]),
        formula=tuple((table.get(f["food"], "--formula"), f["kind"]) for f in formula),
        breast_milk_ml_per_feed=float(inputs.get("breast_milk_ml_per_feed") or 0),
        solids=tuple(table.get(s, "--solid") for s in solids),
        solid_portion_g_per_day=float(
            inputs.get("solid_portion_g_per_day") or DEFAULT_SOLID_PORTION_G_PER_DAY
        ),
        weeks=inputs.get("weeks"),
        weight_kg=inputs.get("weight_kg"),
        age_months=inputs.get("age_months"),
        start=saved.check_day("start", inputs["start"]) if inputs.get("start") else None,
    )


def make_plan(inputs: dict[str, Any], table: FoodTable | None = None) -> dict[str, Any]:
    """The feeding plan of ``inputs`` (every day solved, or why not with what would)."""
    for name, field in (("ratio", "--ratio"), ("kcal", "--kcal"), ("volume_ml", "--volume-ml")):
        value = inputs.get(name)
        if not isinstance(value, int | float) or not value > 0:
            raise InputError(field, value, "a positive number")
    for key, option in OPTIONS.items():
        check_option(option, inputs.get(key))
    if not isinstance(inputs.get("feeds"), int) or not 1 <= inputs["feeds"] <= 12:
        raise InputError("--feeds", inputs.get("feeds"), "a whole number of feeds, 1 to 12")
    return plan_feeding(_request(inputs, table or default_table()))


def saved_plan(patient: Patient, entry: Entry) -> dict[str, Any]:
    """The saved entry's plan, made once per entry version for every worker."""
    plan: dict[str, Any] = records.cached(
        patient,
        "keto-feeding",
        lambda: make_plan(entry.data),
        stamp=f"feeding:{entry.pk}v{entry.version}:{computed.code_fingerprint()}",
    )
    return plan


def save(
    patient: Patient, inputs: dict[str, Any], user: User, entry: Entry | None, version: int
) -> Entry:
    """Store ``inputs`` when every day of their plan is solved (a day without a plan is
    refused, naming it), as a new entry or a new version of ``entry``."""
    plan = make_plan(inputs)
    bad = [d["label"] for d in plan["days"] if d["status"] != "solved"]
    if bad:
        raise InputError(
            "__all__",
            None,
            "every day solved at the ratio and energy; no plan for " + "; ".join(bad)
            + ": see what would solve it below",
        )
    inputs = {"date": records.today().isoformat(), **inputs}  # the day it was planned
    return saved.store(patient, Kind.KETO_FEEDING, inputs, user, entry, version)
