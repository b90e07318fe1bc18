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

from spasmcare.jsonable import jsonable
from spasmcare.months import add_months as add_months  # re-exported: its home before
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
        self.record = record
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
        # each day made once: the measures of a report walk overlapping windows (response,
        # remission, relapse, cessation, the daily table), ~1,400 days for a 2-year diary
        self._days: dict[date, DayCount] = {}
        #: every day from ``first`` to ``last`` in order, made on the first walk inside them
        self._span: list[DayCount] | None = None

    def day(self, day: date) -> DayCount:
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = DayCount(
                day, day in self.recorded, self._spasms.get(day, 0), self._clusters.get(day, 0)
            )
        return found

    def days(self, first: date, last: date) -> Iterator[DayCount]:
        """Every day from ``first`` to ``last`` inclusive (the same :class:`DayCount` objects
        as :meth:`day`). A window inside the diary's span is a slice of the span's days, made
        once: the measures walk many overlapping windows of it."""
        count = (last - first).days + 1
        if count <= 0:
            return iter(())
        if self.first is not None and self.last is not None and self.first <= first:
            if last <= self.last:
                if self._span is None:
                    self._span = [
                        self.day(self.first + timedelta(days=n))
                        for n in range((self.last - self.first).days + 1)
                    ]
                start = (first - self.first).days
                return iter(self._span[start : start + count])
        return (self.day(first + timedelta(days=n)) for n in range(count))


def as_view(source: Record | DiaryView) -> DiaryView:
    """``source`` itself when it is already a :class:`DiaryView`, else the view of the record.

    Every measure accepts either, so a caller computing many measures builds the view once.
    """
    return source if isinstance(source, DiaryView) else DiaryView(source)


def treatment_day(start: date, number: int, first_day_number: int = 1) -> date:
    """The calendar date of treatment day ``number`` (``first_day_number`` = the start date)."""
    return start + timedelta(days=number - first_day_number)


def day_number(start: date, day: date, first_day_number: int = 1) -> int:
    """The treatment-day number of ``day``."""
    return (day - start).days + first_day_number


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


def stretch_without_spasms(days: list[DayCount], n_days: int) -> bool:
    """Whether ``n_days`` consecutive days of ``days`` hold no day with spasms (unrecorded days
    allowed): one pass, not a scan of every window."""
    if n_days <= 0:
        return True
    run = 0
    for d in days:
        if d.state == "spasms":
            run = 0
        else:
            run += 1
            if run >= n_days:
                return True
    return False


@dataclass(frozen=True)
class MeasureResult:
    """The answer of one measure, with the days it rests on and its definition's source.

    ``status`` is ``met`` / ``not met`` for a yes-no definition, ``measured`` for a number and
    ``not assessable`` (with ``reason``) when the record does not cover the window.

    ``value`` keeps full precision (decisions are taken on it); ``digits`` is how many decimals
    a float value shows in :meth:`to_dict`. ``met_is_favourable`` is the polarity of the
    definition: ``True`` when ``met`` is good news (a response), ``False`` when it is bad news
    (a relapse, a poor-outcome flag), ``None`` when it is neither (an answer to act on, a
    number). Front ends colour results by :attr:`favourable`, never by the key.
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
    digits: int | None = None
    met_is_favourable: bool | None = True

    @property
    def favourable(self) -> bool | None:
        """Good news (``True``), bad news (``False``) or neither (``None``)."""
        if self.met_is_favourable is None or self.status not in ("met", "not met"):
            return None
        return (self.status == "met") == self.met_is_favourable

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        if self.digits is not None and isinstance(value, float):
            value = round(value, self.digits)
        return {
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "value": jsonable(value),
            "favourable": self.favourable,
            "window": (
                {"from": self.window[0].isoformat(), "to": self.window[1].isoformat()}
                if self.window
                else None
            ),
            "days_used": [d.isoformat() for d in sorted(self.days_used)],
            "days_used_count": len(self.days_used),
            "reason": self.reason,
            "source": self.source,
            "details": jsonable(self.details),
        }


def short_days(days: Iterable[date], limit: int = 6) -> str:
    """``2026-06-13, 2026-06-14`` (at most ``limit`` dates, then ``+N more``)."""
    ordered = sorted(days)
    text = ", ".join(d.isoformat() for d in ordered[:limit])
    if len(ordered) > limit:
        text += f" (+{len(ordered) - limit} more)"
    return text
