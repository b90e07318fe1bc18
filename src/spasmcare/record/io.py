"""Import and export of one patient record (JSON format, schema version 1).

Import is all-or-nothing: the whole document is checked against the JSON Schema, then every
entry is checked for meaning (dates in the future, a stop before its start, a single spasm
with a count other than 1, unknown units, references to unknown treatments, a Kramer total
that is not the sum of its items, an impossible weight for age, a diastolic pressure not below
the systolic) before a :class:`Record` is returned. The first problem raises
:class:`~spasmcare.errors.InputError` naming the entry and field, e.g. ``diary[3].spasms``.
Functions take and return ``dict``/``str`` so a web app can reuse them.

The JSON Schema check and ``json`` parsing live in :mod:`spasmcare.record.document`, the
writer of each section in :mod:`spasmcare.record.writers`; ``_SECTIONS`` lists the sections
in document order with their reader and writer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from spasmcare.errors import InputError
from spasmcare.growth import check_weight_for_age, corrected_age_years
from spasmcare.record import plausibility
from spasmcare.record.development import Development, development_to_dict, read_development
from spasmcare.record.document import MAX_DOCUMENT_CHARS as MAX_DOCUMENT_CHARS
from spasmcare.record.document import load_schema as load_schema
from spasmcare.record.document import parse_json, validate_record_dict
from spasmcare.record.model import (
    KRAMER_ITEMS,
    AdverseEvent,
    DiaryEntry,
    DietPeriod,
    Dose,
    DoseGiven,
    Eeg,
    Etiology,
    GrowthMeasurement,
    Kramer,
    LabResult,
    Patient,
    RatioReading,
    Record,
    Sex,
    Treatment,
    VitalSign,
    kramer_item_sum,
)
from spasmcare.record.pathway_io import pathway_from_dict, pathway_to_dict
from spasmcare.record.seizures import other_seizure_items, read_other_seizures
from spasmcare.record.side_effects import read_side_effects, write_side_effects
from spasmcare.record.units import to_si
from spasmcare.record.writers import (
    adverse_event_items,
    day_ranges,
    diary_items,
    diet_items,
    dose_given_items,
    drop_none,
    eeg_items,
    growth_items,
    lab_items,
    moment_text,
    treatment_items,
    vital_items,
)

FORMAT = "spasmcare-record"
SCHEMA_VERSION = 1
#: How far after today a treatment's planned stop or dose change may lie: a saved course keeps
#: its whole plan (taper and stop). A software limit (bundled plans run at most about 4 months;
#: two years leaves room for a clinic's long vigabatrin course), not a clinical figure.
PLANNED_AHEAD = timedelta(days=730)


class _Reader:
    """Parse the schema-valid document, checking meaning; ``today`` bounds every date."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.birth = date.min

    def day(
        self, text: str, field: str, *, not_before_birth: bool = True, planned: bool = False
    ) -> date:
        """A date of the record, on or before today; ``planned``: a date a plan sets ahead
        (a treatment's stop, a dose change), which may be after today."""
        try:
            value = date.fromisoformat(text)
        except ValueError as exc:
            raise InputError(field, text, "a real calendar date YYYY-MM-DD") from exc
        if planned and value > self.today:  # after today, so after the birth date too
            if value > self.today + PLANNED_AHEAD:
                raise InputError(
                    field,
                    text,
                    f"a planned date within {PLANNED_AHEAD.days} days of today "
                    f"({self.today.isoformat()})",
                )
            return value
        self._bounds(value, text, field, not_before_birth)
        return value

    def moment(self, text: str, field: str) -> datetime:
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            raise InputError(field, text, "a real date or date-time YYYY-MM-DDTHH:MM") from exc
        self._bounds(value.date(), text, field, True)
        return value

    def _bounds(self, value: date, text: str, field: str, not_before_birth: bool) -> None:
        if value > self.today:
            raise InputError(field, text, f"a date on or before today ({self.today.isoformat()})")
        if not_before_birth and value < self.birth:
            raise InputError(
                field, text, f"a date on or after the birth date ({self.birth.isoformat()})"
            )


def _period(
    reader: _Reader,
    x: dict[str, Any],
    field: str,
    ids: list[str],
    one: str,
    planned_stop: bool = False,
) -> tuple[date, date | None]:
    """Check that the id of entry ``x`` is unique (``one``: "one treatment", ...), parse its
    start and stop and check the stop is not before the start; return (start, stop)."""
    if ids.count(x["id"]) > 1:
        raise InputError(f"{field}.id", x["id"], f"an id used by {one} only")
    start = reader.day(x["start"], f"{field}.start")
    stop = (
        reader.day(x["stop"], f"{field}.stop", planned=planned_stop) if "stop" in x else None
    )
    if stop is not None and stop < start:
        raise InputError(
            f"{field}.stop",
            x.get("stop"),
            f"a stop date on or after the start ({start.isoformat()})",
        )
    return start, stop


def _within(
    reader: _Reader,
    text: str,
    field: str,
    start: date,
    stop: date | None,
    accepted: str,
    planned: bool = False,
) -> date:
    """Parse the date ``text`` and check it lies from ``start`` to ``stop`` (open when None)."""
    day = reader.day(text, field, planned=planned)
    if day < start or (stop is not None and day > stop):
        raise InputError(field, text, accepted)
    return day


def _expand_days(reader: _Reader, items: list[Any]) -> frozenset[date]:
    days: set[date] = set()
    for i, item in enumerate(items):
        if isinstance(item, str):
            days.add(reader.day(item, f"recorded_days[{i}]"))
            continue
        first = reader.day(item["from"], f"recorded_days[{i}].from")
        last = reader.day(item["to"], f"recorded_days[{i}].to")
        if last < first:
            raise InputError(
                f"recorded_days[{i}].to",
                item["to"],
                f"a date on or after 'from' ({first.isoformat()})",
            )
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return frozenset(days)


def _kramer(data: dict[str, Any], field: str) -> Kramer:
    items = {k: int(v) for k, v in data.get("items", {}).items()}
    total = data.get("total")
    if len(items) == len(KRAMER_ITEMS):
        item_sum = kramer_item_sum(items, f"{field}.items")
        if total is None:
            total = item_sum
        elif total != item_sum:
            raise InputError(
                f"{field}.total", total, f"the sum of the five item scores ({item_sum}) or no total"
            )
    return Kramer(items=items, total=total, variants=dict(data.get("variants", {})))


def record_from_dict(
    data: Any, today: date | None = None, *, items_schema_checked: bool = False
) -> Record:
    """Build a :class:`Record` from a parsed JSON document, all-or-nothing.

    Parameters
    ----------
    data : Any
        The parsed JSON document (``json.loads`` output).
    today : date, optional
        The latest acceptable date (default: the system date). Pass it for reproducible checks.
    items_schema_checked : bool
        Every item of the document has already passed the JSON Schema (it was stored through
        this function): only the ``patient`` and ``etiology`` sections are checked against the
        schema again; the checks of meaning all run. Use :func:`record_from_stored`, which
        falls back to the full check if the stored items turn out not to read.

    Raises
    ------
    InputError
        The first problem found, naming the entry and field (``diary[3].spasms``).
    """
    plausibility.check_document(data)
    return _read_document(data, today, items_schema_checked)


def _read_document(data: Any, today: date | None, items_schema_checked: bool) -> Record:
    """:func:`record_from_dict` after :func:`plausibility.check_document` has passed."""
    if items_schema_checked:
        validate_record_dict({k: data[k] for k in _HEADER if k in data})
    else:
        validate_record_dict(data)
    reader = _Reader(today or date.today())
    p = data["patient"]
    birth = reader.day(p["birth_date"], "patient.birth_date", not_before_birth=False)
    plausibility.check_birth_date(birth, reader.today, "patient.birth_date")
    reader.birth = birth
    name = p.get("name")
    if name is not None and len(name) > plausibility.MAX_NAME_CHARS:
        raise InputError(
            "patient.name",
            name[:40] + "...",
            f"a name of at most {plausibility.MAX_NAME_CHARS} characters",
        )
    patient = Patient(
        id=p["id"],
        birth_date=birth,
        sex=cast(Sex, p["sex"]),
        gestation_weeks=p.get("gestation_weeks", 40),
        gestation_days=p.get("gestation_days", 0),
        onset_date=reader.day(p["onset_date"], "patient.onset_date") if "onset_date" in p else None,
        name=p.get("name"),
    )
    e = data.get("etiology", {"category": "unknown"})
    etiology = Etiology(category=e["category"], gene=e.get("gene"), detail=e.get("detail"))
    if etiology.gene and etiology.category not in ("genetic", "tsc"):
        raise InputError("etiology.gene", etiology.gene, "a gene only with category genetic or tsc")

    read: dict[str, Any] = {"patient": patient, "etiology": etiology}
    for section in _SECTIONS:  # in order: a section may use those read before it
        read[section.key] = section.read(reader, data.get(section.key, section.absent), read)
    return Record(schema_version=SCHEMA_VERSION, **read)


#: The sections of a record that are not lists of items (checked on every read).
_HEADER = ("format", "schema_version", "patient", "etiology", "pathway", "development")


def record_from_stored(data: Any, today: date | None = None) -> Record:
    """Read a record assembled from stored items, each checked by :func:`record_from_dict`
    when it was written: validate once, at the boundary.

    The JSON Schema check of the items (about 95 % of the cost of reading a 2-year record) is
    not repeated on every read; the patient header and all checks of meaning are. If the
    stored items do not read (edited outside the validator), the full check runs, so the
    error raised names the field exactly as an import of the same document would.
    """
    try:
        return record_from_dict(data, today, items_schema_checked=True)
    except (InputError, KeyError, TypeError, ValueError, AttributeError, IndexError):
        return record_from_dict(data, today)


def diary_key(x: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two diary items the same observation: time, count and observer."""
    return (str(x.get("at")), x.get("spasms"), (x.get("observer") or "").strip().lower())


def _diary(reader: _Reader, items: list[dict[str, Any]]) -> Iterator[DiaryEntry]:
    seen: dict[tuple[Any, ...], int] = {}
    for i, x in enumerate(items):
        first = seen.setdefault(diary_key(x), i)
        if first != i:
            raise InputError(
                f"diary[{i}]",
                f"{x['at']}, {x['spasms']} spasms",
                f"an observation not already in the diary (diary[{first}] has the same time, "
                "count and observer)",
            )
        if x["kind"] == "single" and x["spasms"] != 1:
            raise InputError(
                f"diary[{i}].spasms",
                x["spasms"],
                "1 for a single spasm (use kind 'cluster' for more)",
            )
        plausibility.check_range(plausibility.SPASMS_PER_CLUSTER, x["spasms"], f"diary[{i}].spasms")
        yield DiaryEntry(
            at=reader.moment(x["at"], f"diary[{i}].at"),
            kind=x["kind"],
            spasms=x["spasms"],
            duration_min=x.get("duration_min"),
            observer=x.get("observer"),
            video=x.get("video"),
            note=x.get("note"),
        )


def _check_daily_spasms(diary: tuple[DiaryEntry, ...]) -> None:
    """Refuse a day whose entries add up beyond the daily range (plausibility)."""
    totals: dict[date, int] = {}
    for i, e in enumerate(diary):
        totals[e.day] = totals.get(e.day, 0) + e.spasms
        rng = plausibility.SPASMS_PER_DAY
        if totals[e.day] > rng.hard[1]:
            raise InputError(
                f"diary[{i}].spasms",
                e.spasms,
                f"{rng.words()} (the entries of {e.day.isoformat()} add up to {totals[e.day]})",
            )


def _read_diary(reader: _Reader, items: list[dict[str, Any]]) -> tuple[DiaryEntry, ...]:
    diary = tuple(_diary(reader, items))
    _check_daily_spasms(diary)
    return diary


def _eegs(reader: _Reader, items: list[dict[str, Any]]) -> Iterator[Eeg]:
    for i, x in enumerate(items):
        yield Eeg(
            day=reader.day(x["date"], f"eegs[{i}].date"),
            hypsarrhythmia=x.get("hypsarrhythmia"),
            kramer=_kramer(x["kramer"], f"eegs[{i}].kramer") if "kramer" in x else None,
            based_grade=x.get("based_grade"),
            report=x.get("report"),
        )


def _adverse_events(
    reader: _Reader, items: list[dict[str, Any]], treatments: tuple[Treatment, ...]
) -> Iterator[AdverseEvent]:
    ids = {t.id for t in treatments}
    for i, x in enumerate(items):
        if "treatment" in x and x["treatment"] not in ids:
            raise InputError(
                f"adverse_events[{i}].treatment",
                x["treatment"],
                "the id of a treatment in this record: " + ", ".join(sorted(ids)),
            )
        yield AdverseEvent(
            day=reader.day(x["date"], f"adverse_events[{i}].date"),
            type=x["type"],
            grade=x.get("grade"),
            treatment=x.get("treatment"),
            note=x.get("note"),
        )


def _read_development(reader: _Reader, data: dict[str, Any] | None) -> Development | None:
    development = read_development(reader, data) if data is not None else None
    if development is not None and not development_to_dict(development):
        return None  # an empty section reads as none, as it exports
    return development


def _treatments(reader: _Reader, items: list[dict[str, Any]]) -> Iterator[Treatment]:
    ids = [x["id"] for x in items]
    for i, x in enumerate(items):
        field = f"treatments[{i}]"
        # a saved course keeps its whole plan: the planned stop and dose changes may be ahead
        start, stop = _period(reader, x, field, ids, "one treatment", planned_stop=True)
        cont = x.get("continues")
        if cont is not None and (cont not in ids or cont == x["id"]):
            raise InputError(
                f"{field}.continues", cont, "the id of another treatment in this record"
            )
        doses = []
        for j, d in enumerate(x.get("doses", [])):
            dose_start = _within(
                reader,
                d["start"],
                f"{field}.doses[{j}].start",
                start,
                stop,
                "a date within the treatment's start and stop",
                planned=True,
            )
            rng = plausibility.DOSE_RANGES.get(d["unit"])
            if rng is not None:
                plausibility.check_range(rng, d["amount"], f"{field}.doses[{j}].amount")
            doses.append(Dose(dose_start, float(d["amount"]), d["unit"], d.get("note")))
        yield Treatment(
            id=x["id"],
            drug=x["drug"],
            start=start,
            stop=stop,
            protocol=x.get("protocol"),
            continues=cont,
            doses=tuple(sorted(doses, key=lambda d: d.start)),
            note=x.get("note"),
        )


def _diets(reader: _Reader, items: list[dict[str, Any]]) -> Iterator[DietPeriod]:
    ids = [x["id"] for x in items]
    for i, x in enumerate(items):
        field = f"diet_periods[{i}]"
        start, stop = _period(reader, x, field, ids, "one diet period")
        readings = []
        for j, r in enumerate(x.get("achieved", [])):
            day = _within(
                reader,
                r["date"],
                f"{field}.achieved[{j}].date",
                start,
                stop,
                "a date within the diet period",
            )
            readings.append(RatioReading(day, float(r["ratio"])))
        yield DietPeriod(
            id=x["id"],
            diet=x["diet"],
            start=start,
            stop=stop,
            prescribed_ratio=x.get("prescribed_ratio"),
            achieved=tuple(sorted(readings, key=lambda r: r.day)),
            note=x.get("note"),
        )


def _growth(
    reader: _Reader, patient: Patient, items: list[dict[str, Any]]
) -> Iterator[GrowthMeasurement]:
    for i, x in enumerate(items):
        day = reader.day(x["date"], f"growth[{i}].date")
        weight = x.get("weight_kg")
        age = corrected_age_years(
            patient.birth_date, day, patient.gestation_weeks, patient.gestation_days
        )
        for name in ("length_cm", "head_circumference_cm"):
            if x.get(name) is not None:
                plausibility.growth_limits(name, x[name], age, patient.sex, f"growth[{i}].{name}")
        if weight is not None:
            rng = plausibility.GROWTH_RANGES["weight_kg"]
            plausibility.check_range(rng, weight, f"growth[{i}].weight_kg")
        if weight is not None and age is not None:
            try:
                check_weight_for_age(weight, age * 12.0, patient.sex, f"growth[{i}].weight_kg")
            except InputError as exc:
                if exc.field == "age":
                    raise InputError(
                        f"growth[{i}].date",
                        x["date"],
                        "a date at an age covered by the WHO reference",
                    ) from exc
                raise
        yield GrowthMeasurement(
            day=day,
            weight_kg=weight,
            length_cm=x.get("length_cm"),
            head_circumference_cm=x.get("head_circumference_cm"),
        )


def _labs(reader: _Reader, items: list[dict[str, Any]]) -> Iterator[LabResult]:
    for i, x in enumerate(items):
        field = f"labs[{i}]"
        at = reader.moment(x["at"], f"{field}.at")
        if x["analyte"] == "other" and not x.get("name"):
            raise InputError(f"{field}.name", None, "the test name for analyte 'other'")
        value_si, unit_si = to_si(x["analyte"], float(x["value"]), x["unit"], field)
        rng = plausibility.LAB_RANGES_SI.get(x["analyte"], plausibility.OTHER_LAB)
        low, high = rng.hard
        if not low <= value_si <= high or 0 < abs(value_si) < plausibility.MIN_NORMAL:
            shown = f"{x['value']} {x['unit']}"
            raise InputError(f"{field}.value", shown, rng.words())
        yield LabResult(
            at=at,
            analyte=x["analyte"],
            value=float(x["value"]),
            unit=x["unit"],
            value_si=value_si,
            unit_si=unit_si,
            name=x.get("name"),
            sample=x.get("sample"),
        )


def _vitals(reader: _Reader, items: list[dict[str, Any]]) -> Iterator[VitalSign]:
    """Blood-pressure readings; the schema holds the input-sanity bounds, this checks that the
    diastolic pressure is below the systolic (by definition it is the lower of the two)."""
    for i, x in enumerate(items):
        field = f"vitals[{i}]"
        at = reader.moment(x["at"], f"{field}.at")
        systolic, diastolic = float(x["systolic_mmhg"]), float(x["diastolic_mmhg"])
        if diastolic >= systolic:
            raise InputError(
                f"{field}.diastolic_mmhg",
                x["diastolic_mmhg"],
                f"a diastolic pressure below the systolic ({x['systolic_mmhg']} mmHg)",
            )
        rate = x.get("heart_rate_bpm")
        yield VitalSign(
            at=at,
            systolic_mmhg=systolic,
            diastolic_mmhg=diastolic,
            heart_rate_bpm=float(rate) if rate is not None else None,
            note=x.get("note"),
        )


def dose_given_key(x: dict[str, Any]) -> tuple[str, str, str]:
    """What makes two ``doses_given`` items the same dose: date, schedule time and treatment."""
    return (str(x.get("date")), str(x.get("time") or ""), str(x.get("treatment")))


def _doses_given(
    reader: _Reader, items: list[dict[str, Any]], treatments: tuple[Treatment, ...]
) -> Iterator[DoseGiven]:
    """Doses ticked as given: each names a treatment of the record (and, when it names the
    drug, that treatment's drug), on a day the treatment runs; one tick per dose."""
    by_id = {t.id: t for t in treatments}
    seen: dict[tuple[str, str, str], int] = {}
    for i, x in enumerate(items):
        field = f"doses_given[{i}]"
        treatment = by_id.get(x["treatment"])
        if treatment is None:
            raise InputError(
                f"{field}.treatment",
                x["treatment"],
                "the id of a treatment in this record"
                + (": " + ", ".join(sorted(by_id)) if by_id else " (it has none)"),
            )
        day = _within(
            reader,
            x["date"],
            f"{field}.date",
            treatment.start,
            treatment.stop,
            f"a date within treatment {treatment.id}'s start and stop",
        )
        drug = x.get("drug")
        if drug is not None and drug.strip().lower() != treatment.drug.strip().lower():
            raise InputError(
                f"{field}.drug", drug, f"the drug of treatment {treatment.id} ({treatment.drug})"
            )
        first = seen.setdefault(dose_given_key(x), i)
        if first != i:
            when = f"{x['date']} {x.get('time') or ''}".strip()
            raise InputError(
                field,
                f"{treatment.id} {when}",
                f"a dose not already ticked (doses_given[{first}] is the same dose: same date, "
                "time and treatment)",
            )
        yield DoseGiven(
            day=day,
            treatment=treatment.id,
            given=bool(x["given"]),
            time=x.get("time"),
            drug=drug,
            dose=x.get("dose"),
            note=x.get("note"),
        )


def record_from_json(text: str, today: date | None = None) -> Record:
    """Parse a JSON document (``str``) into a :class:`Record`; see :func:`record_from_dict`
    (:func:`parse_json` has checked the document's values: not walked twice)."""
    return _read_document(parse_json(text), today, items_schema_checked=False)


@dataclass(frozen=True)
class _Section:
    """One section of the record document after ``patient`` and ``etiology``: its key (also
    the :class:`Record` field), how it is read and written, and what an absent one reads as.

    ``read(reader, section, read_so_far)`` checks and builds the field (``read_so_far`` maps
    the fields read before it: a section may refer to earlier ones); ``write(field)`` gives
    the JSON value. ``always``: written even when empty (the sections of the first release);
    the others are left out when empty, so older records export as before.
    """

    key: str
    read: Callable[[_Reader, Any, Mapping[str, Any]], Any]
    write: Callable[[Any], Any]
    always: bool = False
    absent: Any = ()


#: The sections in document order (the schema's order), read and written in this order.
_SECTIONS: tuple[_Section, ...] = (
    _Section("diary", lambda r, x, _: _read_diary(r, x), diary_items, always=True),
    _Section("recorded_days", lambda r, x, _: _expand_days(r, x), day_ranges, always=True),
    _Section(
        "treatments", lambda r, x, _: tuple(_treatments(r, x)), treatment_items, always=True
    ),
    _Section("diet_periods", lambda r, x, _: tuple(_diets(r, x)), diet_items, always=True),
    _Section("eegs", lambda r, x, _: tuple(_eegs(r, x)), eeg_items, always=True),
    _Section(
        "growth",
        lambda r, x, done: tuple(_growth(r, done["patient"], x)),
        growth_items,
        always=True,
    ),
    _Section("labs", lambda r, x, _: tuple(_labs(r, x)), lab_items, always=True),
    _Section("vitals", lambda r, x, _: tuple(_vitals(r, x)), vital_items),
    _Section(
        "adverse_events",
        lambda r, x, done: tuple(_adverse_events(r, x, done["treatments"])),
        adverse_event_items,
        always=True,
    ),
    _Section(
        "doses_given",
        lambda r, x, done: tuple(_doses_given(r, x, done["treatments"])),
        dose_given_items,
    ),
    # care pathway (issue 23), spasmcare.record.pathway_io
    _Section(
        "pathway",
        lambda r, x, done: pathway_from_dict(
            r.day, x, {t.id: t.start for t in done["treatments"]}
        ),
        lambda p: None if p.empty else pathway_to_dict(p),
        absent=None,
    ),
    # development (issue 25), spasmcare.record.development
    _Section(
        "development",
        lambda r, x, _: _read_development(r, x),
        lambda d: development_to_dict(d) if d is not None else None,
        absent=None,
    ),
    # other seizures (issue 23 item 6), spasmcare.record.seizures
    _Section(
        "other_seizures",
        lambda r, x, _: tuple(read_other_seizures(x, r.moment)),
        lambda items: other_seizure_items(items, moment_text),
    ),
    # side effects of the diet (issue 24), spasmcare.record.side_effects
    _Section(
        "side_effects",
        lambda r, x, done: tuple(
            read_side_effects(x, r.day, {d.id for d in done["diet_periods"]})
        ),
        write_side_effects,
    ),
)


def record_to_dict(record: Record) -> dict[str, Any]:
    """The record as a JSON-ready ``dict`` in format version 1 (lab values as entered).

    The sections added after the first release (``vitals``, ``doses_given``, ``pathway``,
    ``development``, ``other_seizures``, ``side_effects``) are written only when the record
    has something in them, so a record without them is exported exactly as before the
    sections were added (and stays readable by older versions).
    """
    p = record.patient
    out: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "patient": drop_none(
            {
                "id": p.id,
                "name": p.name,
                "birth_date": p.birth_date.isoformat(),
                "sex": p.sex,
                "gestation_weeks": p.gestation_weeks,
                "gestation_days": p.gestation_days,
                "onset_date": p.onset_date.isoformat() if p.onset_date else None,
            }
        ),
        "etiology": drop_none(
            {
                "category": record.etiology.category,
                "gene": record.etiology.gene,
                "detail": record.etiology.detail,
            }
        ),
    }
    for section in _SECTIONS:
        value = section.write(getattr(record, section.key))
        if section.always or value:
            out[section.key] = value
    return out


def record_to_json(record: Record) -> str:
    """The record as a JSON document (``str``), format version 1."""
    return json.dumps(record_to_dict(record), indent=2, ensure_ascii=False) + "\n"
