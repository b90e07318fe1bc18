"""Live-vaccine hold for hormonal courses (prednisolone, ACTH, tetracosactide).

Rule
----
A course is immunosuppressive, for live vaccines, when it gives at least
:data:`THRESHOLD_MG_PER_KG_PER_DAY` (2 mg/kg/day) or :data:`THRESHOLD_MG_PER_DAY` (20 mg/day)
of prednisone or equivalent for :data:`THRESHOLD_DAYS` (14) days or more [1]. Prednisolone mg
are counted as prednisone mg (:data:`PREDNISOLONE_AS_PREDNISONE`, the CDC text's "or
equivalent"; the equal potency is a software setting, not a number from the stored
references). ACTH and tetracosactide have no sourced prednisolone equivalent: every course of
them is held, because live vaccines are contraindicated at immunosuppressive doses of ACTH [2].

The daily amount alone decides: a day whose dose split, or the tail it belongs to, still awaits
the clinic's confirmation counts with the daily amount the protocol plans for it (the caller
passes it among the day's amounts), since how the amount is divided does not change what the
infant receives; only a day whose amount itself cannot be known counts as no amount.

The hold runs from the first hormonal day of the course to the end of a clinic-set window after
the last one (days awaiting the clinic count as course days: the course is not over). The
window is a named option: ``cdc-1-month`` (at least 1 month after stopping [1], the default,
because the threshold applied is CDC's) or ``chop-3-months`` (about three months [3]).

References
----------
1. CDC via immunize.org "Ask the Experts" (reviewed 2022-08-29): 2 mg/kg or a total of 20 mg per
   day of prednisone (or equivalent) for 2 or more weeks; wait at least 1 month after
   discontinuation (drug-protocols-evidence.md D-14). SECONDARY.
2. Acthar HCP site restating the label: live or live attenuated vaccines are contraindicated in
   patients receiving immunosuppressive doses of Acthar Gel (D-14). SECONDARY.
3. CHOP Vaccine Education Center: live vaccines (MMR, varicella, rotavirus, intranasal
   influenza) about three months after steroids have been stopped (D-14). SECONDARY.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.plain import day_text
from spasmcare.therapy.monitoring import add_months

THRESHOLD_MG_PER_KG_PER_DAY = 2.0  # [1]
THRESHOLD_MG_PER_DAY = 20.0  # [1]
THRESHOLD_DAYS = 14  # "2 or more weeks" [1]
PREDNISOLONE_AS_PREDNISONE = 1.0  # software setting (see module notes)

#: Named post-course windows [months] with their source.
WINDOWS: dict[str, tuple[int, str]] = {
    "cdc-1-month": (1, "cdc-live-vaccine"),
    "chop-3-months": (3, "chop-live-vaccine"),
}
DEFAULT_WINDOW = "cdc-1-month"
LIVE_VACCINES = "MMR, varicella (chickenpox), rotavirus, nasal influenza"

_STEROIDS = ("prednisolone", "prednisone")
_CORTICOTROPINS = ("acth", "tetracosactide", "corticotropin", "acthar", "synacthen")


@dataclass(frozen=True)
class VaccineHold:
    """No live vaccines from ``start`` to ``until`` (inclusive)."""

    start: date
    last_course_day: date
    until: date
    window: str
    reason: str
    sources: tuple[str, ...]

    @property
    def text(self) -> str:
        """The sentence shown on the plan, the family page and the calendar."""
        return (
            f"No live vaccines ({LIVE_VACCINES}) from {day_text(self.start)} until "
            f"{day_text(self.until)}: the course and {_window_words(self.window)} after its last "
            "hormonal dose. Tell the clinic about any vaccine appointment."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "last_course_day": self.last_course_day.isoformat(),
            "until": self.until.isoformat(),
            "window": self.window,
            "reason": self.reason,
            "text": self.text,
            "sources": list(self.sources),
        }


def _window_words(window: str) -> str:
    months = WINDOWS[window][0]
    return "1 month" if months == 1 else f"about {months} months"


def is_corticotropin(drug: str) -> bool:
    """ACTH or tetracosactide (by name)."""
    name = drug.lower()
    return any(word in name for word in _CORTICOTROPINS)


def is_steroid(drug: str) -> bool:
    """Prednisolone or prednisone (by name)."""
    name = drug.lower()
    return any(word in name for word in _STEROIDS)


def above_threshold(daily_mg: Sequence[float], weight_kg: float) -> bool:
    """Whether ``daily_mg`` (prednisolone [mg/day], consecutive course days) reaches the CDC
    threshold on :data:`THRESHOLD_DAYS` consecutive days [1]."""
    run = 0
    for mg in daily_mg:
        equivalent = mg * PREDNISOLONE_AS_PREDNISONE
        high = equivalent >= THRESHOLD_MG_PER_DAY - 1e-9 or (
            equivalent / weight_kg >= THRESHOLD_MG_PER_KG_PER_DAY - 1e-9
        )
        run = run + 1 if high else 0
        if run >= THRESHOLD_DAYS:
            return True
    return False


def live_vaccine_hold(
    days: Sequence[tuple[date, Mapping[str, float], Sequence[str]]],
    weight_kg: float,
    window: str = DEFAULT_WINDOW,
) -> VaccineHold | None:
    """The live-vaccine hold of a course, or None when no hormonal course reaches the rule.

    Parameters
    ----------
    days : sequence of (date, {drug: daily amount}, [drugs awaiting the clinic that day])
        The course day by day (amounts in the course's unit: mg for prednisolone), a day
        awaiting the clinic with its planned daily amount when that is known (module notes).
    weight_kg : float
        Planning weight [kg].
    window : {'cdc-1-month', 'chop-3-months'}
        The post-course window (module notes).
    """
    if window not in WINDOWS:
        raise InputError("live_vaccine_window", window, "one of " + ", ".join(WINDOWS))
    hormonal_days = [
        when
        for when, given, waiting in days
        if any(is_steroid(d) or is_corticotropin(d) for d in [*given, *waiting])
    ]
    if not hormonal_days:
        return None
    steroid = [sum(v for d, v in given.items() if is_steroid(d)) for _, given, _ in days]
    corticotropin = any(is_corticotropin(d) for _, given, w in days for d in [*given, *w])
    if corticotropin:
        reason = "an ACTH or tetracosactide course (live vaccines contraindicated) [2]"
        sources: tuple[str, ...] = ("acthar-vaccine",)
    elif above_threshold(steroid, weight_kg):
        reason = (
            f"prednisolone at {THRESHOLD_MG_PER_DAY:g} mg/day or {THRESHOLD_MG_PER_KG_PER_DAY:g} "
            f"mg/kg/day or more for {THRESHOLD_DAYS} days or more (CDC threshold) [1]"
        )
        sources = ("cdc-live-vaccine",)
    else:
        return None
    months, window_source = WINDOWS[window]
    last = max(hormonal_days)
    until = add_months(last, months) - timedelta(days=0)
    return VaccineHold(
        start=min(hormonal_days),
        last_course_day=last,
        until=until,
        window=window,
        reason=reason,
        sources=(*sources, window_source),
    )
