"""Ketogenic diet prescriptions: classic (dietary units), MCT, modified Atkins and LGIT.

Pure functions from a patient (age, weight, sex) and the clinician's choices to daily and
per-meal targets. Values are never rounded here; only displays round.

References
----------
1. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet",
   pp. E-15–E-16: dietary units (9R + 4 kcal per unit at R:1), daily units = kcal ÷ kcal per
   unit, fat = R × units, protein + carbohydrate = units, carbohydrate = units − protein;
   daily amounts divided into equal meals, each at the full ratio.
2. Huttenlocher PR, Wilbourn AJ, Signore JM. Medium-chain triglycerides as a therapy for
   intractable childhood epilepsy. Neurology 1971;21:1097–1103 — 60 % of energy from MCT
   (as summarised by the Epilepsy Foundation MCT diet page); the modified (Schwartz) version
   uses 30 % MCT + 30 % long-chain fat, raised to 40–50 % MCT as tolerated.
3. Mead Johnson. MCT Oil product monograph: 15 mL = 14 g = 115 kcal (8.3 kcal/g).
   Nutricia. Liquigen (shop.medicalfood.com, Nutricia US): per 100 mL 450 kcal (4.5 kcal/mL),
   fat 50 g of which MCT 45.4 g. Which line wins: the *composition* (45.4 g MCT per 100 mL).
   The MCT diet prescribes grams of MCT (counted at 8.3 kcal/g); the label's 4.5 kcal/mL
   counts all 50 g of fat at 9 kcal/g, so dividing MCT energy by 4.5 kcal/mL gives 16 % less
   MCT than the same energy as oil (420 kcal: 93.3 mL × 0.454 = 42.4 g vs 420 / 8.3 =
   50.6 g). The Liquigen volume is therefore MCT grams ÷ 0.454 g/mL, the same MCT as the oil;
   the label energy of that volume is shown beside it, not used.
4. Kossoff EH, et al. The Ketogenic and Modified Atkins Diets, Johns Hopkins (Demos), ch. 19:
   modified Atkins diet starts at 10 g carbohydrate/day for children (20 g adults), may rise
   to 15 g after a month; no energy or protein restriction; ch. 21: approximates 1:1–2:1.
5. Pfeifer HH, Thiele EA. Low-glycemic-index treatment: a liberalized ketogenic diet for
   treatment of intractable epilepsy. Neurology 2005;65:1810–1812 — carbohydrate 40–60 g/day
   from foods with glycaemic index < 50; about 60 % of energy from fat (Kossoff book ch. 21).
   The Matthew's Friends LGIT page (Pfeifer) gives GI < 55: the cut-off is an option.
6. Daisy Garland. MCT ketogenic diet: 10 % energy from protein, 10–15 % from carbohydrate.
7. fellrnr.com, MCT ketogenic diet page, citing Kossoff EH, et al. The Ketogenic and Modified
   Atkins Diets (Johns Hopkins): introduce MCT gradually over 5–10 days (weak secondary source:
   verify).
8. Atkinson FS, Foster-Powell K, Brand-Miller JC. International tables of glycemic index and
   glycemic load values: 2008. Diabetes Care 2008;31(12):2281–2283, Table 1 (the GI table of
   ``spasmcare.keto.gi`` listing the foods allowed on LGIT).

Project choices (software, not clinical figures): the warning when carbohydrate is under
:data:`LOW_CARB_WARNING_FRACTION` of the classic diet's protein + carbohydrate, the accepted GI
cut-off range :data:`GI_CUTOFF_ACCEPTED_RANGE` and the LGIT energy-mismatch tolerance
:data:`LGIT_ENERGY_MISMATCH_FRACTION`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.growth import Sex, check_weight_for_age
from spasmcare.keto import energy as energy_mod
from spasmcare.keto import fluids as fluids_mod
from spasmcare.keto import protein as protein_mod
from spasmcare.keto.ages import check_age_months
from spasmcare.keto.ratio import (
    DEFAULT_CARBS,
    KCAL_PER_G_CARB,
    KCAL_PER_G_FAT,
    RATIO_MAX,
    RATIO_MIN,
    CarbBasis,
    k_ak,
    kcal_9_4_4,
    kcal_per_dietary_unit,
    ketogenic_ratio,
)

Diet = Literal["classic", "mct", "mad", "lgit"]
DIETS: tuple[Diet, ...] = ("classic", "mct", "mad", "lgit")

SOURCES: dict[str, str] = {
    "compass-2013-units": "Compass Group. Manual of Clinical Nutrition Management, 2013, "
    "'Ketogenic Diet', pp. E-15-E-16 (dietary units, equal meals at full ratio).",
    "woodyatt-1921": "Woodyatt RT. Objects and method of diet adjustment in diabetes. Arch Intern "
    "Med 1921;28:125-141 (K:AK).",
    "huttenlocher-1971": "Huttenlocher PR, et al. Medium-chain triglycerides as a therapy for "
    "intractable childhood epilepsy. Neurology 1971;21:1097-1103 (60 % MCT).",
    "mct-products": "Mead Johnson MCT Oil monograph (8.3 kcal/g); Nutricia Liquigen "
    "(shop.medicalfood.com: per 100 mL 45.4 g MCT, 50 g fat, label 450 kcal).",
    "daisy-garland-mct": "Daisy Garland, MCT ketogenic diet: ~10 % protein, 10-15 % carbohydrate.",
    "kossoff-mad": "Kossoff EH, et al. The Ketogenic and Modified Atkins Diets (Johns Hopkins), "
    "ch. 19 and 21 (MAD 10 g/day carbohydrate for children).",
    "pfeifer-2005-lgit": "Pfeifer HH, Thiele EA. Low-glycemic-index treatment. Neurology "
    "2005;65:1810-1812 (40-60 g/day, GI < 50).",
    "matthews-friends-lgit": "Matthew's Friends, LGIT page by H. Pfeifer (GI < 55).",
    "fellrnr-mct-introduction": "fellrnr.com MCT ketogenic diet page, citing Kossoff EH, et al. "
    "The Ketogenic and Modified Atkins Diets (Johns Hopkins): introduce MCT over 5-10 days "
    "(weak secondary source: verify).",
    "atkinson-2008-gi": "Atkinson FS, Foster-Powell K, Brand-Miller JC. International tables of "
    "glycemic index and glycemic load values: 2008. Diabetes Care 2008;31(12):2281-2283, Table 1.",
    **energy_mod.SOURCES,
    **protein_mod.SOURCES,
    **fluids_mod.SOURCES,
}

# DEFAULT_CARBS (the default carbohydrate basis) lives in spasmcare.keto.ratio beside CarbBasis;
# it is imported above, so ``prescription.DEFAULT_CARBS`` still names it.

#: Energy density of MCT oil [kcal/g] and Liquigen's label energy [kcal/mL] [3].
MCT_OIL_KCAL_PER_G = 8.3
LIQUIGEN_KCAL_PER_ML = 4.5
#: Liquigen composition [g/mL]: MCT 45.4 g and fat 50 g per 100 mL [3]. The volume is computed
#: from the MCT content (see [3] for why the composition wins over the label energy).
LIQUIGEN_MCT_G_PER_ML = 0.454
LIQUIGEN_FAT_G_PER_ML = 0.50
#: MCT share of energy: default 60 % (the original diet [2]); accepted 30–60 % (issue range,
#: Schwartz modified 30 % to Huttenlocher 60 % [2]).
MCT_PERCENT_DEFAULT = 60.0
MCT_PERCENT_RANGE = (30.0, 60.0)
#: Carbohydrate share of energy on the MCT diet: 15 %, the upper end of 10–15 % [6] (secondary
#: source: confirm locally).
MCT_CARB_PERCENT_DEFAULT = 15.0

MAD_CARB_G_DEFAULT = 10.0  # children [4]
LGIT_CARB_G_RANGE = (40.0, 60.0)  # [5]
LGIT_CARB_G_DEFAULT = 40.0  # the lower end of [5]: the stricter start
LGIT_FAT_PERCENT = 60.0  # [5]
LGIT_GI_CUTOFF_DEFAULT = 50.0  # [5] Neurology 2005 (primary); 55 in the secondary page
#: MCT introduced gradually over this many days [7] (weak secondary source: verify).
MCT_INTRODUCTION_DAYS = (5, 10)

CLASSIC_USUAL_RANGE = (1.0, 5.0)

# Project choices (software settings, not clinical figures; no source gives them):
#: Classic diet: warn when carbohydrate is below this fraction of protein + carbohydrate (the
#: dietary units), i.e. when nearly all of the non-fat allowance is protein.
LOW_CARB_WARNING_FRACTION = 0.05
#: GI cut-offs accepted for LGIT: a guard against typing errors, wide around the sources' 50
#: and 55 [5].
GI_CUTOFF_ACCEPTED_RANGE = (40.0, 70.0)
#: LGIT with an energy target: warn when 60 % fat + protein + carbohydrate by 9/4/4 differ from
#: the energy target by more than this fraction of it.
LGIT_ENERGY_MISMATCH_FRACTION = 0.05


@dataclass(frozen=True)
class Patient:
    """The child the prescription is for."""

    age_months: float
    weight_kg: float
    sex: Sex | None = None
    length_cm: float | None = None


@dataclass(frozen=True)
class EnergySpec:
    """How the day's energy is set: exactly one of kcal, kcal/kg or a named equation."""

    kcal: float | None = None
    kcal_per_kg: float | None = None
    equation: str | None = None
    percent: float = 100.0


@dataclass(frozen=True)
class ProteinSpec:
    """Protein per kg, per day, or (neither) the age reference intake."""

    g_per_kg: float | None = None
    g_per_day: float | None = None
    reference: str = protein_mod.DEFAULT_PROTEIN_REFERENCE


@dataclass(frozen=True)
class MealTargets:
    """One meal's or snack's share of the day, at the full ratio."""

    name: str
    fraction: float
    fat_g: float | None
    protein_g: float | None
    carb_g: float | None
    kcal: float | None


@dataclass
class Prescription:
    """A day's prescription; ``to_dict`` is the JSON document the CLI prints."""

    diet: Diet
    carbs: CarbBasis
    ratio: float | None
    kcal: float | None
    fat_g: float | None
    protein_g: float | None
    carb_g: float | None
    dietary_units: float | None
    kcal_per_unit: float | None
    k_ak: float | None
    fluid_ml: float | None
    per_meal: list[MealTargets]
    energy: dict[str, Any]
    protein: dict[str, Any]
    fluid: dict[str, Any]
    patient: dict[str, Any]
    details: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    source_keys: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return [SOURCES[key] for key in dict.fromkeys(self.source_keys)]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("source_keys")
        data["sources"] = self.sources
        return data


# --- validation ---------------------------------------------------------------------------


def _positive(field: str, value: float | None, accepted: str) -> None:
    if value is not None and (not math.isfinite(value) or value <= 0):
        raise InputError(field, value, accepted)


def validate_patient(patient: Patient) -> list[str]:
    """Check age and weight; return warnings (weight beyond ±3 SD of WHO).

    Ages are accepted from 0 to 120 months (:mod:`spasmcare.keto.ages`); an age above is
    refused with the value as given, in months (the unit of ``Patient.age_months``).
    """
    check_age_months(patient.age_months)
    _positive("--weight-kg", patient.weight_kg, "a weight above 0 kg")
    if patient.length_cm is not None:
        _positive("--length-cm", patient.length_cm, "a length above 0 cm")
    check = check_weight_for_age(patient.weight_kg, patient.age_months, patient.sex, "--weight-kg")
    return list(check.warnings)


# --- energy, protein, meals ------------------------------------------------------------------


def resolve_energy(patient: Patient, spec: EnergySpec) -> tuple[float, dict[str, Any], list[str]]:
    """The day's energy [kcal] from exactly one of kcal, kcal/kg or an equation × percent."""
    given = [
        name
        for name, value in (
            ("--kcal", spec.kcal),
            ("--kcal-per-kg", spec.kcal_per_kg),
            ("--energy-equation", spec.equation),
        )
        if value is not None
    ]
    if len(given) > 1:
        raise InputError(
            " and ".join(given),
            "both given",
            "only one of --kcal, --kcal-per-kg, --energy-equation",
        )
    _positive("--energy-percent", spec.percent, "a percentage above 0")
    if spec.kcal is not None:
        _positive("--kcal", spec.kcal, "energy above 0 kcal/day")
        return spec.kcal, {"method": "kcal", "kcal": spec.kcal}, []
    if spec.kcal_per_kg is not None:
        _positive("--kcal-per-kg", spec.kcal_per_kg, "energy above 0 kcal/kg/day")
        kcal = spec.kcal_per_kg * patient.weight_kg
        return kcal, {"method": "kcal-per-kg", "kcal_per_kg": spec.kcal_per_kg}, []
    name = spec.equation or energy_mod.DEFAULT_ENERGY_EQUATION
    estimate = energy_mod.estimate_energy(name, patient.weight_kg, patient.age_months, patient.sex)
    kcal = estimate.kcal_per_day * spec.percent / 100.0
    if kcal <= 0:
        raise InputError(
            "--weight-kg", patient.weight_kg, f"a weight giving positive energy by {name}"
        )
    info = {
        "method": "equation",
        "equation": estimate.equation,
        "description": estimate.description,
        "equation_kcal": estimate.kcal_per_day,
        "percent": spec.percent,
        "default": spec.equation is None,
        "source_keys": list(estimate.source_keys),
    }
    return kcal, info, list(estimate.notes)


def resolve_protein(patient: Patient, spec: ProteinSpec) -> tuple[float, dict[str, Any]]:
    """The day's protein [g] from g/kg, g/day, or the age reference intake [protein refs]."""
    if spec.g_per_kg is not None and spec.g_per_day is not None:
        raise InputError("--protein-g-per-kg and --protein-g", "both given", "only one of the two")
    if spec.g_per_day is not None:
        _positive("--protein-g", spec.g_per_day, "protein above 0 g/day")
        return spec.g_per_day, {"method": "g-per-day", "g_per_day": spec.g_per_day}
    if spec.g_per_kg is not None:
        _positive("--protein-g-per-kg", spec.g_per_kg, "protein above 0 g/kg/day")
        return spec.g_per_kg * patient.weight_kg, {"method": "g-per-kg", "g_per_kg": spec.g_per_kg}
    ref = protein_mod.reference_protein(patient.age_months, spec.reference)
    return ref.g_per_kg * patient.weight_kg, {
        "method": "reference",
        "reference": ref.reference,
        "description": ref.description,
        "g_per_kg": ref.g_per_kg,
        "source_key": ref.source_key,
    }


def meal_fractions(meals: int, snack_fractions: Sequence[float] = ()) -> list[tuple[str, float]]:
    """Shares of the day: snacks take their given fractions, meals share the rest equally [1]."""
    if not isinstance(meals, int) or meals < 1 or meals > 12:
        raise InputError("--meals", meals, "a whole number of meals from 1 to 12")
    for fraction in snack_fractions:
        if not 0 < fraction < 1:
            raise InputError("--snack", fraction, "a fraction of the day above 0 and below 1")
    rest = 1.0 - sum(snack_fractions)
    if rest <= 0:
        raise InputError(
            "--snack", list(snack_fractions), "snack fractions adding up to less than 1"
        )
    shares = [(f"meal {i + 1}", rest / meals) for i in range(meals)]
    shares += [(f"snack {i + 1}", f) for i, f in enumerate(snack_fractions)]
    return shares


def split_day(
    fat_g: float | None,
    protein_g: float | None,
    carb_g: float | None,
    kcal: float | None,
    shares: Sequence[tuple[str, float]],
) -> list[MealTargets]:
    """Scale the day's amounts by each share: every meal keeps the day's ratio [1]."""

    def part(value: float | None, fraction: float) -> float | None:
        return None if value is None else value * fraction

    return [
        MealTargets(name, f, part(fat_g, f), part(protein_g, f), part(carb_g, f), part(kcal, f))
        for name, f in shares
    ]


def _rule_source_keys(*infos: dict[str, Any]) -> list[str]:
    """Source keys named by the energy, protein and fluid choices of a prescription."""
    keys: list[str] = []
    for info in infos:
        keys += info.get("source_keys", [])
        if info.get("method") in ("g-per-day", "g-per-kg"):
            keys.append("compass-2013-protein")
        elif "source_key" in info:
            keys.append(info["source_key"])
    return keys


def _fluid(rule: str, weight_kg: float, kcal: float | None) -> tuple[float | None, dict[str, Any]]:
    """Apply a fluid rule; with no energy target, 1 mL/kcal cannot apply and mL/kg is used."""
    if kcal is None and rule == "ml-per-kcal":
        rule = "ml-per-kg"
    allowance = fluids_mod.fluid_allowance(rule, weight_kg, kcal or 0.0)
    return allowance.ml_per_day, {
        "rule": allowance.rule,
        "description": allowance.description,
        "source_key": allowance.source_key,
    }


# --- the four diets --------------------------------------------------------------------------


def classic(
    patient: Patient,
    ratio: float,
    energy: EnergySpec = EnergySpec(),
    protein: ProteinSpec = ProteinSpec(),
    *,
    meals: int = 3,
    snack_fractions: Sequence[float] = (),
    carbs: CarbBasis = DEFAULT_CARBS,
    fluid_rule: str = fluids_mod.DEFAULT_FLUID_RULE,
) -> Prescription:
    """Classic ketogenic diet at ``ratio``:1 by the dietary-unit method [1].

    ``units = kcal / (9R + 4)``; ``fat = R × units``; ``protein + carb = units``;
    ``carb = units − protein``. Raises :class:`InputError` when the protein leaves no room for
    carbohydrate at this ratio and energy.
    """
    warnings = validate_patient(patient)
    if not RATIO_MIN <= ratio <= RATIO_MAX:
        raise InputError("--ratio", ratio, f"a ratio from {RATIO_MIN:g} to {RATIO_MAX:g}")
    if not CLASSIC_USUAL_RANGE[0] <= ratio <= CLASSIC_USUAL_RANGE[1]:
        warnings.append(f"ratio {ratio:g}:1 is outside the usual classic range 1:1–5:1")
    kcal, energy_info, notes = resolve_energy(patient, energy)
    warnings += notes
    protein_g, protein_info = resolve_protein(patient, protein)
    kcal_unit = kcal_per_dietary_unit(ratio)
    units = kcal / kcal_unit
    fat_g = ratio * units
    carb_g = units - protein_g
    if carb_g < 0:
        raise InputError(
            "protein",
            round(protein_g, 1),
            f"at most {units:.1f} g/day: at {ratio:g}:1 and {kcal:.0f} kcal/day protein plus "
            f"carbohydrate is {units:.1f} g; lower the protein or the ratio, or raise the energy",
        )
    if carb_g < LOW_CARB_WARNING_FRACTION * units:
        warnings.append(
            f"carbohydrate is only {carb_g:.1f} g/day: "
            "almost all of the non-fat allowance is protein"
        )
    fluid_ml, fluid_info = _fluid(fluid_rule, patient.weight_kg, kcal)
    shares = meal_fractions(meals, snack_fractions)
    keys = ["compass-2013-units", "woodyatt-1921"]
    keys += _rule_source_keys(energy_info, protein_info, fluid_info)
    return Prescription(
        diet="classic",
        carbs=carbs,
        ratio=ratio,
        kcal=kcal,
        fat_g=fat_g,
        protein_g=protein_g,
        carb_g=carb_g,
        dietary_units=units,
        kcal_per_unit=kcal_unit,
        k_ak=k_ak(fat_g, protein_g, carb_g),
        fluid_ml=fluid_ml,
        per_meal=split_day(fat_g, protein_g, carb_g, kcal, shares),
        energy=energy_info,
        protein=protein_info,
        fluid=fluid_info,
        patient=asdict(patient),
        details={"carbs_note": _carbs_note(carbs)},
        warnings=warnings,
        source_keys=keys,
    )


def _carbs_note(carbs: CarbBasis) -> str:
    if carbs == "net":
        return "carbohydrate counted as net (total minus fibre)"
    return "carbohydrate counted as total (by difference, fibre included)"


def liquigen_ml_for_mct_g(mct_g: float) -> float:
    """Volume of Liquigen holding ``mct_g`` grams of MCT [mL] [3].

    ``mL = MCT g ÷ 0.454`` (45.4 g MCT per 100 mL); e.g. 420 kcal of MCT = 420 / 8.3 =
    50.60 g = 111.5 mL, not 420 / 4.5 = 93.3 mL (which holds only 42.4 g).

    References
    ----------
    3. Nutricia Liquigen (shop.medicalfood.com): 45.4 g MCT per 100 mL; see the module's [3].
    """
    if not (math.isfinite(mct_g) and mct_g >= 0):
        raise InputError("MCT", mct_g, "grams of MCT of 0 or more")
    return mct_g / LIQUIGEN_MCT_G_PER_ML


def mct(
    patient: Patient,
    energy: EnergySpec = EnergySpec(),
    protein: ProteinSpec = ProteinSpec(),
    *,
    mct_percent: float = MCT_PERCENT_DEFAULT,
    carb_percent: float = MCT_CARB_PERCENT_DEFAULT,
    meals: int = 3,
    snack_fractions: Sequence[float] = (),
    carbs: CarbBasis = DEFAULT_CARBS,
    fluid_rule: str = fluids_mod.DEFAULT_FLUID_RULE,
) -> Prescription:
    """Medium-chain triglyceride diet: a share of energy from MCT [2, 3, 6].

    MCT energy = ``mct_percent`` × kcal, given as grams of MCT oil (8.3 kcal/g) or the mL of
    Liquigen holding the same grams of MCT (:func:`liquigen_ml_for_mct_g`, 0.454 g MCT/mL);
    carbohydrate = ``carb_percent`` × kcal / 4; protein as prescribed;
    long-chain fat takes the remaining energy at 9 kcal/g.
    """
    warnings = validate_patient(patient)
    lo, hi = MCT_PERCENT_RANGE
    if not lo <= mct_percent <= hi:
        raise InputError("--mct-percent", mct_percent, f"{lo:g}–{hi:g} % of energy from MCT")
    if not 0 <= carb_percent < 100:
        raise InputError("--carb-percent", carb_percent, "0–99 % of energy from carbohydrate")
    kcal, energy_info, notes = resolve_energy(patient, energy)
    warnings += notes
    protein_g, protein_info = resolve_protein(patient, protein)
    mct_kcal = kcal * mct_percent / 100.0
    carb_g = kcal * carb_percent / 100.0 / KCAL_PER_G_CARB
    lct_kcal = kcal - mct_kcal - kcal_9_4_4(0.0, protein_g, carb_g)
    if lct_kcal < 0:
        raise InputError(
            "--mct-percent",
            mct_percent,
            f"a share that leaves room for protein ({protein_g:.1f} g) and carbohydrate "
            f"({carb_percent:g} %) within {kcal:.0f} kcal",
        )
    mct_g = mct_kcal / MCT_OIL_KCAL_PER_G
    lct_g = lct_kcal / KCAL_PER_G_FAT
    fat_g = mct_g + lct_g
    liquigen_ml = liquigen_ml_for_mct_g(mct_g)
    fluid_ml, fluid_info = _fluid(fluid_rule, patient.weight_kg, kcal)
    shares = meal_fractions(meals, snack_fractions)
    keys = [
        "huttenlocher-1971",
        "mct-products",
        "daisy-garland-mct",
        "fellrnr-mct-introduction",
        "woodyatt-1921",
    ]
    keys += _rule_source_keys(energy_info, protein_info, fluid_info)
    return Prescription(
        diet="mct",
        carbs=carbs,
        ratio=ketogenic_ratio(fat_g, protein_g, carb_g),
        kcal=kcal,
        fat_g=fat_g,
        protein_g=protein_g,
        carb_g=carb_g,
        dietary_units=None,
        kcal_per_unit=None,
        k_ak=k_ak(fat_g, protein_g, carb_g),
        fluid_ml=fluid_ml,
        per_meal=split_day(fat_g, protein_g, carb_g, kcal, shares),
        energy=energy_info,
        protein=protein_info,
        fluid=fluid_info,
        patient=asdict(patient),
        details={
            "mct_percent": mct_percent,
            "carb_percent": carb_percent,
            "mct_kcal": mct_kcal,
            "mct_oil_g": mct_g,
            "liquigen_ml": liquigen_ml,
            "liquigen_label_kcal": liquigen_ml * LIQUIGEN_KCAL_PER_ML,
            "lct_fat_g": lct_g,
            "carbs_note": _carbs_note(carbs),
            "liquigen_note": f"{liquigen_ml:.1f} mL Liquigen holds the same {mct_g:.1f} g MCT as "
            "the oil (45.4 g MCT per 100 mL); its label states "
            f"{liquigen_ml * LIQUIGEN_KCAL_PER_ML:.0f} kcal because the label counts all its "
            "fat at 9 kcal/g",
            "note": f"MCT counted at {MCT_OIL_KCAL_PER_G:g} kcal/g; introduce MCT gradually "
            f"over {MCT_INTRODUCTION_DAYS[0]}-{MCT_INTRODUCTION_DAYS[1]} days (fellrnr.com "
            "citing the Kossoff book: verify)",
        },
        warnings=warnings,
        source_keys=keys,
    )


def mad(
    patient: Patient,
    *,
    carb_limit_g: float = MAD_CARB_G_DEFAULT,
    fat_target_g: float | None = None,
    meals: int = 3,
    carbs: CarbBasis = DEFAULT_CARBS,
    fluid_rule: str = "ml-per-kg",
) -> Prescription:
    """Modified Atkins diet: a daily carbohydrate limit, no energy or protein cap [4]."""
    warnings = validate_patient(patient)
    _positive("--carb-limit-g", carb_limit_g, "a carbohydrate limit above 0 g/day")
    if carb_limit_g < MAD_CARB_G_DEFAULT:
        warnings.append(f"carbohydrate limit below {MAD_CARB_G_DEFAULT:g} g/day, the usual floor")
    _positive("--fat-g", fat_target_g, "a fat target above 0 g/day")
    fluid_ml, fluid_info = _fluid(fluid_rule, patient.weight_kg, None)
    shares = meal_fractions(meals)
    return Prescription(
        diet="mad",
        carbs=carbs,
        ratio=None,
        kcal=None,
        fat_g=fat_target_g,
        protein_g=None,
        carb_g=carb_limit_g,
        dietary_units=None,
        kcal_per_unit=None,
        k_ak=None,
        fluid_ml=fluid_ml,
        per_meal=split_day(fat_target_g, None, carb_limit_g, None, shares),
        energy={"method": "none", "note": "no energy cap on the modified Atkins diet"},
        protein={"method": "none", "note": "protein not restricted"},
        fluid=fluid_info,
        patient=asdict(patient),
        details={
            "carb_limit_g": carb_limit_g,
            "carbs_note": _carbs_note(carbs),
            "note": "carbohydrate is a daily limit; encourage fat at every meal; "
            "sources describe the result as about 1:1 to 2:1",
        },
        warnings=warnings,
        source_keys=["kossoff-mad", *_rule_source_keys(fluid_info)],
    )


def lgit(
    patient: Patient,
    energy: EnergySpec | None = None,
    protein: ProteinSpec = ProteinSpec(),
    *,
    carb_g: float = LGIT_CARB_G_DEFAULT,
    gi_cutoff: float = LGIT_GI_CUTOFF_DEFAULT,
    meals: int = 3,
    carbs: CarbBasis = DEFAULT_CARBS,
    fluid_rule: str = fluids_mod.DEFAULT_FLUID_RULE,
) -> Prescription:
    """Low glycaemic index treatment: 40–60 g carbohydrate/day from low-GI foods [5].

    With an energy given, fat is set to 60 % of energy and protein as prescribed.
    """
    from spasmcare.keto.gi import foods_below, gi_source  # local: data read only for LGIT

    warnings = validate_patient(patient)
    lo, hi = LGIT_CARB_G_RANGE
    _positive("--carb-g", carb_g, "carbohydrate above 0 g/day")
    if not lo <= carb_g <= hi:
        warnings.append(
            f"carbohydrate {carb_g:g} g/day is outside the usual LGIT range {lo:g}–{hi:g} g"
        )
    gi_lo, gi_hi = GI_CUTOFF_ACCEPTED_RANGE
    if not gi_lo <= gi_cutoff <= gi_hi:
        raise InputError(
            "--gi-cutoff",
            gi_cutoff,
            f"a glycaemic index cut-off from {gi_lo:g} to {gi_hi:g} (usually 50 or 55)",
        )
    gi = gi_source()
    if gi.verify:
        warnings.append(f"GI table: {gi.verify}")
    kcal = fat_g = protein_g = None
    energy_info: dict[str, Any] = {"method": "none", "note": "no energy target given"}
    protein_info: dict[str, Any] = {"method": "none"}
    keys = ["pfeifer-2005-lgit", "matthews-friends-lgit", "atkinson-2008-gi"]
    if energy is not None:
        kcal, energy_info, notes = resolve_energy(patient, energy)
        warnings += notes
        protein_g, protein_info = resolve_protein(patient, protein)
        fat_g = kcal * LGIT_FAT_PERCENT / 100.0 / KCAL_PER_G_FAT
        rest = kcal - kcal_9_4_4(fat_g, protein_g, carb_g)
        if abs(rest) > LGIT_ENERGY_MISMATCH_FRACTION * kcal:
            warnings.append(
                f"fat 60 % + protein {protein_g:.0f} g + carbohydrate {carb_g:g} g give "
                f"{kcal_9_4_4(fat_g, protein_g, carb_g):.0f} kcal, not {kcal:.0f}: adjust protein"
            )
    fluid_ml, fluid_info = _fluid(fluid_rule, patient.weight_kg, kcal)
    keys += _rule_source_keys(energy_info, protein_info, fluid_info)
    shares = meal_fractions(meals)
    ratio = ketogenic_ratio(fat_g, protein_g, carb_g) if fat_g and protein_g else None
    return Prescription(
        diet="lgit",
        carbs=carbs,
        ratio=ratio,
        kcal=kcal,
        fat_g=fat_g,
        protein_g=protein_g,
        carb_g=carb_g,
        dietary_units=None,
        kcal_per_unit=None,
        k_ak=k_ak(fat_g, protein_g, carb_g) if fat_g and protein_g else None,
        fluid_ml=fluid_ml,
        per_meal=split_day(fat_g, protein_g, carb_g, kcal, shares),
        energy=energy_info,
        protein=protein_info,
        fluid=fluid_info,
        patient=asdict(patient),
        details={
            "carb_g_range": [lo, hi],
            "gi_cutoff": gi_cutoff,
            "gi_cutoff_note": "GI < 50 per Pfeifer & Thiele 2005 (default); GI < 55 per the "
            "Matthew's Friends LGIT page",
            "allowed_foods": [f.to_dict() for f in foods_below(gi_cutoff)],
            "gi_source": gi.source,
            "gi_verify": gi.verify,
            "carbs_note": _carbs_note(carbs),
        },
        warnings=warnings,
        source_keys=keys,
    )
