"""Gradual initiation of a classic ketogenic diet: day-by-day steps of ratio or of volume.

References
----------
1. CURE Epilepsy, "Five versions of the ketogenic diet": a non-fasting start at home over four
   weeks, raising the ratio each week from 1:1 to 4:1.
2. Johns Hopkins protocol (diet encyclopedia, issuhub.com/view/index/3981 p. 610): after the
   fast, meals of 1/3, then 2/3, then the full amount over days 2–4, at the full ratio.
3. Liao J, Xiong H. Epilepsy Journal 2016: a 1–2 week transition to a final 2:1–4:1 ratio.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.keto.prescription import (
    DEFAULT_CARBS,
    EnergySpec,
    Patient,
    Prescription,
    ProteinSpec,
    classic,
)
from spasmcare.keto.ratio import CarbBasis

Mode = Literal["ratio", "volume"]
MODES: tuple[Mode, ...] = ("ratio", "volume")
#: Volume steps of the Hopkins start [2].
VOLUME_FRACTIONS = (1 / 3, 2 / 3, 1.0)

SOURCES = {
    "cure-initiation": "CURE Epilepsy, 'Five versions of the ketogenic diet' (ratio raised weekly "
    "from 1:1 to 4:1).",
    "hopkins-initiation": "Johns Hopkins initiation: 1/3, 2/3, then full meals over days 2-4.",
    "liao-2016": "Liao J, Xiong H. Epilepsy Journal 2016 (1-2 week transition to 2:1-4:1).",
}
#: The sources each mode rests on.
SOURCE_KEY_BY_MODE: dict[str, tuple[str, ...]] = {
    "ratio": ("cure-initiation", "liao-2016"),
    "volume": ("hopkins-initiation",),
}


@dataclass(frozen=True)
class InitiationDay:
    day: int
    ratio: float
    energy_fraction: float
    kcal: float
    fat_g: float
    protein_g: float
    carb_g: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ratio_steps(final_ratio: float, start_ratio: float = 1.0) -> list[float]:
    """Ratios from ``start_ratio`` up by 1 each step, ending exactly at ``final_ratio`` [1]."""
    if start_ratio > final_ratio:
        raise InputError(
            "--start-ratio", start_ratio, f"a ratio at or below the final {final_ratio:g}"
        )
    steps = [start_ratio + i for i in range(int(math.floor(final_ratio - start_ratio)) + 1)]
    if not math.isclose(steps[-1], final_ratio):
        steps.append(final_ratio)
    return steps


def initiation_plan(
    patient: Patient,
    final_ratio: float,
    energy: EnergySpec = EnergySpec(),
    protein: ProteinSpec = ProteinSpec(),
    *,
    mode: Mode | str = "ratio",
    days_per_step: int = 1,
    start_ratio: float = 1.0,
    carbs: CarbBasis = DEFAULT_CARBS,
    mode_field: str = "--mode",
) -> list[InitiationDay]:
    """Day-by-day start of a classic diet.

    ``mode='ratio'`` keeps the full energy and steps the ratio 1:1 → 2:1 → … → final [1, 3];
    ``mode='volume'`` keeps the final ratio and gives 1/3, 2/3, then all of the day [2]. Each
    step lasts ``days_per_step`` days (1 in hospital; 7 for the home start of [1]). A bad
    ``mode`` raises :class:`InputError` naming ``mode_field``.
    """
    if mode not in MODES:
        raise InputError(mode_field, mode, "ratio or volume")
    if not isinstance(days_per_step, int) or not 1 <= days_per_step <= 28:
        raise InputError("--days-per-step", days_per_step, "a whole number of days from 1 to 28")
    if mode == "ratio":
        plan = [(r, 1.0) for r in ratio_steps(final_ratio, start_ratio)]
    else:
        plan = [(final_ratio, f) for f in VOLUME_FRACTIONS]
    days: list[InitiationDay] = []
    for ratio, fraction in plan:
        rx = classic(patient, ratio, energy, protein, carbs=carbs)
        assert rx.kcal is not None and rx.fat_g is not None
        assert rx.protein_g is not None and rx.carb_g is not None
        for _ in range(days_per_step):
            days.append(
                InitiationDay(
                    day=len(days) + 1,
                    ratio=ratio,
                    energy_fraction=fraction,
                    kcal=rx.kcal * fraction,
                    fat_g=rx.fat_g * fraction,
                    protein_g=rx.protein_g * fraction,
                    carb_g=rx.carb_g * fraction,
                )
            )
    return days


def initiation_for(
    rx: Prescription, mode: str = "ratio", days_per_step: int = 1
) -> tuple[list[InitiationDay], list[str]]:
    """The gradual start of a classic prescription, keeping its energy and protein.

    Returns the days and the sources the chosen mode rests on.
    """
    if rx.diet != "classic" or rx.ratio is None or rx.kcal is None:
        raise InputError("--initiation", mode, "a gradual start for --diet classic only")
    days = initiation_plan(
        Patient(**rx.patient),
        rx.ratio,
        EnergySpec(kcal=rx.kcal),
        ProteinSpec(g_per_day=rx.protein_g),
        mode=mode,
        days_per_step=days_per_step,
        carbs=rx.carbs,
        mode_field="--initiation",
    )
    return days, [SOURCES[key] for key in SOURCE_KEY_BY_MODE[mode]]
