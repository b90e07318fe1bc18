"""The care-pathway section of a record: the dates around the first course (optional, additive).

Everything here is optional: a record without a ``pathway`` section reads as before, with an
empty :class:`Pathway`. The dates are what the time-to-treatment measures
(:mod:`spasmcare.measures.pathway`) and the etiology work-up checklist read:

- the referral (its date and whether it was urgent or routine) and the day the child was
  first seen by the epilepsy service;
- the diagnostic EEG;
- the MRI (requested, done, whether it found a cause, whether a lesion looked resectable);
- genetic tests (type, requested, resulted, result and the variant's classification in the
  five ACMG/AMP tiers [1], "vus" included) and metabolic tests (requested, resulted, result);
- the history and skin examination for tuberous sclerosis complex, a pyridoxine trial, and
  whether the seizure onset had focal features;
- the date each treatment was judged to have failed (by treatment id);
- the neurologist's overrides of a first-line proposal, each with its reason.

References
----------
1. Richards S, et al. Standards and guidelines for the interpretation of sequence variants:
   a joint consensus recommendation of the American College of Medical Genetics and Genomics
   and the Association for Molecular Pathology. Genet Med 2015;17(5):405-424 (pathogenic,
   likely pathogenic, uncertain significance, likely benign, benign).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

REFERRAL_URGENCIES: tuple[str, ...] = ("urgent", "routine")
#: Whether an MRI found the cause of the spasms (``diagnostic``) or not.
MRI_FINDINGS: tuple[str, ...] = ("diagnostic", "non-diagnostic")
GENETIC_TEST_TYPES: tuple[str, ...] = (
    "microarray",
    "gene-panel",
    "exome",
    "genome",
    "single-gene",
    "other",
)
#: A genetic test's conclusion for this child.
GENETIC_RESULTS: tuple[str, ...] = ("diagnostic", "non-diagnostic", "inconclusive")
#: The five ACMG/AMP variant classes [1]; ``vus`` = variant of uncertain significance.
VARIANT_CLASSES: tuple[str, ...] = (
    "pathogenic",
    "likely-pathogenic",
    "vus",
    "likely-benign",
    "benign",
)
METABOLIC_RESULTS: tuple[str, ...] = ("normal", "abnormal")
PYRIDOXINE_RESPONSES: tuple[str, ...] = ("response", "no-response")

#: How each code reads on a page.
PATHWAY_LABELS: dict[str, str] = {
    "urgent": "urgent",
    "routine": "routine",
    "diagnostic": "cause found",
    "non-diagnostic": "no cause found",
    "inconclusive": "inconclusive",
    "microarray": "chromosomal microarray",
    "gene-panel": "epilepsy gene panel",
    "exome": "exome sequencing",
    "genome": "genome sequencing",
    "single-gene": "single-gene test",
    "other": "other test",
    "pathogenic": "pathogenic",
    "likely-pathogenic": "likely pathogenic",
    "vus": "variant of uncertain significance",
    "likely-benign": "likely benign",
    "benign": "benign",
    "normal": "normal",
    "abnormal": "abnormal",
    "response": "response",
    "no-response": "no response",
}


@dataclass(frozen=True)
class Referral:
    day: date
    urgency: str  # one of REFERRAL_URGENCIES


@dataclass(frozen=True)
class Mri:
    requested: date | None = None
    done: date | None = None
    finding: str | None = None  # one of MRI_FINDINGS
    resectable_lesion: bool | None = None


@dataclass(frozen=True)
class GeneticTest:
    type: str  # one of GENETIC_TEST_TYPES
    requested: date | None = None
    resulted: date | None = None
    result: str | None = None  # one of GENETIC_RESULTS
    gene: str | None = None
    variant: str | None = None
    classification: str | None = None  # one of VARIANT_CLASSES


@dataclass(frozen=True)
class MetabolicTest:
    name: str
    requested: date | None = None
    resulted: date | None = None
    result: str | None = None  # one of METABOLIC_RESULTS


@dataclass(frozen=True)
class TscExamination:
    """History and skin examination (Wood's lamp where used) looking for TSC."""

    day: date
    signs: bool


@dataclass(frozen=True)
class PyridoxineTrial:
    start: date
    response: str | None = None  # one of PYRIDOXINE_RESPONSES


@dataclass(frozen=True)
class TreatmentFailure:
    """The day the team judged treatment ``treatment`` (an id of the record) to have failed."""

    treatment: str
    day: date
    note: str | None = None


@dataclass(frozen=True)
class ProposalOverride:
    """The neurologist chose something other than a proposal (``proposal``: the rule id of
    :mod:`spasmcare.therapy.pathway_rules`), with the reason; ``chosen`` says what instead."""

    day: date
    proposal: str
    reason: str
    chosen: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class Pathway:
    referral: Referral | None = None
    first_seen: date | None = None
    diagnostic_eeg: date | None = None
    mri: Mri | None = None
    genetic_tests: tuple[GeneticTest, ...] = ()
    metabolic_tests: tuple[MetabolicTest, ...] = ()
    tsc_examination: TscExamination | None = None
    pyridoxine_trial: PyridoxineTrial | None = None
    focal_onset: bool | None = None
    treatment_failures: tuple[TreatmentFailure, ...] = ()
    overrides: tuple[ProposalOverride, ...] = ()

    def failed_on(self, treatment_id: str) -> date | None:
        """The day treatment ``treatment_id`` was judged to have failed, if recorded."""
        return next((f.day for f in self.treatment_failures if f.treatment == treatment_id), None)

    @property
    def empty(self) -> bool:
        return self == Pathway()
