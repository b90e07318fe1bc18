"""Who may bulk-export (issue 20 #10): the administrator keeps accounts only, a clinician
exports de-identified, the named data steward identified; every export and download leaves a
row in the export log with who, when, which kind and how many patients."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from spasmcare.web.interop import bulk_export as bulk
from spasmcare.web.models import BulkExport, ExportLog, Patient, User


@pytest.fixture(autouse=True)
def inline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "RUN_INLINE", True)


@pytest.fixture
def steward(users: dict[str, User]) -> User:
    user = users["neurologist"]
    user.data_steward = True
    user.save()
    return user


def _lines(client: Any, job: BulkExport, kind: str) -> list[dict[str, Any]]:
    body = b"".join(client.get(f"/exports/{job.key}/{kind}.ndjson").streaming_content)
    return [json.loads(line) for line in body.splitlines()]


def test_admin_is_refused_bulk_export(client_as: Any, patient: Patient) -> None:
    admin = client_as("admin")
    assert admin.get("/exports/").status_code == 403
    assert admin.post("/exports/", {"team": ""}).status_code == 403
    assert admin.post("/exports/", {"team": "", "kind": "identified"}).status_code == 403
    assert not BulkExport.objects.exists() and not ExportLog.objects.exists()


def test_admin_cannot_see_a_clinicians_export(client_as: Any, patient: Patient) -> None:
    client_as("nurse").post("/exports/", {"team": ""})
    job = BulkExport.objects.get()
    admin = client_as("admin")
    assert admin.get(f"/exports/{job.key}/status/").status_code == 403
    assert admin.get(f"/exports/{job.key}/Patient.ndjson").status_code == 403


def test_clinician_without_the_permission_gets_the_deidentified_export_only(
    client_as: Any, patient: Patient
) -> None:
    nurse = client_as("nurse")
    assert nurse.post("/exports/", {"team": "", "kind": "identified"}).status_code == 403
    assert not BulkExport.objects.exists()
    page = nurse.get("/exports/").content.decode()
    assert "You are not the data steward" in page and 'value="identified"' not in page
    nurse.post("/exports/", {"team": ""})
    job = BulkExport.objects.get()
    assert not job.identified
    (p,) = _lines(nurse, job, "Patient")
    assert set(p) <= {"resourceType", "id", "gender"}
    text = b"".join(nurse.get(f"/exports/{job.key}/Observation.ndjson").streaming_content)
    assert patient.record_id.encode() not in text and patient.name.encode() not in text


def test_steward_gets_the_identified_export(
    client_as: Any, patient: Patient, steward: User
) -> None:
    client = client_as("neurologist")
    assert "You are the data steward" in client.get("/exports/").content.decode()
    client.post("/exports/", {"team": "", "kind": "identified"})
    job = BulkExport.objects.get()
    assert job.identified
    (p,) = _lines(client, job, "Patient")
    assert p["name"] == [{"text": patient.name}]
    assert p["birthDate"] == patient.birth_date.isoformat()
    # someone else's export is not theirs to see; a withdrawn permission stops downloads
    assert client_as("nurse").get(f"/exports/{job.key}/Patient.ndjson").status_code == 404
    steward.data_steward = False
    steward.save()
    assert client.get(f"/exports/{job.key}/Patient.ndjson").status_code == 403


def test_every_export_leaves_a_log_row(
    client_as: Any, patient: Patient, steward: User, users: dict[str, User]
) -> None:
    client_as("nurse").post("/exports/", {"team": ""})
    client = client_as("neurologist")
    client.post("/exports/", {"team": "", "kind": "identified"})
    identified = BulkExport.objects.get(identified=True)
    client.get(f"/exports/{identified.key}/Patient.ndjson")
    rows = list(ExportLog.objects.order_by("id"))
    assert [(r.user, r.action, r.identified, r.patients) for r in rows] == [
        (users["nurse"], "started", False, 1),
        (steward, "started", True, 1),
        (steward, "downloaded", True, 1),
    ]
    assert rows[2].file == "Patient.ndjson" and all(r.at is not None for r in rows)


@pytest.mark.parametrize("role", ["admin", "researcher", "family"])
def test_only_a_clinician_can_be_the_data_steward(role: str, users: dict[str, User]) -> None:
    user = users[role]
    user.data_steward = True
    with pytest.raises(ValidationError, match="clinician"):
        user.full_clean()
