"""Clinic pages: patient list, dashboard, entries, history, import and export."""

from __future__ import annotations

import json
from typing import Any

import pytest

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
    from spasmcare.web.clinic import audit

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
    # session, user, patients, clinic settings (once, for the summary stamp and the setup
    # notice), entries for all, ...
    with django_assert_max_num_queries(10):
        response = c.get("/patients/")
    assert response.content.decode().count("Extra ") == 4


def test_dashboard_query_count(
    client_as: Any, patient: Patient, django_assert_max_num_queries: Any
) -> None:
    c = client_as("neurologist")
    # the first view also stores the patient's summary, report and warnings for every worker
    # (each: select, savepoint, upsert, release)
    with django_assert_max_num_queries(22):
        assert c.get(f"/patients/{patient.pk}/").status_code == 200
    from django.core.cache import cache

    from spasmcare.web.clinic import computed

    cache.clear()  # another worker process: the stored summary and views, nothing written
    computed.forget_local()
    with django_assert_max_num_queries(12):
        assert c.get(f"/patients/{patient.pk}/").status_code == 200


def test_a_page_reads_the_clinic_settings_once(client_as: Any, patient: Patient) -> None:
    """The patient list and the dashboard read the clinic's settings row once: the stored
    summaries' stamp and the "clinic still has to set" notice use the same read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_as("neurologist")
    for url in ("/patients/", f"/patients/{patient.pk}/"):
        c.get(url)  # the summaries and views stored: what is left is the page's own reads
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        sql = [q["sql"] for q in ctx.captured_queries]
        assert sum('FROM "clinic_clinicsettings"' in q for q in sql) == 1, url


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


FORM_CASES = [
    (
        "growth",
        {"date": "2026-11-01", "weight_kg": "7.2", "length_cm": "", "head_circumference_cm": ""},
        {"date": "2026-11-01", "weight_kg": 7.2},
    ),
    (
        "vitals",
        {"at": "2026-11-01T09:30", "systolic_mmhg": "96", "diastolic_mmhg": "58"},
        {"at": "2026-11-01T09:30", "systolic_mmhg": 96.0, "diastolic_mmhg": 58.0},
    ),
    (
        "adverse",
        {"date": "2026-06-11", "type": "hypertension", "grade": "2", "treatment": "pred1"},
        {"date": "2026-06-11", "type": "hypertension", "grade": 2, "treatment": "pred1"},
    ),
    (
        "lab",
        {"at": "2026-11-01T08:00", "analyte": "glucose", "value": "72", "unit": "mg/dL"},
        {"at": "2026-11-01T08:00", "analyte": "glucose", "value": 72.0, "unit": "mg/dL"},
    ),
    ("recorded_day", {"date": "2026-11-02"}, {"date": "2026-11-02"}),
    (
        "eeg",
        {"date": "2026-11-03", "hypsarrhythmia": "false", "based_grade": "1"}
        | {f"kramer_{i}": "0" for i in ("disorganisation", "delta_slowing", "amplitude", "spikes")}
        | {"kramer_other_abnormalities": "1"},
        {
            "date": "2026-11-03",
            "hypsarrhythmia": False,
            "based_grade": 1,
            "kramer": {
                "items": {
                    "disorganisation": 0,
                    "delta_slowing": 0,
                    "amplitude": 0,
                    "spikes": 0,
                    "other_abnormalities": 1,
                }
            },
        },
    ),
]


@pytest.mark.parametrize(("kind", "form", "item"), FORM_CASES)
def test_entry_forms_store_record_items(
    client_as: Any, patient: Patient, kind: str, form: dict[str, str], item: dict[str, Any]
) -> None:
    # an EEG reading is the neurologist's (access.WRITES); the rest any clinician records
    role = "neurologist" if kind == "eeg" else "nurse"
    r = client_as(role).post(f"/patients/{patient.pk}/add/{kind}/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    entry = Entry.objects.filter(patient=patient, kind=kind).order_by("-id").first()
    assert entry is not None and entry.data == item


def test_patient_list_names_the_current_diet(client_as: Any, patient: Patient) -> None:
    # the example infant is on diet period kd1 (classic-kd, open-ended since 2026-08-10)
    html = client_as("nurse").get("/patients/").content.decode()
    assert "classic ketogenic diet" in html
