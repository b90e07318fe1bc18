"""Energy requirement equations for infants and children [kcal/day].

Each equation is a pure function of weight [kg] and age; ``ENERGY_EQUATIONS`` names them for the
CLI (``--energy-equation NAME``). A prescription multiplies the result by a percentage.

References
----------
1. Institute of Medicine. Dietary Reference Intakes for Energy, Carbohydrate, Fiber, Fat, Fatty
   Acids, Cholesterol, Protein, and Amino Acids. Washington DC: National Academies Press,
   2002/2005. Estimated energy requirement 0–35 months: EER = (89 × weight_kg − 100) + energy
   deposition, deposition 0–3 mo 175, 4–6 mo 56, 7–12 mo 22, 13–35 mo 20 kcal/day.
2. FAO/WHO/UNU. Human energy requirements. Report of a joint expert consultation. Rome, 2004
   (FAO Food and Nutrition Technical Report Series 1). Infant total energy expenditure
   TEE = −99.4 + 88.6 × weight_kg [kcal/day] plus energy deposition by month of age and sex;
   the deposition table is transcribed from secondary code copies and must be checked against
   the report (flagged ``verify``). See also Butte NF, Public Health Nutr 2005;8(7A):953–67.
3. Koletzko B, et al. Pediatric Nutrition in Practice. Basel: Karger, 2015, p. 37 — FAO/WHO/UNU
   2004 TEE for 1–18 years: boys 310.2 + 63.3 W − 0.263 W²; girls 263.4 + 65.3 W − 0.454 W².
4. Schofield WN. Predicting basal metabolic rate, new standards and review of previous work.
   Hum Nutr Clin Nutr 1985;39 Suppl 1:5–41. BMR from weight, <3 y: boys 59.512 W − 30.4,
   girls 58.317 W − 31.1; 3–10 y: boys 22.706 W + 504.3, girls 20.315 W + 485.9 [kcal/day].
5. Compass Group. Manual of Clinical Nutrition Management, 2013, p. E-15: ketogenic diet
   energy allowance [kcal/kg ideal body weight]: < 1 y 80; 12–18 mo 75; 18 mo–3 y 70;
   4–6 y 65; 7–8 y 60; 9–10 y 55; 11–14 y ≤ 40.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spasmcare.errors import InputError
from spasmcare.growth import Sex
from spasmcare.keto.ages import as_given

SOURCES = {
    "iom-eer": "Institute of Medicine. Dietary Reference Intakes for Energy, Carbohydrate, Fiber, "
    "Fat, Fatty Acids, Cholesterol, Protein, and Amino Acids. National Academies Press, 2002/2005 "
    "(EER 0-35 months).",
    "fao-2004": "FAO/WHO/UNU. Human energy requirements. FAO Food and Nutrition Technical Report "
    "Series 1, Rome 2004 (infant TEE and energy deposition; deposition table to verify).",
    "koletzko-2015": "Koletzko B, et al. Pediatric Nutrition in Practice. Karger, 2015, p. 37 "
    "(FAO/WHO/UNU 2004 TEE, 1-18 years).",
    "schofield-1985": "Schofield WN. Predicting basal metabolic rate. Hum Nutr Clin Nutr "
    "1985;39 Suppl 1:5-41.",
    "compass-2013-energy": "Compass Group. Manual of Clinical Nutrition Management, 2013, "
    "'Ketogenic Diet', p. E-15 (energy allowance by age).",
}


@dataclass(frozen=True)
class EnergyEstimate:
    """Result of an energy equation: the figure, the equation's name and caveats."""

    kcal_per_day: float
    equation: str
    description: str
    source_keys: tuple[str, ...]
    notes: tuple[str, ...] = ()


def _require_age(age_months: float, low: float, high: float, equation: str) -> None:
    if not (low <= age_months <= high):
        raise InputError(
            "--age-months",
            as_given(age_months),
            f"{low:g}–{high:g} months for the {equation} equation",
        )


def iom_eer_deposition_kcal(age_months: float) -> float:
    """Energy deposition for growth in the IOM EER, 0–35 months [kcal/day] [1].

    Bands are by completed months of age: 0–3 (under 4 months), 4–6, 7–12, 13–35.
    """
    _require_age(age_months, 0, 36, "US DRI EER")
    if age_months < 4:
        return 175.0
    if age_months < 7:
        return 56.0
    if age_months < 13:
        return 22.0
    return 20.0


def iom_eer_kcal(weight_kg: float, age_months: float) -> float:
    """US DRI estimated energy requirement, 0–35 months [kcal/day] [1].

    ``EER = (89 × weight_kg − 100) + deposition(age)``; e.g. 9 kg at 9 months:
    89 × 9 − 100 + 22 = 723 kcal/day.
    """
    return 89.0 * weight_kg - 100.0 + iom_eer_deposition_kcal(age_months)


#: FAO/WHO/UNU 2004 infant energy deposition [kcal/day] by month of age 1..12 [2] (verify).
FAO_2004_DEPOSITION_KCAL: dict[str, tuple[float, ...]] = {
    "male": (211, 183, 139, 53, 45, 36, 17, 16, 14, 21, 21, 22),
    "female": (178, 161, 134, 68, 57, 47, 20, 17, 15, 18, 15, 14),
}


def fao_2004_infant_kcal(weight_kg: float, age_months: float, sex: Sex) -> float:
    """FAO/WHO/UNU 2004 infant energy requirement = TEE + deposition [kcal/day] [2].

    ``TEE = −99.4 + 88.6 × weight_kg`` (all infants); deposition from the month of age (month 1 is
    the first month of life, ages 0–1 month) and sex.
    """
    _require_age(age_months, 0, 12, "FAO/WHO/UNU 2004 infant")
    month_index = min(max(int(age_months), 0), 11)
    return -99.4 + 88.6 * weight_kg + FAO_2004_DEPOSITION_KCAL[sex][month_index]


def fao_2004_child_kcal(weight_kg: float, age_months: float, sex: Sex) -> float:
    """FAO/WHO/UNU 2004 total energy expenditure, 1–18 years [kcal/day] [3]."""
    _require_age(age_months, 12, 18 * 12, "FAO/WHO/UNU 2004 child")
    w = weight_kg
    if sex == "male":
        return 310.2 + 63.3 * w - 0.263 * w * w
    return 263.4 + 65.3 * w - 0.454 * w * w


def schofield_bmr_kcal(weight_kg: float, age_months: float, sex: Sex) -> float:
    """Schofield (1985) basal metabolic rate from weight, 0–10 years [kcal/day] [4].

    This is a *basal* rate: the prescription's percentage is where an activity or growth factor
    is applied.
    """
    _require_age(age_months, 0, 10 * 12, "Schofield")
    w = weight_kg
    if age_months < 36:
        return 59.512 * w - 30.4 if sex == "male" else 58.317 * w - 31.1
    return 22.706 * w + 504.3 if sex == "male" else 20.315 * w + 485.9


#: Ketogenic diet energy allowance by age [kcal/kg ideal body weight/day] [5]: (upper age
#: bound in months, exclusive, kcal/kg).
COMPASS_KD_KCAL_PER_KG: tuple[tuple[float, float], ...] = (
    (12, 80.0),
    (18, 75.0),
    (48, 70.0),
    (84, 65.0),
    (108, 60.0),
    (132, 55.0),
    (180, 40.0),
)


def compass_kd_allowance_kcal(weight_kg: float, age_months: float) -> float:
    """Ketogenic diet energy allowance, Compass 2013 [kcal/day] [5].

    Bands: < 12 mo 80, 12–18 mo 75, 18 mo–3 y 70, 4–6 y 65, 7–8 y 60, 9–10 y 55, 11–14 y ≤ 40
    kcal/kg. The source leaves 3–4 y unstated; 70 kcal/kg is carried on to the 4th birthday.
    """
    _require_age(age_months, 0, 180, "Compass ketogenic allowance")
    for upper, per_kg in COMPASS_KD_KCAL_PER_KG:
        if age_months < upper:
            return per_kg * weight_kg
    return COMPASS_KD_KCAL_PER_KG[-1][1] * weight_kg


@dataclass(frozen=True)
class EnergyEquation:
    name: str
    description: str
    source_keys: tuple[str, ...]
    needs_sex: bool
    compute: Callable[[float, float, Sex | None], float]
    notes: tuple[str, ...] = ()


ENERGY_EQUATIONS: dict[str, EnergyEquation] = {
    "iom-eer": EnergyEquation(
        "iom-eer",
        "US DRI estimated energy requirement, 0-35 months",
        ("iom-eer",),
        False,
        lambda w, a, s: iom_eer_kcal(w, a),
    ),
    "fao-2004": EnergyEquation(
        "fao-2004",
        "FAO/WHO/UNU 2004: infant TEE + deposition (< 12 mo), child TEE (1-18 y)",
        ("fao-2004", "koletzko-2015"),
        True,
        lambda w, a, s: fao_2004_infant_kcal(w, a, s) if a < 12 else fao_2004_child_kcal(w, a, s),  # type: ignore[arg-type]
        ("FAO 2004 infant deposition values are from secondary copies: verify against the report",),
    ),
    "schofield": EnergyEquation(
        "schofield",
        "Schofield 1985 basal metabolic rate (weight only), 0-10 years",
        ("schofield-1985",),
        True,
        lambda w, a, s: schofield_bmr_kcal(w, a, s),  # type: ignore[arg-type]
        ("Schofield gives basal metabolic rate: set --energy-percent to include activity/growth",),
    ),
    "compass-kd": EnergyEquation(
        "compass-kd",
        "Compass 2013 ketogenic diet allowance, kcal/kg ideal body weight by age",
        ("compass-2013-energy",),
        False,
        lambda w, a, s: compass_kd_allowance_kcal(w, a),
    ),
}

#: Default equation when no energy is given: the US DRI EER, because it covers the IESS age
#: range (0-35 months) from weight alone and is the basis the US ketogenic calculators use.
DEFAULT_ENERGY_EQUATION = "iom-eer"


def estimate_energy(
    equation: str, weight_kg: float, age_months: float, sex: Sex | None
) -> EnergyEstimate:
    """Run a named equation; raise :class:`InputError` for an unknown name or missing sex."""
    if equation not in ENERGY_EQUATIONS:
        raise InputError("--energy-equation", equation, "one of " + ", ".join(ENERGY_EQUATIONS))
    eq = ENERGY_EQUATIONS[equation]
    if eq.needs_sex and sex is None:
        raise InputError("--sex", None, f"male or female (the {equation} equation needs it)")
    kcal = eq.compute(weight_kg, age_months, sex)
    return EnergyEstimate(kcal, eq.name, eq.description, eq.source_keys, eq.notes)
