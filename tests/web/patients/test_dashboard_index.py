"""The dashboard's read of a patient's entries is found through the (patient, kind, day) index,
so its cost does not grow with the diary (issue 21): one query with an OR of the dashboard's
kinds, the week's dose ticks and the care-pathway entries read every entry of the patient.
Checked by SQLite's query plan, not by time (as tests/web/family/test_diary_index.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from spasmcare.web.models import Patient
from tests.web.family.test_diary_index import Statements


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_dashboard_reads_entries_by_patient_and_kind(
    client_as: Any, patient: Patient
) -> None:
    nurse = client_as("nurse")
    nurse.get(f"/patients/{patient.pk}/")
    statements = Statements()
    with connection.execute_wrapper(statements):
        assert nurse.get(f"/patients/{patient.pk}/").status_code == 200
    plans = statements.entry_plans()
    assert plans
    for line, sql in plans:
        assert "kind=?" in line or "PRIMARY KEY" in line, (line, sql)
