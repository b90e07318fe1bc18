"""Meals a dietitian would sign: food categories, portion limits, foods unsuitable for infants.

* **Category** of a food (fats, cream, cheese, eggs, meat and fish, vegetables, fruit, nuts):
  from its SR28 food group and the first word of its name. Swaps stay within a category (cream
  cheese is never swapped for an ice-cream bar, though SR28 files both under dairy).
* **Portion limits** per category [g per meal]: software defaults, not clinical figures (no
  source for ketogenic portions was found); a clinic edits them in
  ``data/everyday_foods.yaml`` or passes its own :class:`PortionRules`. A food with limits is
  either left out of a meal (0 g, shown as such) or served between its minimum and maximum.
* **Everyday foods**: the curated list a generated menu draws its variations from.
* **Unsuitable for infants and young children** (by age), from the NHS weaning guidance [1]:
  honey before 12 months (infant botulism), whole nuts and peanuts before 5 years (choking),
  raw or lightly cooked egg for babies (cooked until white and yolk are solid), raw shellfish,
  and shark, swordfish and marlin (mercury). Each flag carries its reason and source.
* **Products labelled for 1 year and over** by their manufacturer [2] (KetoCal 4:1 powder,
  Polycal): a warning when one is in an infant's feed; the team decides.

References
----------
1. NHS. Foods to avoid giving babies and young children (nhs.uk, "Weaning and feeding"; NHS
   Choices text as published 2010 and current): honey not before 1 year; whole nuts and peanuts
   not under 5 years (crushed, ground or smooth butters from about 6 months); eggs for babies
   cooked until both white and yolk are solid; no raw shellfish; no shark, swordfish or marlin.
2. Nutricia product information (nutricia.ca): KetoCal 4:1 "labelled for children over 1
   year"; Polycal "for individuals one year of age and older" (also in
   ``foods/data/specialty.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

EVERYDAY_PATH = Path(__file__).parent / "data" / "everyday_foods.yaml"

NHS_WEANING = (
    "NHS, Foods to avoid giving babies and young children (nhs.uk weaning and feeding guidance)"
)

#: SR28 food groups whose foods are meat or fish.
_MEAT_FISH_GROUPS = frozenset(
    {
        "Poultry Products",
        "Beef Products",
        "Pork Products",
        "Lamb, Veal, and Game Products",
        "Sausages and Luncheon Meats",
        "Finfish and Shellfish Products",
    }
)


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    min_g: float
    max_g: float
    foods: tuple[str, ...]


@dataclass(frozen=True)
class PortionRules:
    """Categories with their portion limits and everyday foods (defaults: the data file)."""

    categories: Mapping[str, Category]
    source: str

    def limits(self, food: Any) -> tuple[float, float] | None:
        """(minimum, maximum) grams of ``food`` in one meal, or None (no limits)."""
        key = category_of(food)
        if key is None or key not in self.categories:
            return None
        c = self.categories[key]
        return (c.min_g, c.max_g)

    def everyday(self, key: str) -> tuple[str, ...]:
        c = self.categories.get(key)
        return () if c is None else c.foods

    def everyday_ids(self) -> frozenset[str]:
        """Every everyday food of every category."""
        return frozenset(i for c in self.categories.values() for i in c.foods)

    def with_limits(self, key: str, min_g: float, max_g: float) -> PortionRules:
        """A copy with one category's limits changed (a clinic's edit)."""
        c = self.categories[key]
        if not (0 <= min_g <= max_g):
            from spasmcare.errors import InputError

            raise InputError(f"portion limits of {c.label}", f"{min_g}-{max_g}", "0 ≤ min ≤ max")
        new = dict(self.categories)
        new[key] = Category(c.key, c.label, float(min_g), float(max_g), c.foods)
        return PortionRules(new, self.source)


@lru_cache(maxsize=1)
def default_rules() -> PortionRules:
    """The rules of ``data/everyday_foods.yaml`` (loaded once)."""
    with open(EVERYDAY_PATH, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    if doc.get("format") != "spasmcare-everyday-foods/1":
        raise ValueError(f"{EVERYDAY_PATH}: not a spasmcare everyday-foods file")
    cats = {
        key: Category(key, str(v["label"]), float(v["min_g"]), float(v["max_g"]), tuple(v["foods"]))
        for key, v in doc["categories"].items()
    }
    return PortionRules(cats, str(doc["portion_source"]))


def _name(food: Any) -> str:
    return str(getattr(food, "name", "") or "")


def category_of(food: Any) -> str | None:
    """The category of a food (module notes), or None for foods outside every category."""
    name = _name(food).casefold()
    group = getattr(food, "group", None) or ""
    first = name.split(",")[0].strip()
    if group == "Ketogenic formulas":
        return None
    if first.startswith("butter") or group == "Fats and Oils":
        return "fat"
    if first in ("cream", "sour cream", "yogurt") or name.startswith("cheese, cream"):
        return "cream"
    if first == "cheese":
        return "cheese"
    if first.startswith("egg"):
        return "egg"
    if group in _MEAT_FISH_GROUPS:
        return "meat_fish"
    if group == "Vegetables and Vegetable Products":
        return "vegetables"
    if group == "Fruits and Fruit Juices":
        return "fruit"
    if group == "Nut and Seed Products":
        return "nuts"
    return None


@dataclass(frozen=True)
class Unsuitable:
    """Why a food is not given at this age, and the source."""

    reason: str
    until_months: float
    source: str = NHS_WEANING

    def words(self) -> str:
        return f"{self.reason} ({self.source})"


def unsuitable_for_age(food: Any, age_months: float | None) -> Unsuitable | None:
    """The reason ``food`` is not given to a child of ``age_months`` [1], or None."""
    if age_months is None:
        return None
    name = _name(food).casefold()
    group = getattr(food, "group", None) or ""
    words = {w.strip() for w in name.replace("(", ",").replace(")", ",").split(",")}
    flags: list[Unsuitable] = []
    if name.split(",")[0].strip() == "honey" or "honey" in words:
        flags.append(Unsuitable("honey is not given before 1 year (infant botulism)", 12))
    whole_nut = group == "Nut and Seed Products" or name.startswith("peanuts")
    ground = any(w in name for w in ("butter", "paste", "flour", "meal", "oil", "milk"))
    if whole_nut and not ground:
        flags.append(Unsuitable("whole nuts and peanuts are not given under 5 years (choking)", 60))
    if name.startswith("egg") and "raw" in words:
        flags.append(
            Unsuitable("egg for a baby is cooked until white and yolk are solid, never raw", 12)
        )
    if group == "Finfish and Shellfish Products":
        if ("mollusks" in name or "crustaceans" in name) and "raw" in words:
            flags.append(Unsuitable("raw shellfish is not given to babies (food poisoning)", 12))
        if any(f in name for f in ("shark", "swordfish", "marlin")):
            flags.append(Unsuitable("shark, swordfish and marlin are not given (mercury)", 60))
    for flag in flags:
        if age_months < flag.until_months:
            return flag
    return None


def suitable(foods: Iterable[Any], age_months: float | None) -> list[Any]:
    """The foods of ``foods`` suitable at ``age_months`` (all when the age is unknown)."""
    return [f for f in foods if unsuitable_for_age(f, age_months) is None]


#: Categories that stand in for one another in a swap (a dietitian's exchange: a protein food
#: for a protein food, a fat for a fat, fruit or vegetable for fruit or vegetable).
SWAP_FAMILIES: Mapping[str, str] = {
    "egg": "protein",
    "meat_fish": "protein",
    "cheese": "protein",
    "fat": "fat",
    "cream": "cream",
    "vegetables": "fruit and vegetables",
    "fruit": "fruit and vegetables",
    "nuts": "nuts",
}


def swap_family(food: Any) -> str | None:
    """The family a food may be swapped within, or None (no category)."""
    key = category_of(food)
    return None if key is None else SWAP_FAMILIES.get(key)


#: Products their manufacturer labels for children of 1 year and over [2].
LABELLED_FROM_1_YEAR = frozenset({"ketocal-4-1-powder", "polycal-powder"})


def label_age_warnings(food_ids: list[str], names: dict[str, str], age_months: Any) -> list[str]:
    """A warning for each product labelled for 1 year and over [2] in an infant's feed."""
    if age_months is None or float(age_months) >= 12:
        return []
    return [
        f"{names.get(fid, fid)} is labelled by its manufacturer for children of 1 year and "
        "over (nutricia.ca): the team decides whether to use it for this infant"
        for fid in dict.fromkeys(food_ids)
        if fid in LABELLED_FROM_1_YEAR
    ]
