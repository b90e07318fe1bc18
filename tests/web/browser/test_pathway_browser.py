"""The first-line proposal on the dashboard in a real browser (issue 23): the neurologist of a
child with tuberous sclerosis complex sees vigabatrin proposed with its source, overrides it
(refused without a reason, saved with one) and accepts it again; each answer is an entry."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam, Entry, Kind, User
from tests.web.conftest import example_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_neurologist_overrides_with_a_reason_then_accepts(
    signed_in: Any, web: str, team: CareTeam, users: dict[str, User], shot: Any
) -> None:
    data = example_record()
    data["patient"] = {**data["patient"], "id": "tsc-1", "name": "Tsc Example (fictional)"}
    data["etiology"] = {"category": "tsc"}
    patient = audit.import_record(data, team, None)
    page = signed_in("neurologist")
    page.goto(f"{web}/patients/{patient.pk}/")
    panel = page.locator("#care-pathway")
    assert "vigabatrin is the first choice" in panel.inner_text()
    assert "UKISS" in panel.inner_text()
    panel.get_by_role("link", name="Override with a reason").first.click()
    page.wait_for_load_state()
    page.fill("#id_chosen", "prednisolone")
    # an empty reason the browser itself refuses (required); blanks reach the server, which
    # refuses them and says what is needed
    page.fill("#id_reason", "   ")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Needed: the reason for the override, in words." in page.inner_text("body")
    assert not Entry.objects.filter(patient=patient, kind=Kind.PATHWAY_OVERRIDE).exists()
    page.fill("#id_reason", "vigabatrin out of stock until Friday")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    panel = page.locator("#care-pathway")
    assert "chose prednisolone; vigabatrin out of stock until Friday" in panel.inner_text()
    shot(page, "pathway-overridden")
    panel.get_by_role("button", name="Accept").first.click()
    page.wait_for_load_state()
    assert "Accepted on" in page.locator("#care-pathway").inner_text()
    assert Entry.objects.filter(patient=patient, kind=Kind.PATHWAY_ACCEPT).count() == 1
    assert Entry.objects.filter(patient=patient, kind=Kind.PATHWAY_OVERRIDE).count() == 1
