"""FHIR pages: a patient's Bundle, EHR Observations import through audit, admin bulk export."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spasmcare.interop.fhir import validate_resources
from spasmcare.web.interop import bulk_export as bulk
from spasmcare.web.models import BulkExport, Entry, Patient, Revision


def _bundle(*observations: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": o} for o in observations],
        }
    ).encode()


def _weight(grams: float, day: str, record_id: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "subject": {"identifier": {"value": record_id}},
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
        "effectiveDateTime": day,
        "valueQuantity": {
            "value": grams,
            "unit": "g",
            "system": "http://unitsofmeasure.org",
            "code": "g",
        },
    }


def test_patient_bundle_download(client_as: Any, patient: Patient) -> None:
    response = client_as("nurse").get(f"/patients/{patient.pk}/fhir.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = json.loads(response.content)
    assert bundle["entry"][0]["resource"]["identifier"][0]["value"] == patient.record_id
    assert validate_resources([bundle]) == 1
    page = client_as("nurse").get(f"/patients/{patient.pk}/")
    assert f"/patients/{patient.pk}/fhir.json".encode() in page.content


def test_fhir_import_writes_entries_through_audit(client_as: Any, patient: Patient) -> None:
    before = Entry.objects.filter(patient=patient, kind="growth").count()
    version = patient.data_version
    upload = SimpleUploadedFile("ehr.json", _bundle(_weight(6350, "2026-06-20", patient.record_id)))
    response = client_as("neurologist").post(
        f"/patients/{patient.pk}/import-fhir/", {"file": upload}
    )
    assert response.status_code == 200
    assert b"Added (1)" in response.content
    new = (
        Entry.objects.filter(patient=patient, kind="growth")
        .exclude(pk__lte=0)
        .order_by("-pk")
        .first()
    )
    assert new is not None and new.data == {"date": "2026-06-20", "weight_kg": 6.35}
    assert Entry.objects.filter(patient=patient, kind="growth").count() == before + 1
    assert new.created_by is not None and new.created_by.username == "neurologist"
    assert Revision.objects.filter(entry=new, action="import").count() == 1
    patient.refresh_from_db()
    assert patient.data_version > version
    # the same bundle again: already in the record, nothing added
    upload = SimpleUploadedFile("ehr.json", _bundle(_weight(6350, "2026-06-20", patient.record_id)))
    response = client_as("neurologist").post(
        f"/patients/{patient.pk}/import-fhir/", {"file": upload}
    )
    assert b"Added (0)" in response.content and b"already in the record" in response.content
    assert Entry.objects.filter(patient=patient, kind="growth").count() == before + 1


def test_fhir_import_of_another_patients_results_refused(client_as: Any, patient: Patient) -> None:
    before = Entry.objects.filter(patient=patient).count()
    upload = SimpleUploadedFile(
        "ehr.json",
        _bundle(_weight(6000, "2026-06-21", patient.record_id), _weight(6100, "2026-06-22", "X")),
    )
    response = client_as("nurse").post(f"/patients/{patient.pk}/import-fhir/", {"file": upload})
    assert response.status_code == 200
    assert b"entry[1].subject.identifier.value" in response.content
    assert Entry.objects.filter(patient=patient).count() == before


def test_fhir_import_bundle_entry_object_is_a_form_error(client_as: Any, patient: Patient) -> None:
    data = {"resourceType": "Bundle", "type": "collection", "entry": {"resource": {}}}
    upload = SimpleUploadedFile("ehr.json", json.dumps(data).encode())
    response = client_as("nurse").post(f"/patients/{patient.pk}/import-fhir/", {"file": upload})
    assert response.status_code == 200
    assert b"Input should be a valid list" in response.content


def test_fhir_import_refused_writes_nothing(client_as: Any, patient: Patient) -> None:
    before = Entry.objects.filter(patient=patient).count()
    # 59 kg at 5 months: the record validator's weight-for-age check refuses it
    upload = SimpleUploadedFile(
        "ehr.json",
        _bundle(
            _weight(6000, "2026-06-21", patient.record_id),
            _weight(59000, "2026-06-22", patient.record_id),
        ),
    )
    response = client_as("nurse").post(f"/patients/{patient.pk}/import-fhir/", {"file": upload})
    assert response.status_code == 200
    assert b"weight_kg" in response.content and b"is not accepted" in response.content
    assert Entry.objects.filter(patient=patient).count() == before


@pytest.fixture
def inline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "RUN_INLINE", True)


def test_bulk_export_runs_and_files_download(
    client_as: Any, patient: Patient, inline: None
) -> None:
    # Was the administrator's page; issue 20 #10: the administrator keeps accounts only and a
    # clinician exports their own teams' patients (de-identified by default).
    nurse = client_as("nurse")
    page = nurse.get("/exports/")
    assert page.status_code == 200
    assert not re.search(rb"<script(?![^>]*\bsrc=)[^>]*>", page.content)  # no inline script
    assert b"web/bulk.js" in page.content
    response = nurse.post("/exports/", {"team": ""})
    assert response.status_code == 302
    job = BulkExport.objects.get()
    assert job.status == "done" and job.done == job.total == 1 and not job.identified
    status = nurse.get(f"/exports/{job.key}/status/").json()
    assert status["percent"] == 100 and status["status"] == "done"
    counts = {item["type"]: item["count"] for item in job.manifest["output"]}
    assert counts["Patient"] == 1 and job.resources == sum(counts.values())
    body = b"".join(nurse.get(f"/exports/{job.key}/Observation.ndjson").streaming_content)
    lines = [json.loads(line) for line in body.splitlines()]
    assert len(lines) == counts["Observation"]
    assert nurse.get(f"/exports/{job.key}/secret.txt").status_code == 404
    assert nurse.get(f"/exports/{job.key}/manifest.json").status_code == 200
    page = nurse.get("/exports/")
    assert b"done: 1 patients" in page.content


def test_bulk_export_of_a_team_and_bad_team(
    client_as: Any, patient: Patient, inline: None, other_team: Any, team: Any
) -> None:
    nurse = client_as("nurse")
    nurse.post("/exports/", {"team": str(team.pk)})
    job = BulkExport.objects.get()
    assert job.team == team and job.total == 1 and job.status == "done"
    for bad in ("999999", str(other_team.pk)):  # not a team, not one of the nurse's teams
        response = nurse.post("/exports/", {"team": bad}, follow=True)
        assert b"is not accepted" in response.content
    assert BulkExport.objects.count() == 1


def _redcap_rows(client: Any) -> list[dict[str, str]]:
    import csv
    import io
    import zipfile

    files = zipfile.ZipFile(io.BytesIO(client.get("/cohort-redcap.zip").content))
    return list(csv.DictReader(io.StringIO(files.read("redcap_import.csv").decode())))


def test_cohort_redcap_zip_is_k_anonymous(client_as: Any, patient: Patient) -> None:
    """At the default k = 5 a one-patient clinic releases no row: a lone child is unique on
    onset age, gestation, sex and etiology whatever the generalisation."""
    assert _redcap_rows(client_as("researcher")) == []


def test_cohort_redcap_zip_matches_the_cohort_csv(
    client_as: Any, patient: Patient, settings: Any
) -> None:
    import csv
    import io
    import zipfile

    settings.SPASMCARE_COHORT_K = 1  # every row released, as the cohort CSV test does
    researcher = client_as("researcher")
    response = researcher.get("/cohort-redcap.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(response.content))
    dictionary = list(csv.reader(io.StringIO(files.read("redcap_dictionary.csv").decode())))
    data = list(csv.DictReader(io.StringIO(files.read("redcap_import.csv").decode())))
    cohort = list(csv.DictReader(io.StringIO(researcher.get("/cohort.csv").content.decode())))
    assert len(dictionary[0]) == 18 and dictionary[1][0] == "record_id"
    assert len(data) == len(cohort) == 1
    row, source = data[0], cohort[0]
    assert row["record_id"] == source["key"]
    for name, value in source.items():
        if name == "key":
            continue
        expected = {"true": "1", "false": "0"}.get(value, value)
        assert row[name] == expected, name
    texts = "".join(files.read(n).decode() for n in files.namelist())
    assert patient.record_id not in texts and patient.name not in texts
