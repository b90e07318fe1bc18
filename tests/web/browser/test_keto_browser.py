"""The keto planner's live meal designer in a real browser (keto.js against the live server)."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.web.models import Patient

pytestmark = pytest.mark.django_db(transaction=True)


def _add(page: Any, meal: Any, query: str, food_id: str) -> None:
    box = meal.locator("input.food-search")
    box.fill(query)
    hit = meal.locator(".keto-hits li", has_text=food_id).first
    hit.wait_for()
    hit.dispatch_event("mousedown")
    meal.locator(f"tr[data-food='{food_id}']").wait_for()


def test_meal_designer_resolves_live(web: str, patient: Patient, signed_in: Any, shot: Any) -> None:
    page = signed_in("dietitian")
    page.goto(f"{web}/patients/{patient.pk}/keto/")
    meal = page.locator(".keto-meal").first
    _add(page, meal, "butter salted", "01001")
    _add(page, meal, "egg whole raw fresh", "01123")
    _add(page, meal, "strawberries raw", "09316")
    status = meal.locator(".keto-status")
    status.locator(".chip.ok").wait_for()
    assert "verified by the solver" in status.inner_text()
    grams = meal.locator("input.grams")
    assert all(float(grams.nth(k).input_value()).is_integer() for k in range(3))
    # typing an amount locks it and re-solves the others
    butter = meal.locator("tr[data-food='01001'] input.grams")
    butter.fill("17")
    butter.dispatch_event("change")
    page.wait_for_function(
        "() => !document.querySelector('.keto-meal').classList.contains('keto-busy')"
    )
    assert meal.locator("tr[data-food='01001'] input.lock").is_checked()
    assert meal.locator("tr[data-food='01001'] input.grams").input_value() == "17"
    shot(page, "keto-meal-locked")
    # swap the egg for chicken: the row is replaced and the meal re-solved
    meal.locator("tr[data-food='01123'] button.swap").click()
    _add(page, meal, "chicken breast meat only raw", "05062")
    assert meal.locator("tr[data-food='01123']").count() == 0
    status.locator(".chip").first.wait_for()
    shot(page, "keto-meal-swapped")
    # removing the protein food makes the meal infeasible, with the domain's reason
    meal.locator("tr[data-food='05062'] button.remove").click()
    page.wait_for_function(
        "() => !document.querySelector('.keto-meal').classList.contains('keto-busy')"
    )
    text = status.inner_text()
    assert "no solution" in text or "verified" in text
