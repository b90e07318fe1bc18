"""The ketogenic ratio, the dietary unit and the ketogenic potential (K:AK).

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", pp. E-15–E-16:
   a dietary unit at ratio R:1 is R g fat + 1 g protein-plus-carbohydrate, 9R + 4 kcal
   (2:1 = 22, 3:1 = 31, 4:1 = 40, 5:1 = 49 kcal); each meal checks (protein + carb) × R = fat.
2. Woodyatt RT. Objects and method of diet adjustment in diabetes. Arch Intern Med
   1921;28:125–141. Ketogenic (K) and antiketogenic (AK) fractions:
   K/AK = (0.9 F + 0.46 P) / (1.0 C + 0.1 F + 0.58 P), grams; ketosis expected at K/AK ≥ 2
   (coefficients as given by the UMIN ketogenic-diet site, plaza.umin.ac.jp/~ketodiet).
"""

from __future__ import annotations

import math
from typing import Literal, TypeVar

import numpy as np

from spasmcare.errors import InputError

#: Grams as one number or as an array of numbers (the meal solver scores many mixes at once).
_Grams = TypeVar("_Grams", float, np.ndarray)

#: kcal per gram under the convention the dietary-unit method assumes [1].
KCAL_PER_G_FAT = 9.0
KCAL_PER_G_PROTEIN = 4.0
KCAL_PER_G_CARB = 4.0

#: Accepted prescribed ratios (the issue's bounds: 0.5–6; classic KD 1:1–5:1).
RATIO_MIN = 0.5
RATIO_MAX = 6.0

CarbBasis = Literal["net", "total"]
CARB_BASES: tuple[CarbBasis, ...] = ("net", "total")
#: Default carbohydrate basis. ``total`` counts fibre as carbohydrate: the dietary-unit method
#: of Compass 2013 [1] counts carbohydrate as food tables list it, and counting fibre can only
#: make a meal more ketogenic, never less. ``net`` (total − fibre) is the UK/EKM convention.
DEFAULT_CARBS: CarbBasis = "total"


def kcal_9_4_4(fat_g: _Grams, protein_g: _Grams, carb_g: _Grams) -> _Grams:
    """Energy [kcal] = 9 × fat + 4 × (protein + carbohydrate), the dietary-unit convention [1].

    Works element-wise on numpy arrays of grams as well as on numbers.
    """
    return KCAL_PER_G_FAT * fat_g + KCAL_PER_G_PROTEIN * protein_g + KCAL_PER_G_CARB * carb_g


def kcal_per_dietary_unit(ratio: float) -> float:
    """Energy of one dietary unit at ``ratio``:1 [kcal]: 9R + 4 [1]."""
    return KCAL_PER_G_FAT * ratio + KCAL_PER_G_PROTEIN


def ketogenic_ratio(fat_g: float, protein_g: float, carb_g: float) -> float:
    """Fat : (protein + carbohydrate) by weight [1]; ``inf`` when there is no protein or carb."""
    denominator = protein_g + carb_g
    if denominator <= 0:
        return math.inf if fat_g > 0 else math.nan
    return fat_g / denominator


def k_ak(fat_g: float, protein_g: float, carb_g: float) -> float:
    """Woodyatt ketogenic : antiketogenic ratio (grams in, dimensionless out) [2]."""
    ketogenic = 0.9 * fat_g + 0.46 * protein_g
    antiketogenic = 1.0 * carb_g + 0.1 * fat_g + 0.58 * protein_g
    if antiketogenic <= 0:
        return math.inf if ketogenic > 0 else math.nan
    return ketogenic / antiketogenic


def parse_ratio(value: str | float, field: str = "--ratio") -> float:
    """Read a ratio written ``3``, ``3.5``, ``3:1`` or ``7:2``; accept 0.5–6 [issue bounds]."""
    accepted = f"a ratio from {RATIO_MIN:g} to {RATIO_MAX:g}, written like 3, 3.5 or 3:1"
    try:
        if isinstance(value, str) and ":" in value:
            left, right = value.split(":", 1)
            ratio = float(left) / float(right)
        else:
            ratio = float(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise InputError(field, value, accepted) from exc
    if not (RATIO_MIN <= ratio <= RATIO_MAX) or math.isnan(ratio):
        raise InputError(field, value, accepted)
    return ratio


def parse_carb_basis(value: str, field: str = "--carbs") -> CarbBasis:
    """``net`` (total − fibre) or ``total`` carbohydrate."""
    text = value.strip().lower()
    if text not in CARB_BASES:
        raise InputError(field, value, "net or total")
    return text  # type: ignore[return-value,unused-ignore]
