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

Liquids
-------
An amount in millilitres needs the food's own values per 100 mL, its density, or a density
derived from its SR28 household measures (a US fluid ounce is 29.5735295625 mL and a US cup
236.5882365 mL by definition); a derived density is stated as a warning of the analysis.

Cautions
--------
A product whose data carry a ``verify`` caution (specialty products from weak sources) has the
caution among the warnings of every analysis it is part of, so that every consumer shows it.
Warnings name foods by name, as people read them; the analysis also lists each food's cautions
with the food's id (``food_cautions``) for machines.

Unknown values
--------------
A micronutrient whose value is unknown for some food is summed over the foods where it is known
and reported with the ids of the foods where it is not (``unknown_in``): the sum is then a lower
bound, never a silent zero.

A product's own ratio depends on the basis: with ``total`` carbohydrate, a food whose fibre is
known and above zero, and whose own ratio on the net basis is at least
:data:`RATIO_CHANGE_MIN_NET_RATIO`, carries a warning giving both ratios
(:func:`carb_basis_ratio_warning`): KetoCal 4:1 powder is 69.2 / (14.4 + 2.9) = 4.0:1 net but
69.2 / (14.4 + 8.2) = 3.06:1 counting its 5.3 g fibre [3].

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", pp. E-15–E-16.
2. Woodyatt RT. Objects and method of diet adjustment in diabetes. Arch Intern Med
   1921;28:125–141 (K:AK coefficients as in ``spasmcare.keto.ratio.k_ak``).
3. spasmcare facts file ``shared/reference/keto-therapy.md`` §6: KetoCal 4:1 powder per 100 g
   fat 69.2 g, protein 14.4 g, carbohydrate 8.2 g total incl. fibre 5.3 g (nutricia.ca);
   available 2.9 g (Matthew's Friends, Nutricia notice 2016); ratio 4.0:1 on the net basis.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from spasmcare.errors import InputError
from spasmcare.keto.ratio import DEFAULT_CARBS, CarbBasis, k_ak, kcal_9_4_4, ketogenic_ratio

#: Millilitres in one US customary unit (exact by definition: 1 US fl oz = 1/128 US gallon).
ML_PER_US_FL_OZ = 29.5735295625
ML_PER_US_CUP = 8 * ML_PER_US_FL_OZ

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
    per 100 g × density; without either, an amount in mL cannot be analysed (InputError): give
    the food through :func:`liquid_ready` (or :func:`portion`) to derive a density first.
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
        "amount",
        f"mL of {food.id}",
        "grams for this food: neither its density nor values per 100 mL are in the food table",
    )


_ML_IN_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*ml\b", re.IGNORECASE)


def density_from_measures(food: FoodLike) -> tuple[float, str] | None:
    """Density [g/mL] derived from a household measure by volume, with a note saying which.

    Uses the first measure whose unit is a US fluid ounce, a US cup or states millilitres
    (SR28 e.g. "serving 100 ml"). Returns ``None`` when the food has no such measure.
    """
    for m in getattr(food, "measures", ()) or ():
        unit = str(m.unit).strip().lower()
        ml_each: float | None = None
        if unit == "fl oz":
            ml_each = ML_PER_US_FL_OZ
        elif unit == "cup":
            ml_each = ML_PER_US_CUP
        else:
            match = _ML_IN_UNIT.search(unit)
            if match:
                ml_each = float(match.group(1))
        if ml_each:
            density = m.grams / (m.amount * ml_each)
            note = f"{m.amount:g} {m.unit} = {m.grams:g} g (SR28 measure) → {density:.4f} g/mL"
            return density, note
    return None


def with_density(food: FoodLike, density: float, note: str) -> FoodLike:
    """A copy of ``food`` with ``density`` [g/mL] set; ``note`` says where it comes from."""
    method = getattr(food, "with_density", None)
    if callable(method):
        return method(density, note)
    return replace(food, density_g_per_ml=density)  # type: ignore[type-var]


def check_density(food_id: str, value: float) -> float:
    """A density given by the user must be a finite number above 0 g/mL (``--density``)."""
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise InputError("--density", f"{food_id}={value}", "a density above 0 g/mL")
    return float(value)


def liquid_ready(
    food: FoodLike, densities: Mapping[str, float] | None = None, field_name: str = "--liquid"
) -> tuple[FoodLike, str | None]:
    """``food`` able to be measured in mL, and a warning when its density was derived.

    A density in ``densities`` (given by the user, by food id) wins; else the food's own values
    per 100 mL or density; else a density derived from its household measures (the warning
    says which). Without any of these, :class:`InputError` on ``field_name``.
    """
    if densities and food.id in densities:
        value = check_density(food.id, densities[food.id])
        return with_density(food, value, "given by the user"), None
    if getattr(food, "per_100ml", None) is not None or food.density_g_per_ml:
        return food, None
    derived = density_from_measures(food)
    if derived is None:
        raise InputError(
            field_name,
            food.id,
            "a liquid with values per 100 mL or a density; give one with --density ID=G_PER_ML",
        )
    density, note = derived
    return with_density(food, density, note), f"{food.name}: density derived, {note}"


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


def _macros(
    food: FoodLike, values: Mapping[str, float | None], carbs: CarbBasis
) -> tuple[MacrosPerGram, float, float | None]:
    """Macros per unit on the ``carbs`` basis, total carbohydrate and fibre per unit."""
    fat = _value(values, "fat_g")
    protein = _value(values, "protein_g")
    carb_total = _value(values, "carb_g")
    if fat is None or protein is None or carb_total is None:
        raise InputError(
            "food", food.id, "a food whose fat, protein and carbohydrate are all known"
        )
    fibre = _value(values, "fibre_g")
    fell_back = False
    carb = carb_total
    if carbs == "net":
        if fibre is None:
            fell_back = carb_total > 0
        else:
            carb = max(carb_total - fibre, 0.0)
    per_unit = MacrosPerGram(fat / 100.0, protein / 100.0, carb / 100.0, fell_back)
    return per_unit, carb_total / 100.0, None if fibre is None else fibre / 100.0


def macros_per_gram(
    food: FoodLike, carbs: CarbBasis = DEFAULT_CARBS, unit: str = "g"
) -> MacrosPerGram:
    """Fat, protein and carbohydrate per gram (or per mL) of ``food`` on the ``carbs`` basis.

    A food whose fat, protein or total carbohydrate is unknown cannot enter a ketogenic
    calculation and raises :class:`InputError`. Net carbohydrate below zero (rounding in the
    source data) is taken as zero.
    """
    return _macros(food, composition(food, unit), carbs)[0]


#: Project setting (not a clinical figure): the ratio-change warning is given for foods whose own
#: ratio on the net basis is at least 1:1, i.e. ketogenic products and fat-rich foods, where a
#: ratio is the figure people go by; a vegetable's own ratio is not.
RATIO_CHANGE_MIN_NET_RATIO = 1.0


def carb_basis_ratio_warning(food: FoodLike, carbs: CarbBasis, unit: str = "g") -> str | None:
    """The warning that a product's own ratio is lower with total carbohydrate [3].

    None unless ``carbs`` is ``total``, the food's fibre is known and above zero, its net-basis
    ratio is at least :data:`RATIO_CHANGE_MIN_NET_RATIO` and the two ratios differ at two
    decimals. KetoCal 4:1 powder: 4.00:1 net, 3.06:1 total.
    """
    if carbs != "total":
        return None
    values = composition(food, unit)
    fat = _value(values, "fat_g")
    protein = _value(values, "protein_g")
    carb_total = _value(values, "carb_g")
    fibre = _value(values, "fibre_g")
    if fat is None or protein is None or carb_total is None or fibre is None or fibre <= 0:
        return None
    net = ketogenic_ratio(fat, protein, max(carb_total - fibre, 0.0))
    total = ketogenic_ratio(fat, protein, carb_total)
    if not math.isfinite(total) or math.isnan(net) or net < RATIO_CHANGE_MIN_NET_RATIO:
        return None
    if math.isfinite(net) and round(net, 2) == round(total, 2):
        return None
    net_text = f"{net:.2f}:1" if math.isfinite(net) else "fat only"
    basis = "100 mL" if unit == "ml" else "100 g"
    return (
        f"{food.name}: with carbohydrate counted as total (fibre included) its own "
        f"ratio is {total:.2f}:1, not {net_text} as counted with net carbohydrate "
        f"({fibre:g} g fibre per {basis})"
    )


def food_warnings(food: FoodLike, per_unit: MacrosPerGram) -> list[str]:
    """The cautions a food brings to any result it is part of (the one place they are worded).

    A fall-back from net to total carbohydrate (fibre unknown), and the product's ``verify``
    caution (shown wherever the product is used, as the specialty table promises).
    """
    out: list[str] = []
    if per_unit.carb_fell_back_to_total:
        out.append(f"{food.name}: fibre unknown, total carbohydrate counted as net")
    verify = getattr(food, "verify", None)
    if verify:
        out.append(f"{food.name}: {verify}")
    return out


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
    #: The warnings that concern one food, with its id: (food id, warning), for machines.
    food_cautions: tuple[tuple[str, str], ...] = field(default=())

    @property
    def ratio(self) -> float:
        """Fat : (protein + carbohydrate) on the ``carbs`` basis."""
        return ketogenic_ratio(self.fat_g, self.protein_g, self.carb_g)

    @property
    def k_ak(self) -> float:
        """Woodyatt ketogenic : antiketogenic ratio [2]."""
        return k_ak(self.fat_g, self.protein_g, self.carb_g)

    def totals(self) -> dict[str, float]:
        """The headline figures: ratio, kcal, fat, protein and carbohydrate [g], K:AK."""
        return {
            "ratio": self.ratio,
            "kcal": self.kcal,
            "fat_g": self.fat_g,
            "protein_g": self.protein_g,
            "carb_g": self.carb_g,
            "k_ak": self.k_ak,
        }

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
            "food_cautions": [{"food": fid, "warning": w} for fid, w in self.food_cautions],
        }


@dataclass(frozen=True)
class Portion:
    """A food and an amount in ``unit``: grams (``"g"``) or millilitres (``"ml"``)."""

    food: FoodLike
    amount: float
    unit: str = "g"
    #: The warning saying how a density was derived for an amount in mL (from
    #: :func:`liquid_ready`; the analysis shows it among its warnings).
    note: str | None = None

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


def portion(food: FoodLike, amount: float, unit: str = "g", field_name: str = "--item") -> Portion:
    """A portion of ``food``: ``unit`` is ``g`` or ``ml``.

    An amount in mL needs a volume basis or a density; a density is derived from the food's
    household measures when it has neither (see :func:`liquid_ready`), and the portion keeps a
    note of it.
    """
    if not math.isfinite(amount) or amount < 0:
        raise InputError("amount", amount, "a number of grams or millilitres, 0 or more")
    if unit not in ("g", "ml"):
        raise InputError("unit", unit, "g or ml")
    note = None
    if unit == "ml":
        food, note = liquid_ready(food, field_name=field_name)
    return Portion(food, float(amount), unit, note)


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
    from spasmcare.keto.limits import AMOUNT, check_value

    check_value(AMOUNT, amount, field, text)
    return match.group(1), amount, (match.group(3) or "g").lower()


def _analyse_item(
    p: Portion, carbs: CarbBasis
) -> tuple[ItemAnalysis, Mapping[str, float | None], MacrosPerGram]:
    """One portion's breakdown: its analysis, its values per 100 (g or mL), its macros per unit."""
    food, amount = p.food, p.amount
    if amount < 0 or not math.isfinite(amount):
        raise InputError("amount", amount, "a number of grams or mL, 0 or more")
    values = composition(food, p.unit)
    per_unit, carb_total_per_unit, fibre_per_unit = _macros(food, values, carbs)
    fat_g, protein_g = per_unit.fat * amount, per_unit.protein * amount
    carb_total_g = carb_total_per_unit * amount
    fibre_g = None if fibre_per_unit is None else fibre_per_unit * amount
    carb_net_g = None if fibre_g is None else max(carb_total_g - fibre_g, 0.0)
    table_kcal = _value(values, "kcal")
    item = ItemAnalysis(
        food_id=food.id,
        name=food.name,
        grams=p.grams,
        volume_ml=p.volume_ml,
        fat_g=fat_g,
        protein_g=protein_g,
        carb_g=per_unit.carb * amount,
        carb_total_g=carb_total_g,
        carb_net_g=carb_net_g,
        fibre_g=fibre_g,
        kcal=kcal_9_4_4(fat_g, protein_g, per_unit.carb * amount),
        kcal_table=None if table_kcal is None else table_kcal * amount / 100.0,
    )
    return item, values, per_unit


def analyze(portions: Iterable[Portion], carbs: CarbBasis = DEFAULT_CARBS) -> MealAnalysis:
    """Analyse ``portions`` on the ``carbs`` basis (see the module notes).

    Warnings: each food's cautions (:func:`food_warnings`, once per food used) and the notes of
    densities derived for amounts in mL.
    """
    items: list[ItemAnalysis] = []
    warnings: list[str] = []
    cautions: list[tuple[str, str]] = []
    micro_sum = {key: 0.0 for key in MICRONUTRIENTS}
    micro_unknown: dict[str, list[str]] = {key: [] for key in MICRONUTRIENTS}
    fibre_sum, fibre_unknown = 0.0, []
    table_sum, table_unknown = 0.0, []
    net_known = True
    cautioned: set[str] = set()  # food ids whose cautions are already among the warnings
    for p in portions:
        item, values, per_unit = _analyse_item(p, carbs)
        food, amount = p.food, p.amount
        if item.carb_net_g is None and item.carb_total_g > 0:
            net_known = False
        said = [p.note] if p.note else []
        if amount > 0 and food.id not in cautioned:
            cautioned.add(food.id)
            said += food_warnings(food, per_unit)
            said += [w for w in [carb_basis_ratio_warning(food, carbs, p.unit)] if w]
        warnings.extend(said)
        cautions.extend((food.id, w) for w in said)
        if item.fibre_g is None:
            fibre_unknown.append(food.id)
        else:
            fibre_sum += item.fibre_g
        if item.kcal_table is None:
            table_unknown.append(food.id)
        else:
            table_sum += item.kcal_table
        for key in MICRONUTRIENTS:
            value = _value(values, key)
            if value is None:
                micro_unknown[key].append(food.id)
            else:
                micro_sum[key] += value * amount / 100.0
        items.append(item)
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
            key: NutrientTotal(micro_sum[key], tuple(micro_unknown[key])) for key in MICRONUTRIENTS
        },
        warnings=tuple(warnings),
        food_cautions=tuple(cautions),
    )


def analyze_amounts(
    foods: Sequence[FoodLike], grams: Sequence[float], carbs: CarbBasis = DEFAULT_CARBS
) -> MealAnalysis:
    """Shorthand: analyse ``foods`` at ``grams`` (same order)."""
    return analyze((Portion(f, float(g)) for f, g in zip(foods, grams, strict=True)), carbs)
