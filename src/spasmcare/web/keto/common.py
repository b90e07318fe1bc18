"""What the keto planner's pages share: the solver's tolerances, input messages, and each
meal's target less its share of the medicines' carbohydrate (no Django here)."""

from __future__ import annotations

from typing import Any

from spasmcare.errors import InputError
from spasmcare.keto.medication import CarbBudget, carb_budget, food_target
from spasmcare.keto.prescription import Prescription
from spasmcare.keto.solver import MealTarget, Tolerances

#: The solver's acceptance tolerances (the domain defaults; shown on the page).
TOLERANCES = Tolerances()


def meal_targets(
    rx: Prescription, medications: list[Any]
) -> tuple[list[MealTarget | None], CarbBudget | None, dict[str, Any] | None]:
    """Each meal's target, less its share of the medicines' carbohydrate."""
    budget = share = None
    if medications and rx.carb_g is not None:
        budget = carb_budget(rx.carb_g, medications)
        share = budget.per_meal(len(rx.per_meal))
    targets: list[MealTarget | None] = []
    for m in rx.per_meal:
        if m.fat_g is None or m.protein_g is None or m.carb_g is None:
            targets.append(None)
            continue
        t = MealTarget.from_prescription(m)
        if share is not None:
            try:
                t = food_target(t, share.medication_carb_g)
            except InputError as exc:
                raise InputError("medications", exc.value, exc.accepted) from None
        targets.append(t)
    return targets, budget, None if share is None else share.to_dict()
