"""Milestone windows, corrected age and the review prompt (spasmcare.measures.development).

Expected values are written out by hand from the cited sources: the WHO Motor Development
Study windows (Acta Paediatr Suppl 2006;450:86-95) and the ASQ practice of correcting the age
of a baby born before 37 completed weeks until 24 months of chronological age.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.measures import development as dev


def test_the_six_who_windows_exactly_as_published() -> None:
    published = [
        ("sitting without support", 3.8, 9.2),
        ("standing with assistance", 4.8, 11.4),
        ("hands-and-knees crawling", 5.2, 13.5),
        ("walking with assistance", 5.9, 13.7),
        ("standing alone", 6.9, 16.9),
        ("walking alone", 8.2, 17.6),
    ]
    assert [(w.label, w.start_months, w.end_months) for w in dev.WHO_WINDOWS] == published


def test_sitting_is_the_milestone_whose_window_ends_at_9_2_months() -> None:
    ends = {w.id: w.end_months for w in dev.WHO_WINDOWS}
    assert [k for k, v in ends.items() if v == 9.2] == ["who-sitting-without-support"]


def test_sitting_boundary_9_19_versus_9_21_months_corrected() -> None:
    assert dev.window_passed("who-sitting-without-support", 9.19) is False
    assert dev.window_passed("who-sitting-without-support", 9.2) is False  # end of window
    assert dev.window_passed("who-sitting-without-support", 9.21) is True


def _born(months: float, on: date) -> date:
    return on - timedelta(days=round(months * dev.DAYS_PER_MONTH))


def test_review_due_for_sitting_at_9_21_not_at_9_19_months() -> None:
    on = date(2026, 6, 1)
    # term baby: corrected = chronological; days chosen so the age is 9.19 / 9.21 months
    early = dev.review_due({}, on - timedelta(days=280), on)  # 280 d = 9.199 months
    late = dev.review_due({}, on - timedelta(days=281), on)  # 281 d = 9.232 months
    assert [r.milestone for r in early] == []
    assert [r.milestone for r in late] == ["who-sitting-without-support"]
    assert "not a diagnosis" in late[0].message
    assert "prompts an assessment" in late[0].message
    # reached before the end of the window: no prompt
    reached = {"who-sitting-without-support": on - timedelta(days=30)}
    assert dev.review_due(reached, on - timedelta(days=281), on) == []


def test_corrected_age_32_week_infant_at_6_and_25_months() -> None:
    # 32 weeks: 40 - 32 = 8 weeks = 56 days early.
    birth = date(2025, 1, 1)
    assert dev.weeks_early(32) == 8.0
    six = date(2025, 7, 1)  # 181 days after birth, 5.95 months chronological
    assert dev.corrected_age_months(birth, six, 32) == pytest.approx((181 - 56) / 30.4375)
    assert dev.corrected_age_months(birth, six, 32) == pytest.approx(4.107, abs=0.001)
    # 25 months: correction stopped at 24 months chronological, so corrected = chronological
    twenty_five = date(2027, 2, 1)  # 761 days
    assert dev.corrected_age_months(birth, twenty_five, 32) == pytest.approx(761 / 30.4375)
    assert dev.corrected_age_months(birth, twenty_five, 32) == pytest.approx(25.0, abs=0.01)


def test_no_correction_at_37_weeks_correction_at_36_weeks_6_days() -> None:
    birth, on = date(2025, 1, 1), date(2025, 4, 1)  # 90 days
    assert dev.corrected_age_months(birth, on, 37, 0) == pytest.approx(90 / 30.4375)
    assert dev.corrected_age_months(birth, on, 36, 6) == pytest.approx((90 - 22) / 30.4375)


def test_corrected_age_before_birth_is_refused() -> None:
    with pytest.raises(InputError) as exc:
        dev.corrected_age_months(date(2025, 1, 2), date(2025, 1, 1))
    assert exc.value.field == "date"


def test_preterm_delays_the_prompt_by_the_weeks_born_early() -> None:
    on = date(2026, 6, 1)
    # 281 days old: term -> due; born at 32 weeks -> corrected 225 days = 7.4 months -> not due
    assert dev.review_due({}, on - timedelta(days=281), on, 32) == []


@given(
    st.integers(min_value=0, max_value=1500),
    st.integers(min_value=22, max_value=42),
    st.integers(min_value=0, max_value=6),
)
def test_corrected_age_never_exceeds_chronological(days: int, weeks: int, extra: int) -> None:
    birth = date(2024, 1, 1)
    on = birth + timedelta(days=days)
    corrected = dev.corrected_age_months(birth, on, weeks, extra)
    chronological = days / dev.DAYS_PER_MONTH
    assert corrected <= chronological
    if chronological >= 24 or weeks >= 37:
        assert corrected == chronological


def test_cdc_milestones_cover_the_visit_ages_to_24_months_with_unique_ids() -> None:
    assert sorted(dev.CDC_MOVEMENT_MILESTONES) == [2, 4, 6, 9, 12, 15, 18, 24]
    assert set(dev.CDC_MOVEMENT_MILESTONES) <= set(dev.CDC_VISIT_MONTHS)
    ids = dev.milestone_ids()
    assert len(ids) == len(set(ids))
    assert dev.milestone_label("cdc-9m-sits-without-support") == "sits without support"


def test_the_record_schema_lists_the_same_milestone_ids() -> None:
    text = (resources.files("spasmcare.record") / "schema" / "record-schema-v1.json").read_text()
    schema = json.loads(text)
    assert tuple(schema["$defs"]["development_milestone_id"]["enum"]) == dev.milestone_ids()


def test_cdc_movement_items_per_visit_age() -> None:
    # counts per age of the 2022 movement / physical-development items (see the module notes)
    counts = {m: len(items) for m, items in dev.CDC_MOVEMENT_MILESTONES.items()}
    assert counts == {2: 3, 4: 5, 6: 3, 9: 4, 12: 4, 15: 2, 18: 6, 24: 4}
    # 2022 revision: sitting without support at 9 months, walking alone at 18 months
    assert "cdc-9m-sits-without-support" in dev.CDC_MOVEMENT_MILESTONES[9]
    assert "cdc-18m-walks-alone" in dev.CDC_MOVEMENT_MILESTONES[18]
