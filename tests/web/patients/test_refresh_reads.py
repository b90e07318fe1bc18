"""The summary refresh after a write knows the written patient's stored summary is stale, so
it does not read it (issue 21: the row is a large JSON document, read and decoded after every
tap only to find its stamp old). Counted by queries, never by time."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from spasmcare.web.models import Patient
from spasmcare.web.patients.models import PatientSummary
from tests.web.family.test_family import diary_url, log_url, nonce_of


def _count(queries: CaptureQueriesContext, text: str) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].startswith(text))


def test_the_refresh_after_a_tap_writes_the_summary_without_reading_it(
    client_as: Any, patient: Patient
) -> None:
    family, nurse = client_as("family"), client_as("nurse")
    assert nurse.get("/patients/").status_code == 200  # a stored summary exists
    nonce = nonce_of(family.get(diary_url(patient)).content.decode())
    with CaptureQueriesContext(connection) as queries:
        response = family.post(
            log_url(patient), {"action": "cluster", "spasms": "3", "nonce": nonce}
        )
    assert response.status_code == 302
    assert _count(queries, 'SELECT "clinic_patientsummary"') == 0
    assert _count(queries, 'INSERT INTO "clinic_patientsummary"') == 1
    patient.refresh_from_db()
    row = PatientSummary.objects.get(patient=patient)
    assert row.data_version == patient.data_version  # the list reads it without computing
    with CaptureQueriesContext(connection) as queries:
        assert nurse.get("/patients/").status_code == 200
    assert _count(queries, 'INSERT INTO "clinic_patientsummary"') == 0
