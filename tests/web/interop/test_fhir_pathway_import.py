"""Care-pathway resources in a FHIR Bundle (issue 23) are stored by the FHIR import page, once,
checked with the record; a role that does not record them leaves them listed as not
imported."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from spasmcare.interop.fhir import record_bundle
from spasmcare.record import record_from_dict
from spasmcare.web.clinic import records
from spasmcare.web.models import Entry, Patient
from tests.web.clinic.test_pathway_store import PATHWAY
from tests.web.conftest import example_record


def _bundle(patient: Patient, pathway: dict[str, Any], first_seen: str = "") -> Any:
    """The example infant's own record with ``pathway``, as the FHIR export writes it;
    ``first_seen``: that resource's date changed to it (the hospital's record says so)."""
    data = example_record()
    data["pathway"] = pathway
    bundle = record_bundle(record_from_dict(data, today=records.today()))
    for entry in bundle["entry"]:
        if "first-seen-epilepsy-service" in json.dumps(entry) and first_seen:
            text = json.dumps(entry["resource"]).replace(pathway["first_seen"], first_seen)
            entry["resource"] = json.loads(text)
    return SimpleUploadedFile("ehr.json", json.dumps(bundle).encode())


def _pathway_rows(patient: Patient) -> list[Entry]:
    return list(Entry.objects.filter(patient=patient, kind__startswith="pathway").order_by("id"))


def test_fhir_import_stores_the_pathway_once(client_as: Any, patient: Patient) -> None:
    url = f"/patients/{patient.pk}/import-fhir/"
    response = client_as("nurse").post(url, {"file": _bundle(patient, PATHWAY)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Care pathway dates" in page and "Genetic test" in page
    assert "variant of uncertain significance" in page
    assert "Treatment judged to have failed" not in page  # not left as not imported
    rows = _pathway_rows(patient)
    assert len(rows) == 6 and all(r.revisions.get().action == "import" for r in rows)
    patient.refresh_from_db()
    assert records.export_dict(patient)["pathway"] == PATHWAY
    # the same bundle again: nothing new
    client_as("nurse").post(url, {"file": _bundle(patient, PATHWAY)})
    assert len(_pathway_rows(patient)) == 6


def test_fhir_pathway_refused_with_the_record_writes_nothing(
    client_as: Any, patient: Patient
) -> None:
    before = Entry.objects.filter(patient=patient).count()
    bad = _bundle(patient, PATHWAY, first_seen="2026-05-01")  # before the referral (20 May)
    response = client_as("nurse").post(f"/patients/{patient.pk}/import-fhir/", {"file": bad})
    assert b"pathway.first_seen" in response.content
    assert Entry.objects.filter(patient=patient).count() == before


def test_a_dietitian_imports_no_pathway(client_as: Any, patient: Patient) -> None:
    response = client_as("dietitian").post(
        f"/patients/{patient.pk}/import-fhir/", {"file": _bundle(patient, PATHWAY)}
    )
    assert response.status_code == 200
    assert _pathway_rows(patient) == []
    assert "Treatment judged to have failed" in response.content.decode()
