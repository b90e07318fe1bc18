"""The diary view's windows (issue 21): a window is a slice of the span's days made once, the
same days, in the same order, as made one by one; Mytinger's "some stretch of n days has no
spasms" in one pass equals the scan of every window it replaced."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.measures.diary import DiaryView, stretch_without_spasms
from tests.measures.builders import build, day

#: a diary over treatment days 1-40: spasms on some days, some days marked recorded
diaries = st.tuples(
    st.dictionaries(st.integers(1, 40), st.integers(0, 3), max_size=40),
    st.sets(st.integers(1, 40), max_size=40),
)


@settings(max_examples=150, deadline=None)
@given(diaries, st.integers(-10, 50), st.integers(-10, 50))
def test_a_window_is_the_days_made_one_by_one(
    diary: tuple[dict[int, int], set[int]], a: int, b: int
) -> None:
    spasms, recorded = diary
    view = DiaryView(build(spasms, recorded))
    first, last = day(a), day(b)
    expected = [view.day(first + timedelta(days=n)) for n in range((last - first).days + 1)]
    # inside, across the edges of the span, outside it and empty; twice (the kept span)
    for _ in range(2):
        got = list(view.days(first, last))
        assert got == expected
        assert all(g is e for g, e in zip(got, expected, strict=True))  # the same objects
    naive = DiaryView(build(spasms, recorded))
    assert [(d.day, d.recorded, d.spasms, d.clusters) for d in got] == [
        (d.day, d.recorded, d.spasms, d.clusters)
        for d in (naive.day(first + timedelta(days=n)) for n in range((last - first).days + 1))
    ]


@settings(max_examples=200, deadline=None)
@given(diaries, st.integers(-1, 45))
def test_one_pass_stretch_equals_every_window_scanned(
    diary: tuple[dict[int, int], set[int]], n_days: int
) -> None:
    spasms, recorded = diary
    view = DiaryView(build(spasms, recorded))
    if view.first is None or view.last is None:
        return
    days = list(view.days(view.first, view.last))
    scanned = [
        s
        for s in range(max(0, len(days) - n_days + 1))
        if not any(d.state == "spasms" for d in days[s : s + n_days])
    ]
    if len(days) >= n_days:
        assert stretch_without_spasms(days, n_days) == bool(scanned)
