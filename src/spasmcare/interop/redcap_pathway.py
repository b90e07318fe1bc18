"""The care-pathway fields of the REDCap export (issue 23): one ``pathway`` form.

The REDCap export carries de-identified cohort rows with no calendar date
(:mod:`spasmcare.interop.redcap`), so the pathway dates go out as whole days counted from the
spasm onset (``*_day``; ``None`` without an onset date or without the event), with the codes
of the record and each time-to-treatment measure's status and days
(:mod:`spasmcare.measures.pathway`). Only the first genetic test (in the record's order) and
the most recent result of each kind are one field each; the record keeps them all.

:func:`pathway_from_columns` reads the columns back, given the onset date, into the dates and
codes they carry, so an export can be checked field by field against its record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from spasmcare.measures.pathway import KPIS, STATUSES, patient_kpis
from spasmcare.record.model import Record
from spasmcare.record.pathway import (
    GENETIC_RESULTS,
    GENETIC_TEST_TYPES,
    METABOLIC_RESULTS,
    MRI_FINDINGS,
    PYRIDOXINE_RESPONSES,
    REFERRAL_URGENCIES,
    VARIANT_CLASSES,
)

PATHWAY_FORM = "pathway"


def _kpi_column(kpi_id: str) -> str:
    return "kpi_" + kpi_id.replace("-", "_")


#: Day columns (days from spasm onset) and the record date each carries.
DAY_COLUMNS: tuple[str, ...] = (
    "referral_day",
    "first_seen_day",
    "diagnostic_eeg_day",
    "mri_requested_day",
    "mri_done_day",
    "genetic_requested_day",
    "genetic_resulted_day",
    "first_treatment_failed_day",
)
CODE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "referral_urgency": REFERRAL_URGENCIES,
    "mri_finding": MRI_FINDINGS,
    "genetic_type": GENETIC_TEST_TYPES,
    "genetic_result": GENETIC_RESULTS,
    "genetic_class": VARIANT_CLASSES,
    "metabolic_result": METABOLIC_RESULTS,
    "pyridoxine_response": PYRIDOXINE_RESPONSES,
    **{_kpi_column(kpi.id): STATUSES for kpi, _ in KPIS},
}
FLAG_COLUMNS: tuple[str, ...] = ("mri_resectable_lesion", "tsc_signs", "focal_onset")
PATHWAY_COLUMNS: tuple[str, ...] = (
    "referral_urgency",
    *DAY_COLUMNS[:5],
    "mri_finding",
    "mri_resectable_lesion",
    "genetic_type",
    *DAY_COLUMNS[5:7],
    "genetic_result",
    "genetic_class",
    "metabolic_result",
    "tsc_signs",
    "pyridoxine_response",
    "focal_onset",
    DAY_COLUMNS[7],
    "overrides",
    *(c for kpi, _ in KPIS for c in (_kpi_column(kpi.id), _kpi_column(kpi.id) + "_days")),
)
LABELS: Mapping[str, str] = {
    "referral_urgency": "Referral urgency",
    "referral_day": "Referral (days from spasm onset)",
    "first_seen_day": "First seen by the epilepsy service (days from onset)",
    "diagnostic_eeg_day": "Diagnostic EEG (days from onset)",
    "mri_requested_day": "MRI requested (days from onset)",
    "mri_done_day": "MRI done (days from onset)",
    "mri_finding": "MRI finding",
    "mri_resectable_lesion": "Resectable lesion on MRI",
    "genetic_type": "First genetic test: type",
    "genetic_requested_day": "First genetic test requested (days from onset)",
    "genetic_resulted_day": "First genetic test resulted (days from onset)",
    "genetic_result": "First genetic test: result",
    "genetic_class": "First genetic test: variant class (ACMG/AMP)",
    "metabolic_result": "Latest metabolic test result",
    "tsc_signs": "Signs of TSC on history and skin examination",
    "pyridoxine_response": "Pyridoxine trial: response",
    "focal_onset": "Focal features at seizure onset",
    "first_treatment_failed_day": "First treatment judged failed (days from onset)",
    "overrides": "First-line proposals overridden (count)",
    **{_kpi_column(kpi.id): f"{kpi.title}: status" for kpi, _ in KPIS},
    **{_kpi_column(kpi.id) + "_days": f"{kpi.title}: days counted" for kpi, _ in KPIS},
}


def _days(day: date | None, onset: date | None) -> int | None:
    return (day - onset).days if day is not None and onset is not None else None


def pathway_columns(record: Record, today: date) -> dict[str, Any]:
    """The ``pathway`` form's values of one record (no calendar date; see the module notes)."""
    p, onset = record.pathway, record.patient.onset_date
    first = p.genetic_tests[0] if p.genetic_tests else None
    resulted = [m for m in p.metabolic_tests if m.resulted is not None]
    latest = max(resulted, key=lambda m: m.resulted or date.min) if resulted else None
    index = sorted((t for t in record.treatments if t.continues is None), key=lambda t: t.start)
    failed = p.failed_on(index[0].id) if index else None
    out: dict[str, Any] = {
        "referral_urgency": p.referral.urgency if p.referral else None,
        "referral_day": _days(p.referral.day if p.referral else None, onset),
        "first_seen_day": _days(p.first_seen, onset),
        "diagnostic_eeg_day": _days(p.diagnostic_eeg, onset),
        "mri_requested_day": _days(p.mri.requested if p.mri else None, onset),
        "mri_done_day": _days(p.mri.done if p.mri else None, onset),
        "mri_finding": p.mri.finding if p.mri else None,
        "mri_resectable_lesion": p.mri.resectable_lesion if p.mri else None,
        "genetic_type": first.type if first else None,
        "genetic_requested_day": _days(first.requested if first else None, onset),
        "genetic_resulted_day": _days(first.resulted if first else None, onset),
        "genetic_result": first.result if first else None,
        "genetic_class": first.classification if first else None,
        "metabolic_result": latest.result if latest else None,
        "tsc_signs": p.tsc_examination.signs if p.tsc_examination else None,
        "pyridoxine_response": p.pyridoxine_trial.response if p.pyridoxine_trial else None,
        "focal_onset": p.focal_onset,
        "first_treatment_failed_day": _days(failed, onset),
        "overrides": len(p.overrides),
    }
    for result in patient_kpis(record, today):
        out[_kpi_column(result.kpi)] = result.status
        out[_kpi_column(result.kpi) + "_days"] = result.days
    return {c: out[c] for c in PATHWAY_COLUMNS}


def _code_of(raw: str, codes: tuple[str, ...]) -> str:
    """The code whose REDCap raw choice value is ``raw`` (REDCap codes use ``_`` for ``-``)."""
    return next(c for c in codes if c.replace("-", "_") == raw)


def pathway_from_columns(row: Mapping[str, str], onset: date) -> dict[str, Any]:
    """What a row of the flat import CSV carries in its pathway columns (raw REDCap text):
    day columns as dates (``onset`` + days, key without ``_day``), choices as the record's
    codes, yes/no as booleans, counts as whole numbers, empty as None."""
    out: dict[str, Any] = {}
    for column in PATHWAY_COLUMNS:
        raw = row.get(column, "")
        value: Any = None
        if raw == "":
            value = None
        elif column in DAY_COLUMNS:
            value = onset + timedelta(days=int(raw))
        elif column in CODE_COLUMNS:
            value = _code_of(raw, CODE_COLUMNS[column])
        elif column in FLAG_COLUMNS:
            value = raw == "1"
        else:
            value = int(raw)
        out[column[: -len("_day")] if column in DAY_COLUMNS else column] = value
    return out
