"""Rows -> the record format: a patient's entries as a record-format dict.

The lowest layer of reading a record from the database: which entry kind is which record
section, and the patient's details and live entries as a dict in the format of
``docs/RECORD_FORMAT.md``. The reads above it (:mod:`spasmcare.web.clinic.resilience`,
:mod:`spasmcare.web.clinic.incremental`, :mod:`spasmcare.web.clinic.records`) all build on it.
"""

from __future__ import annotations

from typing import Any

from spasmcare.record import FORMAT, SCHEMA_VERSION
from spasmcare.web.clinic import development_rows, pathway_rows
from spasmcare.web.clinic.models import Entry, Kind, Patient

#: Entry kind -> record section.
SECTIONS: dict[str, str] = {
    Kind.DIARY: "diary",
    Kind.RECORDED_DAY: "recorded_days",
    Kind.TREATMENT: "treatments",
    Kind.DIET: "diet_periods",
    Kind.EEG: "eegs",
    Kind.GROWTH: "growth",
    Kind.LAB: "labs",
    Kind.VITALS: "vitals",
    Kind.ADVERSE: "adverse_events",
    Kind.DOSE_GIVEN: "doses_given",
    # development and other seizures (issue 25): dotted sections, nested by development_rows
    **development_rows.SECTIONS,
    Kind.SIDE_EFFECT: "side_effects",  # issue 24
}
KIND_OF_SECTION = {section: kind for kind, section in SECTIONS.items()}
# care pathway (issue 23): kinds that are parts of the one ``pathway`` section (pathway_rows)
#: Every entry kind read into the record (the list sections' and the pathway's).
RECORD_KINDS: frozenset[str] = frozenset(SECTIONS) | pathway_rows.KINDS


def patient_section(p: Patient) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.record_id,
        "name": p.name,
        "birth_date": p.birth_date.isoformat(),
        "sex": p.sex,
        "gestation_weeks": p.gestation_weeks,
        "gestation_days": p.gestation_days,
    }
    if p.onset_date:
        out["onset_date"] = p.onset_date.isoformat()
    return out


def etiology_section(p: Patient) -> dict[str, Any]:
    out: dict[str, Any] = {"category": p.etiology_category}
    if p.etiology_gene:
        out["gene"] = p.etiology_gene
    if p.etiology_detail:
        out["detail"] = p.etiology_detail
    return out


def section_item(kind: str, data: dict[str, Any]) -> Any:
    """The record item of an entry (a recorded day is stored as ``{"date": ...}``)."""
    return data["date"] if kind == Kind.RECORDED_DAY else data


def record_dict(patient: Patient, entries: list[Entry] | None = None) -> dict[str, Any]:
    """The patient's live (not retracted) record entries as a record-format dict."""
    if entries is None:
        entries = list(
            Entry.objects.filter(
                patient=patient, retracted_at__isnull=True, kind__in=list(RECORD_KINDS)
            ).only("kind", "data", "day")
        )
    out: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "patient": patient_section(patient),
        "etiology": etiology_section(patient),
    }
    for e in entries:
        if e.kind in SECTIONS:
            out.setdefault(SECTIONS[e.kind], []).append(section_item(e.kind, e.data))
    pathway_rows.add_section(out, entries)  # care pathway (issue 23)
    return development_rows.nest(out)  # issue 25: development's entries as its one object
