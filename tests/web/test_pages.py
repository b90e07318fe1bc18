"""Clinic pages: patient list, dashboard, entries, history, import and export."""

from __future__ import annotations

import json
from typing import Any

from spasmcare.web.models import Entry, Patient, Revision
from tests.web.conftest import example_record


def test_dashboard_shows_measures_from_the_domain(client_as: Any, patient: Patient) -> None:
    response = client_as("neurologist").get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    # UKISS for the example: days 13-14 of pred1 (2026-06-13/14) recorded spasm-free -> met
    assert "UKISS: no spasms on days 13 and 14" in html
    assert "Kramer" in html


def test_patient_list(client_as: Any, patient: Patient) -> None:
    response = client_as("nurse").get("/patients/")
    assert response.status_code == 200
    assert patient.name in response.content.decode()


def _more_patients(team: Any, n: int) -> None:
    from spasmcare.web import audit

    for i in range(n):
        data = example_record()
        data["patient"]["id"] = f"extra-{i}"
        data["patient"]["name"] = f"Extra {i} (fictional)"
        audit.import_record(data, team, None)


def test_patient_list_queries_do_not_grow_with_patients(
    client_as: Any, patient: Patient, team: Any, django_assert_max_num_queries: Any
) -> None:
    from django.core.cache import cache

    c = client_as("nurse")
    _more_patients(team, 4)
    cache.clear()
    with django_assert_max_num_queries(8):  # session, user, patients, entries for all, ...
        response = c.get("/patients/")
    assert response.content.decode().count("Extra ") == 4


def test_dashboard_query_count(
    client_as: Any, patient: Patient, django_assert_max_num_queries: Any
) -> None:
    c = client_as("neurologist")
    with django_assert_max_num_queries(10):
        assert c.get(f"/patients/{patient.pk}/").status_code == 200


def test_export_round_trips_through_import(client_as: Any, patient: Patient, team: Any) -> None:
    from spasmcare.record import record_from_dict

    c = client_as("nurse")
    exported = json.loads(c.get(f"/patients/{patient.pk}/record.json").content)
    original = example_record()
    assert record_from_dict(exported) == record_from_dict(original)
    exported["patient"]["id"] = "copy-0001"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("r.json", json.dumps(exported).encode(), "application/json")
    r = c.post("/patients/import/", {"file": upload, "team": team.pk})
    assert r.status_code == 302
    copy = Patient.objects.get(record_id="copy-0001")
    assert (
        Entry.objects.filter(patient=copy).count() == Entry.objects.filter(patient=patient).count()
    )


def test_bad_import_names_the_entry_and_writes_nothing(
    client_as: Any, team: Any, patient: Patient
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = example_record()
    data["patient"]["id"] = "broken-0001"
    data["diary"][3]["spasms"] = 0
    before = (Patient.objects.count(), Entry.objects.count(), Revision.objects.count())
    upload = SimpleUploadedFile("r.json", json.dumps(data).encode(), "application/json")
    r = client_as("nurse").post("/patients/import/", {"file": upload, "team": team.pk})
    assert r.status_code == 200
    assert "diary[3].spasms: 0 is not accepted" in r.content.decode()
    assert (Patient.objects.count(), Entry.objects.count(), Revision.objects.count()) == before
