"""The record's ``development`` section: development at diagnosis, milestones over time and
instrument scores as entered (issue 25). Model, reader and writer in one module, so the rest of
the record format is untouched; :mod:`spasmcare.record.io` calls :func:`read_development` and
:func:`development_to_dict`.

- ``at_diagnosis``: developmental regression or plateau at onset, part of the ILAE 2022
  definition of infantile epileptic spasms syndrome [1], and the milestones achieved then.
- ``milestones``: one entry per observation: a milestone id (the six WHO gross-motor
  milestones and the CDC 2022 milestones, :mod:`spasmcare.measures.development`), achieved on
  a date or "not yet" as of a date, reported by the family or a clinician, and confirmed by a
  clinician (name and date) when confirmed.
- ``assessments``: Vineland (composite and domains), Bayley-III (cognitive, language, motor),
  ASQ-3 (domain scores, with below / close to / above the cut-off as the clinician reports it)
  with the assessment date. Scores only: these instruments are licensed [2], so no item text
  or scoring table is held, and nothing here derives a score or a cut-off band.

Milestone ids are listed in the JSON Schema (an enum) and in
:func:`spasmcare.measures.development.milestone_ids`; tests/record checks that they agree (the
record layer does not import the measures).

References
----------
1. Zuberi SM, Wirrell E, Yozawitz E, et al. ILAE classification and definition of epilepsy
   syndromes with onset in neonates and infants. Epilepsia 2022;63(6):1349-1397.
2. Publishers' notices: ASQ-3 (c) Paul H. Brookes Publishing; Vineland and Bayley-III
   (c) Pearson. Store the scores a clinician enters; never reproduce items or scoring tables.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

from spasmcare.errors import InputError

CourseAtOnset = Literal["regression", "plateau", "none", "unknown"]
#: How the development at onset reads [1].
COURSE_LABELS: dict[str, str] = {
    "regression": "regression at onset (skills lost)",
    "plateau": "plateau at onset (no new skills)",
    "none": "no regression or plateau noted",
    "unknown": "not recorded",
}
MILESTONE_STATUSES: tuple[str, ...] = ("achieved", "not-yet")
REPORTERS: tuple[str, ...] = ("family", "clinician")

#: Instrument -> the scores it may carry (composite and domain standard scores as entered).
INSTRUMENT_SCORES: dict[str, tuple[str, ...]] = {
    "vineland": ("composite", "communication", "daily_living", "socialization", "motor"),
    "bayley-3": ("cognitive", "language", "motor"),
    "asq-3": ("communication", "gross_motor", "fine_motor", "problem_solving", "personal_social"),
}
INSTRUMENT_LABELS: dict[str, str] = {
    "vineland": "Vineland Adaptive Behavior Scales",
    "bayley-3": "Bayley Scales of Infant and Toddler Development, third edition",
    "asq-3": "Ages and Stages Questionnaires, third edition",
}
SCORE_LABELS: dict[str, str] = {
    "composite": "adaptive behaviour composite",
    "communication": "communication",
    "daily_living": "daily living skills",
    "socialization": "socialisation",
    "motor": "motor",
    "cognitive": "cognitive",
    "language": "language",
    "gross_motor": "gross motor",
    "fine_motor": "fine motor",
    "problem_solving": "problem solving",
    "personal_social": "personal-social",
}
#: ASQ-3 band as the clinician reports it (never computed here).
ASQ_BANDS: tuple[str, ...] = ("below", "close", "above")
ASQ_BAND_LABELS: dict[str, str] = {
    "below": "below the cut-off",
    "close": "close to the cut-off",
    "above": "above the cut-off",
}


@dataclass(frozen=True)
class DevelopmentAtDiagnosis:
    course: str = "unknown"
    day: date | None = None
    milestones_achieved: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class MilestoneEntry:
    """``status`` "achieved" on ``day``, or "not-yet" as of ``day``."""

    milestone: str
    status: str
    day: date
    reported_by: str
    confirmed_by: str | None = None
    confirmed_on: date | None = None
    note: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_by is not None


@dataclass(frozen=True)
class InstrumentAssessment:
    instrument: str
    day: date
    scores: dict[str, float] = field(default_factory=dict)
    asq_cutoff: dict[str, str] = field(default_factory=dict)
    edition: str | None = None
    questionnaire_months: int | None = None
    assessed_by: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Development:
    at_diagnosis: DevelopmentAtDiagnosis | None = None
    milestones: tuple[MilestoneEntry, ...] = ()
    assessments: tuple[InstrumentAssessment, ...] = ()


class _DayReader(Protocol):
    def day(self, text: str, field: str) -> date: ...


def read_development(reader: _DayReader, data: Mapping[str, Any]) -> Development:
    """The schema-valid ``development`` section as a :class:`Development`, checking meaning:
    dates on or after birth and not after today, a confirmation not before the observation,
    scores named for their instrument, ASQ-3 bands only on ASQ-3."""
    at = data.get("at_diagnosis")
    at_diagnosis = None
    if at is not None:
        at_diagnosis = DevelopmentAtDiagnosis(
            course=at.get("course", "unknown"),
            day=reader.day(at["date"], "development.at_diagnosis.date") if "date" in at else None,
            milestones_achieved=tuple(dict.fromkeys(at.get("milestones_achieved", []))),
            note=at.get("note"),
        )
    return Development(
        at_diagnosis=at_diagnosis,
        milestones=tuple(_milestones(reader, data.get("milestones", []))),
        assessments=tuple(_assessments(reader, data.get("assessments", []))),
    )


def _milestones(reader: _DayReader, items: list[dict[str, Any]]) -> Iterator[MilestoneEntry]:
    for i, x in enumerate(items):
        where = f"development.milestones[{i}]"
        day = reader.day(x["date"], f"{where}.date")
        confirmed_on = None
        if "confirmed_on" in x:
            if "confirmed_by" not in x:
                raise InputError(f"{where}.confirmed_by", None, "the confirming clinician")
            confirmed_on = reader.day(x["confirmed_on"], f"{where}.confirmed_on")
            if confirmed_on < day:
                raise InputError(
                    f"{where}.confirmed_on",
                    x["confirmed_on"],
                    f"a date on or after the observation ({day.isoformat()})",
                )
        yield MilestoneEntry(
            milestone=x["milestone"],
            status=x["status"],
            day=day,
            reported_by=x["reported_by"],
            confirmed_by=x.get("confirmed_by"),
            confirmed_on=confirmed_on,
            note=x.get("note"),
        )


def _assessments(reader: _DayReader, items: list[dict[str, Any]]) -> Iterator[InstrumentAssessment]:
    for i, x in enumerate(items):
        where = f"development.assessments[{i}]"
        instrument = x["instrument"]
        allowed = INSTRUMENT_SCORES[instrument]
        scores = dict(x.get("scores", {}))
        for name in scores:
            if name not in allowed:
                raise InputError(
                    f"{where}.scores.{name}",
                    scores[name],
                    f"a score of {instrument}: " + ", ".join(allowed),
                )
        bands = dict(x.get("asq_cutoff", {}))
        if bands and instrument != "asq-3":
            raise InputError(f"{where}.asq_cutoff", instrument, "cut-off bands on asq-3 only")
        for name in bands:
            if name not in allowed:
                raise InputError(
                    f"{where}.asq_cutoff.{name}",
                    bands[name],
                    "an ASQ-3 domain: " + ", ".join(allowed),
                )
        if not scores and not bands:
            raise InputError(f"{where}.scores", None, "at least one score or cut-off band")
        yield InstrumentAssessment(
            instrument=instrument,
            day=reader.day(x["date"], f"{where}.date"),
            scores={k: float(v) for k, v in scores.items()},
            asq_cutoff=bands,
            edition=x.get("edition"),
            questionnaire_months=x.get("questionnaire_months"),
            assessed_by=x.get("assessed_by"),
            note=x.get("note"),
        )


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def development_to_dict(dev: Development) -> dict[str, Any]:
    """The section as JSON-ready data (empty parts left out)."""
    at = dev.at_diagnosis
    return _drop_none(
        {
            "at_diagnosis": _drop_none(
                {
                    "course": at.course,
                    "date": at.day.isoformat() if at.day else None,
                    "milestones_achieved": list(at.milestones_achieved),
                    "note": at.note,
                }
            )
            if at is not None
            else None,
            "milestones": [
                _drop_none(
                    {
                        "milestone": m.milestone,
                        "status": m.status,
                        "date": m.day.isoformat(),
                        "reported_by": m.reported_by,
                        "confirmed_by": m.confirmed_by,
                        "confirmed_on": m.confirmed_on.isoformat() if m.confirmed_on else None,
                        "note": m.note,
                    }
                )
                for m in dev.milestones
            ],
            "assessments": [
                _drop_none(
                    {
                        "instrument": a.instrument,
                        "date": a.day.isoformat(),
                        "edition": a.edition,
                        "questionnaire_months": a.questionnaire_months,
                        "scores": {k: _number(v) for k, v in a.scores.items()},
                        "asq_cutoff": a.asq_cutoff,
                        "assessed_by": a.assessed_by,
                        "note": a.note,
                    }
                )
                for a in dev.assessments
            ],
        }
    )
