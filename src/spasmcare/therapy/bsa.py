"""Body-surface area (BSA) of an infant from length and weight.

ACTH is dosed per square metre of body-surface area. The label states that BSA is "typically
calculated using the Mosteller formula" [5], so Mosteller is the default; Haycock, DuBois and
Gehan-George can be chosen by name. In infants under 10 kg the formulas may differ by more than
5 % [6]; :func:`bsa_spread` measures that spread so the plan can warn about it.

References
----------
1. Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098.
   BSA = sqrt(H x W / 3600).
2. Haycock GB, Schwartz GJ, Wisotsky DH. Geometric method for measuring body surface area.
   J Pediatr 1978;93:62-6. BSA = 0.024265 x H^0.3964 x W^0.5378.
3. DuBois D, DuBois EF. A formula to estimate the approximate surface area if height and weight
   be known. Arch Intern Med 1916;17:863-71. BSA = 0.007184 x H^0.725 x W^0.425.
4. Gehan EA, George SL. Estimation of human body surface area from height and weight. Cancer
   Chemother Rep 1970;54:225-35. BSA = 0.0235 x H^0.42246 x W^0.51456.
   (Coefficients of [1-4] as collected at globalrph.com/bsa2.htm.)
5. Acthar Gel dosing and administration, actharishcp.com/dosage-and-administration.
6. renalcarematters.com BSA calculator page (secondary): formulas can differ by more than 5 % in
   infants under 10 kg.

All functions take length/height H [cm] and weight W [kg] and return BSA [m²].
"""

from __future__ import annotations

import math
from collections.abc import Callable

from spasmcare.errors import InputError

#: Relative spread between formulas above which the plan warns [6].
FORMULA_SPREAD_WARNING = 0.05

DEFAULT_FORMULA = "mosteller"


def mosteller(length_cm: float, weight_kg: float) -> float:
    """Mosteller BSA [m²] = sqrt(H [cm] x W [kg] / 3600) [1]."""
    return math.sqrt(length_cm * weight_kg / 3600.0)


def haycock(length_cm: float, weight_kg: float) -> float:
    """Haycock BSA [m²] = 0.024265 x H^0.3964 x W^0.5378 [2]."""
    return 0.024265 * length_cm**0.3964 * weight_kg**0.5378


def dubois(length_cm: float, weight_kg: float) -> float:
    """DuBois BSA [m²] = 0.007184 x H^0.725 x W^0.425 [3]."""
    return 0.007184 * length_cm**0.725 * weight_kg**0.425


def gehan_george(length_cm: float, weight_kg: float) -> float:
    """Gehan-George BSA [m²] = 0.0235 x H^0.42246 x W^0.51456 [4]."""
    return 0.0235 * length_cm**0.42246 * weight_kg**0.51456


FORMULAS: dict[str, Callable[[float, float], float]] = {
    "mosteller": mosteller,
    "haycock": haycock,
    "dubois": dubois,
    "gehan-george": gehan_george,
}


def normalize_formula(formula: str, field: str = "--bsa-formula") -> str:
    """The key in :data:`FORMULAS` of a formula name ("Gehan_George" -> "gehan-george")."""
    key = formula.strip().lower().replace("_", "-")
    if key not in FORMULAS:
        raise InputError(field, formula, "one of " + ", ".join(FORMULAS))
    return key


def bsa_m2(length_cm: float, weight_kg: float, formula: str = DEFAULT_FORMULA) -> float:
    """Body-surface area [m²] by the named formula (default Mosteller, see module notes)."""
    key = normalize_formula(formula)
    if not (length_cm > 0):
        raise InputError("length_cm", length_cm, "a length above 0 cm")
    if not (weight_kg > 0):
        raise InputError("weight_kg", weight_kg, "a weight above 0 kg")
    return FORMULAS[key](length_cm, weight_kg)


def bsa_spread(length_cm: float, weight_kg: float) -> float:
    """Relative spread (max/min - 1) of the four formulas for one infant [6]."""
    values = [f(length_cm, weight_kg) for f in FORMULAS.values()]
    return max(values) / min(values) - 1.0
