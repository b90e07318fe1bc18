"""NISC sustained response, Mytinger remission at any point and spasm-free at 3 months
(issue 14), on small constructed diaries; each answer worked out by hand from the definition
(day 1 = START = 2 Mar 2026 unless a test says otherwise)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.measures.response import (
    ResponseOptions,
    mytinger_remission_28d,
    nisc_sustained_response,
    spasm_free_3m,
    treatment_measures,
)
from spasmcare.record.model import DiaryEntry, Record, Treatment
from spasmcare.report.data import TREATMENT_KEYS
from tests.measures.builders import START, build, day, days, eeg_on

PRED = Treatment(id="pred", drug="prednisolone", start=START)


def spasms_on(*numbers: int, count: int = 4) -> dict[int, int]:
    return {n: count for n in numbers}


# --- NISC sustained response ------------------------------------------------------------------


def test_nisc_sustained_met_with_last_spasm_on_day_14() -> None:
    # Spasms through day 14 (the last allowed day), days 15-30 recorded spasm-free, EEG on
    # day 20 (START + 19 days, inside 14-28 days) without hypsarrhythmia.
    rec = build(spasms_on(*days(1, 14)), recorded=days(1, 30), eegs=[eeg_on(20, False)])
    r = nisc_sustained_response(rec, PRED)
    assert r.status == "met" and r.value is True
    assert set(r.days_used) == {day(n) for n in days(15, 30)}  # day 20 is both
    assert r.window == (START, day(30))
    assert r.details["eeg_dates"] == [day(20)]


def test_nisc_sustained_not_met_with_a_spasm_after_day_14_or_hypsarrhythmia() -> None:
    late = build(spasms_on(*days(1, 15)), recorded=days(1, 30), eegs=[eeg_on(20, False)])
    r = nisc_sustained_response(late, PRED)
    assert r.status == "not met" and day(15).isoformat() in r.reason
    relapse_by_30 = build(spasms_on(3, 30), recorded=days(1, 30), eegs=[eeg_on(20, False)])
    assert nisc_sustained_response(relapse_by_30, PRED).status == "not met"
    hyps = build(spasms_on(3), recorded=days(1, 30), eegs=[eeg_on(20, True)])
    r = nisc_sustained_response(hyps, PRED)
    assert r.status == "not met" and "hypsarrhythmia" in r.reason


def test_nisc_sustained_missing_day_is_never_spasm_free() -> None:
    rec = build(
        spasms_on(3), recorded=[n for n in days(1, 30) if n != 25], eegs=[eeg_on(20, False)]
    )
    r = nisc_sustained_response(rec, PRED)
    assert r.status == "not assessable" and day(25).isoformat() in r.reason
    assert r.value is None


@pytest.mark.parametrize(
    ("eeg_day", "status"),
    [(14, "not assessable"), (15, "met"), (29, "met"), (30, "not assessable")],
)
def test_nisc_sustained_eeg_window_is_2_to_4_weeks(eeg_day: int, status: str) -> None:
    # 2 weeks after START = day 15 (START + 14 days); 4 weeks = day 29 (START + 28 days).
    rec = build(spasms_on(3), recorded=days(1, 30), eegs=[eeg_on(eeg_day, False)])
    assert nisc_sustained_response(rec, PRED).status == status


def test_nisc_sustained_eeg_without_a_verdict_or_no_eeg() -> None:
    rec = build(spasms_on(3), recorded=days(1, 30), eegs=[eeg_on(20, None)])
    r = nisc_sustained_response(rec, PRED)
    assert r.status == "not assessable" and "does not say" in r.reason
    r = nisc_sustained_response(build(spasms_on(3), recorded=days(1, 30)), PRED)
    assert r.status == "not assessable" and "no EEG" in r.reason


def test_nisc_sustained_day_numbering_from_0_moves_day_30() -> None:
    # With the start as day 0, day 30 is START + 30 = builder day 31, not recorded here.
    rec = build(spasms_on(3), recorded=days(1, 30), eegs=[eeg_on(20, False)])
    r = nisc_sustained_response(rec, PRED, ResponseOptions(first_day_number=0))
    assert r.status == "not assessable" and day(31).isoformat() in r.reason
    # A spasm on builder day 15 is day 14 when counting from 0: still allowed.
    rec = build(spasms_on(15), recorded=days(1, 31), eegs=[eeg_on(20, False)])
    assert nisc_sustained_response(rec, PRED, ResponseOptions(first_day_number=0)).status == "met"
    assert nisc_sustained_response(rec, PRED).status == "not met"


# --- Mytinger 28-day remission at any point ---------------------------------------------------


def test_mytinger_first_run_of_28_days() -> None:
    rec = build(spasms_on(*days(1, 5)), recorded=days(1, 40))
    r = mytinger_remission_28d(rec, PRED)
    assert r.status == "met" and r.value == 6
    assert r.days_used == tuple(day(n) for n in days(6, 33))


def test_mytinger_late_remission_counts() -> None:
    # Spasms until day 50, then 30 spasm-free days: met from day 51 ("at any point").
    rec = build(spasms_on(*days(1, 50)), recorded=days(1, 80))
    r = mytinger_remission_28d(rec, PRED)
    assert r.status == "met" and r.value == 51


def test_mytinger_not_met_when_spasms_break_every_stretch() -> None:
    # Spasms on days 1, 21 and 41: the longest spasm-free runs are 19 days.
    rec = build(spasms_on(1, 21, 41), recorded=days(1, 60))
    r = mytinger_remission_28d(rec, PRED)
    assert r.status == "not met" and r.value is False


def test_mytinger_unrecorded_day_leaves_it_open() -> None:
    # Day 20 unrecorded splits 6-33 into 14 + 20 recorded days: no run, but not ruled out.
    rec = build(spasms_on(*days(1, 5)), recorded=[n for n in days(1, 40) if n != 20])
    r = mytinger_remission_28d(rec, PRED)
    assert r.status == "not assessable" and day(20).isoformat() in r.reason
    short = build({}, recorded=days(1, 20))
    assert mytinger_remission_28d(short, PRED).status == "not assessable"


# --- spasm-free at 3 months -------------------------------------------------------------------


def test_spasm_free_3m_window_ends_on_the_three_month_date() -> None:
    # 2 Mar 2026 + 3 months = 2 Jun 2026 = day 93; 28 days back = day 66 (6 May 2026).
    assert day(93) == date(2026, 6, 2) and day(66) == date(2026, 5, 6)
    ok = build(spasms_on(*days(1, 10), 65), recorded=days(1, 93))
    r = spasm_free_3m(ok, PRED)
    assert r.status == "met" and r.window == (day(66), day(93)) and len(r.days_used) == 28
    bad = build(spasms_on(66), recorded=days(1, 93))
    assert spasm_free_3m(bad, PRED).status == "not met"
    missing = build({}, recorded=days(1, 92))
    r = spasm_free_3m(missing, PRED)
    assert r.status == "not assessable" and day(93).isoformat() in r.reason
    # A 7-day window setting: day 87-93.
    r = spasm_free_3m(bad, PRED, ResponseOptions(spasm_free_3m_window_days=7))
    assert r.status == "met" and r.window == (day(87), day(93))


def test_new_keys_are_in_the_report_and_settings_are_checked() -> None:
    rec = build({}, recorded=days(1, 93))
    keys = set(treatment_measures(rec, PRED))
    assert {"nisc_sustained_response", "mytinger_remission_28d", "spasm_free_3m"} <= keys
    assert keys == set(TREATMENT_KEYS)
    with pytest.raises(InputError, match="relapse_window_days"):
        ResponseOptions(relapse_window_days=0)
    with pytest.raises(InputError, match="nisc_last_spasm_day"):
        ResponseOptions(nisc_last_spasm_day=30)


# --- property: one more spasm day never turns a measure into met -------------------------------

MEASURES = (nisc_sustained_response, mytinger_remission_28d, spasm_free_3m)


def _with_spasm(record: Record, n: int) -> Record:
    extra = DiaryEntry(at=datetime.combine(day(n), time(9, 0)), kind="single", spasms=1)
    return Record(**{**record.__dict__, "diary": (*record.diary, extra)})


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.integers(1, 95), st.integers(0, 3), max_size=12),
    st.sets(st.integers(1, 95), max_size=4),
    st.integers(1, 95),
    st.sampled_from([True, False, None]),
)
def test_adding_a_spasm_day_never_makes_a_measure_met(
    spasms: dict[int, int], unrecorded: set[int], n: int, hyps: bool | None
) -> None:
    rec = build(spasms, recorded=set(days(1, 95)) - unrecorded, eegs=[eeg_on(20, hyps)])
    worse = _with_spasm(rec, n)
    for measure in MEASURES:
        before, after = measure(rec, PRED), measure(worse, PRED)
        if before.status != "met":
            assert after.status != "met", measure.__name__
        if after.status == "met":
            assert before.status == "met"
