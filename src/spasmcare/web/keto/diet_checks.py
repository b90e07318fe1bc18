"""The diet's monitoring checks due or overdue for one patient (issue 24), as the dashboard,
the family's diary and the family's printout show them.

The schedule, and whether each check is done, are the domain's
(:func:`spasmcare.keto.monitoring.open_checks`): a check is done by the record's own entry (a
lab result, a weight), so "ticking" a diet check is entering its result (the lab or growth
form). The course room's monitoring tick names a drug course and the date its plan gives, which
a diet check has neither of, so it is not reused here. The clinic settings of the schedule
(the infant interval) are the domain's defaults, unset and flagged by the domain.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spasmcare.errors import InputError
from spasmcare.keto.monitoring import open_checks
from spasmcare.record import Record
from spasmcare.web.clinic import records
from spasmcare.web.clinic.models import Patient

#: Which entry form records each check's result (the check is done when that entry is saved).
RESULT_FORM: dict[str, str] = {
    "blood_panel": "lab",
    "urine_ca_cr": "lab",
    "ketones": "lab",
    "growth": "growth",
}


def checks_of(record: Record, on: date) -> list[dict[str, Any]]:
    """The record's diet checks due or overdue on ``on``, overdue first, JSON-ready: ``check``,
    ``label``, ``status``, ``date`` and ``overdue_from`` (ISO), ``text`` (people read it),
    ``form`` (the entry kind that records its result, or None)."""
    return [
        {
            "check": r["check"],
            "label": r["label"],
            "status": r["status"],
            "date": r["date"].isoformat(),
            "overdue_from": r["overdue_from"].isoformat(),
            "text": r["text"],
            "form": RESULT_FORM.get(r["check"]),
        }
        for r in open_checks(record, on)
    ]


def open_diet_checks(patient: Patient, on: date | None = None) -> list[dict[str, Any]]:
    """:func:`checks_of` for the patient's stored record (empty when it cannot be read: the
    dashboard says why elsewhere)."""
    on = on or records.today()
    try:
        record = records.load_record(patient, on)
    except InputError:
        return []
    return checks_of(record, on)


def diet_care(patient: Patient, on: date | None = None) -> dict[str, Any]:
    """What the family's diary shows of the diet's care: ``checks`` due or overdue and
    ``on_diet`` (a diet period is recorded, so a side effect can be told)."""
    on = on or records.today()
    try:
        record = records.load_record(patient, on)
    except InputError:
        return {"checks": [], "on_diet": False}
    return {"checks": checks_of(record, on), "on_diet": bool(record.diet_periods)}
