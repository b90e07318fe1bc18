"""Checks of a care-pathway write (issue 23) by the record validator, before anything is written.

A part of the ``pathway`` section is checked inside a minimal record: the patient's details,
their live drug courses, diet periods and adverse events (a treatment failure names a course
and may not precede its start) and the other live parts of the section, with the new item in
place. A course edited or retracted is checked the same way when a failure names it, so no
write leaves the record unreadable. :mod:`spasmcare.web.clinic.audit` calls these.
"""

from __future__ import annotations

from typing import Any

from spasmcare.errors import InputError
from spasmcare.record import FORMAT, SCHEMA_VERSION, record_from_dict
from spasmcare.web.clinic import pathway_rows, record_rows, records
from spasmcare.web.clinic.models import Entry, Kind, Patient

#: The kinds a pathway part is checked with (a failure names a course of the record).
WITH = (Kind.TREATMENT, Kind.DIET, Kind.ADVERSE)


def _doc(patient: Patient, exclude: int | None) -> tuple[dict[str, Any], list[Entry]]:
    rows = Entry.objects.filter(
        patient=patient,
        retracted_at__isnull=True,
        kind__in=[*WITH, *pathway_rows.KINDS],
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    found = list(rows.only("kind", "data").order_by("id"))
    doc: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "patient": record_rows.patient_section(patient),
        "etiology": record_rows.etiology_section(patient),
    }
    for e in found:
        if e.kind in record_rows.SECTIONS:
            doc.setdefault(record_rows.SECTIONS[e.kind], []).append(e.data)
    return doc, [e for e in found if e.kind in pathway_rows.KINDS]


def _with_item(doc: dict[str, Any], parts: list[Entry], kind: str, data: dict[str, Any]) -> None:
    """Put ``data`` (first in its list, or as the single part) into ``doc``."""
    section = pathway_rows.section(parts)
    if kind == Kind.PATHWAY:
        section = {k: v for k, v in section.items() if k not in pathway_rows.SINGLE_KEYS}
        section.update({k: v for k, v in data.items() if k in pathway_rows.SINGLE_KEYS})
    elif kind in pathway_rows.LISTS:
        name = pathway_rows.LISTS[kind]
        section[name] = [data, *section.get(name, [])]
    elif kind in record_rows.SECTIONS:
        name = record_rows.SECTIONS[kind]
        doc[name] = [data, *doc.get(name, [])]
    if section:
        doc[pathway_rows.SECTION] = section


def _has_failures(patient: Patient) -> bool:
    return Entry.objects.filter(
        patient=patient, kind=Kind.PATHWAY_FAILURE, retracted_at__isnull=True
    ).exists()


def check_write(
    patient: Patient, kind: str, data: dict[str, Any], exclude: int | None = None
) -> None:
    """Check a new or edited pathway part (or a drug course a recorded failure names) with the
    record it joins; InputError names the section's field (``pathway.mri.done``)."""
    if kind not in pathway_rows.KINDS and not (kind == Kind.TREATMENT and _has_failures(patient)):
        return
    doc, parts = _doc(patient, exclude)
    _with_item(doc, parts, kind, data)
    record_from_dict(doc, today=records.today())


def check_retract(entry: Entry) -> None:
    """Refuse to retract a drug course a recorded treatment failure names (the failure would
    no longer read); a record that does not read with it either is left to be mended."""
    if entry.kind != Kind.TREATMENT or not _has_failures(entry.patient):
        return
    doc, parts = _doc(entry.patient, entry.pk)
    _with_item(doc, parts, "", {})
    try:
        record_from_dict(doc, today=records.today())
    except InputError as exc:
        whole, _ = _doc(entry.patient, None)
        _with_item(whole, parts, "", {})
        try:
            record_from_dict(whole, today=records.today())
        except InputError:
            return
        raise InputError(
            exc.field,
            exc.value,
            f"{exc.accepted} (a recorded treatment failure names this course: retract the "
            "failure first)",
        ) from None
