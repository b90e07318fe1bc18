"""Other seizures in the diary: seizures that are not epileptic spasms, by ILAE 2017 basic type.

A family (or the team) notes "another kind of seizure" with its date-time and one of the basic
seizure types of the ILAE 2017 operational classification [1]: ``focal``, ``tonic``,
``tonic-clonic``, ``myoclonic``, ``atonic``, ``absence`` or ``unknown`` (a seizure whose type
could not be told). They are kept apart from the spasm diary (``diary[]``), so every spasm
measure counts spasms only; :mod:`spasmcare.measures.other_seizures` reads them.

The section (``other_seizures[]`` in the record JSON) is optional and additive: every record
without it reads as before and is written without the key.

References
----------
1. Fisher RS, Cross JH, French JA, et al. Operational classification of seizure types by the
   International League Against Epilepsy: Position Paper of the ILAE Commission for
   Classification and Terminology. Epilepsia 2017;58(4):522-530 (doi 10.1111/epi.13670): focal,
   generalized and unknown onset; atonic, clonic, epileptic spasms, myoclonic and tonic seizures
   can be of either focal or generalized onset; absence is a generalized non-motor type;
   "focal to bilateral tonic-clonic" replaces "secondarily generalized"; seizures of unknown
   onset may still be classified by their features (docslib.org copy of the paper, summary).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from spasmcare.errors import InputError

#: The basic seizure types a diary offers besides spasms (ILAE 2017 [1]), code -> label.
SEIZURE_TYPE_LABELS: dict[str, str] = {
    "focal": "focal seizure",
    "tonic": "tonic seizure",
    "tonic-clonic": "tonic–clonic seizure",
    "myoclonic": "myoclonic seizure",
    "atonic": "atonic seizure",
    "absence": "absence seizure",
    "unknown": "seizure of unknown type",
}
SEIZURE_TYPES: tuple[str, ...] = tuple(SEIZURE_TYPE_LABELS)
# The record JSON Schema lists the same codes; tests/record checks that they agree.


@dataclass(frozen=True)
class OtherSeizure:
    """One seizure that was not an epileptic spasm, with its ILAE 2017 basic type [1]."""

    at: datetime
    type: str
    observer: str | None = None
    note: str | None = None

    @property
    def day(self) -> date:
        return self.at.date()

    @property
    def label(self) -> str:
        return SEIZURE_TYPE_LABELS[self.type]


def read_other_seizures(
    items: Iterable[dict[str, Any]], moment: Callable[[str, str], datetime]
) -> Iterator[OtherSeizure]:
    """The ``other_seizures[]`` items of a schema-valid record document as entries.

    ``moment(text, field)`` parses a date-time and checks it lies between birth and today (the
    record reader's). The same time, type and observer twice is refused, naming the entry.
    """
    seen: dict[tuple[str, str, str], int] = {}
    for i, x in enumerate(items):
        where = f"other_seizures[{i}]"
        if x["type"] not in SEIZURE_TYPE_LABELS:  # the schema refuses it too
            raise InputError(f"{where}.type", x["type"], "one of " + ", ".join(SEIZURE_TYPES))
        key = (str(x["at"]), str(x["type"]), (x.get("observer") or "").strip().lower())
        first = seen.setdefault(key, i)
        if first != i:
            raise InputError(
                where,
                f"{x['at']}, {x['type']}",
                f"a seizure not already in the diary (other_seizures[{first}] has the same "
                "time, type and observer)",
            )
        yield OtherSeizure(
            at=moment(str(x["at"]), f"{where}.at"),
            type=str(x["type"]),
            observer=x.get("observer"),
            note=x.get("note"),
        )


def other_seizure_items(
    seizures: Iterable[OtherSeizure], moment_text: Callable[[datetime], str]
) -> list[dict[str, Any]]:
    """The entries as ``other_seizures[]`` items of the record JSON (``None`` values left out)."""
    out = []
    for s in seizures:
        item: dict[str, Any] = {"at": moment_text(s.at), "type": s.type}
        if s.observer is not None:
            item["observer"] = s.observer
        if s.note is not None:
            item["note"] = s.note
        out.append(item)
    return out
