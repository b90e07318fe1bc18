"""Baseline, percentage change, time to cessation, relapse and the day-7 question.

References are numbered as in :mod:`spasmcare.measures.response`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.measures.diary import (
    DayCount,
    DiaryView,
    MeasureResult,
    Status,
    as_view,
    check_spasm_free,
    day_number,
    short_days,
)
from spasmcare.measures.response_options import (
    DEFAULT,
    SRC_BASELINE,
    SRC_CESSATION,
    SRC_CHANGE,
    SRC_DAY7,
    SRC_RELAPSE,
    RecordOrView,
    ResponseOptions,
    _day,
    _runs,
    _span,
    _window_result,
)
from spasmcare.record.model import Treatment


def _select_days(
    view: DiaryView, before: date, o: ResponseOptions, not_before: date | None = None
) -> tuple[list[DayCount], str]:
    """The baseline-style window ending the day before ``before`` (empty list + reason)."""
    if o.baseline_mode == "calendar":
        days = [view.day(before - timedelta(days=n)) for n in range(1, o.baseline_days + 1)]
        missing = [d.day for d in days if not d.recorded]
        if missing or (not_before and days[-1].day < not_before):
            return [], (
                f"the {o.baseline_days} days before {before} are not all recorded: "
                f"{short_days(missing)}"
            )
        return days, ""
    chosen = []
    for n in range(1, o.baseline_lookback_days + 1):
        day = view.day(before - timedelta(days=n))
        if not_before and day.day < not_before:
            break
        if day.recorded:
            chosen.append(day)
            if len(chosen) == o.baseline_days:
                return chosen, ""
    return [], (
        f"only {len(chosen)} recorded day(s) in the {o.baseline_lookback_days} days "
        f"before {before}; {o.baseline_days} needed"
    )


def baseline_spasms_per_day(
    record: RecordOrView,
    start: date,
    options: ResponseOptions = DEFAULT,
    key: str = "baseline_spasms_per_day",
) -> MeasureResult:
    """Mean spasms per recorded day over the baseline window before ``start`` (issue 5).

    ``details`` also gives the mean clusters per day. Unrecorded days are never counted.
    """
    days, why = _select_days(as_view(record), start, options)
    label = f"Baseline spasms/day ({options.baseline_days} recorded days before {start})"
    if not days:
        return MeasureResult(
            key=key,
            label=label,
            status="not assessable",
            value=None,
            source=SRC_BASELINE,
            reason=why,
        )
    mean = sum(d.spasms for d in days) / len(days)
    clusters = sum(d.clusters for d in days) / len(days)
    return MeasureResult(
        key=key,
        label=label,
        status="measured",
        value=mean,
        digits=3,
        source=SRC_BASELINE,
        window=(min(d.day for d in days), max(d.day for d in days)),
        days_used=tuple(d.day for d in days),
        details={"clusters_per_day": round(clusters, 3), "mode": options.baseline_mode},
    )


def percent_change(baseline: float, follow_up: float) -> float:
    """Percentage change [%] from ``baseline`` to ``follow_up`` (negative = fewer spasms).

    Raises
    ------
    InputError
        When the baseline is 0 (a change from nothing has no percentage).
    """
    if baseline <= 0:
        raise InputError("baseline", baseline, "a baseline above 0 spasms/day")
    # Clamped at -100 %: floating-point rounding must not report fewer than zero spasms.
    return max(-100.0, 100.0 * (follow_up - baseline) / baseline)


def _usable_baseline(view: DiaryView, start: date, o: ResponseOptions) -> tuple[MeasureResult, str]:
    """The baseline before ``start`` and ``""``, or the reason no change can be computed
    from it (not measured, or no spasms: a change from nothing has no percentage)."""
    base = baseline_spasms_per_day(view, start, o)
    if base.status != "measured":
        return base, "baseline: " + base.reason
    if base.value == 0:
        return base, "no spasms at baseline"
    return base, ""


def _change(base: MeasureResult, days: list[DayCount]) -> tuple[float, float]:
    """(mean spasms per recorded day of ``days``, percentage change from ``base``), at full
    precision."""
    follow = sum(d.spasms for d in days) / len(days)
    return follow, percent_change(float(base.value), follow)


def percent_change_days_8_14(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """Change of mean spasms per recorded day from baseline to the second week (days 8-14)."""
    o = options
    view = as_view(record)
    base, why = _usable_baseline(view, treatment.start, o)
    first, last = _day(treatment, 8, o), _day(treatment, 14, o)
    days = [d for d in view.days(first, last) if d.recorded]
    label = "Change in spasms/day, baseline → days 8-14"
    common: dict[str, Any] = {
        "key": "percent_change_days_8_14",
        "label": label,
        "source": SRC_CHANGE,
        "window": (first, last),
    }
    if base.status == "measured" and not days:
        why = "no recorded day in days 8-14"
    if why:
        return MeasureResult(**common, status="not assessable", value=None, reason=why)
    follow, change = _change(base, days)
    return MeasureResult(
        **common,
        status="measured",
        value=change,
        digits=1,
        days_used=base.days_used + tuple(d.day for d in days),
        details={
            "baseline_spasms_per_day": round(base.value, 3),
            "follow_up_spasms_per_day": round(follow, 3),
            "follow_up_recorded_days": len(days),
        },
    )


def time_to_spasm_cessation(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """Treatment day on which spasms stopped: the first day of the first run of
    ``confirm_days`` recorded spasm-free days [12, 4].

    When unrecorded days separate the last spasm from that run, cessation lies between the
    day after the last spasm and the run's first day; ``details`` gives both.
    """
    o = options
    view = as_view(record)
    label = f"Time to spasm cessation (confirmed by {o.confirm_days} spasm-free days)"
    if view.last is None or view.last < treatment.start:
        return MeasureResult(
            key="time_to_spasm_cessation",
            label=label,
            status="not assessable",
            value=None,
            source=SRC_CESSATION,
            reason="no diary after the start",
        )
    days = list(view.days(treatment.start, view.last))
    for i, length in _runs(days):
        if length >= o.confirm_days:
            before = [d for d in days[:i] if d.state == "spasms"]
            last_spasm = before[-1].day if before else None
            n = day_number(treatment.start, days[i].day, o.first_day_number)
            earliest = (
                day_number(treatment.start, last_spasm, o.first_day_number) + 1
                if last_spasm
                else o.first_day_number
            )
            reason = f"spasm-free from day {n} ({days[i].day})"
            if earliest < n:
                reason += f"; unrecorded days before it: cessation between day {earliest} and {n}"
            return MeasureResult(
                key="time_to_spasm_cessation",
                label=label,
                status="measured",
                value=n,
                source=SRC_CESSATION,
                window=(treatment.start, days[i + length - 1].day),
                days_used=tuple(d.day for d in days[i : i + length])
                + ((last_spasm,) if last_spasm else ()),
                reason=reason,
                details={
                    "treatment": treatment.id,
                    "cessation_day": n,
                    "earliest_possible_day": earliest,
                    "last_spasm": last_spasm,
                },
            )
    return MeasureResult(
        key="time_to_spasm_cessation",
        label=label,
        status="not met",
        value=None,
        source=SRC_CESSATION,
        window=(treatment.start, view.last),
        days_used=tuple(d.day for d in days if d.state != "unknown"),
        reason=f"no run of {o.confirm_days} recorded spasm-free days up to {view.last}",
        details={"treatment": treatment.id},
    )


def relapse(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """Relapse: spasms again after at least ``remission_days`` recorded spasm-free days [9].

    The remission is the first run of ``remission_days`` recorded spasm-free days from the
    start. ``met`` (value = the relapse date) when a day with spasms follows it by the end of
    the window; ``not met`` when every day after it to the end of the window is recorded
    spasm-free (with the open default window: up to the last diary day, so later relapse is
    still possible); otherwise not assessable. The window ends on treatment day
    ``relapse_window_days``, or at the end of the diary when that is ``None``.
    """
    o = options
    view = as_view(record)
    label = f"Relapse after ≥ {o.remission_days} spasm-free days"
    common: dict[str, Any] = {
        "key": "relapse",
        "label": label,
        "source": SRC_RELAPSE,
        "met_is_favourable": False,
    }
    if view.last is None or view.last < treatment.start:
        return MeasureResult(
            **common, status="not assessable", value=None, reason="no diary after the start"
        )
    days = list(view.days(treatment.start, view.last))
    remission = next(((i, n) for i, n in _runs(days) if n >= o.remission_days), None)
    if remission is None:
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            window=(treatment.start, view.last),
            reason=f"no remission of {o.remission_days} recorded spasm-free days to relapse from",
        )
    i, n = remission
    rem_first, rem_last = days[i].day, days[i + n - 1].day
    end = view.last
    if o.relapse_window_days is not None:
        end = _day(treatment, o.relapse_window_days, o)
    details = {
        "treatment": treatment.id,
        "remission_from": rem_first,
        "remission_to": rem_last,
        "remission_days": n,
        "window_end": end,
    }
    if end <= rem_last:
        until = (
            "end of the relapse window"
            if o.relapse_window_days is not None
            else ("end of the diary")
        )
        return MeasureResult(
            **common,
            status="not met",
            value=False,
            window=(rem_first, end),
            days_used=tuple(days[k].day for k in range(i, i + n)),
            reason=f"spasm-free from {rem_first} to the {until} ({end})",
            details=details,
        )
    check = check_spasm_free(view, rem_last + timedelta(days=1), end)
    if check.status == "not met":
        when = check.spasm_days[0]
        return MeasureResult(
            **common,
            status="met",
            value=when,
            window=(rem_first, end),
            days_used=tuple(days[k].day for k in range(i, i + n)) + (when,),
            reason=f"spasms on {when} (day {day_number(treatment.start, when, o.first_day_number)}"
            f") after {n} spasm-free days from {rem_first}",
            details={**details, "relapse_date": when},
        )
    if check.status == "met":
        return MeasureResult(
            **common,
            status="not met",
            value=False,
            window=(rem_first, end),
            days_used=check.days_used,
            reason=f"spasm-free through {end}",
            details=details,
        )
    return MeasureResult(
        **common,
        status="not assessable",
        value=None,
        window=(rem_first, end),
        days_used=check.days_used,
        reason=f"{len(check.unknown_days)} unrecorded day(s) after the "
        f"remission: {short_days(check.unknown_days)}",
        details=details,
    )


def spasms_continuing_day7(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """Day-7 decision: are spasms continuing on day 7 (``options.day7_days``)? [10]

    ``met`` (value True: continuing) when a spasm is entered on any of those days; ``not met``
    (value False) when all are recorded spasm-free; otherwise not assessable. It is the
    spasm-free window of those days with the answer flipped; its polarity is neutral (an
    answer to act on, not a success or a failure).
    """
    first_n, last_n = options.day7_days
    spasm_free = _window_result(
        "spasms_continuing_day7", "", SRC_DAY7, record, treatment, first_n, last_n, options
    )
    flipped: dict[str, Status] = {"met": "not met", "not met": "met"}
    status: Status = flipped.get(spasm_free.status, "not assessable")
    return replace(
        spasm_free,
        label=f"Spasms continuing at {_span(first_n, last_n)}?",
        status=status,
        value={"met": True, "not met": False}.get(status),
        met_is_favourable=None,
    )
