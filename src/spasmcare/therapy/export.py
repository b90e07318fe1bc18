"""Printable tables and iCalendar (.ics) export of a course plan.

The family versions (``family=True`` tables and every .ics file) contain only confirmed doses,
monitoring and advice: a day whose dose awaits clinic confirmation says only that the clinic
will give the dose. They carry no evidence grades (those are for the clinicians' pages) and
write dates as people do ("7 Dec 2026"); a dose reads "20 mg = 2 mL of 10 mg/mL at 08:00".
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from icalendar import Event

from spasmcare.errors import InputError
from spasmcare.plain import day_text
from spasmcare.therapy.plan import (
    FAMILY_MONITORING_EVENT,
    FAMILY_PENDING,
    FAMILY_PENDING_EVENT,
    FAMILY_REVIEW_EVENT,
    CoursePlan,
    Dose,
)
from spasmcare.therapy.products import GIVEN_AT_PLANNING
from spasmcare.therapy.protocol import TO_BE_CONFIRMED

__all__ = [
    "FAMILY_PENDING",
    "dose_text",
    "given_text",
    "grade_text",
    "number",
    "per_text",
    "plan_dose_given_text",
    "table_rows",
    "to_ics",
    "volume_text",
    "write_ics",
]


def number(value: float | None, digits: int = 2) -> str:
    """A dose or volume without trailing zeros ("10", "2.5", "0.38")."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def given_text(
    amount: float,
    unit: str,
    volume_ml: float | None = None,
    concentration: float | None = None,
    times: Sequence[str] = (),
) -> str:
    """A dose as a family reads it: "20 mg = 2 mL of 10 mg/mL at 08:00, 14:00, 20:00".

    ``amount`` is what the measured volume gives (never the planned dose beside a volume that
    holds less); the volume always carries the strength it was computed from
    (:func:`volume_text`); ``times`` are the schedule's times (none: no "at").
    """
    shown = f"{number(amount)} {'units' if unit == 'U' else unit}"
    if volume_ml is not None:
        shown += f" = {number(volume_ml)} mL"
        if concentration is not None:
            shown += f" of {concentration:g} {'mg/mL' if unit == 'mg' else 'U/mL'}"
    named = [t for t in times if t]
    return f"{shown} at {', '.join(named)}" if named else shown


def family_product(name: str | None) -> str:
    """A product's name as a family reads it: without the clinicians' "(given at planning)"."""
    return (name or "").removesuffix(GIVEN_AT_PLANNING)


def dose_given_text(dose: Dose) -> str:
    """One planned dose as a family reads it, at its time (:func:`given_text`)."""
    gives = dose.measured if dose.volume_ml is not None and dose.measured is not None else None
    return given_text(
        gives if gives is not None else dose.amount,
        dose.unit,
        dose.volume_ml,
        dose.concentration,
        [dose.time],
    )


def plan_dose_given_text(dose: Mapping[str, Any], times: Sequence[str] = ()) -> str:
    """:func:`dose_given_text` of a dose in a plan's dictionary form (``CoursePlan.to_dict``:
    ``mg`` or ``units``, ``volume_ml``, ``measured_mg``/``measured_units``, ``concentration``):
    with a volume, the amount is what the measured volume gives."""
    unit = "mg" if dose.get("mg") is not None else "U"
    planned = dose.get("mg") if unit == "mg" else dose.get("units")
    measured = dose.get("measured_mg") if unit == "mg" else dose.get("measured_units")
    volume = dose.get("volume_ml")
    amount = measured if volume is not None and measured is not None else planned
    return given_text(float(amount or 0), unit, volume, dose.get("concentration"), times)


def dose_text(dose: Dose) -> str:
    return f"{number(dose.amount)} {dose.unit}"


def grade_text(dose: Dose) -> str:
    """The evidence grade shown beside a dose: "SECONDARY (ukiss-adc2005)"; see
    :mod:`spasmcare.therapy.protocol` (Grades)."""
    if dose.grade_sources:
        return f"{dose.grade} ({', '.join(dose.grade_sources)})"
    return dose.grade


def volume_text(dose: Dose) -> str:
    """A volume always with the strength it was computed from: "7.5 mL of 50 mg/mL".

    A volume without its strength is how a twofold error goes unnoticed when two products of
    one drug differ in strength (vigabatrin 50 mg/mL powder vs 100 mg/mL solution [1]).

    References
    ----------
    1. openFDA NDC records: VIGAFYDE 100 mg/mL; generic vigabatrin for oral solution 50 mg/mL
       (drug-protocols-evidence.md D-8).
    """
    if dose.volume_ml is None:
        return ""
    if dose.concentration is None:
        return f"{number(dose.volume_ml)} mL"
    unit = "mg/mL" if dose.unit == "mg" else "U/mL"
    return f"{number(dose.volume_ml)} mL of {dose.concentration:g} {unit}"


def per_text(dose: Dose) -> str:
    if dose.unit == "mg" and dose.per_kg is not None:
        return f"{number(dose.per_kg)} mg/kg"
    if dose.unit == "U" and dose.per_m2 is not None:
        return f"{number(dose.per_m2, 1)} U/m²"
    return ""


def table_rows(
    plan: CoursePlan, family: bool = False, grouped: bool = False
) -> list[dict[str, str]]:
    """One row per dose (and per day awaiting a dose), in date and time order.

    Columns: day, date, time, medicine, dose, per (per kg or per m²), ml (with the product
    strength), grade (evidence grade and its sources, or "NOT FOUND" for a dose awaiting the
    clinic), note. With
    ``grouped`` the identical doses of one drug on one day share a row whose ``time`` lists
    every time ("08:00 12:00 16:00 20:00").
    """
    rows: list[dict[str, str]] = []
    for day in plan.days:
        first = True
        day_notes = day.notes_for(family)
        ordered = sorted(day.doses, key=lambda d: (d.drug, d.time))
        groups: list[tuple[Dose, list[str]]] = []
        for dose in ordered:
            same = (
                groups
                and grouped
                and groups[-1][0].drug == dose.drug
                and (
                    groups[-1][0].amount == dose.amount
                    and groups[-1][0].volume_ml == dose.volume_ml
                )
            )
            if same:
                groups[-1][1].append(dose.time)
            else:
                groups.append((dose, [dose.time]))
        if not grouped:
            groups.sort(key=lambda g: (g[1][0], g[0].drug))
        for dose, times in groups:
            rows.append(
                {
                    "day": str(day.day),
                    "date": day.date.isoformat(),
                    "time": " ".join(times),
                    "medicine": dose.drug,
                    "dose": dose_text(dose),
                    "per": per_text(dose),
                    "ml": volume_text(dose),
                    "grade": "" if family else grade_text(dose),
                    "note": "; ".join(day_notes) if first else "",
                }
            )
            first = False
        for pending in day.pending:
            text = FAMILY_PENDING if family else f"{TO_BE_CONFIRMED} [{pending.detail}]"
            rows.append(
                {
                    "day": str(day.day),
                    "date": day.date.isoformat(),
                    "time": "",
                    "medicine": pending.drug,
                    "dose": text,
                    "per": "",
                    "ml": "",
                    "grade": "" if family else pending.grade,
                    "note": "; ".join(day_notes) if first else "",
                }
            )
            first = False
        if first:
            rows.append(
                {
                    "day": str(day.day),
                    "date": day.date.isoformat(),
                    "time": "",
                    "medicine": "",
                    "dose": "no dose today",
                    "per": "",
                    "ml": "",
                    "grade": "",
                    "note": "; ".join(day_notes),
                }
            )
    return rows


def _uid(*parts: Any) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:24]
    return f"{digest}@spasmcare"


def to_ics(plan: CoursePlan, generated_at: datetime | None = None) -> bytes:
    """The family calendar of a plan: one event per confirmed dose, all-day events for the
    clinic reviews, confirmed monitoring tasks and days whose dose the clinic will give.

    Times are floating local times (the family's own clock). UIDs are stable for a given
    protocol version, date, time and drug, so a re-planned course updates the same events.
    """
    # imported here: a command that writes no calendar (``report``) does not load icalendar
    from icalendar import Calendar, Event

    stamp = (generated_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//spasmcare//therapy course//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{plan.title} (from {day_text(plan.start)})")
    key = (plan.protocol_id, plan.version, plan.start.isoformat())

    def all_day(when: date, summary: str, description: str, *uid_parts: Any) -> Event:
        event = Event()
        event.add("uid", _uid(*key, *uid_parts))
        event.add("dtstamp", stamp)
        event.add("dtstart", when)
        event.add("dtend", when + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        return event

    for day in plan.days:
        for dose in day.doses:
            hour, minute = (int(x) for x in dose.time.split(":"))
            begin = datetime.combine(day.date, time(hour, minute))
            event = Event()
            event.add("uid", _uid(*key, day.date, dose.time, dose.drug))
            event.add("dtstamp", stamp)
            event.add("dtstart", begin)
            event.add("dtend", begin + timedelta(minutes=10))
            event.add("summary", f"{dose.drug} {dose_given_text(dose)}")
            lines = [f"Day {day.day} of the course", f"Route: {dose.route}"]
            if dose.product:
                lines.append(f"Product: {family_product(dose.product)}")
            event.add("description", "\n".join(lines))
            cal.add_component(event)
        for pending in day.pending:
            cal.add_component(
                all_day(
                    day.date,
                    f"{pending.drug}: {FAMILY_PENDING_EVENT}",
                    FAMILY_PENDING,
                    day.date,
                    pending.drug,
                    "pending",
                )
            )
    hold = plan.vaccine_hold
    if hold is not None:
        cal.add_component(
            all_day(hold.start, "No live vaccines (see the clinic's dates)", hold.text, "vaccine")
        )
        cal.add_component(
            all_day(
                hold.until,
                "Last day of the live-vaccine hold",
                hold.text,
                "vaccine-end",
            )
        )
    for point in plan.decision_points:
        if point.day <= len(plan.days):
            cal.add_component(
                all_day(
                    point.date, f"Clinic review: {point.question}", FAMILY_REVIEW_EVENT, point.id
                )
            )
    for item in plan.visible_monitoring(family=True):
        summary = item.what
        if item.until is not None:
            summary += f" (by {day_text(item.until)})"
        cal.add_component(
            all_day(item.date, summary, FAMILY_MONITORING_EVENT, item.date, item.what)
        )
    return cal.to_ical()


def write_ics(plan: CoursePlan, path: str | Path, generated_at: datetime | None = None) -> Path:
    """Write the family calendar (see :func:`to_ics`) to ``path``."""
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError("--ics", str(path), "a file path in an existing directory")
    data = to_ics(plan, generated_at)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(data)
    partial.replace(target)  # never leave a half-written calendar
    return target
