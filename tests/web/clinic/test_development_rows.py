"""Development and other seizures stored as entries (issue 25): a JSON import keeps them, the
export gives them back item for item, each part is its own audited entry, and a bad item is
refused with its field named before anything is written."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.errors import InputError
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.models import Entry, Kind, Patient, Revision
from tests.web.conftest import example_record

DEVELOPMENT: dict[str, Any] = {
    "at_diagnosis": {
        "course": "plateau",
        "date": "2026-05-20",
        "milestones_achieved": ["cdc-2m-head-up-prone", "cdc-4m-head-steady"],
        "note": "no new skills for three weeks",
    },
    "milestones": [
        {
            "milestone": "who-sitting-without-support",
            "status": "achieved",
            "date": "2026-10-02",
            "reported_by": "family",
            "confirmed_by": "Dr Example",
            "confirmed_on": "2026-10-10",
        },
        {
            "milestone": "who-standing-with-assistance",
            "status": "not-yet",
            "date": "2026-11-01",
            "reported_by": "clinician",
        },
    ],
    "assessments": [
        {
            "instrument": "vineland",
            "date": "2026-11-20",
            "scores": {"composite": 78, "communication": 80.5, "motor": 71},
            "assessed_by": "psychology",
        },
        {
            "instrument": "asq-3",
            "date": "2026-11-21",
            "questionnaire_months": 10,
            "scores": {"gross_motor": 25},
            "asq_cutoff": {"gross_motor": "below", "communication": "close"},
        },
    ],
}
OTHER_SEIZURES = [
    {"at": "2026-09-01T07:15", "type": "focal", "observer": "mother"},
    {"at": "2026-10-03T21:40", "type": "tonic-clonic", "note": "about 2 minutes"},
]


def _with_development(record_id: str = "dev-0001") -> dict[str, Any]:
    data = example_record()
    data["patient"] = {**data["patient"], "id": record_id}
    data["development"] = DEVELOPMENT
    data["other_seizures"] = OTHER_SEIZURES
    return data


def test_a_record_with_development_and_other_seizures_round_trips(team: Any) -> None:
    patient = audit.import_record(_with_development(), team, None)
    kinds = list(
        Entry.objects.filter(
            patient=patient,
            kind__in=(
                Kind.DEVELOPMENT_BASELINE,
                Kind.MILESTONE,
                Kind.ASSESSMENT,
                Kind.OTHER_SEIZURE,
            ),
        ).values_list("kind", flat=True)
    )
    # one entry per part: 1 baseline, 2 milestones, 2 assessments, 2 seizures
    assert sorted(kinds) == sorted(
        [Kind.DEVELOPMENT_BASELINE]
        + [Kind.MILESTONE] * 2
        + [Kind.ASSESSMENT] * 2
        + [Kind.OTHER_SEIZURE] * 2
    )
    exported = records.export_dict(patient)
    assert exported["development"] == DEVELOPMENT
    assert exported["other_seizures"] == OTHER_SEIZURES
    # and the export imports again to the same sections
    again = dict(exported)
    again["patient"] = {**exported["patient"], "id": "dev-0002"}
    second = audit.import_record(again, team, None)
    assert records.export_dict(second)["development"] == DEVELOPMENT
    assert records.export_dict(second)["other_seizures"] == OTHER_SEIZURES


def test_a_baseline_without_a_date_is_filed_under_the_onset(team: Any) -> None:
    data = _with_development()
    data["development"] = {"at_diagnosis": {"course": "regression"}}
    patient = audit.import_record(data, team, None)
    entry = Entry.objects.get(patient=patient, kind=Kind.DEVELOPMENT_BASELINE)
    assert entry.day.isoformat() == "2026-05-18"  # the example's onset date
    assert records.export_dict(patient)["development"] == {"at_diagnosis": {"course": "regression"}}


def test_each_part_is_written_and_corrected_through_the_audit(
    patient: Patient, users: Any
) -> None:
    tick = audit.create_entry(
        patient,
        Kind.MILESTONE,
        {
            "milestone": "who-sitting-without-support",
            "status": "achieved",
            "date": "2026-10-02",
            "reported_by": "family",
        },
        users["family"],
    )
    confirmed = dict(tick.data, confirmed_by="Dr N", confirmed_on="2026-10-09")
    audit.update_entry(tick, tick.version, confirmed, users["neurologist"])
    assert [r.action for r in Revision.objects.filter(entry=tick)] == ["create", "update"]
    record = records.load_record(Patient.objects.get(pk=patient.pk))
    assert record.development is not None
    assert record.development.milestones[0].confirmed_by == "Dr N"


def test_a_bad_milestone_is_refused_with_its_field_named(patient: Patient, users: Any) -> None:
    before = Entry.objects.count()
    with pytest.raises(InputError) as err:
        audit.create_entry(
            patient,
            Kind.MILESTONE,
            {
                "milestone": "who-sitting-without-support",
                "status": "achieved",
                "date": "2026-10-02",
                "reported_by": "family",
                "confirmed_by": "Dr N",
                "confirmed_on": "2026-09-01",  # before the observation
            },
            users["neurologist"],
        )
    assert err.value.field == "confirmed_on"
    assert Entry.objects.count() == before


def test_the_same_other_seizure_twice_is_refused(patient: Patient, users: Any) -> None:
    item = {"at": "2026-09-01T07:15", "type": "focal", "observer": "mother"}
    audit.create_entry(patient, Kind.OTHER_SEIZURE, item, users["family"])
    with pytest.raises(InputError, match="same time, type and observer"):
        audit.create_entry(patient, Kind.OTHER_SEIZURE, dict(item), users["nurse"])
    assert Entry.objects.filter(patient=patient, kind=Kind.OTHER_SEIZURE).count() == 1


def test_a_stored_milestone_the_validator_refuses_is_set_aside_not_a_page_error(
    patient: Patient, users: Any
) -> None:
    good = {
        "milestone": "who-standing-alone",
        "status": "achieved",
        "date": "2026-11-02",
        "reported_by": "clinician",
    }
    audit.create_entry(patient, Kind.MILESTONE, good, users["nurse"])
    bad = audit.create_entry(patient, Kind.MILESTONE, dict(good), users["nurse"])
    # changed around the validator: a date after today
    Entry.objects.filter(pk=bad.pk).update(data=dict(good, date="2099-01-01"))
    audit._touch(patient)
    patient.refresh_from_db()
    record = records.load_record(patient)
    assert record.development is not None and len(record.development.milestones) == 1
    assert [a.entry_id for a in records.set_aside(patient)] == [bad.pk]
