"""Which drug-course protocols are offered to a patient, from what the record says.

A second-line course is offered after a recorded treatment failure [1]: the first-line protocols
(hormonal, vigabatrin, combined) are always offered; the protocols of kind ``second-line``
(valproate, topiramate, zonisamide, levetiracetam by age band, pyridoxine, pyridoxal phosphate)
are offered once the record holds the date a treatment was judged to have failed. This is
advice for the neurologist, who chooses; nothing is prescribed from it.

The function is pure: it takes the record's treatment-failure days (``failed_on``, one per
failed treatment; :func:`failure_days` reads them from the record's care-pathway dates) and the
protocols, and returns the offer with its reason in words.

References
----------
1. Issue 23, item 5 ("The planner offers them after a recorded failure"); the seeds name valproate,
   topiramate, zonisamide, levetiracetam and pyridoxine as second-line drugs (shared reference
   ``care-pathway.md``, section 2). Mytinger 2019 (PMC9078213): after failure of the first
   treatment the next started within 14 days in only 21 % (care-pathway.md, FIRM).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from spasmcare.plain import day_text
from spasmcare.therapy.protocol import Protocol

#: The protocol kind of a second-line course (therapy/protocol.schema.json).
SECOND_LINE = "second-line"


@dataclass(frozen=True)
class Offer:
    """The protocols offered: first line always, second line after a recorded failure."""

    first_line: tuple[str, ...]
    second_line: tuple[str, ...]
    failed: tuple[tuple[str, date], ...]  # (treatment id, day judged failed), earliest first
    reason: str

    @property
    def offered(self) -> tuple[str, ...]:
        return self.first_line + self.second_line


def failure_days(record: object) -> dict[str, date]:
    """The record's treatment-failure days, {treatment id: day judged failed}, from its
    care-pathway dates (``record.pathway.treatment_failures``, items with ``treatment`` and
    ``day``; issue 23 item 1); empty for a record that has none (or no pathway section)."""
    pathway = getattr(record, "pathway", None)
    failures = getattr(pathway, "treatment_failures", None) or ()
    return {str(f.treatment): f.day for f in failures}


def offered_protocols(protocols: Iterable[Protocol], failed_on: Mapping[str, date | None]) -> Offer:
    """The protocol ids offered, given the days treatments were judged to have failed.

    Parameters
    ----------
    protocols : Protocol
        The protocols the clinic has (e.g. :func:`spasmcare.therapy.list_protocols`).
    failed_on : mapping of treatment id -> date or None
        The record's treatment-failure days; a None day (no failure recorded) counts as none.
    """
    by_kind: dict[bool, list[str]] = {True: [], False: []}
    for p in protocols:
        by_kind[str(p.data.get("kind")) == SECOND_LINE].append(p.id)
    failures = tuple(
        sorted(((t, d) for t, d in failed_on.items() if d is not None), key=lambda f: (f[1], f[0]))
    )
    first = tuple(sorted(set(by_kind[False])))
    if not failures:
        reason = "No treatment failure is recorded: first-line courses only."
        return Offer(first, (), (), reason)
    treatment, day = failures[0]
    reason = (
        f"Treatment {treatment} was judged to have failed on {day_text(day)}: "
        "second-line courses are offered as well."
    )
    return Offer(first, tuple(sorted(set(by_kind[True]))), failures, reason)
