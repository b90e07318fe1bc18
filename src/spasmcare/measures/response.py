"""Response of spasms to a treatment, by the definitions that trials and clinics use.

Every function takes a :class:`~spasmcare.record.model.Record` (or a prebuilt
:class:`~spasmcare.measures.diary.DiaryView` of it) and the treatment (or diet
period) it is judged against and returns a :class:`~spasmcare.measures.diary.MeasureResult`
saying which days it rests on, or ``not assessable`` with the reason. A day not marked recorded
is never taken as spasm-free (see :mod:`spasmcare.measures.diary`).

Day numbering: the start date of a treatment is day 1 by default (``first_day_number=1``).
The trial abstracts say "day 14 from trial entry" without saying whether entry is day 0 or
day 1; set ``first_day_number=0`` to count the start date as day 0.

References
----------
1. Lux AL, Edwards SW, Hancock E, et al. (UKISS). Lancet 2004;364:1773-8. Primary outcome:
   no spasms on days 13 and 14 (drug-protocols.md §1.1, §4).
2. O'Callaghan FJK, Edwards SW, Alber FD, et al. (ICISS). Lancet Neurol 2017;16:33-42.
   Primary outcome: no witnessed spasms on and between day 14 and day 42 from trial entry
   (drug-protocols.md §1.2, §4).
3. Randomised trial of prednisolone 4 vs 2 mg/kg/day, Epilepsy Res 2014;108:1378-84
   (NCT01575639): 48 hours spasm-free at day 14 by parent report (drug-protocols.md §1.4).
4. Elterman RD, Shields WD, Mansfield KA, Nakagawa J. Neurology 2001;57:1416-21. Responder:
   spasm-free for 7 consecutive days starting within the first 14 days (drug-protocols.md §3).
5. Grinspan ZM, et al. (National Infantile Spasms Consortium). Neurology 2021;97:e1217.
   Freedom from treatment failure at 60 days: no second treatment and no clinical spasms after
   day 30 (drug-protocols.md §4).
6. Wanigasinghe J, Arambepola C, Sri Ranganathan S, et al. Pediatr Neurol 2015;53:193-9.
   Electroclinical remission: no spasms plus resolution of hypsarrhythmia on EEG by day 14,
   then 28 days of continued spasm freedom (drug-protocols.md §4).
7. Osborne JP, et al. Eur J Paediatr Neurol 2023;42:110-116: spasm-free days 13-14 and
   electroclinical response on the day-14 EEG (drug-protocols.md §1.2, §4).
8. Mytinger JR, et al. Epileptic Disord 2015;17:52-7: clinical remission of at least 28 days
   plus remission of hypsarrhythmia (drug-protocols.md §4).
9. Relapse: no standard definition found (drug-protocols.md §4); windows used are 2-9 months
   (Hussain SA, et al. Epilepsia 2014, doi 10.1111/epi.12460) and 12 months (Wan et al.).
10. UK Infantile Spasms Trust: prednisolone 40 mg/day, raised to 60 mg/day if not effective in
    the first 7 days (patient charity; VERIFY against the Lux 2004 methods; drug-protocols.md §1.1).
11. Zhang Y, Yu L, Zhou Y, et al. Clin Neurol Neurosurg 2019;184:105402: ≥ 50 % seizure
    reduction and seizure freedom at 3 and 6 months of ketogenic diet, and the 90-99 % band
    (drug-protocols.md §5.3). Issue 5 asks for ≥ 50 %, ≥ 90 % and 100 % at 1, 3, 6, 12 months;
    UK/Ireland centres review at baseline, 3, 6, 12 months (Schoeler NE, et al. Epilepsia Open
    2020;5:73-79; keto-therapy.md §2.4).
12. American Academy of Neurology / Child Neurology Society (Mackay MT, et al. Neurology
    2004;62:1668-81): outcomes are cessation of spasms, resolution of hypsarrhythmia, relapse.
13. National Infantile Spasms Consortium, "Association of Time to Clinical Remission With
    Sustained Resolution in Children With New-Onset Infantile Spasms" (abstract,
    clinicalfutures.research.chop.edu): sustained response = last clinically recognised spasm
    on or before treatment day 14, absence of hypsarrhythmia on EEG 2-4 weeks post-treatment,
    and remission persisting to day 30 (drug-protocols-evidence.md D-21, FIRM abstract).
14. Mytinger JR, et al. Epileptic Disord 2015;17(1):52-7: clinical remission of at least
    28 days starting at any point in the course (drug-protocols.md §4;
    drug-protocols-evidence.md D-21).
15. Knupp KG, et al. Ann Neurol 2016 (doi 10.1002/ana.24594): responders had clinical
    remission "sustained at 3 months after first treatment initiation"; Johns Hopkins series
    (drug-protocols.md §1.4): "spasm-free at 3 months" 62 %. Neither gives the length of the
    spasm-free window at 3 months (drug-protocols-evidence.md D-21).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.measures.diary import (
    DayCount,
    DiaryView,
    MeasureResult,
    Status,
    add_months,
    as_view,
    check_spasm_free,
    day_number,
    short_days,
    treatment_day,
)
from spasmcare.measures.eeg import DEFAULT_EEG, EegOptions, hypsarrhythmia_present
from spasmcare.record.model import DIET_LABELS, DietPeriod, Record, Treatment

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


def ukiss_response(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """UKISS primary outcome: no spasms on days 13 and 14 [1]."""
    return _window_result(
        "ukiss_response",
        "UKISS: no spasms on days 13 and 14",
        SRC_UKISS,
        record,
        treatment,
        13,
        14,
        options,
    )


def iciss_response(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """ICISS primary outcome: no witnessed spasms on and between day 14 and day 42 [2]."""
    return _window_result(
        "iciss_response",
        "ICISS: no spasms from day 14 to day 42",
        SRC_ICISS,
        record,
        treatment,
        14,
        42,
        options,
    )


def spasm_free_48h_day14(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """48 hours spasm-free at day 14 [3]: with a diary kept by day, days 13 and 14.

    At the resolution of a day diary this is the same window as UKISS [1]; it is reported
    under its own key because the trials name it differently.
    """
    return _window_result(
        "spasm_free_48h_day14",
        "48 h spasm-free at day 14 (days 13-14)",
        SRC_48H,
        record,
        treatment,
        13,
        14,
        options,
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


def elterman_response(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """Elterman responder: 7 consecutive spasm-free days starting within the first 14 days [4].

    ``met`` when some run of 7 recorded spasm-free days starts on day 1-14; ``not met`` when
    every 7-day run starting on day 1-14 contains a day with spasms; otherwise not assessable.
    """
    o = options
    run, latest = 7, 14
    first = _day(treatment, 1, o)
    last = _day(treatment, latest + run - 1, o)
    days = list(as_view(record).days(first, last))
    label = "Elterman: 7 spasm-free days starting by day 14"
    base: dict[str, Any] = {
        "key": "elterman_response",
        "label": label,
        "source": SRC_ELTERMAN,
        "window": (first, last),
    }
    for start in range(latest):
        block = days[start : start + run]
        if all(d.state == "spasm-free" for d in block):
            n = start + 1
            return MeasureResult(
                **base,
                status="met",
                value=True,
                days_used=tuple(d.day for d in block),
                reason=f"spasm-free from day {n} to day {n + run - 1}",
                details={"treatment": treatment.id, "run_start_day": n},
            )
    spasm_days = [d.day for d in days if d.state == "spasms"]
    blocked = all(any(d.state == "spasms" for d in days[s : s + run]) for s in range(latest))
    if blocked:
        return MeasureResult(
            **base,
            status="not met",
            value=False,
            days_used=tuple(spasm_days),
            reason="every 7-day run starting on days 1-14 has a day with spasms",
            details={"treatment": treatment.id},
        )
    unknown = [d.day for d in days if d.state == "unknown"]
    return MeasureResult(
        **base,
        status="not assessable",
        value=None,
        days_used=tuple(d.day for d in days if d.state != "unknown"),
        reason=f"unrecorded days leave it open: {short_days(unknown)}",
        details={"treatment": treatment.id},
    )


def index_ids(record: Record, treatment: Treatment) -> set[str]:
    """Ids of the treatment's course: the treatment, what continues it (a taper), and what
    started on the same day (a combination), transitively. Anything else started later is a
    second treatment for NISC [5] and for the cohort rows."""
    ids = {treatment.id}
    changed = True
    while changed:
        changed = False
        for t in record.treatments:
            if t.id not in ids and (t.continues in ids or t.start == treatment.start):
                ids.add(t.id)
                changed = True
    return ids


def nisc_treatment_failure_free_day60(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """NISC freedom from treatment failure at day 60 [5].

    ``not met`` when a second treatment (another drug not continuing this one and not started
    with it, or a diet) starts after the start and by day 60, or when spasms occur on days
    31-60; ``met`` when days 31-60 are all recorded spasm-free and no second treatment
    started; otherwise not assessable.
    """
    o = options
    view = as_view(record)
    rec = view.record
    day60 = _day(treatment, 60, o)
    ids = index_ids(rec, treatment)
    label = "NISC: free of treatment failure at day 60"
    second = sorted(
        [
            (t.start, t.drug, t.id)
            for t in rec.treatments
            if t.id not in ids and treatment.start < t.start <= day60
        ]
        + [
            (d.start, DIET_LABELS.get(d.diet, d.diet), d.id)
            for d in rec.diet_periods
            if treatment.start < d.start <= day60
        ]
    )
    if second:
        # the reason is read by people (drug or diet by name); the id stays in the details
        when, what, second_id = second[0]
        return MeasureResult(
            key="nisc_treatment_failure_free_day60",
            label=label,
            status="not met",
            value=False,
            source=SRC_NISC,
            window=(treatment.start, day60),
            days_used=(),
            reason=f"second treatment {what} started on day "
            f"{day_number(treatment.start, when, o.first_day_number)} ({when})",
            details={
                "treatment": treatment.id,
                "second_treatment": what,
                "second_treatment_id": second_id,
                "second_treatment_start": when,
            },
        )
    result = _window_result(
        "nisc_treatment_failure_free_day60", label, SRC_NISC, view, treatment, 31, 60, o
    )
    if result.status == "met":
        return replace(result, reason="no second treatment by day 60; " + result.reason)
    return result


def electroclinical_response_day14(
    record: RecordOrView,
    treatment: Treatment,
    options: ResponseOptions = DEFAULT,
    hyps_rule: EegOptions = DEFAULT_EEG,
) -> MeasureResult:
    """Electroclinical response at day 14: no spasms on days 13-14 and no hypsarrhythmia on
    the last EEG after the start and by day 14 [6, 7].

    The clinical part is the UKISS window used by Osborne 2023 [7]; the EEG is the latest one
    dated after the start date and on or before day ``options.eeg_latest_day``. Hypsarrhythmia
    is read with :func:`spasmcare.measures.eeg.hypsarrhythmia_present` (``hyps_rule``: an
    :class:`~spasmcare.measures.eeg.EegOptions`).
    """
    rule = hyps_rule
    o = options
    view = as_view(record)
    clinical = ukiss_response(view, treatment, o)
    latest = _day(treatment, o.eeg_latest_day, o)
    eegs = sorted(
        (e for e in view.record.eegs if treatment.start < e.day <= latest), key=lambda e: e.day
    )
    eeg = eegs[-1] if eegs else None
    hyps = hypsarrhythmia_present(eeg, rule) if eeg else None
    label = "Electroclinical response at day 14 (no spasms, no hypsarrhythmia)"
    details = {
        "treatment": treatment.id,
        "clinical": clinical.status,
        "eeg_date": eeg.day if eeg else None,
        "hypsarrhythmia": hyps,
    }
    reasons = []
    if clinical.status == "not met":
        reasons.append(clinical.reason)
    if hyps:
        reasons.append(f"hypsarrhythmia on the EEG of {eeg.day if eeg else '?'}")
    status: Status
    value: bool | None
    if reasons:
        status, value = "not met", False
    elif clinical.status == "met" and hyps is False:
        status, value = "met", True
        reasons.append(
            f"days 13-14 spasm-free; EEG of {eeg.day if eeg else '?'} without hypsarrhythmia"
        )
    else:
        status, value = "not assessable", None
        if clinical.status == "not assessable":
            reasons.append(clinical.reason)
        if eeg is None:
            reasons.append(f"no EEG after the start and by day {o.eeg_latest_day}")
        elif hyps is None:
            reasons.append(f"the EEG of {eeg.day} does not say whether hypsarrhythmia is present")
    return MeasureResult(
        key="electroclinical_response_day14",
        label=label,
        status=status,
        value=value,
        source=SRC_ELECTRO,
        window=(treatment.start, latest),
        days_used=clinical.days_used,
        reason="; ".join(reasons),
        details=details,
    )


def electroclinical_remission_28d(
    record: RecordOrView,
    treatment: Treatment,
    options: ResponseOptions = DEFAULT,
    hyps_rule: EegOptions = DEFAULT_EEG,
) -> MeasureResult:
    """Sustained electroclinical remission: response at day 14, then no spasms on days
    15 to 14 + ``remission_days`` (days 15-42 by default) [6]."""
    o = options
    view = as_view(record)
    first_response = electroclinical_response_day14(view, treatment, o, hyps_rule)
    last_day = 14 + o.remission_days
    sustained = _window_result(
        "electroclinical_remission_28d", "", SRC_REMISSION, view, treatment, 15, last_day, o
    )
    label = f"Electroclinical remission sustained {o.remission_days} days (to day {last_day})"
    days = first_response.days_used + sustained.days_used
    status: Status
    value: bool | None
    if first_response.status == "not met" or sustained.status == "not met":
        status, value = "not met", False
        reason = "; ".join(r.reason for r in (first_response, sustained) if r.status == "not met")
    elif first_response.status == "met" and sustained.status == "met":
        status, value, reason = "met", True, f"response at day 14 and spasm-free to day {last_day}"
    else:
        status, value = "not assessable", None
        reason = "; ".join(
            r.reason for r in (first_response, sustained) if r.status == "not assessable"
        )
    return MeasureResult(
        key="electroclinical_remission_28d",
        label=label,
        status=status,
        value=value,
        source=SRC_REMISSION,
        window=(treatment.start, _day(treatment, last_day, o)),
        days_used=days,
        reason=reason,
        details={
            "treatment": treatment.id,
            "day14": first_response.status,
            "sustained": sustained.status,
        },
    )


def nisc_sustained_response(
    record: RecordOrView,
    treatment: Treatment,
    options: ResponseOptions = DEFAULT,
    hyps_rule: EegOptions = DEFAULT_EEG,
) -> MeasureResult:
    """NISC sustained response [13]: last spasm on or before day 14, no hypsarrhythmia on an
    EEG 2-4 weeks after the start, and remission persisting to day 30.

    Clinical part: days 15-30 (``nisc_last_spasm_day`` + 1 to ``nisc_remission_to_day``) all
    recorded spasm-free; a spasm on any of them fails it, an unrecorded one leaves it open
    (a missing day is never spasm-free). EEG part: the EEGs dated 14-28 calendar days after the
    start (``nisc_eeg_weeks``); hypsarrhythmia on any of them fails it, at least one EEG
    without it (and none saying nothing) is needed to meet it.
    """
    o = options
    view = as_view(record)
    first_n, last_n = o.nisc_last_spasm_day + 1, o.nisc_remission_to_day
    clinical = _window_result(
        "nisc_sustained_response", "", SRC_NISC_SUSTAINED, view, treatment, first_n, last_n, o
    )
    lo, hi = o.nisc_eeg_weeks
    eeg_from = treatment.start + timedelta(weeks=lo)
    eeg_to = treatment.start + timedelta(weeks=hi)
    eegs = sorted((e for e in view.record.eegs if eeg_from <= e.day <= eeg_to), key=lambda e: e.day)
    readings = [(e.day, hypsarrhythmia_present(e, hyps_rule)) for e in eegs]
    with_hyps = [d for d, h in readings if h]
    unread = [d for d, h in readings if h is None]
    label = (
        f"NISC sustained response (last spasm by day {o.nisc_last_spasm_day}, "
        f"no hypsarrhythmia at {lo}-{hi} weeks, remission to day {last_n})"
    )
    reasons: list[str] = []
    if clinical.status == "not met":
        reasons.append(clinical.reason + f" (after day {o.nisc_last_spasm_day})")
    if with_hyps:
        reasons.append(f"hypsarrhythmia on the EEG of {short_days(with_hyps)}")
    status: Status
    if reasons:
        status = "not met"
    elif clinical.status == "met" and readings and not unread:
        status = "met"
        reasons.append(
            f"no spasms on {_span(first_n, last_n)}; no hypsarrhythmia on the EEG of "
            f"{short_days(d for d, _ in readings)}"
        )
    else:
        status = "not assessable"
        if clinical.status == "not assessable":
            reasons.append(clinical.reason)
        if not readings:
            reasons.append(f"no EEG from {eeg_from} to {eeg_to} ({lo}-{hi} weeks after start)")
        elif unread:
            reasons.append(
                f"the EEG of {short_days(unread)} does not say whether hypsarrhythmia is present"
            )
    return MeasureResult(
        key="nisc_sustained_response",
        label=label,
        status=status,
        value={"met": True, "not met": False}.get(status),
        source=SRC_NISC_SUSTAINED,
        window=(treatment.start, _day(treatment, last_n, o)),
        days_used=clinical.days_used + tuple(d for d, _ in readings),
        reason="; ".join(reasons),
        details={
            "treatment": treatment.id,
            "clinical": clinical.status,
            "clinical_days": [first_n, last_n],
            "eeg_window": (eeg_from, eeg_to),
            "eeg_dates": [d for d, _ in readings],
            "hypsarrhythmia": [h for _, h in readings],
        },
    )


def mytinger_remission_28d(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """Mytinger clinical remission: ``remission_days`` (28) consecutive recorded spasm-free
    days starting at any point on or after the start date, up to the last diary day [14].

    ``met`` with the first such run (value = its first treatment day); ``not met`` when every
    run of that length from the start to the last diary day holds a day with spasms (it may
    still come later); otherwise (unrecorded days break every candidate run) not assessable.
    The hypsarrhythmia part of [14] is judged by the electroclinical measures.
    """
    o = options
    view = as_view(record)
    n_days = o.remission_days
    label = f"Mytinger: ≥ {n_days} spasm-free days starting at any point"
    common: dict[str, Any] = {
        "key": "mytinger_remission_28d",
        "label": label,
        "source": SRC_MYTINGER,
    }
    if view.last is None or view.last < treatment.start:
        return MeasureResult(
            **common, status="not assessable", value=None, reason="no diary after the start"
        )
    days = list(view.days(treatment.start, view.last))
    run = next(((i, n) for i, n in _runs(days) if n >= n_days), None)
    window = (treatment.start, view.last)
    if run is not None:
        i, _ = run
        block = days[i : i + n_days]
        first_n = day_number(treatment.start, block[0].day, o.first_day_number)
        return MeasureResult(
            **common,
            status="met",
            value=first_n,
            window=window,
            days_used=tuple(d.day for d in block),
            reason=f"spasm-free from {block[0].day} (day {first_n}) to {block[-1].day}",
            details={"treatment": treatment.id, "from": block[0].day, "to": block[-1].day},
        )
    spasm_days = [d.day for d in days if d.state == "spasms"]
    open_windows = [
        s
        for s in range(max(0, len(days) - n_days + 1))
        if not any(d.state == "spasms" for d in days[s : s + n_days])
    ]
    if len(days) >= n_days and not open_windows:
        return MeasureResult(
            **common,
            status="not met",
            value=False,
            window=window,
            days_used=tuple(spasm_days),
            reason=f"every {n_days}-day stretch to {view.last} has a day with spasms "
            f"(spasms on {short_days(spasm_days)})",
            details={"treatment": treatment.id},
        )
    unknown = [d.day for d in days if d.state == "unknown"]
    why = (
        f"only {len(days)} diary day(s) since the start; {n_days} needed"
        if len(days) < n_days
        else f"unrecorded days leave it open: {short_days(unknown)}"
    )
    return MeasureResult(
        **common,
        status="not assessable",
        value=None,
        window=window,
        days_used=tuple(d.day for d in days if d.state != "unknown"),
        reason=why,
        details={"treatment": treatment.id},
    )


def spasm_free_3m(
    record: RecordOrView, treatment: Treatment, options: ResponseOptions = DEFAULT
) -> MeasureResult:
    """Spasm-free at 3 months after the start of a drug course [15]: the
    ``spasm_free_3m_window_days`` (28) days ending on the date 3 calendar months after the
    start all recorded spasm-free. A spasm on any of them: not met; an unrecorded one (and no
    spasm): not assessable."""
    o = options
    when = add_months(treatment.start, 3)
    first = when - timedelta(days=o.spasm_free_3m_window_days - 1)
    check = check_spasm_free(as_view(record), max(first, treatment.start), when)
    reason = f"{check.first} to {check.last} all recorded spasm-free"
    if check.status == "not met":
        reason = f"spasms on {short_days(check.spasm_days)}"
    elif check.status == "not assessable":
        reason = f"{len(check.unknown_days)} day(s) not recorded: {short_days(check.unknown_days)}"
    return MeasureResult(
        key="spasm_free_3m",
        label=f"Spasm-free at 3 months (the last {o.spasm_free_3m_window_days} days before it)",
        status=check.status,
        value={"met": True, "not met": False}.get(check.status),
        source=SRC_SPASM_FREE_3M,
        window=(check.first, check.last),
        days_used=check.days_used,
        reason=reason,
        details={"treatment": treatment.id, "three_month_date": when},
    )


# --- baseline, change, cessation, relapse ----------------------------------------------------


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


# --- ketogenic diet responders ---------------------------------------------------------------


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


def index_treatment(record: Record, treatment_id: str | None = None) -> Treatment | None:
    """The treatment judged by default: the first started that continues no other one."""
    if treatment_id is not None:
        found = record.treatment(treatment_id)
        if found is None:
            raise InputError(
                "treatment",
                treatment_id,
                "the id of a treatment in the record: "
                + ", ".join(t.id for t in record.treatments),
            )
        return found
    firsts = sorted(
        (t for t in record.treatments if t.continues is None), key=lambda t: (t.start, t.id)
    )
    return firsts[0] if firsts else None


def treatment_measures(
    record: RecordOrView,
    treatment: Treatment,
    options: ResponseOptions = DEFAULT,
    hyps_rule: EegOptions = DEFAULT_EEG,
) -> dict[str, MeasureResult]:
    """Every drug-course measure for one treatment, keyed by its stable name."""
    record = as_view(record)
    results = [
        baseline_spasms_per_day(record, treatment.start, options),
        spasms_continuing_day7(record, treatment, options),
        percent_change_days_8_14(record, treatment, options),
        ukiss_response(record, treatment, options),
        spasm_free_48h_day14(record, treatment, options),
        elterman_response(record, treatment, options),
        electroclinical_response_day14(record, treatment, options, hyps_rule),
        electroclinical_remission_28d(record, treatment, options, hyps_rule),
        iciss_response(record, treatment, options),
        nisc_sustained_response(record, treatment, options, hyps_rule),
        nisc_treatment_failure_free_day60(record, treatment, options),
        mytinger_remission_28d(record, treatment, options),
        spasm_free_3m(record, treatment, options),
        time_to_spasm_cessation(record, treatment, options),
        relapse(record, treatment, options),
    ]
    return {r.key: r for r in results}


def diet_measures(
    record: RecordOrView,
    diet: DietPeriod,
    options: ResponseOptions = DEFAULT,
    months: tuple[int, ...] = (1, 3, 6, 12),
) -> dict[str, MeasureResult]:
    """Baseline and the responder answers at each time point of one diet period."""
    record = as_view(record)
    out = {
        "kd_baseline_spasms_per_day": baseline_spasms_per_day(
            record, diet.start, options, key="kd_baseline_spasms_per_day"
        )
    }
    for m in months:
        result = kd_responder(record, diet, m, options)
        out[result.key] = result
    return out
