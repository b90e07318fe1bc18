"""BASED ≥ 3 relapse flag (Wan et al., drug-protocols.md §5.2): after ACTH only, and not during
the ketogenic diet or on an EEG taken at relapse — regression tests for each wrong case."""

from __future__ import annotations

from datetime import date

from spasmcare.measures.eeg import EegOptions, based_relapse_flag, eeg_rows
from spasmcare.measures.response import relapse
from spasmcare.record.model import DietPeriod, Record, Treatment
from spasmcare.report import build_report
from tests.measures.builders import build, day, days, eeg_on

ACTH = Treatment(id="acth", drug="ACTH (Acthar Gel)", start=day(1))
PRED = Treatment(id="pred", drug="prednisolone", start=day(1))


def _flags(rec: Record, relapse_date: date | None = None) -> list[str]:
    return [f for row in eeg_rows(rec, relapse_date=relapse_date) for f in row["flags"]]


def test_flag_after_acth_at_grade_3_not_2() -> None:
    rec = build({}, treatments=[ACTH], eegs=[eeg_on(14, None, based=3)])
    flags = _flags(rec)
    assert len(flags) == 1 and "after ACTH" in flags[0] and "89.3" in flags[0]
    assert _flags(build({}, treatments=[ACTH], eegs=[eeg_on(14, None, based=2)])) == []
    # The EEG on the ACTH start day is the pre-treatment EEG: not "after ACTH".
    assert _flags(build({}, treatments=[ACTH], eegs=[eeg_on(1, None, based=5)])) == []


def test_regression_no_flag_after_a_non_acth_treatment() -> None:
    # Was raised after any treatment: prednisolone or vigabatrin is not ACTH.
    vgb = Treatment(id="vgb", drug="vigabatrin", start=day(1))
    for t in (PRED, vgb):
        assert _flags(build({}, treatments=[t], eegs=[eeg_on(14, None, based=4)])) == []
    # ACTH as a second course after prednisolone: the EEG after it is flagged.
    later_acth = Treatment(id="acth", drug="tetracosactide", start=day(20))
    rec = build(
        {},
        treatments=[PRED, later_acth],
        eegs=[eeg_on(14, None, based=4), eeg_on(30, None, based=4)],
    )
    rows = eeg_rows(rec)
    assert [bool(r["flags"]) for r in rows] == [False, True]
    # A clinic that counts natural ACTH only narrows the drug list.
    narrow = EegOptions(based_relapse_drugs=("acth",))
    assert based_relapse_flag(rec, rec.eegs[1], None, narrow) is None


def test_regression_no_flag_during_the_diet() -> None:
    # Was raised during the diet: an EEG inside a diet period (open or closed) is not flagged;
    # after the diet stopped it is (ACTH came before).
    diet = DietPeriod(id="kd", diet="classic-kd", start=day(20), stop=day(60))
    rec = build(
        {},
        treatments=[ACTH],
        diets=[diet],
        eegs=[eeg_on(20, None, based=3), eeg_on(61, None, based=3)],
    )
    assert [bool(r["flags"]) for r in eeg_rows(rec)] == [False, True]
    open_diet = DietPeriod(id="kd", diet="classic-kd", start=day(20))
    rec = build({}, treatments=[ACTH], diets=[open_diet], eegs=[eeg_on(90, None, based=5)])
    assert _flags(rec) == []


def test_regression_no_flag_on_an_eeg_taken_at_relapse() -> None:
    # Days 1-35 recorded, spasms on days 1-3, remission days 4-31 (28 days), relapse on day 32.
    rec = build(
        {1: 5, 2: 5, 3: 2, 32: 4},
        recorded=days(1, 35),
        treatments=[ACTH],
        eegs=[eeg_on(14, None, based=3), eeg_on(32, None, based=4), eeg_on(34, None, based=4)],
    )
    r = relapse(rec, ACTH)
    assert r.status == "met" and r.value == day(32)
    rows = eeg_rows(rec, relapse_date=r.value)
    # Day 14 (before the relapse) keeps its flag; day 32 (at relapse) and 34 (after) do not.
    assert [bool(x["flags"]) for x in rows] == [True, False, False]
    # Without the relapse date all three were flagged (the old behaviour).
    assert [bool(x["flags"]) for x in eeg_rows(rec)] == [True, True, True]
    # The report passes the relapse it found to the EEG rows.
    report = build_report(rec)
    assert [bool(x["flags"]) for x in report["eeg"]] == [True, False, False]
