"""The care-pathway section through FHIR (issue 23): exported as valid R4B resources of the
fitting types, read back unchanged; the clinic measures as MeasureReports."""

from __future__ import annotations

from datetime import date

from spasmcare.interop.fhir import record_bundle, record_resources, validate_resources
from spasmcare.interop.fhir_pathway import (
    MEASURE_POPULATION,
    measure_report,
    pathway_from_resources,
    pathway_resources,
)
from spasmcare.measures.pathway import clinic_kpis
from spasmcare.record import record_from_dict
from tests.record.test_pathway_io import TODAY, with_pathway


def test_pathway_round_trips_through_fhir() -> None:
    record = record_from_dict(with_pathway(), today=TODAY)
    resources = record_resources(record)
    assert validate_resources(resources) == len(resources)
    record_bundle(record)  # the Bundle validates too
    assert pathway_from_resources(resources) == record.pathway


def test_pathway_resource_types_and_priority() -> None:
    record = record_from_dict(with_pathway(), today=TODAY)
    out = pathway_resources(record)
    kinds = [(r["resourceType"], r["code"]["coding"][0]["code"]) for r in out]
    assert ("ServiceRequest", "referral-epilepsy-service") in kinds
    assert ("Procedure", "first-seen-epilepsy-service") in kinds
    assert ("Procedure", "eeg-diagnostic") in kinds
    assert ("ServiceRequest", "mri-brain") in kinds and ("Procedure", "mri-brain") in kinds
    assert ("Observation", "proposal-override") in kinds
    referral = next(r for r in out if r["resourceType"] == "ServiceRequest")
    assert (referral["priority"], referral["authoredOn"], referral["status"]) == (
        "urgent",
        "2026-04-20",
        "completed",
    )


def test_a_record_without_the_section_exports_no_pathway_resource() -> None:
    data = with_pathway()
    del data["pathway"]
    assert pathway_resources(record_from_dict(data, today=TODAY)) == []


def test_a_partial_section_round_trips() -> None:
    data = with_pathway(
        {
            "mri": {"requested": "2026-04-29"},
            "genetic_tests": [{"type": "exome"}],
            "referral": {"date": "2026-04-20", "urgency": "routine"},
        }
    )
    record = record_from_dict(data, today=TODAY)
    resources = pathway_resources(record)
    validate_resources(resources)
    assert pathway_from_resources(resources) == record.pathway


def test_measure_report_by_hand() -> None:
    records = [record_from_dict(with_pathway(), today=TODAY) for _ in range(5)]
    figures = {f.kpi.id: f for f in clinic_kpis(records, TODAY, k=5)}
    report = measure_report(figures["urgent-referral-seen-14d"], date(2026, 1, 1), TODAY)
    assert report is not None
    validate_resources([report])
    counts = {
        p["code"]["coding"][0]["code"]: p["count"] for p in report["group"][0]["population"]
    }
    assert report["group"][0]["population"][0]["code"]["coding"][0]["system"] == (
        MEASURE_POPULATION
    )
    # 5 urgent referrals seen after 8 days: all met
    assert counts == {
        "initial-population": 5,
        "denominator": 5,
        "numerator": 5,
        "denominator-exclusion": 0,
    }
    assert report["group"][0]["measureScore"]["value"] == 1.0
    assert measure_report(clinic_kpis(records, TODAY, k=6)[0], date(2026, 1, 1), TODAY) is None


def test_a_deidentified_bulk_export_keeps_no_reason_name_or_variant_text() -> None:
    import json

    from spasmcare.interop.deid_fhir import deidentify_resources

    record = record_from_dict(with_pathway(), today=TODAY)
    out = deidentify_resources(pathway_resources(record), "p1", "a-test-salt-of-enough-length")
    text = json.dumps(out)
    for words in ("family preference", "Dr A", "c.100A>G", "plasma amino acids", "2026-04-20"):
        assert words not in text
    validate_resources(out)
