"""The record's optional ``pathway`` section (issue 23): read, written back unchanged, refused
with the field named when it makes no sense; a record without it reads and writes as before."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from spasmcare.errors import InputError
from spasmcare.record import record_from_dict, record_to_dict, record_to_json
from spasmcare.record.io import load_schema
from spasmcare.record.pathway import (
    GENETIC_RESULTS,
    GENETIC_TEST_TYPES,
    MRI_FINDINGS,
    VARIANT_CLASSES,
    Pathway,
)

TODAY = date(2026, 11, 21)

PATHWAY: dict[str, Any] = {
    "referral": {"date": "2026-04-20", "urgency": "urgent"},
    "first_seen": "2026-04-28",
    "diagnostic_eeg": "2026-04-29",
    "mri": {
        "requested": "2026-04-29",
        "done": "2026-05-20",
        "finding": "non-diagnostic",
        "resectable_lesion": False,
    },
    "genetic_tests": [
        {
            "type": "gene-panel",
            "requested": "2026-05-21",
            "resulted": "2026-07-01",
            "result": "inconclusive",
            "gene": "CDKL5",
            "variant": "c.100A>G",
            "classification": "vus",
        }
    ],
    "metabolic_tests": [
        {
            "name": "plasma amino acids",
            "requested": "2026-05-21",
            "resulted": "2026-05-28",
            "result": "normal",
        }
    ],
    "tsc_examination": {"date": "2026-04-28", "signs": False},
    "pyridoxine_trial": {"start": "2026-04-30", "response": "no-response"},
    "focal_onset": False,
    "treatment_failures": [{"treatment": "t1", "date": "2026-05-18", "note": "spasms persist"}],
    "overrides": [
        {
            "date": "2026-05-18",
            "proposal": "nice-ng217.non-tsc",
            "chosen": "ACTH",
            "reason": "family preference after discussion",
            "by": "Dr A",
        }
    ],
}


def with_pathway(pathway: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "format": "spasmcare-record",
        "schema_version": 1,
        "patient": {
            "id": "p1",
            "birth_date": "2026-01-10",
            "sex": "male",
            "onset_date": "2026-04-15",
        },
        "treatments": [
            {"id": "t1", "drug": "prednisolone", "start": "2026-05-04", "stop": "2026-05-30"}
        ],
        "pathway": copy.deepcopy(PATHWAY if pathway is None else pathway),
    }


def test_the_pathway_section_round_trips_through_json() -> None:
    data = with_pathway()
    record = record_from_dict(data, today=TODAY)
    p = record.pathway
    assert p.referral is not None and p.referral.day == date(2026, 4, 20)
    assert p.referral.urgency == "urgent"
    assert p.mri is not None and p.mri.finding == "non-diagnostic"
    assert p.genetic_tests[0].classification == "vus"
    assert p.failed_on("t1") == date(2026, 5, 18)
    assert p.overrides[0].reason == "family preference after discussion"
    assert record_to_dict(record)["pathway"] == PATHWAY
    again = record_from_dict(json.loads(record_to_json(record)), today=TODAY)
    assert again == record


def test_a_record_without_the_section_reads_and_writes_as_before() -> None:
    data = with_pathway()
    del data["pathway"]
    record = record_from_dict(data, today=TODAY)
    assert record.pathway == Pathway()
    assert "pathway" not in record_to_dict(record)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p["referral"].update(urgency="soon"), "pathway.referral.urgency"),
        (lambda p: p.update(first_seen="2026-04-19"), "pathway.first_seen"),
        (lambda p: p["mri"].update(done="2026-04-28"), "pathway.mri.done"),
        (lambda p: p["mri"].pop("done"), "pathway.mri.done"),
        (
            lambda p: p["genetic_tests"][0].update(classification="unclear"),
            "pathway.genetic_tests[0].classification",
        ),
        (lambda p: p["genetic_tests"][0].pop("resulted"), "pathway.genetic_tests[0].resulted"),
        (
            lambda p: p["metabolic_tests"][0].update(resulted="2026-05-01"),
            "pathway.metabolic_tests[0].resulted",
        ),
        (
            lambda p: p["treatment_failures"][0].update(treatment="t9"),
            "pathway.treatment_failures[0].treatment",
        ),
        (
            lambda p: p["treatment_failures"][0].update(date="2026-05-01"),
            "pathway.treatment_failures[0].date",
        ),
        (lambda p: p["overrides"][0].update(reason="   "), "pathway.overrides[0].reason"),
        (lambda p: p["overrides"][0].pop("reason"), "pathway.overrides[0].reason"),
        (lambda p: p.update(diagnostic_eeg="2026-12-01"), "pathway.diagnostic_eeg"),
        (lambda p: p.update(diagnostic_eeg="2025-12-01"), "pathway.diagnostic_eeg"),
    ],
)
def test_bad_pathway_entries_are_refused_naming_the_field(change: Any, field: str) -> None:
    data = with_pathway()
    change(data["pathway"])
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    assert err.value.field == field


def test_the_schema_lists_the_models_codes() -> None:
    defs = load_schema()["$defs"]
    genetic = defs["genetic_test"]["properties"]
    assert tuple(genetic["type"]["enum"]) == GENETIC_TEST_TYPES
    assert tuple(genetic["result"]["enum"]) == GENETIC_RESULTS
    assert tuple(genetic["classification"]["enum"]) == VARIANT_CLASSES
    assert tuple(defs["pathway"]["properties"]["mri"]["properties"]["finding"]["enum"]) == (
        MRI_FINDINGS
    )
