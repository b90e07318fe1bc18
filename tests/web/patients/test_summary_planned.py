"""What the saved course plans give a patient's status (monitoring checks overdue and next,
details to confirm, decisions saved) is worked out again when a course or a monitoring tick
changes, not after a diary tap: the summary refresh after a tap reads the kept result, and the
status it stores is the one worked out from scratch."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from spasmcare.web.clinic import audit, computed, records
from spasmcare.web.courses import service as courses
from spasmcare.web.models import Entry, Kind, Patient, PatientSummary, User
from spasmcare.web.patients import summaries
from tests.web.family.test_family import save_course


@pytest.fixture
def worked_out(monkeypatch: Any) -> list[int]:
    calls: list[int] = []
    real = courses.monitoring_overdue

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(courses, "monitoring_overdue", counted)
    return calls


def _status(patient: Patient) -> dict[str, Any]:
    patient = Patient.objects.get(pk=patient.pk)
    row = summaries.stored([patient])[patient.pk]
    assert row.data_version == patient.data_version
    status: dict[str, Any] = row.summary["status"]
    return status


def _from_scratch(patient: Patient) -> dict[str, Any]:
    PatientSummary.objects.filter(patient=patient).delete()
    computed.forget_local()
    return _status(patient)


def _tap(patient: Patient, spasms: int) -> None:
    at = (records.today()).isoformat() + f"T08:{spasms:02d}"
    audit.create_entry(patient, Kind.DIARY, {"at": at, "kind": "cluster", "spasms": spasms}, None)


def test_a_tap_does_not_work_out_the_plans_part_again(
    patient: Patient, users: dict[str, User], worked_out: list[int]
) -> None:
    start = records.today() - timedelta(days=3)
    save_course(patient, users["neurologist"], "prednisolone-high-dose", start, 7.5)
    first = _status(patient)
    assert len(worked_out) == 1 and first["next_checks"]
    _tap(patient, 4)
    after = _status(patient)
    assert len(worked_out) == 1  # the tap's summary read the kept plans' part
    assert after == _from_scratch(patient)
    assert len(worked_out) == 2


def test_an_edited_course_works_it_out_again(
    patient: Patient, users: dict[str, User], worked_out: list[int]
) -> None:
    save_course(patient, users["neurologist"], "prednisolone-high-dose", records.today(), 7.5)
    _status(patient)
    entry = Entry.objects.get(patient=patient, kind=Kind.TREATMENT, data__id="pred9")
    earlier = (records.today() - timedelta(days=20)).isoformat()
    planner = entry.extra["planner"] | {"start": earlier}
    audit.update_entry(
        entry, entry.version, entry.data, users["neurologist"], extra={"planner": planner}
    )
    after = _status(patient)
    assert len(worked_out) == 2
    assert after == _from_scratch(patient)
