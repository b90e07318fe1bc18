"""Monitoring plan and safety warnings made with a course.

The monitoring items themselves are protocol data (each with its sources); this module turns
their schedules into dates and adds the course-level safety warnings.

Schedules understood (``schedule`` of a monitoring item)
--------------------------------------------------------
``{on_day: N}``
    Once, on course day N (day 1 = start).
``{within_days: N}``
    Once, before starting or at the latest on day N (e.g. a baseline vision test).
``{per_week: K, course: DRUG | all}``
    K times a week (spread evenly over each 7-day week) from the first to the last day of the
    named course (or of all courses).
``{every_months: M, course: DRUG}``
    Every M calendar months after the start, while the course runs.
``{after_stop_months: [A, B], course: DRUG}``
    Once, between A and B months after the course's last dose.

References
----------
1. Weight-change threshold: project requirement (issue 4: "warn when weight changes > 10 % in
   a course (re-dose)"); not a cited clinical figure, so it is a named option
   (``weight_change_fraction``, default 0.10).
2. Westall CA et al. 2014 (PMC4277676): vigabatrin retinal toxicity 5.3 % by 6 months and
   13.3 % by 12 months; treatment for 6 months or less advised. The protocol's
   ``warn_after_months`` carries the limit and its source.
3. drug-protocols-evidence.md D-15: what to check on hormonal treatment (blood pressure,
   glucose, weight) is sourced, how often is NOT FOUND; the clinic sets it. Until it does, a
   family still sees the check, with :data:`FAMILY_HOW_OFTEN_UNSET` instead of dates.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH
from spasmcare.months import add_months as add_months  # re-exported: its home before
from spasmcare.therapy.protocol import resolve

#: Relative weight change within a course above which the plan warns [1].
WEIGHT_CHANGE_FRACTION = 0.10
#: What a family reads beside a check whose frequency awaits the clinic [3].
FAMILY_HOW_OFTEN_UNSET = "your team will tell you how often"


def add_months_exact(start: date, months: float) -> date:
    """``start`` plus ``months``: whole calendar months (:func:`add_months`), then the fraction
    of a month as days (``DAYS_PER_MONTH`` days a month), so 6.5 months is 6 months + 15 days."""
    whole = math.floor(months)
    return add_months(start, whole) + timedelta(days=round((months - whole) * DAYS_PER_MONTH))


def course_date(start: date, day: int) -> date:
    """The calendar date of course day ``day`` (day 1 = ``start``)."""
    return start + timedelta(days=day - 1)


@dataclass
class MonitoringItem:
    """One dated monitoring task."""

    date: date
    what: str
    sources: list[str]
    until: _dt.date | None = None
    detail: str | None = None
    confirmed: bool = True
    confirmed_by: str | None = None
    check: str | None = None  # the protocol's words for the check, without its status

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"date": self.date.isoformat(), "what": self.what}
        if self.until is not None:
            out["until"] = self.until.isoformat()
        out["sources"] = self.sources
        if self.detail is not None:
            out["detail"] = self.detail
            out["confirmed"] = self.confirmed
            out["confirmed_by"] = self.confirmed_by
        return out


@dataclass(frozen=True)
class FamilyCheck:
    """One check on a family's sheet: dated (``date``, ``until``) when its schedule is set,
    else undated with ``how_often`` saying the team sets it [3]."""

    what: str
    date: _dt.date | None
    until: _dt.date | None = None
    how_often: str = ""
    item: MonitoringItem | None = None


def family_checks(items: Sequence[MonitoringItem]) -> list[FamilyCheck]:
    """The checks a family sees: every confirmed dated item, then once each check whose
    schedule awaits the clinic, undated, reading "your team will tell you how often" [3]
    (never dropped: the check itself is sourced even when its frequency is not)."""
    dated = [FamilyCheck(m.what, m.date, m.until, "", m) for m in items if m.confirmed]
    unset: list[FamilyCheck] = []
    for m in items:
        if m.confirmed:
            continue
        what = m.check or m.what
        if all(c.what != what for c in unset):
            unset.append(FamilyCheck(what, None, None, FAMILY_HOW_OFTEN_UNSET, m))
    return dated + unset


@dataclass
class CourseSpan:
    """First and last day [course day numbers] on which a course has a dose or a pending dose."""

    first_day: int
    last_day: int


def schedule_dates(
    schedule: Mapping[str, Any],
    start: date,
    spans: Mapping[str, CourseSpan],
    values: Mapping[str, Any],
) -> list[tuple[date, date | None]]:
    """Dates (with an optional latest date) of one monitoring schedule (see module notes)."""

    def span(course: str) -> CourseSpan | None:
        if course == "all":
            if not spans:
                return None
            return CourseSpan(
                min(s.first_day for s in spans.values()), max(s.last_day for s in spans.values())
            )
        return spans.get(course)

    def day_date(day: int) -> date:
        return course_date(start, day)

    if "on_day" in schedule:
        return [(day_date(int(schedule["on_day"])), None)]
    if "within_days" in schedule:
        return [(start, day_date(int(schedule["within_days"])))]
    if "per_week" in schedule:
        per_week = int(resolve(schedule["per_week"], values))
        s = span(str(schedule.get("course", "all")))
        if s is None or per_week < 1:
            return []
        offsets = sorted({(i * 7) // per_week for i in range(per_week)})
        out: list[tuple[date, date | None]] = []
        week = 0
        while True:
            week_start = s.first_day + 7 * week
            if week_start > s.last_day:
                break
            for off in offsets:
                if week_start + off <= s.last_day:
                    out.append((day_date(week_start + off), None))
            week += 1
        return out
    if "every_months" in schedule:
        months = int(resolve(schedule["every_months"], values))
        s = span(str(schedule["course"]))
        if s is None:
            return []
        end = day_date(s.last_day)
        monthly: list[tuple[date, date | None]] = []
        k = 1
        while add_months(start, months * k) <= end:
            monthly.append((add_months(start, months * k), None))
            k += 1
        return monthly
    if "after_stop_months" in schedule:
        first, last = (int(resolve(m, values)) for m in schedule["after_stop_months"])
        s = span(str(schedule["course"]))
        if s is None:
            return []
        stop = day_date(s.last_day)
        return [(add_months(stop, first), add_months(stop, last))]
    raise InputError("monitoring schedule", dict(schedule), "a schedule described in monitoring.py")


def weight_change_warnings(
    weight_kg: float,
    weights: Mapping[date, float] | None,
    start: date,
    end: date,
    fraction: float = WEIGHT_CHANGE_FRACTION,
) -> list[str]:
    """Warn for each weight inside the course that differs from the planning weight by more
    than ``fraction`` (default 10 %) [1]."""
    out = []
    for when, kg in sorted((weights or {}).items()):
        if not kg > 0:
            raise InputError("weights", kg, "weights in kg above 0")
        if start <= when <= end:
            change = kg / weight_kg - 1.0
            if abs(change) > fraction + 1e-9:  # 7.7 kg vs 7 kg is exactly 10 %
                out.append(
                    f"weight on {when.isoformat()} is {kg:g} kg, {change:+.0%} from the planning "
                    f"weight {weight_kg:g} kg (more than {fraction:.0%}): re-dose, i.e. plan the "
                    "course again with the new weight"
                )
    return out


def long_course_warning(
    drug: str, start: date, last_dose: date, months: float, sources: list[str]
) -> str | None:
    """Warn when a course runs longer than ``months`` months after its start [2]."""
    limit = add_months_exact(start, months)
    if last_dose > limit:
        cited = ", ".join(sources)
        return (
            f"{drug} runs until {last_dose.isoformat()}, longer than {months:g} months "
            f"(after {limit.isoformat()}): the retinal risk rises with duration [{cited}]"
        )
    return None
