"""A patient's live entries and record, kept per process and brought up to date by what changed.

A family's tap adds one diary item (and marks its day recorded); a nurse adds one blood
pressure. Re-reading every stored row and re-checking the whole record after each such write
makes its cost grow with the record (a 2-year diary is thousands of rows). Instead this module
keeps, per worker process and patient, the live entries it last read and the record read from
them, and on the next read:

1. lists the patient's live entries by id and version only (no item data) and fetches the data
   of the new or changed ones alone (:func:`live_entries`);
2. when the change is items appended to the sections that only ever grow by taps and readings
   (diary, recorded days, blood pressures), with the patient's details unchanged and nothing
   set aside before, checks the new items *with the same-day diary items they could clash
   with* through the record validator (:func:`spasmcare.record.record_from_stored`: the item
   checks, the same-observation rule, the daily total) and appends them to the record it has
   (:func:`read`). Any other change (an edit, a retraction, a course, an item the validator
   refuses) reads the whole record again through
   :func:`spasmcare.web.clinic.resilience.read_entries`,
   exactly as before.

So the record after one tap is equal to the record read from scratch (``tests/web/
test_incremental.py`` checks it item for item), and the items fetched and parsed after one tap
do not depend on the diary's length (:data:`counts` is the hook the tests read).

It is only ever an optimisation: every read checks the stored rows' versions, so another
worker's write (or an import) is seen; a state is dropped when least recently used
(:data:`PATIENTS`).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db import connection

from spasmcare.errors import InputError
from spasmcare.record import FORMAT, SCHEMA_VERSION, Record, record_from_stored
from spasmcare.web.base.compiled import Compiled
from spasmcare.web.clinic import record_rows, resilience
from spasmcare.web.clinic.models import Entry, Kind, Patient

#: Patients whose state a worker keeps (least recently used dropped). A software setting.
PATIENTS = 64
#: Kinds whose new items are appended to a record read before (see the module's docstring).
APPENDABLE = frozenset({Kind.DIARY, Kind.RECORDED_DAY, Kind.VITALS})
#: Rows fetched per query when many changed at once.
BATCH = 500
#: The fields of an entry kept (what the summaries and the record read).
FIELDS = ("patient_id", "kind", "data", "extra", "day", "version")

#: What the reads did in this process, for tests: ``fetched`` rows read with their data,
#: ``parsed`` items passed to the record validator, ``full`` whole-record reads, ``appended``
#: reads that appended new items to the record read before.
counts: Counter[str] = Counter()


@dataclass
class _State:
    data_version: int
    entries: dict[int, Entry]
    header: tuple[Any, ...] = ()
    on: date | None = None
    record: Record | None = None
    #: entries fetched (new or changed) since the record was read
    changed: frozenset[int] = frozenset()
    #: an entry of the record retracted since the record was read
    dropped: bool = False
    #: the highest id of the entries the record was read from
    record_max: int = 0
    #: ids of the record's diary entries by day (the items a new tap is checked with)
    diary_days: dict[date, tuple[int, ...]] = field(default_factory=dict)
    #: the entries by day then id (:func:`live_entries`), made when first asked for
    ordered: list[Entry] | None = None


_lock = threading.Lock()
_states: OrderedDict[int, _State] = OrderedDict()


def forget() -> None:
    """Drop every kept state (tests)."""
    with _lock:
        _states.clear()
    counts.clear()


def _get(pk: int) -> _State | None:
    with _lock:
        state = _states.get(pk)
        if state is not None:
            _states.move_to_end(pk)
        return state


def _put(pk: int, state: _State) -> None:
    with _lock:
        _states[pk] = state
        _states.move_to_end(pk)
        while len(_states) > PATIENTS:
            _states.popitem(last=False)


def _header(patient: Patient) -> tuple[Any, ...]:
    return (
        tuple(sorted(record_rows.patient_section(patient).items())),
        tuple(sorted(record_rows.etiology_section(patient).items())),
    )


def _refreshed(patient: Patient, old: _State | None, *, listed_now: bool = False) -> _State:
    """The state with the patient's live entries as stored now: the live entries listed by id
    and version (two integers a row), the new or changed ones fetched, retracted ones dropped.
    ``listed_now``: the caller brought ``old`` up to date a moment ago (same data version).

    A kept state never outlives the database it was read from: a restore from a backup runs
    only while the clinic is not served (:func:`spasmcare.web.base.serving.not_serving`)."""
    if listed_now and old is not None and old.data_version == patient.data_version:
        return old
    if old is None:  # nothing kept: every live row in one query
        live = Entry.objects.filter(patient=patient, retracted_at__isnull=True)
        entries = {e.pk: e for e in live.only(*FIELDS)}
        counts["fetched"] += len(entries)
        return _State(data_version=patient.data_version, entries=entries)
    listed = _listed(patient)
    kept = old.entries
    wanted = [pk for pk, version in listed.items() if pk not in kept or kept[pk].version != version]
    gone = kept.keys() - listed.keys()
    if not wanted and not gone:
        return replace(old, data_version=patient.data_version)
    entries = {pk: e for pk, e in kept.items() if pk not in gone}
    for e in _fetched(wanted):
        entries[e.pk] = e
        counts["fetched"] += 1
    return replace(
        old,
        data_version=patient.data_version,
        entries=entries,
        ordered=None,
        changed=old.changed | frozenset(wanted),
        dropped=old.dropped or any(kept[pk].kind in record_rows.RECORD_KINDS for pk in gone),
    )


#: One live entry by id, compiled once (a tap's refresh fetches one or two rows).
_ONE: Compiled[Entry] = Compiled(
    lambda pk: Entry.objects.filter(pk=pk, retracted_at__isnull=True).only(*FIELDS), (-1,)
)
#: Up to this many changed rows are fetched one by one (:data:`_ONE`), more in batches.
ONE_BY_ONE = 8


def _fetched(wanted: list[int]) -> list[Entry]:
    """The live rows of ``wanted`` (ids), with the fields kept."""
    if len(wanted) <= ONE_BY_ONE:
        return [e for pk in wanted for e in _ONE.rows(pk)]
    found: list[Entry] = []
    for start in range(0, len(wanted), BATCH):
        rows = Entry.objects.filter(pk__in=wanted[start : start + BATCH], retracted_at__isnull=True)
        found += rows.only(*FIELDS)
    return found


def _listed(patient: Patient) -> dict[int, int]:
    """The patient's live entries as ``{id: version}``, read with one plain SQL statement: the
    ORM's ``values_list`` built a tuple through its compiler per row, about 2.5 times the cost
    for a record of 400 entries (issue 21), and this listing follows every tap."""
    q = connection.ops.quote_name
    meta = Entry._meta
    pk, version, patient_id, retracted = (
        q(meta.get_field(name).column) for name in ("id", "version", "patient", "retracted_at")
    )
    sql = (
        f"SELECT {pk}, {version} FROM {q(meta.db_table)} "  # noqa: S608 - names from the model
        f"WHERE {patient_id} = %s AND {retracted} IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [patient.pk])
        return dict(cursor.fetchall())


def live_entries(patient: Patient) -> list[Entry]:
    """The patient's live entries of every kind, by day then id (as
    :func:`spasmcare.web.patients.summaries.stored` reads them). Do not change them: they are
    kept."""
    state = _refreshed(patient, _get(patient.pk))
    if state.ordered is None:  # sorted once per change, not once per read
        state.ordered = sorted(state.entries.values(), key=lambda e: (e.day, e.id))
    _put(patient.pk, state)
    return list(state.ordered)


def _record_entries(state: _State) -> list[Entry]:
    found = state.entries
    return [found[pk] for pk in sorted(found) if found[pk].kind in record_rows.RECORD_KINDS]


def _appended(patient: Patient, state: _State, on: date, trusted: bool) -> Record | None:
    """The record read before with the new appendable items added, or None when the change is
    of another kind (then the whole record is read). Costs what changed, not the record."""
    old = state.record
    if old is None or state.dropped or state.on != on or not trusted:
        return None
    if state.header != _header(patient):
        return None
    new = sorted(
        (state.entries[pk] for pk in state.changed if pk in state.entries),
        key=lambda e: e.pk,
    )
    new = [e for e in new if e.kind in record_rows.RECORD_KINDS]
    if not new:
        return old
    if new[0].pk <= state.record_max or any(e.version != 1 for e in new):
        return None  # an entry of the record edited: read whole
    if any(e.kind not in APPENDABLE for e in new):
        return None
    days = sorted({e.day for e in new if e.kind == Kind.DIARY})
    same_day = [state.entries[pk].data for day in days for pk in state.diary_days.get(day, ())]
    doc: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "patient": record_rows.patient_section(patient),
        "etiology": record_rows.etiology_section(patient),
    }
    for e in new:
        section = record_rows.SECTIONS[e.kind]
        doc.setdefault(section, []).append(record_rows.section_item(e.kind, e.data))
    if same_day:
        doc["diary"] = [*same_day, *doc.get("diary", [])]
    counts["parsed"] += len(new) + len(same_day)
    try:
        part = record_from_stored(doc, today=on)
    except InputError:
        return None  # read whole: the resilient reader sets the refused item aside
    return replace(
        old,
        diary=old.diary + part.diary[len(same_day) :],
        recorded_days=old.recorded_days | part.recorded_days,
        vitals=old.vitals + part.vitals,
    )


def _diary_days(state: _State, appended: bool) -> dict[date, tuple[int, ...]]:
    """The record's diary entry ids by day: the old index with the appended taps, or built
    from every record entry after a whole read."""
    if appended:
        out = dict(state.diary_days)
        pks = sorted(pk for pk in state.changed if pk in state.entries)
    else:
        out, pks = {}, sorted(state.entries)
    for pk in pks:
        e = state.entries[pk]
        if e.kind == Kind.DIARY:
            out[e.day] = (*out.get(e.day, ()), pk)
    return out


def read(
    patient: Patient, on: date, *, trusted: bool = True, listed_now: bool = False
) -> tuple[Record, list[Any]]:
    """The patient's record on ``on`` and the entries set aside, as
    :func:`spasmcare.web.clinic.resilience.read_entries` reads them from every live entry, but
    appending new taps and readings to the record read before (see the module's docstring).
    ``listed_now``: :func:`live_entries` was called for the patient just before. Raises
    ``InputError`` as that function does."""
    # not trusted: every stored row is fetched and checked again (it may have been changed
    # around the validator), as the full check always did
    kept = _get(patient.pk) if trusted else None
    state = replace(_refreshed(patient, kept, listed_now=listed_now))
    record = _appended(patient, state, on, trusted)
    aside: list[Any] = []
    appended = record is not None
    if record is not None:
        counts["appended"] += 1
    else:
        entries = _record_entries(state)
        counts["full"] += 1
        counts["parsed"] += len(entries)
        try:
            record, aside = resilience.read_entries(patient, entries, on, trusted=trusted)
        except InputError:
            _put(patient.pk, replace(state, record=None))
            raise
    state.on, state.header = on, _header(patient)
    # a record read by leaving entries out is read whole again next time
    state.record = None if aside else record
    state.diary_days = _diary_days(state, appended)
    pks = [pk for pk in state.changed if pk in state.entries] if appended else state.entries
    ids = [pk for pk in pks if state.entries[pk].kind in record_rows.RECORD_KINDS]
    state.record_max = max([state.record_max if appended else 0, *ids])
    state.changed, state.dropped = frozenset(), False
    _put(patient.pk, state)
    return record, aside
