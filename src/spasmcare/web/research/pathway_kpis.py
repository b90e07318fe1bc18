"""The cohort page's time-to-treatment table (issue 23): each measure of
:mod:`spasmcare.measures.pathway` over every readable live patient, as the domain releases it
(:func:`spasmcare.measures.pathway.clinic_kpis_of_results`: numerator / denominator, the rate
with its 95 % Wilson interval, a figure withheld when fewer than k children are in its
denominator).

Each patient's results are stored with their summary (``web/patients/summaries.py``, per data
version and day) and gathered with the cohort's rows
(:func:`spasmcare.web.research.cohorts.build_cohort`), so the table costs no query of its own
and no record is read again. A record that does not read, or reads only with entries left
out, is not counted (as in the cohort rows). Rounding happens here, for display only.
"""

from __future__ import annotations

from typing import Any

from spasmcare.measures.pathway import KpiResult, clinic_kpis_of_results


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


def _row(figure: dict[str, Any]) -> dict[str, Any]:
    definition = figure["definition"]
    out = {
        "title": figure["title"],
        "numerator_words": definition["numerator"],
        "denominator_words": definition["denominator"],
        "source": definition["source"],
        "released": figure["released"],
    }
    if not figure["released"]:
        return out | {"withheld": figure["withheld"]}
    return out | {
        "fraction": f"{figure['numerator']}/{figure['denominator']}",
        "rate": _pct(figure["rate"]),
        "ci": f"{_pct(figure['ci95_low'])} to {_pct(figure['ci95_high'])}",
        "pending": figure["pending"],
        "excluded": figure["excluded"],
    }


def cohort_kpis(cohort: dict[str, Any], k: int) -> dict[str, Any]:
    """The table's rows (one per measure) from :func:`build_cohort`'s ``pathway_kpis``."""
    stored = [found for found in cohort.get("pathway_kpis", []) if found is not None]
    figures = clinic_kpis_of_results(
        ([KpiResult.from_dict(d) for d in results] for results in stored), k
    )
    return {
        "rows": [_row(f.to_dict()) for f in figures],
        "k": k,
        "patients": len(stored),
        "unreadable": cohort.get("patients", 0) - len(stored),
    }
