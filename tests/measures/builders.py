"""Small constructed records for the measure tests (no JSON round trip: fast)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from spasmcare.record.model import (
    DiaryEntry,
    DietPeriod,
    Eeg,
    Kramer,
    Patient,
    Record,
    Treatment,
)

#: Treatment day 1 of the constructed courses.
START = date(2026, 3, 2)


def day(n: int) -> date:
    """Calendar date of treatment day ``n`` (day 1 = START)."""
    return START + timedelta(days=n - 1)


def days(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


def build(
    spasms: dict[int, int] | None = None,
    recorded: Iterable[int] = (),
    treatments: Iterable[Treatment] | None = None,
    diets: Iterable[DietPeriod] = (),
    eegs: Iterable[Eeg] = (),
) -> Record:
    """A record whose diary has ``spasms[n]`` spasms on treatment day ``n`` (one entry each)
    and whose recorded days are the treatment days in ``recorded``."""
    entries = tuple(
        DiaryEntry(
            at=datetime.combine(day(n), time(8, 0)), kind="cluster" if c > 1 else "single", spasms=c
        )
        for n, c in sorted((spasms or {}).items())
        if c > 0
    )
    if treatments is None:
        treatments = (Treatment(id="pred", drug="prednisolone", start=START),)
    return Record(
        patient=Patient(id="t", birth_date=date(2025, 10, 1), sex="female"),
        diary=entries,
        recorded_days=frozenset(day(n) for n in recorded),
        treatments=tuple(treatments),
        diet_periods=tuple(diets),
        eegs=tuple(eegs),
    )


def eeg_on(
    n: int, hyps: bool | None, kramer_total: int | None = None, based: int | None = None
) -> Eeg:
    return Eeg(
        day=day(n),
        hypsarrhythmia=hyps,
        kramer=Kramer(total=kramer_total) if kramer_total is not None else None,
        based_grade=based,
    )
