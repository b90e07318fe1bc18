"""The diet's monitoring checks due and overdue (issue 24) on the dashboard, the patient list
and the family's printed sheet, for a diet started on a date chosen by hand.

The diet starts on 7 Oct 2026. The UK/Ireland time points (Schoeler 2020, via
``spasmcare.keto.monitoring``) put the 3-month check on 7 Jan 2027 (7 Oct + 3 calendar
months); with the default ``overdue_after_days`` 0 it is due on 7 Jan and overdue from the day
after, 8 Jan 2027 (the first overdue day). The baseline blood tests are done by the bicarbonate
of 1 Oct 2026 (within the 30 days before the start); the baseline weight by the growth entry of
the same day.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from spasmcare.web.clinic import audit, records
from spasmcare.web.models import CareTeam, Kind, Patient, User
from spasmcare.web.patients import summaries

RECORD: dict[str, Any] = {
    "format": "spasmcare-record",
    "schema_version": 1,
    "patient": {
        "id": "diet-checks",
        "name": "Willow Checks (fictional)",
        "birth_date": "2026-04-01",
        "sex": "female",
    },
    "etiology": {"category": "unknown"},
    "diet_periods": [
        {"id": "kd1", "diet": "classic-kd", "start": "2026-10-07", "prescribed_ratio": 3.0}
    ],
    "labs": [
        {"at": "2026-10-01T09:00", "analyte": "bicarbonate", "value": 22, "unit": "mmol/L"}
    ],
    "growth": [{"date": "2026-10-01", "weight_kg": 7.2, "length_cm": 66.0}],
}
THREE_MONTHS = "Blood tests due on 7 Jan 2027"
OVERDUE = "Blood tests due on 7 Jan 2027: overdue since 8 Jan 2027"
BASELINE = "Blood tests due on 7 Oct 2026"


@pytest.fixture
def willow(team: CareTeam, users: dict[str, User]) -> Patient:
    from spasmcare.record import FORMAT

    data = RECORD | {"format": FORMAT}
    patient = audit.import_record(data, team, None)
    users["family"].children.add(patient)
    return patient


def _on(monkeypatch: Any, day: date) -> None:
    monkeypatch.setattr(records, "today", lambda: day)


def _texts(html: str) -> list[str]:
    return re.findall(r'data-diet-check="blood_panel" data-status="(\w+)"', html)


def test_the_first_overdue_day_on_dashboard_list_and_family_sheet(
    willow: Patient, client_as: Any, monkeypatch: Any
) -> None:
    nurse: Client = client_as("nurse")
    family: Client = client_as("family")
    _on(monkeypatch, date(2027, 1, 6))  # the day before: nothing due for the blood tests
    page = nurse.get(f"/patients/{willow.pk}/").content.decode()
    assert THREE_MONTHS not in page and BASELINE not in page
    _on(monkeypatch, date(2027, 1, 7))  # due on its day, not yet overdue
    page = nurse.get(f"/patients/{willow.pk}/").content.decode()
    assert THREE_MONTHS in page and OVERDUE not in page
    assert _texts(page) == ["due"]
    _on(monkeypatch, date(2027, 1, 8))  # the first overdue day
    dashboard = nurse.get(f"/patients/{willow.pk}/").content.decode()
    assert OVERDUE in dashboard and _texts(dashboard) == ["overdue"]
    assert BASELINE not in dashboard  # the baseline blood tests were done on 1 Oct 2026
    listing = nurse.get("/patients/").content.decode()
    assert "Diet: " + OVERDUE in listing
    only = nurse.get("/patients/?alerts=1").content.decode()
    assert "Willow Checks" in only  # an overdue diet check counts as something to look at
    sheet = family.get(f"/patients/{willow.pk}/print/checks/").content.decode()
    assert OVERDUE in sheet and "please ask the team soon" in sheet
    everything = family.get(f"/patients/{willow.pk}/print/all/").content.decode()
    assert OVERDUE in everything


def test_entering_the_result_clears_the_check_everywhere(
    willow: Patient, client_as: Any, monkeypatch: Any
) -> None:
    nurse: Client = client_as("nurse")
    _on(monkeypatch, date(2027, 1, 8))
    before = summaries.summaries([Patient.objects.get(pk=willow.pk)])[willow.pk]
    assert [c["text"] for c in before["diet_checks"] if c["check"] == "blood_panel"] == [OVERDUE]
    audit.create_entry(
        willow,
        Kind.LAB,
        {"at": "2027-01-08T09:00", "analyte": "bicarbonate", "value": 23, "unit": "mmol/L"},
        None,
    )
    # the stored summary is recomputed for the new data version
    after = summaries.summaries([Patient.objects.get(pk=willow.pk)])[willow.pk]
    assert not [c for c in after["diet_checks"] if c["check"] == "blood_panel"]
    assert OVERDUE not in nurse.get("/patients/").content.decode()
    assert OVERDUE not in nurse.get(f"/patients/{willow.pk}/").content.decode()


def test_no_diet_no_checks_and_no_side_effect_button(
    team: CareTeam, users: dict[str, User], client_as: Any
) -> None:
    """A patient without a diet period: no diet checks, no side-effect button."""
    from spasmcare.record import FORMAT

    data = {k: v for k, v in RECORD.items() if k != "diet_periods"} | {"format": FORMAT}
    data["patient"] = {**RECORD["patient"], "id": "no-diet"}
    patient = audit.import_record(data, team, None)
    users["family"].children.add(patient)
    family: Client = client_as("family")
    diary = family.get(f"/family/{patient.pk}/").content.decode()
    assert "side effect of the diet" not in diary and "Diet check-ups" not in diary
    sheet = family.get(f"/patients/{patient.pk}/print/checks/").content.decode()
    assert "No diet is recorded" in sheet
    everything = family.get(f"/patients/{patient.pk}/print/all/").content.decode()
    assert "Diet check-ups" not in everything


def test_a_month_end_start_clipped_to_february(
    team: CareTeam, users: dict[str, User], client_as: Any, monkeypatch: Any
) -> None:
    """A diet started on 30 Nov 2026: 30 Nov + 3 calendar months is 30 Feb, which 2027 lacks,
    so the check falls on the month's last day, 28 Feb 2027; overdue from 1 Mar 2027 (by
    hand, the domain's month rule)."""
    from spasmcare.record import FORMAT

    data = RECORD | {"format": FORMAT}
    data["patient"] = {**RECORD["patient"], "id": "month-end"}
    data["diet_periods"] = [{"id": "kd1", "diet": "classic-kd", "start": "2026-11-30"}]
    data["labs"] = [{**RECORD["labs"][0], "at": "2026-11-20T09:00"}]
    audit.import_record(data, team, None)
    nurse: Client = client_as("nurse")
    _on(monkeypatch, date(2027, 2, 28))
    listing = nurse.get("/patients/").content.decode()
    assert "Diet: Blood tests due on 28 Feb 2027<" in listing
    _on(monkeypatch, date(2027, 3, 1))
    listing = nurse.get("/patients/").content.decode()
    assert "Diet: Blood tests due on 28 Feb 2027: overdue since 1 Mar 2027" in listing
