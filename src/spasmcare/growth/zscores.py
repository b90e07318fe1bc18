"""Z-scores (SDS), centiles and the measurement at a z-score, against WHO 2006 / UK-WHO.

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

from functools import lru_cache
from statistics import NormalDist

from spasmcare.errors import InputError
from spasmcare.growth.references import REFERENCES, Measure, Reference, Sex

#: rcpchgrowth names head circumference "ofc" (occipitofrontal circumference) [2].
_RCPCH_METHOD: dict[str, str] = {"head_circumference": "ofc"}


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
