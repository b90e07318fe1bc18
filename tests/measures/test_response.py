"""Response measures on constructed diaries; each expected answer is worked out by hand from
the definition in the docstring of spasmcare.measures.response (day 1 = treatment start)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from spasmcare.errors import InputError
from spasmcare.measures.diary import DiaryView
from spasmcare.measures.eeg import EegOptions
from spasmcare.measures.response import (
    ResponseOptions,
    baseline_spasms_per_day,
    electroclinical_remission_28d,
    electroclinical_response_day14,
    elterman_response,
    iciss_response,
    index_treatment,
    nisc_treatment_failure_free_day60,
    percent_change,
    percent_change_days_8_14,
    relapse,
    spasm_free_48h_day14,
    spasms_continuing_day7,
    time_to_spasm_cessation,
    treatment_measures,
    ukiss_response,
)
from spasmcare.record.model import DietPeriod, Treatment
from tests.measures.builders import START, build, day, days, eeg_on

PRED = Treatment(id="pred", drug="prednisolone", start=START)


def spasms_on(*numbers: int, count: int = 5) -> dict[int, int]:
    return {n: count for n in numbers}


# --- UKISS / 48 h: days 13 and 14 -------------------------------------------------------------


def test_ukiss_met_when_days_13_14_recorded_spasm_free() -> None:
    # Spasms on days 1-12, none on 13-14, all recorded: "no spasms on days 13 and 14" holds.
    rec = build(spasms_on(*days(1, 12)), recorded=days(1, 20))
    r = ukiss_response(rec, PRED)
    assert (r.status, r.value) == ("met", True)
    assert r.days_used == (day(13), day(14))
    assert r.window == (day(13), day(14))


def test_ukiss_not_met_by_spasm_on_day_14_even_with_day_13_missing() -> None:
    # Day 13 unrecorded but day 14 has a spasm: the outcome fails whatever day 13 was.
    rec = build(spasms_on(14, count=1), recorded=[14])
    r = ukiss_response(rec, PRED)
    assert (r.status, r.value) == ("not met", False)
    assert r.days_used == (day(14),)


def test_ukiss_not_assessable_when_a_day_is_missing() -> None:
    # Day 13 not recorded, day 14 recorded spasm-free: a missing day is never spasm-free.
    rec = build({}, recorded=[14])
    r = ukiss_response(rec, PRED)
    assert r.status == "not assessable" and r.value is None
    assert day(13).isoformat() in r.reason


def test_spasm_seen_on_unrecorded_day_counts() -> None:
    # Day 13 not marked recorded, yet a spasm was entered on it: spasms were seen -> not met.
    rec = build(spasms_on(13, count=1), recorded=[14])
    assert ukiss_response(rec, PRED).status == "not met"


def test_48h_at_day14_is_days_13_and_14() -> None:
    # A spasm on day 12 only: the 48 h ending on day 14 (days 13-14) are free.
    rec = build(spasms_on(12), recorded=days(1, 14))
    assert spasm_free_48h_day14(rec, PRED).status == "met"
    rec = build(spasms_on(13), recorded=days(1, 14))
    assert spasm_free_48h_day14(rec, PRED).status == "not met"


def test_day_zero_numbering_shifts_the_window() -> None:
    # With the start as day 0, "day 13" is START + 13 = our day 14; a spasm on our day 13
    # (= day 12 in that numbering) is outside days 13-14.
    rec = build(spasms_on(13), recorded=days(1, 20))
    assert ukiss_response(rec, PRED).status == "not met"
    r = ukiss_response(rec, PRED, ResponseOptions(first_day_number=0))
    assert r.status == "met" and r.window == (START + timedelta(days=13), START + timedelta(14))


# --- ICISS: days 14-42 --------------------------------------------------------------------------


def test_iciss_window_boundaries() -> None:
    # Spasm on day 13 is before the window; days 14-42 recorded and free -> met.
    assert iciss_response(build(spasms_on(13), recorded=days(1, 42)), PRED).status == "met"
    # Spasm on day 42 is inside (on and between day 14 and day 42) -> not met.
    assert iciss_response(build(spasms_on(42), recorded=days(1, 42)), PRED).status == "not met"
    # Spasm on day 43 is after the window -> still met.
    assert iciss_response(build(spasms_on(43), recorded=days(1, 43)), PRED).status == "met"


def test_iciss_missing_day_30_not_assessable() -> None:
    recorded = [n for n in days(1, 42) if n != 30]
    r = iciss_response(build({}, recorded=recorded), PRED)
    assert r.status == "not assessable" and len(r.days_used) == 28  # 29 window days - day 30


# --- Elterman: 7 consecutive spasm-free days starting within the first 14 ---------------------


def test_elterman_met_run_from_day_8() -> None:
    # Spasms days 1-7, free from day 8: the run 8-14 starts on day 8 (<= 14) -> responder.
    r = elterman_response(build(spasms_on(*days(1, 7)), recorded=days(1, 30)), PRED)
    assert r.status == "met" and r.details["run_start_day"] == 8
    assert r.days_used == tuple(day(n) for n in days(8, 14))


def test_elterman_not_met_spasms_every_7th_day() -> None:
    # Spasms on days 1, 7, 14, 21: every 7-day run starting on days 1-14 holds day 1, 7 or 14
    # (s=1..7 contain 7 or 1; s=8..14 contain 14) -> not a responder.
    rec = build(spasms_on(1, 7, 14, 21), recorded=days(1, 30))
    assert elterman_response(rec, PRED).status == "not met"


def test_elterman_not_assessable_when_the_run_runs_off_the_diary() -> None:
    # Spasms days 1-13; the only possible run starts on day 14 and needs days 14-20, but the
    # diary stops at day 19 -> cannot say.
    rec = build(spasms_on(*days(1, 13)), recorded=days(1, 19))
    assert elterman_response(rec, PRED).status == "not assessable"


# --- NISC: no second treatment and no spasms after day 30, at day 60 ---------------------------


def test_nisc_met_and_day_30_boundary() -> None:
    # A spasm on day 30 is not "after day 30"; days 31-60 free -> met.
    rec = build(spasms_on(30), recorded=days(1, 60))
    r = nisc_treatment_failure_free_day60(rec, PRED)
    assert r.status == "met" and r.window == (day(31), day(60))
    # Both halves of the definition are stated when met.
    assert r.reason.startswith("no second treatment by day 60; days 31-60")
    assert r.favourable is True
    rec = build(spasms_on(31), recorded=days(1, 60))
    assert nisc_treatment_failure_free_day60(rec, PRED).status == "not met"


def test_nisc_second_treatment_mid_window_is_failure() -> None:
    # Treatment switch: vigabatrin started on day 40 -> treatment failure even though the
    # diary is spasm-free; UKISS, judged on the diary, is still met.
    vgb = Treatment(id="vgb", drug="vigabatrin", start=day(40))
    rec = build({}, recorded=days(1, 60), treatments=[PRED, vgb])
    r = nisc_treatment_failure_free_day60(rec, PRED)
    assert r.status == "not met" and "vigabatrin" in r.reason and "day 40" in r.reason
    assert ukiss_response(rec, PRED).status == "met"


def test_nisc_combination_and_continuation_are_not_second_treatments() -> None:
    # Vigabatrin started with prednisolone (ICISS combination) and the prednisolone taper
    # entered as its own treatment continuing the first: neither is a second treatment.
    vgb = Treatment(id="vgb", drug="vigabatrin", start=START)
    taper = Treatment(id="taper", drug="prednisolone", start=day(15), continues="pred")
    rec = build({}, recorded=days(1, 60), treatments=[PRED, vgb, taper])
    assert nisc_treatment_failure_free_day60(rec, PRED).status == "met"


def test_nisc_diet_counts_as_second_treatment() -> None:
    diet = DietPeriod(id="kd", diet="classic-kd", start=day(50))
    rec = build({}, recorded=days(1, 60), diets=[diet])
    assert nisc_treatment_failure_free_day60(rec, PRED).status == "not met"


def test_nisc_missing_day_not_assessable() -> None:
    rec = build({}, recorded=[n for n in days(1, 60) if n != 45])
    assert nisc_treatment_failure_free_day60(rec, PRED).status == "not assessable"


# --- electroclinical ---------------------------------------------------------------------------


def test_electroclinical_met_needs_free_days_and_eeg_without_hyps() -> None:
    rec = build(spasms_on(*days(1, 9)), recorded=days(1, 42), eegs=[eeg_on(14, False)])
    r = electroclinical_response_day14(rec, PRED)
    assert r.status == "met" and r.details["eeg_date"] == day(14)
    assert electroclinical_remission_28d(rec, PRED).status == "met"


def test_electroclinical_not_met_with_hyps_and_not_assessable_without_eeg() -> None:
    base = {"spasms": spasms_on(*days(1, 9)), "recorded": days(1, 42)}
    assert (
        electroclinical_response_day14(build(**base, eegs=[eeg_on(14, True)]), PRED).status
        == "not met"
    )
    assert electroclinical_response_day14(build(**base), PRED).status == "not assessable"
    # An EEG on the start date is the pre-treatment EEG; one on day 15 is after "by day 14".
    for n in (1, 15):
        r = electroclinical_response_day14(build(**base, eegs=[eeg_on(n, False)]), PRED)
        assert r.status == "not assessable"


def test_electroclinical_hyps_inferred_only_when_configured() -> None:
    # The EEG does not say; Kramer total 12. Default: no inference -> not assessable.
    rec = build({}, recorded=days(1, 14), eegs=[eeg_on(14, None, kramer_total=12)])
    assert electroclinical_response_day14(rec, PRED).status == "not assessable"
    # With "total above 9 = hypsarrhythmia" (Kulandaivel): 12 > 9 -> hyps -> not met.
    r = electroclinical_response_day14(rec, PRED, hyps_rule=EegOptions(kramer_hyps_above=9))
    assert r.status == "not met"


def test_remission_28d_broken_by_spasm_on_day_30() -> None:
    rec = build(spasms_on(30), recorded=days(1, 42), eegs=[eeg_on(14, False)])
    assert electroclinical_response_day14(rec, PRED).status == "met"
    assert electroclinical_remission_28d(rec, PRED).status == "not met"


# --- baseline, change, cessation, relapse, day 7 ------------------------------------------------


def test_baseline_recorded_mode_skips_missing_day() -> None:
    # Days -8..-1 before the start are treatment days -8..-1 here (day(0) = START - 1).
    # Counts: day -1: 10, -2: 12, -3: unrecorded, -4..-8: 14. Last 7 recorded days are
    # -1, -2, -4, -5, -6, -7, -8: mean = (10 + 12 + 5 * 14) / 7 = 92 / 7 = 13.143.
    counts = {0: 10, -1: 12, -3: 14, -4: 14, -5: 14, -6: 14, -7: 14}
    rec = build(counts, recorded=[0, -1, -3, -4, -5, -6, -7])
    r = baseline_spasms_per_day(rec, START)
    assert r.status == "measured" and r.value == pytest.approx(92 / 7, abs=1e-3)
    assert day(-2) not in r.days_used and len(r.days_used) == 7
    # Calendar mode needs all 7 calendar days before the start: day -2 is missing.
    r = baseline_spasms_per_day(rec, START, ResponseOptions(baseline_mode="calendar"))
    assert r.status == "not assessable"


def test_percent_change_days_8_14() -> None:
    # Baseline 20/day over 7 days; days 8-14 at 5/day: change = 100 * (5 - 20) / 20 = -75 %.
    counts = {n: 20 for n in range(-6, 1)} | {n: 5 for n in days(8, 14)}
    rec = build(counts, recorded=list(range(-6, 1)) + days(1, 14))
    r = percent_change_days_8_14(rec, PRED)
    assert r.value == pytest.approx(-75.0)
    with pytest.raises(InputError):
        percent_change(0, 3)


def test_time_to_cessation() -> None:
    # Spasms days 1-9, free from day 10 for 7+ days -> cessation on day 10.
    rec = build(spasms_on(*days(1, 9)), recorded=days(1, 20))
    assert time_to_spasm_cessation(rec, PRED).value == 10
    # Day 10 unrecorded: the confirmed run starts on day 11; cessation lies in days 10-11.
    rec = build(spasms_on(*days(1, 9)), recorded=[n for n in days(1, 20) if n != 10])
    r = time_to_spasm_cessation(rec, PRED)
    assert r.value == 11 and r.details["earliest_possible_day"] == 10


def test_relapse_after_28_free_days() -> None:
    # Free days 10-44 (35 days >= 28), spasm on day 45 -> relapse on day 45.
    rec = build(spasms_on(*days(1, 9), 45), recorded=days(1, 50))
    r = relapse(rec, PRED)
    assert r.status == "met" and r.value == day(45)
    assert r.details["remission_days"] == 35


def test_relapse_needs_a_remission() -> None:
    # Only 20 free days (10-29) before spasms return -> no remission to relapse from.
    rec = build(spasms_on(*days(1, 9), 30), recorded=days(1, 40))
    assert relapse(rec, PRED).status == "not assessable"


def test_relapse_window_counts_from_the_start() -> None:
    # Remission from day 10, spasm on day 60, diary to day 70, all recorded.
    rec = build(spasms_on(*days(1, 9), 60), recorded=days(1, 70))
    assert relapse(rec, PRED).value == day(60)
    # Counting relapses only up to treatment day 50: days 10-59 are free -> no relapse.
    r = relapse(rec, PRED, ResponseOptions(relapse_window_days=50))
    assert (r.status, r.value) == ("not met", False) and r.details["window_end"] == day(50)
    # Up to day 60: the spasm on day 60 counts.
    assert relapse(rec, PRED, ResponseOptions(relapse_window_days=60)).status == "met"
    # Open window and no spasm after the remission: no relapse up to the end of the diary.
    r = relapse(build(spasms_on(*days(1, 9)), recorded=days(1, 60)), PRED)
    assert r.status == "not met" and "end of the diary" in r.reason


def test_relapse_unrecorded_days_after_remission() -> None:
    # Remission days 10-45 (36 days), day 46 unrecorded, 47-50 free: no spasm seen but a gap
    # -> cannot say there was no relapse.
    rec = build(spasms_on(*days(1, 9)), recorded=[n for n in days(1, 50) if n != 46])
    assert relapse(rec, PRED).status == "not assessable"
    # Same gap, spasm on day 47 -> relapse on day 47 whatever day 46 was.
    rec = build(spasms_on(*days(1, 9), 47), recorded=[n for n in days(1, 50) if n != 46])
    r = relapse(rec, PRED)
    assert r.status == "met" and r.value == day(47)


def test_day7_decision_from_diary() -> None:
    assert spasms_continuing_day7(build(spasms_on(7), recorded=days(1, 7)), PRED).value is True
    r = spasms_continuing_day7(build(spasms_on(6), recorded=days(1, 7)), PRED)
    assert (r.status, r.value) == ("not met", False) and r.days_used == (day(7),)
    assert r.label == "Spasms continuing at day 7?" and r.reason == "day 7 all recorded spasm-free"
    r = spasms_continuing_day7(build(spasms_on(6), recorded=days(1, 6)), PRED)
    assert r.status == "not assessable" and day(7).isoformat() in r.reason
    # Looking at days 6-7 instead (option): a spasm on day 6 means continuing.
    r = spasms_continuing_day7(
        build(spasms_on(6), recorded=days(1, 7)), PRED, ResponseOptions(day7_days=(6, 7))
    )
    assert r.value is True
    # An answer to act on: neither good nor bad news, whichever way it goes.
    assert r.favourable is None and r.to_dict()["favourable"] is None


def test_polarity_of_results() -> None:
    # UKISS met = response (good news); relapse met = a relapse (bad news); a number: neither.
    rec = build(spasms_on(45), recorded=days(1, 60))
    assert ukiss_response(rec, PRED).favourable is True
    assert relapse(rec, PRED).status == "met" and relapse(rec, PRED).favourable is False
    assert time_to_spasm_cessation(rec, PRED).favourable is None
    rec = build(spasms_on(13), recorded=days(1, 60))
    assert ukiss_response(rec, PRED).to_dict()["favourable"] is False


def test_measures_accept_a_prebuilt_view() -> None:
    rec = build(spasms_on(3, 30), recorded=days(-10, 60))
    view = DiaryView(rec)
    for name, result in treatment_measures(view, PRED).items():
        assert result == treatment_measures(rec, PRED)[name]


def test_a_view_makes_each_day_once_and_walks_overlapping_windows_the_same() -> None:
    """The measures of a report walk overlapping windows of one view: each day is made once
    and read again, and reads as a view made afresh reads it (state by hand: day 3 has 2
    spasms, day 5 is recorded and spasm-free, day 70 is neither recorded nor entered)."""
    rec = build({3: 2}, recorded=days(1, 60))
    view = DiaryView(rec)
    first = list(view.days(day(1), day(70)))
    again = list(view.days(day(3), day(80)))
    assert all(a is b for a, b in zip(first[2:], again, strict=False))
    fresh = list(DiaryView(rec).days(day(1), day(80)))
    assert list(view.days(day(1), day(80))) == fresh
    assert [fresh[n - 1].state for n in (3, 5, 70)] == ["spasms", "spasm-free", "unknown"]


def test_index_treatment_and_unknown_id() -> None:
    taper = Treatment(id="taper", drug="prednisolone", start=day(-5), continues="pred")
    vgb = Treatment(id="vgb", drug="vigabatrin", start=day(30))
    rec = build({}, treatments=[vgb, taper, PRED])
    found = index_treatment(rec)
    assert found is not None and found.id == "pred"
    with pytest.raises(InputError) as err:
        index_treatment(rec, "nope")
    assert err.value.field == "treatment"
