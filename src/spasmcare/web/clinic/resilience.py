"""Read whatever the database holds: an entry the record validator refuses is left out and
flagged, never a page error.

Entries written before a plausibility rule existed (a growth ``length_cm`` of 1e308, a cluster
of 10**30 spasms) would make the whole record unreadable. :func:`read_entries` validates the
record as usual; when that fails on one entry, that entry is set aside with the validator's
message and the record is read again without it, so every page still shows the rest and names
the entry to correct or retract. Only a problem of the patient's own details (not of an entry)
still makes the record unreadable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from spasmcare.errors import InputError
from spasmcare.record import Record, record_from_dict, record_from_stored
from spasmcare.record.io import diary_key
from spasmcare.web.clinic import pathway_rows, record_rows
from spasmcare.web.clinic.models import Entry, Kind, Patient

#: Entries set aside before the record is declared unreadable (software setting).
MAX_SET_ASIDE = 50
#: ``diary[3].at``; ``development.milestones[2].date`` (issue 25: a dotted section)
_INDEXED = re.compile(r"^(?P<section>[a-z_]+(?:\.[a-z_]+)?)\[(?P<index>\d+)\]")


@dataclass(frozen=True)
class SetAside:
    """An entry left out of every calculation, with the validator's reason."""

    entry_id: int
    kind: str
    day: date | None
    field: str
    value: Any
    accepted: str

    def text(self) -> str:
        return f"{self.field}: {self.value!r} is not accepted; {self.accepted}"


def _blame(exc: InputError, entries: list[Entry]) -> Entry | None:
    """The entry an InputError about ``section[i]...`` names, in ``record_dict`` order."""
    if exc.field.startswith(pathway_rows.SECTION):  # care pathway (issue 23)
        return pathway_rows.blame(exc.field, entries)
    found = _INDEXED.match(exc.field)
    if found is None:
        return None
    kind = record_rows.KIND_OF_SECTION.get(found["section"])
    if kind is None:
        return None
    same = [e for e in entries if e.kind == kind]
    index = int(found["index"])
    return same[index] if index < len(same) else None


def read_entries(
    patient: Patient, entries: list[Entry], on: date, *, trusted: bool = True
) -> tuple[Record, list[SetAside]]:
    """The patient's record from ``entries``, leaving out any entry the validator refuses.

    ``trusted``: the stored items were each checked when written, so they are read without
    the JSON Schema (:func:`spasmcare.record.record_from_stored`); ``False`` runs the whole
    check (once per data version, see ``web/patients/summaries.py``).

    Raises ``InputError`` only when the patient's own details cannot be read (or more than
    ``MAX_SET_ASIDE`` entries would have to be left out).
    """
    kept: list[Entry] = []
    aside: list[SetAside] = []
    seen: dict[tuple[Any, ...], Entry] = {}
    for e in entries:
        if e.kind not in record_rows.RECORD_KINDS:
            continue
        if e.kind == Kind.DIARY and isinstance(e.data, dict):
            first = seen.setdefault(diary_key(e.data), e)
            if first is not e:  # stored before duplicates were refused: counted once
                aside.append(
                    SetAside(
                        e.pk,
                        e.kind,
                        e.day,
                        "diary",
                        f"{e.data.get('at')}, {e.data.get('spasms')} spasms",
                        f"an observation not already in the diary (entry #{first.pk} is the same)",
                    )
                )
                continue
        kept.append(e)
    duplicates = len(aside)
    while True:
        try:
            read = record_from_stored if trusted else record_from_dict
            return read(record_rows.record_dict(patient, kept), today=on), aside
        except InputError as exc:
            bad = _blame(exc, kept)
            if bad is None or len(aside) - duplicates >= MAX_SET_ASIDE:
                raise
            aside.append(SetAside(bad.pk, bad.kind, bad.day, exc.field, exc.value, exc.accepted))
            kept = [e for e in kept if e is not bad]
            if bad.kind == Kind.DIARY:
                kept = _unrecord_day(kept, bad)


def _day_text(entry: Entry) -> str | None:
    data = entry.data if isinstance(entry.data, dict) else {}
    text = str(data.get("at") or data.get("date") or "")
    return text[:10] or None


def _unrecord_day(kept: list[Entry], left_out: Entry) -> list[Entry]:
    """Without a diary entry its day's count is not known: the day no longer counts as
    recorded, so it can never read as spasm-free (a day not recorded is unknown)."""
    day = _day_text(left_out)
    return [e for e in kept if not (e.kind == Kind.RECORDED_DAY and _day_text(e) == day)]
