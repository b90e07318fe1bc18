"""Which protocols the course planner offers (issue 23): the first-line ones always, the
second-line ones (valproate, topiramate, zonisamide, levetiracetam, pyridoxine, pyridoxal
phosphate) once the record holds the day a course was judged to have failed
(:func:`spasmcare.therapy.offer.offered_protocols`), with the reason in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from spasmcare.plain import day_text
from spasmcare.record import Record
from spasmcare.therapy import Protocol
from spasmcare.therapy.offer import failure_days, offered_protocols


@dataclass(frozen=True)
class PlannerOffer:
    first_line: list[Protocol]
    second_line: list[Protocol]
    #: the second-line protocols the clinic has (offered or not), for the reason shown
    held_back: list[Protocol]
    reason: str

    @property
    def ids(self) -> set[str]:
        return {p.id for p in self.first_line + self.second_line}


def planner_offer(protocols: list[Protocol], record: Record | None) -> PlannerOffer:
    """The protocols offered for ``record`` (an unreadable record: first line only)."""
    offer = offered_protocols(protocols, failure_days(record))
    first = [p for p in protocols if p.id in offer.first_line]
    second = [p for p in protocols if p.id in offer.second_line]
    held = [p for p in protocols if p.id not in offer.offered]
    if not offer.failed or record is None:
        reason = (
            "Second-line courses are offered once a course is recorded as judged to have "
            "failed (on the dashboard, under Time to treatment and work-up)."
        )
        return PlannerOffer(first, second, held, reason)
    treatment, day = offer.failed[0]
    course = next((t for t in record.treatments if t.id == treatment), None)
    what = f"{course.drug} from {day_text(course.start)}" if course else "A course"
    reason = (
        f"{what[0].upper()}{what[1:]} was judged to have failed on {day_text(day)}: "
        "second-line courses are offered beside the first-line ones."
    )
    return PlannerOffer(first, second, held, reason)
