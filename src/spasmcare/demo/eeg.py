"""The demo clinic's EEGs: a report consistent with the severity on the day.

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spasmcare.demo.base import CaseBase


class Eegs(CaseBase):
    """The EEGs of a demo infant."""

    def eeg(self, day: date, report: str | None = None) -> None:
        """An EEG consistent with the severity on ``day`` (skipped after the diary's end)."""
        if day > self.end or day < self.birth:
            return
        r = self.rng
        level = self.severity(day)
        focal = self.etiology["category"] in ("tsc", "structural", "genetic")
        variants: dict[str, bool] = {}
        if level >= 0.5:
            items = {
                "disorganisation": r.randint(2, 3),
                "delta_slowing": r.randint(2, 3),
                "amplitude": r.randint(2, 3),
                "spikes": r.randint(2, 3),
                "other_abnormalities": r.randint(0, 2),
            }
            variants["electrodecremental_discharges"] = r.random() < 0.6
            if r.random() < 0.3:
                variants["absent_normal_sleep_activity"] = True
            if self.etiology["category"] in ("tsc", "structural"):
                variants["interhemispheric_asymmetry"] = True
                if r.random() < 0.4:
                    variants["hemihypsarrhythmia"] = True
            hyps, grade = True, (5 if r.random() < 0.65 else 4)
            text = "Hypsarrhythmia awake and asleep" + (
                "; a cluster of spasms with electrodecrements."
                if variants["electrodecremental_discharges"]
                else "."
            )
        elif level > 0.05:
            items = {
                "disorganisation": r.randint(1, 2),
                "delta_slowing": r.randint(1, 2),
                "amplitude": r.randint(0, 1),
                "spikes": r.randint(1, 2),
                "other_abnormalities": 0,
            }
            hyps, grade = False, 3
            text = "No hypsarrhythmia; multifocal spikes in sleep, under half of the record."
        else:
            items = {
                "disorganisation": r.randint(0, 1),
                "delta_slowing": r.randint(0, 1),
                "amplitude": 0,
                "spikes": 1 if focal else 0,
                "other_abnormalities": 0,
            }
            hyps, grade = False, (2 if focal else r.randint(0, 1))
            text = (
                "No hypsarrhythmia; occasional focal sharp waves."
                if focal
                else "No hypsarrhythmia; background normal for age."
            )
        kramer: dict[str, Any] = {"items": items}
        if r.random() < 0.5:
            kramer["total"] = sum(items.values())
        if variants:
            kramer["variants"] = variants
        self.eegs.append(
            {
                "date": day.isoformat(),
                "hypsarrhythmia": hyps,
                "kramer": kramer,
                "based_grade": grade,
                "report": report or text,
            }
        )
