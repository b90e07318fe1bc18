"""What the keto planner's pages read back from storage: a patient's live plan of each kind
(the keto plan, the weaning plan, the infant feeding plan), the saved keto plan's
prescription that the other two start from, and the planned days they accept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.keto.prescription import Prescription
from spasmcare.plain import day_text
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.models import Entry, Kind, Patient, User
from spasmcare.web.keto import plan as keto_plan
from spasmcare.web.keto.forms import FeedState, MealState, build_prescription

#: A plan's first day (or the day spasms came back) within this many days of today (a
#: software setting: catches a slipped year, keeps every date of the plan in the calendar).
DAY_RANGE_DAYS = 5 * 366


def live_entry(patient: Patient, kind: str) -> Entry | None:
    """The patient's live entry of ``kind`` (one per patient; the newest if ever more)."""
    return (
        Entry.objects.filter(patient=patient, kind=kind, retracted_at__isnull=True)
        .select_related("updated_by")
        .order_by("-id")
        .first()
    )


@dataclass(frozen=True)
class SavedKeto:
    """The saved keto plan read back: its inputs, meals and feed, and its prescription (None
    when the inputs no longer make one)."""

    inputs: dict[str, Any]
    meals: list[MealState]
    feed: FeedState
    rx: Prescription | None


def saved_keto(patient: Patient) -> SavedKeto | None:
    """The patient's saved keto plan with its prescription, or None without one."""
    entry = live_entry(patient, Kind.KETO_PLAN)
    if entry is None:
        return None
    inputs, meals, feed = keto_plan.state_from_entry(entry)
    try:
        rx: Prescription | None = build_prescription(inputs)
    except (InputError, KeyError, TypeError, ValueError):
        rx = None
    return SavedKeto(inputs, meals, feed, rx)


def check_day(field: str, text: str) -> date:
    """An ISO day within :data:`DAY_RANGE_DAYS` of today, else an InputError naming
    ``field``."""
    day = date.fromisoformat(text)
    today = records.today()
    if abs((day - today).days) > DAY_RANGE_DAYS:
        raise InputError(
            field,
            day_text(day),
            f"a day from {day_text(today - timedelta(days=DAY_RANGE_DAYS))} to "
            f"{day_text(today + timedelta(days=DAY_RANGE_DAYS))}",
        )
    return day


def store(
    patient: Patient,
    kind: str,
    inputs: dict[str, Any],
    user: User,
    entry: Entry | None,
    version: int,
) -> Entry:
    """``inputs`` as a new entry of ``kind``, or as the next version of ``entry`` (a stale
    ``version`` refused by the audit layer)."""
    if entry is None:
        return audit.create_entry(patient, kind, inputs, user)
    return audit.update_entry(entry, version, inputs, user)
