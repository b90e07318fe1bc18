from typing import Any
from spasmcare.web import audit, records
from spasmcare.web.models import Entry, Patient, Kind
from spasmcare.errors import InputError
import pytest


def test_probe_edit_diet_drops_achieved(client_as: Any, patient: Patient) -> None:
    e = Entry.objects.get(patient=patient, kind="diet")
    c = client_as("dietitian")
    r = c.post(f"/patients/{patient.pk}/entries/{e.pk}/edit/", {
        "version": e.version, "id": "kd1", "diet": "classic-kd", "start": "2026-08-10",
        "stop": "2026-10-01", "prescribed_ratio": "3"})
    print(r.status_code)
    e.refresh_from_db()
    print("achieved" in e.data, list(e.data))


def test_probe_duplicate_diet_id(client_as: Any, patient: Patient) -> None:
    c = client_as("dietitian")
    r = c.post(f"/patients/{patient.pk}/add/diet/", {
        "id": "kd1", "diet": "mad", "start": "2026-10-10"})
    print("dup diet", r.status_code, r.content.decode()[:0])
    try:
        records.load_record(Patient.objects.get(pk=patient.pk))
        print("record reads")
    except InputError as exc:
        print("RECORD BROKEN", exc)


def test_probe_retract_pred1(client_as: Any, patient: Patient) -> None:
    e = Entry.objects.get(patient=patient, kind="treatment", data__id="pred1")
    c = client_as("neurologist")
    r = c.post(f"/patients/{patient.pk}/entries/{e.pk}/retract/", {"version": e.version, "reason": "wrong"})
    print("retract", r.status_code)
    try:
        records.load_record(Patient.objects.get(pk=patient.pk))
        print("record reads")
    except InputError as exc:
        print("RECORD BROKEN", exc)
    r = c.get(f"/patients/{patient.pk}/")
    print(r.status_code, "problem" in r.content.decode())


def test_probe_patient_record_id_collision(client_as: Any, patient: Patient, team: Any) -> None:
    from tests.web.conftest import example_record
    d = example_record(); d["patient"]["id"] = "other-1"
    audit.import_record(d, team, None)
    c = client_as("neurologist")
    c.raise_request_exception = False
    from spasmcare.web.forms import PatientForm
    init = PatientForm.initial_for(patient)
    data = {k: ("" if v is None else v) for k, v in init.items()}
    data["record_id"] = "other-1"
    r = c.post(f"/patients/{patient.pk}/edit/", data)
    print("collision", r.status_code)
