"""The dashboard's read of a patient's entries is found through the (patient, kind, day) index,
so its cost does not grow with the diary (issue 21): one query with an OR of the dashboard's
kinds, the week's dose ticks and the care-pathway entries read every entry of the patient.
Checked by SQLite's query plan, not by time (as tests/web/family/test_diary_index.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spasmcare.web.models import Patient
from tests.web.family.test_diary_index import ENTRY_TABLE, _plans


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_dashboard_reads_entries_by_patient_and_kind(
    client_as: Any, patient: Patient
) -> None:
    nurse = client_as("nurse")
    nurse.get(f"/patients/{patient.pk}/")
    with CaptureQueriesContext(connection) as queries:
        assert nurse.get(f"/patients/{patient.pk}/").status_code == 200
    captured = [
        q["sql"]
        for q in queries.captured_queries
        if f"FROM {ENTRY_TABLE}" in q["sql"] and '"clinic_entry"."data"' in q["sql"]
    ]
    assert len(captured) >= 3, captured  # the dashboard's kinds, the dose ticks, the pathway
    for sql in captured:
        for line in _plans(sql, None):
            if "clinic_entry " in line:
                assert "kind=?" in line or "PRIMARY KEY" in line, (line, sql)
