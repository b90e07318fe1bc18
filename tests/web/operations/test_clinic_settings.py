"""Clinic settings (issue 12): phone numbers and blood-pressure limits set by an administrator;
until they are set the patient list and dashboards say so, and a raised reading is never shown
as mere information."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.urls import reverse

from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic import clinic_settings as clinic
from spasmcare.web.models import Patient, User


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _bp(patient: Patient, user: User, systolic: float, diastolic: float) -> None:
    at = f"{(records.today() - timedelta(days=1)).isoformat()}T09:00"
    audit.create_entry(
        patient, "vitals", {"at": at, "systolic_mmhg": systolic, "diastolic_mmhg": diastolic}, user
    )


def test_unset_limits_show_a_warning_and_the_reading_for_review(
    client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    _bp(patient, users["nurse"], 135, 90)
    neurologist = client_as("neurologist")
    listing = neurologist.get(reverse("patient_list"))
    text = _text(listing)
    assert "Clinic settings not complete." in text
    assert "the blood-pressure alert limits (until then blood pressure is not checked)" in text
    # the reading itself, for review (not "info"), with the date as people write it
    (row,) = listing.context["rows"]
    (bp,) = [a for a in row["alerts"] if a["kind"] == "bp_thresholds_not_configured"]
    assert bp["severity"] == "review"
    assert "135/90 mmHg on" in bp["message"] and "not checked" in bp["message"]
    dashboard = _text(neurologist.get(reverse("patient_dashboard", args=[patient.pk])))
    assert "Clinic settings not complete." in dashboard and "135/90 mmHg" in dashboard


def test_admin_sets_the_limits_and_the_reading_becomes_urgent(
    client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    _bp(patient, users["nurse"], 135, 90)
    neurologist = client_as("neurologist")
    neurologist.get(reverse("patient_list"))  # a cached summary from before the settings
    # only an administrator saves; the form refuses a limit of 0 with its own words
    values = {
        "phone": "01632 960333",
        "out_of_hours_phone": "01632 960444",
        "bp_systolic_high_mmhg": "0",
        "bp_diastolic_high_mmhg": "80",
    }
    assert neurologist.post(reverse("clinic_settings_save"), values).status_code == 403
    admin = client_as("admin")
    refused = admin.post(reverse("clinic_settings_save"), values)
    assert refused.status_code == 400
    assert "0 is not accepted: a pressure in mmHg above 0" in _text(refused)
    assert clinic.current().bp_systolic_high_mmhg is None
    values["bp_systolic_high_mmhg"] = "120"  # the clinic's own numbers, for this test
    assert admin.post(reverse("clinic_settings_save"), values).status_code == 302
    listing = neurologist.get(reverse("patient_list"))
    assert "Clinic settings not complete." not in _text(listing)
    (row,) = listing.context["rows"]
    (bp,) = [a for a in row["alerts"] if a["kind"] == "bp_high"]
    assert bp["severity"] == "urgent"
    assert "systolic above the clinic's limit of 120 mmHg" in bp["message"]
    assert "diastolic above the clinic's limit of 80 mmHg" in bp["message"]
    page = _text(neurologist.get(reverse("clinic_settings")))
    assert "01632 960333" in page and "120 mmHg" in page


def test_patient_list_finds_filters_and_orders(
    client_as: Any, patient: Patient, team: Any
) -> None:
    from tests.web.conftest import example_record

    data = example_record()
    data["patient"]["id"], data["patient"]["name"] = "other-2", "Zed Other (fictional)"
    audit.import_record(data, team, None)
    nurse = client_as("nurse")
    names = [r["patient"].name for r in nurse.get("/patients/?sort=name").context["rows"]]
    assert names == sorted(names, key=str.lower) and len(names) == 2
    (row,) = nurse.get("/patients/?q=zed").context["rows"]
    assert row["patient"].name == "Zed Other (fictional)"
    (row,) = nurse.get("/patients/?q=other-2").context["rows"]
    empty = nurse.get("/patients/?q=nobody")
    assert empty.context["rows"] == [] and 'No patient matches "nobody"' in _text(empty)


def test_new_entry_dates_start_today(client_as: Any, patient: Patient) -> None:
    page = client_as("nurse").get(f"/patients/{patient.pk}/add/growth/")
    assert f'value="{records.today().isoformat()}"' in page.content.decode()
