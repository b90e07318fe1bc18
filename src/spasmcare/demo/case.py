"""A demo infant: the case put together from its parts, placed in time.

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from spasmcare.demo.base import DemoInfant
from spasmcare.demo.diets import Diets
from spasmcare.demo.eeg import Eegs
from spasmcare.demo.treatments import Treatments
from spasmcare.demo.writer import Writer
from spasmcare.growth import DAYS_PER_MONTH, Sex


class _Case(Treatments, Diets, Eegs, Writer):
    """One infant under construction (see :class:`~spasmcare.demo.base.CaseBase`)."""


def _case(
    rng: random.Random,
    today: date,
    number: int,
    name: str,
    sex: Sex,
    etiology: dict[str, Any],
    *,
    onset_months: tuple[float, float],
    span_days: tuple[int, int],
    lag_days: tuple[int, int] = (1, 2),
    gestation: tuple[int, int] | None = None,
    pid: str | None = None,
) -> _Case:
    """Place an infant in time: the diary ends ``lag_days`` before today and spans
    ``span_days``; spasms began 5-14 days before the diary at ``onset_months`` of age."""
    end = today - timedelta(days=rng.randint(*lag_days))
    start = end - timedelta(days=rng.randint(*span_days) - 1)
    onset = start - timedelta(days=rng.randint(5, 14))
    birth = onset - timedelta(days=round(rng.uniform(*onset_months) * DAYS_PER_MONTH))
    if gestation is None:
        gestation = (rng.randint(38, 41), rng.randint(0, 6))
    return _Case(
        rng=rng,
        today=today,
        pid=pid or f"demo-{number:04d}",
        name=name,
        sex=sex,
        start=start,
        end=end,
        onset=onset,
        birth=birth,
        gestation=gestation,
        etiology=etiology,
    )


def _fictional(detail: str) -> str:
    return f"Fictional case. {detail}"


Story = Callable[[random.Random, date, frozenset[str] | None], DemoInfant]
