"""The dashboard's tables of entries are rendered again when a row they show changes, and
only then: a family's diary tap leaves them alone; a new blood pressure, an edit or a
retraction shows at once (a stale table of labs or doses is a clinical defect)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from spasmcare.web.clinic import audit
from spasmcare.web.models import Entry, Kind, Patient, User
from spasmcare.web.patients import entry_tables
from tests.web.family.test_family import log_cluster


@pytest.fixture
def rendered() -> Any:
    entry_tables.counts.clear()
    return lambda: entry_tables.counts["rendered"]


def _dashboard(client: Client, patient: Patient) -> str:
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _growth(patient: Patient) -> Entry:
    entry = Entry.objects.filter(patient=patient, kind=Kind.GROWTH).order_by("-day").first()
    assert entry is not None
    return entry


def test_a_diary_tap_leaves_the_tables_of_entries_alone(
    client_as: Any, patient: Patient, rendered: Any
) -> None:
    nurse, family = client_as("nurse"), client_as("family")
    first = _dashboard(nurse, patient)
    assert rendered() == 1
    log_cluster(family, patient, 6)
    after = _dashboard(nurse, patient)
    # the page is of the new data version (the tap is in the latest diary entries) ...
    assert "cluster of 6" in after and "cluster of 6" not in first
    # ... and its tables of courses, labs, growth and blood pressures were not rendered again
    assert rendered() == 1

    def tables(page: str) -> str:
        start = page.index("<h3>", page.index("Record entries"))
        return page[start : page.index("<h3>Latest diary entries")]

    assert "Growth" in tables(first) and tables(first) == tables(after)


def test_a_new_blood_pressure_an_edit_and_a_retraction_show_at_once(
    client_as: Any, patient: Patient, users: dict[str, User], rendered: Any
) -> None:
    nurse = client_as("nurse")
    _dashboard(nurse, patient)
    audit.create_entry(
        patient,
        Kind.VITALS,
        {"at": "2026-12-01T09:30", "systolic_mmhg": 97, "diastolic_mmhg": 61},
        users["nurse"],
    )
    page = _dashboard(nurse, patient)
    assert rendered() == 2 and "97" in page
    entry = _growth(patient)
    audit.update_entry(entry, entry.version, entry.data | {"weight_kg": 7.93}, users["nurse"])
    page = _dashboard(nurse, patient)
    assert rendered() == 3 and "7.93" in page
    entry.refresh_from_db()
    audit.retract_entry(entry, entry.version, "weighed in clothes", users["nurse"])
    page = _dashboard(nurse, patient)
    assert rendered() == 4 and "retracted: weighed in clothes" in page


def test_each_role_gets_its_own_links(client_as: Any, patient: Patient, rendered: Any) -> None:
    nurse_page = _dashboard(client_as("nurse"), patient)
    neuro_page = _dashboard(client_as("neurologist"), patient)
    assert rendered() == 2  # not the nurse's table for the neurologist
    assert "/retract/" in nurse_page and "/retract/" in neuro_page
