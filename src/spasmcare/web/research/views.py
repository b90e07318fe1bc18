"""Clinic outcomes: the de-identified cohort page and its CSV.

The page shows no name, record id, date of birth or calendar date, only the rows of
:func:`spasmcare.measures.cohort.cohort_rows` keyed by a pseudonym, as gathered and filtered
by :mod:`spasmcare.web.research.cohorts` (the pseudonym salt, the rows of every live patient, the
filters). Counts, response rates, Kaplan-Meier steps, medians and the definitions all come
from :mod:`spasmcare.measures.cohort`; this module fetches rows, calls it, and renders.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from spasmcare.measures.cohort import (
    BINARY_MEASURES,
    THERAPY_GROUPS,
    cohort_notes,
    km_by_group,
    km_median,
    measure_definitions,
    response_rates,
    rows_to_csv,
)
from spasmcare.measures.deid import ANY, RELEASE_DECIMALS, deidentify
from spasmcare.record.model import ETIOLOGY_CATEGORIES, ETIOLOGY_LABELS
from spasmcare.web.clinic import records
from spasmcare.web.research import cohort_charts, development_outcome, pathway_kpis
from spasmcare.web.research.cohorts import CACHE_SECONDS, filtered_cohort
from spasmcare.web.research.side_effects import side_effect_table

# --- display helpers (rounding happens here, at output, never in the domain) ------------------


def _pct(rate: Any) -> str:
    """The domain's rate (a fraction of the known answers, or None) as a percentage."""
    return "—" if rate is None else f"{float(rate) * 100:.1f} %"


def _num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _day(value: float | None) -> str:
    if value is None:
        return "not reached"
    return f"{value:g}"


def _rate_cell(item: dict[str, Any]) -> dict[str, Any]:
    good, known = item["n_favourable"], item["n_known"]
    return {
        "n": item["n"],
        "favourable": good,
        "unfavourable": item["n_unfavourable"],
        "unknown": item["n_unknown"],
        "known": known,
        "fraction": f"{good}/{known}",
        "percent": _pct(item["rate"]),
    }


def _rates(rows: list[dict[str, Any]], groups: list[str]) -> list[dict[str, Any]]:
    by_group = response_rates(rows, by=("therapy",))
    overall = {r["measure"]: r for r in response_rates(rows, by=())}
    out = []
    for d in measure_definitions():
        m = d["key"]
        cells = {r["group"]["therapy"]: _rate_cell(r) for r in by_group if r["measure"] == m}
        out.append(
            d
            | {
                "groups": [{"group": g} | cells[g] for g in groups if g in cells],
                "all": _rate_cell(overall[m]) if m in overall else None,
            }
        )
    return out


def _counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Patients by therapy group and etiology, from the released rows: an etiology the
    release withheld (k-anonymity) is its own column, so the cells add up to the rows."""
    pairs = Counter((r["therapy"], r["etiology"]) for r in rows)
    groups = [g for g in THERAPY_GROUPS if any(t == g for t, _ in pairs)]
    causes = [c for c in (*ETIOLOGY_CATEGORIES, ANY) if any(e == c for _, e in pairs)]
    labels = {**ETIOLOGY_LABELS, ANY: "etiology withheld (k-anonymity)"}
    return {
        "etiologies": [{"key": c, "label": labels[c]} for c in causes],
        "rows": [
            {
                "group": g,
                "cells": [pairs[(g, c)] for c in causes],
                "total": sum(pairs[(g, c)] for c in causes),
            }
            for g in groups
        ],
        "totals": [sum(pairs[(g, c)] for g in groups) for c in causes],
        "total": len(rows),
    }


def _km(rows: list[dict[str, Any]]) -> dict[str, Any]:
    found = km_by_group(rows, "therapy")
    curves = {g: found[g] for g in THERAPY_GROUPS if g in found}
    groups = []
    labels = {}
    for g, steps in curves.items():
        median = km_median(steps)
        n = steps[0].n_at_risk if steps else 0
        events = sum(s.events for s in steps)
        labels[g] = f"{g} (n = {n}, median " + (
            f"{_day(median)} days)" if median is not None else "not reached)"
        )
        groups.append(
            {
                "group": g,
                "n": n,
                "events": events,
                "censored": sum(s.censored for s in steps),
                "median": _day(median),
                "median_reached": median is not None,
                "steps": [
                    {
                        "day": _day(s.time_days),
                        "at_risk": s.n_at_risk,
                        "events": s.events,
                        "censored": s.censored,
                        "survival": _num(s.survival),
                        "ci": (
                            f"{_num(s.ci_lower)} to {_num(s.ci_upper)}"
                            if s.ci_lower is not None and s.ci_upper is not None
                            else "—"
                        ),
                    }
                    for s in steps
                ],
            }
        )
    # keyed by what the chart shows, so a write that leaves the curves as they were (most
    # diary entries) does not draw the chart again
    drawn = hashlib.sha256(repr((sorted(curves.items()), sorted(labels.items()))).encode())
    chart_key = f"cohort-km:{drawn.hexdigest()}"
    image = cache.get(chart_key)
    if image is None:
        image = cohort_charts.km_svg(curves, labels) or ""
        cache.set(chart_key, image, CACHE_SECONDS)
    chart = (
        "data:image/svg+xml;base64," + base64.b64encode(image.encode()).decode("ascii")
        if image
        else None
    )
    return {"groups": groups, "chart": chart}


def cohort(request: HttpRequest) -> HttpResponse:
    form, chosen, c = filtered_cohort(request.GET)
    # k-anonymous release (spasmcare.measures.deid): what the page counts is what the CSV holds
    release = deidentify(c["selected"], settings.SPASMCARE_COHORT_K)
    rows = release.rows
    counts = _counts(rows)
    groups = [r["group"] for r in counts["rows"]]
    filters = urlencode(sorted(chosen.items()))
    context = {
        "form": form,
        "chosen": chosen,
        "patients": c["patients"],
        "readable": len(c["rows"]),
        "unreadable": c["unreadable"],
        "n": len(rows),
        "counts": counts,
        "rates": _rates(rows, groups),
        "km": _km(rows),
        "release": release,
        "decimals": RELEASE_DECIMALS,
        "notes": cohort_notes(),
        "measures": BINARY_MEASURES,
        "query": filters,
        "today": records.today(),
        # issue 25: developmental outcome beside spasm response, k-anonymous
        "development": development_outcome.table(c["selected"], settings.SPASMCARE_COHORT_K),
        # issue 24: side effects of the diet by diet type, k-anonymous
        "side_effects": side_effect_table(c),
        # care pathway (issue 23): the clinic's time-to-treatment measures
        "pathway_kpis": pathway_kpis.cohort_kpis(c, settings.SPASMCARE_COHORT_K),
    }
    return render(request, "web/cohort/page.html", context)


def cohort_csv(request: HttpRequest) -> HttpResponse:
    _, _, c = filtered_cohort(request.GET)
    on = records.today()
    text = rows_to_csv(c["selected"], k=settings.SPASMCARE_COHORT_K)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="spasmcare-cohort-{on.isoformat()}.csv"'
    )
    return response
