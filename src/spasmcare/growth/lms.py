"""WHO 2006/2007 and UK-WHO z-scores from rcpchgrowth's own LMS tables, without its import cost.

``import rcpchgrowth`` loads scipy.stats and every reference table it ships (about 0.6 s), and its
LMS lookup scans a table of up to 1,126 ages calling ``round`` twice per row (about 0.4 ms per
z-score). This module computes the very same numbers for the two references spasmcare uses
(``who``, ``uk-who``): it reads the same JSON tables from the installed rcpchgrowth package
(without importing it), selects the table by age as rcpchgrowth does [1], finds the age by
bisection instead of a scan, and interpolates and converts exactly as rcpchgrowth does, operation
for operation, so the results are equal to the last bit (``tests/growth/test_lms.py`` compares
both on a dense grid of ages, values and z-scores; the constants below are checked against
``rcpchgrowth.constants`` there).

Interpolation follows rcpchgrowth [1]: an age found in the table (to 4 decimals) uses its row;
otherwise cubic (Lagrange, through two rows either side) inside the table and linear at its first
and last interval, and always linear for z-scores against WHO. The LMS method: z = ((x/M)^L − 1) /
(L·S), x = M·(1 + L·S·z)^(1/L) (Cole & Green 1992) [2]; WHO z-scores beyond ±3 are stretched by
the distance between the 2 and 3 SD lines [3].

References
----------
1. Royal College of Paediatrics and Child Health. rcpchgrowth (Python package, AGPL-3.0):
   ``global_functions.sds_for_measurement``, ``measurement_from_sds``, ``fetch_lms``,
   ``who.who_reference``, ``uk_who.uk_who_reference`` and their ``reference_data_absent``.
2. Cole TJ, Green PJ. Smoothing reference centile curves: the LMS method and penalized
   likelihood. Stat Med 1992;11:1305-19.
3. WHO. Growth reference 5-19 years: computation of centiles and z-scores (2007).
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import math
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

WHO = "who"
UK_WHO = "uk-who"

# rcpchgrowth.constants (checked equal by the tests), as decimal ages [years]
TWENTY_THREE_WEEKS_GESTATION = ((23 * 7) - (40 * 7)) / 365.25
TWENTY_FIVE_WEEKS_GESTATION = ((25 * 7) - (40 * 7)) / 365.25
FORTY_TWO_WEEKS_GESTATION = ((42 * 7) - (40 * 7)) / 365.25
UK90_REFERENCE_LOWER_THRESHOLD = ((23 * 7) - (40 * 7)) / 365.25
UK_WHO_INFANT_LOWER_THRESHOLD = ((42 * 7) - (40 * 7)) / 365.25
WHO_CHILD_LOWER_THRESHOLD = 2.0
WHO_CHILDREN_UPPER_THRESHOLD = 4.0
UK90_UPPER_THRESHOLD = 20
WHO_2006_REFERENCE_UPPER_THRESHOLD = 1856 / 365.25
WHO_2007_REFERENCE_UPPER_THRESHOLD = 19.0
TWO_YEARS = 2.0

#: rcpchgrowth's table files by name (inside its ``data_tables`` folder).
TABLE_FILES: dict[str, str] = {
    "who_infants": "who/who_infants.json",
    "who_children": "who/who_children.json",
    "who_2007": "who/who_2007_children.json",
    "uk90_preterm": "uk90_preterm.json",
    "uk90_child": "uk90_child.json",
}


def data_tables_dir() -> Path:
    """The ``data_tables`` folder of the installed rcpchgrowth (found without importing it)."""
    spec = importlib.util.find_spec("rcpchgrowth")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("rcpchgrowth is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data_tables"


@dataclass(frozen=True)
class Rows:
    """One LMS table (a measurement of a sex in one reference file), ages ascending."""

    ages: tuple[float, ...]
    #: ``round(age, 4)`` of each row, as rcpchgrowth compares them
    rounded: tuple[float, ...]
    L: tuple[float, ...]
    M: tuple[float, ...]
    S: tuple[float, ...]


@cache
def _file(name: str) -> dict[str, dict[str, list[dict[str, float]]]]:
    with open(data_tables_dir() / TABLE_FILES[name], encoding="utf-8") as fh:
        measurement: dict[str, dict[str, list[dict[str, float]]]] = json.load(fh)["measurement"]
    return measurement


@cache
def _rows(name: str, method: str, sex: str) -> Rows:
    rows = _file(name)[method][sex]  # KeyError (a LookupError) as in rcpchgrowth
    ages = tuple(r["decimal_age"] for r in rows)
    if any(b <= a for a, b in zip(ages, ages[1:], strict=False)):
        raise ValueError(f"{TABLE_FILES[name]}: ages not ascending")
    return Rows(
        ages=ages,
        rounded=tuple(round(a, 4) for a in ages),
        L=tuple(r["L"] for r in rows),
        M=tuple(r["M"] for r in rows),
        S=tuple(r["S"] for r in rows),
    )


def _who_table(age: float, method: str, sex: str) -> Rows:
    """rcpchgrowth ``who_lms_array_for_measurement_and_sex`` (default_youngest_reference off)."""
    if age < 0.0:
        raise LookupError("WHO data does not exist below term.")
    if age > WHO_2007_REFERENCE_UPPER_THRESHOLD:
        raise LookupError("WHO data does not exist above 19 years.")
    if method == "weight" and age > 10.0:
        raise LookupError("WHO weight data does not exist in children over 10 y of age.")
    if method == "ofc" and age > WHO_2006_REFERENCE_UPPER_THRESHOLD:
        raise LookupError("WHO head circumference data does not exist over 5 y of age.")
    if age <= WHO_2006_REFERENCE_UPPER_THRESHOLD:
        name = "who_infants" if age < WHO_CHILD_LOWER_THRESHOLD else "who_children"
    else:  # up to WHO_2007_REFERENCE_UPPER_THRESHOLD (19 y), checked above
        name = "who_2007"
    return _rows(name, method, sex)


def _uk_who_table(age: float, method: str, sex: str) -> Rows:
    """rcpchgrowth ``uk_who_lms_array_for_measurement_and_sex`` (youngest reference off)."""
    if age < UK90_REFERENCE_LOWER_THRESHOLD:
        raise LookupError("There is no UK90 reference data below 23 weeks gestation")
    if age < UK_WHO_INFANT_LOWER_THRESHOLD:
        name = "uk90_preterm"
    elif age < WHO_CHILD_LOWER_THRESHOLD:
        name = "who_infants"
    elif age < WHO_CHILDREN_UPPER_THRESHOLD:
        name = "who_children"
    elif age <= UK90_UPPER_THRESHOLD:
        name = "uk90_child"
    else:
        raise LookupError("There is no UK90 reference data above the age of 20 years.")
    if method == "height" and age < TWENTY_FIVE_WEEKS_GESTATION:
        raise LookupError("UK-WHO length data does not exist below 25 weeks gestation.")
    if method == "bmi" and age < FORTY_TWO_WEEKS_GESTATION:
        raise LookupError("UK-WHO BMI data does not exist below 2 weeks of age.")
    if method == "ofc" and ((sex == "male" and age > 18.0) or (sex == "female" and age > 17.0)):
        raise LookupError("UK-WHO head circumference data does not exist at this age.")
    return _rows(name, method, sex)


def _table(reference: str, age: float, method: str, sex: str) -> Rows:
    if reference == UK_WHO:
        return _uk_who_table(age, method, sex)
    if reference == WHO:
        return _who_table(age, method, sex)
    raise ValueError("No or incorrect reference supplied")


def _lookup_age(reference: str, age: float, rows: Rows) -> float:
    """The exact two-year WHO boundary maps to the selected table's end (rcpchgrowth)."""
    if reference not in (UK_WHO, WHO) or age != TWO_YEARS:
        return age
    return min(max(age, rows.ages[0]), rows.ages[-1])


def _nearest_lowest_index(rows: Rows, age: float) -> int:
    """rcpchgrowth ``nearest_lowest_index`` by bisection: the first row equal to ``age`` to 4
    decimals, else the last row below ``age`` (0 if none). ``round`` never reverses order, so
    ``rows.rounded`` is sorted as ``rows.ages`` is."""
    target = round(age, 4)
    j = bisect.bisect_left(rows.rounded, target)
    if j < len(rows.rounded) and rows.rounded[j] == target:
        return j
    return max(bisect.bisect_left(rows.ages, age) - 1, 0)


def _cubic(
    t: float,
    a_one_below: float,
    a_two_below: float,
    a_one_above: float,
    a_two_above: float,
    p_two_below: float,
    p_one_below: float,
    p_one_above: float,
    p_two_above: float,
) -> float:
    """Lagrange cubic through four rows, in rcpchgrowth's order of operations."""
    tt0 = t - a_two_below
    tt1 = t - a_one_below
    tt2 = t - a_one_above
    tt3 = t - a_two_above
    t01 = a_two_below - a_one_below
    t02 = a_two_below - a_one_above
    t03 = a_two_below - a_two_above
    t12 = a_one_below - a_one_above
    t13 = a_one_below - a_two_above
    t23 = a_one_above - a_two_above
    return (
        p_two_below * tt1 * tt2 * tt3 / t01 / t02 / t03
        - p_one_below * tt0 * tt2 * tt3 / t01 / t12 / t13
        + p_one_above * tt0 * tt1 * tt3 / t02 / t12 / t23
        - p_two_above * tt0 * tt1 * tt2 / t03 / t13 / t23
    )


def _linear(t: float, a_below: float, a_above: float, p_below: float, p_above: float) -> np.ndarray:
    """scipy ``interp1d([a_below, a_above], [p_below, p_above])(t)`` as rcpchgrowth calls it: a
    0-d float64 array (later rounded the numpy way), ValueError outside the two ages."""
    x = np.asarray(t, dtype=np.float64)
    if x < a_below:
        raise ValueError(f"A value ({t}) in x_new is below the interpolation range.")
    if x > a_above:
        raise ValueError(f"A value ({t}) in x_new is above the interpolation range.")
    x_lo, x_hi = np.float64(a_below), np.float64(a_above)
    y_lo, y_hi = np.float64(p_below), np.float64(p_above)
    slope = (y_hi - y_lo) / (x_hi - x_lo)
    return np.asarray(slope * (x - x_lo) + y_lo)


#: L, M, S: floats, or 0-d float64 arrays where rcpchgrowth interpolates linearly with scipy
#: (their rounding is numpy's, so they are kept as arrays to the end, as there)
LMS = tuple[Any, Any, Any]


def fetch_lms(age: float, rows: Rows, linear_only: bool = False) -> LMS:
    """L, M, S at ``age``: the row of that age, else interpolated (rcpchgrowth ``fetch_lms``)."""
    i = _nearest_lowest_index(rows, age)
    if round(age, 4) == rows.rounded[i]:
        return rows.L[i], rows.M[i], rows.S[i]
    a_one_below, a_one_above = rows.ages[i], rows.ages[i + 1]  # IndexError past the end
    if 1 <= i < len(rows.ages) - 2 and not linear_only:
        a_two_below, a_two_above = rows.ages[i - 1], rows.ages[i + 2]
        return tuple(  # type: ignore[return-value]
            _cubic(
                age,
                a_one_below,
                a_two_below,
                a_one_above,
                a_two_above,
                p[i - 1],
                p[i],
                p[i + 1],
                p[i + 2],
            )
            for p in (rows.L, rows.M, rows.S)
        )
    return tuple(  # type: ignore[return-value]
        _linear(age, a_one_below, a_one_above, p[i], p[i + 1]) for p in (rows.L, rows.M, rows.S)
    )


def _z_score(lms: LMS, x: float) -> Any:
    l, m, s = lms  # noqa: E741  (the names of the LMS method)
    if l != 0.0:
        return (((x / m) ** l) - 1) / (l * s)
    return math.log(x / m) / s


def sds_for_measurement(
    reference: str, age: float, measurement_method: str, observation_value: float, sex: str
) -> float:
    """rcpchgrowth ``sds_for_measurement`` for ``who`` and ``uk-who`` (same result)."""
    rows = _table(reference, age, measurement_method, sex)
    lms = fetch_lms(_lookup_age(reference, age, rows), rows, linear_only=reference == WHO)
    l, m, s = lms  # noqa: E741
    if reference == WHO and ((measurement_method in ("bmi", "weight") and age >= 5) or age < 5):
        z = _z_score(lms, observation_value)
        if abs(z) > 3:
            if z > 3:
                sd3pos = m * (1 + l * s * 3) ** (1 / l)
                sd2pos = m * (1 + l * s * 2) ** (1 / l)
                z = 3 + ((observation_value - sd3pos) / (sd3pos - sd2pos))
            elif z < -3:
                sd3neg = m * (1 + l * s * -3) ** (1 / l)
                sd2neg = m * (1 + l * s * -2) ** (1 / l)
                z = -3 + ((observation_value - sd3neg) / (sd2neg - sd3neg))
        return float(z)
    return float(_z_score(lms, observation_value))


@lru_cache(maxsize=4096)
def _lms_at(reference: str, age: float, measurement_method: str, sex: str) -> LMS:
    """L, M, S of the table for ``age`` (as :func:`measurement_from_sds` reads them), kept: a
    chart's centile lines ask for the same ages at nine z-scores."""
    rows = _table(reference, age, measurement_method, sex)
    return fetch_lms(_lookup_age(reference, age, rows), rows)


def measurement_from_sds(
    reference: str, requested_sds: float, measurement_method: str, sex: str, age: float
) -> float | None:
    """rcpchgrowth ``measurement_from_sds`` for ``who`` and ``uk-who`` (same result; ``None``
    where the LMS curve has no value)."""
    l, m, s = _lms_at(reference, age, measurement_method, sex)  # noqa: E741
    value: Any
    if l != 0.0:
        first_step = 1 + (l * s * requested_sds)
        if first_step < 0:
            return None
        try:
            value = (first_step ** (1 / l)) * m
        except Exception:  # rcpchgrowth returns None on any arithmetic failure
            return None
    else:
        value = math.exp(s * requested_sds) * m
    return float(round(value, 4))
