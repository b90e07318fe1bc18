"""Analysis of a list of foods and amounts: macronutrients, energy, ratio, K:AK, micronutrients.

The analysis is the single arithmetic every other module of this package is checked against: the
meal solver, the infant feeds and the menus all report the analysis of their own result.

Carbohydrate basis
------------------
``total`` uses the table's carbohydrate by difference (which includes fibre). ``net`` uses
carbohydrate minus dietary fibre. When a food's fibre is unknown in ``net`` mode, its *total*
carbohydrate is used instead and a warning names the food: total is never lower than net, so the
ratio shown can only be understated (the safe side for a ketogenic meal), never overstated.

Energy
------
``kcal`` follows the 9/4/4 convention of the dietary-unit method, with carbohydrate on the chosen
basis [1]; the table's own energy value (``kcal_table``) is shown beside it because manufacturers'
labels and SR28 use other factors (see the keto reference, §6: KetoCal 4:1 label 705 kcal vs 692
by 9/4/4 with net carbohydrate).

Unknown values
--------------
A micronutrient whose value is unknown for some food is summed over the foods where it is known
and reported with the ids of the foods where it is not (``unknown_in``): the sum is then a lower
bound, never a silent zero.

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", pp. E-15–E-16.
2. Woodyatt RT. Objects and method of diet adjustment in diabetes. Arch Intern Med
   1921;28:125–141 (K:AK coefficients as in ``spasmcare.keto.ratio.k_ak``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from spasmcare.errors import InputError
from spasmcare.keto.ratio import CarbBasis, k_ak, kcal_9_4_4, ketogenic_ratio

#: Micronutrient keys of the food table reported by the analysis (unit in the key's suffix).
MICRONUTRIENTS: tuple[str, ...] = (
    "calcium_mg",
    "iron_mg",
    "magnesium_mg",
    "phosphorus_mg",
    "potassium_mg",
    "sodium_mg",
    "zinc_mg",
    "copper_mg",
    "selenium_ug",
    "vitamin_a_ug_rae",
    "vitamin_d_ug",
    "vitamin_e_mg",
    "vitamin_k_ug",
    "vitamin_c_mg",
    "thiamin_mg",
    "riboflavin_mg",
    "niacin_mg",
    "vitamin_b6_mg",
    "vitamin_b12_ug",
    "folate_ug_dfe",
)


class FoodLike(Protocol):
    """What the analysis needs from a food (``spasmcare.foods.Food`` satisfies it)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def per_100g(self) -> Mapping[str, float | None]: ...

    @property
    def density_g_per_ml(self) -> float | None: ...


@dataclass(frozen=True)
class PlainFood:
    """A food given by its composition per 100 g (tests, custom recipes, supplements)."""

    id: str
    name: str
    per_100g: Mapping[str, float | None]
    density_g_per_ml: float | None = None
    per_100ml: Mapping[str, float | None] | None = None


def composition(food: FoodLike, unit: str = "g") -> Mapping[str, float | None]:
    """Values per 100 g (``unit="g"``) or per 100 mL (``unit="ml"``) of ``food``.

    Per 100 mL comes from the food's own volume basis (``per_100ml``, e.g. Liquigen), else from
    per 100 g × density; without either, an amount in mL cannot be analysed (InputError).
    """
    if unit == "g":
        return food.per_100g
    per_ml = getattr(food, "per_100ml", None)
    if per_ml is not None:
        return per_ml
    density = food.density_g_per_ml
    if density is not None and density > 0:
        return {k: None if v is None else v * density for k, v in food.per_100g.items()}
    raise InputError(
        "amount", f"mL of {food.id}",
        "grams for this food: neither its density nor values per 100 mL are in the food table",
    )


@dataclass(frozen=True)
class MacrosPerGram:
    """Fat, protein and carbohydrate (on one basis) in one gram of a food [g/g]."""

    fat: float
    protein: float
    carb: float
    #: True when net carbohydrate was asked but fibre is unknown, so total was used.
    carb_fell_back_to_total: bool = False

    @property
    def kcal(self) -> float:
        """Energy of one gram by the 9/4/4 convention [kcal/g]."""
        return kcal_9_4_4(self.fat, self.protein, self.carb)


def _value(values: Mapping[str, float | None], key: str) -> float | None:
    value = values.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def macros_per_gram(
    food: FoodLike, carbs: CarbBasis = "total", unit: str = "g"
) -> MacrosPerGram:
    """Fat, protein and carbohydrate per gram (or per mL) of ``food`` on the ``carbs`` basis.

    A food whose fat, protein or total carbohydrate is unknown cannot enter a ketogenic
    calculation and raises :class:`InputError`. Net carbohydrate below zero (rounding in the
    source data) is taken as zero.
    """
    values = composition(food, unit)
    fat = _value(values, "fat_g")
    protein = _value(values, "protein_g")
    carb_total = _value(values, "carb_g")
    if fat is None or protein is None or carb_total is None:
        raise InputError(
            "food", food.id, "a food whose fat, protein and carbohydrate are all known"
        )
    fell_back = False
    carb = carb_total
    if carbs == "net":
        fibre = _value(values, "fibre_g")
        if fibre is None:
            fell_back = carb_total > 0
        else:
            carb = max(carb_total - fibre, 0.0)
    return MacrosPerGram(fat / 100.0, protein / 100.0, carb / 100.0, fell_back)


@dataclass(frozen=True)
class ItemAnalysis:
    """One food and amount, analysed."""

    food_id: str
    name: str
    grams: float | None
    volume_ml: float | None
    fat_g: float
    protein_g: float
    carb_g: float
    carb_total_g: float
    carb_net_g: float | None
    fibre_g: float | None
    kcal: float
    kcal_table: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "food_id": self.food_id,
            "name": self.name,
            "grams": self.grams,
            "volume_ml": self.volume_ml,
            "fat_g": self.fat_g,
            "protein_g": self.protein_g,
            "carb_g": self.carb_g,
            "carb_total_g": self.carb_total_g,
            "carb_net_g": self.carb_net_g,
            "fibre_g": self.fibre_g,
            "kcal": self.kcal,
            "kcal_table": self.kcal_table,
        }


@dataclass(frozen=True)
class NutrientTotal:
    """A nutrient summed over the items; a lower bound when ``unknown_in`` is not empty."""

    amount: float
    unknown_in: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "unknown_in": list(self.unknown_in)}


@dataclass(frozen=True)
class MealAnalysis:
    """Totals of a list of foods; ``carb_g`` is on the ``carbs`` basis."""

    carbs: CarbBasis
    items: tuple[ItemAnalysis, ...]
    fat_g: float
    protein_g: float
    carb_g: float
    carb_total_g: float
    carb_net_g: float | None
    fibre_g: NutrientTotal
    kcal: float
    kcal_table: NutrientTotal
    micronutrients: Mapping[str, NutrientTotal]
    warnings: tuple[str, ...] = field(default=())

    @property
    def ratio(self) -> float:
        """Fat : (protein + carbohydrate) on the ``carbs`` basis."""
        return ketogenic_ratio(self.fat_g, self.protein_g, self.carb_g)

    @property
    def k_ak(self) -> float:
        """Woodyatt ketogenic : antiketogenic ratio [2]."""
        return k_ak(self.fat_g, self.protein_g, self.carb_g)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fat_g": self.fat_g,
            "protein_g": self.protein_g,
            "carb_g": self.carb_g,
            "fibre_g": self.fibre_g.amount,
            "kcal": self.kcal,
            "ratio": self.ratio,
            "k_ak": self.k_ak,
            "carbs": self.carbs,
            "carb_total_g": self.carb_total_g,
            "carb_net_g": self.carb_net_g,
            "fibre_unknown_in": list(self.fibre_g.unknown_in),
            "kcal_table": self.kcal_table.amount,
            "kcal_table_unknown_in": list(self.kcal_table.unknown_in),
            "items": [item.to_dict() for item in self.items],
            "micronutrients": {k: v.to_dict() for k, v in self.micronutrients.items()},
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Portion:
    """A food and an amount in ``unit``: grams (``"g"``) or millilitres (``"ml"``)."""

    food: FoodLike
    amount: float
    unit: str = "g"

    @property
    def grams(self) -> float | None:
        """Mass [g]; for an amount in mL, ``None`` when the density is unknown."""
        if self.unit == "g":
            return self.amount
        density = self.food.density_g_per_ml
        return None if density is None else self.amount * density

    @property
    def volume_ml(self) -> float | None:
        """Volume [mL] when the amount was given in mL."""
        return self.amount if self.unit == "ml" else None


def portion(food: FoodLike, amount: float, unit: str = "g") -> Portion:
    """A portion of ``food``: ``unit`` is ``g`` or ``ml`` (mL needs a volume basis or density)."""
    if not math.isfinite(amount) or amount < 0:
        raise InputError("amount", amount, "a number of grams or millilitres, 0 or more")
    if unit not in ("g", "ml"):
        raise InputError("unit", unit, "g or ml")
    composition(food, unit)  # raises when mL cannot be analysed
    return Portion(food, float(amount), unit)


_ITEM = re.compile(r"^\s*([^=\s]+)\s*=\s*([-+0-9.eE]+)\s*(g|ml|mL)?\s*$")


def parse_item(text: str, field: str = "--item") -> tuple[str, float, str]:
    """Read ``FOOD_ID=GRAMS`` (or ``FOOD_ID=50ml``) into (id, amount, unit)."""
    match = _ITEM.match(text)
    accepted = "FOOD_ID=GRAMS, e.g. 01001=12.5, or FOOD_ID=50ml for a liquid"
    if not match:
        raise InputError(field, text, accepted)
    try:
        amount = float(match.group(2))
    except ValueError as exc:
        raise InputError(field, text, accepted) from exc
    if not math.isfinite(amount) or amount < 0:
        raise InputError(field, text, "an amount of 0 or more grams (or mL)")
    return match.group(1), amount, (match.group(3) or "g").lower()


def analyze(portions: Iterable[Portion], carbs: CarbBasis = "total") -> MealAnalysis:
    """Analyse ``portions`` on the ``carbs`` basis (see the module notes)."""
    items: list[ItemAnalysis] = []
    warnings: list[str] = []
    micro_sum = {key: 0.0 for key in MICRONUTRIENTS}
    micro_unknown: dict[str, list[str]] = {key: [] for key in MICRONUTRIENTS}
    fibre_sum, fibre_unknown = 0.0, []
    table_sum, table_unknown = 0.0, []
    net_known = True
    for p in portions:
        food, amount = p.food, p.amount
        if amount < 0 or not math.isfinite(amount):
            raise InputError("amount", amount, "a number of grams or mL, 0 or more")
        values = composition(food, p.unit)
        per_g = macros_per_gram(food, carbs, p.unit)
        total_per_g = macros_per_gram(food, "total", p.unit).carb
        fibre = _value(values, "fibre_g")
        fat_g, protein_g = per_g.fat * amount, per_g.protein * amount
        carb_g, carb_total_g = per_g.carb * amount, total_per_g * amount
        carb_net_g = None if fibre is None else max(carb_total_g - fibre * amount / 100.0, 0.0)
        if carb_net_g is None and carb_total_g > 0:
            net_known = False
        if per_g.carb_fell_back_to_total and amount > 0:
            warnings.append(
                f"{food.id} ({food.name}): fibre unknown, total carbohydrate counted as net"
            )
        fibre_g = None if fibre is None else fibre * amount / 100.0
        if fibre_g is None:
            fibre_unknown.append(food.id)
        else:
            fibre_sum += fibre_g
        table_kcal = _value(values, "kcal")
        kcal_table = None if table_kcal is None else table_kcal * amount / 100.0
        if kcal_table is None:
            table_unknown.append(food.id)
        else:
            table_sum += kcal_table
        for key in MICRONUTRIENTS:
            value = _value(values, key)
            if value is None:
                micro_unknown[key].append(food.id)
            else:
                micro_sum[key] += value * amount / 100.0
        items.append(
            ItemAnalysis(
                food_id=food.id,
                name=food.name,
                grams=p.grams,
                volume_ml=p.volume_ml,
                fat_g=fat_g,
                protein_g=protein_g,
                carb_g=carb_g,
                carb_total_g=carb_total_g,
                carb_net_g=carb_net_g,
                fibre_g=fibre_g,
                kcal=kcal_9_4_4(fat_g, protein_g, carb_g),
                kcal_table=kcal_table,
            )
        )
    fat = sum(i.fat_g for i in items)
    protein = sum(i.protein_g for i in items)
    carb = sum(i.carb_g for i in items)
    carb_total = sum(i.carb_total_g for i in items)
    carb_net = sum(i.carb_net_g or 0.0 for i in items) if net_known else None
    return MealAnalysis(
        carbs=carbs,
        items=tuple(items),
        fat_g=fat,
        protein_g=protein,
        carb_g=carb,
        carb_total_g=carb_total,
        carb_net_g=carb_net,
        fibre_g=NutrientTotal(fibre_sum, tuple(fibre_unknown)),
        kcal=kcal_9_4_4(fat, protein, carb),
        kcal_table=NutrientTotal(table_sum, tuple(table_unknown)),
        micronutrients={
            key: NutrientTotal(micro_sum[key], tuple(micro_unknown[key]))
            for key in MICRONUTRIENTS
        },
        warnings=tuple(warnings),
    )


def analyze_amounts(
    foods: Sequence[FoodLike], grams: Sequence[float], carbs: CarbBasis = "total"
) -> MealAnalysis:
    """Shorthand: analyse ``foods`` at ``grams`` (same order)."""
    return analyze((Portion(f, float(g)) for f, g in zip(foods, grams, strict=True)), carbs)
