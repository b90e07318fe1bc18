"""The record's care-pathway section as FHIR R4B resources, read back, and the clinic's
time-to-treatment measures as MeasureReports (issue 23).

No standard code for these events was found in the project's reference notes
(interop-and-peers.md §2 lists codes for growth, glucose, ketones, West syndrome and the diet
type only), so every resource carries a local code of :data:`~spasmcare.interop.fhir.CODE_SYSTEM`
with its words as ``text``; a clinic maps them to its terminology server. The resource types
follow what each event is [1]:

- **ServiceRequest** for the referral (``priority`` urgent or routine, from FHIR's
  request-priority codes [2]; ``authoredOn`` the referral date; ``status`` completed once the
  child was first seen, else active), the MRI request and each genetic or metabolic test
  request (``authoredOn`` the request date);
- **Procedure** (status completed) for the first visit by the epilepsy service, the diagnostic
  EEG and the MRI (``performedDateTime``; the MRI's finding as ``outcome``, the resectable
  lesion as a component of the extension :data:`EXT_PATHWAY`), each test request linked by
  ``basedOn``;
- **Observation** for a test result (``effectiveDateTime`` the result date, ``basedOn`` its
  request; genetic tests: result, gene, variant and ACMG/AMP class as components), the TSC
  examination, the pyridoxine trial, focal onset, each treatment failure (``focus`` its
  MedicationRequest) and each override of a first-line proposal (the reason as the value).

:func:`pathway_from_resources` reads these resources back into a
:class:`~spasmcare.record.pathway.Pathway`, so an export and import give the same section.

:func:`measure_report` writes one released clinic measure
(:class:`spasmcare.measures.pathway.ClinicKpi`) as a ``summary`` MeasureReport [3]: populations
initial-population (every record), denominator (met + not met), numerator (met) and
denominator-exclusion (excluded with a reason) from FHIR's measure-population codes [4], the
rate as ``measureScore``. A measure withheld by the k-anonymity rule gives no MeasureReport.

References
----------
1. HL7 FHIR R4: ServiceRequest (a request for a procedure or diagnostic service; priority,
   authoredOn), Procedure (performed[x], outcome, basedOn), Observation (basedOn, focus,
   component) (hl7.org/fhir/R4/servicerequest.html, procedure.html, observation.html).
2. HL7 FHIR R4 value set request-priority: routine | urgent | asap | stat
   (hl7.org/fhir/R4/valueset-request-priority.html).
3. HL7 FHIR R4 MeasureReport: status, type (individual | subject-list | summary |
   data-collection), measure, period, group.population (code, count), group.measureScore
   (hl7.org/fhir/R4/measurereport.html).
4. HL7 FHIR R4 code system measure-population: initial-population, numerator, denominator,
   denominator-exclusion (hl7.org/fhir/R4/codesystem-measure-population.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from spasmcare.errors import InputError
from spasmcare.interop.fhir_codes import CODE_SYSTEM, _concept, resource_id
from spasmcare.record.model import Record
from spasmcare.record.pathway import (
    PATHWAY_LABELS,
    GeneticTest,
    MetabolicTest,
    Mri,
    Pathway,
    ProposalOverride,
    PyridoxineTrial,
    Referral,
    TreatmentFailure,
    TscExamination,
)

EXT_PATHWAY = "https://spasmcare.org/fhir/StructureDefinition/care-pathway"
MEASURE_BASE = "https://spasmcare.org/fhir/Measure"
MEASURE_POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population"

#: Local code -> words, for every pathway resource.
CODES: Mapping[str, str] = {
    "referral-epilepsy-service": "Referral to the epilepsy service",
    "first-seen-epilepsy-service": "First seen by the epilepsy service",
    "eeg-diagnostic": "Diagnostic EEG",
    "mri-brain": "MRI brain",
    "genetic-test": "Genetic test",
    "metabolic-test": "Metabolic test",
    "tsc-examination": "History and skin examination for tuberous sclerosis complex",
    "pyridoxine-trial": "Pyridoxine trial",
    "focal-onset": "Focal features at seizure onset",
    "treatment-failure": "Treatment judged to have failed",
    "proposal-override": "First-line proposal overridden",
}


def _code(code: str, text: str | None = None) -> dict[str, Any]:
    return _concept(CODE_SYSTEM, code, CODES.get(code, code), text=text)


def _part(code: str, **value: Any) -> dict[str, Any]:
    return {"code": _concept(CODE_SYSTEM, code, code.replace("-", " ")), **value}


class _Out:
    def __init__(self, record: Record) -> None:
        self.pid = record.patient.id
        self.subject = {"reference": f"Patient/{resource_id(self.pid, 'Patient')}"}
        self.items: list[dict[str, Any]] = []

    def ref(self, kind: str, key: str) -> dict[str, str]:
        return {"reference": f"{kind}/{resource_id(self.pid, kind, key)}"}

    def add(self, kind: str, key: str, code: str, text: str | None = None, **rest: Any) -> None:
        self.items.append(
            {
                "resourceType": kind,
                "id": resource_id(self.pid, kind, key),
                **({"status": "completed"} if kind == "Procedure" else {}),
                "code": _code(code, text),
                "subject": self.subject,
                **rest,
            }
        )

    def request(self, key: str, code: str, text: str | None, day: date | None, done: bool) -> None:
        rest: dict[str, Any] = {"status": "completed" if done else "active", "intent": "order"}
        if day is not None:
            rest["authoredOn"] = day.isoformat()
        self.add("ServiceRequest", key, code, text, **rest)

    def observation(self, key: str, code: str, day: date | None, **rest: Any) -> None:
        when = {"effectiveDateTime": day.isoformat()} if day else {}
        self.add("Observation", key, code, None, status="final", **when, **rest)


def _tests(out: _Out, p: Pathway) -> None:
    for i, g in enumerate(p.genetic_tests):
        key = f"pathway/genetic/{i}"
        out.request(
            key, "genetic-test", PATHWAY_LABELS[g.type], g.requested, g.resulted is not None
        )
        out.items[-1]["orderDetail"] = [_concept(CODE_SYSTEM, f"genetic-{g.type}", g.type)]
        if g.resulted is None:
            continue
        parts = [_part("test-type", valueString=g.type)]
        parts += [
            _part(name, valueString=value)
            for name, value in (
                ("genetic-result", g.result),
                ("gene", g.gene),
                ("variant", g.variant),
                ("acmg-class", g.classification),
            )
            if value is not None
        ]
        out.observation(
            key,
            "genetic-test",
            g.resulted,
            basedOn=[out.ref("ServiceRequest", key)],
            component=parts,
        )
    for i, m in enumerate(p.metabolic_tests):
        key = f"pathway/metabolic/{i}"
        out.request(key, "metabolic-test", m.name, m.requested, m.resulted is not None)
        if m.resulted is not None:
            value = {"valueString": m.result} if m.result else {}
            out.observation(
                key,
                "metabolic-test",
                m.resulted,
                basedOn=[out.ref("ServiceRequest", key)],
                note=[{"text": m.name}],
                **value,
            )


def _mri(out: _Out, mri: Mri) -> None:
    key = "pathway/mri"
    out.request(key, "mri-brain", None, mri.requested, mri.done is not None)
    if mri.done is None:
        return
    rest: dict[str, Any] = {
        "performedDateTime": mri.done.isoformat(),
        "basedOn": [out.ref("ServiceRequest", key)],
    }
    if mri.finding:
        rest["outcome"] = _concept(CODE_SYSTEM, f"mri-{mri.finding}", PATHWAY_LABELS[mri.finding])
    if mri.resectable_lesion is not None:
        rest["extension"] = [
            {
                "url": EXT_PATHWAY,
                "extension": [{"url": "resectable-lesion", "valueBoolean": mri.resectable_lesion}],
            }
        ]
    out.add("Procedure", key, "mri-brain", **rest)


def pathway_resources(record: Record) -> list[dict[str, Any]]:
    """The FHIR resources of ``record.pathway`` (none when the section is empty)."""
    p, out = record.pathway, _Out(record)
    if p.referral is not None:
        out.request(
            "pathway/referral",
            "referral-epilepsy-service",
            None,
            p.referral.day,
            p.first_seen is not None,
        )
        out.items[-1]["priority"] = p.referral.urgency
    if p.first_seen is not None:
        out.add(
            "Procedure",
            "pathway/first-seen",
            "first-seen-epilepsy-service",
            performedDateTime=p.first_seen.isoformat(),
        )
    if p.diagnostic_eeg is not None:
        out.add(
            "Procedure",
            "pathway/eeg",
            "eeg-diagnostic",
            performedDateTime=p.diagnostic_eeg.isoformat(),
        )
    if p.mri is not None:
        _mri(out, p.mri)
    _tests(out, p)
    if p.tsc_examination is not None:
        out.observation(
            "pathway/tsc",
            "tsc-examination",
            p.tsc_examination.day,
            valueBoolean=p.tsc_examination.signs,
        )
    if p.pyridoxine_trial is not None:
        value = {"valueString": p.pyridoxine_trial.response} if p.pyridoxine_trial.response else {}
        out.observation("pathway/pyridoxine", "pyridoxine-trial", p.pyridoxine_trial.start, **value)
    if p.focal_onset is not None:
        out.observation("pathway/focal", "focal-onset", None, valueBoolean=p.focal_onset)
    for f in p.treatment_failures:
        note = {"note": [{"text": f.note}]} if f.note else {}
        out.observation(
            f"pathway/failure/{f.treatment}",
            "treatment-failure",
            f.day,
            focus=[out.ref("MedicationRequest", f.treatment)],
            component=[_part("treatment-id", valueString=f.treatment)],
            **note,
        )
    for i, o in enumerate(p.overrides):
        parts = [_part("proposal", valueString=o.proposal)]
        parts += [_part(n, valueString=v) for n, v in (("chosen", o.chosen), ("by", o.by)) if v]
        out.observation(
            f"pathway/override/{i}",
            "proposal-override",
            o.day,
            valueString=o.reason,
            component=parts,
        )
    return out.items


# --- reading back -----------------------------------------------------------------------------


def _local(resource: Mapping[str, Any]) -> str | None:
    for c in resource.get("code", {}).get("coding", []):
        if c.get("system") == CODE_SYSTEM and c.get("code") in CODES:
            return str(c["code"])
    return None


def _day(text: Any) -> date | None:
    return date.fromisoformat(str(text)[:10]) if text else None


def _need(text: Any) -> date:
    """A date the resource must carry (KeyError/ValueError are reported by the caller)."""
    return date.fromisoformat(str(text)[:10])


def _parts(resource: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for c in resource.get("component", []):
        code = c["code"]["coding"][0]["code"]
        out[code] = c.get("valueString")
    return out


def pathway_from_resources(resources: Iterable[Mapping[str, Any]]) -> Pathway:
    """The pathway section carried by resources written by :func:`pathway_resources` (other
    resources are ignored). Raises InputError naming a resource whose date does not read."""
    by: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for r in resources:
        code = _local(r)
        if code is not None:
            by.setdefault((str(r.get("resourceType")), code), []).append(r)
    try:
        return _read(by)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise InputError(
            "pathway resources", str(exc), "resources as spasmcare exports them"
        ) from exc


def _one(by: Mapping[tuple[str, str], list[Mapping[str, Any]]], kind: str, code: str) -> Any:
    found = by.get((kind, code), [])
    return found[0] if found else None


def _read(by: Mapping[tuple[str, str], list[Mapping[str, Any]]]) -> Pathway:
    ref = _one(by, "ServiceRequest", "referral-epilepsy-service")
    seen = _one(by, "Procedure", "first-seen-epilepsy-service")
    eeg = _one(by, "Procedure", "eeg-diagnostic")
    mri_req = _one(by, "ServiceRequest", "mri-brain")
    mri_done = _one(by, "Procedure", "mri-brain")
    mri = None
    if mri_req is not None or mri_done is not None:
        finding = resectable = None
        if mri_done is not None:
            outcome = mri_done.get("outcome", {}).get("coding", [{}])[0].get("code")
            finding = outcome[len("mri-") :] if outcome else None
            for ext in mri_done.get("extension", []):
                for part in ext.get("extension", []):
                    resectable = part.get("valueBoolean")
        mri = Mri(
            requested=_day(mri_req.get("authoredOn")) if mri_req else None,
            done=_day(mri_done.get("performedDateTime")) if mri_done else None,
            finding=finding,
            resectable_lesion=resectable,
        )
    tsc = _one(by, "Observation", "tsc-examination")
    pyr = _one(by, "Observation", "pyridoxine-trial")
    focal = _one(by, "Observation", "focal-onset")
    return Pathway(
        referral=Referral(_need(ref["authoredOn"]), ref["priority"]) if ref else None,
        first_seen=_day(seen["performedDateTime"]) if seen else None,
        diagnostic_eeg=_day(eeg["performedDateTime"]) if eeg else None,
        mri=mri,
        genetic_tests=_read_genetic(by),
        metabolic_tests=_read_metabolic(by),
        tsc_examination=TscExamination(_need(tsc["effectiveDateTime"]), tsc["valueBoolean"])
        if tsc
        else None,
        pyridoxine_trial=PyridoxineTrial(_need(pyr["effectiveDateTime"]), pyr.get("valueString"))
        if pyr
        else None,
        focal_onset=focal["valueBoolean"] if focal else None,
        treatment_failures=tuple(
            TreatmentFailure(
                _parts(r)["treatment-id"],
                _need(r["effectiveDateTime"]),
                r["note"][0]["text"] if r.get("note") else None,
            )
            for r in by.get(("Observation", "treatment-failure"), [])
        ),
        overrides=tuple(
            ProposalOverride(
                day=_need(r["effectiveDateTime"]),
                proposal=_parts(r)["proposal"],
                reason=r["valueString"],
                chosen=_parts(r).get("chosen"),
                by=_parts(r).get("by"),
            )
            for r in by.get(("Observation", "proposal-override"), [])
        ),
    )


def _results(by: Mapping[tuple[str, str], list[Mapping[str, Any]]], code: str) -> dict[str, Any]:
    """Result Observations keyed by the ServiceRequest they are based on."""
    return {r["basedOn"][0]["reference"]: r for r in by.get(("Observation", code), [])}


def _read_genetic(by: Mapping[tuple[str, str], list[Mapping[str, Any]]]) -> tuple[GeneticTest, ...]:
    results = _results(by, "genetic-test")
    out = []
    for req in by.get(("ServiceRequest", "genetic-test"), []):
        res = results.get(f"ServiceRequest/{req['id']}")
        parts = _parts(res) if res else {}
        out.append(
            GeneticTest(
                type=req["orderDetail"][0]["coding"][0]["code"][len("genetic-") :],
                requested=_day(req.get("authoredOn")),
                resulted=_day(res["effectiveDateTime"]) if res else None,
                result=parts.get("genetic-result"),
                gene=parts.get("gene"),
                variant=parts.get("variant"),
                classification=parts.get("acmg-class"),
            )
        )
    return tuple(out)


def _read_metabolic(
    by: Mapping[tuple[str, str], list[Mapping[str, Any]]],
) -> tuple[MetabolicTest, ...]:
    results = _results(by, "metabolic-test")
    out = []
    for req in by.get(("ServiceRequest", "metabolic-test"), []):
        res = results.get(f"ServiceRequest/{req['id']}")
        out.append(
            MetabolicTest(
                name=req["code"]["text"],
                requested=_day(req.get("authoredOn")),
                resulted=_day(res["effectiveDateTime"]) if res else None,
                result=res.get("valueString") if res else None,
            )
        )
    return tuple(out)


# --- MeasureReport --------------------------------------------------------------------------


def measure_report(figure: Any, period_start: date, period_end: date) -> dict[str, Any] | None:
    """One released clinic measure (:class:`spasmcare.measures.pathway.ClinicKpi`) as a
    ``summary`` MeasureReport over ``period_start``..``period_end``; None when withheld."""
    if period_end < period_start:
        raise InputError("period_end", period_end.isoformat(), f"a date on or after {period_start}")
    if not figure.released:
        return None
    kpi = figure.kpi
    populations = (
        ("initial-population", figure.denominator + figure.pending + sum(figure.excluded.values())),
        ("denominator", figure.denominator),
        ("numerator", figure.met),
        ("denominator-exclusion", sum(figure.excluded.values())),
    )
    return {
        "resourceType": "MeasureReport",
        "id": resource_id("clinic", "MeasureReport", f"{kpi.id}/{period_end.isoformat()}"),
        "status": "complete",
        "type": "summary",
        "measure": f"{MEASURE_BASE}/{kpi.id}",
        "date": period_end.isoformat(),
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat()},
        "group": [
            {
                "code": {"text": kpi.title},
                "population": [
                    {
                        "code": {"coding": [{"system": MEASURE_POPULATION, "code": code}]},
                        "count": count,
                    }
                    for code, count in populations
                ],
                "measureScore": {"value": round(figure.met / figure.denominator, 4)},
            }
        ],
    }


def measure_report_bundle(
    figures: Iterable[Any], period_start: date, period_end: date, base_url: str
) -> dict[str, Any]:
    """The released figures' MeasureReports as a ``collection`` Bundle; a figure withheld by
    the k-anonymity rule has no entry."""
    reports = [
        r for r in (measure_report(f, period_start, period_end) for f in figures) if r is not None
    ]
    base = base_url.rstrip("/")
    return {
        "resourceType": "Bundle",
        "id": resource_id("clinic", "Bundle", f"measures/{period_end.isoformat()}"),
        "type": "collection",
        "entry": [{"fullUrl": f"{base}/MeasureReport/{r['id']}", "resource": r} for r in reports],
    }
