"""Ketogenic-diet responders: ≥ 50 %, ≥ 90 % and 100 % fewer spasms at 1, 3, 6, 12 months.

References are numbered as in :mod:`spasmcare.measures.response`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from spasmcare.measures.diary import (
    MeasureResult,
    add_months,
    as_view,
)
from spasmcare.measures.response_course import _change, _select_days, _usable_baseline
from spasmcare.measures.response_options import (
    DEFAULT,
    SRC_KD,
    RecordOrView,
    ResponseOptions,
)
from spasmcare.record.model import DietPeriod

DietStopped = Literal["not-assessable", "non-responder"]


def kd_responder(
    record: RecordOrView,
    diet: DietPeriod,
    months: int,
    options: ResponseOptions = DEFAULT,
    diet_stopped: DietStopped = "not-assessable",
) -> MeasureResult:
    """≥ 50 %, ≥ 90 % and 100 % spasm reduction at ``months`` months of a diet [11].

    Reduction = −(percentage change) of the mean spasms per recorded day, from the baseline
    before the diet to the same-length window ending on the anniversary date (both chosen as
    in :func:`baseline_spasms_per_day`; the follow-up window never reaches before the diet
    start). ``status`` is met/not met for the ≥ 50 % responder; ``details`` gives the ≥ 90 %
    and 100 % answers. A diet stopped before the time point is ``not assessable`` by default,
    or a non-responder with ``diet_stopped='non-responder'`` (intention to treat).
    """
    o = options
    key = f"kd_responder_{months}m"
    when = add_months(diet.start, months)
    label = f"Diet responder at {months} month{'s' if months > 1 else ''} (≥ 50 % reduction)"
    common: dict[str, Any] = {"key": key, "label": label, "source": SRC_KD}
    if diet.stop is not None and diet.stop < when:
        if diet_stopped == "non-responder":
            return MeasureResult(
                **common,
                status="not met",
                value=None,
                reason=f"diet stopped on {diet.stop}, before {when}: counted as non-responder",
                details={"diet": diet.id},
            )
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            reason=f"diet stopped on {diet.stop}, before {when}",
            details={"diet": diet.id},
        )
    view = as_view(record)
    base, why = _usable_baseline(view, diet.start, o)
    if why:
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            days_used=base.days_used,
            reason=why,
            details={"diet": diet.id},
        )
    if view.last is None or view.last < when:
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            window=(diet.start, when),
            reason=f"time point {when} is after the last diary day ({view.last})",
            details={"diet": diet.id},
        )
    days, why = _select_days(view, when + timedelta(days=1), o, not_before=diet.start)
    if not days:
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            window=(diet.start, when),
            reason=f"follow-up at {when}: {why}",
            details={"diet": diet.id},
        )
    follow, change = _change(base, days)
    reduction = -change
    baseline = round(base.value, 3)
    details = {
        "diet": diet.id,
        "time_point": when,
        "baseline_spasms_per_day": baseline,
        "follow_up_spasms_per_day": round(follow, 3),
        "reduction_percent": round(reduction, 1),
        "responder_50": reduction >= 50.0,
        "responder_90": reduction >= 90.0,
        "spasm_free_100": follow == 0,
    }
    return MeasureResult(
        **common,
        status="met" if reduction >= 50.0 else "not met",
        value=reduction,
        digits=1,
        window=(min(d.day for d in days), max(d.day for d in days)),
        days_used=base.days_used + tuple(d.day for d in days),
        reason=f"{baseline:g} → {follow:.2f} spasms/day ({reduction:.0f} % reduction)",
        details=details,
    )
