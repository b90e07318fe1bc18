"""The record's care-pathway section stored as entries (issue 23): a JSON import keeps it and
the export gives it back; each part written by the audit layer is checked by the record
validator, and a course a recorded failure names cannot be retracted from under it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spasmcare.errors import InputError
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.models import Entry, Kind, Patient, Revision
from spasmcare.web.models import CareTeam, User
from tests.web.conftest import example_record

#: A pathway section for the example infant (born 12 Jan 2026, spasms from 18 May 2026,
#: prednisolone ``pred1`` from 1 Jun 2026, vigabatrin ``vgb1`` from 23 Jul 2026), by hand.
PATHWAY: dict[str, Any] = {
    "referral": {"date": "2026-05-20", "urgency": "urgent"},
    "first_seen": "2026-05-27",
    "diagnostic_eeg": "2026-05-28",
    "mri": {
        "requested": "2026-05-28",
        "done": "2026-06-20",
        "finding": "non-diagnostic",
        "resectable_lesion": False,
    },
    "genetic_tests": [
        {
            "type": "gene-panel",
            "requested": "2026-06-21",
            "resulted": "2026-07-30",
            "result": "inconclusive",
            "gene": "CDKL5",
            "variant": "c.100A>G",
            "classification": "vus",
        },
        {"type": "microarray", "requested": "2026-06-01"},
    ],
    "metabolic_tests": [
        {
            "name": "plasma amino acids",
            "requested": "2026-06-21",
            "resulted": "2026-06-28",
            "result": "normal",
        }
    ],
    "tsc_examination": {"date": "2026-05-27", "signs": False},
    "pyridoxine_trial": {"start": "2026-05-28", "response": "no-response"},
    "focal_onset": False,
    "treatment_failures": [{"treatment": "vgb1", "date": "2026-08-10", "note": "spasms persist"}],
    "overrides": [
        {
            "date": "2026-05-30",
            "proposal": "nice-ng217.non-tsc",
            "chosen": "ACTH",
            "reason": "family preference after discussion",
            "by": "Dr A",
        }
    ],
}


def _with_pathway(record_id: str = "with-pathway") -> dict[str, Any]:
    data = example_record()
    data["patient"] = {**data["patient"], "id": record_id}
    data["pathway"] = copy.deepcopy(PATHWAY)
    return data


def test_json_import_stores_the_pathway_and_the_export_gives_it_back(team: CareTeam) -> None:
    patient = audit.import_record(_with_pathway(), team, None)
    kinds = list(
        Entry.objects.filter(patient=patient, kind__startswith="pathway")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        Kind.PATHWAY,
        Kind.PATHWAY_GENETIC,
        Kind.PATHWAY_GENETIC,
        Kind.PATHWAY_METABOLIC,
        Kind.PATHWAY_FAILURE,
        Kind.PATHWAY_OVERRIDE,
    ]
    # each part imported with its revision, like every other item
    assert Revision.objects.filter(entry__kind__startswith="pathway", action="import").count() == 6
    assert records.export_dict(patient)["pathway"] == PATHWAY
    assert records.is_checked(patient)


def test_the_latest_live_single_part_wins(team: CareTeam, users: dict[str, User]) -> None:
    patient = audit.import_record(_with_pathway(), team, None)
    neuro = users["neurologist"]
    audit.create_entry(
        patient, Kind.PATHWAY, {"referral": {"date": "2026-05-21", "urgency": "routine"}}, neuro
    )
    patient.refresh_from_db()
    section = records.export_dict(patient)["pathway"]
    assert section["referral"] == {"date": "2026-05-21", "urgency": "routine"}
    assert "mri" not in section  # the whole single part is the latest entry's
    assert len(section["genetic_tests"]) == 2


def test_a_part_is_checked_by_the_record_validator(team: CareTeam, users: dict[str, User]) -> None:
    patient = audit.import_record(_with_pathway(), team, None)
    before = Entry.objects.count()
    neuro = users["neurologist"]
    with pytest.raises(InputError) as err:  # a result before its request
        audit.create_entry(
            patient,
            Kind.PATHWAY_GENETIC,
            {"type": "exome", "requested": "2026-07-01", "resulted": "2026-06-01"},
            neuro,
        )
    assert err.value.field == "pathway.genetic_tests[0].resulted"
    with pytest.raises(InputError) as err:  # a second failure of the same course
        audit.create_entry(
            patient, Kind.PATHWAY_FAILURE, {"treatment": "vgb1", "date": "2026-08-20"}, neuro
        )
    assert err.value.field.endswith(".treatment")
    with pytest.raises(InputError) as err:  # a course that is not in the record
        audit.create_entry(
            patient, Kind.PATHWAY_FAILURE, {"treatment": "acth9", "date": "2026-06-20"}, neuro
        )
    assert err.value.field == "pathway.treatment_failures[0].treatment"
    assert Entry.objects.count() == before


def test_a_course_a_failure_names_is_not_retracted(team: CareTeam, users: dict[str, User]) -> None:
    patient = audit.import_record(_with_pathway(), team, None)
    course = Entry.objects.get(patient=patient, kind=Kind.TREATMENT, data__id="vgb1")
    with pytest.raises(InputError, match="retract the failure first"):
        audit.retract_entry(course, course.version, "entered in error", users["neurologist"])
    failure = Entry.objects.get(patient=patient, kind=Kind.PATHWAY_FAILURE)
    audit.retract_entry(failure, failure.version, "judged too early", users["neurologist"])
    course.refresh_from_db()
    audit.retract_entry(course, course.version, "entered in error", users["neurologist"])
    patient.refresh_from_db()
    assert "treatment_failures" not in records.export_dict(patient).get("pathway", {})


def test_a_record_without_a_pathway_exports_none(patient: Patient) -> None:
    assert "pathway" not in records.export_dict(patient)


def test_a_pathway_part_stored_around_the_validator_is_set_aside(
    team: CareTeam, client_as: Any
) -> None:
    """Nothing stored can break a page: a failure naming a course the record does not hold,
    written around the audit layer, is left out (and named) while the rest still reads."""
    from datetime import date

    patient = audit.import_record(_with_pathway(), team, None)
    bad = Entry.objects.create(
        patient=patient,
        kind=Kind.PATHWAY_FAILURE,
        day=date(2026, 8, 1),
        data={"treatment": "acth9", "date": "2026-08-01"},
    )
    Patient.objects.filter(pk=patient.pk).update(data_version=patient.data_version + 1)
    patient.refresh_from_db()
    aside = records.set_aside(patient)
    assert [a.entry_id for a in aside] == [bad.pk]
    assert records.export_dict(patient)["pathway"] == PATHWAY
    response = client_as("nurse").get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    assert f"/entries/{bad.pk}/retract/" in response.content.decode()
