"""Age limits of the keto calculations: above 120 months refused, shown in months as given."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.keto.ages import AGE_MONTHS_MAX, as_given, check_age_months
from spasmcare.keto.completeness import load_dri
from spasmcare.keto.energy import iom_eer_kcal
from tests.conftest import run_cli


def test_limit_is_120_months() -> None:
    assert AGE_MONTHS_MAX == 120
    assert check_age_months(120) == 120.0
    assert check_age_months(0) == 0.0


@pytest.mark.parametrize(
    "value,message",
    [
        (130.0, "--age-months: 130 is not accepted; at most 120 months"),
        (120.5, "--age-months: 120.5 is not accepted; at most 120 months"),
        (-1.0, "--age-months: -1 is not accepted; an age from 0 to 120 months"),
    ],
)
def test_refusal_names_the_field_and_the_value_in_months(value: float, message: str) -> None:
    with pytest.raises(InputError) as err:
        check_age_months(value)
    assert str(err.value) == message and err.value.field == "--age-months"


def test_nan_refused() -> None:
    with pytest.raises(InputError, match="an age from 0 to 120 months"):
        check_age_months(math.nan)


@given(st.floats(min_value=120.0001, max_value=1e6))
def test_every_age_above_120_is_refused(age: float) -> None:
    with pytest.raises(InputError, match="at most 120 months"):
        check_age_months(age)


def test_whole_numbers_shown_as_typed() -> None:
    assert repr(as_given(130.0)) == "130" and repr(as_given(7.5)) == "7.5"


def test_table_limits_show_the_value_as_typed() -> None:
    with pytest.raises(InputError) as err:
        iom_eer_kcal(10.0, 50.0)
    assert str(err.value).startswith("--age-months: 50 is not accepted; 0–36 months")
    with pytest.raises(InputError) as err:
        load_dri().group_for(110.0)
    assert str(err.value).startswith("--age-months: 110 is not accepted")


@pytest.mark.parametrize(
    "args",
    [
        ["prescribe", "--age-months", "130", "--weight-kg", "28", "--ratio", "3"],
        ["completeness", "--age-months", "130", "--item", "01001=10"],
    ],
)
def test_cli_refuses_130_months_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = run_cli(capsys, "keto", *args)
    assert code == 2 and out == ""
    assert err.strip() == "error: --age-months: 130 is not accepted; at most 120 months"
