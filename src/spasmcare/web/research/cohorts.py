"""The clinic cohort: its rows, and the filters shared by every page and
download that shows them (the cohort page and CSV, the REDCap export).

Every live (not retracted) patient of the installation is in the cohort, whichever care team
holds them; a row is keyed by a pseudonym, never a name, record id, date of birth or calendar
date. The rows themselves are :func:`spasmcare.measures.cohort.cohort_rows`; this module only
gathers and filters them.

Pseudonyms
----------
Rows are keyed by the installation's pseudonyms
(:func:`spasmcare.web.clinic.pseudonyms.cohort_salt`).

Building the rows
-----------------
Each patient's rows (:func:`spasmcare.measures.cohort.cohort_rows` of their record) are stored
with the patient's summary (:class:`~spasmcare.web.models.PatientSummary`, shared by every
worker) and recomputed only for the patients whose data changed: two queries whatever the
number of patients (the live patients, their stored summaries), plus one for the entries of
the patients to recompute. A record that no longer reads (``InputError``) is listed as *not
readable* by its pseudonym, not a crash. The assembled result is also kept in the process's
cache for :data:`CACHE_SECONDS`, keyed on the set of (patient, data version) pairs and the
day, so any change to any patient's data gives a new key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.cache import cache

from spasmcare.measures.cohort import THERAPY_GROUPS, pseudonym
from spasmcare.record.model import ETIOLOGY_CATEGORIES, ETIOLOGY_LABELS
from spasmcare.web.clinic import records
from spasmcare.web.clinic.models import Patient
from spasmcare.web.clinic.pseudonyms import cohort_salt
from spasmcare.web.patients import summaries

#: Fixed label whose HMAC under the secret key is the pseudonym salt (see the module notes).
#: How long computed cohort rows and the chart stay cached [s] (software setting).
CACHE_SECONDS = 300



def cache_key(patients: list[Patient], on: date) -> str:
    """The cache key of the cohort of ``patients`` on day ``on``: any change to any patient's
    data version, or another day, gives another key."""
    versions = ",".join(f"{p.pk}:{p.data_version}" for p in sorted(patients, key=lambda p: p.pk))
    digest = hashlib.sha256(f"{on.isoformat()}|{versions}".encode()).hexdigest()
    return f"cohort:{digest}"


def build_cohort(on: date) -> dict[str, Any]:
    """Rows of every live patient (``rows``), pseudonyms of the records that do not read
    (``unreadable``), the number of live patients (``patients``) and the cache key.

    Each patient's rows come from the stored per-patient summaries
    (:func:`spasmcare.web.patients.summaries.stored`): only patients whose data changed since are
    recomputed, so one diary entry never recomputes the clinic.
    """
    patients = list(Patient.objects.filter(retracted_at__isnull=True).order_by("pk"))
    key = cache_key(patients, on)
    found: dict[str, Any] | None = cache.get(key)
    if found is not None:
        return found
    salt = cohort_salt()
    rows: list[dict[str, Any]] = []
    unreadable: list[str] = []
    stored = summaries.stored(patients, on, every_live=True)
    kpis: list[Any] = []  # care pathway (issue 23): each readable patient's KPI results
    for p in patients:
        patient_rows = stored[p.pk].cohort
        if patient_rows is None:
            unreadable.append(pseudonym(p.record_id, salt))
        else:
            rows.extend(patient_rows)
            kpis.append(stored[p.pk].summary.get("pathway_kpis"))
    rows.sort(key=lambda r: r["key"])
    result = {"rows": rows, "unreadable": sorted(unreadable), "patients": len(patients)}
    # issue 24: each readable child's part of the side-effect count (research/side_effects.py)
    result["side_effect_facts"] = [
        found
        for p in patients
        if (found := (stored[p.pk].summary or {}).get("side_effect_facts")) is not None
    ]
    result["pathway_kpis"] = kpis
    result["key"] = key
    cache.set(key, result, CACHE_SECONDS)
    return result


class CohortFilter(forms.Form):
    """Optional filters of the cohort page, its CSV and the REDCap export (GET parameters)."""

    etiology = forms.ChoiceField(
        required=False,
        choices=[("", "all etiologies")] + [(c, ETIOLOGY_LABELS[c]) for c in ETIOLOGY_CATEGORIES],
        error_messages={
            "invalid_choice": "%(value)s is not accepted: choose one of "
            + ", ".join(ETIOLOGY_CATEGORIES)
            + ", or leave it empty for all."
        },
    )
    therapy = forms.ChoiceField(
        label="First-line therapy",
        required=False,
        choices=[("", "all groups")] + [(g, g) for g in THERAPY_GROUPS],
        error_messages={
            "invalid_choice": "%(value)s is not accepted: choose one of "
            + ", ".join(THERAPY_GROUPS)
            + ", or leave it empty for all."
        },
    )

    def chosen(self) -> dict[str, str]:
        """Column -> value of the valid, non-empty filters (an invalid one is shown as an
        error beside its field and not applied)."""
        self.is_valid()
        return {name: v for name, v in self.cleaned_data.items() if v}


def filtered_cohort(
    query: Mapping[str, Any],
) -> tuple[CohortFilter, dict[str, str], dict[str, Any]]:
    """Today's cohort with the filters of ``query`` (a request's GET parameters) applied:
    the bound filter form, the filters applied (column -> value), and :func:`build_cohort`'s
    result with the rows that pass them under ``selected``."""
    form = CohortFilter(query)
    chosen = form.chosen()
    cohort = build_cohort(records.today())
    rows = [r for r in cohort["rows"] if all(r[c] == v for c, v in chosen.items())]
    return form, chosen, cohort | {"selected": rows}
