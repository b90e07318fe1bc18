"""The monitoring schedule of a ketogenic diet period: dated checks and whether each is done.

A diet period gives a list of dated checks (blood panel, urine calcium:creatinine, growth,
ketones, bone health) at the UK/Ireland time points — baseline, 3, 6, 12, 18 and 24 months,
then every 12 months — [1], each with its source. Infants (under 12 months at a check) are
reviewed "more often" [2], but no source gives the interval, so the extra checks come only from
a clinic setting (``infant_interval_months``, unset by default and flagged while unset).

:func:`check_status` is pure: given the record's labs and growth entries and a day it says
whether each check is ``done``, ``due``, ``overdue`` or ``upcoming``.

Month arithmetic
----------------
A check ``n`` months after the start falls on the same day of the month ``n`` calendar months
later, counted from the start each time (never chained), and a day the month lacks is clamped
to the month's last day: 31 Jan 2024 + 1 month = 29 Feb 2024 (leap year), 31 Jan 2025 + 1 month
= 28 Feb 2025, 31 Jan 2025 + 2 months = 31 Mar 2025. (:func:`spasmcare.months.add_months`.)

When a check counts as done
---------------------------
The baseline check is done by a matching entry in the ``baseline_lookback_days`` days up to
and including the diet's start day. A later check
due on day ``D`` is done by a matching entry from ``D − window_before_days`` until the day before
the next check's window opens. Without one it is ``upcoming`` before ``D``, ``due`` from ``D``
for ``overdue_after_days`` days, and ``overdue`` from then on; the first overdue day is
``D + overdue_after_days + 1`` (with the default 0, the day after ``D``). Both numbers are
software settings (how a clinic's list behaves), not clinical figures.

Bone health (bone density, fractures) has no entry in the record yet: its checks are scheduled
but their status is ``not recorded`` once due, never ``done``.

References
----------
1. Schoeler NE, et al. Survey of the UK and Ireland ketogenic diet services: blood tests at
   baseline, 3, 6, 12, 18 and 24 months and then yearly (follow-up testing inconsistent).
   Epilepsia Open 2020;5(1):73-79, PMC7049795. Graded SECONDARY in the project's care-pathway
   reference (§4): a survey of practice, not a guideline.
2. Sydney Children's Hospitals Network, "Ketogenic diet: initial screening and monitoring"
   (pennsw.schn.health.nsw.gov.au): review every 3 months, infants under 12 months more often;
   FBC, U&E (bicarbonate, Ca, Mg), LFT, fasting glucose and lipids, vitamin D, ...; urinalysis and
   urine calcium:creatinine for stones. SECONDARY. No number for "more often": NOT FOUND.
3. Radboud cohort, Thieme doi 10.1055/s-0039-1693059: long-term fractures 8.8 %, kidney stones
   8.8 %, BMD Z −1.32, hence bone density and hypercalciuria monitoring. SECONDARY. Its interval
   is not given: bone-health checks follow the time points of [1] (VERIFY locally).
4. Seed 004: the diet is continued for about 2 years with regular nutritional testing (weight,
   growth) to avoid malnutrition or overnutrition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.measures.labs import DEFAULT_LABS, LabThresholds, not_configured, urine_ca_cr_ratios
from spasmcare.months import add_months
from spasmcare.record.model import DietPeriod, Record

Status = Literal["done", "due", "overdue", "upcoming", "not recorded"]

SRC_TIME_POINTS = (
    "Schoeler et al., Epilepsia Open 2020;5(1):73-79 (PMC7049795): baseline, 3, 6, 12, 18, "
    "24 months, then yearly — UK/Ireland survey of practice, SECONDARY"
)
SRC_INFANT = (
    "clinic setting: infants under 12 months are reviewed more often (Sydney Children's "
    "Hospitals Network, SECONDARY) but no source gives the interval (NOT FOUND)"
)
#: The UK/Ireland time points [months after the start] before the yearly ones [1].
TIME_POINTS_MONTHS: tuple[int, ...] = (0, 3, 6, 12, 18, 24)
#: Months between the checks after the last fixed time point [1].
YEARLY_MONTHS = 12
#: The age [months] under which a patient counts as an infant for the shorter interval [2].
INFANT_UNDER_MONTHS = 12


@dataclass(frozen=True)
class Check:
    """One kind of check: what it is, which record entries show it was done, its source."""

    key: str
    label: str
    source: str
    #: Lab analytes (record codes) any one of which marks the check done.
    analytes: tuple[str, ...] = ()
    #: A growth entry with a weight marks it done.
    growth: bool = False
    #: Urine calcium:creatinine, entered or computed from urine calcium and creatinine.
    urine_ca_cr: bool = False


CHECKS: tuple[Check, ...] = (
    Check(
        "blood_panel",
        "blood tests (blood count, electrolytes with bicarbonate and calcium, liver tests, "
        "lipids, vitamin D)",
        "Schoeler 2020 [1] (time points); Sydney Children's Hospitals Network [2] (content)",
        analytes=(
            "bicarbonate",
            "calcium",
            "creatinine",
            "sodium",
            "alt",
            "total_cholesterol",
            "ldl_cholesterol",
            "hdl_cholesterol",
            "triglycerides",
        ),
    ),
    Check(
        "urine_ca_cr",
        "urine calcium:creatinine (kidney-stone risk)",
        "Sydney Children's Hospitals Network [2]; Radboud cohort, kidney stones 8.8 % [3]",
        urine_ca_cr=True,
    ),
    Check(
        "growth", "weight and length", "Seed 004 [4]; time points Schoeler 2020 [1]", growth=True
    ),
    Check(
        "ketones",
        "ketones (blood beta-hydroxybutyrate or urine)",
        "Sydney Children's Hospitals Network [2] (serum BHB); time points Schoeler 2020 [1]",
        analytes=("bhb", "urine_ketones"),
    ),
    Check(
        "bone_health",
        "bone health (bone density, fractures)",
        "Radboud cohort: fractures 8.8 %, BMD Z −1.32 [3]; interval not sourced, time points of "
        "Schoeler 2020 [1] used (VERIFY)",
    ),
)
CHECK_KEYS: tuple[str, ...] = tuple(c.key for c in CHECKS)


@dataclass(frozen=True)
class MonitoringSettings:
    """Clinic settings of the schedule.

    Attributes
    ----------
    infant_interval_months : int or None
        Months between checks while the patient is under 12 months. NOT FOUND in a source [2]:
        ``None`` (no extra checks, flagged) until the clinic sets it.
    window_before_days : int
        A result up to this many days before a check's date counts for it: 0 (software setting).
    overdue_after_days : int
        A check not done is ``due`` on its day and for this many days after, then ``overdue``:
        0 (software setting).
    baseline_lookback_days : int
        A result up to this many days before the diet's start counts as its baseline: 30
        (software setting: the sources say "baseline" but give no window; VERIFY locally).
    """

    infant_interval_months: int | None = None
    window_before_days: int = 0
    overdue_after_days: int = 0
    baseline_lookback_days: int = 30

    def __post_init__(self) -> None:
        n = self.infant_interval_months
        if n is not None and not (isinstance(n, int) and 1 <= n <= 11):
            raise InputError("infant_interval_months", n, "a whole number of months from 1 to 11")
        for name in ("window_before_days", "overdue_after_days", "baseline_lookback_days"):
            v = getattr(self, name)
            if not (isinstance(v, int) and 0 <= v <= 366):
                raise InputError(name, v, "a whole number of days from 0 to 366")


DEFAULT_MONITORING = MonitoringSettings()


@dataclass(frozen=True)
class TimePoint:
    """A date checks fall on: ``month`` after the diet start; ``infant`` for a clinic-set one."""

    month: int
    day: date
    source: str
    infant: bool = False


def time_points(
    diet: DietPeriod,
    birth_date: date,
    until: date,
    settings: MonitoringSettings = DEFAULT_MONITORING,
) -> list[TimePoint]:
    """The dated time points from the diet's start to ``until`` (or the diet's stop, whichever
    is earlier), plus the first one after that day so the next check is always shown."""
    last = min(until, diet.stop) if diet.stop else until
    points: dict[date, TimePoint] = {}
    month = 0
    index = 0
    while True:
        if index < len(TIME_POINTS_MONTHS):
            month = TIME_POINTS_MONTHS[index]
        else:
            month += YEARLY_MONTHS
        index += 1
        day = add_months(diet.start, month)
        if diet.stop and day > diet.stop:
            break
        points[day] = TimePoint(month, day, SRC_TIME_POINTS)
        if day > last:
            break
    n = settings.infant_interval_months
    if n is not None:
        first_birthday = add_months(birth_date, INFANT_UNDER_MONTHS)
        k = n
        while (day := add_months(diet.start, k)) < first_birthday:
            if (diet.stop and day > diet.stop) or day > max(points):
                break
            points.setdefault(day, TimePoint(k, day, SRC_INFANT, infant=True))
            k += n
    return [points[d] for d in sorted(points)]


def _evidence_days(record: Record, check: Check) -> list[date]:
    days = [x.day for x in record.labs if x.analyte in check.analytes]
    if check.urine_ca_cr:
        days += [x.day for x in urine_ca_cr_ratios(record)]
    if check.growth:
        days += [g.day for g in record.growth if g.weight_kg is not None]
    return sorted(set(days))


def check_status(
    record: Record,
    diet: DietPeriod,
    today: date,
    settings: MonitoringSettings = DEFAULT_MONITORING,
    labs: LabThresholds = DEFAULT_LABS,
) -> dict[str, Any]:
    """Every dated check of ``diet`` with its status on ``today`` (pure: same input, same out).

    Returns ``{"diet": id, "checks": [...], "flags": [...], "settings": {...}}``; each check
    has ``check``, ``label``, ``month``, ``date``, ``status``, ``done_on``, ``overdue_from``,
    ``source``. The schedule says when to test, not what a result means: the lab cut-offs
    without a guideline source (lipids, bicarbonate) stay unset clinic settings of
    :class:`~spasmcare.measures.labs.LabThresholds`, listed under ``thresholds_not_configured``
    while unset."""
    points = time_points(diet, record.patient.birth_date, today, settings)
    before = timedelta(days=settings.window_before_days)
    rows: list[dict[str, Any]] = []
    for check in CHECKS:
        evidence = _evidence_days(record, check)
        for i, point in enumerate(points):
            if i == 0:
                opens = point.day - timedelta(days=settings.baseline_lookback_days)
                closes = point.day
            else:
                opens = point.day - before
                nxt = points[i + 1].day - before if i + 1 < len(points) else date.max
                closes = nxt - timedelta(days=1)
            done_on = next((d for d in evidence if opens <= d <= min(closes, today)), None)
            overdue_from = point.day + timedelta(days=settings.overdue_after_days + 1)
            status: Status
            if done_on is not None and not (check.key == "bone_health"):
                status = "done"
            elif today < point.day:
                status = "upcoming"
            elif check.key == "bone_health":
                status = "not recorded"
            elif today < overdue_from:
                status = "due"
            else:
                status = "overdue"
            rows.append(
                {
                    "check": check.key,
                    "label": check.label,
                    "month": point.month,
                    "date": point.day,
                    "status": status,
                    "done_on": done_on,
                    "overdue_from": overdue_from,
                    "source": point.source if point.infant else check.source,
                    "infant_interval": point.infant,
                }
            )
    rows.sort(key=lambda r: (r["date"], CHECK_KEYS.index(r["check"])))
    return {
        "diet": diet.id,
        "today": today,
        "checks": rows,
        "flags": _flags(record, diet, settings),
        "thresholds_not_configured": not_configured(labs),
        "settings": {
            "infant_interval_months": settings.infant_interval_months,
            "window_before_days": settings.window_before_days,
            "overdue_after_days": settings.overdue_after_days,
            "baseline_lookback_days": settings.baseline_lookback_days,
        },
        "references": [SRC_TIME_POINTS, SRC_INFANT],
    }


def _flags(record: Record, diet: DietPeriod, settings: MonitoringSettings) -> list[str]:
    flags = []
    if settings.infant_interval_months is None and diet.start < add_months(
        record.patient.birth_date, INFANT_UNDER_MONTHS
    ):
        flags.append(
            "Infant under 12 months on the diet: reviewed more often than the schedule shows, "
            "but no source gives the interval — set infant_interval_months for the clinic."
        )
    flags.append("Bone health has no entry in the record: its checks show 'not recorded' when due.")
    return flags


def record_checks(
    record: Record,
    today: date,
    settings: MonitoringSettings = DEFAULT_MONITORING,
    labs: LabThresholds = DEFAULT_LABS,
) -> list[dict[str, Any]]:
    """:func:`check_status` for every diet period of the record (the report's key)."""
    return [
        check_status(record, d, today, settings, labs)
        for d in sorted(record.diet_periods, key=lambda d: (d.start, d.id))
    ]


def open_checks(
    record: Record, today: date, settings: MonitoringSettings = DEFAULT_MONITORING
) -> list[dict[str, Any]]:
    """The checks due or overdue on ``today`` over every diet period, overdue first, each with
    a sentence people read ("Blood tests due on 10 Nov 2026: overdue since 11 Nov 2026"): what
    a dashboard, patient list or family sheet would show (those screens do not read it yet)."""
    from spasmcare.plain import day_text

    rows = [
        {**r, "diet": block["diet"]}
        for block in record_checks(record, today, settings)
        for r in block["checks"]
        if r["status"] in ("due", "overdue")
    ]
    for r in rows:
        first = r["label"].split(" (")[0]
        text = f"{first[0].upper()}{first[1:]} due on {day_text(r['date'])}"
        if r["status"] == "overdue":
            text += f": overdue since {day_text(r['overdue_from'])}"
        r["text"] = text
    rows.sort(key=lambda r: (r["status"] != "overdue", r["date"], CHECK_KEYS.index(r["check"])))
    return rows
