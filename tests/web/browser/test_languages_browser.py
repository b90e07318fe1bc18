"""The family's diary in Arabic on a 360 px phone (issue 26): laid out right to left, nothing
wider than the phone, each dose still read left to right ("525 mg", never "mg 525"), and the
"Given" tick at the row's far (left) end as it is at the right end in English."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.web.models import Patient, User
from tests.web.browser.test_role_tasks import NARROW, family_on_narrow_phone

pytestmark = pytest.mark.django_db(transaction=True)


def test_arabic_diary_reads_right_to_left_on_a_narrow_phone(
    browser: Any, web: str, patient: Patient, users: dict[str, User], shot: Any
) -> None:
    family = users["family"]
    family.language = "ar"
    family.save(update_fields=["language"])
    with family_on_narrow_phone(browser, web) as page:
        page.goto(f"{web}/family/{patient.pk}/")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        dose = page.locator("#medicines li.fam-dose", has_text="vigabatrin").first
        # the quantities keep their left-to-right order inside the Arabic sentence
        quantities = dose.locator(".qty").all_inner_texts()
        assert quantities[:2] == ["525 mg", "10,5 mL"]
        # the heading of the section starts at the right edge, the tick sits at the left end
        heading = page.locator("#med-h").bounding_box()
        card = page.locator("#medicines").bounding_box()
        assert heading is not None and card is not None
        assert heading["x"] + heading["width"] > card["x"] + card["width"] * 0.6
        tick = dose.locator(".fam-tick").bounding_box()
        time = dose.locator(".fam-time").bounding_box()
        assert tick is not None and time is not None
        assert tick["x"] < time["x"]  # the time (first) is on the right, the tick on the left
        shot(page, "issue26-arabic-diary-360")
