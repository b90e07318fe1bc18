"""The numbers a growth chart is read with: the age corrected for gestation, and BMI.

Numbered as in :mod:`spasmcare.growth`.

References
----------
1. WHO Multicentre Growth Reference Study Group. WHO Child Growth Standards: length/height-for-age,
   weight-for-age, weight-for-length, weight-for-height and body mass index-for-age. Geneva: WHO,
   2006. (LMS tables as shipped in rcpchgrowth.)
2. Royal College of Paediatrics and Child Health. rcpchgrowth (Python package, AGPL-3.0), the
   RCPCH Digital Growth Charts calculation engine: ``sds_for_measurement``, LMS method of
   Cole TJ, Green PJ. Stat Med 1992;11:1305-19.
4. Royal College of Paediatrics and Child Health. UK-WHO growth charts, Fact Sheet 5: Plotting
   preterm infants (2009): premature means born before 37 completed weeks; correct the age
   using the expected date of delivery.
5. GPnotebook. Age-adjusting for baby's development (last reviewed 05/2023): correct for the
   first year for moderate prematurity, up to two years for babies born before 30 weeks.
"""

from __future__ import annotations

from datetime import date

from spasmcare.errors import InputError
from spasmcare.growth.references import DAYS_PER_YEAR

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
