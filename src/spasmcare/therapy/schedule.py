"""Day-by-day course plans from a protocol: doses, decision points, taper, wean, monitoring.

The public entry point is :func:`plan_course`; it returns a :class:`CoursePlan` whose
``to_dict()`` is the JSON the CLI prints and whose ``to_dict(family=True)`` is the family's
version (nothing unconfirmed in it). It runs in named phases, each a function below: the infant's
measurements (:func:`check_body`), the decision answers (:func:`decision_answers`), the products
(:func:`spasmcare.therapy.products.choose_products`), the days (:func:`plan_days`, with the
arithmetic in :mod:`spasmcare.therapy.planner`), the decision points (:func:`decision_points`),
monitoring and advice, the details' status (:func:`detail_lists`) and the live-vaccine hold.
The plan's dataclasses are in :mod:`spasmcare.therapy.plan`; every name stays importable here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH, Sex, parse_sex, sds
from spasmcare.plain import day_text
from spasmcare.therapy.bsa import (
    DEFAULT_FORMULA,
    FORMULA_SPREAD_WARNING,
    bsa_m2,
    bsa_spread,
    normalize_formula,
)
from spasmcare.therapy.dosing import DEFAULT_SYRINGES, Syringe, check_length, check_weight
from spasmcare.therapy.monitoring import (
    WEIGHT_CHANGE_FRACTION,
    CourseSpan,
    MonitoringItem,
    course_date,
    long_course_warning,
    schedule_dates,
    weight_change_warnings,
)
from spasmcare.therapy.plan import (
    FAMILY_MONITORING_EVENT,
    FAMILY_PENDING,
    FAMILY_PENDING_EVENT,
    FAMILY_REVIEW,
    FAMILY_REVIEW_EVENT,
    Advice,
    CoursePlan,
    DecisionPoint,
    Dose,
    Pending,
    PlanDay,
)
from spasmcare.therapy.planner import DEFAULT_TIME_SLOTS, DOSE_STEP, Planner
from spasmcare.therapy.products import (
    Product,
    check_volume,
    choose_products,
    named_product,
    product_warnings,
)
from spasmcare.therapy.protocol import (
    TO_BE_CONFIRMED,
    Protocol,
    load_protocol,
    parameter_values,
)
from spasmcare.therapy.vaccines import DEFAULT_WINDOW, live_vaccine_hold

# The names this module has always offered (the plan's parts now live in plan.py, products.py
# and planner.py; importing them from here keeps working).
__all__ = [
    "DEFAULT_TIME_SLOTS",
    "DOSE_STEP",
    "FAMILY_MONITORING_EVENT",
    "FAMILY_PENDING",
    "FAMILY_PENDING_EVENT",
    "FAMILY_REVIEW",
    "FAMILY_REVIEW_EVENT",
    "Advice",
    "CoursePlan",
    "DecisionPoint",
    "Dose",
    "Pending",
    "PlanDay",
    "Product",
    "check_volume",
    "named_product",
    "parse_date",
    "plan_course",
    "product_warnings",
]


def parse_date(value: date | str, field_name: str = "start") -> date:
    """A date, or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(field_name, value, "a date as YYYY-MM-DD") from None


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


@dataclass
class Body:
    """The infant's measurements a plan doses by, checked: weight, body-surface area."""

    weight_kg: float
    bsa_m2: float | None
    bsa_formula: str | None
    warnings: list[str]


def check_body(
    protocol: Protocol,
    weight_kg: float,
    length_cm: float | None,
    bsa_formula: str,
    age: float | None,
    sex: Sex | None,
) -> Body:
    """Weight and length checked for plausibility (for age when known) and the body-surface
    area [m²] when the protocol doses per m² (a length is then required)."""
    warnings: list[str] = []
    warnings += check_weight(weight_kg, age, sex)
    weight_kg = float(weight_kg)
    bsa = None
    formula = None
    if protocol.uses_bsa():
        if length_cm is None:
            raise InputError(
                "length_cm",
                None,
                f"a length in cm: {protocol.id} doses per m² of body-surface area",
            )
        warnings += check_length(length_cm, age, sex)
        formula = normalize_formula(bsa_formula, "bsa_formula")
        bsa = bsa_m2(float(length_cm), weight_kg, formula)
        spread = bsa_spread(float(length_cm), weight_kg)
        if spread > FORMULA_SPREAD_WARNING:
            warnings.append(
                f"the BSA formulas differ by {spread:.1%} for this infant (more than "
                f"{FORMULA_SPREAD_WARNING:.0%}): {formula} gives {bsa:.3f} m²"
            )
    elif length_cm is not None:
        warnings += check_length(length_cm, age, sex)
    return Body(weight_kg, bsa, formula, warnings)


def decision_answers(
    protocol: Protocol, decisions: Mapping[str, bool | None] | None
) -> tuple[dict[str, dict[str, Any]], dict[str, bool], dict[str, bool]]:
    """(the protocol's decisions by id, the answers given, the answers planned with: given,
    else the decision's ``assume``); an unknown decision id is refused."""
    known = {d["id"]: d for d in protocol.decisions}
    for key in decisions or {}:
        if key not in known:
            accepted = "a decision of this protocol: " + (", ".join(known) or "(none)")
            raise InputError("decisions", key, accepted)
    given = {k: v for k, v in (decisions or {}).items() if v is not None}
    answers = {k: bool(given.get(k, d["assume"])) for k, d in known.items()}
    return known, given, answers


@dataclass
class Days:
    """The planned days with what the later phases read from them."""

    days: list[PlanDay]
    spans: dict[str, CourseSpan]
    last_dose: dict[str, date]
    warnings: list[str]


def plan_days(protocol: Protocol, planner: Planner, start: date) -> Days:
    """Every course day's doses, pending doses and notes; the last-dose note, the long-course
    warning and the capped-dose warning of each drug."""
    n_days = max(planner.last_day(c) for c in protocol.courses)
    days = [PlanDay(day=i, date=course_date(start, i)) for i in range(1, n_days + 1)]
    spans: dict[str, CourseSpan] = {}
    last_dose: dict[str, date] = {}
    caps_noted: set[str] = set()
    warnings: list[str] = []
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
            and spans[drug].last_day == (last_dose[drug] - start).days + 1
        ):
            index = (last_dose[drug] - start).days
            days[index].notes.append(f"last dose of {drug}; it stops after this day")
        if course.get("warn_after_months") and drug in spans:
            end = course_date(start, spans[drug].last_day)
            warning = long_course_warning(
                drug,
                start,
                end,
                float(course["warn_after_months"]),
                list(course.get("warn_sources", [])),
            )
            if warning:
                warnings.append(warning)
    for drug in sorted(caps_noted):
        warnings.append(f"{drug}: some doses were capped at the protocol maximum (see day notes)")
    return Days(days, spans, last_dose, warnings)


def decision_points(
    known: Mapping[str, Mapping[str, Any]],
    given: Mapping[str, bool],
    answers: Mapping[str, bool],
    start: date,
    days: list[PlanDay],
) -> tuple[list[DecisionPoint], list[str]]:
    """The decision points with their answers, the review on each decision's day, and a
    warning for every decision not yet answered (planned as assumed)."""
    points = []
    warnings: list[str] = []
    for key, d in known.items():
        when = course_date(start, int(d["day"]))
        answer = given.get(key)
        effect = str(d.get("if_yes" if answers[key] else "if_no", ""))
        points.append(
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
                f"Day {d['day']} ({day_text(when)}): '{d['question']}' is not yet "
                f"answered: planned as '{'yes' if answers[key] else 'no'}'; re-plan when it "
                "is answered"
            )
    return points, warnings


def monitoring_items(
    protocol: Protocol,
    planner: Planner,
    start: date,
    spans: Mapping[str, CourseSpan],
    values: Mapping[str, Any],
) -> list[MonitoringItem]:
    """The protocol's monitoring on dates; an item whose detail awaits the clinic is one
    "schedule to be confirmed" item on the start date."""
    monitoring: list[MonitoringItem] = []
    for item in protocol.data.get("monitoring") or []:
        detail = item.get("detail")
        ok, by = planner.confirmed_by(detail)
        cited = list(item.get("sources", []))
        if not ok:
            monitoring.append(
                MonitoringItem(
                    start,
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
        for when, until in schedule_dates(item["schedule"], start, spans, values):
            monitoring.append(MonitoringItem(when, item["what"], cited, until, detail, True, by))
    monitoring.sort(key=lambda m: (m.date, m.what))
    return monitoring


def advice_items(protocol: Protocol, planner: Planner) -> list[Advice]:
    """The protocol's safety advice, each marked confirmed or awaiting the clinic."""
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
    return advice


@dataclass
class DetailLists:
    """The protocol's flagged details sorted by status, and the warnings they raise."""

    confirmed: list[dict[str, Any]]
    unconfirmed: list[dict[str, Any]]
    graded: list[dict[str, Any]]
    warnings: list[str]


def detail_lists(protocol: Protocol, values: dict[str, Any]) -> DetailLists:
    """Graded (used on its evidence grade), clinic-confirmed and unconfirmed details; every
    unconfirmed one (or one whose value changed at planning) is a warning."""
    out = DetailLists([], [], [], [])
    for ds in protocol.detail_status(values):
        conf = ds.confirmation
        if ds.active and not ds.confirmed:
            spec = protocol.details[ds.detail]
            out.graded.append(
                {
                    "detail": ds.detail,
                    "what": ds.what,
                    "grade": ds.grade,
                    "grade_note": ds.grade_note,
                    "sources": list(spec.get("sources") or []),
                }
            )
        elif ds.confirmed and conf is not None:
            out.confirmed.append(
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
            out.unconfirmed.append(
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
            out.warnings.append(f"{ds.detail} ({reason}): {TO_BE_CONFIRMED}")
    return out


def course_amounts(days: list[PlanDay]) -> list[tuple[date, dict[str, float], list[str]]]:
    """Per day: (date, daily amount per drug [mg or U], drugs with a pending dose), as the
    live-vaccine hold reads them."""
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
    return course_days


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
    body = check_body(protocol, weight_kg, length_cm, bsa_formula, age, parse_sex(sex))
    values = parameter_values(protocol, parameters)
    known, given, answers = decision_answers(protocol, decisions)
    chosen, product_notes = choose_products(protocol, products)
    planner = Planner(
        protocol, values, answers, start_date, body.weight_kg, body.bsa_m2, chosen, syringes
    )
    planned = plan_days(protocol, planner, start_date)
    points, unanswered = decision_points(known, given, answers, start_date, planned.days)
    details = detail_lists(protocol, values)
    plan = CoursePlan(
        protocol_id=protocol.id,
        version=protocol.version,
        sha256=protocol.sha256,
        origin=protocol.origin,
        title=protocol.title,
        weight_kg=body.weight_kg,
        length_cm=None if length_cm is None else float(length_cm),
        bsa_m2=body.bsa_m2,
        bsa_formula=body.bsa_formula,
        start=start_date,
        days=planned.days,
        monitoring=monitoring_items(protocol, planner, start_date, planned.spans, values),
        advice=advice_items(protocol, planner),
        warnings=body.warnings + product_notes + planned.warnings + unanswered + details.warnings,
        sources=protocol.sources,
        decision_points=points,
        confirmed_details=details.confirmed,
        unconfirmed_details=details.unconfirmed,
        graded_details=details.graded,
        parameters=values,
        products=chosen,
        last_dose=planned.last_dose,
    )
    window = str(values.get("live_vaccine_window", DEFAULT_WINDOW))
    plan.vaccine_hold = live_vaccine_hold(course_amounts(plan.days), body.weight_kg, window)
    plan.warnings += weight_change_warnings(
        body.weight_kg, weights, start_date, plan.end, weight_change_fraction
    )
    return plan
