"""The demo clinic's infant under construction: dates, severity curve, labs, events, growth.

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
:class:`CaseBase` holds an infant's facts and what the story adds; the treatments, diets, EEGs
and the record writer are mixins over it (:mod:`~spasmcare.demo.case` puts them together).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.growth import Measure, Sex, corrected_age_years, value_at_sds


@dataclass(frozen=True)
class DemoInfant:
    """One fictional infant of the demo clinic.

    Attributes
    ----------
    record : dict
        A schema-v1 record document (JSON-ready) that ``record_from_dict(record, today=today)``
        accepts.
    story : str
        One line for humans, e.g. ``"prednisolone responder"``.
    keto : dict or None
        Ketogenic-diet prescription inputs (see the module docstring), ``None`` when the infant
        never had a diet.
    family : bool
        True for exactly one infant of :func:`demo_clinic`: the demo ``family`` login's child.
    """

    record: dict[str, Any]
    story: str
    keto: dict[str, Any] | None
    family: bool


def _day(start: date, number: int) -> date:
    """The date of course day ``number`` (day 1 = ``start``)."""
    return start + timedelta(days=number - 1)


def _at(day: date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


@dataclass
class _Course:
    """A hormonal course: the days of blood pressure and glucose checks."""

    tid: str
    start: date
    stop: date
    high_bp: tuple[date, date] | None = None


@dataclass
class CaseBase:
    """One infant under construction: a severity curve drives the diary; the story adds
    treatments, diets, EEGs, labs and events; :meth:`finish` writes the record."""

    rng: random.Random
    today: date
    pid: str
    name: str
    sex: Sex
    start: date  # first diary day
    end: date  # last diary day
    onset: date
    birth: date
    gestation: tuple[int, int]
    etiology: dict[str, Any]
    knots: list[tuple[date, float]] = field(default_factory=list)
    treatments: list[dict[str, Any]] = field(default_factory=list)
    diets: list[dict[str, Any]] = field(default_factory=list)
    eegs: list[dict[str, Any]] = field(default_factory=list)
    labs: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    courses: list[_Course] = field(default_factory=list)
    protected: list[tuple[date, date]] = field(default_factory=list)
    faltering_from: date | None = None
    growth_every: tuple[int, int] = (14, 42)
    gaps: int | None = None

    def __post_init__(self) -> None:
        r = self.rng
        self.clusters_base = r.randint(3, 5)
        self.spasms_base = r.uniform(7.0, 16.0)
        self.observers = ("mother", "father") if r.random() < 0.7 else ("mother", "grandmother")
        self.wz0 = r.uniform(-1.0, 0.9)
        self.lz0 = _clip(self.wz0 + r.uniform(-0.5, 0.5), -1.3, 1.3)
        self.hz0 = r.uniform(-1.2, 0.8)
        # Own streams for the diary and growth, so that they do not depend on how many draws
        # the story made before (a month's length changes the number of monthly labs).
        self.diary_rng = random.Random(r.getrandbits(64))
        self.growth_rng = random.Random(r.getrandbits(64))
        self.wz_wave = (r.uniform(0.04, 0.14), r.uniform(90.0, 200.0), r.uniform(0.0, 6.28))
        self.protected.append((self.start, self.start + timedelta(days=8)))
        self.protected.append((self.end - timedelta(days=3), self.end))

    # --- severity (1 = untreated spasms, 0 = spasm-free) ----------------------------------

    def knot(self, day: date, level: float) -> None:
        self.knots.append((day, level))

    def severity(self, day: date) -> float:
        points = sorted(self.knots)
        if not points or day <= points[0][0]:
            return points[0][1] if points else 1.0
        for (d0, s0), (d1, s1) in zip(points, points[1:], strict=False):
            if d0 <= day <= d1:
                span = (d1 - d0).days
                return s1 if span == 0 else s0 + (s1 - s0) * (day - d0).days / span
        return points[-1][1]

    def protect(self, first: date, last: date) -> None:
        self.protected.append((first, last))

    def lab(
        self,
        at: str,
        analyte: str,
        value: float,
        unit: str,
        sample: str | None = None,
        name: str | None = None,
    ) -> None:
        entry: dict[str, Any] = {"at": at, "analyte": analyte}
        if name:
            entry["name"] = name
        entry.update({"value": value, "unit": unit})
        if sample:
            entry["sample"] = sample
        self.labs.append(entry)

    def event(
        self, day: date, kind: str, grade: int | None, tid: str | None, note: str | None
    ) -> None:
        if day > self.end:
            return
        entry: dict[str, Any] = {"date": day.isoformat(), "type": kind}
        if grade is not None:
            entry["grade"] = grade
        if tid is not None and any(t["id"] == tid for t in self.treatments):
            entry["treatment"] = tid
        if note:
            entry["note"] = note
        self.events.append(entry)

    # --- growth along a WHO z-score ------------------------------------------------------

    def _age_years(self, day: date) -> float | None:
        weeks, days = self.gestation
        return corrected_age_years(self.birth, day, weeks, days)

    def weight_z(self, day: date) -> float:
        amp, period, phase = self.wz_wave
        z = self.wz0 + amp * math.sin(2 * math.pi * (day - self.birth).days / period + phase)
        for course in self.courses:  # steroid weight gain, fading over 3 weeks after the stop
            if course.start <= day:
                rise = min(1.0, (day - course.start).days / 14)
                fade = max(0.0, 1 - max(0, (day - course.stop).days) / 21)
                z += 0.25 * rise * fade
        if self.faltering_from is not None and day > self.faltering_from:
            z -= min(1.5, 1.5 * (day - self.faltering_from).days / 110)
        return _clip(z, -1.9, 1.9)

    def _value(self, measure: Measure, z: float, day: date) -> float:
        age = self._age_years(day)
        if age is None:
            raise InputError("day", day.isoformat(), "a day after the expected date of delivery")
        return value_at_sds(measure, z, age, self.sex)

    def weight_kg(self, day: date) -> float:
        return self._value("weight", self.weight_z(day), day)

    def length_cm(self, day: date) -> float:
        return self._value("height", self.lz0, day)
