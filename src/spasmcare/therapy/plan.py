"""The plan a course planner returns: days, doses, pending doses, decision points, advice.

:class:`CoursePlan` is what :func:`spasmcare.therapy.schedule.plan_course` returns; its
``to_dict()`` is the JSON the CLI prints and ``to_dict(family=True)`` the family's version
(nothing unconfirmed in it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spasmcare.therapy.monitoring import MonitoringItem
from spasmcare.therapy.products import Product
from spasmcare.therapy.protocol import NOT_GRADED, TO_BE_CONFIRMED
from spasmcare.therapy.vaccines import VaccineHold

# Family-facing wording (the family table, JSON and calendar all use these).
FAMILY_REVIEW = "clinic review today: the doses may change after it"
FAMILY_PENDING = "your clinic will tell you the dose for this day"
FAMILY_PENDING_EVENT = "ask the clinic for today's dose"
FAMILY_REVIEW_EVENT = "The clinic reviews the course today; the doses may change."
FAMILY_MONITORING_EVENT = "Monitoring planned with the course."


def _rounded(value: float | None, digits: int) -> float | None:
    """A value rounded for display (the domain objects keep the exact value)."""
    return None if value is None else round(value, digits)


@dataclass
class Dose:
    """One dose of one drug at one time."""

    drug: str
    time: str
    route: str
    unit: str  # "mg" or "U"
    amount: float
    per_kg: float | None
    per_m2: float | None
    volume_ml: float | None
    product: str | None
    phase: str
    detail: str | None = None  # the graded or confirmed detail this dose relies on
    measured: float | None = None  # what the rounded volume delivers [mg or U]
    grade: str = NOT_GRADED  # FIRM / SECONDARY / clinic-confirmed (protocol.py, Grades)
    grade_sources: tuple[str, ...] = ()  # the protocol source keys behind the grade
    concentration: float | None = None  # strength of ``product`` [mg/mL or U/mL]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"drug": self.drug}
        if self.unit == "mg":
            out["mg"] = self.amount
            out["per_kg"] = _rounded(self.per_kg, 3)
        else:
            out["units"] = self.amount
            out["per_m2"] = _rounded(self.per_m2, 2)
        out["volume_ml"] = self.volume_ml
        out["concentration"] = self.concentration
        if self.measured is not None:
            key = "measured_mg" if self.unit == "mg" else "measured_units"
            out[key] = _rounded(self.measured, 4)
        out["time"] = self.time
        out["route"] = self.route
        out["product"] = self.product
        out["phase"] = self.phase
        out["grade"] = self.grade
        out["grade_sources"] = list(self.grade_sources)
        if self.detail is not None:
            out["detail"] = self.detail
            if self.grade == "clinic-confirmed":
                out["confirmed_detail"] = self.detail
        return out


@dataclass
class Pending:
    """A day's dose of one drug that awaits clinic confirmation of a flagged detail."""

    drug: str
    detail: str
    phase: str
    grade: str = "NOT FOUND"  # the blocking detail's grade (or of a changed value)
    #: The daily amount [mg/day or U/day] the protocol plans for the day, capped, when it can
    #: be computed although a detail (a split, a tail) awaits the clinic; None when unknown.
    #: Never given as a dose: only the live-vaccine hold reads it (the amount decides it).
    planned_daily: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "detail": self.detail,
            "phase": self.phase,
            "dose": TO_BE_CONFIRMED,
            "grade": self.grade,
        }


@dataclass
class PlanDay:
    """One calendar day of the course (day 1 = the start date)."""

    day: int
    date: date
    doses: list[Dose] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)  # decision points asked on this day

    def notes_for(self, family: bool) -> list[str]:
        """Day notes; the family version names a review without its clinical detail."""
        if family:
            return self.notes + [FAMILY_REVIEW] * bool(self.reviews)
        return self.notes + self.reviews


@dataclass
class DecisionPoint:
    """A question asked on a course day; its answer re-plans the rest of the course."""

    id: str
    day: int
    date: date
    question: str
    answer: bool | None
    planned_as: bool
    effect: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "day": self.day,
            "date": self.date.isoformat(),
            "question": self.question,
            "answer": self.answer,
            "planned_as": self.planned_as,
            "effect": self.effect,
        }


@dataclass
class Advice:
    """A safety message of the protocol (with sources); gated when it carries a flagged detail."""

    text: str
    sources: list[str]
    detail: str | None = None
    confirmed: bool = True
    confirmed_by: str | None = None

    @property
    def display_text(self) -> str:
        """The text as shown: an unconfirmed item says it awaits the clinic."""
        return self.text if self.confirmed else f"{self.text} ({TO_BE_CONFIRMED})"


@dataclass
class CoursePlan:
    """A planned course. ``to_dict()`` gives the JSON document of ``spasmcare therapy plan``."""

    protocol_id: str
    version: int
    sha256: str
    origin: str
    title: str
    weight_kg: float
    length_cm: float | None
    bsa_m2: float | None
    bsa_formula: str | None
    start: date
    days: list[PlanDay]
    monitoring: list[MonitoringItem]
    advice: list[Advice]
    warnings: list[str]
    sources: dict[str, str]
    decision_points: list[DecisionPoint]
    confirmed_details: list[dict[str, Any]]
    unconfirmed_details: list[dict[str, Any]]
    parameters: dict[str, Any]
    products: dict[str, Product]
    last_dose: dict[str, date]
    graded_details: list[dict[str, Any]] = field(default_factory=list)
    vaccine_hold: VaccineHold | None = None

    @property
    def end(self) -> date:
        return self.days[-1].date if self.days else self.start

    def visible_monitoring(self, family: bool) -> list[MonitoringItem]:
        """The monitoring shown: the family sees only confirmed items."""
        return [m for m in self.monitoring if m.confirmed or not family]

    def visible_advice(self, family: bool) -> list[Advice]:
        """The advice shown: the family sees only confirmed items (see ``display_text``)."""
        return [a for a in self.advice if a.confirmed or not family]

    def to_dict(self, family: bool = False) -> dict[str, Any]:
        """The plan as JSON-ready data; ``family=True`` leaves out everything unconfirmed."""
        days = []
        for day in self.days:
            entry: dict[str, Any] = {
                "day": day.day,
                "date": day.date.isoformat(),
                "doses": [d.to_dict() for d in day.doses],
            }
            if family:
                notes = day.notes_for(family=True)
                if day.pending:
                    drugs = ", ".join(sorted({p.drug for p in day.pending}))
                    notes.append(f"{drugs}: {FAMILY_PENDING}")
                entry["notes"] = notes
            else:
                entry["notes"] = day.notes_for(family=False) + [
                    f"{p.drug} ({p.phase}): {TO_BE_CONFIRMED} [{p.detail}]" for p in day.pending
                ]
                entry["pending"] = [p.to_dict() for p in day.pending]
            days.append(entry)
        monitoring = [m.to_dict() for m in self.visible_monitoring(family)]
        advice = [
            {
                "text": a.display_text,
                "sources": a.sources,
                **({"detail": a.detail, "confirmed_by": a.confirmed_by} if a.detail else {}),
            }
            for a in self.visible_advice(family)
        ]
        out: dict[str, Any] = {
            "protocol": self.protocol_id,
            "version": self.version,
            "title": self.title,
            "sha256": self.sha256,
            "origin": self.origin,
            "weight_kg": self.weight_kg,
            "length_cm": self.length_cm,
        }
        if self.bsa_m2 is not None:
            out["bsa_m2"] = round(self.bsa_m2, 4)
            out["bsa_formula"] = self.bsa_formula
        out["start"] = self.start.isoformat()
        out["end"] = self.end.isoformat()
        out["last_dose"] = {k: v.isoformat() for k, v in self.last_dose.items()}
        out["products"] = {drug: p.to_dict() for drug, p in self.products.items()}
        out["days"] = days
        out["monitoring"] = monitoring
        out["advice"] = advice
        out["confirmed_details"] = self.confirmed_details
        out["graded_details"] = self.graded_details
        hold = self.vaccine_hold
        out["live_vaccine_hold"] = None if hold is None else hold.to_dict()
        if family:
            out["family_version"] = True
        else:
            out["decision_points"] = [d.to_dict() for d in self.decision_points]
            out["unconfirmed_details"] = self.unconfirmed_details
            out["parameters"] = self.parameters
            out["warnings"] = self.warnings
        out["sources"] = self.sources
        return out
