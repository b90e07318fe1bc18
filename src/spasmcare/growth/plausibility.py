"""Weight-for-age and length-for-age plausibility: refused beyond ±5 SD, warned beyond ±3 SD.

Numbered as in :mod:`spasmcare.growth`.

References
----------
1. WHO Multicentre Growth Reference Study Group. WHO Child Growth Standards: length/height-for-age,
   weight-for-age, weight-for-length, weight-for-height and body mass index-for-age. Geneva: WHO,
   2006. (LMS tables as shipped in rcpchgrowth.)
3. WHO. Recommendations for data collection, analysis and reporting on anthropometric indicators
   in children under 5 years old. Geneva: WHO/UNICEF, 2019 — z-scores beyond ±5 (weight-for-age)
   are flagged as biologically implausible; ±3 SD marks severe deviation.
"""

from __future__ import annotations

from dataclasses import dataclass

from spasmcare.errors import InputError
from spasmcare.growth.references import SEXES, Measure, Sex
from spasmcare.growth.zscores import sds, value_at_sds

#: |SDS| beyond which a weight-for-age is treated as impossible (an input error) [3].
IMPLAUSIBLE_WEIGHT_SDS = 5.0
#: |SDS| beyond which a weight-for-age is flagged as a warning [3].
EXTREME_WEIGHT_SDS = 3.0


def _sds_within_limit(
    measure: Measure,
    value: float,
    unit: str,
    age_months: float,
    sex: Sex | None,
    field: str,
    implausible_sds: float,
) -> tuple[dict[str, float], float]:
    """The SDS of ``value`` for each sex considered, and the one nearest 0; an InputError when
    even that one is beyond ``implausible_sds`` [1, 3]."""
    sexes: tuple[Sex, ...] = (sex,) if sex else SEXES
    age_years = age_months / 12.0
    scores: dict[str, float] = {s: sds(measure, value, age_years, s) for s in sexes}
    nearest = min(scores.values(), key=abs)
    if abs(nearest) > implausible_sds:
        lo = max(value_at_sds(measure, -implausible_sds, age_years, s) for s in sexes)
        hi = min(value_at_sds(measure, implausible_sds, age_years, s) for s in sexes)
        noun = "weight" if measure == "weight" else "length"
        raise InputError(
            field,
            value,
            f"a {noun} within ±{implausible_sds:g} SD of WHO {noun}-for-age at {age_months:g} "
            f"months ({lo:.1f}–{hi:.1f} {unit}); got {nearest:+.1f} SD",
        )
    return scores, nearest


@dataclass(frozen=True)
class WeightCheck:
    """Result of a weight-for-age plausibility check."""

    sds_by_sex: dict[str, float]
    warnings: list[str]


def check_weight_for_age(
    weight_kg: float, age_months: float, sex: Sex | None, field: str = "weight_kg"
) -> WeightCheck:
    """Reject a weight impossible for the age (beyond ±5 SD of WHO) and warn beyond ±3 SD [1, 3].

    With ``sex`` unknown the weight is checked against both sexes and only rejected when it is
    implausible for both.
    """
    if not weight_kg > 0:
        raise InputError(field, weight_kg, "a weight above 0 kg")
    scores, nearest = _sds_within_limit(
        "weight", weight_kg, "kg", age_months, sex, field, IMPLAUSIBLE_WEIGHT_SDS
    )
    warnings = []
    if abs(nearest) > EXTREME_WEIGHT_SDS:
        warnings.append(
            f"weight {weight_kg:g} kg is {nearest:+.1f} SD for age (WHO): beyond ±3 SD, "
            "check the weight and use an ideal body weight for the diet if appropriate"
        )
    return WeightCheck(sds_by_sex=scores, warnings=warnings)


#: |SDS| beyond which a length-for-age is treated as impossible (an input error) [3]. The stored
#: copy of [3] gives ±5 SD for weight-for-age; its length-for-age limit was not readable
#: (VERIFY), so the same ±5 SD is used: keyword ``implausible_sds`` changes it.
IMPLAUSIBLE_LENGTH_SDS = 5.0
#: |SDS| beyond which a length-for-age is flagged as a warning (severe deviation) [3].
EXTREME_LENGTH_SDS = 3.0


@dataclass(frozen=True)
class LengthCheck:
    """Result of a length-for-age plausibility check."""

    sds_by_sex: dict[str, float]
    warnings: list[str]


def check_length_for_age(
    length_cm: float,
    age_months: float,
    sex: Sex | None,
    field: str = "length_cm",
    implausible_sds: float = IMPLAUSIBLE_LENGTH_SDS,
) -> LengthCheck:
    """Reject a length impossible for the age (beyond ``implausible_sds`` of WHO
    length-for-age, default ±5 SD) and warn beyond ±3 SD [1, 3].

    With ``sex`` unknown the length is checked against both sexes and only rejected when it is
    implausible for both.
    """
    if not length_cm > 0:
        raise InputError(field, length_cm, "a length above 0 cm")
    scores, nearest = _sds_within_limit(
        "height", length_cm, "cm", age_months, sex, field, implausible_sds
    )
    warnings = []
    if abs(nearest) > EXTREME_LENGTH_SDS:
        warnings.append(
            f"length {length_cm:g} cm is {nearest:+.1f} SD for age (WHO): beyond "
            f"±{EXTREME_LENGTH_SDS:g} SD, check the measurement"
        )
    return LengthCheck(sds_by_sex=scores, warnings=warnings)
