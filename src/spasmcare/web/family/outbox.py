"""Diary taps made without signal, sent later from the phone's outbox (issue 26).

A "Cluster now" tap made while the phone is offline is kept on the phone (IndexedDB, see
``static/web/outbox.js``) with a client key (a UUID) and the phone's local date and time, and
sent here when the phone is online again. It is written once: the key is kept in the entry's
``extra`` (the app's own metadata beside the record item, so neither the record format nor the
database schema changes, and it survives restarts), and the lookup and the write happen under
:func:`spasmcare.web.clinic.audit.lock_patient`. A replay of a key (an answer lost on a poor
network, a second tab, the page sending again after a reload) returns the entry stored the
first time, also when that entry was since undone, and never writes twice. Keys are looked up
per patient: each child's diary is its own key space.

Time: ``at`` is the phone's local wall time, the clock the family saw (the record's ``at`` is a
local time without a zone), so a tap at 23:58 belongs to that day on the phone, whatever the
clinic's time zone. ``offset_min`` (the phone's offset from UTC at the tap) only checks that
the tap is not in the future (:data:`CLOCK_SKEW_MIN` allowed for a phone's clock); a tap on a
local day after the clinic's today (a phone east of the clinic, past its midnight) is not
refused but waits on the phone (:class:`NotYet`), because the record refuses a date after
today; it is sent once the clinic's day has come.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from spasmcare.errors import InputError
from spasmcare.web.accounts.access import CREATE, check_write
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.models import Entry, Kind, Patient, User
from spasmcare.web.family.views import _mark_day, _observer

#: How far ahead of the server's clock a phone's clock may be [minutes] (software setting).
CLOCK_SKEW_MIN = 10
#: UTC offsets in use run from -12:00 to +14:00; a wider one is not a time zone [minutes].
OFFSET_LIMIT_MIN = 14 * 60
#: ``extra["via"]`` of an entry sent from the outbox.
VIA = "family diary, sent from the phone's outbox"

KEY_ACCEPTED = "a UUID made by the phone, e.g. 1b4e28ba-2fa1-41d2-883f-0016d3cca427"
_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
_INT = re.compile(r"^[+-]?\d{1,6}$")


class NotYet(Exception):
    """The tap's local day is after the clinic's today: keep it on the phone, send it later."""


@dataclass(frozen=True)
class Tap:
    """One tap from the outbox: its key, the phone's local time and offset, the count."""

    key: str
    at: datetime
    offset_min: int
    spasms: int


def _text(data: Mapping[str, Any], name: str, accepted: str) -> str:
    value = data.get(name)
    if value is None or not str(value).strip():
        raise InputError(name, None, accepted)
    return str(value).strip()[:100]


def _int(data: Mapping[str, Any], name: str, accepted: str, low: int, high: int) -> int:
    text = _text(data, name, accepted)
    if not _INT.match(text) or not low <= int(text) <= high:
        raise InputError(name, text, accepted)
    return int(text)


def parse_tap(data: Mapping[str, Any]) -> Tap:
    """The tap a phone sent (form fields ``key``, ``at``, ``offset_min``, ``spasms``), or an
    :class:`InputError` naming the first field that is not usable."""
    key_text = _text(data, "key", KEY_ACCEPTED)
    try:
        key = str(uuid.UUID(key_text))
    except ValueError:
        raise InputError("key", key_text, KEY_ACCEPTED) from None
    at_text = _text(data, "at", "the phone's local date and time, YYYY-MM-DDTHH:MM")
    try:
        if not _AT.match(at_text):
            raise ValueError(at_text)
        at = datetime.fromisoformat(at_text)
    except ValueError:
        raise InputError(
            "at", at_text, "the phone's local date and time, YYYY-MM-DDTHH:MM"
        ) from None
    offset = _int(
        data,
        "offset_min",
        f"the phone's offset from UTC in whole minutes, -{OFFSET_LIMIT_MIN} to {OFFSET_LIMIT_MIN}",
        -OFFSET_LIMIT_MIN,
        OFFSET_LIMIT_MIN,
    )
    spasms = _int(data, "spasms", "a whole number of spasms, 1 or more", 1, 999_999)
    return Tap(key=key, at=at, offset_min=offset, spasms=spasms)


def _check_time(tap: Tap, now: datetime) -> None:
    """Refuse a tap later than now on the phone's own clock and offset; hold one whose local
    day is after the clinic's today."""
    instant = (tap.at - timedelta(minutes=tap.offset_min)).replace(tzinfo=UTC)
    if instant > now + timedelta(minutes=CLOCK_SKEW_MIN):
        raise InputError(
            "at",
            tap.at.isoformat(timespec="minutes"),
            "a time not later than now (the phone's clock or time zone is ahead of the "
            "clinic's clock)",
        )
    today = records.today()
    if tap.at.date() > today:
        raise NotYet(
            f"{tap.at:%d %b %Y} on the phone is after the clinic's today ({today:%d %b %Y}): "
            "the entry stays on the phone and is sent after midnight in the clinic's time zone."
        )


def stored(patient: Patient, key: str) -> Entry | None:
    """The diary entry of this patient sent with ``key`` (live or undone), if any."""
    return (
        Entry.objects.filter(patient=patient, kind=Kind.DIARY, extra__client_key=key)
        .order_by("id")
        .first()
    )


def save_tap(
    patient: Patient, user: User, tap: Tap, now: datetime | None = None
) -> tuple[Entry, bool]:
    """Write the tap as a record ``diary`` item (and mark its local day observed) through the
    audit trail, once per key: (the entry, whether it was stored before this call)."""
    check_write(user, CREATE, Kind.DIARY)
    with transaction.atomic():
        audit.lock_patient(patient)
        found = stored(patient, tap.key)
        if found is not None:
            return found, True
        _check_time(tap, now or timezone.now())
        item: dict[str, Any] = {
            "at": tap.at.strftime("%Y-%m-%dT%H:%M"),
            "kind": "single" if tap.spasms == 1 else "cluster",
            "spasms": tap.spasms,
        }
        if observer := _observer(user):
            item["observer"] = observer
        made = _mark_day(patient, tap.at.date(), user)
        entry = audit.create_entry(
            patient,
            Kind.DIARY,
            item,
            user,
            extra={
                "via": VIA,
                "client_key": tap.key,
                "phone_offset_min": tap.offset_min,
                "made_day": made.pk if made else None,
            },
        )
    return entry, False


def answer(entry: Entry, replayed: bool) -> dict[str, Any]:
    """What the phone is told about a stored tap (JSON)."""
    return {
        "key": entry.extra.get("client_key"),
        "entry": entry.pk,
        "at": entry.data.get("at"),
        "spasms": entry.data.get("spasms"),
        "replayed": replayed,
        "undone": entry.retracted_at is not None,
    }
