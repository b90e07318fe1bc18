from __future__ import annotations

import math

import pytest

from spasmcare.errors import InputError
from spasmcare.growth import centile, check_weight_for_age, parse_sex, sds, value_at_sds


def test_who_median_birth_weight_boys_is_zero_sds() -> None:
    # WHO 2006 weight-for-age boys, birth: M = 3.3464 kg -> z = 0.
    assert sds("weight", 3.3464, 0.0, "male") == pytest.approx(0.0, abs=1e-6)


def test_value_at_sds_round_trips() -> None:
    weight = value_at_sds("weight", 1.0, 8 / 12, "female")
    assert sds("weight", weight, 8 / 12, "female") == pytest.approx(1.0, abs=1e-3)


def test_centile_of_zero_is_fifty() -> None:
    assert centile(0.0) == pytest.approx(50.0)
    assert centile(-2.0) == pytest.approx(2.275, abs=1e-3)


def test_weight_beyond_five_sd_is_an_error_naming_the_range() -> None:
    with pytest.raises(InputError) as err:
        check_weight_for_age(3.0, 8, "male")
    assert "±5 SD" in str(err.value) and "weight_kg" in str(err.value)


def test_weight_beyond_three_sd_is_a_warning() -> None:
    # -4 SD boys at 8 months lies between the -5 and -3 SD weights.
    weight = value_at_sds("weight", -4.0, 8 / 12, "male")
    result = check_weight_for_age(weight, 8, "male")
    assert len(result.warnings) == 1 and "-4.0 SD" in result.warnings[0]


def test_weight_checked_against_both_sexes_when_sex_unknown() -> None:
    result = check_weight_for_age(8.0, 8, None)
    assert set(result.sds_by_sex) == {"male", "female"}
    assert all(math.isfinite(v) for v in result.sds_by_sex.values())


@pytest.mark.parametrize("text,expected", [("M", "male"), ("girl", "female"), (None, None)])
def test_parse_sex(text: str | None, expected: str | None) -> None:
    assert parse_sex(text) == expected


def test_parse_sex_rejects_other_text() -> None:
    with pytest.raises(InputError):
        parse_sex("x")
