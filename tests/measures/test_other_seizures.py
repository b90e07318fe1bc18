"""The first other seizure after spasm cessation (issue 23 item 6), by hand on small diaries;
other seizures never change a spasm measure."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.measures.cohort import cohort_row
from spasmcare.measures.other_seizures import first_other_seizure_after_cessation
from spasmcare.measures.response import treatment_measures
from spasmcare.record.seizures import SEIZURE_TYPES, OtherSeizure
from tests.measures.builders import START, build, day, days


def seizure(n: int, kind: str, hour: int = 9) -> OtherSeizure:
    return OtherSeizure(at=datetime.combine(day(n), time(hour, 0)), type=kind)


# spasms on days 1-2, none recorded from day 3 to day 30: cessation on day 3 (first day of the
# 7-day spasm-free run 3-9, Elterman's confirmation)
BASE = build(spasms={1: 5, 2: 3}, recorded=days(1, 30))


def test_first_other_seizure_after_cessation_by_hand() -> None:
    rec = replace(
        BASE,
        other_seizures=(seizure(2, "focal"), seizure(20, "tonic-clonic"), seizure(25, "myoclonic")),
    )
    result = first_other_seizure_after_cessation(rec, rec.treatments[0])
    # the focal seizure on day 2 came before cessation (day 3); day 20 - day 3 = 17 days
    assert result.status == "met" and result.value == 17
    assert result.details["date"] == day(20)
    assert result.details["type"] == "tonic-clonic"
    assert result.details["cessation_date"] == day(3)
    assert result.favourable is False
    assert "Fisher" in result.source


def test_a_seizure_on_the_cessation_day_is_zero_days_after() -> None:
    rec = replace(BASE, other_seizures=(seizure(3, "atonic", hour=23), seizure(3, "absence", 6)))
    result = first_other_seizure_after_cessation(rec, rec.treatments[0])
    assert (result.value, result.details["type"]) == (0, "absence")  # the earlier one


def test_no_other_seizure_since_cessation_is_not_met() -> None:
    rec = replace(BASE, other_seizures=(seizure(1, "tonic"),))
    result = first_other_seizure_after_cessation(rec, rec.treatments[0])
    assert result.status == "not met" and result.value is None
    assert result.details["cessation_date"] == day(3)


def test_without_cessation_it_is_not_assessable() -> None:
    rec = build(spasms={n: 2 for n in days(1, 10)}, recorded=days(1, 10))
    rec = replace(rec, other_seizures=(seizure(5, "tonic"),))
    result = first_other_seizure_after_cessation(rec, rec.treatments[0])
    assert result.status == "not assessable"


def test_cohort_row_carries_days_and_type() -> None:
    rec = replace(BASE, other_seizures=(seizure(20, "tonic-clonic"),))
    row = cohort_row(rec, "k", day(40))
    assert row["other_seizure_after_cessation_days"] == 17
    assert row["other_seizure_after_cessation_type"] == "tonic-clonic"
    assert cohort_row(BASE, "k", day(40))["other_seizure_after_cessation_days"] is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 30), st.sampled_from(SEIZURE_TYPES), st.integers(0, 23)),
        max_size=8,
        unique=True,
    )
)
def test_other_seizures_never_change_a_spasm_measure(entries: list[tuple[int, str, int]]) -> None:
    rec = build(spasms={1: 5, 2: 3, 12: 1}, recorded=days(-3, 30))
    with_others = replace(rec, other_seizures=tuple(seizure(n, k, h) for n, k, h in entries))
    t = rec.treatments[0]
    before = {k: m.to_dict() for k, m in treatment_measures(rec, t).items()}
    after = {k: m.to_dict() for k, m in treatment_measures(with_others, t).items()}
    assert before == after
    assert START == day(1)


def test_the_report_shows_the_measure_for_the_index_course() -> None:
    from spasmcare.report import ReportOptions, build_report

    rec = replace(BASE, other_seizures=(seizure(20, "tonic-clonic"),))
    report = build_report(rec, ReportOptions(today=day(40)))
    m = report["measures"]["first_other_seizure_after_cessation"]
    assert (m["status"], m["value"]) == ("met", 17)
    empty = build_report(BASE, ReportOptions(today=day(40)))
    assert empty["measures"]["first_other_seizure_after_cessation"]["status"] == "not met"
