"""Reading and writing the record's ``pathway`` section (JSON format version 1, optional).

The JSON Schema has already checked shapes and codes; this checks meaning: dates on or before
today and not before birth (through the reader's ``day``), a result not before its request,
failures and overrides naming treatments of the record. :mod:`spasmcare.record.io` calls
:func:`pathway_from_dict` and :func:`pathway_to_dict`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from spasmcare.errors import InputError
from spasmcare.record.pathway import (
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

#: ``day(text, field)`` -> a checked date (the record reader's).
DayReader = Callable[[str, str], date]


def _opt(day: DayReader, data: dict[str, Any], key: str, field: str) -> date | None:
    return day(data[key], f"{field}.{key}") if key in data else None


def _ordered(first: date | None, then: date | None, field: str, words: str) -> None:
    if first is not None and then is not None and then < first:
        raise InputError(field, then.isoformat(), f"a date on or after {words} ({first})")


def _tests(day: DayReader, items: list[dict[str, Any]], field: str) -> list[tuple[Any, ...]]:
    out = []
    for i, x in enumerate(items):
        where = f"{field}[{i}]"
        requested = _opt(day, x, "requested", where)
        resulted = _opt(day, x, "resulted", where)
        _ordered(requested, resulted, f"{where}.resulted", "the request")
        if "result" in x and resulted is None:
            raise InputError(f"{where}.resulted", None, "the date of the result it reports")
        out.append((x, requested, resulted))
    return out


def _genetic(day: DayReader, items: list[dict[str, Any]]) -> tuple[GeneticTest, ...]:
    return tuple(
        GeneticTest(
            type=x["type"],
            requested=req,
            resulted=res,
            result=x.get("result"),
            gene=x.get("gene"),
            variant=x.get("variant"),
            classification=x.get("classification"),
        )
        for x, req, res in _tests(day, items, "pathway.genetic_tests")
    )


def _metabolic(day: DayReader, items: list[dict[str, Any]]) -> tuple[MetabolicTest, ...]:
    return tuple(
        MetabolicTest(name=x["name"], requested=req, resulted=res, result=x.get("result"))
        for x, req, res in _tests(day, items, "pathway.metabolic_tests")
    )


def _known(value: str, ids: set[str], field: str) -> None:
    if value not in ids:
        raise InputError(
            field, value, "the id of a treatment in this record: " + ", ".join(sorted(ids))
        )


def _failures(
    day: DayReader, items: list[dict[str, Any]], starts: dict[str, date]
) -> tuple[TreatmentFailure, ...]:
    seen: set[str] = set()
    out = []
    for i, x in enumerate(items):
        where = f"pathway.treatment_failures[{i}]"
        _known(x["treatment"], set(starts), f"{where}.treatment")
        if x["treatment"] in seen:
            raise InputError(f"{where}.treatment", x["treatment"], "one failure per treatment")
        seen.add(x["treatment"])
        failed = day(x["date"], f"{where}.date")
        _ordered(starts[x["treatment"]], failed, f"{where}.date", "the treatment's start")
        out.append(TreatmentFailure(x["treatment"], failed, x.get("note")))
    return tuple(out)


def pathway_from_dict(
    day: DayReader, data: dict[str, Any] | None, starts: dict[str, date]
) -> Pathway:
    """The ``pathway`` section (``None``: absent) read with the record's ``day`` reader;
    ``starts`` maps each treatment id of the record to its start date."""
    if not data:
        return Pathway()
    ref = data.get("referral")
    referral = Referral(day(ref["date"], "pathway.referral.date"), ref["urgency"]) if ref else None
    first_seen = _opt(day, data, "first_seen", "pathway")
    if referral is not None:
        _ordered(referral.day, first_seen, "pathway.first_seen", "the referral")
    mri = None
    if "mri" in data:
        m = data["mri"]
        mri = Mri(
            requested=_opt(day, m, "requested", "pathway.mri"),
            done=_opt(day, m, "done", "pathway.mri"),
            finding=m.get("finding"),
            resectable_lesion=m.get("resectable_lesion"),
        )
        _ordered(mri.requested, mri.done, "pathway.mri.done", "the request")
        if mri.done is None and (mri.finding or mri.resectable_lesion is not None):
            raise InputError("pathway.mri.done", None, "the date of the MRI its finding reports")
    tsc = data.get("tsc_examination")
    pyr = data.get("pyridoxine_trial")
    return Pathway(
        referral=referral,
        first_seen=first_seen,
        diagnostic_eeg=_opt(day, data, "diagnostic_eeg", "pathway"),
        mri=mri,
        genetic_tests=_genetic(day, data.get("genetic_tests", [])),
        metabolic_tests=_metabolic(day, data.get("metabolic_tests", [])),
        tsc_examination=TscExamination(
            day(tsc["date"], "pathway.tsc_examination.date"), tsc["signs"]
        )
        if tsc
        else None,
        pyridoxine_trial=PyridoxineTrial(
            day(pyr["start"], "pathway.pyridoxine_trial.start"), pyr.get("response")
        )
        if pyr
        else None,
        focal_onset=data.get("focal_onset"),
        treatment_failures=_failures(day, data.get("treatment_failures", []), starts),
        overrides=_overrides(day, data.get("overrides", [])),
    )


def _overrides(day: DayReader, items: list[dict[str, Any]]) -> tuple[ProposalOverride, ...]:
    """An override is a record entry only with a reason: a blank reason is refused."""
    out = []
    for i, x in enumerate(items):
        where = f"pathway.overrides[{i}]"
        if not x["reason"].strip():
            raise InputError(f"{where}.reason", x["reason"], "the reason in words, not blank")
        out.append(
            ProposalOverride(
                day=day(x["date"], f"{where}.date"),
                proposal=x["proposal"],
                reason=x["reason"].strip(),
                chosen=x.get("chosen"),
                by=x.get("by"),
            )
        )
    return tuple(out)


def _drop(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _test_dicts(tests: Iterable[Any], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        _drop(
            {
                **{k: getattr(t, k) for k in keys},
                "requested": _iso(t.requested),
                "resulted": _iso(t.resulted),
                "result": t.result,
            }
        )
        for t in tests
    ]


def pathway_to_dict(p: Pathway) -> dict[str, Any]:
    """The section as JSON-ready data (empty ``dict`` when nothing is recorded)."""
    genetic = _test_dicts(p.genetic_tests, ("type",))
    for d, t in zip(genetic, p.genetic_tests, strict=True):
        d.update(_drop({"gene": t.gene, "variant": t.variant, "classification": t.classification}))
    return _drop(
        {
            "referral": {"date": p.referral.day.isoformat(), "urgency": p.referral.urgency}
            if p.referral
            else None,
            "first_seen": _iso(p.first_seen),
            "diagnostic_eeg": _iso(p.diagnostic_eeg),
            "mri": _drop(
                {
                    "requested": _iso(p.mri.requested),
                    "done": _iso(p.mri.done),
                    "finding": p.mri.finding,
                    "resectable_lesion": p.mri.resectable_lesion,
                }
            )
            if p.mri
            else None,
            "genetic_tests": genetic,
            "metabolic_tests": _test_dicts(p.metabolic_tests, ("name",)),
            "tsc_examination": {
                "date": p.tsc_examination.day.isoformat(),
                "signs": p.tsc_examination.signs,
            }
            if p.tsc_examination
            else None,
            "pyridoxine_trial": _drop(
                {
                    "start": p.pyridoxine_trial.start.isoformat(),
                    "response": p.pyridoxine_trial.response,
                }
            )
            if p.pyridoxine_trial
            else None,
            "focal_onset": p.focal_onset,
            "treatment_failures": [
                _drop({"treatment": f.treatment, "date": f.day.isoformat(), "note": f.note})
                for f in p.treatment_failures
            ],
            "overrides": [
                _drop(
                    {
                        "date": o.day.isoformat(),
                        "proposal": o.proposal,
                        "chosen": o.chosen,
                        "reason": o.reason,
                        "by": o.by,
                    }
                )
                for o in p.overrides
            ],
        }
    )
