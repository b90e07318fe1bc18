"""The growth references and the words for what they cover: sexes, measures, ages in days.

Numbered as in :mod:`spasmcare.growth`.

References
----------
1. WHO Multicentre Growth Reference Study Group. WHO Child Growth Standards: length/height-for-age,
   weight-for-age, weight-for-length, weight-for-height and body mass index-for-age. Geneva: WHO,
   2006. (LMS tables as shipped in rcpchgrowth.)
2. Royal College of Paediatrics and Child Health. rcpchgrowth (Python package, AGPL-3.0), the
   RCPCH Digital Growth Charts calculation engine: ``sds_for_measurement``, LMS method of
   Cole TJ, Green PJ. Stat Med 1992;11:1305-19.
"""

from __future__ import annotations

from typing import Literal

from spasmcare.errors import InputError

Reference = Literal["who", "uk-who"]
Measure = Literal["weight", "height", "head_circumference", "bmi"]
Sex = Literal["male", "female"]

SEXES: tuple[Sex, ...] = ("male", "female")

REFERENCES: tuple[Reference, ...] = ("who", "uk-who")

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def parse_sex(value: str | None, field: str = "sex") -> Sex | None:
    """Normalise ``male``/``female`` (also ``m``/``f``, ``boy``/``girl``); keep ``None``."""
    if value is None:
        return None
    text = value.strip().lower()
    if text in ("male", "m", "boy"):
        return "male"
    if text in ("female", "f", "girl"):
        return "female"
    raise InputError(field, value, "male or female")
