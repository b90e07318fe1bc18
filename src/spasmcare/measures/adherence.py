"""Diet adherence beside spasms: per day, the achieved ratio and blood ketones next to the
spasm count, and their rank correlation over a diet period.

A correlation between ketosis and spasm counts is an association in one child's diary, not a
cause: illness, teething, sleep, drug changes and diary effort move both. The report says so.

References
----------
1. Spearman C. The proof and measurement of association between two things. Am J Psychol
   1904;15:72-101 (rank correlation; computed by spasmcare.measures.spearman, which gives
   scipy.stats.spearmanr's rho and p-value without importing scipy.stats).
2. Issue 5 asks for adherence (achieved ratio or ketone level) beside seizure frequency, with
   the caveat that it is not causal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from spasmcare.measures.diary import DiaryView, MeasureResult, as_view
from spasmcare.record.model import DietPeriod, Record

CAVEAT = (
    "Association only, not cause: illness, sleep, drug changes and how closely the diary "
    "is kept affect both ketosis and spasm counts."
)
SRC = "Spearman rank correlation (Spearman 1904) over recorded diet days"

Marker = Literal["bhb", "ratio"]


@dataclass(frozen=True)
class AdherenceOptions:
    """``min_pairs``: fewest days with both values before a correlation is given: 7 (software
    default, not a clinical figure — fewer pairs give a meaningless coefficient)."""

    min_pairs: int = 7


def _daily(record: Record | DiaryView, diet: DietPeriod) -> list[dict[str, Any]]:
    """The rows of :func:`adherence_rows` at full precision (the correlation uses these)."""
    view = as_view(record)
    record = view.record
    last = view.last or diet.start
    if diet.stop is not None:
        last = min(last, diet.stop)
    last = max(last, diet.start)
    ratios = {r.day: r.ratio for r in diet.achieved}
    bhb: dict[Any, list[float]] = {}
    for x in record.labs:
        if x.analyte == "bhb":
            bhb.setdefault(x.day, []).append(x.value_si)
    rows = []
    for d in view.days(diet.start, last):
        values = bhb.get(d.day)
        rows.append(
            {
                "date": d.day,
                "recorded": d.recorded,
                "spasms": d.spasms if d.recorded else None,
                "clusters": d.clusters if d.recorded else None,
                "achieved_ratio": ratios.get(d.day),
                "bhb_mmol_l": sum(values) / len(values) if values else None,
            }
        )
    return rows


def adherence_rows(record: Record | DiaryView, diet: DietPeriod) -> list[dict[str, Any]]:
    """One row per day of the diet period (to its stop or the last diary day): recorded?,
    spasms, clusters, achieved ratio and mean blood BHB [mmol/L] that day (2 decimals)."""
    rows = _daily(record, diet)
    for row in rows:
        if row["bhb_mmol_l"] is not None:
            row["bhb_mmol_l"] = round(row["bhb_mmol_l"], 2)
    return rows


def adherence_correlation(
    record: Record | DiaryView,
    diet: DietPeriod,
    marker: Marker = "bhb",
    options: AdherenceOptions = AdherenceOptions(),
) -> MeasureResult:
    """Spearman correlation between the daily ``marker`` (BHB or achieved ratio) and spasms
    per recorded day, over the diet period [1, 2]. A negative rho: more ketosis, fewer spasms."""
    column = "bhb_mmol_l" if marker == "bhb" else "achieved_ratio"
    rows = _daily(record, diet)
    pairs = [
        (r[column], r["spasms"]) for r in rows if r[column] is not None and r["spasms"] is not None
    ]
    key = f"adherence_{marker}_vs_spasms"
    label = (
        "Blood BHB vs spasms/day (Spearman)"
        if marker == "bhb"
        else "Achieved ratio vs spasms/day (Spearman)"
    )
    common: dict[str, Any] = {
        "key": key,
        "label": label,
        "source": SRC,
        "window": (rows[0]["date"], rows[-1]["date"]) if rows else None,
    }
    days = tuple(r["date"] for r in rows if r[column] is not None and r["spasms"] is not None)
    if len(pairs) < options.min_pairs:
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            days_used=days,
            reason=f"{len(pairs)} day(s) with both values; {options.min_pairs} needed",
            details={"caveat": CAVEAT},
        )
    xs, ys = zip(*pairs, strict=True)
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            days_used=days,
            reason="one of the two series does not vary",
            details={"caveat": CAVEAT, "n": len(pairs)},
        )
    from spasmcare.measures.spearman import spearman

    rho, p = spearman(xs, ys)
    rho_f, p_f = float(rho), float(p)
    if math.isnan(rho_f):
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            days_used=days,
            reason="correlation undefined",
            details={"caveat": CAVEAT},
        )
    return MeasureResult(
        **common,
        status="measured",
        value=rho_f,
        digits=3,
        days_used=days,
        reason=f"rho {rho_f:+.2f} over {len(pairs)} days (p = {p_f:.3g})",
        details={"n": len(pairs), "p_value": round(p_f, 4), "caveat": CAVEAT, "diet": diet.id},
    )
