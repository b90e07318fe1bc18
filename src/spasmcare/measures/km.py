"""Kaplan-Meier: the product-limit estimate of the time to an event, with Greenwood's error
and the log-log interval; the curves of the clinic cohort (:mod:`spasmcare.measures.cohort`).

References
----------
1. Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
   1958;53(282):457-481. The product-limit estimator S(t) = Π (1 - d_i / n_i) over the event
   times t_i ≤ t, with n_i the number at risk just before t_i.
2. Greenwood M. The natural duration of cancer. Reports on Public Health and Medical Subjects
   No. 33. London: HMSO, 1926. Var S(t) = S(t)² Σ d_i / (n_i (n_i - d_i)).
3. Kalbfleisch JD, Prentice RL. The Statistical Analysis of Failure Time Data. New York:
   Wiley, 1980, §1.3: the confidence interval built on log(-log S(t)), which stays inside
   (0, 1); see also Sawyer S, "The Greenwood and exponential Greenwood confidence intervals in
   survival analysis" (Washington University handout), the "exponential Greenwood" interval
   that ``scipy.stats.ecdf`` computes with ``method='log-log'``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

from spasmcare.errors import InputError


@dataclass(frozen=True)
class KMStep:
    """The product-limit estimate at one distinct observed time [1, 2, 3].

    ``n_at_risk`` counts the subjects still followed just before ``time_days`` (those censored
    at that time included). ``std_error`` is Greenwood's; ``ci_lower``/``ci_upper`` the
    log-log interval. ``None`` where a formula is undefined: the standard error and interval
    when the survival is 0, the interval when it is 1.
    """

    time_days: float
    n_at_risk: int
    events: int
    censored: int
    survival: float
    std_error: float | None
    ci_lower: float | None
    ci_upper: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "time_days": self.time_days,
            "n_at_risk": self.n_at_risk,
            "events": self.events,
            "censored": self.censored,
            "survival": self.survival,
            "std_error": self.std_error,
            "ci_lower": self.ci_lower,
            "ci_upper": self.ci_upper,
        }


def _event_flag(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise InputError(field, value, "true/1 for an event, false/0 for a censored time")


def _duration(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, value, "a number of days, at least 0")
    if not math.isfinite(value) or value < 0:
        raise InputError(field, value, "a number of days, at least 0")
    return float(value)


def kaplan_meier(
    durations_days: Sequence[float],
    events: Sequence[bool | int],
    *,
    confidence: float = 0.95,
) -> list[KMStep]:
    """Kaplan-Meier product-limit estimate of the survival function [1].

    Parameters
    ----------
    durations_days : sequence of float
        Time of each subject [days, ≥ 0]: to the event, or to the last time it was followed.
    events : sequence of bool or 0/1
        ``True``/1 when the event was observed at that time, ``False``/0 when censored.
    confidence : float
        Level of the interval (default 0.95).

    Returns
    -------
    list of KMStep
        One step per distinct time (censoring-only times included, survival unchanged), in
        time order; empty for empty input. All censored: survival stays 1.

    Notes
    -----
    Ties: at a time with both events and censorings the events are taken first, so subjects
    censored at ``t`` are counted at risk at ``t`` (the usual convention, as in [1]).

    Greenwood [2]: Var S(t) = S(t)² Σ d_i / (n_i (n_i - d_i)); standard error = its root.
    When every subject at risk has the event (n_i = d_i) the survival is 0 and the formula
    divides by zero: the standard error and interval are ``None``.

    Interval: log-log ("exponential Greenwood") [3]. With V = Σ d_i / (n_i (n_i - d_i)) and
    z the standard-normal quantile of (1 + confidence) / 2, a = z √V / |ln S|; the bounds
    are S^exp(a) (lower) and S^exp(-a) (upper). Undefined at S = 1 (no event yet) and
    S = 0: ``None``.

    Raises
    ------
    InputError
        Lengths differ, a negative or non-finite duration, an event flag not 0/1/bool, or a
        confidence outside (0, 1).
    """
    if len(durations_days) != len(events):
        raise InputError(
            "events",
            len(events),
            f"one event flag per duration ({len(durations_days)} durations)",
        )
    if not (isinstance(confidence, float | int) and 0 < confidence < 1):
        raise InputError("confidence", confidence, "a level between 0 and 1, e.g. 0.95")
    subjects = sorted(
        (_duration(t, f"durations_days[{i}]"), _event_flag(e, f"events[{i}]"))
        for i, (t, e) in enumerate(zip(durations_days, events, strict=True))
    )
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    steps: list[KMStep] = []
    at_risk = len(subjects)
    survival = 1.0
    greenwood_sum = 0.0
    i = 0
    while i < len(subjects):
        time = subjects[i][0]
        j = i
        while j < len(subjects) and subjects[j][0] == time:
            j += 1
        died = sum(1 for _, e in subjects[i:j] if e)
        lost = (j - i) - died
        if died:
            survival *= 1 - died / at_risk
            if at_risk > died:
                greenwood_sum += died / (at_risk * (at_risk - died))
            else:
                greenwood_sum = math.inf
        std_error: float | None
        lower: float | None = None
        upper: float | None = None
        if survival == 0.0 or math.isinf(greenwood_sum):
            survival, std_error = 0.0, None
        else:
            std_error = survival * math.sqrt(greenwood_sum)
            if survival < 1.0:
                a = z * math.sqrt(greenwood_sum) / abs(math.log(survival))
                lower, upper = survival ** math.exp(a), survival ** math.exp(-a)
        steps.append(KMStep(time, at_risk, died, lost, survival, std_error, lower, upper))
        at_risk -= j - i
        i = j
    return steps


def km_median(steps: Sequence[KMStep]) -> float | None:
    """Median time: the first time at which the survival is 0.5 or less [1]; ``None`` when the
    curve never reaches 0.5."""
    return next((s.time_days for s in steps if s.survival <= 0.5), None)
