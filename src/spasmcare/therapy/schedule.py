"""Day-by-day course plans from a protocol: doses, decision points, taper, wean, monitoring.

The public entry point is :func:`plan_course`; it returns a :class:`CoursePlan` whose
``to_dict()`` is the JSON the CLI prints and whose ``to_dict(family=True)`` is the family's
version (nothing unconfirmed in it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH, parse_sex
from spasmcare.therapy.bsa import DEFAULT_FORMULA, FORMULA_SPREAD_WARNING, bsa_m2, bsa_spread
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
    long_course_warning,
    schedule_dates,
    weight_change_warnings,
)
from spasmcare.therapy.protocol import (
    TO_BE_CONFIRMED,
    Protocol,
    is_confirmed,
    load_protocol,
    parameter_values,
)

#: Clock times of the doses by number of doses a day. A scheduling convenience, not a
#: clinical figure: a protocol may give its own ``time_slots`` and families shift them.
DEFAULT_TIME_SLOTS: dict[int, list[str]] = {
    1: ["08:00"],
    2: ["08:00", "20:00"],
    3: ["08:00", "14:00", "20:00"],
    4: ["08:00", "12:00", "16:00", "20:00"],
}

FAMILY_REVIEW = "clinic review today: the doses may change after it"

#: Doses are calculated to this step [mg or U] before the product volume is measured.
DOSE_STEP = 0.01


def parse_date(value: date | str, field_name: str = "start") -> date:
    """A date, or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(field_name, value, "a date as YYYY-MM-DD") from None


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
    detail: str | None = None  # the confirmed detail this dose relies on
    measured: float | None = None  # what the rounded volume delivers [mg or U]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"drug": self.drug}
        if self.unit == "mg":
            out["mg"] = self.amount
            out["per_kg"] = self.per_kg
        else:
            out["units"] = self.amount
            out["per_m2"] = self.per_m2
        out["volume_ml"] = self.volume_ml
        if self.measured is not None:
            out["measured_mg" if self.unit == "mg" else "measured_units"] = self.measured
        out["time"] = self.time
        out["route"] = self.route
        out["product"] = self.product
        out["phase"] = self.phase
        if self.detail is not None:
            out["confirmed_detail"] = self.detail
        return out


@dataclass
class Pending:
    """A day's dose of one drug that awaits clinic confirmation of a flagged detail."""

    drug: str
    detail: str
    phase: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "detail": self.detail,
            "phase": self.phase,
            "dose": TO_BE_CONFIRMED,
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
    products: dict[str, dict[str, Any]]
    last_dose: dict[str, date]

    @property
    def end(self) -> date:
        return self.days[-1].date if self.days else self.start

    def max_daily(self, drug: str) -> float:
        """The largest daily amount [mg or U] of ``drug`` anywhere in the plan."""
        totals = [sum(d.amount for d in day.doses if d.drug == drug) for day in self.days]
        return max(totals, default=0.0)

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
                    notes.append(f"{drugs}: your clinic will tell you the dose for this day")
                entry["notes"] = notes
            else:
                entry["notes"] = day.notes_for(family=False) + [
                    f"{p.drug} ({p.phase}): {TO_BE_CONFIRMED} [{p.detail}]" for p in day.pending
                ]
                entry["pending"] = [p.to_dict() for p in day.pending]
            days.append(entry)
        monitoring = [
            m.to_dict() for m in self.monitoring if m.confirmed or not family
        ]
        advice = [
            {
                "text": a.text if a.confirmed else f"{a.text} ({TO_BE_CONFIRMED})",
                "sources": a.sources,
                **({"detail": a.detail, "confirmed_by": a.confirmed_by} if a.detail else {}),
            }
            for a in self.advice
            if a.confirmed or not family
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
        out["products"] = self.products
        out["days"] = days
        out["monitoring"] = monitoring
        out["advice"] = advice
        out["confirmed_details"] = self.confirmed_details
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
        concentrations: dict[str, tuple[str, float, str]],
        syringes: Sequence[Syringe],
    ) -> None:
        self.protocol = protocol
        self.values = values
        self.answers = answers
        self.start = start
        self.weight_kg = weight_kg
        self.bsa = bsa
        self.concentrations = concentrations
        self.syringes = syringes
        slots = protocol.data.get("time_slots") or {}
        self.slots = {int(k): list(v) for k, v in slots.items()} or DEFAULT_TIME_SLOTS
        self._level_cache: dict[tuple[str, int], float | None] = {}
        self.notes: list[str] = []

    # ---- values
    def num(self, value: Any) -> Any:
        if isinstance(value, dict) and "param" in value:
            return self.values[value["param"]]
        return value

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
        return detail is None or is_confirmed(self.protocol, detail, self.values)

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

    def level_per_kg(self, course: dict[str, Any], day: int) -> float | None:
        """The daily dose [mg/kg/day] of a per-kg course on ``day``; None when pending/absent."""
        key = (course["drug"], day)
        if key not in self._level_cache:
            self._level_cache[key] = None
            phase = self.phase_on(course, day)
            if phase is not None and self.confirmed(phase.get("detail")):
                daily = self.daily(course, phase, day)
                if daily is not None:
                    self._level_cache[key] = daily[1] / self.weight_kg
        return self._level_cache[key]

    def daily(
        self, course: dict[str, Any], phase: dict[str, Any], day: int
    ) -> tuple[str, float] | None:
        """(unit, daily amount [mg/day or U/day]) of a phase on a day, before the cap."""
        dose = phase["dose"]
        if dose is None:
            return None
        unit = course["unit"]
        n = self.per_day(phase)
        (kind, spec), = dose.items()
        w, bsa = self.weight_kg, self.bsa
        if kind in ("mg", "units"):
            return unit, float(self.num(spec)) * n
        if kind in ("mg_per_day", "units_per_day"):
            return unit, float(self.num(spec))
        if kind == "mg_per_kg_per_day":
            return unit, float(self.num(spec)) * w
        if kind in ("units_per_m2", "units_per_m2_per_day"):
            if bsa is None:
                raise InputError("length_cm", None, "a length in cm (the dose is per m²)")
            per = float(self.num(spec)) * bsa
            return unit, per * n if kind == "units_per_m2" else per
        if kind == "fraction_of_phase":
            ref = next(p for p in course["phases"] if p["name"] == spec["phase"])
            ref_daily = self.daily(course, ref, self.phase_range(ref)[0])
            if ref_daily is None:
                return None
            ref_cap = daily_cap(course["maximum"], w, bsa, self.per_day(ref))
            full = ref_daily[1] if ref_cap is None else min(ref_daily[1], ref_cap)
            return unit, full * float(spec["fraction"])
        if kind == "titrate":
            lo, _ = self.phase_range(phase)
            steps = (day - lo) // int(spec["every_days"])
            level = float(self.num(spec["start_mg_per_kg_per_day"])) + steps * float(
                self.num(spec["step_mg_per_kg_per_day"])
            )
            return unit, min(level, float(self.num(spec["target_mg_per_kg_per_day"]))) * w
        if kind == "wean":
            lo, hi = self.phase_range(phase)
            previous = self.level_per_kg(course, lo - 1)
            if previous is None:
                return None
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
            return unit, levels[index] * w
        raise InputError("protocol file", str(self.protocol.path), f"a known dose kind, not {kind}")

    def doses_on(self, course: dict[str, Any], day: int) -> tuple[list[Dose], Pending | None, str]:
        phase = self.phase_on(course, day)
        if phase is None:
            return [], None, ""
        drug = course["drug"]
        detail = phase.get("detail")
        if not self.confirmed(detail):
            return [], Pending(drug=drug, detail=str(detail), phase=phase["name"]), ""
        daily = self.daily(course, phase, day)
        if daily is None:  # depends on an earlier unconfirmed day (e.g. a wean)
            lo, _ = self.phase_range(phase)
            prev = self.phase_on(course, lo - 1)
            blocking = (prev or {}).get("detail") or detail or phase["name"]
            return [], Pending(drug=drug, detail=str(blocking), phase=phase["name"]), ""
        unit, amount = daily
        n = self.per_day(phase)
        cap = daily_cap(course["maximum"], self.weight_kg, self.bsa, n)
        note = ""
        if cap is not None and amount > cap + 1e-9:
            note = (
                f"{drug}: calculated {amount:.2f} {unit}/day capped at the protocol maximum "
                f"{cap:.2f} {unit}/day"
            )
            amount = cap
        per_dose_limit = cap / n if cap is not None else None
        per_dose = round_dose(amount / n, per_dose_limit, DOSE_STEP)
        product = self.concentrations.get(drug)
        volume = None
        if product is not None:
            volume, _ = measurable_volume(per_dose, product[1], per_dose_limit, self.syringes)
        doses = [
            Dose(
                drug=drug,
                time=time,
                route=course["route"],
                unit=unit,
                amount=per_dose,
                per_kg=round(per_dose / self.weight_kg, 3) if unit == "mg" else None,
                per_m2=round(per_dose / self.bsa, 2) if unit == "U" and self.bsa else None,
                volume_ml=volume,
                product=product[0] if product else None,
                phase=phase["name"],
                detail=detail,
                measured=None if volume is None or product is None else round(
                    volume * product[1], 4
                ),
            )
            for time in self.slots[n]
        ]
        return doses, None, note


def _age_months(
    age_months: float | None, birth_date: date | str | None, start: date
) -> float | None:
    if birth_date is not None:
        born = parse_date(birth_date, "birth_date")
        if born > start:
            raise InputError("birth_date", born.isoformat(), "a date before the start date")
        return (start - born).days / DAYS_PER_MONTH
    if age_months is not None:
        finite = isinstance(age_months, int | float) and math.isfinite(age_months)
        if not finite or age_months < 0:
            raise InputError("age_months", age_months, "an age in months of 0 or more")
    return age_months


def plan_course(
    protocol: Protocol | str,
    *,
    weight_kg: float,
    start: date | str,
    length_cm: float | None = None,
    decisions: Mapping[str, bool | None] | None = None,
    parameters: Mapping[str, Any] | None = None,
    bsa_formula: str = DEFAULT_FORMULA,
    products: Mapping[str, float] | None = None,
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
    products : mapping of drug -> concentration [mg/mL or U/mL], optional
        The product strength per drug; default the protocol's first product. Without a
        strength the volume is not computed (``volume_ml`` null).
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
        formula = bsa_formula.strip().lower().replace("_", "-")
        bsa = bsa_m2(float(length_cm), weight_kg, formula)
        spread = bsa_spread(float(length_cm), weight_kg)
        if spread > FORMULA_SPREAD_WARNING:
            warnings.append(
                f"the BSA formulas differ by {spread:.1%} for this infant (more than 5 %): "
                f"{formula} gives {bsa:.3f} m²"
            )
    elif length_cm is not None:
        warnings += check_length(length_cm, age, sex_value)

    concentrations: dict[str, tuple[str, float, str]] = {}
    product_info: dict[str, dict[str, Any]] = {}
    drug_names = {c["drug"].lower(): c for c in protocol.courses}
    for drug, strength in (products or {}).items():
        course = drug_names.get(drug.lower())
        if course is None:
            raise InputError("--product", drug, "a drug of this protocol: " + ", ".join(drug_names))
        if not (isinstance(strength, int | float) and math.isfinite(strength) and strength > 0):
            raise InputError("--product", f"{drug}={strength}", "a strength above 0")
        unit = "mg/mL" if course["unit"] == "mg" else "U/mL"
        name = f"{course['drug']} {strength:g} {unit} (given at planning)"
        concentrations[course["drug"]] = (name, float(strength), unit)
    for course in protocol.courses:
        if course["drug"] not in concentrations and course.get("products"):
            p = course["products"][0]
            concentrations[course["drug"]] = (p["name"], float(p["concentration"]), p["unit"])
        if course["drug"] in concentrations:
            name, strength, unit = concentrations[course["drug"]]
            product_info[course["drug"]] = {"name": name, "concentration": strength, "unit": unit}
        else:
            warnings.append(
                f"{course['drug']}: no product strength given, so no volumes (pass --product "
                f"'{course['drug']}=<strength>' with the strength of the clinic's product)"
            )

    planner = _Planner(
        protocol, values, answers, start_date, weight_kg, bsa, concentrations, syringes
    )
    n_days = max(planner.last_day(c) for c in protocol.courses)
    days = [PlanDay(day=i, date=start_date + timedelta(days=i - 1)) for i in range(1, n_days + 1)]
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
        if drug in last_dose and drug in spans and spans[drug].last_day == (
            last_dose[drug] - start_date
        ).days + 1:
            index = (last_dose[drug] - start_date).days
            days[index].notes.append(f"last dose of {drug}; it stops after this day")
        if course.get("warn_after_months") and drug in spans:
            end = start_date + timedelta(days=spans[drug].last_day - 1)
            warning = long_course_warning(
                drug, start_date, end, float(course["warn_after_months"]),
                list(course.get("warn_sources", [])),
            )
            if warning:
                warnings.append(warning)
    for drug in sorted(caps_noted):
        warnings.append(f"{drug}: some doses were capped at the protocol maximum (see day notes)")

    decision_points = []
    for key, d in known.items():
        when = start_date + timedelta(days=int(d["day"]) - 1)
        answer = given.get(key)
        effect = str(d.get("if_yes" if answers[key] else "if_no", ""))
        decision_points.append(
            DecisionPoint(
                id=key, day=int(d["day"]), date=when, question=d["question"],
                answer=None if answer is None else bool(answer),
                planned_as=answers[key], effect=effect,
            )
        )
        if 1 <= d["day"] <= len(days):
            shown = "yes" if answers[key] else "no"
            status = "answered" if answer is not None else "not yet answered, planned as"
            days[d["day"] - 1].reviews.append(f"clinic review: {d['question']} ({status} {shown})")
        if answer is None:
            warnings.append(
                f"decision {key} (day {d['day']}, {when.isoformat()}) not yet answered: planned "
                f"as {'yes' if answers[key] else 'no'}; re-plan when it is answered"
            )

    monitoring: list[MonitoringItem] = []
    for item in protocol.data.get("monitoring") or []:
        detail = item.get("detail")
        ok = planner.confirmed(detail)
        conf = protocol.confirmation(detail) if detail else None
        by = f"{conf.by} ({conf.at})" if conf and ok else None
        cited = list(item.get("sources", []))
        if not ok:
            monitoring.append(
                MonitoringItem(start_date, f"{item['what']}: schedule {TO_BE_CONFIRMED}",
                               cited, None, detail, False, None)
            )
            continue
        for when, until in schedule_dates(item["schedule"], start_date, spans, values):
            monitoring.append(MonitoringItem(when, item["what"], cited, until, detail, True, by))
    monitoring.sort(key=lambda m: (m.date, m.what))

    advice = []
    for item in protocol.data.get("advice") or []:
        detail = item.get("detail")
        ok = planner.confirmed(detail)
        conf = protocol.confirmation(detail) if detail else None
        advice.append(
            Advice(
                text=" ".join(str(item["text"]).split()),
                sources=list(item.get("sources", [])),
                detail=detail,
                confirmed=ok,
                confirmed_by=f"{conf.by} ({conf.at})" if conf and ok else None,
            )
        )

    confirmed_details, unconfirmed_details = [], []
    for key, spec in protocol.details.items():
        conf = protocol.confirmation(key)
        if is_confirmed(protocol, key, values) and conf is not None:
            confirmed_details.append(
                {"detail": key, "what": " ".join(spec["what"].split()), "by": conf.by,
                 "at": conf.at, "value": conf.value, "note": conf.note}
            )
        else:
            unconfirmed_details.append(
                {"detail": key, "flag": spec["flag"], "what": " ".join(spec["what"].split()),
                 "why": " ".join(spec["why"].split()), "status": TO_BE_CONFIRMED}
            )
            reason = "value changed at planning" if conf is not None else spec["flag"]
            warnings.append(f"{key} ({reason}): {TO_BE_CONFIRMED}")

    end = days[-1].date if days else start_date
    warnings += weight_change_warnings(weight_kg, weights, start_date, end, weight_change_fraction)

    sources = {k: " ".join(v.split()) for k, v in protocol.sources.items()}

    return CoursePlan(
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
        sources=sources,
        decision_points=decision_points,
        confirmed_details=confirmed_details,
        unconfirmed_details=unconfirmed_details,
        parameters=values,
        products=product_info,
        last_dose=last_dose,
    )
