"""The first-line rule table (issue 23): its decisions as a table of cases with their sources,
the flags, the TSC safety property, and a clinic copy that never rewrites a release."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.measures.workup import workup_checklist
from spasmcare.record.model import ETIOLOGY_CATEGORIES, Etiology, Patient, Record
from spasmcare.record.pathway import (
    GeneticTest,
    MetabolicTest,
    Mri,
    Pathway,
    ProposalOverride,
    PyridoxineTrial,
    TscExamination,
)
from spasmcare.therapy.pathway_rules import copy_for_clinic, flags, load_table, propose

TODAY = date(2026, 11, 21)
TABLE = load_table()


def rec(category: str = "unknown", pathway: Pathway = Pathway(), birth: date = date(2026, 1, 10)):
    return Record(
        patient=Patient("p", birth, "male"), etiology=Etiology(category), pathway=pathway
    )


@pytest.mark.parametrize(
    ("category", "guideline", "rule", "first", "source_word", "grade"),
    [
        ("tsc", "nice-ng217", "tsc.vigabatrin-first", "vigabatrin", "UKISS", "FIRM"),
        ("tsc", "aan-cns", "tsc.vigabatrin-first", "vigabatrin", "UKISS", "FIRM"),
        ("tsc", "japan", "tsc.vigabatrin-first", "vigabatrin", "UKISS", "FIRM"),
        ("structural", "nice-ng217", "nice-ng217.non-tsc", "prednisolone + vigabatrin", "NG217",
         "FIRM"),
        ("unknown", "aan-cns", "aan-cns.non-tsc", "ACTH (low dose acceptable)", "Neurology 2012",
         "FIRM"),
        ("genetic", "japan", "japan.non-tsc", "ACTH", "seed 004", "SECONDARY"),
    ],
)
def test_first_line_decisions(
    category: str, guideline: str, rule: str, first: str, source_word: str, grade: str
) -> None:
    proposal = propose(rec(category), guideline, TABLE)
    assert (proposal.rule, proposal.options[0], proposal.grade) == (rule, first, grade)
    assert source_word in proposal.source
    assert proposal.to_dict()["advice"] is True


def test_an_unknown_guideline_is_refused_naming_the_choices() -> None:
    with pytest.raises(InputError) as err:
        propose(rec(), "who", TABLE)
    assert err.value.field == "guideline"
    assert "nice-ng217" in err.value.accepted


@pytest.mark.parametrize(
    ("birth", "pathway", "expected"),
    [
        # 10 months old with focal onset: Epilepsy12 criterion
        (date(2026, 1, 10), Pathway(focal_onset=True), ["surgery-referral"]),
        # 24 months old with focal onset only: not met (under 24 months)
        (date(2024, 11, 21), Pathway(focal_onset=True), []),
        # 23 months: met
        (date(2024, 12, 22), Pathway(focal_onset=True), ["surgery-referral"]),
        # a resectable lesion at any age (ILAE)
        (date(2024, 1, 1), Pathway(mri=Mri(done=date(2026, 5, 1), resectable_lesion=True)),
         ["surgery-referral"]),
        # MRI found no cause, no genetic test: genetics next (NISC)
        (date(2026, 1, 10), Pathway(mri=Mri(done=date(2026, 5, 1), finding="non-diagnostic")),
         ["genetics-next"]),
        # ... unless a genetic test is already requested
        (date(2026, 1, 10), Pathway(mri=Mri(done=date(2026, 5, 1), finding="non-diagnostic"),
                                    genetic_tests=(GeneticTest("exome", date(2026, 5, 2)),)), []),
        (date(2026, 1, 10), Pathway(mri=Mri(done=date(2026, 5, 1), finding="diagnostic")), []),
        (date(2026, 1, 10), Pathway(), []),
    ],
)
def test_flags(birth: date, pathway: Pathway, expected: list[str]) -> None:
    assert [f.id for f in flags(rec(pathway=pathway, birth=birth), TODAY, TABLE)] == expected


overrides = st.lists(
    st.builds(
        ProposalOverride,
        day=st.dates(date(2026, 1, 10), TODAY),
        proposal=st.sampled_from(["tsc.vigabatrin-first", "nice-ng217.non-tsc", "other"]),
        reason=st.text(min_size=1, max_size=20).filter(lambda s: s.strip()),
        chosen=st.none() | st.sampled_from(["ACTH", "prednisolone"]),
    ),
    max_size=3,
)


@given(
    guideline=st.sampled_from(sorted(TABLE.guidelines)),
    focal=st.none() | st.booleans(),
    finding=st.none() | st.sampled_from(["diagnostic", "non-diagnostic"]),
    recorded=overrides,
)
def test_no_tsc_record_is_proposed_a_first_line_without_vigabatrin(
    guideline: str, focal: bool | None, finding: str | None, recorded: list[ProposalOverride]
) -> None:
    mri = Mri(done=date(2026, 5, 1), finding=finding) if finding else None
    record = rec("tsc", Pathway(focal_onset=focal, mri=mri, overrides=tuple(recorded)))
    proposal = propose(record, guideline, TABLE)
    if proposal.override is None:
        assert "vigabatrin" in proposal.options[0]
    else:
        assert proposal.override.reason.strip()
    assert "vigabatrin" in proposal.options[0]  # the advice itself never changes


@given(category=st.sampled_from(ETIOLOGY_CATEGORIES), guideline=st.sampled_from(["nice-ng217"]))
def test_every_etiology_gets_a_proposal(category: str, guideline: str) -> None:
    assert propose(rec(category), guideline, TABLE).options


def test_an_override_with_its_reason_is_carried_by_the_proposal() -> None:
    o = ProposalOverride(date(2026, 5, 1), "nice-ng217.non-tsc", "family preference", "ACTH")
    proposal = propose(rec(pathway=Pathway(overrides=(o,))), "nice-ng217", TABLE)
    assert proposal.to_dict()["override"]["reason"] == "family preference"


def test_a_clinic_copy_is_a_new_version_and_a_tsc_edit_without_vigabatrin_is_refused(
    tmp_path: Path,
) -> None:
    path = copy_for_clinic(tmp_path)
    assert path.name == "first-line.v2.yaml"
    assert load_table(tmp_path).version == 2
    with pytest.raises(InputError):
        copy_for_clinic(tmp_path, TABLE)  # v2 exists: never overwritten
    edited = path.read_text().replace("options: [vigabatrin]", "options: [prednisolone]")
    (tmp_path / "first-line.v3.yaml").write_text(edited.replace("version: 2", "version: 3"))
    with pytest.raises(InputError) as err:
        load_table(tmp_path)
    assert "vigabatrin first" in err.value.accepted


# --- work-up checklist --------------------------------------------------------------------


def states(record: Record, pyridoxine: bool = False) -> list[tuple[str, str]]:
    return [(i.id, i.state) for i in workup_checklist(record, pyridoxine)]


def test_workup_nothing_recorded_follows_the_nisc_order() -> None:
    assert states(rec()) == [
        ("tsc-examination", "to-do"),
        ("mri", "to-do"),
        ("genetic-testing", "to-do"),
        ("metabolic-screen", "to-do"),
        ("pyridoxine-trial", "not-indicated"),
    ]


def test_workup_mri_cause_found_makes_genetics_and_metabolic_not_indicated() -> None:
    p = Pathway(
        tsc_examination=TscExamination(date(2026, 4, 1), False),
        mri=Mri(requested=date(2026, 4, 1), done=date(2026, 4, 20), finding="diagnostic"),
    )
    assert states(rec(pathway=p), pyridoxine=True) == [
        ("tsc-examination", "done"),
        ("mri", "done"),
        ("genetic-testing", "not-indicated"),
        ("metabolic-screen", "not-indicated"),
        ("pyridoxine-trial", "to-do"),
    ]


def test_workup_pending_and_vus_detail() -> None:
    vus = GeneticTest(
        "gene-panel", date(2026, 5, 1), date(2026, 6, 1), "inconclusive", "CDKL5", None, "vus"
    )
    p = Pathway(
        mri=Mri(requested=date(2026, 4, 1)),
        genetic_tests=(vus,),
        metabolic_tests=(MetabolicTest("urine organic acids", date(2026, 6, 2)),),
        pyridoxine_trial=PyridoxineTrial(date(2026, 4, 2), "no-response"),
    )
    items = {i.id: i for i in workup_checklist(rec(pathway=p))}
    assert items["mri"].state == "pending"
    assert items["genetic-testing"].state == "done"
    assert "variant of uncertain significance" in items["genetic-testing"].detail
    assert items["metabolic-screen"].state == "pending"
    assert items["pyridoxine-trial"].state == "done"
