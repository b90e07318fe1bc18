"""The diary page's reads of entries are found through an index on the patient *and the kind*,
so their cost does not grow with the record (issue 21): the week's query (an OR of the week's
kinds and the milestones, with the patient outside the OR) and the user's own last entry were
both answered by reading every entry of the patient (SQLite's plan: the patient's index
alone), a 2-year record's thousands on every page a tap returns to. Now the patient is in each
branch of the OR (SQLite's MULTI-INDEX OR) and the own last entry has its index. Checked by
SQLite's query plan of the statements as the app runs them, not by time."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from spasmcare.web.models import Patient
from tests.web.family.test_family import diary_url, log_cluster

ENTRY_TABLE = '"clinic_entry"'


def _plans(sql: str, params: Any) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [str(row[-1]) for row in cursor.fetchall()]


class Statements:
    """The SELECTs of entries a block runs, with their parameters (the plan of a statement
    with its values written in can differ from the plan the app gets)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, Any]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith("SELECT") and f"FROM {ENTRY_TABLE}" in sql:
            self.found.append((sql, params))
        return execute(sql, params, many, context)

    def entry_plans(self) -> list[tuple[str, str]]:
        """(plan line about the entries table, statement) of every statement found."""
        return [
            (line, sql)
            for sql, params in self.found
            for line in _plans(sql, params)
            if "clinic_entry " in line
        ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_diary_reads_entries_by_patient_and_kind(client_as: Any, patient: Patient) -> None:
    family = client_as("family")
    log_cluster(family, patient, 3)
    family.get(diary_url(patient))  # the per-version caches are warm: what a page reads
    log_cluster(family, patient, 2)
    statements = Statements()
    with connection.execute_wrapper(statements):
        assert family.get(diary_url(patient)).status_code == 200
    assert len(statements.found) >= 2  # the week with the milestones; the own last entry
    plans = statements.entry_plans()
    assert plans
    for line, sql in plans:
        assert "kind=?" in line or "PRIMARY KEY" in line, (line, sql)
