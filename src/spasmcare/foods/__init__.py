"""Food composition: USDA SR28 (all 8,789 foods), specialty ketogenic products, clinic foods.

>>> from spasmcare.foods import default_table
>>> table = default_table()
>>> butter = table.get("01001")
>>> butter.per_100g["fat_g"]
81.11
>>> table.search("butter", limit=1)[0].food.name
'Butter, salted'

Every amount is per 100 g (``Food.per_100g``); ``None`` means unknown, never zero. Nutrient keys,
units and SR28 numbers are listed in :data:`NUTRIENTS`. ``carb_g`` is total carbohydrate (SR28's
carbohydrate by difference, which includes fibre): net carbohydrate = ``carb_g`` − ``fibre_g``.
"""

from spasmcare.foods.model import Food, Measure
from spasmcare.foods.nutrients import NUTRIENT_KEYS, NUTRIENTS, Nutrient, nutrient
from spasmcare.foods.table import FoodTable, SearchHit, default_table

__all__ = [
    "NUTRIENTS",
    "NUTRIENT_KEYS",
    "Food",
    "FoodTable",
    "Measure",
    "Nutrient",
    "SearchHit",
    "default_table",
    "nutrient",
]
