"""Lab analytes, their SI unit and the conversions accepted on import.

A mass concentration [mg/dL] becomes a substance concentration [mmol/L] by multiplying by
10 / M, with M the molar mass [g/mol] (1 dL = 0.1 L) [1, 2]. The molar masses below are
computed from IUPAC standard atomic weights [2]; triglycerides are expressed as triolein, the
laboratory convention [1]. Bicarbonate in mEq/L equals mmol/L (a monovalent ion).

References
----------
1. Young DS. Implementation of SI units for clinical laboratory data: style specifications and
   conversion tables. Ann Intern Med 1987;106(1):114-129 (conversion by molar mass; triglyceride
   as triolein).
2. IUPAC Commission on Isotopic Abundances and Atomic Weights (CIAAW). Standard atomic weights
   (C 12.011, H 1.008, O 15.999, N 14.007, Ca 40.078).
3. Sargent JD, Stukel TA, Kresel J, Klein RZ. Normal values for random urinary calcium to
   creatinine ratios in infancy. J Pediatr 1993 (stored copy: c.coek.info): the ratio is given
   both as molar (mmol/mmol) and as mg/mg, e.g. 2.42 mmol/mmol = 0.86 mg/mg.
4. Enzyme activity: 1 U = 1 µmol/min and 1 kat = 1 mol/s, so 1 µkat = 60 U (IUPAC-IFCC
   recommendation on the katal; Dybkaer R. Pure Appl Chem 2001;73(6):927-931).
5. Sodium is monovalent: 1 mEq/L = 1 mmol/L. Urine ketone strips read acetoacetate; acetoacetic
   acid C4H6O3 is 102.089 g/mol from the atomic weights [2].
"""

from __future__ import annotations

from dataclasses import dataclass

from spasmcare.errors import InputError

#: Molar masses [g/mol] from IUPAC standard atomic weights [2].
MOLAR_MASS_G_MOL: dict[str, float] = {
    "glucose": 180.156,  # C6H12O6
    "beta_hydroxybutyrate": 104.105,  # C4H8O3 (3-hydroxybutyric acid)
    "calcium": 40.078,  # Ca
    "cholesterol": 386.654,  # C27H46O
    "triolein": 885.432,  # C57H104O6, the convention for triglycerides [1]
    "creatinine": 113.120,  # C4H7N3O
    "acetoacetate": 102.089,  # C4H6O3 (acetoacetic acid) [5]
}


def mg_dl_to_mmol_l(value_mg_dl: float, molar_mass_g_mol: float) -> float:
    """Mass concentration [mg/dL] → substance concentration [mmol/L]: × 10 / M [1]."""
    return value_mg_dl * 10.0 / molar_mass_g_mol


def mmol_l_to_mg_dl(value_mmol_l: float, molar_mass_g_mol: float) -> float:
    """Substance concentration [mmol/L] → mass concentration [mg/dL]: × M / 10 [1]."""
    return value_mmol_l * molar_mass_g_mol / 10.0


@dataclass(frozen=True)
class Analyte:
    """An analyte, its SI unit and the factor that takes each accepted unit to the SI unit."""

    key: str
    label: str
    unit_si: str
    factors: dict[str, float]


def _mass(molecule: str) -> float:
    return 10.0 / MOLAR_MASS_G_MOL[molecule]


_M_CA = MOLAR_MASS_G_MOL["calcium"]
_M_CR = MOLAR_MASS_G_MOL["creatinine"]

ANALYTES: dict[str, Analyte] = {
    a.key: a
    for a in (
        Analyte(
            "bhb",
            "β-hydroxybutyrate (blood)",
            "mmol/L",
            {"mmol/L": 1.0, "mg/dL": _mass("beta_hydroxybutyrate")},
        ),
        Analyte("glucose", "glucose (blood)", "mmol/L", {"mmol/L": 1.0, "mg/dL": _mass("glucose")}),
        Analyte("bicarbonate", "bicarbonate", "mmol/L", {"mmol/L": 1.0, "mEq/L": 1.0}),
        Analyte("venous_ph", "venous pH", "pH", {"pH": 1.0}),
        Analyte("calcium", "calcium (serum)", "mmol/L", {"mmol/L": 1.0, "mg/dL": _mass("calcium")}),
        Analyte(
            "creatinine",
            "creatinine (serum)",
            "µmol/L",
            {"µmol/L": 1.0, "umol/L": 1.0, "mg/dL": _mass("creatinine") * 1000.0},
        ),
        Analyte(
            "total_cholesterol",
            "total cholesterol",
            "mmol/L",
            {"mmol/L": 1.0, "mg/dL": _mass("cholesterol")},
        ),
        Analyte(
            "ldl_cholesterol",
            "LDL cholesterol",
            "mmol/L",
            {"mmol/L": 1.0, "mg/dL": _mass("cholesterol")},
        ),
        Analyte(
            "hdl_cholesterol",
            "HDL cholesterol",
            "mmol/L",
            {"mmol/L": 1.0, "mg/dL": _mass("cholesterol")},
        ),
        Analyte(
            "triglycerides", "triglycerides", "mmol/L", {"mmol/L": 1.0, "mg/dL": _mass("triolein")}
        ),
        Analyte(
            "urine_calcium", "urine calcium", "mmol/L", {"mmol/L": 1.0, "mg/dL": _mass("calcium")}
        ),
        Analyte(
            "urine_creatinine",
            "urine creatinine",
            "mmol/L",
            {"mmol/L": 1.0, "mg/dL": _mass("creatinine")},
        ),
        # mg/mg → mmol/mmol: (mg Ca / M_Ca) / (mg Cr / M_Cr) = ratio × M_Cr / M_Ca [3].
        Analyte(
            "urine_calcium_creatinine_ratio",
            "urine calcium/creatinine ratio",
            "mmol/mmol",
            {"mmol/mmol": 1.0, "mol/mol": 1.0, "mg/mg": _M_CR / _M_CA},
        ),
        # issue 19: liver enzymes and sodium on the diet and on steroids, ketones by strip
        Analyte("alt", "ALT (alanine aminotransferase)", "U/L", {"U/L": 1.0, "µkat/L": 60.0}),
        Analyte("sodium", "sodium (serum)", "mmol/L", {"mmol/L": 1.0, "mEq/L": 1.0}),
        Analyte(
            "urine_ketones",
            "urine ketones (strip, acetoacetate)",
            "mmol/L",
            {"mmol/L": 1.0, "mg/dL": _mass("acetoacetate")},
        ),
    )
}

#: Analyte key for any other test: stored as entered, never converted, never alerted on.
OTHER = "other"


def to_si(analyte: str, value: float, unit: str, field: str) -> tuple[float, str]:
    """Convert ``value`` in ``unit`` to the SI unit of ``analyte``.

    Raises
    ------
    InputError
        For an unknown analyte or a unit not accepted for it (``field`` names the entry).
    """
    if analyte == OTHER:
        return value, unit
    spec = ANALYTES.get(analyte)
    if spec is None:
        raise InputError(f"{field}.analyte", analyte, "one of " + ", ".join([*ANALYTES, OTHER]))
    factor = spec.factors.get(unit)
    if factor is None:
        raise InputError(f"{field}.unit", unit, f"for {analyte}: one of " + ", ".join(spec.factors))
    return value * factor, spec.unit_si
