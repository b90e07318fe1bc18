"""Each role's main task as a new user meets it (issue 12), in a real browser.

Each of these failed before issue 12: the planner of a child with no diet was a dead end (the
gradual-start fields were not on the page, so "Recalculate" never got past the errors); the
family's printout gave a full day's meal plan with one meal of three designed and a blank
phone number; the phone medicine schedule scrolled sideways.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from spasmcare.web import audit, clinic, records
from spasmcare.web.models import CareTeam, Patient, User
from tests.web.browser.test_keto_browser import _add
from tests.web.conftest import example_record

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 360, "height": 740}


@pytest.fixture
def no_diet(team: CareTeam, users: dict[str, User]) -> Patient:
    """The example infant's record without any diet on record (a new keto patient)."""
    data = example_record()
    data["patient"]["id"] = "no-diet-1"
    data["patient"]["name"] = "New Keto (fictional)"
    data["diet_periods"] = []
    return audit.import_record(data, team, None)


def test_dietitian_starts_a_plan_from_nothing(
    web: str, no_diet: Patient, signed_in: Any, shot: Any
) -> None:
    page = signed_in("dietitian")
    page.goto(f"{web}/patients/{no_diet.pk}/keto/")
    # the page names what it needs, and marks it
    alert = page.locator("p.keto-alert[role=alert]").first
    assert alert.inner_text() == "To work out the prescription, fill in or correct: Ratio."
    assert page.locator(".kf-error #id_ratio").count() == 1
    assert page.locator("#id_days_per_step").is_visible()  # the gradual start is on the page
    page.fill("#id_ratio", "3")
    page.locator("button[name=action][value=resolve]", has_text="Recalculate").click()
    page.wait_for_load_state()
    assert page.locator("p.keto-alert[role=alert]").count() == 0
    assert "classic ketogenic" in page.locator("#prescription h3").first.inner_text().lower()
    meal = page.locator(".keto-meal").first
    _add(page, meal, "butter salted", "01001")
    _add(page, meal, "egg whole raw fresh", "01123")
    _add(page, meal, "strawberries raw", "09316")
    meal.locator(".keto-status .chip.ok").wait_for()
    page.locator("button[value=save]").click()
    page.wait_for_load_state()
    assert "Saved plan, version 1" in page.locator("main").inner_text()
    # one meal of three designed: the menu says so once, never "not planned" in every slot
    menu = page.locator("#menu").inner_text()
    assert "Only 1 of the day's 3 meals is designed" in menu
    assert "not planned" not in menu
    shot(page, "issue12-dietitian-from-nothing")
    # ... and the family's meal page is not a day's plan
    page.goto(f"{web}/patients/{no_diet.pk}/print/meals/")
    assert "The meal plan is not finished: 1 of 3 meals is designed" in page.inner_text("main")


def test_family_printout_has_the_clinic_phones_and_only_what_is_prescribed(
    web: str, patient: Patient, signed_in: Any, shot: Any
) -> None:
    page = signed_in("family")
    page.goto(f"{web}/patients/{patient.pk}/print/all/")
    text = page.inner_text("main")
    assert "This page cannot be printed yet: the clinic has not set its phone numbers" in text
    clinic.save({"phone": "01632 960123", "out_of_hours_phone": "01632 960456"}, None)
    page.goto(f"{web}/patients/{patient.pk}/print/all/")
    text = page.inner_text("main")
    assert "Phone: 01632 960123" in text and "Out of hours: 01632 960456" in text
    # no keto plan saved for this child: no meal plan or feed recipe in the printout
    assert page.locator("#part-meals").count() == 0 and page.locator("#part-feed").count() == 0
    shot(page, "issue12-family-print-all")


def test_phone_pages_have_no_sideways_scroll(
    browser: Any, web: str, patient: Patient, users: dict[str, User], shot: Any
) -> None:
    from tests.web.test_family import plan_the_vigabatrin

    plan_the_vigabatrin(patient, users["neurologist"])
    clinic.save({"phone": "01632 960123", "out_of_hours_phone": "01632 960456"}, None)
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{web}/login/")
        page.fill("#id_username", "family")
        page.fill("#id_password", "a-long-test-password-1")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        for path in ("medicines", "call", "all"):
            page.goto(f"{web}/patients/{patient.pk}/print/{path}/")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= NARROW["width"], f"{path}: {width} px wide at 360 px"
            assert "Ctrl+P" not in page.inner_text("body")
        shot(page, "issue12-phone-print-all")
        page.goto(f"{web}/family/{patient.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    finally:
        context.close()


def test_the_blood_pressure_of_an_infant_is_never_mere_information(
    web: str, patient: Patient, users: dict[str, User], signed_in: Any
) -> None:
    at = f"{(records.today() - timedelta(days=1)).isoformat()}T09:00"
    data = {"at": at, "systolic_mmhg": 135, "diastolic_mmhg": 90}
    audit.create_entry(patient, "vitals", data, users["nurse"])
    page = signed_in("neurologist")
    page.goto(f"{web}/patients/")
    assert page.locator(".notice-setup", has_text="Clinic settings not complete").is_visible()
    chip = page.locator(".chip", has_text="135/90 mmHg")
    assert "review" in (chip.get_attribute("class") or "")
