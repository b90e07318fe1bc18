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


# --- FHIR import (the resources spasmcare.interop.fhir_pathway writes and reads) -------------


def _is_pathway(resource: Any) -> bool:
    from spasmcare.interop.fhir_codes import CODE_SYSTEM
    from spasmcare.interop.fhir_pathway import CODES

    if not isinstance(resource, dict) or not isinstance(resource.get("code"), dict):
        return False
    codings = resource["code"].get("coding") or []
    return any(
        isinstance(c, dict) and c.get("system") == CODE_SYSTEM and c.get("code") in CODES
        for c in codings
    )


def _new_parts(current: dict[str, Any], imported: dict[str, Any]) -> list[tuple[str, Any]]:
    """The imported parts the record does not hold yet: the single part's missing keys (what
    the clinic recorded is kept), list items not already there (a course's failure only when
    none is recorded for it)."""
    out: list[tuple[str, Any]] = []
    missing = {
        k: v
        for k, v in imported.items()
        if k in pathway_rows.SINGLE_KEYS and k not in current
    }
    if missing:
        single = {k: v for k, v in current.items() if k in pathway_rows.SINGLE_KEYS}
        out.append((Kind.PATHWAY, single | missing))
    failed = {f.get("treatment") for f in current.get("treatment_failures", [])}
    for kind, name in pathway_rows.LISTS.items():
        have = current.get(name, [])
        for item in imported.get(name, []):
            if item in have or (kind == Kind.PATHWAY_FAILURE and item["treatment"] in failed):
                continue
            out.append((kind, item))
    return out


def from_fhir(bundle: Any, result: Any, today: Any) -> list[tuple[str, dict[str, Any]]]:
    """The care-pathway parts of a FHIR Bundle to add to the record ``result.record_dict``
    (the domain import's merged record), checked with it by the record validator (InputError
    naming the field, nothing written); the pathway resources leave ``result.not_imported``.
    Parts already in the record are not added again."""
    from spasmcare.interop.fhir_pathway import pathway_from_resources
    from spasmcare.record.pathway_io import pathway_to_dict

    entries = bundle.get("entry") if isinstance(bundle, dict) else None
    ours: dict[str, dict[str, Any]] = {}
    for i, e in enumerate(entries if isinstance(entries, list) else []):
        resource = e.get("resource") if isinstance(e, dict) else None
        if isinstance(resource, dict) and _is_pathway(resource):
            ours[f"entry[{i}]"] = resource
    if not ours:
        return []
    found = set(ours)
    imported = pathway_to_dict(pathway_from_resources(list(ours.values())))
    current = result.record_dict.get(pathway_rows.SECTION, {})
    parts = _new_parts(current, imported)
    if parts:
        doc = dict(result.record_dict)
        section = dict(current)
        for kind, item in parts:
            if kind == Kind.PATHWAY:
                section.update(item)
            else:
                name = pathway_rows.LISTS[kind]
                section[name] = [*section.get(name, []), item]
        doc[pathway_rows.SECTION] = section
        record_from_dict(doc, today=today)
    result.not_imported[:] = [n for n in result.not_imported if n.get("entry") not in found]
    return parts


def part_words(kind: str, item: dict[str, Any]) -> str:
    """A pathway part in words for a page (codes by their labels, dates as "7 Dec 2026")."""
    from spasmcare.plain import words
    from spasmcare.record.pathway import PATHWAY_LABELS

    def text(value: Any) -> str:
        if isinstance(value, dict):
            return ", ".join(f"{k.replace('_', ' ')} {text(v)}" for k, v in value.items())
        if isinstance(value, bool):
            return "yes" if value else "no"
        return words(PATHWAY_LABELS.get(str(value), str(value)))

    return "; ".join(f"{k.replace('_', ' ')}: {text(v)}" for k, v in item.items())
