"""Carbohydrate in medicines, taken out of the day's carbohydrate budget.

Syrups, suspensions and chewable tablets carry sugars and polyols; on a ketogenic diet they count
against the carbohydrate allowance. The figure per dose unit (mg of carbohydrate per mL or per
tablet) comes from the product's label or pharmacist: spasmcare holds no product data.

The plan keeps the prescribed fat and protein and lowers the *food* carbohydrate by the
medicines' carbohydrate, so that food plus medicines together still meet the prescribed ratio and
energy [1]: ``C_food = C − C_med``; the food alone is then at ``F / (P + C_food)``.

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", pp. E-15–E-16
   (the ratio is fat : protein + carbohydrate of everything eaten).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spasmcare.errors import InputError
from spasmcare.keto.limits import MED_CARB_MG_PER_UNIT, MED_UNITS_PER_DAY, check_value
from spasmcare.keto.solver import MealTarget


@dataclass(frozen=True)
class Medication:
    """A medicine's carbohydrate: ``carb_mg_per_unit`` mg per dose unit (mL, tablet, sachet)."""

    name: str
    carb_mg_per_unit: float
    units_per_day: float

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InputError("--medication", self.name, "a medicine name")
        for label, value in (("carb_mg", self.carb_mg_per_unit), ("per_day", self.units_per_day)):
            if not (math.isfinite(value) and value >= 0):
                raise InputError("--medication", f"{self.name}:{label}={value}", "0 or more")
        check_value(
            MED_CARB_MG_PER_UNIT,
            self.carb_mg_per_unit,
            "--medication",
            f"{self.name}:carb_mg={self.carb_mg_per_unit:g}",
        )
        check_value(
            MED_UNITS_PER_DAY,
            self.units_per_day,
            "--medication",
            f"{self.name}:per_day={self.units_per_day:g}",
        )

    @property
    def carb_g_per_day(self) -> float:
        """Carbohydrate per day [g] = mg per unit × units per day ÷ 1000."""
        return self.carb_mg_per_unit * self.units_per_day / 1000.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "carb_mg_per_unit": self.carb_mg_per_unit,
            "units_per_day": self.units_per_day,
            "carb_g_per_day": self.carb_g_per_day,
        }


_MED = re.compile(r"^\s*(?P<name>[^:]+?)\s*:(?P<rest>.+)$")


def parse_medication(text: str, field_name: str = "--medication") -> Medication:
    """Read ``NAME:carb_mg=MG:per_day=UNITS`` (``,`` also separates), e.g.
    ``levetiracetam syrup:carb_mg=300:per_day=10`` (300 mg carbohydrate per mL, 10 mL a day)."""
    accepted = "NAME:carb_mg=MG_PER_UNIT:per_day=UNITS_PER_DAY"
    match = _MED.match(text)
    if not match:
        raise InputError(field_name, text, accepted)
    values: dict[str, float] = {}
    for part in re.split(r"[:,]", match.group("rest")):
        key, _, value = part.partition("=")
        key = key.strip().lower()
        if key not in ("carb_mg", "per_day"):
            raise InputError(field_name, text, accepted)
        try:
            values[key] = float(value)
        except ValueError as exc:
            raise InputError(field_name, text, accepted) from exc
    if set(values) != {"carb_mg", "per_day"}:
        raise InputError(field_name, text, accepted)
    return Medication(match.group("name"), values["carb_mg"], values["per_day"])


@dataclass(frozen=True)
class MealCarbShare:
    """One meal's share of a :class:`CarbBudget` when the day is split into equal meals [g]."""

    meals: int
    day_carb_g: float
    medication_carb_g: float
    food_carb_g: float
    #: Each medicine's carbohydrate per meal, in the order of the budget's medications.
    each_medication_carb_g: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "meals": self.meals,
            "day_carb_g": self.day_carb_g,
            "medication_carb_g": self.medication_carb_g,
            "food_carb_g": self.food_carb_g,
            "each_medication_carb_g": list(self.each_medication_carb_g),
        }


@dataclass(frozen=True)
class CarbBudget:
    """The day's carbohydrate split between medicines and food."""

    day_carb_g: float
    medications: tuple[Medication, ...]

    @property
    def medication_carb_g(self) -> float:
        return sum(m.carb_g_per_day for m in self.medications)

    @property
    def food_carb_g(self) -> float:
        """Carbohydrate left for food [g] (0 when medicines take it all)."""
        return max(self.day_carb_g - self.medication_carb_g, 0.0)

    @property
    def exceeded(self) -> bool:
        """True when the medicines alone carry more carbohydrate than the day allows."""
        return self.medication_carb_g > self.day_carb_g + 1e-12

    def warnings(self) -> list[str]:
        if not self.exceeded:
            return []
        return [
            f"medicines carry {self.medication_carb_g:.2f} g carbohydrate a day, more than the "
            f"day's {self.day_carb_g:.2f} g: ask for a carbohydrate-free form (tablet, "
            "sugar-free liquid) or revise the prescription"
        ]

    def per_meal(self, meals: int) -> MealCarbShare:
        """The day's figures shared equally among ``meals`` meals [g/meal]."""
        if not (isinstance(meals, int) and not isinstance(meals, bool) and meals >= 1):
            raise InputError("--meals", meals, "a whole number of meals, 1 or more")
        return MealCarbShare(
            meals=meals,
            day_carb_g=self.day_carb_g / meals,
            medication_carb_g=self.medication_carb_g / meals,
            food_carb_g=self.food_carb_g / meals,
            each_medication_carb_g=tuple(m.carb_g_per_day / meals for m in self.medications),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "day_carb_g": self.day_carb_g,
            "medication_carb_g": self.medication_carb_g,
            "food_carb_g": self.food_carb_g,
            "exceeded": self.exceeded,
            "medications": [m.to_dict() for m in self.medications],
            "warnings": self.warnings(),
        }


def carb_budget(day_carb_g: float, medications: Sequence[Medication]) -> CarbBudget:
    """The day's carbohydrate ``day_carb_g`` less the medicines' carbohydrate."""
    if not (math.isfinite(day_carb_g) and day_carb_g >= 0):
        raise InputError("--carb-g", day_carb_g, "0 g or more")
    return CarbBudget(float(day_carb_g), tuple(medications))


def food_target(target: MealTarget, medication_carb_g: float) -> MealTarget:
    """The target for the *food* of a meal when ``medication_carb_g`` comes with it.

    Fat and protein stay; carbohydrate drops by the medicines' share, so food + medicine meets
    ``target``'s ratio and energy. Raises :class:`InputError` when the medicine alone exceeds
    the meal's carbohydrate.
    """
    if not (math.isfinite(medication_carb_g) and medication_carb_g >= 0):
        raise InputError("--med-carb-g", medication_carb_g, "0 g or more")
    if medication_carb_g == 0:
        return target
    if target.protein_g is None or target.carb_g is None:
        raise InputError("--protein-g", None, "a protein target when medicines carry carbohydrate")
    if medication_carb_g > target.carb_g + 1e-12:
        raise InputError(
            "--med-carb-g",
            medication_carb_g,
            f"at most the meal's carbohydrate ({target.carb_g:.2f} g): ask for a "
            "carbohydrate-free form of the medicine or revise the prescription",
        )
    return MealTarget.from_macros(target.fat_g, target.protein_g, target.carb_g - medication_carb_g)
