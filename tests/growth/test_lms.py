"""spasmcare.growth.lms gives rcpchgrowth's own numbers, to the last bit.

rcpchgrowth is the reference implementation here: every result of the fast engine is compared
with ``==`` (not approximately) to rcpchgrowth's on a grid of ages that crosses every table
boundary, on every row age of the daily WHO tables near the boundaries, and on random ages.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
import rcpchgrowth
import rcpchgrowth.constants as rc
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare import growth
from spasmcare.growth import lms

REFERENCES = ("who", "uk-who")
METHODS = ("weight", "height", "ofc", "bmi")
SEXES = ("male", "female")
ZS = (-6.0, -3.4, -2.0, -0.7, 0.0, 1.3, 3.0, 3.6, 6.0)

BOUNDARIES = (
    rc.TWENTY_THREE_WEEKS_GESTATION,
    rc.TWENTY_FIVE_WEEKS_GESTATION,
    rc.FORTY_TWO_WEEKS_GESTATION,
    0.0,
    2.0,
    4.0,
    5.0,
    rc.WHO_2006_REFERENCE_UPPER_THRESHOLD,
    10.0,
    17.0,
    18.0,
    19.0,
    20.0,
)
AGES = sorted(
    {round(-0.45 + i * 0.1371, 6) for i in range(155)}
    | {b + d for b in BOUNDARIES for d in (-1e-9, 0.0, 1e-9, -0.003, 0.003)}
    | {1.9986310746, 2.0013689254, 5.0814510609, 0.0027378508, 0.0054757016}
)


def test_constants_are_rcpchgrowths() -> None:
    for name in (
        "TWENTY_THREE_WEEKS_GESTATION",
        "TWENTY_FIVE_WEEKS_GESTATION",
        "FORTY_TWO_WEEKS_GESTATION",
        "UK90_REFERENCE_LOWER_THRESHOLD",
        "UK_WHO_INFANT_LOWER_THRESHOLD",
        "WHO_CHILD_LOWER_THRESHOLD",
        "WHO_CHILDREN_UPPER_THRESHOLD",
        "UK90_UPPER_THRESHOLD",
        "WHO_2006_REFERENCE_UPPER_THRESHOLD",
        "WHO_2007_REFERENCE_UPPER_THRESHOLD",
        "TWO_YEARS",
    ):
        assert getattr(lms, name) == getattr(rc, name), name
    assert (lms.WHO, lms.UK_WHO) == (rc.WHO, rc.UK_WHO)


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """("value", result) or ("error", LookupError/ValueError/TypeError) — the classes that
    spasmcare.growth turns into an InputError."""
    try:
        result = call()
    except (LookupError, ValueError, TypeError):
        return ("error", None)
    if result is None:
        return ("value", None)
    value = float(result)
    return ("nan", None) if math.isnan(value) else ("value", value)


def _same(function: str, **kwargs: Any) -> tuple[str, Any]:
    """The outcome of ``function`` (a name both modules define) called with ``kwargs`` by
    rcpchgrowth, asserted equal to that of spasmcare.growth.lms."""
    theirs = _outcome(lambda: getattr(rcpchgrowth, function)(**kwargs))
    ours = _outcome(lambda: getattr(lms, function)(**kwargs))
    assert ours == theirs, (function, kwargs)
    return theirs


def _same_measurement(reference: str, method: str, sex: str, age: float, z: float) -> float | None:
    outcome = _same(
        "measurement_from_sds",
        reference=reference,
        requested_sds=z,
        measurement_method=method,
        sex=sex,
        age=age,
    )
    return outcome[1]


def _same_sds(reference: str, method: str, sex: str, age: float, value: float) -> None:
    _same(
        "sds_for_measurement",
        reference=reference,
        age=age,
        measurement_method=method,
        observation_value=value,
        sex=sex,
    )


@pytest.mark.parametrize("reference", REFERENCES)
@pytest.mark.parametrize("method", METHODS)
def test_grid_equals_rcpchgrowth(reference: str, method: str) -> None:
    for sex in SEXES:
        for age in AGES:
            for z in ZS:
                value = _same_measurement(reference, method, sex, age, z)
                if value is not None:
                    _same_sds(reference, method, sex, age, value)
                    _same_sds(reference, method, sex, age, value * 1.013)


@settings(max_examples=300)
@given(
    reference=st.sampled_from(REFERENCES),
    method=st.sampled_from(METHODS),
    sex=st.sampled_from(SEXES),
    age=st.floats(min_value=-0.5, max_value=20.5, allow_nan=False),
    z=st.floats(min_value=-7, max_value=7, allow_nan=False),
    factor=st.floats(min_value=0.3, max_value=3.0),
)
def test_random_ages_equal_rcpchgrowth(
    reference: str, method: str, sex: str, age: float, z: float, factor: float
) -> None:
    value = _same_measurement(reference, method, sex, age, z)
    if value is not None:
        _same_sds(reference, method, sex, age, value)
        _same_sds(reference, method, sex, age, value * factor)


def test_bad_sex_or_method_fails_as_rcpchgrowth_does() -> None:
    for sex, method in (("other", "weight"), ("male", "length")):
        _same_measurement("who", method, sex, 0.5, 0.0)
        _same_sds("uk-who", method, sex, 0.5, 7.0)


def test_public_functions_use_the_engine_and_remember() -> None:
    growth._sds.cache_clear()
    first = growth.sds("weight", 7.9, 0.5, "male")
    assert first == rcpchgrowth.sds_for_measurement(
        reference="who", age=0.5, measurement_method="weight", observation_value=7.9, sex="male"
    )
    assert growth.sds("weight", 7.9, 0.5, "male") == first
    assert growth._sds.cache_info().hits >= 1
    assert growth.value_at_sds("head_circumference", 0.0, 1.0, "female", "uk-who") == float(
        rcpchgrowth.measurement_from_sds(
            reference="uk-who", requested_sds=0.0, measurement_method="ofc", sex="female", age=1.0
        )
    )


def test_engine_does_not_import_scipy_or_rcpchgrowth() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom spasmcare.growth import sds, value_at_sds\n"
        "sds('weight', 7.9, 0.5, 'male'); value_at_sds('height', 1.0, 1.5, 'female', 'uk-who')\n"
        "print(' '.join(m for m in ('scipy', 'rcpchgrowth') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
