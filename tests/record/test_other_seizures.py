"""Other seizures in the record (issue 23 item 6, optional ``other_seizures[]``): ILAE 2017
basic types (Fisher, Epilepsia 2017), import with errors naming entry and field, JSON and FHIR
round trips, every earlier record still reads, the schema and the model list the same types."""

from __future__ import annotations

import copy
import json
from datetime import datetime

from spasmcare.interop.fhir import CODE_SYSTEM, FhirOptions, record_bundle, record_resources
from spasmcare.interop.fhir_seizures import SEIZURE_TYPE_SYSTEM, other_seizures_from_observations
from spasmcare.record import (
    load_schema,
    record_from_dict,
    record_from_json,
    record_to_dict,
    record_to_json,
)
from spasmcare.record.seizures import SEIZURE_TYPES, OtherSeizure
from tests.record.test_io import EXAMPLE, TODAY, field_of, minimal

ILAE_2017_BASIC = ("focal", "tonic", "tonic-clonic", "myoclonic", "atonic", "absence", "unknown")


def with_seizures() -> dict:
    data = minimal()
    data["other_seizures"] = [
        {"at": "2026-05-04T07:40", "type": "tonic-clonic", "observer": "mother"},
        {"at": "2026-05-06T18:05:30", "type": "unknown", "note": "stiffened, then jerked"},
        {"at": "2026-05-08", "type": "focal"},
    ]
    return data


def test_the_types_are_the_ilae_2017_basic_types_in_model_and_schema() -> None:
    assert SEIZURE_TYPES == ILAE_2017_BASIC
    schema = load_schema()
    enum = schema["$defs"]["other_seizure"]["properties"]["type"]["enum"]
    assert tuple(enum) == ILAE_2017_BASIC


def test_records_without_the_section_read_and_write_as_before() -> None:
    rec = record_from_json(EXAMPLE.read_text(), today=TODAY)
    assert rec.other_seizures == ()
    assert "other_seizures" not in record_to_dict(rec)
    assert record_from_dict(minimal(), today=TODAY).other_seizures == ()


def test_other_seizures_read_and_round_trip_through_json() -> None:
    rec = record_from_dict(with_seizures(), today=TODAY)
    assert rec.other_seizures == (
        OtherSeizure(at=datetime(2026, 5, 4, 7, 40), type="tonic-clonic", observer="mother"),
        OtherSeizure(
            at=datetime(2026, 5, 6, 18, 5, 30), type="unknown", note="stiffened, then jerked"
        ),
        OtherSeizure(at=datetime(2026, 5, 8), type="focal"),
    )
    assert rec.other_seizures[0].label == "tonic–clonic seizure"
    out = record_to_dict(rec)
    assert out["other_seizures"] == [
        {"at": "2026-05-04T07:40", "type": "tonic-clonic", "observer": "mother"},
        {"at": "2026-05-06T18:05:30", "type": "unknown", "note": "stiffened, then jerked"},
        {"at": "2026-05-08T00:00", "type": "focal"},
    ]
    assert record_from_json(record_to_json(rec), today=TODAY) == rec


def test_bad_entries_are_refused_naming_entry_and_field() -> None:
    data = with_seizures()
    data["other_seizures"][1]["type"] = "spasm"
    assert field_of(data).startswith("other_seizures")
    data = with_seizures()
    data["other_seizures"][2]["at"] = "2026-12-01T08:00"  # after TODAY
    assert field_of(data) == "other_seizures[2].at"
    data = with_seizures()
    data["other_seizures"].append(copy.deepcopy(data["other_seizures"][0]))
    assert field_of(data) == "other_seizures[3]"


def test_other_seizures_round_trip_through_fhir() -> None:
    rec = record_from_dict(with_seizures(), today=TODAY)
    options = FhirOptions(time_zone="Europe/London")
    resources = record_resources(rec, options)
    observations = [
        r
        for r in resources
        if any(c.get("code") == "other-seizure" for c in r.get("code", {}).get("coding", []))
    ]
    assert len(observations) == 3
    first = observations[0]
    assert first["valueCodeableConcept"]["coding"][0] == {
        "system": SEIZURE_TYPE_SYSTEM,
        "code": "tonic-clonic",
        "display": "tonic–clonic seizure",
    }
    assert first["effectiveDateTime"] == "2026-05-04T07:40:00+01:00"
    record_bundle(rec, options)  # the R4B models accept them
    items = other_seizures_from_observations(resources, CODE_SYSTEM)
    back = dict(with_seizures(), other_seizures=items)
    assert record_from_dict(json.loads(json.dumps(back)), today=TODAY) == rec


def test_de_identified_export_keeps_the_type_and_drops_observer_and_note() -> None:
    from spasmcare.interop.deid_fhir import deidentify_resources
    from spasmcare.interop.fhir import validate_resources

    rec = record_from_dict(with_seizures(), today=TODAY)
    out = deidentify_resources(record_resources(rec), rec.patient.id, "salt-" * 8)
    validate_resources(out)
    seizures = [r for r in out if "valueCodeableConcept" in r]
    assert [r["valueCodeableConcept"]["coding"][0]["code"] for r in seizures] == [
        "tonic-clonic",
        "unknown",
        "focal",
    ]
    assert all("note" not in r for r in seizures)
    assert "mother" not in json.dumps(out)
