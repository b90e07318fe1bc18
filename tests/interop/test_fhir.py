"""FHIR R4B export of one record: codes, values, taper lines, round trip through fhir.resources."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.demo import demo_clinic
from spasmcare.errors import InputError
from spasmcare.interop import fhir
from spasmcare.record import record_from_dict

TODAY = date(2026, 12, 2)


def small_record() -> dict[str, Any]:
    return {
        "format": "spasmcare-record",
        "schema_version": 1,
        "patient": {
            "id": "p_1",
            "name": "Test Baby (fictional)",
            "birth_date": "2026-03-01",
            "sex": "female",
            "onset_date": "2026-08-20",
        },
        "etiology": {"category": "genetic", "gene": "CDKL5", "detail": "de novo"},
        "diary": [
            {"at": "2026-09-01T07:00", "kind": "cluster", "spasms": 12},
            {"at": "2026-09-01T15:30", "kind": "cluster", "spasms": 5},
            {"at": "2026-09-02T08:00", "kind": "single", "spasms": 1},
        ],
        "recorded_days": [{"from": "2026-09-01", "to": "2026-09-03"}],
        "treatments": [
            {
                "id": "pred1",
                "drug": "prednisolone",
                "start": "2026-09-04",
                "stop": "2026-10-02",
                "protocol": "prednisolone-high-dose.v1",
                "doses": [
                    {"start": "2026-09-04", "amount": 40, "unit": "mg/day"},
                    {"start": "2026-09-18", "amount": 30, "unit": "mg/day"},
                    {"start": "2026-09-23", "amount": 20, "unit": "mg/day"},
                ],
            },
            {
                "id": "vgb1",
                "drug": "vigabatrin",
                "start": "2026-10-03",
                "continues": "pred1",
                "doses": [{"start": "2026-10-03", "amount": 50, "unit": "mg/kg/day"}],
            },
        ],
        "diet_periods": [
            {
                "id": "kd1",
                "diet": "classic-kd",
                "start": "2026-11-01",
                "prescribed_ratio": 3,
                "achieved": [{"date": "2026-11-10", "ratio": 2.8}],
            }
        ],
        "eegs": [
            {
                "date": "2026-08-25",
                "hypsarrhythmia": True,
                "kramer": {
                    "items": {
                        "disorganisation": 3,
                        "delta_slowing": 2,
                        "amplitude": 3,
                        "spikes": 2,
                        "other_abnormalities": 1,
                    },
                    "total": 11,
                },
                "report": "Hypsarrhythmia.",
            }
        ],
        "growth": [
            {"date": "2026-08-25", "weight_kg": 6.4, "length_cm": 63.5},
            {"date": "2026-09-25", "head_circumference_cm": 41.2},
        ],
        "labs": [
            {"at": "2026-11-10T08:30", "analyte": "glucose", "value": 90, "unit": "mg/dL"},
            {"at": "2026-11-10T08:30", "analyte": "bhb", "value": 3.1, "unit": "mmol/L"},
            {"at": "2026-11-10T08:30", "analyte": "creatinine", "value": 20, "unit": "µmol/L"},
        ],
    }


def resources(options: fhir.FhirOptions = fhir.DEFAULT_FHIR) -> list[dict[str, Any]]:
    return fhir.record_resources(record_from_dict(small_record(), today=TODAY), options)


def by_code(res: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [
        r
        for r in res
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == code
    ]


def test_patient_and_condition() -> None:
    res = resources()
    patient, condition = res[0], res[1]
    assert patient["resourceType"] == "Patient"
    assert patient["gender"] == "female" and patient["birthDate"] == "2026-03-01"
    assert patient["identifier"][0]["value"] == "p_1"
    assert patient["name"] == [{"text": "Test Baby (fictional)"}]
    assert condition["code"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "28055006",
        "display": "West syndrome",
    }
    assert condition["onsetDateTime"] == "2026-08-20"
    assert "clinicalStatus" not in condition  # the record does not say active or resolved
    assert condition["subject"] == {"reference": f"Patient/{patient['id']}"}
    parts = {e["url"]: e for e in condition["extension"][0]["extension"]}
    assert parts["category"]["valueCode"] == "genetic"
    assert parts["gene"]["valueString"] == "CDKL5"


def test_name_left_out_when_asked() -> None:
    assert "name" not in resources(fhir.FhirOptions(include_name=False))[0]


def test_growth_codes_and_units() -> None:
    res = resources()
    (weight,) = by_code(res, "29463-7")
    (length,) = by_code(res, "8306-3")
    (head,) = by_code(res, "8287-5")
    assert weight["valueQuantity"] == {
        "value": 6.4,
        "unit": "kg",
        "system": "http://unitsofmeasure.org",
        "code": "kg",
    }
    assert length["valueQuantity"]["value"] == 63.5 and length["valueQuantity"]["code"] == "cm"
    assert head["valueQuantity"]["value"] == 41.2 and head["effectiveDateTime"] == "2026-09-25"
    assert weight["category"][0]["coding"][0]["code"] == "vital-signs"


def test_labs_in_si_with_loinc() -> None:
    res = resources()
    (glucose,) = by_code(res, "15074-8")
    # 90 mg/dL × 10 / 180.156 g/mol = 4.9957 mmol/L (record.units, Young 1987)
    assert glucose["valueQuantity"]["value"] == pytest.approx(4.99567, abs=1e-4)
    assert glucose["valueQuantity"]["code"] == "mmol/L"
    assert glucose["effectiveDateTime"] == "2026-11-10"  # no time zone set: the date only
    (bhb,) = by_code(res, "66441-7")
    assert bhb["valueQuantity"]["value"] == 3.1
    (creat,) = by_code(res, "lab-creatinine")
    assert creat["valueQuantity"]["code"] == "umol/L"


def test_bhb_code_is_a_setting() -> None:
    res = resources(fhir.FhirOptions(bhb_loinc="104816-4"))
    assert len(by_code(res, "104816-4")) == 1 and not by_code(res, "66441-7")
    with pytest.raises(InputError, match="bhb_loinc"):
        fhir.FhirOptions(bhb_loinc="1234-5")


def test_time_zone_gives_times() -> None:
    res = resources(fhir.FhirOptions(time_zone="Europe/London"))
    (glucose,) = by_code(res, "15074-8")
    assert glucose["effectiveDateTime"] == "2026-11-10T08:30:00+00:00"
    with pytest.raises(InputError, match="time_zone"):
        fhir.FhirOptions(time_zone="Mars/Olympus")


def test_spasm_counts_only_recorded_days() -> None:
    days = by_code(resources(), "spasms-per-day")
    counts = {o["effectiveDateTime"]: o["valueQuantity"]["value"] for o in days}
    assert counts == {"2026-09-01": 17, "2026-09-02": 1, "2026-09-03": 0}


def test_eeg_components() -> None:
    (eeg,) = by_code(resources(), "eeg-findings")
    values = {c["code"]["coding"][0]["code"]: c for c in eeg["component"]}
    assert values["eeg-hypsarrhythmia"]["valueBoolean"] is True
    assert values["kramer-total"]["valueInteger"] == 11
    assert values["kramer-disorganisation"]["valueInteger"] == 3
    assert eeg["note"] == [{"text": "Hypsarrhythmia."}]


def test_medication_request_taper_lines() -> None:
    res = resources()
    pred, vgb = (r for r in res if r["resourceType"] == "MedicationRequest")
    bounds = [d["timing"]["repeat"]["boundsPeriod"] for d in pred["dosageInstruction"]]
    assert bounds == [
        {"start": "2026-09-04", "end": "2026-09-17"},
        {"start": "2026-09-18", "end": "2026-09-22"},
        {"start": "2026-09-23", "end": "2026-10-02"},
    ]
    rates = [
        d["doseAndRate"][0]["rateRatio"]["numerator"]["value"] for d in pred["dosageInstruction"]
    ]
    assert rates == [40, 30, 20]
    assert pred["status"] == "completed" and vgb["status"] == "active"
    assert vgb["priorPrescription"] == {"reference": f"MedicationRequest/{pred['id']}"}
    assert (
        vgb["dosageInstruction"][0]["doseAndRate"][0]["rateRatio"]["numerator"]["code"] == "mg/kg"
    )
    assert "end" not in vgb["dosageInstruction"][0]["timing"]["repeat"]["boundsPeriod"]


def test_nutrition_order_ratio_and_targets() -> None:
    record = record_from_dict(small_record(), today=TODAY)
    plain = [r for r in fhir.record_resources(record) if r["resourceType"] == "NutritionOrder"][0]
    ratio = plain["extension"][0]
    assert ratio["url"] == fhir.EXT_KETOGENIC_RATIO
    assert ratio["valueRatio"]["numerator"]["value"] == 3.0
    assert ratio["valueRatio"]["denominator"]["value"] == 1
    assert "nutrient" not in plain["oralDiet"]
    targets = {"kd1": fhir.DietTargets(kcal=700, fat_g=70, protein_g=15, carb_g=8.3)}
    order = [
        r
        for r in fhir.record_resources(record, diet_targets=targets)
        if r["resourceType"] == "NutritionOrder"
    ][0]
    amounts = {n["modifier"]["text"]: n["amount"]["value"] for n in order["oralDiet"]["nutrient"]}
    assert amounts == {"Fat": 70, "Protein": 15, "Carbohydrate": 8.3, "Energy": 700}
    feeds = {"kd1": fhir.DietTargets(kcal=700, feeds_per_day=5, feed_volume_ml=140)}
    order = [
        r
        for r in fhir.record_resources(record, diet_targets=feeds)
        if r["resourceType"] == "NutritionOrder"
    ][0]
    admin = order["enteralFormula"]["administration"][0]
    assert admin["schedule"]["repeat"]["frequency"] == 5
    assert admin["quantity"]["value"] == 140
    # 700 kcal / (5 × 140 mL) = 1.0 kcal/mL
    assert order["enteralFormula"]["caloricDensity"]["value"] == pytest.approx(1.0)


def test_ids_unique_and_stable() -> None:
    a, b = resources(), resources()
    assert [r["id"] for r in a] == [r["id"] for r in b]
    assert len({r["id"] for r in a}) == len(a)


def round_trip(resource: dict[str, Any]) -> dict[str, Any]:
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return model.model_dump(mode="json", exclude_none=True)


def test_every_demo_resource_parses_and_round_trips() -> None:
    for infant in demo_clinic(TODAY):
        record = record_from_dict(infant.record, today=TODAY)
        b = fhir.record_bundle(record, timestamp=datetime(2026, 12, 2, tzinfo=UTC))
        assert round_trip(b) == b
        for entry in b["entry"]:
            assert round_trip(entry["resource"]) == entry["resource"]
            assert entry["fullUrl"].endswith(
                f"/{entry['resource']['resourceType']}/{entry['resource']['id']}"
            )


def test_invalid_resource_is_refused() -> None:
    bad = {
        "resourceType": "Observation",
        "id": "x",
        "status": "final",
        "code": {"text": "x"},
        "effectiveDateTime": "2026-01-02T10:00",
    }
    with pytest.raises(InputError, match="Observation/x.effectiveDateTime"):
        fhir.validate_resources([bad])
    with pytest.raises(InputError, match="resourceType"):
        fhir.validate_resources([{"resourceType": "NoSuchThing"}])


def test_bundle_needs_zoned_timestamp() -> None:
    res = resources()
    with pytest.raises(InputError, match="timestamp"):
        fhir.bundle(res, timestamp=datetime(2026, 12, 2, 10, 0))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(3.0, 12.0)),
            st.one_of(st.none(), st.floats(50.0, 80.0)),
            st.one_of(st.none(), st.floats(35.0, 48.0)),
        ).filter(lambda t: any(v is not None for v in t)),
        min_size=1,
        max_size=6,
    )
)
def test_every_growth_value_exported_once(rows: list[tuple[float | None, ...]]) -> None:
    data = small_record()
    data["growth"] = [
        {
            "date": f"2026-09-{i + 1:02d}",
            **{
                k: v
                for k, v in zip(
                    ("weight_kg", "length_cm", "head_circumference_cm"), row, strict=True
                )
                if v is not None
            },
        }
        for i, row in enumerate(rows)
    ]
    try:
        record = record_from_dict(data, today=TODAY)
    except InputError:
        return  # an implausible weight for age is the validator's business, not this test's
    res = fhir.record_resources(record)
    for code, column in (("29463-7", 0), ("8306-3", 1), ("8287-5", 2)):
        got = sorted(o["valueQuantity"]["value"] for o in by_code(res, code))
        assert got == sorted(row[column] for row in rows if row[column] is not None)


def test_doses_given_are_medication_administrations() -> None:
    data = small_record()
    data["doses_given"] = [
        {"date": "2026-09-05", "time": "08:00", "treatment": "pred1", "drug": "prednisolone",
         "dose": "10 mg = 1 mL of 10 mg/mL", "given": True},
        {"date": "2026-09-05", "time": "12:00", "treatment": "pred1", "given": False,
         "note": "vomited"},
    ]
    record = record_from_dict(data, today=TODAY)
    out = fhir.record_resources(record)
    given_, missed = (r for r in out if r["resourceType"] == "MedicationAdministration")
    (pred,) = (r for r in out if r["resourceType"] == "MedicationRequest"
               and r["identifier"][0]["value"] == "pred1")
    assert given_["status"] == "completed" and missed["status"] == "not-done"
    assert given_["medicationCodeableConcept"] == {"text": "prednisolone"}
    assert missed["medicationCodeableConcept"] == {"text": "prednisolone"}  # from the course
    assert given_["effectiveDateTime"] == "2026-09-05"  # no time zone set: the date alone
    assert given_["request"] == {"reference": f"MedicationRequest/{pred['id']}"}
    assert given_["dosage"] == {"text": "10 mg = 1 mL of 10 mg/mL"}
    assert missed["note"] == [{"text": "vomited"}] and given_["id"] != missed["id"]
    zoned = fhir.record_resources(record, fhir.FhirOptions(time_zone="Europe/London"))
    (first, _) = (r for r in zoned if r["resourceType"] == "MedicationAdministration")
    assert first["effectiveDateTime"] == "2026-09-05T08:00:00+01:00"
    fhir.validate_resources(out)
    for r in out:
        assert round_trip(r) == r
    # a record without ticks has none
    assert not [r for r in fhir.record_resources(record_from_dict(small_record(), today=TODAY))
                if r["resourceType"] == "MedicationAdministration"]


def test_a_course_with_its_planned_stop_ahead_is_active() -> None:
    # issue 19: a saved course keeps its whole plan, so a running course has a stop date ahead
    # of the export day; it is still active (before, any stop made it "completed")
    data = small_record()
    pred = data["treatments"][0]
    pred["stop"] = "2026-12-20"  # after TODAY (2 Dec 2026)
    record = record_from_dict(data, today=TODAY)

    def first_request(options: fhir.FhirOptions) -> dict[str, Any]:
        found = fhir.record_resources(record, options)
        return next(r for r in found if r["resourceType"] == "MedicationRequest")

    assert first_request(fhir.FhirOptions(today=TODAY))["status"] == "active"
    # the day after its last dose
    assert first_request(fhir.FhirOptions(today=date(2026, 12, 21)))["status"] == "completed"
