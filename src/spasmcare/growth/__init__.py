"""Growth standards: z-scores (SDS) and centiles against WHO 2006 / UK-WHO, via rcpchgrowth.

Every domain package that needs a growth reference calls this module, so that the choice of
reference and its plausibility limits live in one place.

The logic lives in named modules; this package re-exports their public names:
:mod:`~spasmcare.growth.references` (sexes, measures, references, days per month),
:mod:`~spasmcare.growth.zscores` (``sds``, ``centile``, ``value_at_sds``),
:mod:`~spasmcare.growth.plausibility` (weight- and length-for-age checks),
:mod:`~spasmcare.growth.ages` (gestation-corrected age, BMI) and :mod:`~spasmcare.growth.lms`
(rcpchgrowth's LMS arithmetic).

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

from spasmcare.growth.ages import (
    CORRECT_UNTIL_YEARS,
    PRETERM_BEFORE_WEEKS,
    TERM_DAYS,
    bmi_kg_m2,
    corrected_age_years,
)
from spasmcare.growth.plausibility import (
    EXTREME_LENGTH_SDS,
    EXTREME_WEIGHT_SDS,
    IMPLAUSIBLE_LENGTH_SDS,
    IMPLAUSIBLE_WEIGHT_SDS,
    LengthCheck,
    WeightCheck,
    check_length_for_age,
    check_weight_for_age,
)
from spasmcare.growth.references import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    REFERENCES,
    SEXES,
    Measure,
    Reference,
    Sex,
    parse_sex,
)
from spasmcare.growth.zscores import MEMO_SIZE, _lms_value, _sds, centile, sds, value_at_sds

__all__ = [
    "CORRECT_UNTIL_YEARS",
    "DAYS_PER_MONTH",
    "DAYS_PER_YEAR",
    "EXTREME_LENGTH_SDS",
    "EXTREME_WEIGHT_SDS",
    "IMPLAUSIBLE_LENGTH_SDS",
    "IMPLAUSIBLE_WEIGHT_SDS",
    "MEMO_SIZE",
    "PRETERM_BEFORE_WEEKS",
    "REFERENCES",
    "SEXES",
    "TERM_DAYS",
    "LengthCheck",
    "Measure",
    "Reference",
    "Sex",
    "WeightCheck",
    "_lms_value",
    "_sds",
    "bmi_kg_m2",
    "centile",
    "check_length_for_age",
    "check_weight_for_age",
    "corrected_age_years",
    "parse_sex",
    "sds",
    "value_at_sds",
]
