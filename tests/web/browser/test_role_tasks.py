"""Each role's main task as a new user meets it (issue 12), in a real browser.

Each of these failed before issue 12: the planner of a child with no diet was a dead end (the
gradual-start fields were not on the page, so "Recalculate" never got past the errors); the
family's printout gave a full day's meal plan with one meal of three designed and a blank
phone number; the phone medicine schedule scrolled sideways; a course saved with day 7
answered "yes" read as "not yet answered" on the dashboard; the menu counted its foods by
table id; a family could not tick a dose as given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest

from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic import clinic_settings as clinic
from spasmcare.web.models import CareTeam, Entry, Kind, Patient, User
from tests.web.browser.test_keto_browser import _add
from tests.web.conftest import example_record
from tests.web.courses.test_course import clinic_dir  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 360, "height": 740}


@contextmanager
def family_on_narrow_phone(browser: Any, web: str) -> Iterator[Any]:
    """A page of the family signed in through the form on a 360 px touch phone (the
    narrowest in use), closed afterwards."""
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{web}/login/")
        page.fill("#id_username", "family")
        page.fill("#id_password", "a-long-test-password-1")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        yield page
    finally:
        context.close()


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
    _add(page, meal, "egg whole hard-boiled", "01129")  # never raw for an infant (issue 19)
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
    from tests.web.family.test_family import plan_the_vigabatrin

    plan_the_vigabatrin(patient, users["neurologist"])
    clinic.save({"phone": "01632 960123", "out_of_hours_phone": "01632 960456"}, None)
    with family_on_narrow_phone(browser, web) as page:
        for path in ("medicines", "call", "all"):
            page.goto(f"{web}/patients/{patient.pk}/print/{path}/")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= NARROW["width"], f"{path}: {width} px wide at 360 px"
            assert "Ctrl+P" not in page.inner_text("body")
        shot(page, "issue12-phone-print-all")
        page.goto(f"{web}/family/{patient.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


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


# --- issue 12, second part: the day-7 answer, a dietitian's whole plan, a dose ticked given ----


@pytest.mark.usefixtures("clinic_dir")
def test_neurologist_answers_day7_yes_and_every_page_agrees(
    web: str, patient: Patient, signed_in: Any, shot: Any
) -> None:
    """The neurologist saves the prednisolone course with day 7 answered "yes" (spasms
    continuing): the dashboard, the family's medicine printout and the patient list all give
    the escalated dose, none says "not yet answered" (before issue 12 the dashboard read the
    diary's re-plan and said the answer was still open, with the 40 mg/day dose going on)."""
    page = signed_in("neurologist")
    page.goto(f"{web}/patients/{patient.pk}/course/")
    page.locator('a[href*="protocol=prednisolone-high-dose"]', has_text="Plan").click()
    page.wait_for_load_state()
    page.fill("#id_start", "2026-07-01")
    page.fill("#id_weight_kg", "6")
    page.select_option("#id_decision_day7_spasms_continuing", "yes")
    page.get_by_role("button", name="Preview the plan").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Save the course").click()
    page.wait_for_load_state()
    assert "Course pred2 saved" in page.inner_text("main")
    saved = Entry.objects.get(patient=patient, kind=Kind.TREATMENT, data__id="pred2")
    assert saved.extra["planner"]["decisions"] == {"day7_spasms_continuing": True}
    assert "ISO" not in page.inner_text("main") and "from 1 Jun 2026" in page.inner_text("main")

    # the dashboard: the saved answer and its dose, in words
    page.goto(f"{web}/patients/{patient.pk}/")
    day7 = page.locator("section.card", has_text="Day-7 decision").inner_text()
    assert (
        "answered in the saved course Are spasms continuing at day 7? yes: Prednisolone 20 mg "
        "three times daily on days 8-14"
    ) in day7
    assert "not yet answered" not in day7 and "40 mg/day dose continues" not in day7
    assert "spasms on 7 Jun 2026" in day7 and "2026-06-07" not in day7
    shot(page, "issue12-day7-yes-dashboard")

    # the patient list: no open question, no detail of this course waiting for the clinic
    page.goto(f"{web}/patients/")
    row = page.locator("tr", has_text=patient.name).inner_text()
    for contradiction in ("not yet answered", "unconfirmed", "to be confirmed", "day7-escalation"):
        assert contradiction not in row, contradiction

    # the family's medicine printout (as the family opens it): week 2 at the escalated dose
    family = signed_in("family")
    family.goto(f"{web}/patients/{patient.pk}/print/medicines/")
    week2 = family.locator("tr", has_text="Wed 8 Jul to Tue 14 Jul").inner_text()
    assert "20 mg" in week2 and "08:00, 14:00, 20:00" in week2
    text = family.inner_text("main")
    assert "to be confirmed" not in text.lower() and "not yet answered" not in text
    shot(family, "issue12-day7-yes-family-printout")


def test_dietitian_saves_a_meal_a_feed_and_a_varied_week(
    web: str, no_diet: Patient, signed_in: Any, shot: Any
) -> None:
    """From nothing: a meal, an infant feed that meets the prescription, saved together; the
    saved plan's 7-day menu varies from day to day and names its foods in words; the family's
    feed recipe prints."""
    page = signed_in("dietitian")
    page.goto(f"{web}/patients/{no_diet.pk}/keto/")
    page.fill("#id_ratio", "3")
    page.locator("button[name=action][value=resolve]", has_text="Recalculate").click()
    page.wait_for_load_state()
    meal = page.locator(".keto-meal").first
    _add(page, meal, "butter salted", "01001")
    _add(page, meal, "egg whole hard-boiled", "01129")  # never raw for an infant (issue 19)
    _add(page, meal, "strawberries raw", "09316")
    meal.locator(".keto-status .chip.ok").wait_for()
    # the feed: KetoCal 3:1 chosen from the search, breast milk and Liquigen by id
    feed = page.locator("#feed")
    feed.locator("input.food-search").fill("ketocal")
    hit = feed.locator(".keto-hits li", has_text="ketocal-3-1-powder").first
    hit.wait_for()
    hit.dispatch_event("mousedown")
    page.wait_for_load_state()
    for food in ("01107", "liquigen"):
        feed = page.locator("#feed")
        feed.locator("input.food-search").fill(food)
        feed.locator("select[name=f_add_kind]").select_option("liquid")
        feed.locator("button[value=feed_add]").click()
        page.wait_for_load_state()
    page.locator("#feed_feeds").fill("6")
    page.locator("input[name=feed_protein]").check()
    page.locator("#feed button[value=resolve]").click()
    page.wait_for_load_state()
    assert "verified by the solver 6 feeds of" in page.locator("#feed").inner_text()
    page.locator("button[value=save]").click()
    page.wait_for_load_state()
    assert "Saved plan, version 1" in page.locator("main").inner_text()
    saved = Entry.objects.get(patient=no_diet, kind=Kind.KETO_PLAN)
    assert saved.data["feed"] is not None and saved.data["feed"]["feeds"] == 6
    assert [i["food"] for i in saved.data["feed"]["ingredients"]] == [
        "ketocal-3-1-powder", "01107", "liquigen",
    ]
    assert len([m for m in saved.data["meals"] if m.get("items")]) == 1

    # the week's menu: seven days, each with its meal, and more than one distinct meal
    rows = page.locator("#menu table.keto-menu tbody tr")
    assert rows.count() == 7
    days = [rows.nth(k).locator("td").inner_text() for k in range(7)]
    assert all("Meal 1:" in d and "not planned" not in d for d in days)
    # the foods of each day's meal, without the grams (which the solver tunes per day)
    meals = {re.sub(r"\s[\d.]+ g", "", d.split("—")[0]).strip() for d in days}
    assert len(meals) > 1, meals
    menu = page.locator("#menu").inner_text()
    assert "Meals per food: Butter, salted ×" in menu
    assert "01001" not in menu and "09316" not in menu  # foods by name, not table id
    shot(page, "issue12-dietitian-meal-feed-menu")

    # the family's feed recipe, as the team prints it for them
    page.goto(f"{web}/patients/{no_diet.pk}/print/feed/")
    assert "6 feeds a day" in page.locator("main").inner_text()


def pred_0800(page: Any) -> Any:
    """The 08:00 prednisolone dose of the phone's medicine list."""
    return page.locator("#medicines li.fam-dose", has_text="08:00").filter(has_text="prednisolone")


def test_family_ticks_a_dose_given_on_a_small_phone(
    browser: Any, web: str, patient: Patient, client_as: Any, signed_in: Any, shot: Any
) -> None:
    """A parent taps "Given" beside today's 08:00 prednisolone on a 360 px phone, sees the tick,
    undoes it, ticks it again; the page never scrolls sideways; the nurse sees the tick on the
    dashboard."""
    from tests.web.courses.test_doses_given import start_prednisolone

    group = start_prednisolone(client_as, patient)
    # (the example's vigabatrin has an 08:00 dose too since issue 19: the prednisolone one)
    with family_on_narrow_phone(browser, web) as page:
        page.goto(f"{web}/family/{patient.pk}/")
        dose = pred_0800(page)
        assert "prednisolone" in dose.inner_text() and "10 mg" in dose.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        with page.expect_navigation():
            dose.get_by_role("button", name="prednisolone 08:00: given").tap()
        dose = pred_0800(page)
        assert "✓ given" in dose.inner_text() and "mother" in dose.inner_text()
        assert "Ticked: prednisolone 08:00 given." in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        shot(page, "issue12-family-dose-given-360")
        (tick,) = Entry.objects.filter(
            patient=patient, kind=Kind.DOSE_GIVEN, retracted_at__isnull=True
        )
        assert tick.data["treatment"] == group and tick.data["time"] == "08:00"

        # tapped by mistake: undo, and the Given button is back
        with page.expect_navigation():
            dose.get_by_role("button", name="Undo the tick of prednisolone 08:00").tap()
        dose = pred_0800(page)
        assert "✓ given" not in dose.inner_text()
        assert dose.get_by_role("button", name="prednisolone 08:00: given").is_visible()
        tick.refresh_from_db()
        assert tick.retracted_at is not None and tick.retraction_reason == "entered by mistake"
        with page.expect_navigation():
            dose.get_by_role("button", name="prednisolone 08:00: given").tap()
        assert "✓ given" in pred_0800(page).inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]

    nurse = signed_in("nurse")
    nurse.goto(f"{web}/patients/{patient.pk}/")
    doses = nurse.locator("#doses-given").inner_text()
    assert "prednisolone" in doses and "08:00" in doses and "given" in doses
    assert "mother" in doses
    shot(nurse, "issue12-dashboard-doses-given")
