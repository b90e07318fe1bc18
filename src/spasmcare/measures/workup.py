"""The etiology work-up checklist of one record (issue 23): what is done, pending, still to do
or not indicated, in a named default order.

:data:`NISC_ORDER` is the order the NISC yields support [1]: history and examination (for TSC)
and MRI first (together they found a cause in 55 %), then genetic testing in MRI-negative
infants (causal in 23.5 %, plus 14.8 % variants of uncertain significance), then metabolic
tests selectively (4.5 %). A pyridoxine trial is listed only where the clinic uses one (a
clinic setting, off by default: no source here sets it for every child).

States: ``done`` (a result or examination recorded), ``pending`` (requested, no result),
``to-do`` (nothing recorded and indicated by the default order), ``not-indicated`` (the
default order does not call for it: a cause already found, or the clinic does not use the
test), each with the reason in words.

References
----------
1. Wirrell EC, et al. How should children with West syndrome be efficiently and accurately
   investigated? Results from the National Infantile Spasms Consortium. Epilepsia 2015
   (care-pathway.md §2, SECONDARY).
2. Richards S, et al. Genet Med 2015;17(5):405-424 (ACMG/AMP variant classes, VUS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spasmcare.plain import day_text
from spasmcare.record.model import Record
from spasmcare.record.pathway import PATHWAY_LABELS

#: The default order of the work-up [1].
NISC_ORDER: tuple[str, ...] = (
    "tsc-examination",
    "mri",
    "genetic-testing",
    "metabolic-screen",
    "pyridoxine-trial",
)
LABELS: dict[str, str] = {
    "tsc-examination": "History and skin examination for tuberous sclerosis complex",
    "mri": "MRI brain",
    "genetic-testing": "Genetic testing",
    "metabolic-screen": "Metabolic screen",
    "pyridoxine-trial": "Pyridoxine trial",
}


@dataclass(frozen=True)
class WorkupItem:
    id: str
    state: str  # done / pending / to-do / not-indicated
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": LABELS[self.id], "state": self.state, "detail": self.detail}


def _cause_found(record: Record) -> bool:
    p = record.pathway
    return (p.mri is not None and p.mri.finding == "diagnostic") or any(
        t.result == "diagnostic" for t in p.genetic_tests
    )


def _tsc(record: Record) -> WorkupItem:
    exam = record.pathway.tsc_examination
    if exam is None:
        return WorkupItem("tsc-examination", "to-do", "not recorded")
    found = "signs of TSC found" if exam.signs else "no signs of TSC"
    return WorkupItem("tsc-examination", "done", f"{found} ({day_text(exam.day)})")


def _mri(record: Record) -> WorkupItem:
    mri = record.pathway.mri
    if mri is not None and mri.done is not None:
        finding = PATHWAY_LABELS.get(mri.finding or "", "finding not recorded")
        return WorkupItem("mri", "done", f"{finding} ({day_text(mri.done)})")
    if mri is not None and mri.requested is not None:
        return WorkupItem("mri", "pending", f"requested {day_text(mri.requested)}")
    return WorkupItem("mri", "to-do", "not requested")


def _genetic(record: Record) -> WorkupItem:
    tests = record.pathway.genetic_tests
    done = [t for t in tests if t.resulted is not None]
    if done:
        parts = []
        for t in done:
            words = [PATHWAY_LABELS[t.type]]
            if t.result:
                words.append(PATHWAY_LABELS[t.result])
            if t.gene:
                words.append(t.gene + (f" {t.variant}" if t.variant else ""))
            if t.classification:
                words.append(PATHWAY_LABELS[t.classification])
            parts.append(", ".join(words))
        return WorkupItem("genetic-testing", "done", "; ".join(parts))
    if tests:
        return WorkupItem(
            "genetic-testing", "pending", PATHWAY_LABELS[tests[0].type] + " requested"
        )
    mri = record.pathway.mri
    if mri is not None and mri.finding == "diagnostic":
        return WorkupItem("genetic-testing", "not-indicated", "the MRI found a cause")
    if mri is not None and mri.finding == "non-diagnostic":
        return WorkupItem("genetic-testing", "to-do", "next: the MRI found no cause")
    return WorkupItem("genetic-testing", "to-do", "after the MRI")


def _metabolic(record: Record) -> WorkupItem:
    tests = record.pathway.metabolic_tests
    done = [t for t in tests if t.resulted is not None]
    if done:
        text = "; ".join(
            f"{t.name}: {PATHWAY_LABELS.get(t.result or '', 'result not recorded')}" for t in done
        )
        return WorkupItem("metabolic-screen", "done", text)
    if tests:
        return WorkupItem("metabolic-screen", "pending", tests[0].name + " requested")
    if _cause_found(record):
        return WorkupItem("metabolic-screen", "not-indicated", "a cause has been found")
    return WorkupItem(
        "metabolic-screen", "to-do", "selectively, when MRI and genetics find no cause"
    )


def _pyridoxine(record: Record, clinic_uses_trial: bool) -> WorkupItem:
    trial = record.pathway.pyridoxine_trial
    if trial is not None:
        response = PATHWAY_LABELS.get(trial.response or "", "response not recorded")
        return WorkupItem("pyridoxine-trial", "done", f"{response} (from {day_text(trial.start)})")
    if not clinic_uses_trial:
        return WorkupItem("pyridoxine-trial", "not-indicated", "the clinic does not use one")
    return WorkupItem("pyridoxine-trial", "to-do", "the clinic uses a pyridoxine trial")


def workup_checklist(
    record: Record, clinic_uses_pyridoxine_trial: bool = False, order: tuple[str, ...] = NISC_ORDER
) -> list[WorkupItem]:
    """The work-up items of ``record`` in ``order`` (default :data:`NISC_ORDER`)."""
    items = {
        "tsc-examination": _tsc(record),
        "mri": _mri(record),
        "genetic-testing": _genetic(record),
        "metabolic-screen": _metabolic(record),
        "pyridoxine-trial": _pyridoxine(record, clinic_uses_pyridoxine_trial),
    }
    return [items[key] for key in order]
