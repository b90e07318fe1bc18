"""Entries <-> the record's ``development`` and ``other_seizures`` sections (issue 25).

The record keeps development as one object (``development``: ``at_diagnosis``, a list of
``milestones``, a list of ``assessments``; :mod:`spasmcare.record.development`) and other
seizures as a list (``other_seizures[]``; :mod:`spasmcare.record.seizures`). The clinic app
stores each part as entries, so every milestone, every assessment and every seizure has its
own version, author, history and retraction:

- ``development_baseline``: the development at diagnosis (one live entry a patient), stored in
  an envelope ``{"date": ..., "at_diagnosis": {...}}`` because the record item may carry no
  date (the envelope's date is the item's, else the onset, else the birth date: only for
  ordering the entry);
- ``milestone``: one ``development.milestones[]`` item;
- ``assessment``: one ``development.assessments[]`` item (scores as entered, never derived);
- ``other_seizure``: one ``other_seizures[]`` item.

The kinds are listed in :data:`SECTIONS` under dotted section names; :func:`nest` turns the
dotted keys of a record dict (as :func:`spasmcare.web.clinic.record_rows.record_dict` builds
it) into the record's nested ``development`` object, and :func:`import_items` splits an
imported record's ``development`` into entries. Nothing here checks meaning: the record
validator does (through :mod:`spasmcare.web.clinic.audit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spasmcare.web.clinic.models import Kind

DEVELOPMENT = "development"
BASELINE_SECTION = "development.at_diagnosis"
MILESTONES_SECTION = "development.milestones"
ASSESSMENTS_SECTION = "development.assessments"

#: Entry kind -> (dotted) record section.
SECTIONS: dict[str, str] = {
    Kind.DEVELOPMENT_BASELINE: BASELINE_SECTION,
    Kind.MILESTONE: MILESTONES_SECTION,
    Kind.ASSESSMENT: ASSESSMENTS_SECTION,
    Kind.OTHER_SEIZURE: "other_seizures",
}
#: Top-level record keys these entries store (a JSON import keeps them).
STORED: frozenset[str] = frozenset({DEVELOPMENT, "other_seizures"})


def baseline_envelope(item: Mapping[str, Any], fallback_day: str) -> dict[str, Any]:
    """The stored data of a development-at-diagnosis entry: the record item and the date the
    entry is filed under (the item's own date, else ``fallback_day``, ISO)."""
    return {"date": item.get("date") or fallback_day, "at_diagnosis": dict(item)}


def baseline_item(data: Mapping[str, Any]) -> dict[str, Any]:
    """The record item of a stored development-at-diagnosis entry."""
    item = data.get("at_diagnosis")
    return dict(item) if isinstance(item, Mapping) else {}


def nest(out: dict[str, Any]) -> dict[str, Any]:
    """Replace the dotted ``development.*`` keys of a record dict by the record's nested
    ``development`` object (in place; returned). The first development-at-diagnosis entry
    counts (the app keeps one live)."""
    baseline = out.pop(BASELINE_SECTION, None)
    milestones = out.pop(MILESTONES_SECTION, None)
    assessments = out.pop(ASSESSMENTS_SECTION, None)
    development: dict[str, Any] = {}
    if baseline:
        development["at_diagnosis"] = baseline_item(baseline[0])
    if milestones:
        development["milestones"] = milestones
    if assessments:
        development["assessments"] = assessments
    if development:
        out[DEVELOPMENT] = development
    return out


def import_items(data: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """An imported record's ``development`` as (kind, stored data) pairs (``other_seizures``
    is a plain list section, imported with the others)."""
    dev = data.get(DEVELOPMENT) or {}
    items: list[tuple[str, dict[str, Any]]] = []
    at = dev.get("at_diagnosis")
    if at:
        patient = data.get("patient") or {}
        day = patient.get("onset_date") or patient.get("birth_date") or ""
        items.append((Kind.DEVELOPMENT_BASELINE, baseline_envelope(at, day)))
    items.extend((Kind.MILESTONE, dict(m)) for m in dev.get("milestones", []))
    items.extend((Kind.ASSESSMENT, dict(a)) for a in dev.get("assessments", []))
    return items
