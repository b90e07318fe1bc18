"""The clinic's main flows in a real browser (Debian Chromium, headless)."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.web.models import Patient

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_lands_on_patient_list_with_alerts(
    browser: Any, web: str, patient: Patient, signed_in: Any, shot: Any
) -> None:
    page = signed_in("neurologist")
    assert page.url.endswith("/patients/")
    assert page.get_by_role("link", name=patient.name).is_visible()
    shot(page, "patient-list")


def test_wrong_password_is_refused(browser: Any, web: str, users: Any, shot: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{web}/login/")
    page.fill("#id_username", "nurse")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    page.get_by_text("User name or password is not right").wait_for()
    shot(page, "login-refused")
    context.close()


def test_open_dashboard_and_report(web: str, patient: Patient, signed_in: Any, shot: Any) -> None:
    page = signed_in("neurologist")
    page.get_by_role("link", name=patient.name).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Response").is_visible()
    # the timeline and growth charts load as images
    for alt in ("Timeline", "Weight"):
        img = page.locator(f"img[alt^='{alt}']")
        img.wait_for()
        assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) > 300
    shot(page, "dashboard")
    page.get_by_role("link", name="Full report").click()
    page.wait_for_load_state()
    assert "UKISS" in page.content()
    shot(page, "report")


def test_family_logs_a_cluster_in_two_taps_on_a_phone(
    web: str, patient: Patient, signed_in: Any, shot: Any
) -> None:
    from spasmcare.web.models import Entry

    page = signed_in("family", phone=True)
    assert page.url.endswith(f"/family/{patient.pk}/")  # one child: straight to the diary
    before = Entry.objects.filter(patient=patient, kind="diary").count()
    shot(page, "family-diary-phone")
    page.get_by_text("Cluster now", exact=True).click()  # tap 1
    page.get_by_role("button", name="8", exact=True).click()  # tap 2: saved
    page.wait_for_load_state()
    assert Entry.objects.filter(patient=patient, kind="diary").count() == before + 1
    newest = Entry.objects.filter(patient=patient, kind="diary").order_by("-id").first()
    assert newest is not None and newest.data["spasms"] == 8
    assert newest.data["observer"] == "mother"
    # the phone page fits its width: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "family-diary-logged")


def test_neurologist_plans_and_saves_a_prednisolone_course(
    web: str, patient: Patient, signed_in: Any, shot: Any
) -> None:
    from spasmcare.web.models import Entry

    page = signed_in("neurologist")
    page.goto(f"{web}/patients/{patient.pk}/course/")
    page.locator('a[href*="protocol=prednisolone-high-dose"]', has_text="Plan").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Preview the plan").click()
    page.wait_for_load_state()
    body = page.content()
    assert "40 mg/day" in body  # high-dose prednisolone: 10 mg four times a day for 14 days
    shot(page, "course-preview")
    page.get_by_role("button", name="Save the course").click()
    page.wait_for_load_state()
    saved = Entry.objects.filter(patient=patient, kind="treatment").order_by("-id").first()
    assert saved is not None and saved.data["protocol"] == "prednisolone-high-dose"
    assert saved.data["doses"][0]["amount"] == 40
    assert saved.data["doses"][0]["unit"] == "mg/day"
    shot(page, "course-saved")
