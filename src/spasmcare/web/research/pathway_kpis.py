"""The cohort page's time-to-treatment table (issue 23): each measure of
:mod:`spasmcare.measures.pathway` over every live patient's record, as the domain releases it
(:func:`spasmcare.measures.pathway.clinic_kpis`: numerator / denominator, the rate with its
95 % Wilson interval, a figure withheld when fewer than k children are in its denominator).

The figures are computed once per set of (patient, data version) pairs and day (the cohort's
own cache key, :func:`spasmcare.web.research.cohorts.cache_key`) and k; a record that does not
read is counted as not readable, not a crash. Rounding happens here, for display only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.cache import cache

from spasmcare.errors import InputError
from spasmcare.measures.pathway import clinic_kpis
from spasmcare.web.clinic import records
from spasmcare.web.clinic.models import Patient
from spasmcare.web.research.cohorts import CACHE_SECONDS, cache_key


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


def cohort_kpis(on: date, k: int) -> dict[str, Any]:
    """The table's rows (one per measure) and the number of records that did not read."""
    patients = list(Patient.objects.filter(retracted_at__isnull=True).order_by("pk"))
    key = f"pathway-kpis:{k}:{cache_key(patients, on)}"
    found: dict[str, Any] | None = cache.get(key)
    if found is not None:
        return found
    read, unreadable = [], 0
    for p in patients:
        try:
            read.append(records.load_record(p, on))
        except InputError:
            unreadable += 1
    figures = clinic_kpis(read, on, k)
    result = {
        "rows": [_row(f.to_dict()) for f in figures],
        "k": k,
        "patients": len(read),
        "unreadable": unreadable,
    }
    cache.set(key, result, CACHE_SECONDS)
    return result
