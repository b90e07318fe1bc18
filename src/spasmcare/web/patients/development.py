"""The dashboard's development panel and its writes (issue 25).

The panel shows the report's ``development`` summary (:func:`spasmcare.measures.development.
development_summary`: corrected age, the six WHO windows, the review prompts — a prompt for an
assessment, never a diagnosis — and the instrument scores as entered), the WHO windows drawn
against corrected age (:func:`spasmcare.report.development_chart.who_windows_svg`), the
milestone entries with the family's ticks waiting for a clinician's confirmation, the
seizures of another kind and the measure "first other seizure after spasm cessation"
(:mod:`spasmcare.measures.other_seizures`, in the report's measures). Nothing clinical is
computed here: it reads the report and the stored entries, and puts words on codes.

Writes go through :mod:`spasmcare.web.clinic.audit`: a development at diagnosis (one live
entry a patient: a second is an edit of the first), a milestone, an assessment, and a
clinician's confirmation of a family's tick (an audited edit naming the clinician and the
day).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spasmcare.measures.development import corrected_age_months, milestone_label
from spasmcare.plain import day_text, when_text
from spasmcare.record.development import (
    ASQ_BAND_LABELS,
    COURSE_LABELS,
    INSTRUMENT_LABELS,
    INSTRUMENT_SCORES,
    SCORE_LABELS,
)
from spasmcare.record.seizures import SEIZURE_TYPE_LABELS
from spasmcare.report.development_chart import who_windows_svg
from spasmcare.report.svg import inline
from spasmcare.web.accounts.access import CORRECT, CREATE, RETRACT, may_write
from spasmcare.web.clinic import audit, development_rows, records
from spasmcare.web.clinic.models import Entry, Kind, Patient, User

KINDS = (Kind.DEVELOPMENT_BASELINE, Kind.MILESTONE, Kind.ASSESSMENT, Kind.OTHER_SEIZURE)
STATUS_WORDS = {
    "achieved": "achieved",
    "in-window": "not yet, inside its window",
    "before-window": "not yet expected",
    "review-due": "developmental review due",
    "not-recorded": "not recorded",
}
REPORTER_WORDS = {"family": "the family", "clinician": "a clinician"}
OTHER_MEASURE = "first_other_seizure_after_cessation"


def _day(text: Any) -> date | None:
    return date.fromisoformat(str(text)[:10]) if text else None


def _words_day(text: Any) -> str:
    day = _day(text)
    return day_text(day) if day else ""


def live_entries(patient: Patient) -> list[Entry]:
    """The patient's live development and other-seizure entries, newest first."""
    return list(
        Entry.objects.filter(patient=patient, kind__in=KINDS, retracted_at__isnull=True)
        .select_related("created_by")
        .order_by("-day", "-id")
    )


def _milestone_row(e: Entry, user: User) -> dict[str, Any]:
    d = e.data
    confirmed = d.get("confirmed_by")
    if confirmed:
        confirmation = f"confirmed by {confirmed} on {_words_day(d.get('confirmed_on'))}"
    elif d.get("reported_by") == "family":
        confirmation = "ticked by the family, not yet confirmed"
    else:
        confirmation = "observed by a clinician"
    return {
        "entry": e,
        "label": milestone_label(str(d.get("milestone"))),
        "status": "achieved on" if d.get("status") == "achieved" else "not yet as of",
        "date": _words_day(d.get("date")),
        "confirmation": confirmation,
        "to_confirm": not confirmed and d.get("reported_by") == "family",
        "edit_part": "milestone",
        "can_confirm": may_write(user, CORRECT, Kind.MILESTONE, e.created_by_id),
        "can_retract": may_write(user, RETRACT, Kind.MILESTONE, e.created_by_id),
    }


def _assessment_row(e: Entry, patient: Patient, user: User) -> dict[str, Any]:
    d = e.data
    instrument = str(d.get("instrument"))
    day = _day(d.get("date"))
    age = (
        corrected_age_months(
            patient.birth_date, day, patient.gestation_weeks, patient.gestation_days
        )
        if day and day >= patient.birth_date
        else None
    )
    scores, bands = d.get("scores") or {}, d.get("asq_cutoff") or {}
    return {
        "entry": e,
        "instrument": INSTRUMENT_LABELS.get(instrument, instrument),
        "date": day_text(day) if day else "",
        "age": f"{age:.1f}" if age is not None else "",
        "scores": [
            {
                "label": SCORE_LABELS.get(name, name),
                "score": f"{scores[name]:g}" if name in scores else "",
                "band": ASQ_BAND_LABELS.get(bands.get(name, ""), ""),
            }
            for name in INSTRUMENT_SCORES.get(instrument, ())
            if name in scores or name in bands
        ],
        "by": d.get("assessed_by") or "",
        "edit_part": instrument,
        "can_correct": may_write(user, CORRECT, Kind.ASSESSMENT, e.created_by_id),
        "can_retract": may_write(user, RETRACT, Kind.ASSESSMENT, e.created_by_id),
    }


def _seizure_row(e: Entry, user: User) -> dict[str, Any]:
    d = e.data
    return {
        "entry": e,
        "label": SEIZURE_TYPE_LABELS.get(str(d.get("type")), str(d.get("type"))),
        "when": when_text(str(d.get("at"))) or "",
        "observer": d.get("observer") or "",
        "note": d.get("note") or "",
        "can_retract": may_write(user, RETRACT, Kind.OTHER_SEIZURE, e.created_by_id),
    }


def _baseline(entries: list[Entry]) -> dict[str, Any] | None:
    found = [e for e in entries if e.kind == Kind.DEVELOPMENT_BASELINE]
    if not found:
        return None
    e = min(found, key=lambda x: x.pk)  # the one the record reads (development_rows.nest)
    item = development_rows.baseline_item(e.data)
    return {
        "entry": e,
        "course": COURSE_LABELS.get(str(item.get("course")), str(item.get("course"))),
        "date": _words_day(item.get("date")),
        "milestones": [milestone_label(m) for m in item.get("milestones_achieved", [])],
        "note": item.get("note") or "",
    }


def panel(patient: Patient, report: dict[str, Any], user: User) -> dict[str, Any]:
    """What the development panel shows (see the module notes)."""
    summary = report.get("development")
    entries = live_entries(patient)
    who = [
        w | {"status_words": STATUS_WORDS.get(w["status"], w["status"]),
             "achieved_words": _words_day(w.get("achieved_on"))}
        for w in (summary or {}).get("who", [])
    ]
    measure = (report.get("measures") or {}).get(OTHER_MEASURE)
    return {
        "summary": summary,
        "on": _words_day(summary["on"]) if summary else "",
        "chart": inline(who_windows_svg(summary)) if summary else "",
        "who": who,
        "baseline": _baseline(entries),
        "milestones": [_milestone_row(e, user) for e in entries if e.kind == Kind.MILESTONE],
        "assessments": [
            _assessment_row(e, patient, user) for e in entries if e.kind == Kind.ASSESSMENT
        ],
        "seizures": [_seizure_row(e, user) for e in entries if e.kind == Kind.OTHER_SEIZURE],
        "after_cessation": measure,
        "can": {
            "baseline": may_write(user, CREATE, Kind.DEVELOPMENT_BASELINE),
            "milestone": may_write(user, CREATE, Kind.MILESTONE),
            "assessment": may_write(user, CREATE, Kind.ASSESSMENT),
        },
    }


def current_baseline(patient: Patient) -> Entry | None:
    """The live development-at-diagnosis entry the record reads (the first), if any."""
    return (
        Entry.objects.filter(
            patient=patient, kind=Kind.DEVELOPMENT_BASELINE, retracted_at__isnull=True
        )
        .order_by("id")
        .first()
    )


def save_baseline(
    patient: Patient, item: dict[str, Any], user: User, version: int | None
) -> Entry:
    """Write the development at diagnosis: the first one is created, later ones edit it
    (``version``: the one the form showed; a change since is refused as stale)."""
    fallback = (patient.onset_date or patient.birth_date).isoformat()
    data = development_rows.baseline_envelope(item, fallback)
    entry = current_baseline(patient)
    if entry is None:
        return audit.create_entry(patient, Kind.DEVELOPMENT_BASELINE, data, user)
    return audit.update_entry(entry, version or 0, data, user)


#: What a correction keeps of a stored milestone (who reported it, and its confirmation).
KEPT_ON_EDIT = ("reported_by", "confirmed_by", "confirmed_on")


def save_entry(
    patient: Patient,
    kind: str,
    item: dict[str, Any],
    user: User,
    entry: Entry | None = None,
    version: int | None = None,
) -> Entry:
    """Write a milestone or an assessment: a new entry, or a correction of ``entry`` (the
    version the form showed; a change since is refused as stale). A corrected milestone keeps
    who reported it and its confirmation."""
    if entry is None:
        return audit.create_entry(patient, kind, item, user)
    if kind == Kind.MILESTONE:
        item = item | {k: entry.data[k] for k in KEPT_ON_EDIT if k in entry.data}
    return audit.update_entry(entry, version or 0, item, user)


def edit_part(entry: Entry) -> str | None:
    """The part of the development panel's form that corrects ``entry`` (None: another
    kind of entry)."""
    if entry.kind == Kind.DEVELOPMENT_BASELINE:
        return "baseline"
    if entry.kind == Kind.MILESTONE:
        return "milestone"
    if entry.kind == Kind.ASSESSMENT:
        return str(entry.data.get("instrument"))
    return None


def confirm_milestone(entry: Entry, version: int, user: User) -> Entry:
    """A clinician confirms a milestone: the same item with ``confirmed_by`` (the clinician's
    name) and ``confirmed_on`` (today), written as an audited edit."""
    who = (user.get_full_name() or user.get_username()).strip()[:200]
    data = dict(entry.data, confirmed_by=who, confirmed_on=records.today().isoformat())
    return audit.update_entry(entry, version, data, user)
