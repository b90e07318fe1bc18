"""The demo clinic's ketogenic diets and the labs that follow them.

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from spasmcare.demo.base import CaseBase, _at, _clip
from spasmcare.months import add_months
from spasmcare.record.units import ANALYTES


class Diets(CaseBase):
    """The diet periods and diet labs of a demo infant."""

    def diet(
        self,
        did: str,
        kind: str,
        start: date,
        *,
        ratio: float | None,
        achieved: tuple[float, float],
        stop: date | None = None,
        ramp: tuple[float, ...] = (),
        note: str | None = None,
    ) -> None:
        """A diet period; ``achieved`` = (mean, sd) of the ratio families reach after the
        ``ramp`` of daily ratios at the start."""
        last = min(stop or self.end, self.end)
        entry: dict[str, Any] = {"id": did, "diet": kind, "start": start.isoformat()}
        if stop is not None and stop <= self.today:
            entry["stop"] = stop.isoformat()
        if ratio is not None:
            entry["prescribed_ratio"] = ratio
        readings = []
        for i, value in enumerate(ramp):
            day = start + timedelta(days=i)
            if day <= last:
                readings.append({"date": day.isoformat(), "ratio": value})
        day = start + timedelta(days=max(len(ramp), 1) + 1)
        while day <= last:
            value = round(_clip(self.rng.gauss(*achieved), 0.5, 6.0), 2)
            readings.append({"date": day.isoformat(), "ratio": value})
            day += timedelta(days=self.rng.randint(3, 4))
        if readings:
            entry["achieved"] = readings
        if note:
            entry["note"] = note
        self.diets.append(entry)
        self.protect(start - timedelta(days=10), start + timedelta(days=6))

    def _mg_dl(self, analyte: str, mmol_l: float, digits: int = 1) -> float:
        """A result [mmol/L] written in mg/dL, by the record's own conversion factor (the one
        it converts back with on import, :mod:`spasmcare.record.units`)."""
        return round(mmol_l / ANALYTES[analyte].factors["mg/dL"], digits)

    def diet_labs(
        self,
        start: date,
        stop: date | None = None,
        *,
        hypo_day: int | None = None,
        high_day: int | None = None,
        above_days: tuple[int, ...] = (),
        low_day: int | None = None,
        ucacr_high: bool = False,
    ) -> None:
        """Baseline screen, ketones (daily at the start, then twice weekly, then weekly),
        glucose, monthly chemistry, lipids and urine calcium/creatinine every 3 months."""
        last = min(stop or self.end, self.end)
        self._baseline_labs(start)
        self._ketone_labs(start, last, high_day, above_days, low_day)
        self._start_glucose(start, last, hypo_day)
        self._monthly_labs(start, last, ucacr_high)

    def _baseline_labs(self, start: date) -> None:
        """The screen a few days before the diet starts."""
        r = self.rng
        base = start - timedelta(days=r.randint(2, 5))
        self.lab(_at(base, 9), "glucose", round(r.uniform(4.2, 5.3), 1), "mmol/L", "venous")
        self.lab(_at(base, 9), "bicarbonate", float(r.randint(21, 25)), "mmol/L")
        self.lab(_at(base, 9), "calcium", round(r.uniform(2.3, 2.6), 2), "mmol/L")
        self.lab(_at(base, 9), "total_cholesterol", round(r.uniform(3.2, 4.3), 1), "mmol/L")
        self.lab(_at(base, 9), "triglycerides", round(r.uniform(0.8, 1.4), 1), "mmol/L")
        self.lab(_at(base, 9), "other", float(r.randint(50, 95)), "nmol/L", name="25-OH vitamin D")
        self.lab(
            _at(base, 10, 30),
            "urine_calcium_creatinine_ratio",
            round(r.uniform(0.3, 1.0), 2),
            "mmol/mmol",
            "spot urine",
        )

    def _ketone_labs(
        self,
        start: date,
        last: date,
        high_day: int | None,
        above_days: tuple[int, ...],
        low_day: int | None,
    ) -> None:
        """Ketones daily at the start, then twice weekly, then weekly; one high reading is an
        event."""
        r = self.rng
        offsets = [0, 1, 2, 3, 4, 6]
        while offsets[-1] < 28:
            offsets.append(offsets[-1] + r.randint(3, 4))
        while start + timedelta(days=offsets[-1]) <= last:
            offsets.append(offsets[-1] + 7)
        special: dict[int, str] = {}  # offset -> "high" | "above" | "low"
        for wanted, kind in (
            [(high_day, "high")] + [(a, "above") for a in above_days] + [(low_day, "low")]
        ):
            if wanted is not None:
                special[min((o for o in offsets if o >= wanted), default=offsets[-1])] = kind
        for i, n in enumerate(offsets):
            day = start + timedelta(days=n)
            if day > last:
                break
            kind = special.get(n, "")
            if n == 0:
                value = r.uniform(0.3, 0.8)
            elif n == 1:
                value = r.uniform(1.0, 1.9)
            elif kind == "high":
                value = r.uniform(6.2, 6.8)
            elif kind == "above":
                value = r.uniform(5.2, 5.8)
            elif kind == "low":
                value = r.uniform(1.4, 1.8)
            else:
                value = _clip(r.gauss(3.6, 0.55), 2.1, 4.9)
            if i % 5 == 4:
                self.lab(_at(day, 7, 30), "bhb", self._mg_dl("bhb", value), "mg/dL", "venous")
            else:
                self.lab(_at(day, 7, 30), "bhb", round(value, 1), "mmol/L", "capillary")
            if kind == "high":
                self.event(
                    day,
                    "hyperketosis",
                    2,
                    None,
                    "Drowsy with fast breathing; juice given and ketones rechecked; "
                    "ratio reviewed with the dietitian.",
                )

    def _start_glucose(self, start: date, last: date, hypo_day: int | None) -> None:
        """Capillary glucose on the first five diet days (a low one is an event)."""
        r = self.rng
        for n in range(5):
            day = start + timedelta(days=n)
            if day > last:
                break
            if n == hypo_day:
                self.lab(
                    _at(day, 6), "glucose", round(r.uniform(2.2, 2.4), 1), "mmol/L", "capillary"
                )
                self.event(
                    day,
                    "hypoglycaemia",
                    2,
                    None,
                    "Capillary glucose low during the diet start; treated with juice.",
                )
            elif n == 2:
                self.lab(
                    _at(day, 6),
                    "glucose",
                    self._mg_dl("glucose", r.uniform(3.3, 4.6), 0),
                    "mg/dL",
                    "capillary",
                )
            else:
                self.lab(
                    _at(day, 6), "glucose", round(r.uniform(3.3, 4.8), 1), "mmol/L", "capillary"
                )

    def _monthly_labs(self, start: date, last: date, ucacr_high: bool) -> None:
        """Monthly chemistry; lipids and urine calcium/creatinine every 3 months."""
        r = self.rng
        month = 1
        while (day := add_months(start, month)) <= last:
            self.lab(_at(day, 9, 15), "glucose", round(r.uniform(3.5, 4.9), 1), "mmol/L", "venous")
            self.lab(_at(day, 9, 15), "bicarbonate", float(r.randint(18, 23)), "mmol/L")
            if month % 3 == 0:
                tc = r.uniform(4.4 + 0.1 * month / 3, 5.8 + 0.1 * month / 3)
                if month % 6 == 3:
                    self.lab(
                        _at(day, 9, 15),
                        "total_cholesterol",
                        self._mg_dl("total_cholesterol", tc, 0),
                        "mg/dL",
                    )
                else:
                    self.lab(_at(day, 9, 15), "total_cholesterol", round(tc, 1), "mmol/L")
                self.lab(_at(day, 9, 15), "triglycerides", round(r.uniform(1.1, 2.2), 1), "mmol/L")
                if ucacr_high and month == 3:
                    self.lab(
                        _at(day, 10),
                        "urine_calcium_creatinine_ratio",
                        round(r.uniform(2.0, 2.3), 2),
                        "mmol/mmol",
                        "spot urine",
                    )
                else:
                    cr = r.uniform(1.5, 3.0)
                    self.lab(
                        _at(day, 10),
                        "urine_calcium",
                        round(cr * r.uniform(0.3, 0.9), 2),
                        "mmol/L",
                        "spot urine",
                    )
                    self.lab(_at(day, 10), "urine_creatinine", round(cr, 2), "mmol/L", "spot urine")
            month += 1
