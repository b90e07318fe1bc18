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
