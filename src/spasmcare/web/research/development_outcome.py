"""The developmental outcome on the cohort page and in its CSV (issue 25).

The cohort's rows (:mod:`spasmcare.web.research.cohorts`, filtered as the page is) carry each
child's outcome columns (:func:`spasmcare.measures.development_outcome.outcome_columns`:
development at onset, the lead time from onset to the first standard therapy as a covariate,
and the outcome at 12/18/24 months of corrected age), computed with the child's stored summary
once per data version and day (:mod:`spasmcare.web.patients.summaries`); the rows are then
released k-anonymously (:func:`spasmcare.measures.development_outcome.release`, through
:func:`spasmcare.measures.deid.deidentify`) and grouped by first-line therapy, diet and
etiology. Nothing is computed here: the numbers come from the domain; this module puts words
on codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from spasmcare.measures.deid import ANY
from spasmcare.measures.development_outcome import (
    OUTCOME_MONTHS,
    release,
    release_csv,
)
from spasmcare.plain import label
from spasmcare.record.model import ETIOLOGY_LABELS


def outcome_rows(selected: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The selected cohort rows with the outcome columns they carry (each child's stored
    summary holds them: :func:`spasmcare.web.patients.summaries._compute`)."""
    return sorted((dict(r) for r in selected), key=lambda r: str(r["key"]))


def _etiology_words(code: str) -> str:
    return "withheld (k-anonymity)" if code == ANY else ETIOLOGY_LABELS.get(code, label(code))


def _diet_words(code: str) -> str:
    if code == "none":
        return "no diet"
    return "withheld (k-anonymity)" if code == ANY else label(code)


def _median_cell(value: Any, n: int) -> str:
    return "—" if value is None else f"{value:g} (n = {n})"


def table(selected: Sequence[Mapping[str, Any]], k: int) -> dict[str, Any]:
    """The k-anonymous release of the selected rows with the outcome, and its grouped table
    in words for the page."""
    data = release(outcome_rows(selected), k)
    groups = []
    for g in data["table"]:
        groups.append(
            {
                "therapy": g["therapy"],
                "diet": _diet_words(str(g["diet"])),
                "etiology": _etiology_words(str(g["etiology"])),
                "children": g["children"],
                "ukiss": f"{g['ukiss_response']} of {g['ukiss_known']}",
                "onset": f"{g['regression_or_plateau_at_onset']} of "
                f"{g['development_at_onset_known']}",
                "lead": _median_cell(g["lead_time_days_median"], g["lead_time_known"]),
                "points": [
                    {
                        "months": t,
                        "late": f"{g[f'who_late_any_{t}m']} of {g[f'who_known_{t}m']}",
                        "vineland": _median_cell(g[f"vineland_median_{t}m"], g[f"vineland_n_{t}m"]),
                        "bayley": _median_cell(g[f"bayley_median_{t}m"], g[f"bayley_n_{t}m"]),
                    }
                    for t in OUTCOME_MONTHS
                ],
            }
        )
    return {
        "release": data,
        "groups": groups,
        "months": OUTCOME_MONTHS,
        "window": data["assessment_window_months"],
    }


def csv_text(selected: Sequence[Mapping[str, Any]], k: int, grouped: bool) -> str:
    """The released rows (or the grouped table) as CSV text."""
    return release_csv(release(outcome_rows(selected), k), table=grouped)
