"""Rows <-> the domain record: the one adapter between the database and ``spasmcare.record``.

A patient's entries of record kinds are assembled into a record dict in the format of
``docs/RECORD_FORMAT.md`` and read by :func:`spasmcare.record.record_from_dict`, the same
validator the CLI and the JSON import use. A single new item is checked the same way, inside a
minimal record, and its error is reported against the item's own field name.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from spasmcare import __version__
from spasmcare.errors import InputError
from spasmcare.record import (
    FORMAT,
    SCHEMA_VERSION,
    Record,
    record_from_dict,
    record_to_dict,
)
from spasmcare.record.plausibility import record_warnings
from spasmcare.web.clinic import computed, development_rows, incremental, pathway_rows
from spasmcare.web.clinic.models import Entry, Kind, Patient
from spasmcare.web.clinic.record_rows import SECTIONS, patient_section, section_item
from spasmcare.web.clinic.resilience import SetAside

#: Kinds whose items name each other by id (a treatment's or diet period's ``id``, the course a
#: treatment ``continues``, an adverse event's ``treatment``): an item of these kinds is checked
#: together with the patient's other live items of them, so a duplicate id or a reference to an
#: id that is not there is refused before anything is written.
LINKED = (Kind.TREATMENT, Kind.DIET, Kind.ADVERSE)
#: The kinds an item is checked with (see ``LINKED``). A dose ticked as given names its
#: treatment, so it is checked with the treatments only (not with every other tick); a
#: treatment is checked with the ticks too, so an edit or retraction that would leave a tick
#: without its treatment (or outside its dates) is refused like one that would orphan an
#: adverse event.
CHECKED_WITH: dict[str, tuple[str, ...]] = {
    Kind.TREATMENT: (*LINKED, Kind.DOSE_GIVEN),
    Kind.DIET: LINKED,
    Kind.ADVERSE: LINKED,
    Kind.DOSE_GIVEN: (Kind.TREATMENT,),
    # issue 25: the same seizure (time, type, observer) twice is refused before it is written
    Kind.OTHER_SEIZURE: (Kind.OTHER_SEIZURE,),
}
# issue 24: a side effect may name its diet period, so it is checked with the diet periods,
# and a diet period with the side effects (an edit of its id would leave one naming nothing)
CHECKED_WITH[Kind.SIDE_EFFECT] = (Kind.DIET,)
CHECKED_WITH[Kind.DIET] = (*LINKED, Kind.SIDE_EFFECT)


def today() -> date:
    return timezone.localdate()


@lru_cache(maxsize=1)
def validator_fingerprint() -> str:
    """Names the record validator (the JSON Schema and the checking code of
    :mod:`spasmcare.record`): a record checked by another one is checked again."""
    digest = hashlib.sha256(__version__.encode())
    package = resources.files("spasmcare.record")
    for name in ("io.py", "model.py", "plausibility.py", "units.py"):
        digest.update((package / name).read_bytes())
    for path in sorted((package / "schema").iterdir(), key=lambda p: p.name):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def is_checked(patient: Patient) -> bool:
    """The patient's stored items, at this data version, passed the full record check."""
    return (
        patient.checked_version == patient.data_version
        and patient.checked_with == validator_fingerprint()
    )


def load_record(patient: Patient, on: date | None = None) -> Record:
    """The patient's domain record, cached per (patient, data version, day)."""
    on = on or today()
    key = f"record:{patient.pk}:{patient.data_version}:{on.isoformat()}"
    record = cache.get(key)
    if record is None:
        record = _read_patient(patient, on)
        cache.set(key, record, 3600)
    return record


def _aside_key(patient: Patient, on: date) -> str:
    return f"set-aside:{patient.pk}:{patient.data_version}:{on.isoformat()}"


def _read_patient(patient: Patient, on: date) -> Record:
    """The patient's live record, an entry the validator refuses set aside
    (:mod:`spasmcare.web.clinic.resilience`); what was set aside is kept in the cache for
    :func:`set_aside` (per data version, so an edit refreshes it)."""
    record, aside = incremental.read(patient, on)
    cache.set(_aside_key(patient, on), aside, 3600)
    return record


def set_aside(patient: Patient, on: date | None = None) -> list[SetAside]:
    """The entries left out of the patient's record (empty when all read)."""
    on = on or today()
    found = cache.get(_aside_key(patient, on))
    if found is None:
        try:
            _read_patient(patient, on)
        except InputError:
            return []
        found = cache.get(_aside_key(patient, on)) or []
    return list(found)


def cached(
    patient: Patient, name: str, build: Any, on: date | None = None, *, stamp: str | None = None
) -> Any:
    """A computed view of the patient (report, chart), computed once per data version and day
    and shared by every worker (:func:`spasmcare.web.clinic.computed.view`). ``stamp``: what the
    view
    depends on when that is less than the whole record (then a write of anything else does
    not recompute it)."""
    on = on or today()
    return computed.view(patient, name, stamp or computed.data_stamp(patient, on), build)


def export_dict(patient: Patient) -> dict[str, Any]:
    """The record as the domain exports it (canonical order, ranges for recorded days)."""
    return record_to_dict(load_record(patient))


def _item_field(section: str, field: str) -> str:
    """``diary[0].spasms`` -> ``spasms``; ``patient.birth_date`` stays as it is."""
    prefix = f"{section}[0]"
    if field == prefix:
        return "__all__"
    if field.startswith(prefix + "."):
        return field[len(prefix) + 1 :]
    return field


def _linked(
    patient: Patient, exclude: int | None, kinds: tuple[str, ...] = LINKED
) -> list[Entry]:
    rows = Entry.objects.filter(patient=patient, kind__in=kinds, retracted_at__isnull=True)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return list(rows.only("kind", "data").order_by("day", "id"))


def check_item(
    patient: Patient,
    kind: str,
    data: dict[str, Any],
    on: date | None = None,
    exclude: int | None = None,
) -> dict[str, Any]:
    """Check one record item as the record import would; return it unchanged.

    ``exclude`` is the entry the item replaces (an edit). Raises ``InputError`` whose field is
    the item's own field name (``spasms``), so a form can show it beside the input.
    """
    section = SECTIONS[kind]
    minimal: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "patient": patient_section(patient),
        section: [section_item(kind, data)],
    }
    if kind in CHECKED_WITH:
        # the new item stays first in its section, so an error about it names index 0
        for e in _linked(patient, exclude, CHECKED_WITH[kind]):
            minimal.setdefault(SECTIONS[e.kind], []).append(e.data)
    development_rows.nest(minimal)  # issue 25: development's dotted sections as one object
    try:
        record_from_dict(minimal, today=on or today())
    except InputError as exc:
        raise InputError(_item_field(section, exc.field), exc.value, exc.accepted) from None
    return data


def item_warnings(patient: Patient, kind: str, data: dict[str, Any]) -> list[str]:
    """The "check this value" warnings of one saved item (its values outside their soft
    range), worded for a message after saving."""
    section = SECTIONS.get(kind)
    if section is None:
        return []
    minimal: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "patient": patient_section(patient),
        section: [section_item(kind, data)],
    }
    try:
        record = record_from_dict(minimal, today=today())
    except InputError:
        return []  # an item linked to others: the dashboard lists its warnings
    prefix = f"{section}[0]"
    return [
        f"Saved, but check this value: {w.field[len(prefix) + 1 :] or w.field} = {w.value}: "
        f"{w.text}"
        for w in record_warnings(record)
        if w.field.startswith(prefix)
    ]


def versions_text(entries: list[Entry]) -> str:
    """The entries a page was shown, as ``"id:version,..."`` (a hidden form field), so a write
    can refuse what changed since (see :func:`parse_versions`)."""
    return ",".join(f"{e.pk}:{e.version}" for e in entries)


def parse_versions(text: str) -> dict[int, int]:
    """``"id:version,..."`` (:func:`versions_text`) as entry id -> version; a malformed part
    is skipped."""
    out: dict[int, int] = {}
    for part in (text or "").split(","):
        pk, sep, version = part.partition(":")
        if sep and pk.strip().isdigit() and version.strip().isdigit():
            out[int(pk)] = int(version)
    return out


def ticks_of(entry: Entry) -> list[Entry]:
    """The live doses ticked as given (``dose_given`` entries) that name the treatment
    ``entry``, oldest first; none for an entry of another kind."""
    if entry.kind != Kind.TREATMENT:
        return []
    return list(
        Entry.objects.filter(
            patient=entry.patient,
            kind=Kind.DOSE_GIVEN,
            retracted_at__isnull=True,
            data__treatment=str(entry.data.get("id")),
        )
        .select_related("created_by")
        .order_by("day", "id")
    )


def check_retract(entry: Entry, on: date | None = None) -> None:
    """Refuse to retract an item other live items name (a treatment an adverse event or a
    later course refers to): the record would no longer read. A record that does not read
    with the item either is left to be mended (retracting a duplicate is how)."""
    if entry.kind not in CHECKED_WITH or entry.kind == Kind.DOSE_GIVEN:
        return  # nothing refers to a dose ticked as given
    kinds = CHECKED_WITH[entry.kind]
    rest: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "patient": patient_section(entry.patient),
    }
    for e in _linked(entry.patient, entry.pk, kinds):
        rest.setdefault(SECTIONS[e.kind], []).append(e.data)
    try:
        record_from_dict(rest, today=on or today())
    except InputError as exc:
        whole = dict(rest)
        whole[SECTIONS[entry.kind]] = [*rest.get(SECTIONS[entry.kind], []), entry.data]
        try:
            record_from_dict(whole, today=on or today())
        except InputError:
            return  # unreadable with it too: retracting it does not make the record worse
        raise InputError(
            exc.field,
            exc.value,
            f"{exc.accepted} (another entry refers to the one being retracted: edit or retract "
            "that entry first)",
        ) from None


def item_day(kind: str, data: dict[str, Any]) -> date:
    """The date an item is about: its ``at``, ``date``, ``start`` (or a side effect's
    ``onset``); a care-pathway part's own date."""
    if kind in pathway_rows.KINDS:  # care pathway (issue 23): dates nested in the parts
        return pathway_rows.item_day(kind, data)
    for key in ("at", "date", "start", "due", "onset"):
        if key in data and data[key]:
            text = str(data[key])
            return datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)
    raise InputError("date", None, f"a date for the {kind} item")
