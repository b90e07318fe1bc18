"""Hand-made foods with round compositions, so expected values can be worked out by hand."""

from __future__ import annotations

import pytest

from spasmcare.keto.analysis import PlainFood

# per 100 g: fat, protein, total carbohydrate, fibre
BUTTER = PlainFood(
    "butter",
    "Butter",
    {
        "fat_g": 80.0,
        "protein_g": 1.0,
        "carb_g": 0.0,
        "fibre_g": 0.0,
        "kcal": 720.0,
        "calcium_mg": 20.0,
    },
)
EGG = PlainFood(
    "egg",
    "Egg",
    {
        "fat_g": 10.0,
        "protein_g": 12.0,
        "carb_g": 1.0,
        "fibre_g": 0.0,
        "kcal": 140.0,
        "calcium_mg": 50.0,
    },
)
BROCCOLI = PlainFood(
    "broccoli",
    "Broccoli",
    {"fat_g": 0.5, "protein_g": 3.0, "carb_g": 7.0, "fibre_g": 3.0, "kcal": 34.0},
)
CREAM = PlainFood(
    "cream36", "Cream 36 %", {"fat_g": 36.0, "protein_g": 2.0, "carb_g": 3.0, "fibre_g": 0.0}
)
CREAM38 = PlainFood(
    "cream38", "Cream 38 %", {"fat_g": 38.0, "protein_g": 2.0, "carb_g": 3.0, "fibre_g": 0.0}
)
OIL = PlainFood("oil", "Oil", {"fat_g": 100.0, "protein_g": 0.0, "carb_g": 0.0, "fibre_g": 0.0})
BERRY_NO_FIBRE = PlainFood("berry", "Berry", {"fat_g": 0.0, "protein_g": 1.0, "carb_g": 10.0})
PURE_FAT = PlainFood(
    "fat", "Pure fat", {"fat_g": 100.0, "protein_g": 0.0, "carb_g": 0.0, "fibre_g": 0.0}
)
PURE_PROTEIN = PlainFood(
    "protein", "Pure protein", {"fat_g": 0.0, "protein_g": 100.0, "carb_g": 0.0, "fibre_g": 0.0}
)


@pytest.fixture
def foods() -> dict[str, PlainFood]:
    return {f.id: f for f in (BUTTER, EGG, BROCCOLI, CREAM, CREAM38, OIL, BERRY_NO_FIBRE)}
