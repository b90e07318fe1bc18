"""Patient-list alerts: what a clinician should look at for one patient today, in one call.

:func:`patient_alerts` reads the record and two lists the caller works out from its own data
(monitoring checks past due, protocol details awaiting confirmation) and returns
:class:`PatientAlert` objects sorted urgent first, then most recent. Nothing here decides a
clinical threshold of its own: laboratory cut-offs and growth flags come from
:mod:`spasmcare.measures.labs` and :mod:`spasmcare.measures.growth` (with their sources), and
the blood-pressure limits are clinic settings that are not configured by default.

Kinds
-----
``monitoring_overdue`` (review)
    One per overdue monitoring check passed in (label and due date).
``bp_high`` (urgent)
    The latest blood-pressure reading of the last ``recent_days`` days is above the clinic's
    limit. ``bp_thresholds_not_configured`` (review) instead, when a limit is not set and
    there are recent readings: the reading is shown with "alerts not configured", never as
    mere information, so a raised reading is not silently passed over [2].
``glucose_low``, ``bhb_high``, ``bhb_above_target``, ``bhb_below_target`` (severity of the lab rule)
    :func:`spasmcare.measures.labs.lab_alerts` restricted to the last ``recent_days`` days; one
    alert per kind, for its latest result [3].
``faltering_growth`` (review)
    :func:`spasmcare.measures.growth.growth_flags` (``faltering_low``, ``faltering_fall``) on
    the latest measurement of each of weight, length and head circumference [4].
``no_diary`` (review)
    No diary day kept in the last ``no_diary_days`` whole days while a diary is expected (see
    :func:`no_diary_alert` for who is exempt) [1].
``confirmation_pending`` (review)
    One per course whose protocol has details the clinic has not confirmed [6].

References
----------
1. Issue 6 (product requirement for the clinic web app): the patient list shows alerts for
   monitoring overdue, blood pressure / glucose / ketones out of range, faltering growth,
   "no diary for 2 days" and clinic confirmation pending. The 2 days is a product setting, not
   a clinical figure.
2. drug-protocols.md §1.6: blood-pressure schedules and thresholds for infants on hormonal
   treatment (UKISS, ICISS, RCH) NOT FOUND; the PERC survey of 24 US pathways found
   blood-pressure control among the most common side-effect measures (79 %). Hence no default
   limit: the clinic sets its own.
3. spasmcare.measures.labs: BHB and glucose cut-offs with their sources (NHS critical-care KD
   guide; NHS GGC KD protocol; Dressler 2020).
4. spasmcare.measures.growth: faltering growth (issue 5; cf. NICE NG75 2017), VERIFY there.
5. Grinspan ZM, et al. (NISC). Neurology 2021;97:e1217: freedom from treatment failure is
   judged at day 60, the latest day a default drug-course measure of
   :func:`spasmcare.measures.response.treatment_measures` needs without a later event.
6. spasmcare.therapy.protocol: details flagged VERIFY / NOT FOUND are shown as "to be
   confirmed by the clinic" and not used in a plan until the clinic confirms them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.measures.growth import (
    DEFAULT_GROWTH,
    GrowthOptions,
    growth_flags,
    growth_points,
)
from spasmcare.measures.labs import DEFAULT_LABS, LabThresholds, lab_alerts
from spasmcare.plain import day_text, label
from spasmcare.record.model import DIET_LABELS, Record, Treatment, VitalSign

Severity = Literal["urgent", "review", "info"]
#: Sort order of the severities (urgent first).
SEVERITY_ORDER: dict[str, int] = {"urgent": 0, "review": 1, "info": 2}

#: Lab-alert kinds shown on the patient list: glucose and ketones, as issue 6 asks [1].
LAB_KINDS: tuple[str, ...] = ("glucose_low", "bhb_high", "bhb_above_target", "bhb_below_target")

SRC_MONITORING = "The course plan's monitoring checklist"
# Shown to clinicians beside each alert: plain words; the references are in the docstring.
SRC_BP = (
    "Clinic setting: the published infant spasms protocols give no infant blood-pressure "
    "threshold, so the clinic sets its own"
)
SRC_NO_DIARY = "Software setting: a diary is expected at least every 2 days"
SRC_CONFIRMATION = (
    "Details the sources leave unverified are not used until the clinic confirms them"
)


@dataclass(frozen=True)
class AlertSettings:
    """Settings of :func:`patient_alerts`; each default with what it is.

    Attributes
    ----------
    recent_days : int
        Window of "recent" readings and results: the ``recent_days`` days ending today
        (today and the ``recent_days - 1`` days before). 7: a software setting (a week of
        readings on a patient list), not a clinical figure.
    no_diary_days : int
        Whole days before today without a diary day that raise ``no_diary``: 2, the product
        requirement of issue 6 [1] (a software setting, not a clinical figure).
    follow_up_day : int
        A drug course is followed (diary expected) until this treatment day, day 1 being its
        start date, even after it stops: 60, the day of the NISC measure [5], the latest
        fixed window of the default drug-course measures.
    bp_systolic_high_mmhg, bp_diastolic_high_mmhg : float or None
        The clinic's high blood-pressure limits [mmHg]; a reading strictly above one raises
        ``bp_high``. NOT FOUND in the reference [2]: ``None`` (not configured) by default.
    lab_kinds : tuple of str or None
        Lab-alert kinds shown (default: glucose and ketones, :data:`LAB_KINDS`); ``None``
        shows every kind of :func:`~spasmcare.measures.labs.lab_alerts`.
    labs : LabThresholds
        Lab cut-offs (sourced in :mod:`spasmcare.measures.labs`).
    growth : GrowthOptions
        Growth reference and flag thresholds (:mod:`spasmcare.measures.growth`).
    """

    recent_days: int = 7
    no_diary_days: int = 2
    follow_up_day: int = 60
    bp_systolic_high_mmhg: float | None = None
    bp_diastolic_high_mmhg: float | None = None
    lab_kinds: tuple[str, ...] | None = LAB_KINDS
    labs: LabThresholds = DEFAULT_LABS
    growth: GrowthOptions = DEFAULT_GROWTH

    def __post_init__(self) -> None:
        for name in ("recent_days", "no_diary_days", "follow_up_day"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(name, value, "a whole number of days, at least 1")
        for name in ("bp_systolic_high_mmhg", "bp_diastolic_high_mmhg"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or not value > 0
            ):
                raise InputError(name, value, "a pressure in mmHg above 0, or None (not set)")


DEFAULT_ALERT_SETTINGS = AlertSettings()


@dataclass(frozen=True)
class PatientAlert:
    """One alert of the patient list.

    ``since`` is the date the alert is about: the due date of a check, the date of the
    reading or result, the first day without a diary, the start of the course.
    """

    kind: str
    severity: Severity
    message: str
    since: date
    source: str
    action: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "since": self.since.isoformat(),
            "source": self.source,
            "action": self.action,
        }


@dataclass(frozen=True)
class OverdueCheck:
    """A monitoring check of a course plan that is past due and not ticked."""

    label: str
    due: date
    source: str = ""


@dataclass(frozen=True)
class PendingConfirmation:
    """Protocol details of a course (``treatment``: its id in the record) that the clinic has
    not confirmed, e.g. ``[d.detail for d in protocol.detail_status(values) if not
    d.confirmed]`` of :meth:`spasmcare.therapy.protocol.Protocol.detail_status`."""

    treatment: str
    details: tuple[str, ...]
    protocol: str | None = None


def not_configured(settings: AlertSettings = DEFAULT_ALERT_SETTINGS) -> list[str]:
    """The alerts switched off because the reference gives no threshold [2]."""
    names = {
        "bp_systolic_high_mmhg": "high systolic blood pressure",
        "bp_diastolic_high_mmhg": "high diastolic blood pressure",
    }
    return [
        f"{label}: the sources give no infant threshold, so the clinic sets its own"
        for name, label in names.items()
        if getattr(settings, name) is None
    ]


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _recent(day: date, today: date, settings: AlertSettings) -> bool:
    """``day`` lies in the ``recent_days`` days ending today."""
    return today - timedelta(days=settings.recent_days) < day <= today


def _as_date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(field, value, "a date (YYYY-MM-DD)")


def _overdue_check(item: Any, field: str) -> OverdueCheck:
    """Normalise one ``monitoring_overdue`` item: an :class:`OverdueCheck`, a ``(label, due)``
    or ``(label, due, source)`` tuple, a mapping with ``label``/``what`` and ``due``, or a
    :class:`spasmcare.therapy.monitoring.MonitoringItem` (due = its ``until`` or ``date``)."""
    label: Any
    due: Any
    source: Any
    if isinstance(item, OverdueCheck):
        label, due, source = item.label, item.due, item.source
    elif isinstance(item, tuple | list) and len(item) in (2, 3):
        label, due = item[0], item[1]
        source = item[2] if len(item) == 3 else ""
    elif isinstance(item, dict):
        label = item.get("label", item.get("what"))
        due = item.get("due", item.get("date"))
        source = item.get("source", "")
    elif hasattr(item, "what") and hasattr(item, "date"):
        label = item.what
        due = getattr(item, "until", None) or item.date
        source = "; ".join(getattr(item, "sources", None) or [])
    else:
        raise InputError(field, item, "a (label, due date) pair")
    if not isinstance(label, str) or not label.strip():
        raise InputError(f"{field}.label", label, "the name of the monitoring check")
    return OverdueCheck(label.strip(), _as_date(due, f"{field}.due"), str(source or ""))


def monitoring_alerts(
    items: Iterable[Any], today: date, field: str = "monitoring_overdue"
) -> list[PatientAlert]:
    """One ``monitoring_overdue`` alert per check past due (the caller decides which are)."""
    alerts = []
    for i, item in enumerate(items):
        check = _overdue_check(item, f"{field}[{i}]")
        if check.due > today:
            raise InputError(
                f"{field}[{i}].due",
                check.due.isoformat(),
                f"a due date on or before today ({today.isoformat()}) for an overdue check",
            )
        late = (today - check.due).days
        when = "today" if late == 0 else f"{_days(late)} ago"
        alerts.append(
            PatientAlert(
                kind="monitoring_overdue",
                severity="review",
                message=f"Monitoring overdue: {check.label}, due {day_text(check.due)} "
                f"({when}) and not ticked.",
                since=check.due,
                source=check.source or SRC_MONITORING,
                action="Do the check or record why it was not done.",
            )
        )
    return alerts


def _bp_text(v: VitalSign) -> str:
    return f"{v.systolic_mmhg:g}/{v.diastolic_mmhg:g} mmHg on {day_text(v.at)}"


def bp_alerts(
    record: Record, today: date, settings: AlertSettings = DEFAULT_ALERT_SETTINGS
) -> list[PatientAlert]:
    """``bp_high`` for the latest recent reading above a configured limit, and
    ``bp_thresholds_not_configured`` when a limit is unset and recent readings exist [2]."""
    recent = [v for v in record.vitals if _recent(v.day, today, settings)]
    if not recent:
        return []
    latest = max(recent, key=lambda v: v.at)
    alerts = []
    unset = [
        name
        for name in ("bp_systolic_high_mmhg", "bp_diastolic_high_mmhg")
        if getattr(settings, name) is None
    ]
    if unset:
        count = f"{len(recent)} reading{'s' if len(recent) > 1 else ''}"
        alerts.append(
            PatientAlert(
                kind="bp_thresholds_not_configured",
                severity="review",
                message=f"Blood pressure {_bp_text(latest)} not checked: blood-pressure alerts "
                f"are not configured ({count} in the last {_days(settings.recent_days)}). "
                "Look at the reading yourself, and set the clinic's limits.",
                since=latest.day,
                source=SRC_BP,
            )
        )
    over = []
    high_sys, high_dia = settings.bp_systolic_high_mmhg, settings.bp_diastolic_high_mmhg
    if high_sys is not None and latest.systolic_mmhg > high_sys:
        over.append(f"systolic above the clinic's limit of {high_sys:g} mmHg")
    if high_dia is not None and latest.diastolic_mmhg > high_dia:
        over.append(f"diastolic above the clinic's limit of {high_dia:g} mmHg")
    if over:
        alerts.append(
            PatientAlert(
                kind="bp_high",
                severity="urgent",
                message=f"Blood pressure {_bp_text(latest)} (latest reading): "
                + " and ".join(over)
                + ".",
                since=latest.day,
                source=SRC_BP,
                action="Review the reading and the treatment with the responsible clinician "
                "under the local protocol.",
            )
        )
    return alerts


def recent_lab_alerts(
    record: Record, today: date, settings: AlertSettings = DEFAULT_ALERT_SETTINGS
) -> list[PatientAlert]:
    """:func:`~spasmcare.measures.labs.lab_alerts` of the last ``recent_days`` days, one per
    kind (its latest result, with the count when there were more) [3]."""
    by_kind: dict[str, list[Any]] = {}
    every = lab_alerts(record, settings.labs)
    alerted = {(a.analyte, a.at) for a in every}
    for a in every:
        if settings.lab_kinds is not None and a.kind not in settings.lab_kinds:
            continue
        if _recent(a.at.date(), today, settings):
            by_kind.setdefault(a.kind, []).append(a)
    alerts = []
    for kind, found in by_kind.items():
        latest = max(found, key=lambda a: a.at)
        message = f"Lab out of range: {latest.message} ({day_text(latest.at)})"
        if len(found) > 1:
            message += f"; {len(found)} such results in the last {_days(settings.recent_days)}"
        later = [
            x
            for x in record.labs
            if x.analyte == latest.analyte and latest.at < x.at and x.day <= today
        ]
        if later:
            last = max(later, key=lambda x: x.at)
            shown = f"; the latest result ({last.value_si:g} {last.unit_si}, {day_text(last.at)})"
            if (last.analyte, last.at) in alerted:
                message += shown + " has an alert of its own"
            else:
                message += shown + " raised no alert"
        alerts.append(
            PatientAlert(
                kind=kind,
                severity="urgent" if latest.severity == "urgent" else "review",
                message=message + ".",
                since=latest.at.date(),
                source=latest.source,
                action=latest.action,
            )
        )
    return alerts


def growth_alerts(
    record: Record, today: date, settings: AlertSettings = DEFAULT_ALERT_SETTINGS
) -> list[PatientAlert]:
    """One ``faltering_growth`` alert naming each measure whose latest measurement (on or
    before today) is flagged by :func:`~spasmcare.measures.growth.growth_flags`: below the low
    limit, or fallen more than the allowed SD from its highest earlier z-score [4]. An earlier
    flag that a later measurement no longer shows is history, not an alert; ``since`` is the
    latest flagged measurement date."""
    upto = replace(record, growth=tuple(g for g in record.growth if g.day <= today))
    points = growth_points(upto, settings.growth)
    latest: dict[str, date] = {}
    for row in points:
        for measure in ("weight", "height", "head_circumference", "weight_for_length"):
            if row[f"{measure}_sds"] is not None:
                latest[measure] = row["date"]
    current = [
        flag
        for flag in growth_flags(upto, points, settings.growth)
        if flag["kind"] in ("faltering_low", "faltering_fall")
        and flag["date"] == latest.get(flag["measure"])
    ]
    if not current:
        return []
    day = max(f["date"] for f in current)
    dates = sorted({f["date"].isoformat() for f in current})
    return [
        PatientAlert(
            kind="faltering_growth",
            severity="review",
            message="Faltering growth: "
            + "; ".join(f["message"] for f in current)
            + f" (measured {', '.join(dates)}).",
            since=day,
            source=current[0]["source"],
            action="Review feeding and growth with the dietitian.",
        )
    ]


def _diary_reasons(record: Record, today: date, settings: AlertSettings) -> list[tuple[date, str]]:
    """(start, words) of each reason a diary is expected today; empty when exempt."""
    reasons: list[tuple[date, str]] = []
    for t in record.treatments:
        if t.start > today:
            continue
        last_follow = t.start + timedelta(days=settings.follow_up_day - 1)
        if t.stop is None or t.stop >= today:
            reasons.append((t.start, f"on {t.drug} since {day_text(t.start)}"))
        elif today <= last_follow:
            follow = f"in follow-up of {t.drug} from {day_text(t.start)}"
            reasons.append((t.start, f"{follow} to day {settings.follow_up_day}"))
    for d in record.diet_periods:
        if d.start <= today and (d.stop is None or d.stop >= today):
            diet = DIET_LABELS.get(d.diet, f"{d.diet} diet")
            reasons.append((d.start, f"on the {diet} since {day_text(d.start)}"))
    return reasons


def no_diary_alert(
    record: Record, today: date, settings: AlertSettings = DEFAULT_ALERT_SETTINGS
) -> PatientAlert | None:
    """``no_diary`` when none of the ``no_diary_days`` whole days before today is a diary day,
    while a diary is expected [1].

    A day counts as a diary day when it is listed in ``recorded_days`` or has a diary entry.
    Today is never counted as missing (the family may not have written it yet). The first
    missing day (``since``) is the day after the last diary day; with no diary day at all, the
    start of the earliest course that expects one. So with the default of 2, a last diary day
    two days ago gives no alert (only yesterday is missing) and three days ago gives one.

    A diary is expected when, today:

    * a drug course is running (started, not stopped before today);
    * a drug course is in follow-up: up to treatment day ``follow_up_day`` (day 60: the
      default drug-course measures read the diary to that day [5]), even after it stopped;
    * a diet period is running;
    * no course or diet is recorded yet but a diary has been started (the baseline before
      treatment is read from it).

    Exempt, and why:

    * no course, no diet and no diary ever: nothing has been asked of the family yet, so
      there is nothing to chase;
    * every course stopped and past its follow-up day, and every diet stopped: the measures
      no longer read new diary days, so a gap is not a missing result.
    """
    kept = {d for d in record.recorded_days if d <= today}
    kept.update(e.day for e in record.diary if e.day <= today)
    last = max(kept) if kept else None
    reasons = _diary_reasons(record, today, settings)
    if not reasons:
        if record.treatments or record.diet_periods or last is None:
            return None
        reasons = [(min(kept), "diary started, no treatment recorded yet")]
    since = last + timedelta(days=1) if last is not None else min(r[0] for r in reasons)
    missing = (today - since).days
    if missing < settings.no_diary_days:
        return None
    if last is None:
        what = f"no diary day kept since {day_text(since)} ({_days(missing)})"
    else:
        what = f"last diary day {day_text(last)}, none in the {_days(missing)} since"
    return PatientAlert(
        kind="no_diary",
        severity="review",
        message=f"No diary: {what}; " + "; ".join(r[1] for r in reasons) + ".",
        since=since,
        source=SRC_NO_DIARY,
        action="Contact the family about the diary; mark days observed without spasms as recorded.",
    )


def _pending(item: Any, field: str) -> PendingConfirmation:
    if isinstance(item, PendingConfirmation):
        return item
    if isinstance(item, tuple | list) and len(item) in (2, 3):
        details = item[1]
        if isinstance(details, str) or not isinstance(details, Iterable):
            raise InputError(f"{field}.details", details, "a list of protocol detail ids")
        return PendingConfirmation(
            str(item[0]), tuple(str(d) for d in details), item[2] if len(item) == 3 else None
        )
    raise InputError(field, item, "a (treatment id, detail ids) pair or a PendingConfirmation")


def confirmation_alerts(
    record: Record, items: Iterable[Any], field: str = "confirmations_pending"
) -> list[PatientAlert]:
    """One ``confirmation_pending`` alert per course with unconfirmed protocol details [6]."""
    merged: dict[str, tuple[Treatment, list[str], list[str]]] = {}
    for i, item in enumerate(items):
        pending = _pending(item, f"{field}[{i}]")
        treatment = record.treatment(pending.treatment)
        if treatment is None:
            raise InputError(
                f"{field}[{i}].treatment",
                pending.treatment,
                "the id of a treatment in the record: "
                + ", ".join(t.id for t in record.treatments),
            )
        _, details, protocols = merged.setdefault(treatment.id, (treatment, [], []))
        details.extend(d for d in pending.details if d not in details)
        if pending.protocol and pending.protocol not in protocols:
            protocols.append(pending.protocol)
    alerts = []
    for treatment, details, protocols in merged.values():
        if not details:
            continue
        # people read the course by drug and start and the protocol by its title (ids are
        # for machines)
        what = f"{treatment.drug} course from {day_text(treatment.start)}"
        what += f" ({', '.join(label(p) for p in protocols)})" if protocols else ""
        n = len(details)
        alerts.append(
            PatientAlert(
                kind="confirmation_pending",
                severity="review",
                message=f"Clinic confirmation pending: {what} has {n} protocol detail"
                f"{'s' if n > 1 else ''} not confirmed ({', '.join(label(d) for d in details)}); "
                f"the plan shows "
                f"{'them' if n > 1 else 'it'} as to be confirmed and does not use "
                f"{'them' if n > 1 else 'it'}.",
                since=treatment.start,
                source=SRC_CONFIRMATION,
                action="A clinician confirms or changes each detail in the protocol.",
            )
        )
    return alerts


def sort_alerts(alerts: Iterable[PatientAlert]) -> list[PatientAlert]:
    """Urgent first, then review, then info; within a severity the most recent first."""
    return sorted(
        alerts, key=lambda a: (SEVERITY_ORDER[a.severity], -a.since.toordinal(), a.kind, a.message)
    )


def clinic_day(today: Any) -> date:
    """The clinic's date ``today`` as a ``date`` (a ``datetime`` is taken as its date).

    Raises
    ------
    InputError
        ``today`` is neither a date nor a date-time.
    """
    if isinstance(today, datetime):
        return today.date()
    if not isinstance(today, date):
        raise InputError("today", today, "a date")
    return today


def patient_alerts(
    record: Record,
    today: date,
    *,
    settings: AlertSettings = DEFAULT_ALERT_SETTINGS,
    monitoring_overdue: Iterable[Any] = (),
    confirmations_pending: Iterable[Any] = (),
) -> list[PatientAlert]:
    """Every alert of the patient list for one patient, urgent first then most recent.

    Parameters
    ----------
    record : Record
        The patient record.
    today : date
        The clinic's date (a ``datetime`` is taken as its date).
    settings : AlertSettings
        Windows and limits (see :class:`AlertSettings`; blood-pressure limits are not set by
        default).
    monitoring_overdue : iterable
        Checks of a course plan past due and not ticked, worked out by the caller: each an
        :class:`OverdueCheck`, a ``(label, due date)`` tuple, or a
        :class:`~spasmcare.therapy.monitoring.MonitoringItem`.
    confirmations_pending : iterable
        Per course in use, the protocol detail ids the clinic has not confirmed: each a
        :class:`PendingConfirmation` or a ``(treatment id, detail ids)`` tuple.

    Raises
    ------
    InputError
        A malformed item (field ``monitoring_overdue[2].due``), a due date after today, or a
        treatment id not in the record.
    """
    today = clinic_day(today)
    alerts: list[PatientAlert] = []
    alerts += monitoring_alerts(monitoring_overdue, today)
    alerts += bp_alerts(record, today, settings)
    alerts += recent_lab_alerts(record, today, settings)
    alerts += growth_alerts(record, today, settings)
    diary = no_diary_alert(record, today, settings)
    if diary is not None:
        alerts.append(diary)
    alerts += confirmation_alerts(record, confirmations_pending)
    return sort_alerts(alerts)
