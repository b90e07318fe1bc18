"""The options, sources and shared helpers of the response measures.

References are numbered as in :mod:`spasmcare.measures.response`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from spasmcare.errors import InputError
from spasmcare.measures.diary import (
    DayCount,
    DiaryView,
    MeasureResult,
    as_view,
    check_spasm_free,
    short_days,
    treatment_day,
)
from spasmcare.record.model import DietPeriod, Record, Treatment

SRC_UKISS = "Lux 2004 (UKISS), Lancet 364:1773-8: no spasms on days 13 and 14"
SRC_ICISS = "O'Callaghan 2017 (ICISS), Lancet Neurol 16:33-42: no witnessed spasms days 14-42"
SRC_48H = "Epilepsy Res 2014;108:1378-84 (NCT01575639): 48 h spasm-free at day 14"
SRC_ELTERMAN = (
    "Elterman 2001, Neurology 57:1416-21: 7 consecutive spasm-free days starting "
    "within the first 14 days"
)
SRC_NISC = (
    "Grinspan 2021 (NISC), Neurology 97:e1217: no second treatment and no clinical "
    "spasms after day 30, at day 60"
)
SRC_ELECTRO = (
    "Wanigasinghe 2015, Pediatr Neurol 53:193-9 and Osborne 2023, EJPN 42:110-6: "
    "no spasms and no hypsarrhythmia on EEG by day 14"
)
SRC_REMISSION = (
    "Wanigasinghe 2015: electroclinical remission by day 14 then 28 days of "
    "continued spasm freedom (cf. Mytinger 2015: ≥ 28 days)"
)
SRC_RELAPSE = (
    "No standard definition in the trials: spasms again after ≥ 28 "
    "spasm-free days; windows used 2-9 months (Hussain 2014), 12 months (Wan)"
)
SRC_NISC_SUSTAINED = (
    "NISC, time to clinical remission and sustained resolution (abstract): last spasm by "
    "day 14, no hypsarrhythmia on EEG 2-4 weeks after start, remission to day 30"
)
SRC_MYTINGER = (
    "Mytinger 2015, Epileptic Disord 17:52-7: clinical remission ≥ 28 days starting at any "
    "point in the course"
)
SRC_SPASM_FREE_3M = (
    "Knupp 2016, Ann Neurol (remission sustained at 3 months after treatment start); "
    "window before the 3-month date is a spasmcare setting (28 days by default)"
)
SRC_BASELINE = (
    "spasmcare setting: mean over the 7 recorded days before the treatment (configurable); "
    "no trial baseline window found in the reference"
)
SRC_CHANGE = "Percentage change from baseline: 100 × (follow-up − baseline) / baseline"
SRC_CESSATION = (
    "AAN/CNS 2004 (Mackay, Neurology 62:1668-81) outcome 'cessation of spasms'; "
    "confirmed by a 7-day spasm-free run as in Elterman 2001 (configurable)"
)
SRC_DAY7 = (
    "UK Infantile Spasms Trust: prednisolone 40 mg/day raised to 60 mg/day if not "
    "effective in the first 7 days (VERIFY against Lux 2004 methods)"
)
SRC_KD = (
    "Zhang 2019, Clin Neurol Neurosurg 184:105402 (≥ 50 % reduction, 90-99 %, "
    "seizure-free at 3 and 6 months); time points 1/3/6/12 months (spasmcare setting)"
)

BaselineMode = Literal["recorded", "calendar"]
#: Every measure takes the record, or a :class:`DiaryView` of it built once by the caller.
RecordOrView = Record | DiaryView


@dataclass(frozen=True)
class ResponseOptions:
    """Configurable choices of the response measures, each default with its reason.

    Attributes
    ----------
    first_day_number : int
        Number of the start date: 1 (default; "day 1 of treatment") or 0 ("trial entry" as
        day 0). The trial abstracts do not say [1, 2].
    baseline_days : int
        Days averaged for the baseline: 7, as issue 5 asks.
    baseline_mode : {'recorded', 'calendar'}
        ``recorded`` (default): the last ``baseline_days`` recorded days before the start,
        looking back at most ``baseline_lookback_days``; ``calendar``: exactly the
        ``baseline_days`` calendar days before the start, each of which must be recorded.
    baseline_lookback_days : int
        How far back the ``recorded`` mode looks: 28 days (software default, not a clinical
        figure: it keeps the baseline close to the start).
    confirm_days : int
        Length of the spasm-free run that confirms cessation: 7, Elterman's run [4].
    remission_days : int
        Spasm-free days that make a remission for relapse: 28, after [6, 8].
    relapse_window_days : int or None
        Relapses are counted up to this treatment day; ``None`` (default) = to the end of the
        diary. Published windows differ (2-9 months, 12 months after treatment) [9].
    day7_days : tuple of int
        Treatment days that answer "spasms continuing at day 7?": (7, 7) = day 7 only [10].
    eeg_latest_day : int
        Latest treatment day of the EEG for the electroclinical response: 14, "by day 14" [6].
    nisc_last_spasm_day : int
        Treatment day by which the last spasm must fall for the NISC sustained response: 14 [13].
    nisc_remission_to_day : int
        Treatment day to which the remission must persist: 30 [13].
    nisc_eeg_weeks : tuple of int
        Weeks after the start date bounding the EEG of the NISC sustained response: (2, 4),
        "EEG 2-4 weeks post-treatment" [13] (calendar days 14-28 after the start date).
    spasm_free_3m_window_days : int
        Spasm-free days ending on the 3-month date for "spasm-free at 3 months": 28
        (spasmcare setting: [15] gives no window; 28 matches the remission length of [6, 14]).
    """

    first_day_number: int = 1
    baseline_days: int = 7
    baseline_mode: BaselineMode = "recorded"
    baseline_lookback_days: int = 28
    confirm_days: int = 7
    remission_days: int = 28
    relapse_window_days: int | None = None
    day7_days: tuple[int, int] = (7, 7)
    eeg_latest_day: int = 14
    nisc_last_spasm_day: int = 14
    nisc_remission_to_day: int = 30
    nisc_eeg_weeks: tuple[int, int] = (2, 4)
    spasm_free_3m_window_days: int = 28

    def __post_init__(self) -> None:
        if self.first_day_number not in (0, 1):
            raise InputError("first_day_number", self.first_day_number, "0 or 1")
        if self.baseline_mode not in ("recorded", "calendar"):
            raise InputError("baseline_mode", self.baseline_mode, "recorded or calendar")
        for name in (
            "baseline_days",
            "baseline_lookback_days",
            "confirm_days",
            "remission_days",
            "spasm_free_3m_window_days",
        ):
            if getattr(self, name) < 1:
                raise InputError(name, getattr(self, name), "a whole number of days ≥ 1")
        if self.relapse_window_days is not None and self.relapse_window_days < 1:
            raise InputError(
                "relapse_window_days", self.relapse_window_days, "a treatment day ≥ 1 or none"
            )
        if not 1 <= self.nisc_last_spasm_day < self.nisc_remission_to_day:
            raise InputError(
                "nisc_last_spasm_day",
                self.nisc_last_spasm_day,
                f"a treatment day from 1 to {self.nisc_remission_to_day - 1}",
            )
        lo, hi = self.nisc_eeg_weeks
        if not 0 < lo <= hi:
            raise InputError("nisc_eeg_weeks", self.nisc_eeg_weeks, "two weeks, 0 < first ≤ last")
        if self.baseline_lookback_days < self.baseline_days:
            raise InputError(
                "baseline_lookback_days",
                self.baseline_lookback_days,
                f"at least baseline_days ({self.baseline_days})",
            )


DEFAULT = ResponseOptions()


def _day(t: Treatment | DietPeriod, n: int, o: ResponseOptions) -> date:
    return treatment_day(t.start, n, o.first_day_number)


def _span(first: int, last: int) -> str:
    return f"day {first}" if first == last else f"days {first}-{last}"


def _window_result(
    key: str,
    label: str,
    source: str,
    record: RecordOrView,
    t: Treatment,
    first: int,
    last: int,
    o: ResponseOptions,
) -> MeasureResult:
    check = check_spasm_free(as_view(record), _day(t, first, o), _day(t, last, o))
    span = _span(first, last)
    reason = f"{span} all recorded spasm-free"
    if check.status == "not met":
        reason = f"spasms on {short_days(check.spasm_days)}"
    elif check.status == "not assessable":
        reason = (
            f"{len(check.unknown_days)} day(s) of {span} not recorded: "
            f"{short_days(check.unknown_days)}"
        )
    return MeasureResult(
        key=key,
        label=label,
        status=check.status,
        value={"met": True, "not met": False}.get(check.status),
        source=source,
        window=(check.first, check.last),
        days_used=check.days_used,
        reason=reason,
        details={"treatment": t.id, "days": [first, last]},
    )


def _runs(days: list[DayCount]) -> Iterator[tuple[int, int]]:
    """(index of first day, length) of each run of recorded spasm-free days."""
    i = 0
    while i < len(days):
        if days[i].state != "spasm-free":
            i += 1
            continue
        j = i
        while j + 1 < len(days) and days[j + 1].state == "spasm-free":
            j += 1
        yield i, j - i + 1
        i = j + 1
