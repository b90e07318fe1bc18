"""Audit trail and optimistic concurrency: nothing is lost, nothing silently overwritten."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.errors import InputError
from spasmcare.web import audit, records
from spasmcare.web.models import Entry, Patient, Revision, User


def _growth(patient: Patient) -> Entry:
    entry = Entry.objects.filter(patient=patient, kind="growth").order_by("day").last()
    assert entry is not None
    return entry


def test_edit_keeps_the_previous_version(patient: Patient, users: dict[str, User]) -> None:
    entry = _growth(patient)
    before = dict(entry.data)
    audit.update_entry(entry, 1, before | {"weight_kg": 7.4}, users["nurse"])
    entry.refresh_from_db()
    assert entry.version == 2 and entry.data["weight_kg"] == 7.4
    versions = list(entry.revisions.order_by("version"))
    assert [r.action for r in versions] == ["import", "update"]
    assert versions[0].snapshot["data"] == before
    assert versions[1].by == users["nurse"]


def test_stale_edit_is_refused_and_changes_nothing(
    patient: Patient, users: dict[str, User]
) -> None:
    entry = _growth(patient)
    audit.update_entry(entry, 1, entry.data | {"weight_kg": 7.4}, users["nurse"])
    stale = Entry.objects.get(pk=entry.pk)
    with pytest.raises(audit.StaleEdit, match="changed by nurse"):
        audit.update_entry(stale, 1, stale.data | {"weight_kg": 9.9}, users["dietitian"])
    entry.refresh_from_db()
    assert entry.data["weight_kg"] == 7.4 and entry.version == 2
    assert entry.revisions.count() == 2


def test_stale_form_shows_a_message(client_as: Any, patient: Patient, users: Any) -> None:
    entry = _growth(patient)
    url = f"/patients/{patient.pk}/entries/{entry.pk}/edit/"
    form = {"version": 1, "date": entry.data["date"], "weight_kg": "7.5"}
    audit.update_entry(entry, 1, entry.data | {"weight_kg": 7.4}, users["nurse"])
    response = client_as("dietitian").post(url, form)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    entry.refresh_from_db()
    assert entry.data["weight_kg"] == 7.4


def test_retract_hides_from_record_but_keeps_row(patient: Patient, users: dict[str, User]) -> None:
    entry = Entry.objects.filter(patient=patient, kind="diary").first()
    assert entry is not None
    n_before = len(records.load_record(patient).diary)
    with pytest.raises(InputError, match="reason"):
        audit.retract_entry(entry, 1, "  ", users["nurse"])
    audit.retract_entry(entry, 1, "duplicate of the 06:40 entry", users["nurse"])
    patient.refresh_from_db()
    assert len(records.load_record(patient).diary) == n_before - 1
    entry.refresh_from_db()
    assert entry.retracted_by == users["nurse"]
    last = entry.revisions.last()
    assert last is not None and last.action == "retract"
    assert last.reason == "duplicate of the 06:40 entry"
    # a retracted entry cannot be edited behind the trail's back
    with pytest.raises(audit.StaleEdit):
        audit.update_entry(entry, 2, entry.data, users["nurse"])


def test_bad_item_is_refused_with_the_field_named(client_as: Any, patient: Patient) -> None:
    before = Entry.objects.count()
    response = client_as("nurse").post(
        f"/patients/{patient.pk}/add/diary/",
        {"at": "2026-11-01T10:00", "entry_kind": "single", "spasms": "3"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 is not accepted" in html, html
    assert Entry.objects.count() == before
    assert not Revision.objects.filter(entry__isnull=False, action="create").exists()


def test_add_diary_entry_via_form(client_as: Any, patient: Patient) -> None:
    response = client_as("nurse").post(
        f"/patients/{patient.pk}/add/diary/",
        {"at": "2026-11-01T10:00", "entry_kind": "cluster", "spasms": "9", "observer": "nurse"},
    )
    assert response.status_code == 302
    e = Entry.objects.filter(patient=patient, kind="diary").order_by("-id").first()
    assert e is not None and e.data == {
        "at": "2026-11-01T10:00",
        "kind": "cluster",
        "spasms": 9,
        "observer": "nurse",
    }
    assert e.revisions.get().action == "create"


def test_patient_edit_is_versioned(client_as: Any, patient: Patient) -> None:
    c = client_as("neurologist")
    url = f"/patients/{patient.pk}/edit/"
    page = c.get(url).content.decode()
    assert 'name="version" value="1"' in page
    form = {
        "version": 1,
        "record_id": "demo-0001",
        "name": "Rowan Renamed (fictional)",
        "birth_date": "2026-01-12",
        "sex": "female",
        "gestation_weeks": 35,
        "gestation_days": 2,
        "onset_date": "2026-05-18",
        "etiology_category": "structural",
    }
    assert c.post(url, form).status_code == 302
    patient.refresh_from_db()
    assert patient.name == "Rowan Renamed (fictional)" and patient.version == 2
    again = c.post(url, form | {"name": "Someone Else"})
    assert "Nothing was saved" in again.content.decode()
    patient.refresh_from_db()
    assert patient.name == "Rowan Renamed (fictional)"
