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
