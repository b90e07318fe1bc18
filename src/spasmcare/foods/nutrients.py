"""The nutrients kept per food, with their units and their USDA SR28 nutrient numbers.

Every value of a food is an amount per 100 g of edible portion. A nutrient that a source does
not report is unknown (``None``), never zero.

References
----------
.. [1] USDA Agricultural Research Service, Nutrient Data Laboratory. USDA National Nutrient
   Database for Standard Reference, Release 28 (slightly revised May 2016), documentation
   (sr28_doc.pdf), table "Nutrient Definition File" and the data file NUTR_DEF.txt (the
   ``Nutr_No``, ``Units`` and ``NutrDesc`` columns checked against each entry below).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Nutrient:
    """One nutrient column of the food table.

    Attributes
    ----------
    key : str
        The name used everywhere in spasmcare (``"fat_g"``); the unit is part of the name.
    label : str
        Words for a person.
    unit : str
        Unit of the amount per 100 g of food.
    sr28 : str | None
        SR28 ``Nutr_No`` of the nutrient; ``None`` for a value that SR28 does not report.
    sr28_desc : str | None
        SR28 ``NutrDesc`` as printed in NUTR_DEF.txt (checked by the build).
    """

    key: str
    label: str
    unit: str
    sr28: str | None
    sr28_desc: str | None = None


#: Nutrients per 100 g, in display order. SR28 numbers checked against NUTR_DEF.txt [1]_.
NUTRIENTS: tuple[Nutrient, ...] = (
    Nutrient("kcal", "Energy", "kcal", "208", "Energy"),
    Nutrient("fat_g", "Fat (total lipid)", "g", "204", "Total lipid (fat)"),
    Nutrient("protein_g", "Protein", "g", "203", "Protein"),
    Nutrient(
        "carb_g",
        "Carbohydrate, by difference (total, includes fibre)",
        "g",
        "205",
        "Carbohydrate, by difference",
    ),
    Nutrient("fibre_g", "Fibre, total dietary", "g", "291", "Fiber, total dietary"),
    Nutrient("sugars_g", "Sugars, total", "g", "269", "Sugars, total"),
    Nutrient("water_g", "Water", "g", "255", "Water"),
    Nutrient("fa_8_0_g", "Fatty acid 8:0 (caprylic)", "g", "609", "8:0"),
    Nutrient("fa_10_0_g", "Fatty acid 10:0 (capric)", "g", "610", "10:0"),
    Nutrient("calcium_mg", "Calcium", "mg", "301", "Calcium, Ca"),
    Nutrient("iron_mg", "Iron", "mg", "303", "Iron, Fe"),
    Nutrient("magnesium_mg", "Magnesium", "mg", "304", "Magnesium, Mg"),
    Nutrient("phosphorus_mg", "Phosphorus", "mg", "305", "Phosphorus, P"),
    Nutrient("potassium_mg", "Potassium", "mg", "306", "Potassium, K"),
    Nutrient("sodium_mg", "Sodium", "mg", "307", "Sodium, Na"),
    Nutrient("zinc_mg", "Zinc", "mg", "309", "Zinc, Zn"),
    Nutrient("copper_mg", "Copper", "mg", "312", "Copper, Cu"),
    Nutrient("selenium_ug", "Selenium", "µg", "317", "Selenium, Se"),
    Nutrient("vitamin_a_ug_rae", "Vitamin A (RAE)", "µg", "320", "Vitamin A, RAE"),
    Nutrient("vitamin_d_ug", "Vitamin D (D2 + D3)", "µg", "328", "Vitamin D (D2 + D3)"),
    Nutrient(
        "vitamin_e_mg",
        "Vitamin E (alpha-tocopherol)",
        "mg",
        "323",
        "Vitamin E (alpha-tocopherol)",
    ),
    Nutrient("vitamin_k_ug", "Vitamin K (phylloquinone)", "µg", "430", "Vitamin K (phylloquinone)"),
    Nutrient("vitamin_c_mg", "Vitamin C", "mg", "401", "Vitamin C, total ascorbic acid"),
    Nutrient("thiamin_mg", "Thiamin", "mg", "404", "Thiamin"),
    Nutrient("riboflavin_mg", "Riboflavin", "mg", "405", "Riboflavin"),
    Nutrient("niacin_mg", "Niacin", "mg", "406", "Niacin"),
    Nutrient("vitamin_b6_mg", "Vitamin B6", "mg", "415", "Vitamin B-6"),
    Nutrient("vitamin_b12_ug", "Vitamin B12", "µg", "418", "Vitamin B-12"),
    Nutrient("folate_ug_dfe", "Folate (DFE)", "µg", "435", "Folate, DFE"),
    # Not an SR28 nutrient: medium-chain triglyceride as declared by a product's maker
    # (specialty products only). For SR28 foods use the fatty acids 8:0 and 10:0 instead.
    Nutrient("mct_g", "Medium-chain triglycerides (declared by the maker)", "g", None),
)

#: The keys of :data:`NUTRIENTS`, in order.
NUTRIENT_KEYS: tuple[str, ...] = tuple(n.key for n in NUTRIENTS)

#: Nutrients that come from SR28 (all but ``mct_g``).
SR28_NUTRIENTS: tuple[Nutrient, ...] = tuple(n for n in NUTRIENTS if n.sr28 is not None)

_BY_KEY = {n.key: n for n in NUTRIENTS}


def nutrient(key: str) -> Nutrient:
    """Return the :class:`Nutrient` for ``key``; ``KeyError`` if there is none."""
    return _BY_KEY[key]
