"""FHIR Observations of the development section: valid R4B, local codes with text (no LOINC
code was verified for these items), and a round trip back to the record's section."""

from __future__ import annotations

import copy
from typing import Any

from spasmcare.interop.fhir import CODE_SYSTEM, LOINC, record_bundle, record_resources
from spasmcare.interop.fhir_development import development_from_observations
from spasmcare.record import record_from_dict
from tests.development.test_record_development import with_development
from tests.record.test_io import TODAY


def _resources() -> list[dict[str, Any]]:
    return record_resources(record_from_dict(with_development(), today=TODAY))


def test_bundle_with_development_is_valid_r4b() -> None:
    bundle = record_bundle(record_from_dict(with_development(), today=TODAY))
    kinds = [
        e["resource"]["code"]["coding"][0]["code"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
    ]
    assert "development-at-onset" in kinds
    assert kinds.count("who-sitting-without-support") == 2
    assert {"asq-3", "bayley-3", "vineland"} <= set(kinds)


def test_development_observations_carry_text_and_no_guessed_loinc() -> None:
    dev = [
        r
        for r in _resources()
        if r["resourceType"] == "Observation"
        and r["code"]["coding"][0]["code"].startswith(
            ("who-", "cdc-", "development-", "asq-", "bayley-", "vineland")
        )
    ]
    assert len(dev) == 6
    for r in dev:
        assert r["code"]["text"]
        assert all(c["system"] != LOINC for c in r["code"]["coding"])
    sitting = next(
        r for r in dev if r["code"]["coding"][0]["code"] == "who-sitting-without-support"
    )
    assert sitting["code"]["text"] == "sitting without support"
    bayley = next(r for r in dev if r["code"]["coding"][0]["code"] == "bayley-3")
    assert bayley["category"][0]["coding"][0]["code"] == "exam"
    assert bayley["component"][0]["valueQuantity"]["value"] == 85


def test_round_trip_back_to_the_record_section() -> None:
    original = copy.deepcopy(with_development()["development"])
    back = development_from_observations(_resources(), CODE_SYSTEM)
    # names and notes are not exported: a confirmation reads back as "clinician"
    original["at_diagnosis"].pop("note")
    original["milestones"][1]["confirmed_by"] = "clinician"
    assert back == original
    doc = with_development()
    doc["development"] = back
    again = record_from_dict(doc, today=TODAY)
    assert again.development is not None and len(again.development.assessments) == 3


def test_a_record_without_development_gets_no_development_observation() -> None:
    doc = with_development()
    del doc["development"]
    resources = record_resources(record_from_dict(doc, today=TODAY))
    assert development_from_observations(resources, CODE_SYSTEM) == {}


def test_de_identified_bulk_resources_stay_valid_and_drop_names() -> None:
    import json

    from spasmcare.interop.deid_fhir import deidentify_resources
    from spasmcare.interop.fhir import validate_resources

    out = deidentify_resources(_resources(), "p1", "a-secret-salt-of-enough-length")
    assert validate_resources(out) == len(out)
    text = json.dumps(out)
    assert "Dr A. Clinician" not in text and "no new skills" not in text


def test_redcap_development_fields_in_their_own_form() -> None:
    import csv
    import io

    from spasmcare.interop.redcap import development_redcap
    from tests.development.test_outcome import SALT, cohort_documents
    from tests.development.test_outcome import TODAY as COHORT_DAY

    records = [record_from_dict(d, today=COHORT_DAY) for d in cohort_documents().values()]
    result = development_redcap(records, COHORT_DAY, salt=SALT, k=2)
    dictionary = list(csv.DictReader(io.StringIO(result.dictionary_csv)))
    form = {r["Variable / Field Name"]: r["Form Name"] for r in dictionary}
    assert form["lead_time_days"] == "development"
    assert form["bayley_cognitive_24m"] == "development"
    assert form["ukiss_response_favourable"] == "response"
    types = {r["Variable / Field Name"]: r["Field Type"] for r in dictionary}
    assert types["ukiss_response_favourable"] == "yesno"
    assert types["development_at_onset"] == "radio"
    assert types["bayley_cognitive_24m"] == "text"
    data = list(csv.DictReader(io.StringIO(result.import_csv)))
    assert result.records == 4
    assert sorted(r["lead_time_days"] for r in data) == ["10", "20", "3", "7"]
    assert sorted(r["bayley_cognitive_24m"] for r in data) == ["", "70", "80", "95"]
