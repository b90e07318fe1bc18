"""The demo clinic (14 infants), the long record for the dashboard benchmark, and the keto
prescription of a demo infant.

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from spasmcare.demo.base import DemoInfant, _day
from spasmcare.demo.case import _case, _fictional
from spasmcare.demo.doses import PRED_LAST_DAY
from spasmcare.demo.stories import STORIES
from spasmcare.demo.writer import vitals_supported
from spasmcare.errors import InputError
from spasmcare.months import add_months


def demo_clinic(today: date, seed: int = 2026) -> list[DemoInfant]:
    """The fictional demo clinic: 14 infants whose records end on or before ``today``.

    Deterministic for a given (``today``, ``seed``); see the module docstring for the stories.
    Exactly one infant has ``family=True``.
    """
    vitals = vitals_supported()
    return [
        story(random.Random(seed * 1000 + n), today, vitals)
        for n, story in enumerate(STORIES, start=1)
    ]


#: Bounds of ``long_record(days=...)``: at least two weeks, at most three years of diary (the
#: infant stays inside the WHO growth reference).
LONG_DAYS_RANGE = (14, 3 * 365)


def long_record(today: date, days: int = 730, seed: int = 7) -> DemoInfant:
    """One fictional infant with a daily diary over ``days`` days ending yesterday (2 years by
    default): prednisolone and vigabatrin failure, classic ketogenic diet partial responder,
    worsening treated with ACTH, a ratio increase, weekly ketones, monthly growth, EEGs every
    3 months.

    Events that would fall after the diary's end are left out, so any ``days`` in
    :data:`LONG_DAYS_RANGE` gives a valid record. Raises :class:`InputError` for other values.
    """
    lo, hi = LONG_DAYS_RANGE
    if isinstance(days, bool) or not isinstance(days, int) or not lo <= days <= hi:
        raise InputError("days", days, f"a whole number of days from {lo} to {hi}")
    rng = random.Random(seed)
    c = _case(
        rng,
        today,
        0,
        "Otto Longwood",
        "male",
        {"category": "genetic", "gene": "SCN8A", "detail": _fictional("De novo SCN8A variant.")},
        onset_months=(5.0, 5.0),
        span_days=(days, days),
        lag_days=(1, 1),
        gestation=(39, 3),
        pid="demo-long",
    )
    c.gaps = 3
    c.growth_every = (28, 31)
    s = c.start
    t0 = s + timedelta(days=8)
    v = _day(t0, PRED_LAST_DAY + 2)
    kd = v + timedelta(days=40)
    relapse = s + timedelta(days=300)
    a = relapse + timedelta(days=10)
    ratio_up = s + timedelta(days=500)
    for day, level in (
        (s, 1.0),
        (_day(t0, 7), 0.85),
        (_day(t0, 20), 0.7),
        (_day(v, 14), 0.55),
        (kd, 0.55),
        (kd + timedelta(days=35), 0.3),
        (relapse - timedelta(days=1), 0.3),
        (relapse + timedelta(days=4), 0.6),
        (a, 0.6),
        (_day(a, 10), 0.2),
        (ratio_up - timedelta(days=10), 0.2),
        (ratio_up - timedelta(days=3), 0.4),
        (ratio_up + timedelta(days=25), 0.25),
    ):
        c.knot(day, level)
    c.prednisolone("pred1", t0, escalate=True)
    c.eeg(t0 - timedelta(days=2))
    c.eeg(_day(t0, 14))
    if v <= c.end:
        c.vigabatrin(
            "vgb1",
            v,
            stop_on=v + timedelta(days=30),
            note="Second line. Visual monitoring planned.",
        )
        c.eeg(_day(v, 14))
    keto: dict[str, Any] | None = None
    if kd <= c.end:
        first_stop = ratio_up - timedelta(days=1) if ratio_up <= c.end else None
        c.diet(
            "kd1",
            "classic-kd",
            kd,
            ratio=3.0,
            achieved=(2.9, 0.08),
            ramp=(1.0, 2.0, 3.0),
            stop=first_stop,
        )
        keto = {"diet": "classic", "ratio": 3.0}
        if first_stop is not None:
            c.diet(
                "kd2",
                "classic-kd",
                ratio_up,
                ratio=3.5,
                achieved=(3.35, 0.1),
                note="Ratio raised for breakthrough spasms.",
            )
            keto = {"diet": "classic", "ratio": 3.5}
        c.diet_labs(kd, high_day=45, low_day=200)
        month = 3
        while (day := add_months(kd, month)) <= c.end:
            c.eeg(day)
            month += 3
    if a <= c.end:
        c.acth("acth1", a, high_bp=(8, 15))
        c.protect(relapse - timedelta(days=2), relapse + timedelta(days=10))
        c.eeg(relapse + timedelta(days=5))
        c.event(_day(a, 9), "hypertension", 1, "acth1", "Rechecked twice weekly; settled.")
    story = (
        "daily diary over 2 years: prednisolone and vigabatrin non-responder, classic KD "
        "partial responder, worsening treated with ACTH, ratio raised"
        if days >= 600
        else f"daily diary over {days} days (shortened long record)"
    )
    return c.finish(story, keto=keto, vitals=vitals_supported())
