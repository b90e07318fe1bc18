"""Other seizures of the diary (``Record.other_seizures``) as FHIR R4B Observations, and back.

One Observation per seizure, category ``survey`` like the spasm counts: ``code`` the local code
``other-seizure`` of :data:`~spasmcare.interop.fhir.CODE_SYSTEM` (no LOINC code for a seizure
observation was found, interop-and-peers.md §2), ``valueCodeableConcept`` the ILAE 2017 basic
type [1] in the local code system :data:`SEIZURE_TYPE_SYSTEM` (no sourced SNOMED CT code for
each basic type was found) with its label as display; ``effectiveDateTime`` the date, or the
zoned time when the export has a time zone (as every other Observation); the observer as the
``authorString`` of a note, the family's note as a second note. De-identified exports drop the
notes with every other free text (:mod:`spasmcare.interop.deid_fhir`).

:func:`other_seizures_from_observations` reads such Observations back into
``other_seizures[]`` items of the record JSON (the wall-clock time when the Observation has
one), so a record's other seizures round-trip through FHIR; the items then pass the record
validator like any import.

References
----------
1. Fisher RS, et al. Operational classification of seizure types by the ILAE. Epilepsia
   2017;58(4):522-530 (see :mod:`spasmcare.record.seizures`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from spasmcare.errors import InputError
from spasmcare.interop.fhir_codes import CODE_SYSTEM, _concept, _when
from spasmcare.interop.fhir_observations import ObservationBuilder
from spasmcare.record.io import moment_text
from spasmcare.record.seizures import SEIZURE_TYPE_LABELS, SEIZURE_TYPES

#: Local code system of the ILAE 2017 basic seizure types (codes of ``other_seizures[].type``).
SEIZURE_TYPE_SYSTEM = "https://spasmcare.org/fhir/CodeSystem/ilae-2017-seizure-type"
CODE = "other-seizure"
DISPLAY = "Seizure other than epileptic spasms (diary)"
SEEN_BY = "Seen by "


def other_seizure_observations(b: ObservationBuilder) -> list[dict[str, Any]]:
    """The Observations of the record's ``other_seizures``, made by the export's builder."""
    code = _concept(CODE_SYSTEM, CODE, DISPLAY)
    out = []
    for s in b.record.other_seizures:
        notes: list[dict[str, Any]] = []
        if s.observer:
            notes.append({"authorString": s.observer, "text": SEEN_BY + s.observer})
        if s.note:
            notes.append({"text": s.note})
        value: dict[str, Any] = {
            "valueCodeableConcept": _concept(
                SEIZURE_TYPE_SYSTEM, s.type, SEIZURE_TYPE_LABELS[s.type]
            )
        }
        if notes:
            value["note"] = notes
        key = f"other-seizure/{s.at.isoformat()}/{s.type}/{s.observer or ''}"
        out.append(b.observation(key, ("survey", "Survey"), code, _when(s.at, b.options), **value))
    return out


def _is_other_seizure(r: Mapping[str, Any], code_system: str) -> bool:
    codings = (r.get("code") or {}).get("coding") or []
    return r.get("resourceType") == "Observation" and any(
        c.get("system") == code_system and c.get("code") == CODE for c in codings
    )


def other_seizures_from_observations(
    resources: Iterable[Mapping[str, Any]], code_system: str
) -> list[dict[str, Any]]:
    """``other_seizures[]`` record items from the Observations made by
    :func:`other_seizure_observations` (other resources are skipped). A type outside the ILAE
    2017 basic types is refused, naming the resource."""
    items = []
    for r in resources:
        if not _is_other_seizure(r, code_system):
            continue
        codings = [
            c
            for c in (r.get("valueCodeableConcept") or {}).get("coding") or []
            if c.get("system") == SEIZURE_TYPE_SYSTEM
        ]
        kind = str(codings[0].get("code")) if codings else None
        if kind not in SEIZURE_TYPE_LABELS:
            raise InputError(
                f"Observation/{r.get('id')}.valueCodeableConcept",
                kind,
                "an ILAE 2017 basic seizure type: " + ", ".join(SEIZURE_TYPES),
            )
        when = str(r.get("effectiveDateTime"))
        at = datetime.fromisoformat(when).replace(tzinfo=None) if "T" in when else when
        item: dict[str, Any] = {
            "at": moment_text(at) if isinstance(at, datetime) else at,
            "type": kind,
        }
        for note in r.get("note") or []:
            if "authorString" in note:
                item["observer"] = note["authorString"]
            else:
                item["note"] = note.get("text")
        items.append(item)
    return items
