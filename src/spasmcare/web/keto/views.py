"""Keto planner: prescription, meals solved live to the exact ratio, infant feeds, 7-day menu,
micronutrients, and the printable family pages.

Every number comes from :mod:`spasmcare.keto` (prescriptions, gradual start, the MILP meal
solver, feeds, menus, DRI completeness, medicine carbohydrate) over the food table of
:mod:`spasmcare.foods`; these views read the form, call the domain, and render. A meal is shown
as "verified by the solver" only when its amounts meet the ratio, energy and protein
tolerances by the domain's own check (:func:`spasmcare.keto.solver.violations`).

One ``keto_plan`` entry per patient holds the saved plan (written through
:mod:`spasmcare.web.clinic.audit`, with optimistic concurrency)::

    {"date": ..., "prescription": {form inputs},
     "meals": [{"name": ..., "items": [{"food": id, "grams": g, "locked": bool}]}],
     "feed": {"feeds", "volume_ml", "batch", "match_protein", "ingredients", "day"} or null}
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from spasmcare.errors import InputError
from spasmcare.foods import FoodTable, default_table
from spasmcare.keto.portions import default_rules
from spasmcare.keto.solver import RESOLUTIONS_G
from spasmcare.record import Record
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.forms import error_text
from spasmcare.web.clinic.models import Entry, Kind, Patient, User
from spasmcare.web.keto import saved
from spasmcare.web.keto.common import TOLERANCES, meal_targets
from spasmcare.web.keto.feed import FEED_CANDIDATES
from spasmcare.web.keto.forms import (
    DIET_LABELS,
    FAMILY_DIET_LABELS,
    RECORD_DIET,
    FeedState,
    MealState,
    PrescriptionForm,
    build_prescription,
    default_inputs,
    feed_from_post,
    meal_from_data,
    meals_from_post,
    medications_of,
    prefill_from,
    prefilled_inputs,
)
from spasmcare.web.keto.menu import saved_menu
from spasmcare.web.keto.plan import Plan, compute, lookup, meal_result, plan_data, state_from_entry
from spasmcare.web.keto.supplements import posted_rows

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
    return saved.live_entry(patient, Kind.KETO_PLAN)


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


def _record(patient: Patient) -> tuple[Record | None, str | None]:
    try:
        return records.load_record(patient), None
    except InputError as exc:
        return None, error_text(exc)


def _name(table: FoodTable, food_id: str) -> str:
    food = lookup(table, food_id)
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
            found = lookup(table, text)
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
        found = lookup(table, text) if text else None
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
            "reason": error_text(exc),
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
        plan.errors.append("Nothing was saved: " + error_text(exc))
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


def _printed_plan(request: HttpRequest, entry: Entry) -> tuple[Plan, FeedState, FoodTable]:
    """The saved plan (``entry``) checked against its prescription, its feed and the food
    table it was checked with, once per request: the family's "all" printout prints the meals,
    the menu and the feed of the same saved version from one check instead of three."""
    mark = (entry.pk, entry.version)
    kept = getattr(request, "_printed_keto_plan", None)
    if kept is not None and kept[0] == mark:
        return kept[1], kept[2], kept[3]
    table = default_table()
    inputs, meals, feed = state_from_entry(entry)
    plan = compute(inputs, meals, feed, solve=False, table=table, assess_day=False)
    request._printed_keto_plan = (mark, plan, feed, table)
    return plan, feed, table


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
        plan, feed, table = _printed_plan(request, entry)
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
