"""The family invitation page in a real browser: Copy puts the one-time link on the clipboard
(through the static script, under the app's Content-Security-Policy) and the QR code shows."""

from __future__ import annotations

from typing import Any

from spasmcare.web.models import Patient


def test_nurse_copies_the_invitation_link_and_sees_the_qr_code(
    web: str, patient: Patient, signed_in: Any, shot: Any
) -> None:
    page = signed_in("nurse")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=web)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{web}/patients/{patient.pk}/")
    page.fill("input[name=relationship]", "grandmother")
    page.locator("input[name=relationship]").press("Enter")
    page.wait_for_load_state()
    link = page.input_value("#invite-link")
    assert "/join/" in link
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    qr = page.locator("svg.invite-qr")
    assert qr.is_visible() and qr.bounding_box()["width"] > 100
    assert page.get_by_role("button", name="Print the page for the family").is_visible()
    assert blocked == []
    shot(page, "invitation")
