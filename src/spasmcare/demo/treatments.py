"""The demo clinic's drug courses: prednisolone, vigabatrin, ACTH, tetracosactide.

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
Doses follow the bundled protocols (:mod:`spasmcare.demo.doses`); flagged protocol details
(tapers, escalations) are shown as given, as if the fictional clinic had confirmed them.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from spasmcare.demo.base import CaseBase, _at, _Course, _day
from spasmcare.demo.doses import (
    ACTH_ALTERNATE,
    ACTH_HIGH_STEPS,
    PRED_ESCALATED,
    PRED_LAST_DAY,
    PRED_STEPS,
    TETRA_ESCALATED_DAY,
    TETRA_ESCALATED_MG,
    TETRA_LAST_DAY,
    TETRA_MG,
    TETRA_TAPER_DAYS,
    VGB_EVERY_DAYS,
    VGB_MONTHS,
    VGB_RAPID,
    VGB_RAPID_DAY4,
    VGB_START,
    VGB_STEP,
    VGB_STOP_EVERY_DAYS,
    VGB_STOP_STEP,
    VGB_TARGET,
    VGB_WEAN_MONTHS,
    VGB_WEAN_STEP,
)
from spasmcare.months import add_months
from spasmcare.therapy.bsa import bsa_m2


class Treatments(CaseBase):
    """The drug courses of a demo infant."""

    def treatment(
        self,
        tid: str,
        drug: str,
        protocol: str | None,
        start: date,
        stop: date | None,
        doses: list[tuple[date, float, str, str | None]],
        note: str | None = None,
        continues: str | None = None,
    ) -> bool:
        """Add a treatment, keeping only what happened by ``today`` (a later stop is left open,
        later doses are dropped). Returns False when it starts after today."""
        if start > self.today:
            return False
        entry: dict[str, Any] = {"id": tid, "drug": drug}
        if protocol:
            entry["protocol"] = protocol
        entry["start"] = start.isoformat()
        if stop is not None and stop <= self.today:
            entry["stop"] = stop.isoformat()
        if continues:
            entry["continues"] = continues
        kept = []
        for day, amount, unit, why in doses:
            if day <= self.today:
                dose: dict[str, Any] = {"start": day.isoformat(), "amount": amount, "unit": unit}
                if why:
                    dose["note"] = why
                kept.append(dose)
        if kept:
            entry["doses"] = kept
        if note:
            entry["note"] = note
        self.treatments.append(entry)
        return True

    def glucose_checks(self, tid: str, start: date, stop: date) -> None:
        for n in (1, 8, 15):
            day = _day(start, n)
            if day <= min(stop, self.end):
                value = round(
                    self.rng.uniform(4.2, 5.4) if n == 1 else self.rng.uniform(4.6, 7.2), 1
                )
                self.lab(_at(day, 8, 30), "glucose", value, "mmol/L", "capillary")

    def prednisolone(
        self,
        tid: str,
        start: date,
        *,
        escalate: bool,
        protocol: str = "prednisolone-high-dose",
        high_bp: tuple[int, int] | None = None,
        note: str | None = None,
    ) -> None:
        doses: list[tuple[date, float, str, str | None]] = []
        for number, amount in PRED_STEPS:
            why = "taper" if number == PRED_STEPS[1][0] else None
            doses.append((_day(start, number), amount, "mg/day", why))
            if number == 1 and escalate:
                day, dose = PRED_ESCALATED
                doses.append((_day(start, day), dose, "mg/day", "spasms continuing on day 7"))
        stop = _day(start, PRED_LAST_DAY)
        if self.treatment(tid, "prednisolone", protocol, start, stop, doses, note):
            self._hormonal(tid, start, stop, high_bp)
        self.protect(start - timedelta(days=10), _day(start, 16))

    def _hormonal(self, tid: str, start: date, stop: date, high_bp: tuple[int, int] | None) -> None:
        bp = None if high_bp is None else (_day(start, high_bp[0]), _day(start, high_bp[1]))
        self.courses.append(_Course(tid, start, stop, bp))
        self.glucose_checks(tid, start, stop)

    def vigabatrin(
        self,
        tid: str,
        start: date,
        *,
        rapid: bool = False,
        protocol: str | None = None,
        wean: bool = True,
        stop_on: date | None = None,
        note: str | None = None,
    ) -> None:
        """Vigabatrin by the label titration (``rapid=False``) or the ICISS one; weaned after
        3 months (``wean``), or stopped early from ``stop_on`` (a failed course)."""
        doses: list[tuple[date, float, str, str | None]] = []
        if rapid:
            doses += [(_day(start, n), amount, "mg/kg/day", None) for n, amount in VGB_RAPID]
            continuing = self.severity(_day(start, 4)) > 0
            top = VGB_RAPID_DAY4[1] if continuing else VGB_RAPID_DAY4[0]
            if continuing:  # otherwise the day-2 dose stays in force
                doses.append((_day(start, 4), top, "mg/kg/day", "spasms continuing after 72 h"))
            protocol = protocol or "vigabatrin-rapid"
        else:
            level, number = VGB_START, 1
            while True:
                doses.append((_day(start, number), level, "mg/kg/day", None))
                if level >= VGB_TARGET:
                    break
                level, number = min(level + VGB_STEP, VGB_TARGET), number + VGB_EVERY_DAYS
            top = VGB_TARGET
            protocol = protocol or "vigabatrin"
        stop: date | None = None
        if stop_on is not None:
            level, day = top, stop_on
            while level - VGB_STOP_STEP > 0:
                level -= VGB_STOP_STEP
                why = (
                    "no substantial benefit: tapered off" if level == top - VGB_STOP_STEP else None
                )
                doses.append((day, level, "mg/kg/day", why))
                day += timedelta(days=VGB_STOP_EVERY_DAYS)
            stop = day - timedelta(days=1)
        elif wean:
            first = add_months(start, VGB_MONTHS)
            stop = add_months(start, VGB_MONTHS + VGB_WEAN_MONTHS) - timedelta(days=1)
            length = (stop - first).days + 1
            levels = []
            level = top - VGB_WEAN_STEP
            while level > 0:
                levels.append(level)
                level -= VGB_WEAN_STEP
            for i, amount in enumerate(levels):
                offset = math.ceil(i * length / len(levels))
                doses.append(
                    (
                        first + timedelta(days=offset),
                        amount,
                        "mg/kg/day",
                        "wean" if i == 0 else None,
                    )
                )
        self.treatment(tid, "vigabatrin", protocol, start, stop, doses, note)
        self.protect(start - timedelta(days=10), _day(start, 16))

    def acth(self, tid: str, start: date, *, high_bp: tuple[int, int] | None = None) -> None:
        doses: list[tuple[date, float, str, str | None]] = [
            (_day(start, n), amount, "IU/m2/day", "75 IU/m2 twice daily" if n == 1 else None)
            for n, amount in ACTH_HIGH_STEPS
        ]
        first, per_m2, last = ACTH_ALTERNATE
        weight, length = self.weight_kg(start), self.length_cm(start)
        per_dose = round(per_m2 * bsa_m2(length, weight), 1)
        doses.append(
            (
                _day(start, first),
                per_dose,
                "IU",
                f"{per_m2:g} IU/m2 every other morning, days {first}-{last}",
            )
        )
        stop = _day(start, last)
        note = f"Dosed on {weight:.2f} kg and {length:.1f} cm (BSA by Mosteller)."
        if self.treatment(tid, "ACTH (Acthar Gel)", "acth-high-dose", start, stop, doses, note):
            self._hormonal(tid, start, stop, high_bp)
        self.protect(start - timedelta(days=10), _day(start, 16))

    def tetracosactide(self, tid: str, start: date, *, escalate: bool) -> None:
        doses: list[tuple[date, float, str, str | None]] = [
            (start, TETRA_MG, "mg every other day", "IM on days 1, 3, 5 ... 13")
        ]
        if escalate:
            doses.append(
                (
                    _day(start, TETRA_ESCALATED_DAY),
                    TETRA_ESCALATED_MG,
                    "mg every other day",
                    "spasms continuing on day 7",
                )
            )
        stop = _day(start, TETRA_LAST_DAY)
        if self.treatment(tid, "tetracosactide depot", "tetracosactide-depot", start, stop, doses):
            first, last = TETRA_TAPER_DAYS
            self.treatment(
                f"{tid}-taper",
                "prednisolone",
                "tetracosactide-depot",
                _day(start, first),
                _day(start, last),
                [],
                "Reducing prednisolone over 2 weeks after tetracosactide; doses as set by the "
                "clinic (protocol detail prednisolone-taper).",
                continues=tid,
            )
            self._hormonal(tid, start, _day(start, last), None)
        self.protect(start - timedelta(days=10), _day(start, 16))
