"""The only writer of clinical data: every change keeps its previous version.

Each function runs in one transaction, checks the item with the record validator (record
kinds) before anything is written, stores a ``Revision`` with the full new state, who and
when, and raises the patient's ``data_version`` so cached views are rebuilt.

Optimistic concurrency: an edit carries the version the user saw. If someone saved in the
meantime, the edit is refused with :class:`StaleEdit`, never silently applied over theirs.
Nothing is deleted: :func:`retract_entry` hides an entry from the record and keeps it, with the
reason, in the trail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import Case, F, When
from django.utils import timezone

from spasmcare.errors import InputError
from spasmcare.record.io import diary_key, dose_given_key
from spasmcare.record.plausibility import SPASMS_PER_DAY
from spasmcare.web.clinic import (
    development_rows,
    pathway_rows,
    pathway_store,
    record_rows,
    records,
    writes,
)
from spasmcare.web.clinic.models import (
    CareTeam,
    Entry,
    Kind,
    Patient,
    Revision,
    User,
)

PATIENT_FIELDS = (
    "record_id",
    "name",
    "birth_date",
    "sex",
    "gestation_weeks",
    "gestation_days",
    "onset_date",
    "etiology_category",
    "etiology_gene",
    "etiology_detail",
)


class StaleEdit(Exception):
    """Someone else saved this item after the form was opened."""

    def __init__(self, what: str, seen: int, now: int, by: str) -> None:
        self.seen, self.now = seen, now
        super().__init__(
            f"This {what} was changed by {by} after you opened it (your version {seen}, "
            f"now {now}). Nothing was saved: reload to see their change, then edit again."
        )


def _who(user: User | None) -> str:
    return user.get_username() if user else "someone"


def _entry_snapshot(entry: Entry) -> dict[str, Any]:
    return {"kind": entry.kind, "data": entry.data, "extra": entry.extra}


def _patient_snapshot(p: Patient) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in PATIENT_FIELDS:
        value = getattr(p, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    out["team"] = p.team_id
    return out


def _touch(patient: Patient, checked: bool = False, *, whole: bool = False) -> None:
    """Raise the patient's ``data_version`` (computed views of the old one are not used again).

    ``checked``: the written item passed the record check together with the patient's other
    items (a duplicate id, a reference to a missing treatment are refused), so a record that
    was fully checked at the old version is still valid at the new one: ``checked_version``
    moves on with ``data_version`` in the same statement (no reader can come between), and the
    next read takes the stored items without the schema. ``whole``: the whole record as it now
    stands was just checked (an import), so it is checked at the new version.
    """
    held = _held_write(patient)
    if held is not None and not whole:  # one raise when the write's block ends
        held["written"] = True
        held["checked"] = held["checked"] and checked
        return
    fields: dict[str, Any] = {"data_version": F("data_version") + 1}
    if whole:
        fields["checked_version"] = F("data_version") + 1
        fields["checked_with"] = records.validator_fingerprint()
    elif checked:
        fields["checked_version"] = Case(
            When(checked_version=F("data_version"), then=F("data_version") + 1),
            default=F("checked_version"),
            output_field=models.PositiveIntegerField(null=True),
        )
    Patient.objects.filter(pk=patient.pk).update(**fields)
    patient.refresh_from_db(fields=["data_version", "checked_version", "checked_with"])
    writes.note_write(patient.pk)  # its summary is recomputed once the response is sent


def mark_checked(patients: list[Patient]) -> None:
    """Record that these patients' whole records passed the full check at the data version
    they were read at (a write that came meanwhile leaves its patient to be checked again)."""
    by_version: dict[int, list[int]] = {}
    for p in patients:
        by_version.setdefault(p.data_version, []).append(p.pk)
    for version, pks in by_version.items():
        Patient.objects.filter(pk__in=pks, data_version=version).update(
            checked_version=version, checked_with=records.validator_fingerprint()
        )


def lock_patient(patient: Patient) -> None:
    """Serialise writes of one patient's clinical data (call inside a transaction): the checks
    that read the patient's other entries (ids, references) then see every earlier write.
    Inside :func:`one_write` of the patient the lock is already held: nothing is queried."""
    if _held_write(patient) is not None:
        return
    list(Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk", flat=True))


# --- several items written as one write (a family's first tap of a day marks the day too) ---

_writing = threading.local()


def _held_write(patient: Patient) -> dict[str, Any] | None:
    held: dict[str, Any] | None = getattr(_writing, "held", None)
    return held if held is not None and held["pk"] == patient.pk else None


@contextmanager
def one_write(patient: Patient) -> Iterator[None]:
    """The writes of ``patient`` inside the block are one write: one transaction, the patient
    locked once (:func:`lock_patient`), its ``data_version`` raised once at the end (so the
    summary refresh and every view stamped by the version are computed once, not once per
    item); ``checked_version`` moves on with it only if every item written was checked. A
    block of another patient's writes, or one inside this one, is refused."""
    if getattr(_writing, "held", None) is not None:
        raise RuntimeError("one_write blocks do not nest")
    with transaction.atomic():
        lock_patient(patient)
        held: dict[str, Any] = {"pk": patient.pk, "written": False, "checked": True}
        _writing.held = held
        try:
            yield
        finally:
            _writing.held = None
        if held["written"]:
            _touch(patient, checked=held["checked"])


def _checked(
    patient: Patient, kind: str, data: dict[str, Any], exclude: int | None = None
) -> dict[str, Any]:
    if kind in record_rows.SECTIONS:
        records.check_item(patient, kind, data, exclude=exclude)
    pathway_store.check_write(patient, kind, data, exclude)  # care pathway (issue 23)
    return data


def check_patient_fields(fields: dict[str, Any]) -> None:
    """Demographics checked by the record validator, errors named by model field."""
    probe = Patient(**{k: v for k, v in fields.items() if k in PATIENT_FIELDS})
    data = record_rows.record_dict(probe, entries=[])
    try:
        from spasmcare.record import record_from_dict

        record_from_dict(data, today=records.today())
    except InputError as exc:
        name = exc.field.split(".")[-1]
        name = {"category": "etiology_category", "gene": "etiology_gene"}.get(name, name)
        raise InputError(name, exc.value, exc.accepted) from None


@transaction.atomic
def create_patient(fields: dict[str, Any], team: CareTeam, user: User | None) -> Patient:
    check_patient_fields(fields)
    if Patient.objects.filter(record_id=fields["record_id"]).exists():
        raise InputError("record_id", fields["record_id"], "an id no other patient has")
    patient = Patient.objects.create(team=team, **fields)
    Revision.objects.create(
        patient=patient, version=1, action="create", snapshot=_patient_snapshot(patient), by=user
    )
    return patient


def _check_entries_with(patient: Patient, fields: dict[str, Any]) -> None:
    """The patient's live entries must still read with the new demographics (an entry dated
    before a changed birth date would make the whole record unreadable). A record that does
    not read with the current demographics either is not blocked from being mended."""
    from spasmcare.record import record_from_dict

    probe = Patient(**{k: v for k, v in fields.items() if k in PATIENT_FIELDS})
    entries = list(
        Entry.objects.filter(
            patient=patient, retracted_at__isnull=True, kind__in=list(record_rows.RECORD_KINDS)
        ).only("kind", "data")
    )
    try:
        record_from_dict(record_rows.record_dict(probe, entries), today=records.today())
    except InputError:
        try:
            record_from_dict(record_rows.record_dict(patient, entries), today=records.today())
        except InputError:
            return
        raise


@transaction.atomic
def update_patient(
    patient: Patient, expected_version: int, fields: dict[str, Any], user: User
) -> Patient:
    merged = {name: getattr(patient, name) for name in PATIENT_FIELDS} | fields
    check_patient_fields(merged)
    record_id = merged["record_id"]
    if Patient.objects.filter(record_id=record_id).exclude(pk=patient.pk).exists():
        raise InputError("record_id", record_id, "an id no other patient has")
    lock_patient(patient)
    _check_entries_with(patient, merged)
    changed = Patient.objects.filter(pk=patient.pk, version=expected_version).update(
        version=F("version") + 1,
        data_version=F("data_version") + 1,
        updated_at=timezone.now(),
        **fields,
    )
    if not changed:
        current = Patient.objects.get(pk=patient.pk)
        last = current.revisions.filter(entry=None).last()
        raise StaleEdit(
            "patient", expected_version, current.version, _who(last.by if last else None)
        )
    patient.refresh_from_db()
    writes.note_write(patient.pk)
    Revision.objects.create(
        patient=patient,
        version=patient.version,
        action="update",
        snapshot=_patient_snapshot(patient),
        by=user,
    )
    return patient


@transaction.atomic
def create_entry(
    patient: Patient,
    kind: str,
    data: dict[str, Any],
    user: User | None,
    extra: dict[str, Any] | None = None,
    action: str = "create",
    check: bool = True,
) -> Entry:
    """Add an item. ``check=False`` only for the record import, which has checked the whole
    record already."""
    lock_patient(patient)
    if check:
        _checked(patient, kind, data)
    if kind == Kind.DIARY:
        _refuse_diary_clash(patient, data)
    if kind == Kind.DOSE_GIVEN:
        _refuse_same_dose(patient, data)
    entry = Entry.objects.create(
        patient=patient,
        kind=kind,
        day=records.item_day(kind, data),
        data=data,
        extra=extra or {},
        created_by=user,
        updated_by=user,
    )
    Revision.objects.create(
        patient=patient,
        entry=entry,
        version=1,
        action=action,
        snapshot=_entry_snapshot(entry),
        by=user,
    )
    _touch(patient, checked=check)
    return entry


def _same_day(
    patient: Patient, kind: str, data: dict[str, Any], exclude: int | None = None
) -> list[dict[str, Any]]:
    """The live items of ``kind`` on the day of ``data``, whoever wrote them. ``exclude``: the
    entry ``data`` replaces (an edit)."""
    same = Entry.objects.filter(
        patient=patient,
        kind=kind,
        retracted_at__isnull=True,
        day=records.item_day(kind, data),
    ).only("data")
    if exclude is not None:
        same = same.exclude(pk=exclude)
    return [e.data for e in same]


def _live_same(
    patient: Patient,
    kind: str,
    data: dict[str, Any],
    key: Callable[[dict[str, Any]], Any],
    exclude: int | None = None,
) -> bool:
    """Whether another live item of ``kind`` on the item's day is the same as ``data`` by the
    record's own rule ``key`` (:func:`spasmcare.record.io.diary_key`, ...), whoever wrote it:
    the record validator refuses two such items, so the account cannot matter. ``exclude``:
    the entry ``data`` replaces (an edit)."""
    wanted = key(data)
    return any(key(d) == wanted for d in _same_day(patient, kind, data, exclude))


def _refuse_diary_clash(
    patient: Patient, data: dict[str, Any], exclude: int | None = None
) -> None:
    """Refuse a diary item the record validator would refuse together with its day's other
    items, from any account (two accounts with the same relationship write the same
    observer): one the diary already holds (same time, count and observer: the record's
    rule), and one that would take its day's spasms beyond the record's daily range
    (:data:`spasmcare.record.plausibility.SPASMS_PER_DAY`). Written, the latter set the day's
    entries aside on every read, each read checking the record again per entry (issue 21: a
    second of CPU a read with 160 entries that day). ``exclude``: the entry an edit replaces."""
    day = _same_day(patient, Kind.DIARY, data, exclude)
    wanted = diary_key(data)
    if any(diary_key(d) == wanted for d in day):
        raise InputError(
            "at",
            f"{data.get('at')}, {data.get('spasms')} spasms",
            "an observation not already saved (the same time and count is in the diary)",
        )
    spasms = data.get("spasms")
    if isinstance(spasms, int) and not isinstance(spasms, bool):
        total = spasms + sum(d["spasms"] for d in day if isinstance(d.get("spasms"), int))
        if total > SPASMS_PER_DAY.hard[1]:
            raise InputError(
                "spasms",
                spasms,
                f"{SPASMS_PER_DAY.words()}: with the entries already saved that day the "
                f"total would be {total}",
            )


def _refuse_same_dose(patient: Patient, data: dict[str, Any], exclude: int | None = None) -> None:
    """Refuse a second live tick of the same dose (date, schedule time and treatment): the
    ticks are checked with the treatments only, so the record's own rule is applied here."""
    if _live_same(patient, Kind.DOSE_GIVEN, data, dose_given_key, exclude):
        when = f"{data.get('date')} {data.get('time') or ''}".strip()
        raise InputError(
            "time",
            f"{data.get('drug') or data.get('treatment')} {when}",
            "a dose not already ticked (undo the earlier tick first to change it)",
        )


def _locked(entry: Entry, expected_version: int, **changes: Any) -> Entry:
    changed = Entry.objects.filter(
        pk=entry.pk, version=expected_version, retracted_at__isnull=True
    ).update(version=F("version") + 1, updated_at=timezone.now(), **changes)
    if not changed:
        current = Entry.objects.get(pk=entry.pk)
        who = _who(current.retracted_by if current.retracted_at else current.updated_by)
        if current.retracted_at:
            raise StaleEdit("entry (now retracted)", expected_version, current.version, who)
        raise StaleEdit("entry", expected_version, current.version, who)
    entry.refresh_from_db()
    return entry


@transaction.atomic
def update_entry(
    entry: Entry,
    expected_version: int,
    data: dict[str, Any],
    user: User,
    extra: dict[str, Any] | None = None,
) -> Entry:
    lock_patient(entry.patient)
    _checked(entry.patient, entry.kind, data, exclude=entry.pk)
    if entry.kind == Kind.DIARY:
        _refuse_diary_clash(entry.patient, data, exclude=entry.pk)
    if entry.kind == Kind.DOSE_GIVEN:
        _refuse_same_dose(entry.patient, data, exclude=entry.pk)
    changes: dict[str, Any] = {
        "data": data,
        "day": records.item_day(entry.kind, data),
        "updated_by": user,
    }
    if extra is not None:
        changes["extra"] = extra
    entry = _locked(entry, expected_version, **changes)
    Revision.objects.create(
        patient=entry.patient,
        entry=entry,
        version=entry.version,
        action="update",
        snapshot=_entry_snapshot(entry),
        by=user,
    )
    _touch(entry.patient, checked=True)
    return entry


@transaction.atomic
def retract_entry(entry: Entry, expected_version: int, reason: str, user: User) -> Entry:
    if not reason.strip():
        raise InputError("reason", reason, "a short reason why the entry is retracted")
    lock_patient(entry.patient)
    records.check_retract(entry)
    pathway_store.check_retract(entry)  # care pathway (issue 23)
    entry = _locked(
        entry,
        expected_version,
        retracted_at=timezone.now(),
        retracted_by=user,
        retraction_reason=reason.strip(),
    )
    Revision.objects.create(
        patient=entry.patient,
        entry=entry,
        version=entry.version,
        action="retract",
        snapshot=_entry_snapshot(entry),
        reason=reason.strip(),
        by=user,
    )
    _touch(entry.patient, checked=True)
    return entry


@transaction.atomic
def retract_with_ticks(
    entry: Entry, expected_version: int, reason: str, user: User, ticks: dict[int, int]
) -> int:
    """Retract an entry entered in error together with the doses ticked as given against it
    (a treatment's; an entry of another kind has none), in one transaction: each tick is
    retracted (audited) with a reason naming the course, then the entry. ``ticks`` (entry id
    -> version) are the ticks the user was shown; if the live ticks naming the treatment are
    now others (a dose ticked since), nothing is retracted (InputError), nor when any
    retraction is refused or stale. Returns the number of ticks retracted."""
    if not reason.strip():
        raise InputError("reason", reason, "a short reason why the entry is retracted")
    lock_patient(entry.patient)
    live = records.ticks_of(entry)
    if {t.pk for t in live} != set(ticks):
        raise InputError(
            "ticks",
            f"{len(ticks)} listed",
            f"the {len(live)} doses ticked as given that name course {entry.data.get('id')} "
            "now (one was ticked or undone since the page was opened): nothing was retracted; "
            "check the list again and confirm",
        )
    because = (
        f"entered against course {entry.data.get('id')} ({entry.data.get('drug')}), "
        f"retracted as: {reason.strip()}"
    )
    for tick in live:
        retract_entry(tick, ticks[tick.pk], because, user)
    retract_entry(entry, expected_version, reason, user)
    return len(live)


#: Rows written per transaction by a record import (software setting): a 60,000-item import
#: holds the database's write lock for one batch at a time, never for the whole import.
IMPORT_BATCH = 1000
#: Pause between two import batches [s] (software setting): long enough for a writer waiting
#: on SQLite's lock (its busy handler polls at most every 100 ms) to get in between.
IMPORT_PAUSE_S = 0.1
#: ``retraction_reason`` of a patient whose import is still being written (hidden until done).
IMPORTING = "record import in progress"


#: Record keys the clinic app keeps outside its entry sections.
_HEADER_KEYS = frozenset({"format", "schema_version", "patient", "etiology"})


def _refuse_unstored_sections(data: dict[str, Any]) -> None:
    """Refuse a record holding a section the clinic app does not store (a section the record
    format gains before the app stores it): importing it would drop that section without a
    word. Every section of today's format is stored (tests/web/clinic/test_import_batches.py
    checks it): the care pathway (:mod:`spasmcare.web.clinic.pathway_rows`), development and
    other seizures (:mod:`spasmcare.web.clinic.development_rows`) and side effects as entries."""
    unstored = sorted(
        key
        for key, value in data.items()
        if key not in _HEADER_KEYS
        and key not in record_rows.KIND_OF_SECTION
        and key not in development_rows.STORED  # issue 25
        and key != pathway_rows.SECTION  # care pathway (issue 23): stored as entries
        and value
    )
    if unstored:
        raise InputError(
            unstored[0],
            "(present)",
            "a record without "
            + ", ".join(unstored)
            + ": the clinic app does not store these sections yet, so importing it here would "
            "lose them (keep the file; `spasmcare report` reads them)",
        )


def import_record(
    data: Any,
    team: CareTeam,
    user: User | None,
    prepare: Callable[[Patient], None] | None = None,
) -> Patient:
    """Create a patient and all entries from a record dict: all or nothing.

    The whole record is checked by the domain import first, before any transaction is opened;
    nothing is written if any part fails. A record whose patient id already exists is refused
    (no silent merge).

    A record of more than :data:`IMPORT_BATCH` items is written in bounded transactions, so a
    family's diary entry made meanwhile waits for one batch, not the whole import: the patient
    is created hidden (retracted, reason :data:`IMPORTING`), the entries and their revisions
    are written batch by batch, and a last transaction shows the patient. If any batch fails,
    everything written for the import is removed again and the error raised.

    ``prepare`` is called with the imported patient after its last write and, for a large
    import, while it is still hidden (e.g. to compute its stored summary, so that no reader of
    the patient list finds a large record it must compute first).
    """
    from spasmcare.record import record_from_dict

    record = record_from_dict(data, today=records.today())
    _refuse_unstored_sections(data)
    p = data["patient"]
    e = data.get("etiology", {})
    fields: dict[str, Any] = {
        "record_id": p["id"],
        "name": p.get("name") or p["id"],
        "birth_date": date.fromisoformat(p["birth_date"]),
        "sex": p["sex"],
        "gestation_weeks": p.get("gestation_weeks", 40),
        "gestation_days": p.get("gestation_days", 0),
        "onset_date": date.fromisoformat(p["onset_date"]) if p.get("onset_date") else None,
        "etiology_category": e.get("category", "unknown"),
        "etiology_gene": e.get("gene") or "",
        "etiology_detail": e.get("detail") or "",
    }
    items: list[tuple[str, dict[str, Any]]] = []
    for section, kind in record_rows.KIND_OF_SECTION.items():
        found = data.get(section, [])
        if kind == "recorded_day":  # one row a day: the domain has expanded the ranges
            found = [{"date": d.isoformat()} for d in sorted(record.recorded_days)]
        items.extend((kind, item) for item in found)
    items.extend(development_rows.import_items(data))  # issue 25: development as its entries
    items.extend(pathway_rows.section_items(data.get(pathway_rows.SECTION)))  # issue 23
    if len(items) <= IMPORT_BATCH:
        with transaction.atomic():
            patient = create_patient(fields, team, user)
            _import_rows(patient, items, user)
            _touch(patient, whole=True)
        if prepare is not None:
            prepare(patient)
        return patient
    with transaction.atomic():
        patient = create_patient(fields, team, user)
        Patient.objects.filter(pk=patient.pk).update(
            retracted_at=timezone.now(), retraction_reason=IMPORTING
        )
    try:
        for start in range(0, len(items), IMPORT_BATCH):
            if start:
                time.sleep(IMPORT_PAUSE_S)
            with transaction.atomic():
                _import_rows(patient, items[start : start + IMPORT_BATCH], user)
        _touch(patient, whole=True)
        if prepare is not None:
            prepare(patient)
        # shown as it was prepared: showing it is not a change of its clinical data
        Patient.objects.filter(pk=patient.pk).update(retracted_at=None, retraction_reason="")
    except BaseException:
        with transaction.atomic():
            Revision.objects.filter(patient=patient).delete()
            Entry.objects.filter(patient=patient).delete()
            Patient.objects.filter(pk=patient.pk).delete()
        raise
    patient.refresh_from_db()
    return patient


def _import_rows(
    patient: Patient, items: list[tuple[str, dict[str, Any]]], user: User | None
) -> None:
    """Write checked record items and their ``import`` revisions (inside a transaction)."""
    rows = Entry.objects.bulk_create(
        [
            Entry(
                patient=patient,
                kind=kind,
                day=records.item_day(kind, item),
                data=item,
                created_by=user,
                updated_by=user,
            )
            for kind, item in items
        ],
        batch_size=500,
    )
    Revision.objects.bulk_create(
        [
            Revision(
                patient=patient,
                entry=row,
                version=1,
                action="import",
                snapshot=_entry_snapshot(row),
                by=user,
            )
            for row in rows
        ],
        batch_size=500,
    )


@transaction.atomic
def import_fhir(
    patient: Patient, bundle: Any, user: User | None, *, pathway: bool = True
) -> Any:
    """Add the weights, lengths, head circumferences and labs of a FHIR Bundle from an EHR to
    ``patient`` (:func:`spasmcare.interop.fhir_import.import_observations`): the whole merged
    record is checked by the record validator first; nothing is written if any part fails.
    Returns the domain's ImportResult (what was added, what was not imported and why).
    ``pathway``: also add its care-pathway resources (issue 23; the caller decides whether
    the user records them), listed in ``added`` as ``("pathway", {"kind": ..., "item": ...})``."""
    from spasmcare.interop.fhir_import import import_observations

    lock_patient(patient)
    result = import_observations(
        record_rows.record_dict(patient), bundle, today=records.today()
    )
    parts = pathway_store.from_fhir(bundle, result, records.today()) if pathway else []
    for section, item in result.added:
        create_entry(
            patient, record_rows.KIND_OF_SECTION[section], item, user, action="import", check=False
        )
    for kind, item in parts:  # care pathway (issue 23), checked with the merged record
        create_entry(patient, kind, item, user, action="import", check=False)
        result.added.append(("pathway", {"kind": kind, "item": item}))
    if result.added:  # the whole merged record was checked: it is checked as it now stands
        Patient.objects.filter(pk=patient.pk).update(
            checked_version=F("data_version"), checked_with=records.validator_fingerprint()
        )
    return result
