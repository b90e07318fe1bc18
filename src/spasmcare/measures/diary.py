"""The spasm diary seen day by day, and the result type every measure returns.

A day is in one of three states:

* ``spasm-free`` — marked recorded and no spasm entered;
* ``spasms`` — at least one spasm entered (whether or not the day is marked recorded: a spasm
  seen is a spasm, but on an unrecorded day the count is only a lower bound);
* ``unknown`` — not marked recorded and nothing entered. An unknown day is never spasm-free.

Counts per day (spasms and clusters) use recorded days only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from spasmcare.record.model import Record

DayState = Literal["spasm-free", "spasms", "unknown"]
Status = Literal["met", "not met", "not assessable", "measured"]


@dataclass(frozen=True)
class DayCount:
    """One diary day: whether it was recorded, and the spasms and clusters entered on it."""

    day: date
    recorded: bool
    spasms: int
    clusters: int

    @property
    def state(self) -> DayState:
        if self.spasms > 0:
            return "spasms"
        return "spasm-free" if self.recorded else "unknown"


class DiaryView:
    """Per-day counts of a record's diary (built once, read many times)."""

    def __init__(self, record: Record) -> None:
        spasms: dict[date, int] = {}
        clusters: dict[date, int] = {}
        for entry in record.diary:
            spasms[entry.day] = spasms.get(entry.day, 0) + entry.spasms
            if entry.kind == "cluster":
                clusters[entry.day] = clusters.get(entry.day, 0) + 1
        self._spasms = spasms
        self._clusters = clusters
        self.recorded = record.recorded_days
        known = set(spasms) | set(record.recorded_days)
        self.first: date | None = min(known) if known else None
        self.last: date | None = max(known) if known else None

    def day(self, day: date) -> DayCount:
        return DayCount(day, day in self.recorded, self._spasms.get(day, 0),
                        self._clusters.get(day, 0))

    def days(self, first: date, last: date) -> Iterator[DayCount]:
        """Every day from ``first`` to ``last`` inclusive."""
        for n in range((last - first).days + 1):
            yield self.day(first + timedelta(days=n))


def treatment_day(start: date, number: int, first_day_number: int = 1) -> date:
    """The calendar date of treatment day ``number`` (``first_day_number`` = the start date)."""
    return start + timedelta(days=number - first_day_number)


def day_number(start: date, day: date, first_day_number: int = 1) -> int:
    """The treatment-day number of ``day``."""
    return (day - start).days + first_day_number


def add_months(start: date, months: int) -> date:
    """The same day of the month ``months`` later (clipped to the month's last day)."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise ValueError(f"no date {months} months after {start}")


@dataclass(frozen=True)
class WindowCheck:
    """Whether every day of a window was spasm-free: ``met``, ``not met`` or ``not assessable``."""

    status: Status
    first: date
    last: date
    spasm_days: tuple[date, ...]
    unknown_days: tuple[date, ...]
    days_used: tuple[date, ...]


def check_spasm_free(view: DiaryView, first: date, last: date) -> WindowCheck:
    """No spasm on any day from ``first`` to ``last``.

    ``not met`` as soon as one day has spasms (days used: those days); ``met`` only when every
    day is recorded spasm-free (days used: all); otherwise ``not assessable`` (unknown days).
    """
    days = list(view.days(first, last))
    spasm_days = tuple(d.day for d in days if d.state == "spasms")
    unknown = tuple(d.day for d in days if d.state == "unknown")
    if spasm_days:
        return WindowCheck("not met", first, last, spasm_days, unknown, spasm_days)
    if unknown:
        known = tuple(d.day for d in days if d.state == "spasm-free")
        return WindowCheck("not assessable", first, last, (), unknown, known)
    return WindowCheck("met", first, last, (), (), tuple(d.day for d in days))


@dataclass(frozen=True)
class MeasureResult:
    """The answer of one measure, with the days it rests on and its definition's source.

    ``status`` is ``met`` / ``not met`` for a yes-no definition, ``measured`` for a number and
    ``not assessable`` (with ``reason``) when the record does not cover the window.
    """

    key: str
    label: str
    status: Status
    value: Any
    source: str
    window: tuple[date, date] | None = None
    days_used: tuple[date, ...] = ()
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "value": _jsonable(self.value),
            "window": (
                {"from": self.window[0].isoformat(), "to": self.window[1].isoformat()}
                if self.window else None
            ),
            "days_used": [d.isoformat() for d in sorted(self.days_used)],
            "days_used_count": len(self.days_used),
            "reason": self.reason,
            "source": self.source,
            "details": _jsonable(self.details),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def short_days(days: Iterable[date], limit: int = 6) -> str:
    """``2026-06-13, 2026-06-14`` (at most ``limit`` dates, then ``+N more``)."""
    ordered = sorted(days)
    text = ", ".join(d.isoformat() for d in ordered[:limit])
    if len(ordered) > limit:
        text += f" (+{len(ordered) - limit} more)"
    return text
