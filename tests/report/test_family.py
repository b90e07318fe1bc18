"""The family printout's content: doses in force and the warning signs of "when to call"."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.measures.labs import LabThresholds
from spasmcare.measures.status import dose_on
from spasmcare.record import Record, record_from_json
from spasmcare.record.model import Dose, Treatment
from spasmcare.report.family import (
    call_the_team,
    family_advice,
    is_acth,
    is_hormonal,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"
TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def record() -> Record:
    return record_from_json(EXAMPLE.read_text(), today=TODAY)


def test_hormonal_and_acth_names() -> None:
    assert is_hormonal("prednisolone") and is_hormonal("Prednisolone oral solution")
    assert is_hormonal("tetracosactide depot") and is_hormonal("ACTH (Acthar Gel)")
    assert not is_hormonal("vigabatrin") and not is_hormonal("topiramate")
    assert is_acth("ACTH") and is_acth("corticotropin")
    assert not is_acth("tetracosactide") and not is_acth("prednisolone")


def test_dose_in_force_follows_the_record_rule(record: Record) -> None:
    vgb = record.treatment("vgb1")
    pred = record.treatment("pred1")
    assert vgb is not None and pred is not None
    # vigabatrin: 50 from 23 Jul, 100 from 24 Jul, 150 mg/kg/day from 26 Jul (no stop)
    assert dose_on(vgb, date(2026, 7, 22)) is None  # not started
    assert dose_on(vgb, date(2026, 7, 23)).amount == 50  # type: ignore[union-attr]
    assert dose_on(vgb, date(2026, 7, 25)).amount == 100  # type: ignore[union-attr]
    today = dose_on(vgb, TODAY)
    assert today is not None and (today.amount, today.unit) == (150, "mg/kg/day")
    # prednisolone: 60 mg/day from 8 Jun; stopped 28 Jun
    assert dose_on(pred, date(2026, 6, 10)).amount == 60  # type: ignore[union-attr]
    assert dose_on(pred, date(2026, 6, 28)).amount == 10  # type: ignore[union-attr]
    assert dose_on(pred, date(2026, 6, 29)) is None


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=6, unique=True))
def test_dose_in_force_is_the_latest_started(offsets: list[int]) -> None:
    start = date(2026, 1, 1)
    doses = tuple(
        Dose(date.fromordinal(start.toordinal() + o), float(o + 1), "mg/day") for o in offsets
    )
    t = Treatment("t", "prednisolone", start, None, doses=tuple(reversed(doses)))
    on = date(2026, 1, 31)
    found = dose_on(t, on)
    started = [d for d in doses if d.start <= on]
    if not started:
        assert found is None
    else:
        assert found == max(started, key=lambda d: d.start)


def test_example_child_now_keto_and_vigabatrin(record: Record) -> None:
    sections = call_the_team(record, TODAY)
    assert [s.key for s in sections] == ["keto", "course:vgb1"]
    keto = sections[0]
    text = " ".join(s.sign for s in keto.signs)
    # thresholds from spasmcare.measures.labs: glucose <= 2.5, BHB > 6 high, > 5 above target
    assert "2.5 mmol/L or lower" in text
    assert "above 6 mmol/L" in text and "above 5 mmol/L" in text
    assert all(s.source for s in keto.signs)
    # issue 19: the diet by its name and the day as people write it (was "classic-kd from
    # 2026-08-10" on the printout)
    assert keto.because == ("classic ketogenic diet from 10 Aug 2026",)
    vgb = sections[1]
    assert any("vision test" in s.sign for s in vgb.signs)
    assert all("Westall" in s.source or "Sabril" in s.source for s in vgb.signs)


def test_on_prednisolone_the_adrenal_crisis_signs(record: Record) -> None:
    sections = call_the_team(record, date(2026, 6, 10))
    keys = [s.key for s in sections]
    # prednisolone is in force; vigabatrin (July) and the diet (August) start later, and a
    # printout covers what is coming as well
    assert keys == ["hormonal", "keto", "course:pred1", "course:vgb1"]
    hormonal = sections[0]
    assert hormonal.applies
    adrenal = hormonal.signs[0]
    assert adrenal.urgency == "urgent"
    assert "adrenal crisis" in adrenal.sign
    for sign in ("cold, clammy skin", "fast heartbeat or fast breathing", "poor feeding"):
        assert sign in adrenal.sign
    assert "UK Infantile Spasms Trust" in adrenal.source
    assert any("fever" in s.sign.lower() and "Royal Children" in s.source for s in hormonal.signs)
    # the live-vaccine advice comes from ACTH materials: not listed for prednisolone alone
    assert not any("vaccine" in s.sign for s in hormonal.signs)
    # ... but the prednisolone protocol's own advice (family-visible) follows
    assert "course:pred1" in keys


def test_planned_later_counts_and_acth_adds_vaccines(record: Record) -> None:
    acth = Treatment("acth1", "ACTH", date(2026, 12, 1), None)
    later = dataclasses.replace(record, treatments=record.treatments + (acth,))
    sections = call_the_team(later, TODAY)
    hormonal = next(s for s in sections if s.key == "hormonal")
    assert hormonal.applies
    assert any("live vaccine" in s.sign for s in hormonal.signs)


def test_nothing_current_lists_every_general_section(record: Record) -> None:
    bare = dataclasses.replace(record, treatments=(), diet_periods=())
    sections = call_the_team(bare, TODAY)
    assert [s.key for s in sections] == ["hormonal", "keto"]
    assert not any(s.applies for s in sections)
    # a saved keto plan alone makes the diet section apply
    sections = call_the_team(bare, TODAY, keto_plan=True)
    assert [(s.key, s.applies) for s in sections] == [("keto", True)]


def test_plan_advice_replaces_the_protocol_file_and_duplicates_go(record: Record) -> None:
    advice = {"vgb1": [("Keep every eye appointment.", ["clinic leaflet"])]}
    sections = call_the_team(record, TODAY, plan_advice=advice)
    vgb = next(s for s in sections if s.key == "course:vgb1")
    assert [(s.sign, s.source) for s in vgb.signs] == [
        ("Keep every eye appointment.", "clinic leaflet")
    ]
    first = call_the_team(record, TODAY)[0].signs[0].sign
    same = {"vgb1": [(first, ["x"])]}
    assert [s.key for s in call_the_team(record, TODAY, plan_advice=same)] == ["keto"]


def test_clinic_thresholds_reach_the_printout(record: Record) -> None:
    mine = LabThresholds(glucose_low_mmol_l=3.0, bhb_high_mmol_l=5.5)
    text = " ".join(s.sign for s in call_the_team(record, TODAY, thresholds=mine)[0].signs)
    assert "3 mmol/L or lower" in text and "above 5.5 mmol/L" in text


def test_family_advice_leaves_out_unconfirmed_items() -> None:
    items = family_advice("prednisolone-high-dose")
    texts = [t for t, _ in items]
    assert any("adrenal crisis" in t for t in texts)
    assert all(src for _, src in items)
    with pytest.raises(InputError):
        family_advice("no-such-protocol")


def test_unknown_protocol_is_named(record: Record) -> None:
    data = json.loads(EXAMPLE.read_text())
    data["treatments"][1]["protocol"] = "vigabatrin-typo"
    with pytest.raises(InputError) as err:
        call_the_team(record_from_json(json.dumps(data), today=TODAY), TODAY)
    assert err.value.field == "treatments[vgb1].protocol"
