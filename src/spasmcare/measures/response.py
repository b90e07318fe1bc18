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
The measures live in three modules beside this one, re-exported here:
:mod:`~spasmcare.measures.response_options` (options, sources, shared helpers),
:mod:`~spasmcare.measures.response_course` (baseline, change, cessation, relapse, day 7) and
:mod:`~spasmcare.measures.response_diet` (ketogenic-diet responders); the trial definitions
and the per-treatment summary are here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.measures.diary import (
    MeasureResult,
    Status,
    add_months,
    as_view,
    check_spasm_free,
    day_number,
    short_days,
    stretch_without_spasms,
)
from spasmcare.measures.eeg import DEFAULT_EEG, EegOptions, hypsarrhythmia_present
from spasmcare.measures.response_course import (
    baseline_spasms_per_day,
    percent_change,
    percent_change_days_8_14,
    relapse,
    spasms_continuing_day7,
    time_to_spasm_cessation,
)
from spasmcare.measures.response_diet import (
    DietStopped,
    kd_responder,
)
from spasmcare.measures.response_options import (
    DEFAULT,
    SRC_48H,
    SRC_BASELINE,
    SRC_CESSATION,
    SRC_CHANGE,
    SRC_DAY7,
    SRC_ELECTRO,
    SRC_ELTERMAN,
    SRC_ICISS,
    SRC_KD,
    SRC_MYTINGER,
    SRC_NISC,
    SRC_NISC_SUSTAINED,
    SRC_RELAPSE,
    SRC_REMISSION,
    SRC_SPASM_FREE_3M,
    SRC_UKISS,
    BaselineMode,
    RecordOrView,
    ResponseOptions,
    _day,
    _runs,
    _span,
    _window_result,
)
from spasmcare.record.model import DIET_LABELS, DietPeriod, Record, Treatment

__all__ = [
    "BaselineMode",
    "DEFAULT",
    "DietStopped",
    "RecordOrView",
    "ResponseOptions",
    "SRC_48H",
    "SRC_BASELINE",
    "SRC_CESSATION",
    "SRC_CHANGE",
    "SRC_DAY7",
    "SRC_ELECTRO",
    "SRC_ELTERMAN",
    "SRC_ICISS",
    "SRC_KD",
    "SRC_MYTINGER",
    "SRC_NISC",
    "SRC_NISC_SUSTAINED",
    "SRC_RELAPSE",
    "SRC_REMISSION",
    "SRC_SPASM_FREE_3M",
    "SRC_UKISS",
    "baseline_spasms_per_day",
    "diet_measures",
    "electroclinical_remission_28d",
    "electroclinical_response_day14",
    "elterman_response",
    "iciss_response",
    "index_ids",
    "index_treatment",
    "kd_responder",
    "mytinger_remission_28d",
    "nisc_sustained_response",
    "nisc_treatment_failure_free_day60",
    "percent_change",
    "percent_change_days_8_14",
    "relapse",
    "spasm_free_3m",
    "spasm_free_48h_day14",
    "spasms_continuing_day7",
    "time_to_spasm_cessation",
    "treatment_measures",
    "ukiss_response",
]


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
    if len(days) >= n_days and not stretch_without_spasms(days, n_days):
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
