"""The record's development section as FHIR R4B Observations, and back (issue 25).

:func:`development_observations` is called by :func:`spasmcare.interop.fhir.record_resources`;
:func:`development_from_observations` reads the same Observations back into the record's
``development`` section (a round trip; clinicians' names and notes are not exported).

Codes. LOINC is used where a code exists and has been checked; for the development items no
LOINC code was verified in the sources at hand (interop-and-peers.md lists none for
developmental milestones, Vineland, Bayley-III or ASQ-3 scores [1]), so every Observation
here carries the local code system :data:`~spasmcare.interop.fhir.CODE_SYSTEM` with its words
as ``code.text`` — text, never a guessed LOINC code. A LOINC code can be added beside the local
one once checked against a LOINC release.

- development at onset: code ``development-at-onset``, value regression / plateau / none /
  unknown (ILAE 2022 [2]); the milestones achieved then as components;
- one Observation per milestone entry: code = the milestone id (WHO [3] or CDC 2022 [4]),
  value ``achieved`` or ``not-yet`` on ``effectiveDateTime``; components ``reported-by``
  (family / clinician), ``confirmed`` (boolean) and ``confirmed-on``;
- one Observation per instrument assessment: code = the instrument (category ``exam`` for the
  Bayley-III, ``survey`` for Vineland and ASQ-3), one component per score entered
  (``<instrument>-<domain>``, a unitless ``{score}``) and per ASQ-3 cut-off band reported,
  with the edition and the ASQ-3 questionnaire interval when recorded.

References
----------
1. spasmcare reference notes, interop-and-peers.md §2 "Codes".
2. Zuberi SM, et al. ILAE classification of epilepsy syndromes with onset in neonates and
   infants. Epilepsia 2022;63(6):1349-1397.
3. WHO Multicentre Growth Reference Study Group. Acta Paediatr Suppl 2006;450:86-95.
4. Zubler JM, et al. Pediatrics 2022;149(3):e2021052138.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from spasmcare.interop.fhir_codes import CODE_SYSTEM, _concept
from spasmcare.measures.development import milestone_label
from spasmcare.record.development import (
    ASQ_BAND_LABELS,
    COURSE_LABELS,
    INSTRUMENT_LABELS,
    INSTRUMENT_SCORES,
    SCORE_LABELS,
    Development,
)

#: Local codes of this module (under the spasmcare code system).
AT_ONSET = "development-at-onset"
ACHIEVED_AT_ONSET = "milestone-achieved-at-onset"
REPORTED_BY = "reported-by"
CONFIRMED = "confirmed"
CONFIRMED_ON = "confirmed-on"
QUESTIONNAIRE_MONTHS = "questionnaire-months"
EDITION = "instrument-edition"
MILESTONE_PREFIXES = ("who-", "cdc-")

Observation = Callable[..., dict[str, Any]]


def development_observations(
    dev: Development | None, observation: Observation
) -> list[dict[str, Any]]:
    """The Observations of ``dev`` (see the module notes). ``observation(key, category,
    code, when, **value)`` builds one (the FHIR builder's)."""
    if dev is None:
        return []
    system = CODE_SYSTEM
    out: list[dict[str, Any]] = []
    at = dev.at_diagnosis
    if at is not None:
        value = _concept(system, at.course, COURSE_LABELS.get(at.course, at.course))
        obs = observation(
            "development/at-onset",
            ("survey", "Survey"),
            _concept(system, AT_ONSET, "Development at onset of spasms"),
            at.day.isoformat() if at.day else None,
            valueCodeableConcept=value,
        )
        if at.day is None:
            obs.pop("effectiveDateTime", None)
        if at.milestones_achieved:
            obs["component"] = [
                {
                    "code": _concept(system, ACHIEVED_AT_ONSET, "Milestone achieved at onset"),
                    "valueCodeableConcept": _concept(system, mid, milestone_label(mid)),
                }
                for mid in at.milestones_achieved
            ]
        out.append(obs)
    for i, m in enumerate(dev.milestones):
        parts: list[dict[str, Any]] = [
            {
                "code": _concept(system, REPORTED_BY, "Reported by"),
                "valueCodeableConcept": _concept(system, m.reported_by, m.reported_by),
            },
            {
                "code": _concept(system, CONFIRMED, "Confirmed by a clinician"),
                "valueBoolean": m.confirmed,
            },
        ]
        if m.confirmed_on is not None:
            parts.append(
                {
                    "code": _concept(system, CONFIRMED_ON, "Confirmed on"),
                    "valueDateTime": m.confirmed_on.isoformat(),
                }
            )
        words = "achieved" if m.status == "achieved" else "not yet"
        out.append(
            observation(
                f"development/milestone/{i}",
                ("survey", "Survey"),
                _concept(system, m.milestone, milestone_label(m.milestone)),
                m.day.isoformat(),
                valueCodeableConcept=_concept(system, m.status, words),
                component=parts,
            )
        )
    for i, a in enumerate(dev.assessments):
        out.append(_assessment(a, i, system, observation))
    return out


def _assessment(a: Any, i: int, system: str, observation: Observation) -> dict[str, Any]:
    parts: list[dict[str, Any]] = []
    for name in INSTRUMENT_SCORES[a.instrument]:
        words = SCORE_LABELS.get(name, name)
        if name in a.scores:
            parts.append(
                {
                    "code": _concept(system, f"{a.instrument}-{name}", f"{words} score"),
                    "valueQuantity": {
                        "value": a.scores[name],
                        "unit": "score",
                        "system": "http://unitsofmeasure.org",
                        "code": "{score}",
                    },
                }
            )
        if name in a.asq_cutoff:
            band = a.asq_cutoff[name]
            parts.append(
                {
                    "code": _concept(
                        system, f"{a.instrument}-{name}-cutoff", f"{words}: cut-off band"
                    ),
                    "valueCodeableConcept": _concept(system, band, ASQ_BAND_LABELS[band]),
                }
            )
    if a.questionnaire_months is not None:
        parts.append(
            {
                "code": _concept(system, QUESTIONNAIRE_MONTHS, "Questionnaire interval"),
                "valueQuantity": {
                    "value": a.questionnaire_months,
                    "unit": "months",
                    "system": "http://unitsofmeasure.org",
                    "code": "mo",
                },
            }
        )
    if a.edition:
        parts.append({"code": _concept(system, EDITION, "Edition"), "valueString": a.edition})
    category = ("exam", "Exam") if a.instrument == "bayley-3" else ("survey", "Survey")
    return observation(
        f"development/assessment/{i}",
        category,
        _concept(system, a.instrument, INSTRUMENT_LABELS[a.instrument]),
        a.day.isoformat(),
        component=parts,
    )


def _local(concept: Mapping[str, Any] | None, system: str) -> str | None:
    for coding in (concept or {}).get("coding", []):
        if coding.get("system") == system:
            return str(coding.get("code"))
    return None


def development_from_observations(
    resources: Iterable[Mapping[str, Any]], system: str
) -> dict[str, Any]:
    """The record's ``development`` section rebuilt from the Observations this module wrote
    (clinicians' names are not exported: a confirmed entry reads back with ``confirmed_by``
    "clinician")."""
    at: dict[str, Any] | None = None
    milestones: list[dict[str, Any]] = []
    assessments: list[dict[str, Any]] = []
    for r in resources:
        if r.get("resourceType") != "Observation":
            continue
        code = _local(r.get("code"), system)
        if code is None:
            continue
        when = str(r.get("effectiveDateTime", ""))[:10] or None
        value = _local(r.get("valueCodeableConcept"), system)
        comps = r.get("component", [])
        if code == AT_ONSET:
            at = {"course": value}
            if when:
                at["date"] = when
            achieved = [_local(c.get("valueCodeableConcept"), system) for c in comps]
            if achieved:
                at["milestones_achieved"] = achieved
        elif code.startswith(MILESTONE_PREFIXES):
            milestones.append(_milestone(code, value, when, comps, system))
        elif code in INSTRUMENT_SCORES:
            assessments.append(_read_assessment(code, when, comps, system))
    out: dict[str, Any] = {}
    if at is not None:
        out["at_diagnosis"] = at
    if milestones:
        out["milestones"] = milestones
    if assessments:
        out["assessments"] = assessments
    return out


def _milestone(
    code: str, value: str | None, when: str | None, comps: list[Any], system: str
) -> dict[str, Any]:
    entry: dict[str, Any] = {"milestone": code, "status": value, "date": when}
    for c in comps:
        kind = _local(c.get("code"), system)
        if kind == REPORTED_BY:
            entry["reported_by"] = _local(c.get("valueCodeableConcept"), system)
        elif kind == CONFIRMED and c.get("valueBoolean"):
            entry["confirmed_by"] = "clinician"
        elif kind == CONFIRMED_ON:
            entry["confirmed_on"] = str(c.get("valueDateTime"))[:10]
    return entry


def _read_assessment(
    instrument: str, when: str | None, comps: list[Any], system: str
) -> dict[str, Any]:
    entry: dict[str, Any] = {"instrument": instrument, "date": when}
    scores: dict[str, Any] = {}
    bands: dict[str, Any] = {}
    for c in comps:
        kind = _local(c.get("code"), system) or ""
        if kind == EDITION:
            entry["edition"] = c.get("valueString")
        elif kind == QUESTIONNAIRE_MONTHS:
            entry["questionnaire_months"] = int(c["valueQuantity"]["value"])
        elif kind.endswith("-cutoff"):
            bands[kind[len(instrument) + 1 : -len("-cutoff")]] = _local(
                c.get("valueCodeableConcept"), system
            )
        elif kind.startswith(instrument + "-"):
            scores[kind[len(instrument) + 1 :]] = c["valueQuantity"]["value"]
    if scores:
        entry["scores"] = scores
    if bands:
        entry["asq_cutoff"] = bands
    return entry
