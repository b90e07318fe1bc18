"""Per-patient summaries for the patient list and the dashboard: alerts, current therapy.

The alerts themselves are decided by :func:`spasmcare.measures.alerts.patient_alerts`; this
module gathers its inputs (the record, the monitoring checks that are overdue, the protocol
details the clinic has not confirmed) and caches the result per patient data version. For a
list of patients, missing summaries are built from one query for all their entries (no N+1).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.cache import cache

from spasmcare.errors import InputError
from spasmcare.measures.alerts import AlertSettings, patient_alerts
from spasmcare.record import Record, record_from_dict
from spasmcare.record.model import DIET_LABELS
from spasmcare.report.family import in_force
from spasmcare.web import clinic, courses, records
from spasmcare.web.models import Entry, Patient


def alert_settings() -> AlertSettings:
    """The clinic's alert settings (the Clinic settings page, then ``SPASMCARE_ALERTS``) over
    the domain defaults (:func:`spasmcare.web.clinic.alert_settings`)."""
    return clinic.alert_settings()


#: Measures shown on the dashboard even when not assessable, so a gap is visible.
HEADLINE_MEASURES = ("ukiss_response", "spasms_continuing_day7", "time_to_spasm_cessation")


def _key(patient: Patient, on: date) -> str:
    # new clinic limits or a protocol detail confirmed: the summaries are rebuilt
    state = f"{clinic.current().version}-{courses.protocols_token()}"
    return f"summary:{patient.pk}:{patient.data_version}:{state}:{on.isoformat()}"


def _summary(patient: Patient, entries: list[Entry], on: date) -> dict[str, Any]:
    record_entries = [e for e in entries if e.kind in records.SECTIONS]
    try:
        record: Record | None = record_from_dict(
            records.record_dict(patient, record_entries), today=on
        )
    except InputError as exc:
        return {"alerts": [], "problem": str(exc), "current": "", "last_diary": None}
    assert record is not None
    alerts = patient_alerts(
        record,
        on,
        settings=alert_settings(),
        monitoring_overdue=courses.monitoring_overdue(patient, entries, on),
        confirmations_pending=courses.confirmations_pending(patient, entries, on),
    )
    current = [t.drug for t in record.treatments if in_force(t.start, t.stop, on)] + [
        DIET_LABELS.get(d.diet, d.diet)
        for d in record.diet_periods
        if in_force(d.start, d.stop, on)
    ]
    diary_days = set(record.recorded_days) | {e.day for e in record.diary}
    return {
        "alerts": [a.to_dict() for a in alerts],
        "problem": None,
        "current": ", ".join(current),
        "last_diary": max(diary_days) if diary_days else None,
    }


def summaries(patients: list[Patient], on: date | None = None) -> dict[int, dict[str, Any]]:
    on = on or records.today()
    found = cache.get_many([_key(p, on) for p in patients])
    out: dict[int, dict[str, Any]] = {}
    missing = []
    for p in patients:
        if (s := found.get(_key(p, on))) is not None:
            out[p.pk] = s
        else:
            missing.append(p)
    if missing:
        grouped: dict[int, list[Entry]] = defaultdict(list)
        rows = Entry.objects.filter(patient__in=missing, retracted_at__isnull=True).only(
            "patient_id", "kind", "data", "extra", "day"
        )
        for e in rows:
            grouped[e.patient_id].append(e)
        fresh = {p.pk: _summary(p, grouped[p.pk], on) for p in missing}
        cache.set_many({_key(p, on): fresh[p.pk] for p in missing}, 3600)
        out.update(fresh)
    return out


def alerts_for(patient: Patient) -> list[dict[str, Any]]:
    alerts: list[dict[str, Any]] = summaries([patient])[patient.pk]["alerts"]
    return alerts


def patient_rows(patients: list[Patient]) -> list[dict[str, Any]]:
    """One row per patient for the list, most urgent alerts first."""
    sums = summaries(patients)
    order = {"urgent": 0, "review": 1, "info": 2}
    rows = [{"patient": p} | sums[p.pk] for p in patients]
    rows.sort(
        key=lambda r: (
            min((order.get(a["severity"], 3) for a in r["alerts"]), default=4),
            r["patient"].name,
        )
    )
    return rows
