"""Clinic outcomes: Kaplan-Meier by hand and against scipy, de-identified cohort rows from
hand-built records, response rates as exact fractions, the CSV column order."""

from __future__ import annotations

import csv
import io
import json
import math
import warnings
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from spasmcare.errors import InputError
from spasmcare.measures.cohort import (
    BINARY_MEASURES,
    COLUMNS,
    THERAPY_GROUPS,
    CohortOptions,
    KMStep,
    cohort_notes,
    cohort_rows,
    kaplan_meier,
    km_by_group,
    km_median,
    measure_definitions,
    pseudonym,
    response_rates,
    rows_to_csv,
    therapy_group,
)
from spasmcare.measures.response import ResponseOptions, index_ids, treatment_measures
from spasmcare.record import record_from_json
from spasmcare.record.model import DietPeriod, Etiology, Patient, Record, Treatment
from tests.measures.builders import START, build, day, days

ROOT = Path(__file__).resolve().parents[2]

# --- Kaplan-Meier ----------------------------------------------------------------------------


def test_kaplan_meier_six_subjects_by_hand() -> None:
    # Six subjects (days): 2 event, 3 event, 3 censored, 5 event, 6 censored, 8 event.
    # t=2: n=6, d=1 -> S = 5/6;          Greenwood sum V = 1/(6*5)          = 1/30
    # t=3: n=5, d=1, c=1 (event first)   -> S = 5/6 * 4/5 = 2/3;  V = 1/30 + 1/(5*4) = 1/12
    # t=5: n=3 (5 - 1 event - 1 censored), d=1 -> S = 2/3 * 2/3 = 4/9; V = 1/12 + 1/(3*2) = 1/4
    # t=6: n=2, censored only -> S stays 4/9
    # t=8: n=1, d=1 -> S = 0 (Greenwood divides by n - d = 0: SE undefined)
    # SE = S sqrt(V): t=2 5/6*sqrt(1/30) = 0.152145; t=3 2/3*sqrt(1/12) = 0.192450; t=5 2/9.
    steps = kaplan_meier([5, 3, 8, 2, 6, 3], [1, 0, True, 1, False, 1])
    assert [(s.time_days, s.n_at_risk, s.events, s.censored) for s in steps] == [
        (2.0, 6, 1, 0),
        (3.0, 5, 1, 1),
        (5.0, 3, 1, 0),
        (6.0, 2, 0, 1),
        (8.0, 1, 1, 0),
    ]
    assert [s.survival for s in steps] == pytest.approx([5 / 6, 2 / 3, 4 / 9, 4 / 9, 0.0])
    assert steps[0].std_error == pytest.approx(0.152145155, abs=1e-9)
    assert steps[1].std_error == pytest.approx(0.192450090, abs=1e-9)
    assert steps[2].std_error == pytest.approx(2 / 9)
    assert steps[4].std_error is None and steps[4].ci_lower is None
    # Log-log interval at t=5: a = 1.959964 * sqrt(1/4) / |ln(4/9)| = 0.979982 / 0.810930
    # = 1.208463; lower = (4/9)^exp(a) = (4/9)^3.348213 = 0.066187,
    # upper = (4/9)^exp(-a) = (4/9)^0.298667 = 0.784908.
    assert steps[2].ci_lower == pytest.approx(0.0661868, abs=1e-6)
    assert steps[2].ci_upper == pytest.approx(0.7849084, abs=1e-6)
    assert steps[3].ci_lower == steps[2].ci_lower  # a censoring changes nothing
    assert km_median(steps) == 5.0  # first time with S <= 0.5


def test_kaplan_meier_edge_cases() -> None:
    assert kaplan_meier([], []) == []
    # All censored: survival stays 1, standard error 0, log-log interval undefined.
    steps = kaplan_meier([4, 1, 4], [0, 0, 0])
    assert [(s.time_days, s.n_at_risk, s.censored, s.survival) for s in steps] == [
        (1.0, 3, 1, 1.0),
        (4.0, 2, 2, 1.0),
    ]
    assert all(s.std_error == 0.0 and s.ci_lower is None and s.ci_upper is None for s in steps)
    assert km_median(steps) is None
    # Two events and one censoring at the same time: the events come first, so the censored
    # subject is at risk: S = 1 - 2/3 = 1/3, not 1 - 2/2 = 0.
    (step,) = kaplan_meier([7, 7, 7], [1, 1, 0])
    assert (step.n_at_risk, step.events, step.censored) == (3, 2, 1)
    assert step.survival == pytest.approx(1 / 3)
    # V = 2/(3*1) = 2/3; SE = 1/3 * sqrt(2/3) = 0.272166.
    assert step.std_error == pytest.approx(0.2721655, abs=1e-7)
    # An event at time 0 (spasms ceased on the start date) is allowed.
    assert kaplan_meier([0, 3], [1, 0])[0].survival == 0.5


def test_kaplan_meier_confidence_level() -> None:
    # 90 %: z = 1.644854; at t=5 of the six-subject example a = 1.644854 * 0.5 / 0.810930
    # = 1.014177; lower = (4/9)^exp(1.014177) = (4/9)^2.757090 = exp(-2.235808) = 0.106905.
    steps = kaplan_meier([2, 3, 3, 5, 6, 8], [1, 1, 0, 1, 0, 1], confidence=0.90)
    assert steps[2].ci_lower == pytest.approx(0.106905, abs=1e-6)


@pytest.mark.parametrize(
    ("durations", "events", "kwargs", "field"),
    [
        ([1, 2], [1], {}, "events"),
        ([1, -2], [1, 1], {}, "durations_days[1]"),
        ([1, math.nan], [1, 1], {}, "durations_days[1]"),
        (["3"], [1], {}, "durations_days[0]"),
        ([1, 2], [1, 2], {}, "events[1]"),
        ([1], [1], {"confidence": 1.0}, "confidence"),
    ],
)
def test_kaplan_meier_bad_input(
    durations: list[float], events: list[int], kwargs: dict[str, float], field: str
) -> None:
    with pytest.raises(InputError) as err:
        kaplan_meier(durations, events, **kwargs)
    assert err.value.field == field


samples = st.lists(st.tuples(st.integers(0, 40), st.booleans()), min_size=1, max_size=40).map(
    lambda xs: ([float(t) for t, _ in xs], [e for _, e in xs])
)


@settings(max_examples=150, deadline=None)
@given(samples)
def test_kaplan_meier_properties(sample: tuple[list[float], list[bool]]) -> None:
    durations, flags = sample
    steps = kaplan_meier(durations, flags)
    assert steps[0].n_at_risk == len(durations)
    assert sum(s.events + s.censored for s in steps) == len(durations)
    assert sum(s.events for s in steps) == sum(flags)
    for earlier, later in zip(steps, steps[1:], strict=False):
        assert later.time_days > earlier.time_days
        assert later.survival <= earlier.survival
        assert later.n_at_risk < earlier.n_at_risk
        assert later.n_at_risk == earlier.n_at_risk - earlier.events - earlier.censored
    for s in steps:
        assert 0.0 <= s.survival <= 1.0
        if s.ci_lower is not None and s.ci_upper is not None:
            assert 0.0 <= s.ci_lower <= s.survival <= s.ci_upper <= 1.0


@settings(max_examples=100, deadline=None)
@given(samples)
def test_kaplan_meier_agrees_with_scipy(sample: tuple[list[float], list[bool]]) -> None:
    # scipy.stats.ecdf: product-limit survival function and its "log-log" (exponential
    # Greenwood) interval, an independent implementation of the same formulas.
    durations, flags = sample
    steps = kaplan_meier(durations, flags)
    data = stats.CensoredData(
        uncensored=[t for t, e in zip(durations, flags, strict=True) if e],
        right=[t for t, e in zip(durations, flags, strict=True) if not e],
    )
    result = stats.ecdf(data)
    assert [s.time_days for s in steps] == list(result.sf.quantiles)
    assert [s.survival for s in steps] == pytest.approx(list(result.sf.probabilities), abs=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = result.sf.confidence_interval(0.95, method="log-log")
    for s, low, high in zip(steps, ci.low.probabilities, ci.high.probabilities, strict=True):
        if s.ci_lower is None:
            assert s.survival in (0.0, 1.0)
        else:
            assert (s.ci_lower, s.ci_upper) == pytest.approx((low, high), abs=1e-9)


# --- therapy groups --------------------------------------------------------------------------


def course_of(*drugs: str) -> tuple[Treatment, ...]:
    return tuple(Treatment(id=f"t{i}", drug=d, start=START) for i, d in enumerate(drugs))


@pytest.mark.parametrize(
    ("drugs", "group"),
    [
        ((), "none"),
        (("prednisolone",), "prednisolone"),
        (("Prednisolone oral solution",), "prednisolone"),
        (("tetracosactide depot",), "acth/tetracosactide"),
        (("ACTH (Acthar Gel)",), "acth/tetracosactide"),
        (("vigabatrin",), "vigabatrin"),
        (("prednisolone", "vigabatrin"), "hormone+vigabatrin"),
        (("tetracosactide depot", "Vigabatrin"), "hormone+vigabatrin"),
        (("prednisolone", "tetracosactide"), "other"),
        (("prednisolone", "vigabatrin", "pyridoxine"), "other"),
        (("topiramate",), "other"),
        (("prednisone",), "other"),  # a different substance: not grouped unless configured
    ],
)
def test_therapy_group(drugs: tuple[str, ...], group: str) -> None:
    assert therapy_group(course_of(*drugs)) == group
    assert group in THERAPY_GROUPS


# --- cohort rows -----------------------------------------------------------------------------

TODAY = day(100)


def patient(record: Record, pid: str, **kw: object) -> Record:
    return replace(record, patient=replace(record.patient, id=pid, name="Secret Name", **kw))


def responder_a() -> Record:
    """Prednisolone; 7 baseline days of 10 spasms (days -6..0); 5 spasms on days 1-4; recorded
    spasm-free days 5-70; onset 120 days after birth; structural etiology."""
    spasms = {n: 10 for n in days(-6, 0)} | {n: 5 for n in days(1, 4)}
    rec = build(spasms, recorded=days(-6, 70))
    rec = replace(rec, etiology=Etiology("structural"))
    return patient(rec, "A", onset_date=rec.patient.birth_date + timedelta(days=120))


def nonresponder_b() -> Record:
    """Prednisolone + vigabatrin started together; 4 spasms/day at baseline; 3 spasms every day
    1-20 (all recorded), no diary after day 20."""
    spasms = {n: 4 for n in days(-6, 0)} | {n: 3 for n in days(1, 20)}
    treatments = (
        Treatment(id="pred", drug="prednisolone", start=START),
        Treatment(id="vgb", drug="vigabatrin", start=START),
    )
    return patient(build(spasms, recorded=days(-6, 20), treatments=treatments), "B")


def diet_only_c() -> Record:
    """No drug: a ketogenic diet started on day 1, still running; genetic etiology."""
    diet = DietPeriod(id="kd", diet="classic-kd", start=START)
    rec = build({}, recorded=days(1, 10), treatments=(), diets=[diet])
    return patient(replace(rec, etiology=Etiology("genetic", gene="CDKL5")), "C")


def tetracosactide_d() -> Record:
    """Tetracosactide, continued by a prednisolone taper from day 15 (not a second treatment);
    vigabatrin added on day 20 (a second treatment); spasm-free days 1-10 recorded, no
    baseline; a mad diet from day 40 to day 50."""
    treatments = (
        Treatment(id="tcs", drug="tetracosactide depot", start=START),
        Treatment(id="taper", drug="prednisolone", start=day(15), continues="tcs"),
        Treatment(id="vgb", drug="vigabatrin", start=day(20)),
    )
    diet = DietPeriod(id="kd", diet="mad", start=day(40), stop=day(50))
    return patient(build({}, recorded=days(1, 10), treatments=treatments, diets=[diet]), "D")


def partial_f() -> Record:
    """Prednisolone; spasms on days 1-3, recorded days -6..12 and 15..30 (13-14 unrecorded)."""
    spasms = {n: 2 for n in days(-6, 0)} | {n: 1 for n in days(1, 3)}
    return patient(build(spasms, recorded=[*days(-6, 12), *days(15, 30)]), "F")


def failure_g() -> Record:
    """Prednisolone; 2 spasms every day 1-14 (recorded), diary ends on day 14."""
    return patient(build({n: 2 for n in days(1, 14)}, recorded=days(1, 14)), "G")


KEYS = {"A": "k-a", "B": "k-b", "C": "k-c", "D": "k-d", "F": "k-f", "G": "k-g"}


def all_rows() -> list[dict[str, object]]:
    records = [
        failure_g(),
        responder_a(),
        nonresponder_b(),
        diet_only_c(),
        tetracosactide_d(),
        partial_f(),
    ]
    return cohort_rows(records, TODAY, keys=KEYS)


def by_key(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {r["key"]: r for r in rows}


def test_rows_are_sorted_by_key_and_have_the_fixed_columns() -> None:
    rows = all_rows()
    assert [r["key"] for r in rows] == ["k-a", "k-b", "k-c", "k-d", "k-f", "k-g"]
    assert all(tuple(r) == COLUMNS for r in rows)


def test_row_of_a_responder() -> None:
    a = by_key(all_rows())["k-a"]
    assert a["sex"] == "female" and a["etiology"] == "structural"
    # Onset 120 days after birth: 120 / (365.25 / 12) = 3.94250513... months (exact, not 3.9).
    assert a["age_at_onset_months"] == 120 / (365.25 / 12)
    assert (a["gestation_weeks"], a["gestation_days"]) == (40, 0)
    assert (a["therapy"], a["first_line_drugs"]) == ("prednisolone", "prednisolone")
    assert (a["ketogenic_diet"], a["diet_kind"], a["diet_start_day"]) == (False, None, None)
    # Baseline: 7 recorded days x 10 spasms / 7 = 10; day 7 spasm-free -> not continuing;
    # days 8-14 all 0 -> change (0 - 10) / 10 = -100 %.
    assert a["baseline_spasms_per_day"] == 10.0
    assert a["spasms_continuing_day7"] is False
    assert a["percent_change_days_8_14"] == -100.0
    # UKISS 13-14, 48 h, Elterman (run from day 5), ICISS 14-42, NISC 31-60: all spasm-free.
    for m in ("ukiss_response", "spasm_free_48h_day14", "elterman_response", "iciss_response"):
        assert a[f"{m}_favourable"] is True
    assert a["nisc_treatment_failure_free_day60_favourable"] is True
    # No EEG: the electroclinical answers are unknown (None), not False.
    assert a["electroclinical_response_day14_favourable"] is None
    assert a["electroclinical_remission_28d_favourable"] is None
    # Remission days 5-32, then spasm-free to day 70: no relapse -> favourable.
    assert a["relapse_favourable"] is True
    # Cessation on day 5 = 4 days after the start date; event.
    assert (a["cessation_days"], a["cessation_event"]) == (4, True)
    assert a["second_treatment_day"] is None
    assert a["follow_up_days"] == 69  # day 70 is 69 days after the start date


def test_row_of_a_combination_non_responder() -> None:
    b = by_key(all_rows())["k-b"]
    assert (b["therapy"], b["first_line_drugs"]) == (
        "hormone+vigabatrin",
        "prednisolone+vigabatrin",
    )
    # Baseline 4/day; days 8-14 at 3/day -> (3 - 4) / 4 = -25 %.
    assert b["baseline_spasms_per_day"] == 4.0 and b["percent_change_days_8_14"] == -25.0
    assert b["spasms_continuing_day7"] is True
    assert b["ukiss_response_favourable"] is False and b["iciss_response_favourable"] is False
    assert b["electroclinical_response_day14_favourable"] is False  # clinical part not met
    # Days 31-60 not recorded, no spasm there, no second treatment: NISC unknown.
    assert b["nisc_treatment_failure_free_day60_favourable"] is None
    assert b["relapse_favourable"] is None  # no remission to relapse from
    # Not ceased by the last diary day (day 20 = 19 days after the start): a run could be
    # confirmed only if it started by 19 - 6 = 13 days -> censored at 13.
    assert (b["cessation_days"], b["cessation_event"]) == (13, False)


def test_row_without_treatment_and_with_a_diet() -> None:
    c = by_key(all_rows())["k-c"]
    assert (c["therapy"], c["first_line_drugs"]) == ("none", None)
    assert (c["ketogenic_diet"], c["diet_kind"], c["on_diet_today"]) == (True, "classic-kd", True)
    assert c["etiology"] == "genetic"
    measure_columns = COLUMNS[COLUMNS.index("diet_start_day") :]
    assert all(c[name] is None for name in measure_columns if name != "on_diet_today")


def test_row_of_tetracosactide_with_a_taper_and_a_second_treatment() -> None:
    d = by_key(all_rows())["k-d"]
    # The prednisolone taper continues tetracosactide: not part of the first-line group.
    assert (d["therapy"], d["first_line_drugs"]) == ("acth/tetracosactide", "tetracosactide")
    assert d["second_treatment_day"] == 19  # vigabatrin on day 20 = 19 days after the start
    assert (d["diet_kind"], d["diet_start_day"], d["on_diet_today"]) == ("mad", 39, False)
    assert d["baseline_spasms_per_day"] is None  # no recorded baseline
    assert (d["cessation_days"], d["cessation_event"]) == (0, True)  # spasm-free from day 1


def test_rows_keep_unknown_apart_from_unfavourable() -> None:
    f = by_key(all_rows())["k-f"]
    assert f["ukiss_response_favourable"] is None  # days 13-14 not recorded
    assert f["elterman_response_favourable"] is True  # days 4-10 spasm-free
    assert (f["cessation_days"], f["cessation_event"]) == (3, True)  # run from day 4
    g = by_key(all_rows())["k-g"]
    assert g["ukiss_response_favourable"] is False
    assert (g["cessation_days"], g["cessation_event"]) == (7, False)  # 13 - 6


def test_too_short_follow_up_is_left_out_of_kaplan_meier() -> None:
    # Spasms on days 1-3 and a diary ending on day 3: censoring would fall before the start.
    short = patient(build({1: 2, 2: 2, 3: 2}, recorded=days(1, 3)), "S")
    (row,) = cohort_rows([short], TODAY, keys={"S": "k-s"})
    assert (row["cessation_days"], row["cessation_event"]) == (None, None)


def test_no_identifying_data_in_rows_or_csv() -> None:
    rows = all_rows()
    text = rows_to_csv(rows) + json.dumps(rows)
    for secret in ("Secret Name", "CDKL5", "2025-10-01", START.isoformat(), '"A"'):
        assert secret not in text


def test_pseudonymous_keys_from_a_salt() -> None:
    salt = "clinic-secret-0123456789"
    rows = cohort_rows([responder_a(), failure_g()], TODAY, salt=salt)
    expected = sorted([pseudonym("A", salt), pseudonym("G", salt)])
    assert [r["key"] for r in rows] == expected
    assert len(expected[0]) == 16 and all(c in "0123456789abcdef" for c in expected[0])
    assert pseudonym("A", salt) != pseudonym("A", salt + "x") != "A"
    # HMAC-SHA-256 is reproducible: same salt, same key.
    assert pseudonym("A", salt.encode()) == pseudonym("A", salt)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "keys"),
        ({"keys": {"A": "k"}, "salt": "0123456789abcdefg"}, "keys"),
        ({"salt": "short"}, "salt"),
        ({"keys": {"A": "k"}}, "keys"),  # G has no key
        ({"keys": {"A": "k", "G": "k"}}, "keys"),  # duplicate
        ({"keys": {"A": "A", "G": "g"}}, "keys"),  # the id itself
    ],
)
def test_key_errors(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as err:
        cohort_rows([responder_a(), failure_g()], TODAY, **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_drug_classes_are_configurable() -> None:
    prednisone = patient(build({}, treatments=course_of("prednisone")), "P")
    options = CohortOptions(drug_classes={"prednisone": "prednisolone"})
    (row,) = cohort_rows([prednisone], TODAY, keys={"P": "k"}, options=options)
    assert row["therapy"] == "prednisolone"


def test_example_record_row() -> None:
    rec = record_from_json(
        (ROOT / "examples" / "iess-synthetic-infant.json").read_text(), today=date(2026, 11, 21)
    )
    (row,) = cohort_rows([rec], date(2026, 11, 21), keys={"demo-0001": "x1"})
    # Prednisolone from 1 Jun; spasms continuing on day 7; spasm-free from 10 Jun (day 10, so
    # 9 days); vigabatrin from 23 Jul (52 days); classic KD from 10 Aug (70 days).
    assert (row["therapy"], row["spasms_continuing_day7"]) == ("prednisolone", True)
    assert (row["cessation_days"], row["cessation_event"]) == (9, True)
    assert (row["second_treatment_day"], row["diet_start_day"]) == (52, 70)
    # Onset 18 May 2026, birth 12 Jan 2026: 126 days = 126 / 30.4375 months.
    assert row["age_at_onset_months"] == 126 / (365.25 / 12)
    assert (row["gestation_weeks"], row["gestation_days"]) == (35, 2)


# --- rates, curves, CSV ----------------------------------------------------------------------


def test_response_rates_exact_fractions_and_unknowns() -> None:
    rates = response_rates(all_rows(), by=("therapy",))
    pred_ukiss = next(
        r
        for r in rates
        if r["group"] == {"therapy": "prednisolone"} and r["measure"] == "ukiss_response"
    )
    # Prednisolone: A favourable, F unknown (days 13-14 unrecorded), G unfavourable.
    assert pred_ukiss == {
        "group": {"therapy": "prednisolone"},
        "measure": "ukiss_response",
        "n": 3,
        "n_favourable": 1,
        "n_unfavourable": 1,
        "n_unknown": 1,
        "n_known": 2,
        "rate": Fraction(1, 2),
    }
    none_relapse = next(
        r for r in rates if r["group"] == {"therapy": "none"} and r["measure"] == "relapse"
    )
    assert (none_relapse["n"], none_relapse["n_unknown"], none_relapse["rate"]) == (1, 1, None)
    groups = [r["group"]["therapy"] for r in rates if r["measure"] == "ukiss_response"]
    assert groups == ["acth/tetracosactide", "hormone+vigabatrin", "none", "prednisolone"]


def test_response_rates_cross_groups_whole_cohort_and_errors() -> None:
    rows = all_rows()
    cross = response_rates(rows, by=("therapy", "etiology"), measures=("elterman_response",))
    assert [tuple(r["group"].values()) for r in cross] == [
        ("acth/tetracosactide", "unknown"),
        ("hormone+vigabatrin", "unknown"),
        ("none", "genetic"),
        ("prednisolone", "structural"),
        ("prednisolone", "unknown"),
    ]
    # Prednisolone / unknown etiology = F (Elterman met) and G (not met): 1/2.
    assert cross[-1]["rate"] == Fraction(1, 2)
    (whole,) = response_rates(rows, by=(), measures=("elterman_response",))
    # A yes, B no, C unknown, D: days 1-7 spasm-free -> yes, F yes, G no -> 3/5.
    assert (whole["n"], whole["n_known"], whole["rate"]) == (6, 5, Fraction(3, 5))
    with pytest.raises(InputError) as err:
        response_rates(rows, by=("patient_id",))
    assert err.value.field == "by"
    with pytest.raises(InputError) as err:
        response_rates(rows, measures=("cessation_days",))
    assert err.value.field == "measures"


def test_km_by_group_from_rows() -> None:
    curves = km_by_group(all_rows(), "therapy")
    assert list(curves) == sorted(curves)
    # Prednisolone: F event at 3, A event at 4, G censored at 7.
    # S(3) = 2/3, S(4) = 2/3 * 1/2 = 1/3, S(7) = 1/3.
    pred = curves["prednisolone"]
    assert [(s.time_days, s.n_at_risk, s.events, s.censored) for s in pred] == [
        (3.0, 3, 1, 0),
        (4.0, 2, 1, 0),
        (7.0, 1, 0, 1),
    ]
    assert [s.survival for s in pred] == pytest.approx([2 / 3, 1 / 3, 1 / 3])
    assert curves["none"] == []  # C has no treatment: no time to cessation
    assert [s.censored for s in curves["hormone+vigabatrin"]] == [1]
    assert isinstance(pred[0], KMStep) and pred[0].to_dict()["n_at_risk"] == 3
    with pytest.raises(InputError):
        km_by_group(all_rows(), "name")


def test_csv_columns_cells_and_dropped_keys() -> None:
    rows = all_rows()
    extra = [{**rows[0], "name": "Secret Name"}]
    text = rows_to_csv(extra)
    assert "Secret Name" not in text and text.endswith("\n")
    # k = 1: generalisation only (onset age in whole months, gestation in completed weeks)
    table = list(csv.reader(io.StringIO(rows_to_csv(rows, k=1))))
    assert tuple(table[0]) == COLUMNS and len(table) == len(rows) + 1
    a = dict(zip(COLUMNS, table[1], strict=True))
    assert a["key"] == "k-a" and a["ketogenic_diet"] == "false" and a["diet_kind"] == ""
    # onset 120 days after birth = 3.94 months: released as whole month "3", never exact
    assert a["age_at_onset_months"] == "3"
    assert (a["gestation_weeks"], a["gestation_days"]) == ("40", "")
    # the default k = 5: six infants with different quasi-identifiers are generalised, and
    # any left in a group smaller than 5 are left out
    default = list(csv.DictReader(io.StringIO(rows_to_csv(rows))))
    assert all(
        sum(
            (o["sex"], o["age_at_onset_months"], o["gestation_weeks"], o["etiology"])
            == (r["sex"], r["age_at_onset_months"], r["gestation_weeks"], r["etiology"])
            for o in default
        )
        >= 5
        for r in default
    )
    assert a["electroclinical_response_day14_favourable"] == ""  # unknown
    assert a["cessation_days"] == "4" and a["cessation_event"] == "true"
    with pytest.raises(InputError) as err:
        rows_to_csv([{"key": "x"}])
    assert err.value.field == "rows[0].sex"


def test_today_is_validated() -> None:
    with pytest.raises(InputError):
        cohort_rows([responder_a()], "2026-06-01", keys={"A": "k"})  # type: ignore[arg-type]


def test_same_start_and_patient_fields_do_not_leak_into_rows() -> None:
    # Two records identical but for id, name and birth date give identical rows apart from
    # the key (and the onset age, which depends on the birth date: none given here).
    one = patient(failure_g(), "G1")
    two = replace(
        patient(failure_g(), "G2"),
        patient=Patient(id="G2", birth_date=date(2025, 9, 1), sex="female", name="Other"),
    )
    r1, r2 = cohort_rows([one, two], TODAY, keys={"G1": "a", "G2": "b"})
    assert {k: v for k, v in r1.items() if k != "key"} == {
        k: v for k, v in r2.items() if k != "key"
    }


def test_definitions_carry_the_measures_own_sources() -> None:
    defs = measure_definitions()
    assert [d["key"] for d in defs] == list(BINARY_MEASURES)
    # The source shown beside a rate is the one the measure itself reports.
    rec = responder_a()
    results = treatment_measures(rec, rec.treatments[0])
    for d in defs:
        assert d["source"] == results[d["key"]].source, d["key"]
    by_key = {d["key"]: d for d in defs}
    assert by_key["electroclinical_remission_28d"]["favourable"].endswith("days 15 to 42")
    assert by_key["relapse"]["label"] == "No relapse"  # relapse_favourable = no relapse
    assert cohort_notes()["source"] == results["time_to_spasm_cessation"].source


def test_definitions_follow_the_options() -> None:
    options = CohortOptions(
        response=ResponseOptions(
            remission_days=21, confirm_days=5, first_day_number=0, relapse_window_days=270
        )
    )
    by_key = {d["key"]: d for d in measure_definitions(options)}
    assert by_key["electroclinical_remission_28d"]["favourable"].endswith("days 15 to 35")
    assert by_key["relapse"]["favourable"].endswith("to treatment day 270")
    notes = cohort_notes(options)
    assert "last diary day minus 4 days" in notes["censoring"]  # 5-day run: 5 - 1
    assert notes["day_numbering"].endswith("which is day 0")


def test_index_ids_is_the_course_without_later_drugs() -> None:
    rec = tetracosactide_d()
    # tcs + its taper (continues it); vigabatrin on day 20 is a second treatment.
    assert index_ids(rec, rec.treatments[0]) == {"tcs", "taper"}
    combo = nonresponder_b()
    assert index_ids(combo, combo.treatments[0]) == {"pred", "vgb"}  # started together
