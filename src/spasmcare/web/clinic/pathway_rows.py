"""The record's ``pathway`` section <-> entries (issue 23).

The section (:mod:`spasmcare.record.pathway`) is stored as entries of its own kinds, so each
part keeps its versions, author and retraction like any other item:

- one ``pathway`` entry holds the single-valued parts (referral, first seen, diagnostic EEG,
  MRI, TSC examination, pyridoxine trial, focal onset); when more than one is live, the latest
  (highest id) wins;
- one entry per genetic test, metabolic test, treatment failure and proposal override, in the
  order they were written (by id).

An accepted proposal (``pathway_accept``) is the app's own entry: the record format has no
place for it, so it is not part of the section.

This module only assembles; the record validator (through
:mod:`spasmcare.web.clinic.pathway_store` and :mod:`spasmcare.web.clinic.audit`) checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from spasmcare.web.clinic.models import Entry, Kind

SECTION = "pathway"
#: The single-valued parts of the section, kept in the one ``pathway`` entry.
SINGLE_KEYS: tuple[str, ...] = (
    "referral",
    "first_seen",
    "diagnostic_eeg",
    "mri",
    "tsc_examination",
    "pyridoxine_trial",
    "focal_onset",
)
#: List kind -> the section's list it holds one item of.
LISTS: dict[str, str] = {
    Kind.PATHWAY_GENETIC: "genetic_tests",
    Kind.PATHWAY_METABOLIC: "metabolic_tests",
    Kind.PATHWAY_FAILURE: "treatment_failures",
    Kind.PATHWAY_OVERRIDE: "overrides",
}
KIND_OF_LIST = {name: kind for kind, name in LISTS.items()}
#: The entry kinds that are parts of the record's ``pathway`` section.
KINDS: frozenset[str] = frozenset({Kind.PATHWAY, *LISTS})
_INDEXED = re.compile(r"^pathway\.(?P<name>[a-z_]+)\[(?P<index>\d+)\]")


def _by_id(entries: Iterable[Entry], kind: str) -> list[Entry]:
    return sorted((e for e in entries if e.kind == kind), key=lambda e: e.pk or 0)


def single(entries: Iterable[Entry]) -> Entry | None:
    """The live ``pathway`` entry that wins (the latest), if any."""
    found = _by_id(entries, Kind.PATHWAY)
    return found[-1] if found else None


def section(entries: Iterable[Entry]) -> dict[str, Any]:
    """The ``pathway`` section from the patient's live entries (empty: nothing recorded)."""
    entries = list(entries)
    winner = single(entries)
    out: dict[str, Any] = (
        {k: v for k, v in winner.data.items() if k in SINGLE_KEYS} if winner else {}
    )
    for kind, name in LISTS.items():
        items = [e.data for e in _by_id(entries, kind)]
        if items:
            out[name] = items
    return out


def add_section(out: dict[str, Any], entries: Iterable[Entry]) -> None:
    """Put the ``pathway`` section into the record dict ``out`` when anything is recorded."""
    found = section(entries)
    if found:
        out[SECTION] = found


def section_items(data: dict[str, Any] | None) -> list[tuple[str, dict[str, Any]]]:
    """A ``pathway`` section as (kind, item) entries to store, the single part first."""
    if not data:
        return []
    out: list[tuple[str, dict[str, Any]]] = []
    one = {k: data[k] for k in SINGLE_KEYS if k in data}
    if one:
        out.append((Kind.PATHWAY, one))
    for kind, name in LISTS.items():
        out.extend((kind, dict(item)) for item in data.get(name) or [])
    return out


def _dates(value: Any) -> list[date]:
    """Every ISO date in an item (nested parts included)."""
    if isinstance(value, dict):
        return [d for v in value.values() for d in _dates(v)]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return [date.fromisoformat(value)]
        except ValueError:
            return []
    return []


def item_day(kind: str, data: dict[str, Any]) -> date:
    """The date a pathway item is about, for ordering: its date, else its earliest date, else
    today (a genetic test recorded without dates)."""
    if isinstance(data.get("date"), str):
        found = _dates(data["date"])
        if found:
            return found[0]
    found = _dates(data)
    return min(found) if found else timezone.localdate()


def blame(field: str, entries: list[Entry]) -> Entry | None:
    """The entry an error about ``pathway...`` names (in :func:`section` order), or None."""
    if not field.startswith(SECTION + ".") and field != SECTION:
        return None
    found = _INDEXED.match(field)
    if found is not None and found["name"] in KIND_OF_LIST:
        same = _by_id(entries, KIND_OF_LIST[found["name"]])
        index = int(found["index"])
        return same[index] if index < len(same) else None
    return single(entries)
