"""Development: milestone windows, corrected age and the "developmental review due" prompt.

Pure functions and data only. A milestone that is not reached by the end of its WHO window
raises a *prompt for a developmental assessment* — never a diagnosis: the WHO windows describe
when healthy children reach the milestone (1st to 99th percentile), and a child outside the
window needs someone to look, nothing more is concluded here.

Age is the corrected age for a baby born more than 3 weeks early (before 37 completed weeks),
counted from the expected date of delivery until 24 months of chronological age, and the
chronological age after that (ASQ practice [3]); born at 37 weeks or later, the chronological
age. At 24 months of chronological age the correction stops at once (a 32-week infant is
25 months old at 25 months, not 23).

Licensed instruments (Vineland, Bayley-III, ASQ-3) are recorded as the scores a clinician
entered (:mod:`spasmcare.record.development`); nothing here scores them or holds their items.

References
----------
1. WHO Multicentre Growth Reference Study Group. WHO Motor Development Study: windows of
   achievement for six gross motor development milestones. Acta Paediatr Suppl
   2006;450:86-95 (PubMed 16817682): 816 children in five countries; windows from the 1st to
   the 99th percentile of the age of achievement, in months.
2. Zubler JM, Wiggins LD, Macias MM, et al. Evidence-informed milestones for developmental
   surveillance tools. Pediatrics 2022;149(3):e2021052138 (CDC "Learn the Signs. Act Early."
   2022 checklists: what 75 % or more of children do by 2, 4, 6, 9, 12, 15, 18, 24, 30, 36,
   48 and 60 months).
3. Corrected age for infants born more than 3 weeks early, until 24 months (ASQ-3 practice;
   ASQ-3 user guide summaries; PMC10588090). Preterm = before 37 completed weeks (WHO
   preterm birth fact sheet, 2023); term = 280 days from the first day of the last period.
4. Zuberi SM, Wirrell E, Yozawitz E, et al. ILAE classification and definition of epilepsy
   syndromes with onset in neonates and infants: position statement by the ILAE Task Force
   on Nosology and Definitions. Epilepsia 2022;63(6):1349-1397 (infantile epileptic spasms
   syndrome: developmental slowing, plateau or regression at or after onset).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH, PRETERM_BEFORE_WEEKS, TERM_DAYS
from spasmcare.record.development import (
    ASQ_BAND_LABELS,
    COURSE_LABELS,
    INSTRUMENT_LABELS,
    INSTRUMENT_SCORES,
    SCORE_LABELS,
    InstrumentAssessment,
)
from spasmcare.record.model import Record

#: Correct for prematurity until this chronological age [months] [3].
CORRECT_UNTIL_MONTHS = 24


@dataclass(frozen=True)
class WhoWindow:
    """A WHO gross-motor milestone and its window of achievement [1] (months, 1st-99th
    percentile)."""

    id: str
    label: str
    start_months: float  # 1st percentile
    end_months: float  # 99th percentile


#: The six WHO gross-motor milestones, in the order of the paper [1], windows exactly as
#: published (Acta Paediatr Suppl 2006;450:86-95, table of 1st and 99th percentiles).
WHO_WINDOWS: tuple[WhoWindow, ...] = (
    WhoWindow("who-sitting-without-support", "sitting without support", 3.8, 9.2),
    WhoWindow("who-standing-with-assistance", "standing with assistance", 4.8, 11.4),
    WhoWindow("who-hands-and-knees-crawling", "hands-and-knees crawling", 5.2, 13.5),
    WhoWindow("who-walking-with-assistance", "walking with assistance", 5.9, 13.7),
    WhoWindow("who-standing-alone", "standing alone", 6.9, 16.9),
    WhoWindow("who-walking-alone", "walking alone", 8.2, 17.6),
)
WHO_BY_ID: Mapping[str, WhoWindow] = MappingProxyType({w.id: w for w in WHO_WINDOWS})

#: The CDC 2022 visit ages [months] [2].
CDC_VISIT_MONTHS: tuple[int, ...] = (2, 4, 6, 9, 12, 15, 18, 24, 30, 36, 48, 60)

#: CDC 2022 movement / physical-development milestones per visit age up to 24 months [2]:
#: id -> short label in our own words (not the checklist's text). Only the movement domain is
#: entered so far (the domain the WHO windows also cover); the social, language and cognitive
#: milestones and the ages 30-60 months are still to be entered. The items (2 to 24 months,
#: 3, 5, 3, 4, 4, 2, 6 and 4 per age) were checked against a public transcription of the 2022
#: checklists (townsquarecentral.org, "CDC milestones", SECONDARY); a check against the
#: checklists themselves (cdc.gov/ncbddd/actearly) is still due.
CDC_MOVEMENT_MILESTONES: Mapping[int, Mapping[str, str]] = MappingProxyType(
    {
        2: {
            "cdc-2m-head-up-prone": "lifts the head when lying on the tummy",
            "cdc-2m-moves-limbs": "moves both arms and both legs",
            "cdc-2m-opens-hands": "opens the hands for a moment",
        },
        4: {
            "cdc-4m-head-steady": "holds the head steady when held",
            "cdc-4m-holds-toy": "holds a toy put in the hand",
            "cdc-4m-swings-at-toy": "swings an arm at a toy",
            "cdc-4m-hands-to-mouth": "brings the hands to the mouth",
            "cdc-4m-pushes-on-elbows": "pushes up on elbows or forearms on the tummy",
        },
        6: {
            "cdc-6m-rolls-tummy-to-back": "rolls from tummy to back",
            "cdc-6m-pushes-straight-arms": "pushes up on straight arms on the tummy",
            "cdc-6m-leans-on-hands-sitting": "leans on the hands for support when sitting",
        },
        9: {
            "cdc-9m-gets-to-sitting": "gets into a sitting position alone",
            "cdc-9m-hand-to-hand": "passes things from one hand to the other",
            "cdc-9m-rakes-food": "rakes food towards itself with the fingers",
            "cdc-9m-sits-without-support": "sits without support",
        },
        12: {
            "cdc-12m-pulls-to-stand": "pulls up to standing",
            "cdc-12m-cruises": "walks holding on to furniture",
            "cdc-12m-cup-held": "drinks from an open cup someone holds",
            "cdc-12m-pincer": "picks things up between thumb and index finger",
        },
        15: {
            "cdc-15m-few-steps": "takes a few steps alone",
            "cdc-15m-finger-feeds": "feeds itself some food with the fingers",
        },
        18: {
            "cdc-18m-walks-alone": "walks without holding on",
            "cdc-18m-scribbles": "scribbles",
            "cdc-18m-open-cup": "drinks from an open cup, may spill",
            "cdc-18m-finger-feeds": "feeds itself with the fingers",
            "cdc-18m-tries-spoon": "tries to use a spoon",
            "cdc-18m-climbs-furniture": "climbs on and off a couch or chair alone",
        },
        24: {
            "cdc-24m-kicks-ball": "kicks a ball",
            "cdc-24m-runs": "runs",
            "cdc-24m-walks-up-stairs": "walks up a few stairs, with or without help",
            "cdc-24m-eats-with-spoon": "eats with a spoon",
        },
    }
)


def cdc_milestones() -> dict[str, tuple[int, str]]:
    """Every CDC milestone id -> (visit age in months, label)."""
    return {
        mid: (months, label)
        for months, items in CDC_MOVEMENT_MILESTONES.items()
        for mid, label in items.items()
    }


def milestone_ids() -> tuple[str, ...]:
    """Every milestone id the record accepts: the six WHO ones, then the CDC ones."""
    return tuple(w.id for w in WHO_WINDOWS) + tuple(cdc_milestones())


def milestone_label(milestone_id: str) -> str:
    """The plain label of a milestone id (the id itself when unknown)."""
    if milestone_id in WHO_BY_ID:
        return WHO_BY_ID[milestone_id].label
    found = cdc_milestones().get(milestone_id)
    return found[1] if found else milestone_id


def is_preterm_for_correction(gestation_weeks: int) -> bool:
    """Born more than 3 weeks early, i.e. before 37 completed weeks [3]."""
    return gestation_weeks < PRETERM_BEFORE_WEEKS


def weeks_early(gestation_weeks: int, gestation_days: int = 0) -> float:
    """Weeks born before term (40 weeks + 0 days): 8.0 for a 32-week infant."""
    return (TERM_DAYS - (gestation_weeks * 7 + gestation_days)) / 7


def corrected_age_months(
    birth_date: date, on: date, gestation_weeks: int = 40, gestation_days: int = 0
) -> float:
    """Age on ``on`` [months of 365.25/12 days] for milestones [3].

    Born before 37 completed weeks: (days since birth − days born early) / (365.25/12) while
    the chronological age is under 24 months; the chronological age from 24 months on (and for
    babies born at 37 weeks or later). Before the expected date of delivery the result is
    negative (weeks still to term), never clipped, so no milestone falls due then.
    """
    if on < birth_date:
        raise InputError("date", on.isoformat(), f"a date on or after birth ({birth_date})")
    days = (on - birth_date).days
    chronological = days / DAYS_PER_MONTH
    if not is_preterm_for_correction(gestation_weeks) or chronological >= CORRECT_UNTIL_MONTHS:
        return chronological
    shortfall_days = TERM_DAYS - (gestation_weeks * 7 + gestation_days)
    return (days - shortfall_days) / DAYS_PER_MONTH


def window_passed(milestone_id: str, corrected_months: float) -> bool:
    """True when the corrected age is past the end (99th percentile) of the milestone's WHO
    window [1]: 9.21 months is past sitting's 9.2, 9.19 and 9.2 are not."""
    window = WHO_BY_ID.get(milestone_id)
    if window is None:
        raise InputError("milestone", milestone_id, "one of " + ", ".join(WHO_BY_ID))
    return corrected_months > window.end_months


REVIEW_DUE_WORDS = (
    "developmental review due: {label} not recorded as reached at {age:.2f} months corrected "
    "age, past the end of its WHO window ({start}-{end} months). This prompts an assessment; "
    "it is not a diagnosis."
)


@dataclass(frozen=True)
class ReviewDue:
    milestone: str
    label: str
    corrected_age_months: float
    window_end_months: float
    message: str


def review_due(
    achieved: Mapping[str, date | None],
    birth_date: date,
    on: date,
    gestation_weeks: int = 40,
    gestation_days: int = 0,
) -> list[ReviewDue]:
    """The WHO milestones not reached on ``on`` although the corrected age is past the end of
    their window [1]; ``achieved`` maps a milestone id to the date it was reached (None or
    absent: not yet). A prompt for a developmental assessment, never a diagnosis."""
    age = corrected_age_months(birth_date, on, gestation_weeks, gestation_days)
    out = []
    for w in WHO_WINDOWS:
        reached = achieved.get(w.id)
        if reached is not None and reached <= on:
            continue
        if window_passed(w.id, age):
            out.append(
                ReviewDue(
                    w.id,
                    w.label,
                    age,
                    w.end_months,
                    REVIEW_DUE_WORDS.format(
                        label=w.label, age=age, start=w.start_months, end=w.end_months
                    ),
                )
            )
    return out


def achieved_dates(entries: Iterable[tuple[str, date | None]]) -> dict[str, date | None]:
    """Milestone id -> earliest date achieved, from (id, date achieved or None) pairs."""
    out: dict[str, date | None] = {}
    for mid, day in entries:
        if day is None:
            out.setdefault(mid, None)
        elif out.get(mid) is None or day < out[mid]:  # type: ignore[operator]
            out[mid] = day
    return out


# --- one record's development, for the report and the exports --------------------------------

SOURCES = (
    "WHO Motor Development Study, Acta Paediatr Suppl 2006;450:86-95 (windows); "
    "Zubler et al., Pediatrics 2022;149(3):e2021052138 (CDC milestones); corrected age for "
    "birth before 37 weeks until 24 months (ASQ practice)"
)
NOT_A_DIAGNOSIS = (
    "A milestone past the end of its WHO window prompts a developmental assessment; "
    "it is not a diagnosis."
)


def _achieved(record: Record, on: date) -> tuple[dict[str, date | None], dict[str, Any]]:
    """Milestone id -> date achieved (None: not yet), and id -> the latest entry about it.
    Milestones listed as achieved at diagnosis count from the diagnosis (or onset) date."""
    dev = record.development
    pairs: list[tuple[str, date | None]] = []
    latest: dict[str, Any] = {}
    if dev is not None:
        at = dev.at_diagnosis
        if at is not None:
            baseline = at.day or record.patient.onset_date or on
            pairs += [(mid, baseline) for mid in at.milestones_achieved]
        for m in sorted(dev.milestones, key=lambda m: (m.day, m.status)):
            if m.day > on:
                continue
            pairs.append((m.milestone, m.day if m.status == "achieved" else None))
            latest[m.milestone] = m
    return achieved_dates(pairs), latest


def _who_row(
    w: WhoWindow, reached: date | None, entry: Any, record: Record, age: float, tracked: bool
) -> dict[str, Any]:
    p = record.patient
    reached_age = (
        corrected_age_months(p.birth_date, reached, p.gestation_weeks, p.gestation_days)
        if reached is not None
        else None
    )
    if reached is not None:
        status = "achieved"
    elif age > w.end_months:
        status = "review-due" if tracked else "not-recorded"
    elif age >= w.start_months:
        status = "in-window"
    else:
        status = "before-window"
    return {
        "id": w.id,
        "label": w.label,
        "window_start_months": w.start_months,
        "window_end_months": w.end_months,
        "status": status,
        "achieved_on": reached,
        "corrected_age_achieved_months": round(reached_age, 1) if reached_age is not None else None,
        "reported_by": entry.reported_by if entry is not None else None,
        "confirmed_by": entry.confirmed_by if entry is not None else None,
    }


def is_tracked(record: Record) -> bool:
    """Milestones are being recorded for this child: at least one milestone entry, or the
    milestones achieved at diagnosis. Without that, a milestone never recorded is unknown and
    raises no prompt (a record kept before milestones were tracked would otherwise prompt a
    review for every milestone)."""
    dev = record.development
    if dev is None:
        return False
    at = dev.at_diagnosis
    return bool(dev.milestones) or (at is not None and bool(at.milestones_achieved))


def development_summary(record: Record, on: date) -> dict[str, Any]:
    """One record's development on ``on`` (JSON-ready after ``jsonable``): corrected age, the
    development at diagnosis, the six WHO milestones against their windows, the CDC milestones
    recorded, instrument scores as entered, and the review prompts (never a diagnosis)."""
    p = record.patient
    on = max(on, p.birth_date)
    age = corrected_age_months(p.birth_date, on, p.gestation_weeks, p.gestation_days)
    achieved, latest = _achieved(record, on)
    dev = record.development
    at = dev.at_diagnosis if dev is not None else None
    cdc = cdc_milestones()
    tracked = is_tracked(record)
    due = (
        review_due(achieved, p.birth_date, on, p.gestation_weeks, p.gestation_days)
        if tracked
        else []
    )
    return {
        "on": on,
        "age_months": round((on - p.birth_date).days / DAYS_PER_MONTH, 1),
        "corrected_age_months": round(age, 1),
        "age_corrected": is_preterm_for_correction(p.gestation_weeks)
        and (on - p.birth_date).days / DAYS_PER_MONTH < CORRECT_UNTIL_MONTHS,
        "weeks_early": round(weeks_early(p.gestation_weeks, p.gestation_days), 1)
        if is_preterm_for_correction(p.gestation_weeks)
        else 0,
        "at_diagnosis": None
        if at is None
        else {
            "course": at.course,
            "course_label": COURSE_LABELS.get(at.course, at.course),
            "date": at.day,
            "milestones_achieved": [
                {"id": mid, "label": milestone_label(mid)} for mid in at.milestones_achieved
            ],
            "note": at.note,
        },
        "who": [
            _who_row(w, achieved.get(w.id), latest.get(w.id), record, age, tracked)
            for w in WHO_WINDOWS
        ],
        "cdc": [
            {
                "id": mid,
                "label": cdc[mid][1],
                "visit_months": cdc[mid][0],
                "status": m.status,
                "date": m.day,
                "reported_by": m.reported_by,
                "confirmed_by": m.confirmed_by,
            }
            for mid, m in sorted(latest.items(), key=lambda kv: (cdc.get(kv[0], (0, ""))[0], kv[0]))
            if mid in cdc
        ],
        "assessments": [_assessment_row(a, record) for a in _assessments_of(record)],
        "milestones_tracked": tracked,
        "review_due": [{"milestone": r.milestone, "message": r.message} for r in due],
        "note": NOT_A_DIAGNOSIS,
        "source": SOURCES,
    }


def _assessments_of(record: Record) -> list[InstrumentAssessment]:
    dev = record.development
    return sorted(dev.assessments, key=lambda a: (a.day, a.instrument)) if dev else []


def _assessment_row(a: InstrumentAssessment, record: Record) -> dict[str, Any]:
    p = record.patient
    age = corrected_age_months(p.birth_date, a.day, p.gestation_weeks, p.gestation_days)
    return {
        "instrument": a.instrument,
        "instrument_label": INSTRUMENT_LABELS[a.instrument],
        "date": a.day,
        "corrected_age_months": round(age, 1),
        "edition": a.edition,
        "questionnaire_months": a.questionnaire_months,
        "scores": [
            {
                "domain": name,
                "label": SCORE_LABELS.get(name, name),
                "score": a.scores.get(name),
                "asq_cutoff": a.asq_cutoff.get(name),
                "asq_cutoff_label": ASQ_BAND_LABELS.get(a.asq_cutoff.get(name, ""), None),
            }
            for name in INSTRUMENT_SCORES[a.instrument]
            if name in a.scores or name in a.asq_cutoff
        ],
        "assessed_by": a.assessed_by,
    }
