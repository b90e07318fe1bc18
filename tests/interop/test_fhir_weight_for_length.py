"""FHIR export of WHO weight-for-length (LOINC 77606-2): a centile with the z-score beside it,
checked with the fhir.resources R4B model."""

from __future__ import annotations

from datetime import date
from statistics import NormalDist

import pytest

from spasmcare.interop import fhir
from spasmcare.record.model import GrowthMeasurement, Patient, Record


def test_weight_for_length_observation() -> None:
    born = date(2026, 3, 1)
    rec = Record(
        patient=Patient(id="p_1", birth_date=born, sex="male"),
        growth=(
            GrowthMeasurement(date(2026, 9, 1), weight_kg=6.0, length_cm=65.0),
            GrowthMeasurement(date(2026, 9, 8), weight_kg=6.1),  # no length: no value
            GrowthMeasurement(date(2028, 3, 1), weight_kg=12.0, length_cm=86.0),  # 24 months
        ),
    )
    res = fhir.record_resources(rec)
    obs_all = [r for r in res if r["resourceType"] == "Observation"]
    wfl = [r for r in obs_all if r["code"]["coding"][0]["code"] == "77606-2"]
    assert len(wfl) == 1
    obs = wfl[0]
    # boy 65.0 cm 6.0 kg: z = ((6.0/7.2666)^-0.3521 - 1)/(-0.3521 × 0.08223) (WHO LMS row)
    z = ((6.0 / 7.2666) ** -0.3521 - 1) / (-0.3521 * 0.08223)
    assert obs["effectiveDateTime"] == "2026-09-01"
    assert obs["valueQuantity"]["code"] == "%"
    assert obs["valueQuantity"]["value"] == pytest.approx(100 * NormalDist().cdf(z), abs=1e-9)
    comp = obs["component"][0]
    assert comp["valueQuantity"]["value"] == pytest.approx(z, abs=1e-12)
    assert fhir.validate_resources([obs]) == 1
