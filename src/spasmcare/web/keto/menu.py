"""The 7-day menu planned from a saved keto plan (computed once per version of the plan)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spasmcare.errors import InputError
from spasmcare.foods import default_table
from spasmcare.keto.menus import meal_alternatives, plan_rotation, shopping_list, substitutes
from spasmcare.keto.portions import PortionRules, default_rules, suitable
from spasmcare.keto.solver import MealFood
from spasmcare.web.clinic import records
from spasmcare.web.clinic.forms import error_text
from spasmcare.web.clinic.models import Entry, Patient
from spasmcare.web.keto.common import TOLERANCES, meal_targets
from spasmcare.web.keto.forms import (
    PrescriptionForm,
    build_prescription,
    default_inputs,
    medications_of,
)

MENU_DAYS = 7
#: Near everyday foods tried for one food of a designed meal, and variations of one designed
#: meal offered to the week (software settings: 6 variations + the designed meal give a slot 7
#: candidates, so that the 7 days can all differ).
MENU_SUBSTITUTES = 3
MENU_VARIATIONS = 6


def _menu_food(food: Any, item: Mapping[str, Any], rules: PortionRules) -> MealFood:
    """A food of a menu meal: a locked amount stays fixed, any other within its portion limits."""
    if item.get("locked") and item.get("grams") is not None:
        return MealFood(food, fixed_amount=item["grams"])
    low, high = rules.limits(food) or (None, None)
    return MealFood(food, min_amount=low, max_amount=high)


def saved_menu(patient: Patient, entry: Entry) -> dict[str, Any] | None:
    """The 7-day menu planned from the saved meals (computed once per version of the plan: a
    diary tap or a lab result does not plan it again)."""

    def build() -> dict[str, Any] | None:
        table = default_table()
        inputs = default_inputs() | dict(entry.data.get("prescription") or {})
        form = PrescriptionForm(data=inputs)
        if not form.is_valid():
            return {"error": "the saved prescription no longer reads; open and save it again"}
        c = form.cleaned_data
        try:
            rx = build_prescription(c)
            targets, _, _ = meal_targets(rx, medications_of(c))
            rules = default_rules()
            age = rx.patient.get("age_months")
            templates: list[list[MealFood]] = []
            meal_names: list[str] = []
            for m in entry.data.get("meals") or []:
                foods = [_menu_food(table.get(i["food"]), i, rules) for i in m.get("items") or []]
                if foods:
                    templates.append(foods)
                    meal_names.append(str(m.get("name") or f"meal {len(meal_names) + 1}"))
            if not templates:
                return None
            if not targets or targets[0] is None:
                return {"error": "this diet has no per-meal ratio target to plan a menu to"}
            # only designed meals are planned: with fewer designed than the day has, the menu
            # holds those and says so once (never "not planned" in every slot). Each designed
            # meal rotates with its variations (one food changed for a near everyday food of
            # its swap family, none unsuitable at the child's age), every one solved to the
            # target before it is served, least recently served first: 7 different days.
            per_day = min(len(rx.per_meal), len(templates))
            # foods of the designed meals are not swapped into other meals (they already come
            # back every day: the weekly food limit would run out)
            designed = {mf.id for foods in templates for mf in foods}
            everyday = sorted(rules.everyday_ids() - designed)
            pool = suitable([table.get(i) for i in everyday], age)
            slots = []
            for foods in templates[:per_day]:
                subs = {mf.id: substitutes(mf.food, pool, MENU_SUBSTITUTES) for mf in foods}
                # each swapped-in food takes its own portion limits
                variations = [
                    tuple(
                        mf if mf.fixed_amount is not None else _menu_food(mf.food, {}, rules)
                        for mf in alt
                    )
                    for alt in meal_alternatives(foods, subs, MENU_VARIATIONS)
                ]
                slots.append([tuple(foods), *variations])
            menu = plan_rotation(
                targets[0],
                slots,
                days=MENU_DAYS,
                max_per_food=c["menu_max_per_food"],
                tolerances=TOLERANCES,
                resolution=c["resolution"],
                carbs=rx.carbs,
                names=meal_names[:per_day],
            )
        except InputError as exc:
            return {"error": error_text(exc)}
        data = menu.to_dict()
        grid: dict[int, list[dict[str, Any]]] = {}
        for m in data["meals"]:
            grid.setdefault(m["day"], []).append(m)
        for u in data["unsolved"]:
            slot = u["meal"] - 1
            name = meal_names[slot] if slot < len(meal_names) else None
            grid.setdefault(u["day"], []).append(u | {"status": "unsolved", "name": name})
        data["grid"] = [
            {"day": d, "meals": sorted(grid[d], key=lambda m: m["meal"])} for d in sorted(grid)
        ]
        data["shopping"] = [
            {"food": line.food_id, "name": line.name, "grams": line.grams, "meals": line.meals}
            for line in shopping_list(menu)
        ]
        data["reasons"] = list(dict.fromkeys(u["reason"] for u in data["unsolved"]))
        data["designed"], data["expected"] = len(templates), len(rx.per_meal)
        data["alternatives"] = sum(len(slot) - 1 for slot in slots)
        # meals per food by the food's name, as the menu names foods (not its table id)
        names = {
            it["food_id"]: it["name"]
            for m in data["meals"]
            for it in m.get("items", [])
            if "food_id" in it and "name" in it
        }
        data["food_counts_named"] = [
            (names.get(food, food), count) for food, count in data.get("food_counts", {}).items()
        ]
        return data

    result: dict[str, Any] | None = records.cached(
        patient, "keto-menu", build, stamp=f"plan {entry.pk} v{entry.version}"
    )
    return result
