"""Dose arithmetic: plausibility of weight and length, caps, and product volumes.

Weight and length plausibility
------------------------------
With an age (or birth date) the weight is checked against WHO weight-for-age through
:func:`spasmcare.growth.check_weight_for_age` (rejected beyond ±5 SD, warned beyond ±3 SD) and
the length likewise against WHO length-for-age. Without an age, the accepted range is the span
of WHO ±5 SD over the IESS onset window of 1-24 months [1, 2]: from the -5 SD value at 1 month
(the lighter/shorter sex) to the +5 SD value at 24 months (the heavier/taller sex), about
1.9-21.4 kg and 43.9-102.4 cm. The window is configurable (``age_window_months``); it was
chosen because every infant with IESS has onset inside it [2], and ±5 SD is the limit the rest
of spasmcare treats as biologically implausible [3].

Syringe rounding
----------------
A volume that lies exactly on a mark of a syringe that holds it is measured there, unrounded
(the smallest such syringe); only a volume on no syringe's mark is rounded, to the graduation
of the smallest syringe that holds it. The Sabril label's infant table gives the maximum dose
for 5 kg as 7.5 mL twice daily of the 50 mg/mL solution [4]: rounding it on the 10 mL
syringe's 0.2 mL marks (7.4 or 7.6 mL, the mark below because 7.6 mL exceeds the maximum)
would print a volume the label does not, whereas 7.5 mL is a mark of the 20 mL syringe. The
default set, :data:`DEFAULT_SYRINGES`, is device data (common oral/injection syringe
graduations), not a clinical figure: a clinic passes the syringes its pharmacy dispenses.
Rounding never takes a dose above its protocol maximum: when the nearest mark would, the mark
below is used.

References
----------
1. WHO Multicentre Growth Reference Study Group. WHO Child Growth Standards, 2006 (via
   :mod:`spasmcare.growth`).
2. ILAE 2022 IESS diagnostic criteria: age at onset 1-24 months
   (epilepsydiagnosis.org/syndrome/west-syndrome-diagcriteria.html).
3. WHO. Recommendations for data collection, analysis and reporting on anthropometric
   indicators in children under 5 years old, 2019 (|z| > 5 implausible).
4. Sabril (vigabatrin) FDA label, infant dosing table for the 50 mg/mL solution: start 0.5
   mL/kg twice daily, maximum 1.5 mL/kg twice daily, e.g. 5 kg: 2.5 mL at the start and 7.5 mL
   at the maximum (medlibrary.org; drug-protocols.md section 3).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spasmcare.errors import InputError
from spasmcare.growth import (
    IMPLAUSIBLE_LENGTH_SDS,
    IMPLAUSIBLE_WEIGHT_SDS,
    SEXES,
    Sex,
    check_length_for_age,
    check_weight_for_age,
    value_at_sds,
)

#: IESS onset window [months] used for the plausibility range without an age [2].
AGE_WINDOW_MONTHS: tuple[float, float] = (1.0, 24.0)


@dataclass(frozen=True)
class Syringe:
    """A syringe: capacity [mL] and the step between its marks [mL]."""

    capacity_ml: float
    step_ml: float


#: Default syringes (device data, configurable): 1 mL marked every 0.01 mL, 5 mL every 0.1 mL,
#: 10 mL every 0.2 mL, 20 mL every 0.5 mL.
DEFAULT_SYRINGES: tuple[Syringe, ...] = (
    Syringe(1.0, 0.01),
    Syringe(5.0, 0.1),
    Syringe(10.0, 0.2),
    Syringe(20.0, 0.5),
)


@lru_cache(maxsize=8)
def plausible_range(
    measure: str, age_window_months: tuple[float, float] = AGE_WINDOW_MONTHS
) -> tuple[float, float]:
    """(low, high) of WHO ±5 SD over the age window, both sexes [1-3]; measure weight/height."""
    lo_age, hi_age = (m / 12.0 for m in age_window_months)
    limit = IMPLAUSIBLE_WEIGHT_SDS if measure == "weight" else IMPLAUSIBLE_LENGTH_SDS
    low = min(value_at_sds(measure, -limit, lo_age, s) for s in SEXES)  # type: ignore[arg-type]
    high = max(value_at_sds(measure, limit, hi_age, s) for s in SEXES)  # type: ignore[arg-type]
    return low, high


def _finite(value: float, field: str, accepted: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(field, value, accepted) from None
    if not math.isfinite(number) or number <= 0:
        raise InputError(field, value, accepted)
    return number


def check_weight(
    weight_kg: float,
    age_months: float | None = None,
    sex: Sex | None = None,
    age_window_months: tuple[float, float] = AGE_WINDOW_MONTHS,
) -> list[str]:
    """Reject an implausible infant weight [kg]; return warnings (see module notes)."""
    weight_kg = _finite(weight_kg, "weight_kg", "a weight in kg above 0")
    if age_months is not None:
        return list(check_weight_for_age(weight_kg, age_months, sex, field="weight_kg").warnings)
    lo, hi = plausible_range("weight", age_window_months)
    if not lo <= weight_kg <= hi:
        raise InputError(
            "weight_kg",
            weight_kg,
            f"an infant weight from {lo:.1f} to {hi:.1f} kg (WHO ±5 SD at "
            f"{age_window_months[0]:g}-{age_window_months[1]:g} months; give the age for a "
            "check against weight-for-age)",
        )
    return []


def check_length(
    length_cm: float,
    age_months: float | None = None,
    sex: Sex | None = None,
    age_window_months: tuple[float, float] = AGE_WINDOW_MONTHS,
) -> list[str]:
    """Reject an implausible infant length [cm]; return warnings (see module notes)."""
    length_cm = _finite(length_cm, "length_cm", "a length in cm above 0")
    if age_months is not None:
        return list(check_length_for_age(length_cm, age_months, sex, field="length_cm").warnings)
    lo, hi = plausible_range("height", age_window_months)
    if not lo <= length_cm <= hi:
        raise InputError(
            "length_cm",
            length_cm,
            f"an infant length from {lo:.1f} to {hi:.1f} cm (WHO ±5 SD at "
            f"{age_window_months[0]:g}-{age_window_months[1]:g} months)",
        )
    return []


def round_down(value: float, step: float) -> float:
    """``value`` rounded down to a multiple of ``step`` (tolerant of float noise)."""
    return round(math.floor(value / step + 1e-9) * step, 6)


def round_half_up(value: float, step: float) -> float:
    """``value`` rounded to the nearest multiple of ``step``, halves upwards."""
    return round(math.floor(value / step + 0.5 + 1e-9) * step, 6)


def round_dose(amount: float, limit: float | None, step: float = 0.01) -> float:
    """A calculated dose rounded to ``step`` [mg or U], never above ``limit``."""
    rounded = round_half_up(amount, step)
    if limit is not None and rounded > limit + 1e-9:
        rounded = round_down(limit, step)
    return rounded


def on_a_mark(volume_ml: float, syringe: Syringe) -> bool:
    """Whether ``volume_ml`` is a graduation of ``syringe`` (within float noise)."""
    steps = volume_ml / syringe.step_ml
    return abs(steps - round(steps)) < 1e-6 and volume_ml <= syringe.capacity_ml + 1e-9


def syringe_for(volume_ml: float, syringes: Sequence[Syringe] = DEFAULT_SYRINGES) -> Syringe:
    """The smallest syringe that holds ``volume_ml`` (else the largest)."""
    ordered = sorted(syringes, key=lambda s: s.capacity_ml)
    if not ordered:
        raise InputError("syringes", syringes, "at least one syringe")
    for syringe in ordered:
        if volume_ml <= syringe.capacity_ml + 1e-9:
            return syringe
    return ordered[-1]


def measurable_volume(
    dose: float,
    concentration: float,
    limit: float | None = None,
    syringes: Sequence[Syringe] = DEFAULT_SYRINGES,
) -> tuple[float, Syringe]:
    """Volume [mL] of a product that a syringe measures for ``dose`` [mg or U].

    Parameters
    ----------
    dose : float
        The dose [mg or U].
    concentration : float
        The product's strength [mg/mL or U/mL].
    limit : float, optional
        The largest dose allowed [mg or U]; the volume never delivers more.
    syringes : sequence of Syringe
        The syringes available (default :data:`DEFAULT_SYRINGES`).

    Returns
    -------
    (volume_ml, syringe)
        The exact volume on the smallest syringe that marks it; else the nearest mark of the
        smallest syringe that holds it, or the mark below when the nearest would exceed
        ``limit`` (module notes, [4]).
    """
    if not concentration > 0:
        raise InputError("concentration", concentration, "a product strength above 0")
    exact = dose / concentration
    for candidate in sorted(syringes, key=lambda s: s.capacity_ml):
        if on_a_mark(exact, candidate):
            return round(exact, 6), candidate
    syringe = syringe_for(exact, syringes)
    step = syringe.step_ml
    volume = round_half_up(exact, step)
    if limit is not None and volume * concentration > limit + 1e-9:
        volume = round_down(limit / concentration, step)
    return volume, syringe


def mark_note(
    planned: float, unit: str, volume_ml: float, concentration: float
) -> str:
    """What a printed volume is, when it is not the planned dose's exact volume.

    "(the planned 547.5 mg is 10.95 mL, between the syringe's marks: 10.5 mL is the nearest
    mark that gives no more than the maximum)" -- never "the nearest measurable volume" when
    the maximum made it the mark below (:func:`measurable_volume`). Empty when the volume
    is the planned volume. ``unit`` is the dose's unit ("mg" or "U").
    """
    planned_ml = planned / concentration
    if abs(planned_ml - volume_ml) < 1e-6:
        return ""
    return (
        f"(the planned {planned:g} {unit} is {round(planned_ml, 3):g} mL, between the "
        f"syringe's marks: {volume_ml:g} mL is the nearest mark that gives no more than the "
        "maximum)"
    )


def daily_cap(
    maximum: dict[str, float],
    weight_kg: float,
    bsa_m2: float | None,
    doses_per_day: int,
) -> float | None:
    """The largest daily amount [mg/day or U/day] a course maximum allows for this infant.

    ``maximum`` holds any of ``mg_per_day``, ``mg_per_kg_per_day``, ``mg_per_dose``,
    ``units_per_day``, ``units_per_m2_per_day`` (as written in the protocol, with its source);
    the tightest one that applies wins. A per-m² maximum without a BSA is not applied.
    """
    caps: list[float] = []
    for key, value in maximum.items():
        if key in ("mg_per_day", "units_per_day"):
            caps.append(value)
        elif key == "mg_per_kg_per_day":
            caps.append(value * weight_kg)
        elif key == "mg_per_dose":
            caps.append(value * doses_per_day)
        elif key == "units_per_m2_per_day" and bsa_m2 is not None:
            caps.append(value * bsa_m2)
    return min(caps) if caps else None
