"""Day-by-day course plans from a protocol: doses, decision points, taper, wean, monitoring.

The public entry point is :func:`plan_course`; it returns a :class:`CoursePlan` whose
``to_dict()`` is the JSON the CLI prints and whose ``to_dict(family=True)`` is the family's
version (nothing unconfirmed in it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH, parse_sex, sds
from spasmcare.therapy.bsa import (
    DEFAULT_FORMULA,
    FORMULA_SPREAD_WARNING,
    bsa_m2,
    bsa_spread,
    normalize_formula,
)
from spasmcare.therapy.dosing import (
    DEFAULT_SYRINGES,
    Syringe,
    check_length,
    check_weight,
    daily_cap,
    measurable_volume,
    round_dose,
)
from spasmcare.therapy.monitoring import (
    WEIGHT_CHANGE_FRACTION,
    CourseSpan,
    MonitoringItem,
    add_months,
    course_date,
    long_course_warning,
    schedule_dates,
    weight_change_warnings,
)
from spasmcare.therapy.protocol import (
    NOT_GRADED,
    TO_BE_CONFIRMED,
    Protocol,
    is_active,
    is_confirmed,
    load_protocol,
    parameter_values,
    resolve,
    shown_grade,
)
from spasmcare.therapy.vaccines import DEFAULT_WINDOW, VaccineHold, live_vaccine_hold

#: Clock times of the doses by number of doses a day. A scheduling convenience, not a
#: clinical figure: a protocol may give its own ``time_slots`` and families shift them.
DEFAULT_TIME_SLOTS: dict[int, list[str]] = {
    1: ["08:00"],
    2: ["08:00", "20:00"],
    3: ["08:00", "14:00", "20:00"],
    4: ["08:00", "12:00", "16:00", "20:00"],
}

#: The mark of a product whose strength the clinician typed at planning (clinician pages only).
GIVEN_AT_PLANNING = " (given at planning)"

# Family-facing wording (the family table, JSON and calendar all use these).
FAMILY_REVIEW = "clinic review today: the doses may change after it"
FAMILY_PENDING = "your clinic will tell you the dose for this day"
FAMILY_PENDING_EVENT = "ask the clinic for today's dose"
FAMILY_REVIEW_EVENT = "The clinic reviews the course today; the doses may change."
FAMILY_MONITORING_EVENT = "Monitoring planned with the course."

#: Doses are calculated to this step [mg or U] before the product volume is measured.
DOSE_STEP = 0.01


def check_volume(
    dose: float, volume_ml: float, product: Product, step_ml: float, drug: str
) -> None:
    """Refuse a volume that does not deliver ``dose`` within one syringe mark of ``product``.

    The last guard before a volume is printed: a volume computed from another strength (half or
    twice the right one) is off by far more than one mark and raises instead of printing.
    """
    delivered = volume_ml * product.concentration
    if abs(delivered - dose) > step_ml * product.concentration + 1e-6:
        raise InputError(
            "products",
            f"{drug}: {volume_ml:g} mL of {product.concentration:g} {product.unit}",
            f"a volume that delivers {dose:g} (it delivers {delivered:g})",
        )


def parse_date(value: date | str, field_name: str = "start") -> date:
    """A date, or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(field_name, value, "a date as YYYY-MM-DD") from None


def _rounded(value: float | None, digits: int) -> float | None:
    """A value rounded for display (the domain objects keep the exact value)."""
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class Product:
    """The product of one drug used for volumes: name and strength [mg/mL or U/mL]."""

    name: str
    concentration: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "concentration": self.concentration, "unit": self.unit}


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


# --------------------------------------------------------------------------- internals


class _Planner:
    """The arithmetic of one plan (kept out of the public API)."""

    def __init__(
        self,
        protocol: Protocol,
        values: dict[str, Any],
        answers: dict[str, bool],
        start: date,
        weight_kg: float,
        bsa: float | None,
        products: dict[str, Product],
        syringes: Sequence[Syringe],
    ) -> None:
        self.protocol = protocol
        self.values = values
        self.answers = answers
        self.start = start
        self.weight_kg = weight_kg
        self.bsa = bsa
        self.products = products
        self.syringes = syringes
        slots = protocol.data.get("time_slots") or {}
        self.slots = {int(k): list(v) for k, v in slots.items()} or DEFAULT_TIME_SLOTS
        self._given_cache: dict[tuple[str, str, int], float | None] = {}

    # ---- values
    def num(self, value: Any) -> Any:
        return resolve(value, self.values)

    def day_number(self, spec: Any) -> int:
        if isinstance(spec, int):
            return spec
        months = spec["months"]
        parts = months if isinstance(months, list) else [months]
        total = sum(int(self.values[p]) if isinstance(p, str) else int(p) for p in parts)
        return (add_months(self.start, total) - self.start).days + int(spec.get("plus", 0))

    def per_day(self, phase: dict[str, Any]) -> int:
        n = int(self.num(phase["per_day"]))
        if n not in self.slots:
            raise InputError(
                "protocol file", str(self.protocol.path), f"time slots for {n} doses a day"
            )
        return n

    def confirmed(self, detail: str | None) -> bool:
        """Whether a plan uses ``detail``: graded FIRM/SECONDARY or confirmed by the clinic."""
        return detail is None or is_active(self.protocol, detail, self.values)

    def grade_of(self, phase: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        """(grade, source keys) shown beside a phase's doses: its detail's, else its own."""
        detail = phase.get("detail")
        if detail is not None:
            spec = self.protocol.details[detail]
            keys = tuple(spec.get("sources") or phase.get("sources") or ())
            return shown_grade(self.protocol, detail, self.values), keys
        return str(phase.get("grade") or NOT_GRADED), tuple(phase.get("sources") or ())

    def confirmed_by(self, detail: str | None) -> tuple[bool, str | None]:
        """Whether an item tied to ``detail`` may be used, and who confirmed it (if so)."""
        return _confirmed_by(self.protocol, detail, self.values)

    def cap(self, course: dict[str, Any], phase: dict[str, Any]) -> float | None:
        """The course maximum [mg/day or U/day] for this infant on a phase's dosing."""
        return daily_cap(course["maximum"], self.weight_kg, self.bsa, self.per_day(phase))

    # ---- phases
    def phase_range(self, phase: dict[str, Any]) -> tuple[int, int]:
        return self.day_number(phase["from_day"]), self.day_number(phase["to_day"])

    def applies(self, phase: dict[str, Any]) -> bool:
        for key, wanted in (phase.get("when") or {}).items():
            if self.answers[key] != wanted:
                return False
        for key, wanted in (phase.get("when_parameters") or {}).items():
            if self.values[key] != wanted:
                return False
        return True

    def phase_on(self, course: dict[str, Any], day: int) -> dict[str, Any] | None:
        found = []
        for phase in course["phases"]:
            if not self.applies(phase):
                continue
            lo, hi = self.phase_range(phase)
            every = int(phase.get("every", 1))
            if lo <= day <= hi and (day - lo) % every == 0:
                found.append(phase)
        if len(found) > 1:
            names = ", ".join(repr(p["name"]) for p in found)
            raise InputError(
                "protocol file",
                str(self.protocol.path),
                f"one phase per day for {course['drug']}; day {day} matches {names}",
            )
        return found[0] if found else None

    def last_day(self, course: dict[str, Any]) -> int:
        ends = [self.phase_range(p)[1] for p in course["phases"] if self.applies(p)]
        return max(ends, default=0)

    def given_daily(self, course: dict[str, Any], day: int) -> float | None:
        """The daily amount [mg/day or U/day] given on ``day``, capped at the course maximum;
        None when no phase runs that day, its detail is unconfirmed, or its dose derives from
        an amount that is itself not given (a phase derived from an unconfirmed phase)."""
        phase = self.phase_on(course, day)
        return None if phase is None else self.given_in(course, phase, day)

    def given_in(self, course: dict[str, Any], phase: dict[str, Any], day: int) -> float | None:
        """:meth:`given_daily` for a named phase (also one not on the plan, for a reference)."""
        key = (course["drug"], phase["name"], day)
        if key not in self._given_cache:
            self._given_cache[key] = None
            if self.confirmed(phase.get("detail")):
                raw = self.daily(course, phase, day)
                if raw is not None:
                    cap = self.cap(course, phase)
                    self._given_cache[key] = raw if cap is None else min(raw, cap)
        return self._given_cache[key]

    def source_phase(self, course: dict[str, Any], phase: dict[str, Any]) -> dict[str, Any] | None:
        """The phase whose given amount a derived dose (fraction, wean) starts from."""
        dose = phase["dose"] or {}
        if "fraction_of_phase" in dose:
            wanted = dose["fraction_of_phase"]["phase"]
            return next(p for p in course["phases"] if p["name"] == wanted)
        if "wean" in dose:
            return self.phase_on(course, self.phase_range(phase)[0] - 1)
        return None

    def daily(self, course: dict[str, Any], phase: dict[str, Any], day: int) -> float | None:
        """The daily amount [mg/day or U/day] of a phase on a day, before the cap; None when it
        derives from an amount that is not given."""
        dose = phase["dose"]
        if dose is None:
            return None
        n = self.per_day(phase)
        ((kind, spec),) = dose.items()
        w, bsa = self.weight_kg, self.bsa
        if kind in ("mg", "units"):
            return float(self.num(spec)) * n
        if kind in ("mg_per_day", "units_per_day"):
            return float(self.num(spec))
        if kind == "mg_per_kg_per_day":
            return float(self.num(spec)) * w
        if kind in ("units_per_m2", "units_per_m2_per_day"):
            if bsa is None:
                raise InputError("length_cm", None, "a length in cm (the dose is per m²)")
            per = float(self.num(spec)) * bsa
            return per * n if kind == "units_per_m2" else per
        if kind == "fraction_of_phase":
            ref = self.source_phase(course, phase)
            assert ref is not None  # checked at load (validate_protocol)
            full = self.given_in(course, ref, self.phase_range(ref)[0])
            return None if full is None else full * float(spec["fraction"])
        if kind == "titrate":
            lo, _ = self.phase_range(phase)
            steps = (day - lo) // int(spec["every_days"])
            level = float(self.num(spec["start_mg_per_kg_per_day"])) + steps * float(
                self.num(spec["step_mg_per_kg_per_day"])
            )
            return min(level, float(self.num(spec["target_mg_per_kg_per_day"]))) * w
        if kind == "wean":
            lo, hi = self.phase_range(phase)
            before = self.given_daily(course, lo - 1)
            if before is None:
                return None
            previous = before / w
            step = float(self.num(spec["step_mg_per_kg_per_day"]))
            levels = []
            level = previous - step
            while level > 1e-9:
                levels.append(level)
                level -= step
            if not levels:
                return None
            length = hi - lo + 1
            index = min((day - lo) * len(levels) // length, len(levels) - 1)
            return levels[index] * w
        raise InputError("protocol file", str(self.protocol.path), f"a known dose kind, not {kind}")

    def planned_daily(
        self, course: dict[str, Any], phase: dict[str, Any], day: int
    ) -> float | None:
        """The daily amount a phase plans for ``day`` whatever awaits the clinic (capped at the
        course maximum); None when it derives from an amount that is not known."""
        raw = self.daily(course, phase, day)
        if raw is None:
            return None
        cap = self.cap(course, phase)
        return raw if cap is None else min(raw, cap)

    def blocking_detail(self, course: dict[str, Any], phase: dict[str, Any]) -> str:
        """The flagged detail that keeps a phase's dose from being given."""
        current: dict[str, Any] | None = phase
        seen: list[dict[str, Any]] = []
        while current is not None and not any(current is p for p in seen):
            if not self.confirmed(current.get("detail")):
                return str(current["detail"])
            seen.append(current)
            current = self.source_phase(course, current)
        return str(phase.get("detail") or phase["name"])

    def doses_on(self, course: dict[str, Any], day: int) -> tuple[list[Dose], Pending | None, str]:
        phase = self.phase_on(course, day)
        if phase is None:
            return [], None, ""
        drug = course["drug"]
        detail = phase.get("detail")
        amount = self.given_in(course, phase, day)
        if amount is None:  # unconfirmed, or derived from an unconfirmed phase
            blocking = self.blocking_detail(course, phase)
            known = blocking in self.protocol.details
            grade = shown_grade(self.protocol, blocking, self.values) if known else NOT_GRADED
            if grade not in ("NOT FOUND", NOT_GRADED):
                grade = f"{grade}, value changed at planning"
            planned = self.planned_daily(course, phase, day)
            return [], Pending(drug, blocking, phase["name"], grade, planned), ""
        unit = course["unit"]
        raw = self.daily(course, phase, day)
        cap = self.cap(course, phase)
        note = ""
        if cap is not None and raw is not None and raw > cap + 1e-9:
            note = (
                f"{drug}: calculated {raw:.2f} {unit}/day capped at the protocol maximum "
                f"{cap:.2f} {unit}/day"
            )
        n = self.per_day(phase)
        per_dose_limit = cap / n if cap is not None else None
        per_dose = round_dose(amount / n, per_dose_limit, DOSE_STEP)
        product = self.products.get(drug)
        volume = None
        if product is not None:
            volume, syringe = measurable_volume(
                per_dose, product.concentration, per_dose_limit, self.syringes
            )
            check_volume(per_dose, volume, product, syringe.step_ml, drug)
        grade, grade_sources = self.grade_of(phase)
        doses = [
            Dose(
                drug=drug,
                time=time,
                route=course["route"],
                unit=unit,
                amount=per_dose,
                per_kg=per_dose / self.weight_kg if unit == "mg" else None,
                per_m2=per_dose / self.bsa if unit == "U" and self.bsa else None,
                volume_ml=volume,
                product=product.name if product else None,
                concentration=product.concentration if product else None,
                phase=phase["name"],
                detail=detail,
                measured=None
                if volume is None or product is None
                else volume * product.concentration,
                grade=grade,
                grade_sources=grade_sources,
            )
            for time in self.slots[n]
        ]
        return doses, None, note


def named_product(course: Mapping[str, Any], wanted: str) -> Product:
    """The product of ``course`` whose name contains ``wanted`` (case-insensitive), e.g.
    "vigafyde" or "50 mg/mL"; exactly one must match."""
    listed = list(course.get("products") or [])
    found = [p for p in listed if wanted.strip().lower() in str(p["name"]).lower()]
    if len(found) != 1 or not wanted.strip():
        names = "; ".join(str(p["name"]) for p in listed) or "(none listed: give a strength)"
        raise InputError("products", f"{course['drug']}={wanted}", f"one product of: {names}")
    p = found[0]
    return Product(str(p["name"]), float(p["concentration"]), str(p["unit"]))


def product_warnings(course: Mapping[str, Any], product: Product) -> list[str]:
    """Warnings that keep a twofold (or other) volume error from passing silently.

    When the drug has listed products of different strengths (vigabatrin 50 mg/mL made-up
    powder vs 100 mg/mL VIGAFYDE solution [1]), the plan says which strength its volumes are
    for and what the other product's volume would be; a strength given at planning that no
    listed product has is named too. Every printed volume also carries its strength
    (:func:`spasmcare.therapy.export.volume_text`).

    References
    ----------
    1. openFDA NDC records (drug-protocols-evidence.md D-8): the same mg/kg dose is half the
       volume with the 100 mg/mL solution; label volume tables apply to 50 mg/mL only.
    """
    listed = list(course.get("products") or [])
    strengths = sorted({float(p["concentration"]) for p in listed})
    out: list[str] = []
    drug = course["drug"]
    if listed and product.concentration not in strengths:
        shown = ", ".join(f"{s:g}" for s in strengths)
        out.append(
            f"{drug}: the volumes are for {product.concentration:g} {product.unit}, a strength no "
            f"listed product has ({shown} {product.unit}): check the bottle before giving"
        )
    for other in strengths:
        if other == product.concentration:
            continue
        ratio = product.concentration / other
        out.append(
            f"{drug}: every volume is for {product.name} ({product.concentration:g} "
            f"{product.unit}); the {other:g} {product.unit} product needs {ratio:g} times that "
            "volume: check the bottle against the strength printed beside each volume"
        )
    return out


def _confirmed_by(
    protocol: Protocol, detail: str | None, values: Mapping[str, Any]
) -> tuple[bool, str | None]:
    """(may the item tied to ``detail`` be used, who confirmed it) for a plan's values."""
    if detail is None:
        return True, None
    if not is_active(protocol, detail, values):
        return False, None
    if not is_confirmed(protocol, detail, values):
        return True, None
    conf = protocol.confirmation(detail)
    return True, conf.label if conf else None


def _age_months(
    age_months: float | None, birth_date: date | str | None, start: date
) -> float | None:
    """The age at the start [months], checked in months against the WHO weight-for-age
    reference (the growth checks need it); errors name ``age_months`` or ``birth_date``."""
    if birth_date is not None:
        born = parse_date(birth_date, "birth_date")
        if born > start:
            raise InputError("birth_date", born.isoformat(), "a date before the start date")
        months = (start - born).days / DAYS_PER_MONTH
        shown: Any = f"{born.isoformat()} ({months:.1f} months at the start)"
        field_name = "birth_date"
    elif age_months is not None:
        finite = isinstance(age_months, int | float) and math.isfinite(age_months)
        if not finite or age_months < 0:
            raise InputError("age_months", age_months, "an age in months of 0 or more")
        months = float(age_months)
        field_name, shown = "age_months", months
    else:
        return None
    try:
        sds("weight", 10.0, months / 12.0, "male")  # raises when the age is not covered
    except InputError:
        raise InputError(
            field_name, shown, "an age in months covered by the WHO weight-for-age reference"
        ) from None
    return months


def plan_course(
    protocol: Protocol | str,
    *,
    weight_kg: float,
    start: date | str,
    length_cm: float | None = None,
    decisions: Mapping[str, bool | None] | None = None,
    parameters: Mapping[str, Any] | None = None,
    bsa_formula: str = DEFAULT_FORMULA,
    products: Mapping[str, float | str] | None = None,
    age_months: float | None = None,
    birth_date: date | str | None = None,
    sex: str | None = None,
    weights: Mapping[date, float] | None = None,
    protocols_dir: str | Path | None = None,
    syringes: Sequence[Syringe] = DEFAULT_SYRINGES,
    weight_change_fraction: float = WEIGHT_CHANGE_FRACTION,
) -> CoursePlan:
    """Plan a drug course day by day from a protocol.

    Re-planning: call again with the same arguments plus the answered ``decisions`` (or a new
    weight); the days before a decision take effect are unchanged, the rest follow the answer.
    To re-make a course exactly, pass the protocol loaded with the version and hash the earlier
    plan recorded (:func:`spasmcare.therapy.load_protocol`).

    Parameters
    ----------
    protocol : Protocol or str
        A loaded protocol, or a protocol id (its latest version in ``protocols_dir`` or bundled).
    weight_kg : float
        Planning weight [kg]. Checked for plausibility (see :mod:`spasmcare.therapy.dosing`).
    start : date or 'YYYY-MM-DD'
        Day 1 of the course.
    length_cm : float, optional
        Length [cm]; required when the protocol doses per m² of body-surface area.
    decisions : mapping of decision id -> bool or None, optional
        Answers to the protocol's decision points, e.g. ``{"day7_spasms_continuing": True}``.
        Unanswered decisions are planned with the protocol's ``assume`` value and listed as
        unanswered.
    parameters : mapping, optional
        Values for the protocol's named options (checked against their declared range). A value
        tied to a flagged detail that differs from the confirmed value makes that detail
        unconfirmed again.
    bsa_formula : {'mosteller', 'haycock', 'dubois', 'gehan-george'}
        Default Mosteller (see :mod:`spasmcare.therapy.bsa`).
    products : mapping of drug -> concentration [mg/mL or U/mL] or product name, optional
        The product per drug: a strength, or part of the name of one of the protocol's listed
        products (e.g. ``{"vigabatrin": "vigafyde"}``); default the protocol's first product.
        Without a strength the volume is not computed (``volume_ml`` null). When a drug has
        products of different strengths the plan warns which one its volumes are for.
    age_months, birth_date, sex : optional
        With an age (or a birth date), weight and length are checked against WHO for age.
    weights : mapping of date -> weight [kg], optional
        Weights measured during the course; a change of more than ``weight_change_fraction``
        (default 10 %) from ``weight_kg`` is warned about (re-dose).
    protocols_dir : path, optional
        The clinic's protocols directory (default ``$SPASMCARE_PROTOCOLS_DIR``).
    syringes : sequence of Syringe
        Syringes used for volume rounding (default :data:`DEFAULT_SYRINGES`).

    Returns
    -------
    CoursePlan
        ``days`` (day 1 = start), ``decision_points`` ({id, day, date, question, answer,
        planned_as, effect}), ``monitoring``, ``advice``, ``warnings``, ``sources``, the
        confirmed details with who confirmed them, and the protocol id, version and hash.

    Raises
    ------
    InputError
        Unknown protocol, decision or parameter; a date that is not a date; an implausible
        weight or length; a per-m² protocol without a length.
    """
    if isinstance(protocol, str):
        protocol = load_protocol(protocol, protocols_dir=protocols_dir)
    start_date = parse_date(start, "start")
    age = _age_months(age_months, birth_date, start_date)
    sex_value = parse_sex(sex)
    warnings: list[str] = []
    warnings += check_weight(weight_kg, age, sex_value)
    weight_kg = float(weight_kg)
    values = parameter_values(protocol, parameters)

    known = {d["id"]: d for d in protocol.decisions}
    for key in decisions or {}:
        if key not in known:
            accepted = "a decision of this protocol: " + (", ".join(known) or "(none)")
            raise InputError("decisions", key, accepted)
    given = {k: v for k, v in (decisions or {}).items() if v is not None}
    answers = {k: bool(given.get(k, d["assume"])) for k, d in known.items()}

    bsa = None
    formula = None
    if protocol.uses_bsa():
        if length_cm is None:
            raise InputError(
                "length_cm",
                None,
                f"a length in cm: {protocol.id} doses per m² of body-surface area",
            )
        warnings += check_length(length_cm, age, sex_value)
        formula = normalize_formula(bsa_formula, "bsa_formula")
        bsa = bsa_m2(float(length_cm), weight_kg, formula)
        spread = bsa_spread(float(length_cm), weight_kg)
        if spread > FORMULA_SPREAD_WARNING:
            warnings.append(
                f"the BSA formulas differ by {spread:.1%} for this infant (more than "
                f"{FORMULA_SPREAD_WARNING:.0%}): {formula} gives {bsa:.3f} m²"
            )
    elif length_cm is not None:
        warnings += check_length(length_cm, age, sex_value)

    chosen: dict[str, Product] = {}
    drug_names = {c["drug"].lower(): c for c in protocol.courses}
    for drug, strength in (products or {}).items():
        course = drug_names.get(drug.lower())
        if course is None:
            raise InputError("products", drug, "a drug of this protocol: " + ", ".join(drug_names))
        if isinstance(strength, str):
            chosen[course["drug"]] = named_product(course, strength)
            continue
        if not (isinstance(strength, int | float) and math.isfinite(strength) and strength > 0):
            raise InputError("products", f"{drug}={strength}", "a strength above 0")
        unit = "mg/mL" if course["unit"] == "mg" else "U/mL"
        name = f"{course['drug']} {strength:g} {unit}{GIVEN_AT_PLANNING}"
        chosen[course["drug"]] = Product(name, float(strength), unit)
    for course in protocol.courses:
        if course["drug"] not in chosen and course.get("products"):
            p = course["products"][0]
            chosen[course["drug"]] = Product(p["name"], float(p["concentration"]), p["unit"])
        if course["drug"] not in chosen:
            warnings.append(
                f"{course['drug']}: no product strength given, so no volumes (give the "
                "strength of the clinic's liquid, in mg per mL, in the product field)"
            )

    for course in protocol.courses:
        if course["drug"] in chosen:
            warnings += product_warnings(course, chosen[course["drug"]])
    planner = _Planner(protocol, values, answers, start_date, weight_kg, bsa, chosen, syringes)
    n_days = max(planner.last_day(c) for c in protocol.courses)
    days = [PlanDay(day=i, date=course_date(start_date, i)) for i in range(1, n_days + 1)]
    spans: dict[str, CourseSpan] = {}
    last_dose: dict[str, date] = {}
    caps_noted: set[str] = set()
    for course in protocol.courses:
        drug = course["drug"]
        for plan_day in days:
            doses, pending, note = planner.doses_on(course, plan_day.day)
            plan_day.doses += doses
            if pending is not None:
                plan_day.pending.append(pending)
            if note:
                plan_day.notes.append(note)
                caps_noted.add(drug)
            if doses or pending:
                span = spans.setdefault(drug, CourseSpan(plan_day.day, plan_day.day))
                span.last_day = plan_day.day
            if doses:
                last_dose[drug] = plan_day.date
        if (
            drug in last_dose
            and drug in spans
            and spans[drug].last_day == (last_dose[drug] - start_date).days + 1
        ):
            index = (last_dose[drug] - start_date).days
            days[index].notes.append(f"last dose of {drug}; it stops after this day")
        if course.get("warn_after_months") and drug in spans:
            end = course_date(start_date, spans[drug].last_day)
            warning = long_course_warning(
                drug,
                start_date,
                end,
                float(course["warn_after_months"]),
                list(course.get("warn_sources", [])),
            )
            if warning:
                warnings.append(warning)
    for drug in sorted(caps_noted):
        warnings.append(f"{drug}: some doses were capped at the protocol maximum (see day notes)")

    decision_points = []
    for key, d in known.items():
        when = course_date(start_date, int(d["day"]))
        answer = given.get(key)
        effect = str(d.get("if_yes" if answers[key] else "if_no", ""))
        decision_points.append(
            DecisionPoint(
                id=key,
                day=int(d["day"]),
                date=when,
                question=d["question"],
                answer=None if answer is None else bool(answer),
                planned_as=answers[key],
                effect=effect,
            )
        )
        if 1 <= d["day"] <= len(days):
            shown = "yes" if answers[key] else "no"
            status = "answered" if answer is not None else "not yet answered, planned as"
            days[d["day"] - 1].reviews.append(f"clinic review: {d['question']} ({status} {shown})")
        if answer is None:
            warnings.append(
                f"Day {d['day']} ({when.day} {when:%b %Y}): '{d['question']}' is not yet "
                f"answered: planned as '{'yes' if answers[key] else 'no'}'; re-plan when it "
                "is answered"
            )

    monitoring: list[MonitoringItem] = []
    for item in protocol.data.get("monitoring") or []:
        detail = item.get("detail")
        ok, by = planner.confirmed_by(detail)
        cited = list(item.get("sources", []))
        if not ok:
            monitoring.append(
                MonitoringItem(
                    start_date,
                    f"{item['what']}: schedule {TO_BE_CONFIRMED}",
                    cited,
                    None,
                    detail,
                    False,
                    None,
                    check=str(item["what"]),
                )
            )
            continue
        for when, until in schedule_dates(item["schedule"], start_date, spans, values):
            monitoring.append(MonitoringItem(when, item["what"], cited, until, detail, True, by))
    monitoring.sort(key=lambda m: (m.date, m.what))

    advice = []
    for item in protocol.data.get("advice") or []:
        detail = item.get("detail")
        ok, by = planner.confirmed_by(detail)
        advice.append(
            Advice(
                text=str(item["text"]),
                sources=list(item.get("sources", [])),
                detail=detail,
                confirmed=ok,
                confirmed_by=by,
            )
        )

    confirmed_details, unconfirmed_details, graded_details = [], [], []
    for ds in protocol.detail_status(values):
        conf = ds.confirmation
        if ds.active and not ds.confirmed:
            spec = protocol.details[ds.detail]
            graded_details.append(
                {
                    "detail": ds.detail,
                    "what": ds.what,
                    "grade": ds.grade,
                    "grade_note": ds.grade_note,
                    "sources": list(spec.get("sources") or []),
                }
            )
        elif ds.confirmed and conf is not None:
            confirmed_details.append(
                {
                    "detail": ds.detail,
                    "what": ds.what,
                    "by": conf.by,
                    "at": conf.at,
                    "value": conf.value,
                    "note": conf.note,
                }
            )
        else:
            unconfirmed_details.append(
                {
                    "detail": ds.detail,
                    "flag": ds.flag,
                    "grade": ds.grade,
                    "what": ds.what,
                    "why": ds.why,
                    "status": TO_BE_CONFIRMED,
                }
            )
            changed = conf is not None or ds.grade in ("FIRM", "SECONDARY")
            reason = "value changed at planning" if changed else ds.flag
            warnings.append(f"{ds.detail} ({reason}): {TO_BE_CONFIRMED}")

    plan = CoursePlan(
        protocol_id=protocol.id,
        version=protocol.version,
        sha256=protocol.sha256,
        origin=protocol.origin,
        title=protocol.title,
        weight_kg=weight_kg,
        length_cm=None if length_cm is None else float(length_cm),
        bsa_m2=bsa,
        bsa_formula=formula,
        start=start_date,
        days=days,
        monitoring=monitoring,
        advice=advice,
        warnings=warnings,
        sources=protocol.sources,
        decision_points=decision_points,
        confirmed_details=confirmed_details,
        unconfirmed_details=unconfirmed_details,
        graded_details=graded_details,
        parameters=values,
        products=chosen,
        last_dose=last_dose,
    )
    course_days = []
    for day in days:
        amounts: dict[str, float] = {}
        for dose in day.doses:
            amounts[dose.drug] = amounts.get(dose.drug, 0.0) + dose.amount
        # the amount alone decides the hold: a day whose split or tail awaits the clinic
        # counts with the amount the protocol plans for it (vaccines.py, Rule)
        for p in day.pending:
            if p.planned_daily is not None:
                amounts[p.drug] = amounts.get(p.drug, 0.0) + p.planned_daily
        course_days.append((day.date, amounts, [p.drug for p in day.pending]))
    window = str(values.get("live_vaccine_window", DEFAULT_WINDOW))
    plan.vaccine_hold = live_vaccine_hold(course_days, weight_kg, window)
    plan.warnings += weight_change_warnings(
        weight_kg, weights, start_date, plan.end, weight_change_fraction
    )
    return plan
