"""The keto planner's live meal designer in a real browser (keto.js against the live server)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from spasmcare.web.models import Entry, Kind, Patient, User
from tests.web.keto.test_keto import _save_week

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
    # a cooked egg: raw egg is not for this 10-month-old (issue 19)
    _add(page, meal, "egg whole hard-boiled", "01129")
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
    meal.locator("tr[data-food='01129'] button.swap").click()
    _add(page, meal, "chicken breast meat only raw", "05062")
    assert meal.locator("tr[data-food='01129']").count() == 0
    status.locator(".chip").first.wait_for()
    shot(page, "keto-meal-swapped")
    # removing the protein food makes the meal infeasible, with the domain's reason
    meal.locator("tr[data-food='05062'] button.remove").click()
    page.wait_for_function(
        "() => !document.querySelector('.keto-meal').classList.contains('keto-busy')"
    )
    text = status.inner_text()
    assert "no solution" in text or "verified" in text


def test_dietitian_builds_an_infant_feed_from_nothing_and_saves_it(
    web: str, patient: Patient, signed_in: Any, shot: Any
) -> None:
    # issue 19: with the default prescription (the record's 3:1 diet, energy and protein from
    # the age references) KetoCal 3:1 as the whole feed solves at the energy target, its
    # protein checked against the minimum for age, and the plan saves
    page = signed_in("dietitian")
    page.goto(f"{web}/patients/{patient.pk}/keto/")
    feed = page.locator("#feed")
    feed.locator("#f_add").fill("ketocal-3-1-powder")
    feed.locator("button[value='feed_add']").click()
    page.wait_for_load_state()
    feed = page.locator("#feed")
    feed.locator("button[value='resolve']").click()
    page.wait_for_load_state()
    feed = page.locator("#feed")
    text = feed.inner_text()
    assert "verified by the solver" in text, text
    assert "protein passes" in text and "minimum for age" in text
    assert "no solution" not in text
    shot(page, "keto-infant-feed")
    page.locator("button[value='save']").click()
    page.wait_for_load_state()
    assert "Keto plan saved" in page.locator("body").inner_text()
    entry = Entry.objects.get(patient=patient, kind=Kind.KETO_PLAN)
    day = entry.data["feed"]["day"]
    assert [d["food"] for d in day] == ["ketocal-3-1-powder"] and day[0]["amount"] > 0
    assert entry.data["feed"]["match_protein"] is False


def test_family_prints_the_seven_day_menu_with_a_shopping_list(
    web: str, patient: Patient, signed_in: Any, shot: Any
) -> None:
    client = Client()
    client.force_login(User.objects.get(username="dietitian"))
    assert _save_week(client, patient).status_code == 302
    page = signed_in("family")
    page.goto(f"{web}/patients/{patient.pk}/print/menu/")
    body = page.locator("main").inner_text()
    for day in range(1, 8):
        assert f"Day {day}" in body
    assert "Meal 1" in body and "Meal 3" in body
    assert "Shopping list for the week" in body
    rows = page.locator(".keto-shopping tbody tr")
    assert rows.count() >= 3
    shot(page, "keto-week-menu-print")


def test_dietitian_enters_a_supplement_in_words_and_it_is_counted_and_saved(
    web: str, patient: Patient, signed_in: Any, shot: Any
) -> None:
    # issue 19: supplements were typed as "NAME:calcium_mg=600"; now a name, a nutrient from
    # the list and an amount a day, counted in the day's micronutrients and saved as before
    page = signed_in("dietitian")
    page.goto(f"{web}/patients/{patient.pk}/keto/")
    feed = page.locator("#feed")
    feed.locator("#f_add").fill("ketocal-3-1-powder")
    feed.locator("button[value='feed_add']").click()
    page.wait_for_load_state()
    section = page.locator("#micronutrients")
    section.get_by_label("Supplement", exact=True).fill("Calcium syrup")
    section.get_by_label("Nutrient 1 of supplement 1", exact=True).select_option(
        label="Calcium [mg]"
    )
    section.get_by_label("Amount a day of nutrient 1 of supplement 1", exact=False).fill("600")
    section.locator("button[value='supplement_rows']").click()
    page.wait_for_load_state()
    section = page.locator("#micronutrients")
    assert section.locator("#id_sup0_name").input_value() == "Calcium syrup"
    assert section.get_by_label("Add another supplement").count() == 1
    text = section.inner_text()
    assert "calcium_mg" not in text and "NAME:" not in text
    # the day of feeds counts the 600 mg in the Supplements column
    calcium = section.locator(".keto-dri tr", has_text="Calcium [mg]").first
    assert calcium.locator("td").nth(2).inner_text() == "600.0"
    shot(page, "keto-supplement-rows")
    page.locator("button[value='save']").click()
    page.wait_for_load_state()
    assert "Keto plan saved" in page.locator("body").inner_text()
    entry = Entry.objects.get(patient=patient, kind=Kind.KETO_PLAN)
    assert entry.data["prescription"]["supplements"] == "Calcium syrup:calcium_mg=600"
