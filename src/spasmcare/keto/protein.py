"""Reference protein intakes by age [g/kg/day].

A ketogenic prescription gives protein "at least the RDA minimum" (Compass 2013); the default
here is an age-appropriate reference intake whose source the output names.

References
----------
1. Institute of Medicine. Dietary Reference Intakes for Energy, Carbohydrate, Fiber, Fat, Fatty
   Acids, Cholesterol, Protein, and Amino Acids. National Academies Press, 2002/2005. Protein:
   0–6 mo AI 1.52; 7–12 mo RDA 1.2; 1–3 y RDA 1.05; 4–8 y RDA 0.95 g/kg/day.
2. WHO/FAO/UNU. Protein and amino acid requirements in human nutrition. WHO Technical Report
   Series 935, 2007. Safe level: 1 mo 1.77; 2 mo 1.50; 3 mo 1.36; 6 mo 1.31; 12 mo 1.14;
   1.5 y 1.03; 2 y 0.97; 3 y 0.90; 4–6 y 0.87 g/kg/day.
3. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", p. E-15:
   protein at least the RDA minimum for age.

Upper limit: none of these references gives a maximum protein intake for age, so the check of
a formula-led feed (:func:`check_protein`) has no built-in maximum; a clinic may set one
(``maximum_g_per_kg``), and the check says when none is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.keto.ages import as_given

SOURCES = {
    "iom-protein": "Institute of Medicine. Dietary Reference Intakes for Energy, Carbohydrate, "
    "Fiber, Fat, Fatty Acids, Cholesterol, Protein, and Amino Acids. National Academies Press, "
    "2002/2005 (protein AI/RDA).",
    "who-2007-protein": "WHO/FAO/UNU. Protein and amino acid requirements in human nutrition. "
    "WHO Technical Report Series 935, 2007 (safe levels of intake).",
    "compass-2013-protein": "Compass Group. Manual of Clinical Nutrition Management, 2013, "
    "'Ketogenic Diet', p. E-15 (protein at least the RDA minimum).",
}

#: US DRI protein [g/kg/day] [1]: (upper age bound in months, exclusive; value).
IOM_PROTEIN_G_PER_KG: tuple[tuple[float, float], ...] = (
    (7, 1.52),
    (13, 1.2),
    (48, 1.05),
    (108, 0.95),
)

#: WHO/FAO/UNU 2007 safe level [g/kg/day] at tabulated ages [months] [2]. Between two tabulated
#: ages the value of the younger age applies (the higher, safer figure).
WHO_2007_PROTEIN_G_PER_KG: tuple[tuple[float, float], ...] = (
    (1, 1.77),
    (2, 1.50),
    (3, 1.36),
    (6, 1.31),
    (12, 1.14),
    (18, 1.03),
    (24, 0.97),
    (36, 0.90),
    (48, 0.87),
)

PROTEIN_REFERENCES = ("iom", "who-2007")
DEFAULT_PROTEIN_REFERENCE = "iom"


@dataclass(frozen=True)
class ProteinReference:
    g_per_kg: float
    reference: str
    description: str
    source_key: str


def iom_protein_g_per_kg(age_months: float) -> float:
    """US DRI protein reference intake for age [g/kg/day] (AI under 7 months, else RDA) [1]."""
    if not 0 <= age_months < IOM_PROTEIN_G_PER_KG[-1][0]:
        raise InputError(
            "--age-months", as_given(age_months), "0–107 months for the US DRI protein table"
        )
    for upper, value in IOM_PROTEIN_G_PER_KG:
        if age_months < upper:
            return value
    raise AssertionError("unreachable")  # pragma: no cover


def who_2007_protein_g_per_kg(age_months: float) -> float:
    """WHO/FAO/UNU 2007 safe level of protein intake for age [g/kg/day] [2].

    Under 1 month the 1-month value applies; above the last tabulated age (4 y, valid to 6 y)
    the 4–6 y value applies up to 83 months.
    """
    if not 0 <= age_months < 84:
        raise InputError(
            "--age-months", as_given(age_months), "0–83 months for the WHO 2007 protein table"
        )
    value = WHO_2007_PROTEIN_G_PER_KG[0][1]
    for age, g_per_kg in WHO_2007_PROTEIN_G_PER_KG:
        if age_months >= age:
            value = g_per_kg
    return value


def reference_protein(
    age_months: float, reference: str = DEFAULT_PROTEIN_REFERENCE
) -> ProteinReference:
    """The age-appropriate protein reference intake under a named reference.

    The default is the US DRI (``iom``), the same family of reference intakes as the default
    energy equation, so that one prescription rests on one consistent set [1, 3].
    """
    if reference == "iom":
        return ProteinReference(
            iom_protein_g_per_kg(age_months), "iom", "US DRI protein AI/RDA for age", "iom-protein"
        )
    if reference == "who-2007":
        return ProteinReference(
            who_2007_protein_g_per_kg(age_months),
            "who-2007",
            "WHO/FAO/UNU 2007 safe level for age",
            "who-2007-protein",
        )
    raise InputError("--protein-reference", reference, "one of " + ", ".join(PROTEIN_REFERENCES))


@dataclass(frozen=True)
class ProteinCheck:
    """Protein a feed brings, against the age minimum and a clinic's maximum (if set)."""

    protein_g: float
    weight_kg: float
    minimum: ProteinReference
    maximum_g_per_kg: float | None
    status: Literal["pass", "warn"]
    message: str

    @property
    def g_per_kg(self) -> float:
        return self.protein_g / self.weight_kg

    def to_dict(self) -> dict[str, Any]:
        return {
            "protein_g": self.protein_g,
            "g_per_kg": self.g_per_kg,
            "minimum_g_per_kg": self.minimum.g_per_kg,
            "minimum_reference": self.minimum.description,
            "source": SOURCES[self.minimum.source_key],
            "maximum_g_per_kg": self.maximum_g_per_kg,
            "status": self.status,
            "message": self.message,
        }


def check_protein(
    protein_g: float,
    weight_kg: float,
    age_months: float,
    reference: str = DEFAULT_PROTEIN_REFERENCE,
    maximum_g_per_kg: float | None = None,
) -> ProteinCheck:
    """Check the protein a feed brings [g/day] against the age minimum [g/kg/day] [1, 2, 3].

    ``pass`` when protein per kg is at least the reference intake for age (and, when a clinic
    has set ``maximum_g_per_kg``, at most that); ``warn`` otherwise. No maximum is built in:
    none of the references gives one.
    """
    if not (weight_kg > 0):
        raise InputError("weight", weight_kg, "a weight above 0 kg")
    if maximum_g_per_kg is not None and not maximum_g_per_kg > 0:
        raise InputError("protein upper limit", maximum_g_per_kg, "above 0 g/kg/day, or blank")
    ref = reference_protein(age_months, reference)
    per_kg = protein_g / weight_kg
    said = f"{protein_g:.1f} g/day = {per_kg:.2f} g/kg/day"
    low = per_kg < ref.g_per_kg - 1e-9
    high = maximum_g_per_kg is not None and per_kg > maximum_g_per_kg + 1e-9
    if low:
        message = f"protein {said}, below the minimum for age {ref.g_per_kg:g} g/kg/day"
    elif high:
        message = f"protein {said}, above the clinic's upper limit {maximum_g_per_kg:g} g/kg/day"
    else:
        message = f"protein {said}, at least the minimum for age {ref.g_per_kg:g} g/kg/day"
    message += f" ({ref.description})"
    if maximum_g_per_kg is None:
        message += "; no upper limit set (a clinic setting: no reference gives one)"
    elif not high:
        message += f", within the clinic's upper limit {maximum_g_per_kg:g} g/kg/day"
    return ProteinCheck(
        protein_g, weight_kg, ref, maximum_g_per_kg, "warn" if low or high else "pass", message
    )
