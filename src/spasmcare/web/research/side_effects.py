"""Side effects of the diet counted across the cohort by diet type, k-anonymous (issue 24).

The count and its disclosure control are the domain's
(:func:`spasmcare.measures.side_effects.counts_from_facts`, with the cohort's
``SPASMCARE_COHORT_K``); each child's part of it
(:func:`spasmcare.measures.side_effects.child_facts`: diet types and side-effect codes, no date,
no identifier) is stored with the patient's summary, recomputed only when that patient's data
changes (:mod:`spasmcare.web.patients.summaries`), and gathered with the cohort's rows
(:func:`spasmcare.web.research.cohorts.build_cohort`, no query of its own). Every live patient
whose record reads whole is counted, as in the cohort rows; the page's filters do not apply.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from spasmcare.measures.side_effects import counts_from_facts
from spasmcare.record.side_effects import EFFECTS


def side_effect_table(cohort: dict[str, Any]) -> dict[str, Any]:
    """The released counts (:func:`counts_from_facts`) of the cohort
    (:func:`~spasmcare.web.research.cohorts.build_cohort`'s result), with the effects' labels
    in order and the diet types with any child (``shown``)."""
    out = counts_from_facts(cohort.get("side_effect_facts") or [], settings.SPASMCARE_COHORT_K)
    out["effects"] = list(EFFECTS.items())
    out["shown"] = [r for r in out["rows"] if r["children"] != 0]
    return out
