"""The diary page's reads of entries are found through an index on the patient *and the kind*,
so their cost does not grow with the record (issue 21): the week's query with an OR of the
week's kinds and the milestones, and the user's own last entry, were both answered by reading
every entry of the patient (SQLite's plan: the patient's index alone), a 2-year record's
thousands on every page a tap returns to. Checked by SQLite's query plan, not by time."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spasmcare.web.models import Patient
from tests.web.family.test_family import diary_url, log_cluster

ENTRY_TABLE = '"clinic_entry"'


def _plans(sql: str, params: Any) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [str(row[-1]) for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_diary_reads_entries_by_patient_and_kind(client_as: Any, patient: Patient) -> None:
    family = client_as("family")
    log_cluster(family, patient, 3)
    family.get(diary_url(patient))  # the per-version caches are warm: what a page reads
    log_cluster(family, patient, 2)
    with CaptureQueriesContext(connection) as queries:
        assert family.get(diary_url(patient)).status_code == 200
    captured = [
        q["sql"] for q in queries.captured_queries if f"FROM {ENTRY_TABLE}" in q["sql"]
    ]
    assert len(captured) >= 3  # the week, the milestones, the own last entry
    for sql in captured:
        # the logged SQL has its parameters inlined; the plan is the same
        plan = [line for line in _plans(sql, None) if "clinic_entry " in line]
        assert plan, sql
        for line in plan:
            assert "kind=?" in line or "PRIMARY KEY" in line, (line, sql)
