"""What is in force and what is due for one patient on one day: the single computation.

:func:`patient_status` reads the record (and the two lists only the clinic app knows: the
monitoring checks past due and the protocol details awaiting confirmation, as
:func:`spasmcare.measures.alerts.patient_alerts` takes them) and returns one JSON-ready dict:

``alerts``
    :func:`~spasmcare.measures.alerts.patient_alerts`, each with ``at`` (= ``since``).
``courses``
    Every drug course with its state on the day (``planned``, ``in force``, ``stopped``), the
    dose in force with its amount (the record's dose change in force [1]), the course day and
    length, the next planned dose change, and one line of words (:func:`course_text`).
``diets``
    Diet periods in force.
``now_on``
    The courses and diets in force as one line ("prednisolone 60 mg/day (day 9 of 29 …)").
``next_checks``
    Monitoring checks coming (passed in by the caller, from the course plans), earliest first.
``blood_pressure``
    The readings of the alert window and the clinic's limits (``None``: not set [2]).
``decisions``
    The decision points answered in the saved course plan (passed in by the caller: the
    answers live with the plan, not in the record), so every page states the recorded answer,
    which wins over the diary's measure of the same question.

The patient list, the dashboard, the report (HTML and JSON) and the exports read this one dict,
so they cannot disagree. Nothing here is a clinical figure: amounts are the record's, windows and
limits are :class:`~spasmcare.measures.alerts.AlertSettings`.

References
----------
1. docs/RECORD_FORMAT.md, ``treatments[].doses[]``: a dose change is in force until the next;
   a saved course keeps its whole plan (its later changes and its stop may be ahead of today).
2. spasmcare.measures.alerts, reference 2: no sourced infant blood-pressure limit; the clinic
   sets its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.measures.alerts import (
    DEFAULT_ALERT_SETTINGS,
    AlertSettings,
    clinic_day,
    not_configured,
    patient_alerts,
)
from spasmcare.plain import day_text
from spasmcare.record.model import DIET_LABELS, Dose, Record, Treatment

PLANNED, IN_FORCE, STOPPED = "planned", "in force", "stopped"


def dose_on(treatment: Treatment, on: date) -> Dose | None:
    """The dose change of ``treatment`` in force on ``on`` (the latest begun), or None when the
    course is not running that day or has no dose recorded [1]."""
    if treatment.start > on or (treatment.stop is not None and treatment.stop < on):
        return None
    found: Dose | None = None
    for dose in sorted(treatment.doses, key=lambda d: d.start):
        if dose.start <= on:
            found = dose
    return found


def _amount(dose: Dose) -> str:
    return f"{dose.amount:g} {dose.unit}"


def course_state(treatment: Treatment, on: date) -> str:
    if treatment.start > on:
        return PLANNED
    if treatment.stop is not None and treatment.stop < on:
        return STOPPED
    return IN_FORCE


def _tapering(treatment: Treatment, dose: Dose) -> bool:
    """The dose in force is lower than an earlier one of the course (a taper under way)."""
    earlier = [d.amount for d in treatment.doses if d.start < dose.start]
    return bool(earlier) and dose.amount < max(earlier) and dose.amount > 0


def course_text(treatment: Treatment, on: date) -> str:
    """The course in one line of words: the dose in force with its amount, the course day, the
    phase and the stop, e.g. "prednisolone 60 mg/day (day 9 of 29, escalated dose 60 mg/day;
    stops after 29 Dec 2026)"."""
    state = course_state(treatment, on)
    if state == PLANNED:
        return f"{treatment.drug}: starts on {day_text(treatment.start)}"
    if state == STOPPED:
        assert treatment.stop is not None
        return f"{treatment.drug}: stopped on {day_text(treatment.stop)}"
    dose = dose_on(treatment, on)
    day = (on - treatment.start).days + 1
    of = f" of {(treatment.stop - treatment.start).days + 1}" if treatment.stop else ""
    parts = [f"day {day}{of}"]
    if dose is not None and dose.note:
        parts.append(dose.note)
    if dose is not None and _tapering(treatment, dose):
        parts.append("tapering")
    tail = (
        f"; last dose {day_text(treatment.stop)}" if treatment.stop else "; no stop date recorded"
    )
    amount = _amount(dose) if dose is not None else "dose not recorded"
    return f"{treatment.drug} {amount} ({', '.join(parts)}{tail})"


def _course(treatment: Treatment, on: date) -> dict[str, Any]:
    dose = dose_on(treatment, on)
    later = sorted((d for d in treatment.doses if d.start > on), key=lambda d: d.start)
    state = course_state(treatment, on)
    return {
        "treatment": treatment.id,
        "drug": treatment.drug,
        "protocol": treatment.protocol,
        "start": treatment.start.isoformat(),
        "stop": treatment.stop.isoformat() if treatment.stop else None,
        "state": state,
        "day": (on - treatment.start).days + 1 if state == IN_FORCE else None,
        "days": (treatment.stop - treatment.start).days + 1 if treatment.stop else None,
        "dose": None
        if dose is None
        else {
            "amount": dose.amount,
            "unit": dose.unit,
            "since": dose.start.isoformat(),
            "note": dose.note,
        },
        "tapering": dose is not None and _tapering(treatment, dose),
        "next_change": None
        if not later
        else {
            "start": later[0].start.isoformat(),
            "amount": later[0].amount,
            "unit": later[0].unit,
            "note": later[0].note,
        },
        "text": course_text(treatment, on),
    }


def _checks(items: Iterable[Any], on: date) -> list[dict[str, Any]]:
    """Monitoring checks coming: ``(label, due date)`` pairs, due on or after ``on``."""
    out = []
    for i, item in enumerate(items):
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise InputError(f"next_checks[{i}]", item, "a (label, due date) pair")
        label, due = item
        if not isinstance(due, date):
            raise InputError(f"next_checks[{i}].due", due, "a date")
        out.append({"what": str(label), "due": due.isoformat(), "text": day_text(due)})
    out.sort(key=lambda c: (c["due"], c["what"]))
    return out


def _blood_pressure(record: Record, on: date, settings: AlertSettings) -> dict[str, Any]:
    first = on - timedelta(days=settings.recent_days - 1)
    readings = sorted(
        (v for v in record.vitals if first <= v.day <= on), key=lambda v: v.at, reverse=True
    )
    return {
        "systolic_limit_mmhg": settings.bp_systolic_high_mmhg,
        "diastolic_limit_mmhg": settings.bp_diastolic_high_mmhg,
        "window_days": settings.recent_days,
        "readings": [
            {
                "at": v.at.isoformat(timespec="minutes"),
                "systolic_mmhg": v.systolic_mmhg,
                "diastolic_mmhg": v.diastolic_mmhg,
                "heart_rate_bpm": v.heart_rate_bpm,
            }
            for v in readings
        ],
    }


def patient_status(
    record: Record,
    today: date,
    *,
    settings: AlertSettings = DEFAULT_ALERT_SETTINGS,
    monitoring_overdue: Iterable[Any] = (),
    confirmations_pending: Iterable[Any] = (),
    next_checks: Iterable[Any] = (),
    decisions: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """What is in force and what is due for the patient of ``record`` on ``today`` (module
    notes). ``monitoring_overdue`` and ``confirmations_pending`` as
    :func:`~spasmcare.measures.alerts.patient_alerts` takes them; ``next_checks``: ``(label,
    due date)`` of the monitoring checks coming; ``decisions``: the saved plan's decision
    points (``question``, ``day``, ``answer``, ``effect``; see :func:`_decisions`).

    Raises
    ------
    InputError
        ``today`` not a date, or a malformed item of the lists.
    """
    today = clinic_day(today)
    alerts = patient_alerts(
        record,
        today,
        settings=settings,
        monitoring_overdue=monitoring_overdue,
        confirmations_pending=confirmations_pending,
    )
    courses = [
        _course(t, today) for t in sorted(record.treatments, key=lambda t: (t.start, t.id))
    ]
    diets = [
        {
            "id": d.id,
            "diet": d.diet,
            "label": DIET_LABELS.get(d.diet, d.diet),
            "start": d.start.isoformat(),
            "stop": d.stop.isoformat() if d.stop else None,
        }
        for d in sorted(record.diet_periods, key=lambda d: d.start)
        if d.start <= today and (d.stop is None or d.stop >= today)
    ]
    now_on = [c["text"] for c in courses if c["state"] == IN_FORCE] + [d["label"] for d in diets]
    return {
        "on": today.isoformat(),
        "alerts": [a.to_dict() | {"at": a.since.isoformat()} for a in alerts],
        "courses": courses,
        "diets": diets,
        "now_on": "; ".join(now_on),
        "next_checks": _checks(next_checks, today),
        "blood_pressure": _blood_pressure(record, today, settings),
        "not_configured": not_configured(settings),
        "decisions": _decisions(decisions),
    }


def _decisions(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answered decision points, as words and values (unanswered ones are left out)."""
    out = []
    for i, p in enumerate(items):
        if not isinstance(p, dict) or "question" not in p or "answer" not in p:
            raise InputError(f"decisions[{i}]", p, "a decision point with question and answer")
        if p["answer"] is None:
            continue
        out.append(
            {
                "question": str(p["question"]),
                "day": p.get("day"),
                "answer": bool(p["answer"]),
                "effect": str(p.get("effect") or ""),
            }
        )
    return out
