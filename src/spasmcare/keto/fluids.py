"""Daily fluid allowance by a named rule [mL/day].

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", p. E-16:
   fluids 65 mL/kg ideal body weight (range 60–70 mL/kg), or 1 mL per kcal; no more than
   120–150 mL at one time.
2. Holliday MA, Segar WE. The maintenance need for water in parenteral fluid therapy.
   Pediatrics 1957;19(5):823–32: 100 mL/kg/day for the first 10 kg, 50 mL/kg/day for the next
   10 kg, 20 mL/kg/day for each kg above 20 kg.
"""

from __future__ import annotations

from dataclasses import dataclass

from spasmcare.errors import InputError

SOURCES = {
    "compass-2013-fluid": "Compass Group. Manual of Clinical Nutrition Management, 2013, "
    "'Ketogenic Diet', p. E-16 (fluids).",
    "holliday-segar-1957": "Holliday MA, Segar WE. The maintenance need for water in parenteral "
    "fluid therapy. Pediatrics 1957;19(5):823-32.",
}

#: Compass 2013 mL per kg ideal body weight [1]; the source's range is 60–70.
ML_PER_KG_DEFAULT = 65.0
ML_PER_KCAL_DEFAULT = 1.0

FLUID_RULES = ("ml-per-kcal", "ml-per-kg", "holliday-segar")
#: Default: 1 mL per kcal, the Compass rule that scales with the prescription itself.
DEFAULT_FLUID_RULE = "ml-per-kcal"


@dataclass(frozen=True)
class FluidAllowance:
    ml_per_day: float
    rule: str
    description: str
    source_key: str


def fluid_ml_per_kcal(kcal: float, ml_per_kcal: float = ML_PER_KCAL_DEFAULT) -> float:
    """Fluid = kcal × mL/kcal [mL/day] [1]."""
    return kcal * ml_per_kcal


def fluid_ml_per_kg(weight_kg: float, ml_per_kg: float = ML_PER_KG_DEFAULT) -> float:
    """Fluid = weight × mL/kg [mL/day], default 65 mL/kg [1]."""
    return weight_kg * ml_per_kg


def holliday_segar_ml(weight_kg: float) -> float:
    """Holliday–Segar maintenance fluid [mL/day] [2]: 100/50/20 mL/kg by weight band."""
    first = min(weight_kg, 10.0)
    second = min(max(weight_kg - 10.0, 0.0), 10.0)
    rest = max(weight_kg - 20.0, 0.0)
    return 100.0 * first + 50.0 * second + 20.0 * rest


def fluid_allowance(rule: str, weight_kg: float, kcal: float) -> FluidAllowance:
    """Apply a named fluid rule."""
    if rule == "ml-per-kcal":
        return FluidAllowance(fluid_ml_per_kcal(kcal), rule, "1 mL per kcal", "compass-2013-fluid")
    if rule == "ml-per-kg":
        return FluidAllowance(
            fluid_ml_per_kg(weight_kg), rule, f"{ML_PER_KG_DEFAULT:g} mL/kg", "compass-2013-fluid"
        )
    if rule == "holliday-segar":
        return FluidAllowance(
            holliday_segar_ml(weight_kg),
            rule,
            "Holliday-Segar 100/50/20 mL/kg",
            "holliday-segar-1957",
        )
    raise InputError("--fluid-rule", rule, "one of " + ", ".join(FLUID_RULES))
