"""Reads of the family diary page made on every page a tap returns to, compiled once per
process (:class:`spasmcare.web.base.compiled.Compiled`, issue 21)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from spasmcare.web.base.compiled import Compiled
from spasmcare.web.clinic.models import Entry, Kind, Patient, User
from spasmcare.web.family import development as family_development

#: Marker days (no diary has them).
_FIRST, _LAST = date(1901, 2, 3), date(1901, 2, 4)

_OWN_LAST: Compiled[Entry] = Compiled(
    lambda pid, uid: Entry.objects.filter(
        patient_id=pid, kind=Kind.DIARY, created_by_id=uid, retracted_at__isnull=True
    ).order_by("-id")[:1],
    (-1, -2),
)
_CHILDREN: Compiled[Any] = Compiled(
    lambda uid: User.children.through.objects.filter(user_id=uid)[:2], (-1,)
)


# the patient in each branch of the OR, so SQLite finds both in an index on (patient, kind,
# ...); with the patient outside the OR it read every entry of the patient to test the kinds,
# a cost that grew with the record (issue 21)
_WEEK: Compiled[Entry] = Compiled(
    lambda pid, first, last, pid_again: Entry.objects.filter(
        Q(
            patient_id=pid,
            kind__in=[Kind.DIARY, Kind.RECORDED_DAY, Kind.DOSE_GIVEN]
            + list(family_development.WEEK_KINDS),  # issue 25
            day__gte=first,
            day__lte=last,
        )
        | Q(family_development.week_filter(), patient_id=pid_again),  # issue 25: any day
        retracted_at__isnull=True,
    ).order_by("day", "id"),
    (-1, _FIRST, _LAST, -2),
)
_RECORDED: Compiled[Entry] = Compiled(
    lambda pid, day: Entry.objects.filter(
        patient_id=pid, kind=Kind.RECORDED_DAY, day=day, retracted_at__isnull=True
    ).order_by("pk")[:1],
    (-1, _FIRST),
)


def week_entries(patient: Patient, first: date, last: date) -> list[Entry]:
    """The patient's live diary, recorded-day, dose and development entries of the days from
    ``first`` to ``last`` (:data:`family_development.WEEK_KINDS`), and their milestones and
    development at diagnosis of any day, by day then id."""
    return _WEEK.rows(patient.pk, first, last, patient.pk)


def recorded(patient: Patient, day: date) -> Entry | None:
    """The live entry marking ``day`` observed, if any."""
    return _RECORDED.first(patient.pk, day)


def own_last(patient: Patient, user: User) -> Entry | None:
    """The user's own last live diary entry of this child (the one "Undo" retracts)."""
    return _OWN_LAST.first(patient.pk, user.pk)


def several_children(user: User) -> bool:
    """Whether the family member keeps the diary of more than one child."""
    return len(_CHILDREN.rows(user.pk)) > 1
