"""Reads of the family diary page made on every page a tap returns to, compiled once per
process (:class:`spasmcare.web.base.compiled.Compiled`, issue 21)."""

from __future__ import annotations

from typing import Any

from spasmcare.web.base.compiled import Compiled
from spasmcare.web.clinic.models import Entry, Kind, Patient, User

_OWN_LAST: Compiled[Entry] = Compiled(
    lambda pid, uid: Entry.objects.filter(
        patient_id=pid, kind=Kind.DIARY, created_by_id=uid, retracted_at__isnull=True
    ).order_by("-id")[:1],
    (-1, -2),
)
_CHILDREN: Compiled[Any] = Compiled(
    lambda uid: User.children.through.objects.filter(user_id=uid)[:2], (-1,)
)


def own_last(patient: Patient, user: User) -> Entry | None:
    """The user's own last live diary entry of this child (the one "Undo" retracts)."""
    found = _OWN_LAST.rows(patient.pk, user.pk)
    return found[0] if found else None


def several_children(user: User) -> bool:
    """Whether the family member keeps the diary of more than one child."""
    return len(_CHILDREN.rows(user.pk)) > 1
