"""Growth standards: z-scores (SDS) and centiles against WHO 2006 / UK-WHO, via rcpchgrowth.

Every domain package that needs a growth reference calls this module, so that the choice of
reference and its plausibility limits live in one place.

References
----------
1. WHO Multicentre Growth Reference Study Group. WHO Child Growth Standards: length/height-for-age,
   weight-for-age, weight-for-length, weight-for-height and body mass index-for-age. Geneva: WHO,
   2006. (LMS tables as shipped in rcpchgrowth.)
2. Royal College of Paediatrics and Child Health. rcpchgrowth (Python package, AGPL-3.0), the
   RCPCH Digital Growth Charts calculation engine: ``sds_for_measurement``, LMS method of
   Cole TJ, Green PJ. Stat Med 1992;11:1305-19.
3. WHO. Recommendations for data collection, analysis and reporting on anthropometric indicators
   in children under 5 years old. Geneva: WHO/UNICEF, 2019 — z-scores beyond ±5 (weight-for-age)
   are flagged as biologically implausible; ±3 SD marks severe deviation.
4. Royal College of Paediatrics and Child Health. UK-WHO growth charts, Fact Sheet 5: Plotting
   preterm infants (2009): premature means born before 37 completed weeks; correct the age
   using the expected date of delivery.
5. GPnotebook. Age-adjusting for baby's development (last reviewed 05/2023): correct for the
   first year for moderate prematurity, up to two years for babies born before 30 weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from statistics import NormalDist
from typing import Literal

from spasmcare.errors import InputError

Reference = Literal["who", "uk-who"]
Measure = Literal["weight", "height", "head_circumference", "bmi"]
Sex = Literal["male", "female"]

SEXES: tuple[Sex, ...] = ("male", "female")

#: rcpchgrowth names head circumference "ofc" (occipitofrontal circumference) [2].
_RCPCH_METHOD: dict[str, str] = {"head_circumference": "ofc"}
REFERENCES: tuple[Reference, ...] = ("who", "uk-who")

#: |SDS| beyond which a weight-for-age is treated as impossible (an input error) [3].
IMPLAUSIBLE_WEIGHT_SDS = 5.0
#: |SDS| beyond which a weight-for-age is flagged as a warning [3].
EXTREME_WEIGHT_SDS = 3.0

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


def sds(
    measure: Measure,
    value: float,
    age_years: float,
    sex: Sex,
    reference: Reference = "who",
) -> float:
    """Standard deviation score of one measurement [1, 2].

    Parameters
    ----------
    measure : {'weight', 'height', 'head_circumference', 'bmi'}
        Weight [kg], length/height [cm], head circumference [cm] or BMI [kg/m²].
    value : float
        The measurement in the unit above.
    age_years : float
        Decimal age [years]; pass the gestation-corrected age for babies born preterm.
    sex : {'male', 'female'}
    reference : {'who', 'uk-who'}
        Default WHO 2006, the standard for 0-5 years used world-wide.
    """
    if reference not in REFERENCES:
        raise InputError("reference", reference, "one of " + ", ".join(REFERENCES))
    try:
        return _sds(measure, value, age_years, sex, reference)
    except (LookupError, ValueError, TypeError) as exc:
        raise InputError("age", age_years, f"an age covered by the {reference} reference") from exc


#: Most (measure, value, age, sex, reference) results kept by the memo of :func:`_sds` and
#: :func:`_lms_value` (software setting; a report needs a few hundred).
MEMO_SIZE = 8192


@lru_cache(maxsize=MEMO_SIZE)
def _sds(measure: Measure, value: float, age_years: float, sex: Sex, reference: Reference) -> float:
    """rcpchgrowth's ``sds_for_measurement`` [2], computed by :mod:`spasmcare.growth.lms` from
    rcpchgrowth's own tables (identical results, without loading scipy); a pure function, so
    memoised."""
    # imported on first use: a command that needs no z-score (``spasmcare --help``, ``foods
    # search``) does not read the tables
    from spasmcare.growth.lms import sds_for_measurement

    return float(
        sds_for_measurement(
            reference=reference,
            age=age_years,
            measurement_method=_RCPCH_METHOD.get(measure, measure),
            observation_value=value,
            sex=sex,
        )
    )


@lru_cache(maxsize=MEMO_SIZE)
def _lms_value(
    measure: Measure, z: float, age_years: float, sex: Sex, reference: Reference
) -> float | None:
    """rcpchgrowth's ``measurement_from_sds`` [2] (see :func:`_sds`); memoised."""
    from spasmcare.growth.lms import measurement_from_sds

    return measurement_from_sds(
        reference=reference,
        requested_sds=z,
        measurement_method=_RCPCH_METHOD.get(measure, measure),
        sex=sex,
        age=age_years,
    )


def centile(z: float) -> float:
    """Centile [%] of a z-score on the standard normal distribution."""
    return 100.0 * NormalDist().cdf(z)


def value_at_sds(
    measure: Measure, z: float, age_years: float, sex: Sex, reference: Reference = "who"
) -> float:
    """The measurement that sits at z-score ``z`` for the age and sex [1, 2].

    Beyond ±3 SD the WHO standards stretch the distribution linearly by the distance between
    the 2 and 3 SD lines [1]; this inverse does the same, so that ``sds(value_at_sds(z)) == z``.
    """

    def lms_value(zz: float) -> float:
        result = _lms_value(measure, zz, age_years, sex, reference)
        if result is None:
            raise InputError("age", age_years, f"an age covered by the {reference} reference")
        return float(result)

    if reference == "who" and abs(z) > 3:
        sign = 1.0 if z > 0 else -1.0
        sd3 = lms_value(3 * sign)
        sd2 = lms_value(2 * sign)
        return sd3 + (z - 3 * sign) * abs(sd3 - sd2)
    return lms_value(z)


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
    sexes: tuple[Sex, ...] = (sex,) if sex else SEXES
    age_years = age_months / 12.0
    scores: dict[str, float] = {s: sds("weight", weight_kg, age_years, s) for s in sexes}
    nearest = min(scores.values(), key=abs)
    if abs(nearest) > IMPLAUSIBLE_WEIGHT_SDS:
        lo = max(value_at_sds("weight", -IMPLAUSIBLE_WEIGHT_SDS, age_years, s) for s in sexes)
        hi = min(value_at_sds("weight", IMPLAUSIBLE_WEIGHT_SDS, age_years, s) for s in sexes)
        raise InputError(
            field,
            weight_kg,
            f"a weight within ±5 SD of WHO weight-for-age at {age_months:g} months "
            f"({lo:.1f}–{hi:.1f} kg); got {nearest:+.1f} SD",
        )
    warnings = []
    if abs(nearest) > EXTREME_WEIGHT_SDS:
        warnings.append(
            f"weight {weight_kg:g} kg is {nearest:+.1f} SD for age (WHO): beyond ±3 SD, "
            "check the weight and use an ideal body weight for the diet if appropriate"
        )
    return WeightCheck(sds_by_sex=scores, warnings=warnings)


# --- Added for the patient record (issue 5): gestation correction and BMI ---------------------

#: Born before this many completed weeks of gestation = preterm (UK-WHO Fact Sheet 5) [4].
PRETERM_BEFORE_WEEKS = 37
#: Term pregnancy length used to correct age [days] (40 weeks, as rcpchgrowth does) [2].
TERM_DAYS = 280
#: Chronological age [years] after which the correction stops. The sources differ: rcpchgrowth
#: stops correcting at 2 years for WHO charts [2]; GPnotebook advises 1 year for moderate
#: prematurity and up to 2 years below 30 weeks [5]. Default 2 years, the rcpchgrowth rule,
#: so the z-scores here match the RCPCH engine; pass ``correct_until_years`` to change it.
CORRECT_UNTIL_YEARS = 2.0


def corrected_age_years(
    birth_date: date,
    on: date,
    gestation_weeks: int = 40,
    gestation_days: int = 0,
    correct_until_years: float = CORRECT_UNTIL_YEARS,
) -> float | None:
    """Decimal age [years] for growth charts, corrected for gestation when born preterm [2, 4, 5].

    A baby born before 37 completed weeks has its age counted from the expected date of
    delivery (birth + 280 days − gestation) until ``correct_until_years`` of chronological
    age; babies born at 37 weeks or later use chronological age. Returns ``None`` before the
    expected date of delivery (a preterm chart is needed, which spasmcare does not hold).

    References
    ----------
    See the module references [2] (rcpchgrowth), [4] UK-WHO growth charts Fact Sheet 5,
    "Plotting preterm infants" (RCPCH, 2009): premature = born before 37 completed weeks, age
    corrected using the expected date of delivery; [5] GPnotebook, "age-adjusting for baby's
    development" (last reviewed 05/2023).
    """
    if on < birth_date:
        raise InputError("date", on.isoformat(), f"a date on or after birth ({birth_date})")
    chronological = (on - birth_date).days / DAYS_PER_YEAR
    if gestation_weeks >= PRETERM_BEFORE_WEEKS or chronological >= correct_until_years:
        return chronological
    shortfall = TERM_DAYS - (gestation_weeks * 7 + gestation_days)
    corrected_days = (on - birth_date).days - shortfall
    if corrected_days < 0:
        return None
    return corrected_days / DAYS_PER_YEAR


def bmi_kg_m2(weight_kg: float, length_cm: float) -> float:
    """Body mass index [kg/m²] = weight / length², the index WHO publishes for age [1]."""
    if not weight_kg > 0:
        raise InputError("weight_kg", weight_kg, "a weight above 0 kg")
    if not length_cm > 0:
        raise InputError("length_cm", length_cm, "a length above 0 cm")
    return weight_kg / (length_cm / 100.0) ** 2


# --- Added for the therapy package: length-for-age plausibility -------------------------------

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
    sexes: tuple[Sex, ...] = (sex,) if sex else SEXES
    age_years = age_months / 12.0
    scores: dict[str, float] = {s: sds("height", length_cm, age_years, s) for s in sexes}
    nearest = min(scores.values(), key=abs)
    if abs(nearest) > implausible_sds:
        lo = max(value_at_sds("height", -implausible_sds, age_years, s) for s in sexes)
        hi = min(value_at_sds("height", implausible_sds, age_years, s) for s in sexes)
        raise InputError(
            field,
            length_cm,
            f"a length within ±{implausible_sds:g} SD of WHO length-for-age at {age_months:g} "
            f"months ({lo:.1f}–{hi:.1f} cm); got {nearest:+.1f} SD",
        )
    warnings = []
    if abs(nearest) > EXTREME_LENGTH_SDS:
        warnings.append(
            f"length {length_cm:g} cm is {nearest:+.1f} SD for age (WHO): beyond "
            f"±{EXTREME_LENGTH_SDS:g} SD, check the measurement"
        )
    return LengthCheck(sds_by_sex=scores, warnings=warnings)
