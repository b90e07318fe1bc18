"""The ages the ketogenic calculations accept, and how a refused age is shown.

Ages are given in months everywhere in this package (``--age-months``, ``Patient.age_months``),
so a refused age is reported in months, with the value as it was typed (130, not 130.0).

Project setting (not a clinical figure): :data:`AGE_MONTHS_MAX` = 120 months (10 years).
spasmcare serves infantile spasms (onset in infancy) and follow-up into childhood; issue 14 of
the project fixes the limit at 120 months, so older children are refused rather than computed
with infant and young-child equations. Narrower limits of single tables (an equation's or a
reference table's own age range) still apply below it.
"""

from __future__ import annotations

import math
from typing import Any

from spasmcare.errors import InputError

AGE_MONTHS_MAX = 120.0


def as_given(value: Any) -> Any:
    """A whole number shown as typed (130, not 130.0) in a message; anything else unchanged."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def check_age_months(age_months: Any, field: str = "--age-months") -> float:
    """``age_months`` as a float if 0 ≤ age ≤ 120 months, else :class:`InputError` naming ``field``.

    ``--age-months 130`` → "--age-months: 130 is not accepted; at most 120 months".
    """
    if isinstance(age_months, bool) or not isinstance(age_months, int | float):
        raise InputError(field, age_months, f"an age from 0 to {AGE_MONTHS_MAX:g} months")
    if not math.isfinite(age_months) or age_months < 0:
        raise InputError(field, as_given(age_months), f"an age from 0 to {AGE_MONTHS_MAX:g} months")
    if age_months > AGE_MONTHS_MAX:
        raise InputError(field, as_given(age_months), f"at most {AGE_MONTHS_MAX:g} months")
    return float(age_months)
