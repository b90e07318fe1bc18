"""Properties: a day made unrecorded never turns a measure into 'met' (responder); the sign
of a percentage change follows the direction of the change."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.measures.response import (
    ResponseOptions,
    elterman_response,
    iciss_response,
    kd_responder,
    nisc_treatment_failure_free_day60,
    percent_change,
    spasm_free_48h_day14,
    ukiss_response,
)
from spasmcare.record.model import DietPeriod, Record
from tests.measures.builders import START, build, day

WINDOW_MEASURES = (
    ukiss_response,
    spasm_free_48h_day14,
    iciss_response,
    elterman_response,
    nisc_treatment_failure_free_day60,
)

diaries = st.dictionaries(st.integers(-7, 62), st.integers(0, 3), max_size=25)
recorded_sets = st.sets(st.integers(-7, 62), min_size=40)


def _without(record: Record, n: int) -> Record:
    """The record with treatment day ``n`` unrecorded and its entries removed."""
    return Record(
        **{
            **record.__dict__,
            "recorded_days": record.recorded_days - {day(n)},
            "diary": tuple(e for e in record.diary if e.day != day(n)),
        }
    )


@settings(max_examples=60, deadline=None)
@given(diaries, recorded_sets, st.integers(-7, 62))
def test_unrecording_a_day_never_creates_a_responder(
    spasms: dict[int, int], recorded: set[int], n: int
) -> None:
    full = build(spasms, recorded=recorded)
    less = _without(full, n)
    for measure in WINDOW_MEASURES:
        treatment = full.treatments[0]
        before, after = measure(full, treatment), measure(less, treatment)
        if before.status != "met":
            assert after.status != "met", measure.__name__


@settings(max_examples=40, deadline=None)
@given(diaries, recorded_sets, st.integers(-7, 62))
def test_unrecording_never_creates_a_diet_responder_in_calendar_mode(
    spasms: dict[int, int], recorded: set[int], n: int
) -> None:
    diet = DietPeriod(id="kd", diet="classic-kd", start=START)
    full = build(spasms, recorded=recorded, diets=[diet])
    opts = ResponseOptions(baseline_mode="calendar")
    if kd_responder(full, diet, 1, opts).status != "met":
        assert kd_responder(_without(full, n), diet, 1, opts).status != "met"


@given(st.floats(0.01, 500), st.floats(0, 500))
def test_percent_change_sign(baseline: float, follow_up: float) -> None:
    change = percent_change(baseline, follow_up)
    if follow_up > baseline:
        assert change > 0
    elif follow_up < baseline:
        assert change < 0
    else:
        assert change == 0
    assert change >= -100.0
