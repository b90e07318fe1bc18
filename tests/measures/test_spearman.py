"""spasmcare.measures.spearman against scipy.stats.spearmanr (the reference implementation)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import stdtr
from scipy.stats import rankdata, spearmanr

from spasmcare.measures.spearman import average_ranks, spearman, t_two_sided_p

#: p-values agree with scipy's to this relative difference (or this absolute one near 0)
REL, ABS = 1e-11, 1e-300


def _scipy(xs: list[float], ys: list[float]) -> tuple[float, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = spearmanr(xs, ys)
    return float(result.statistic), float(result.pvalue)


def _agree(xs: list[float], ys: list[float]) -> None:
    rho, p = spearman(xs, ys)
    ref_rho, ref_p = _scipy(xs, ys)
    if math.isnan(ref_rho):
        assert math.isnan(rho)
        return
    assert rho == ref_rho  # the same operations: equal to the last bit
    assert p == pytest.approx(ref_p, rel=REL, abs=ABS), (xs, ys)


pairs = st.integers(min_value=3, max_value=250).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.one_of(
                st.integers(min_value=0, max_value=60).map(float),  # spasm counts: many ties
                st.floats(min_value=0, max_value=8, allow_nan=False),  # ketones
            ),
            min_size=n,
            max_size=n,
        ),
        st.lists(st.integers(min_value=0, max_value=40).map(float), min_size=n, max_size=n),
    )
)


@settings(max_examples=150)
@given(pairs)
def test_rho_and_p_equal_scipy(data: tuple[list[float], list[float]]) -> None:
    xs, ys = data
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        return  # constant input: the measure never asks (it says "does not vary")
    _agree(xs, ys)


@settings(max_examples=200)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=60))
def test_average_ranks_equal_rankdata(values: list[float]) -> None:
    assert np.array_equal(average_ranks(values), rankdata(values))


@pytest.mark.parametrize("dof", [1, 2, 3, 5, 10, 30, 100, 700])
@pytest.mark.parametrize("t", [0.0, 0.01, 0.5, 1.0, 2.0, 3.5, 8.0, 40.0, 1e4])
def test_t_distribution_tail_equals_scipy(dof: int, t: float) -> None:
    assert t_two_sided_p(t, dof) == pytest.approx(2 * float(stdtr(dof, -t)), rel=REL, abs=ABS)
    assert t_two_sided_p(-t, dof) == t_two_sided_p(t, dof)


def test_edge_cases() -> None:
    _agree([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0])  # rho = 1, p = 0
    _agree([1.0, 2.0, 3.0, 4.0], [8.0, 6.0, 4.0, 2.0])  # rho = -1
    _agree([1.0, 2.0, 3.0], [1.0, 3.0, 2.0])  # one degree of freedom
    assert all(math.isnan(v) for v in spearman([1.0], [2.0]))
    assert math.isnan(spearman([1.0, 2.0], [2.0, 1.0])[1])  # no degree of freedom
    with pytest.raises(ValueError, match="paired"):
        spearman([1.0, 2.0], [1.0])


def test_the_long_synthetic_record_gets_scipys_numbers() -> None:
    import datetime

    from spasmcare.demo import long_record
    from spasmcare.measures.adherence import adherence_rows
    from spasmcare.measures.diary import as_view
    from spasmcare.record import record_from_dict

    today = datetime.date(2026, 12, 1)
    rec = record_from_dict(long_record(today).record, today=today)
    view = as_view(rec)
    checked = 0
    for diet in rec.diet_periods:
        rows = adherence_rows(view, diet)
        for column in ("bhb_mmol_l", "achieved_ratio"):
            pairs = [
                (r[column], r["spasms"])
                for r in rows
                if r[column] is not None and r["spasms"] is not None
            ]
            if len(pairs) >= 7:
                xs, ys = (list(v) for v in zip(*pairs, strict=True))
                _agree(xs, ys)
                checked += 1
    assert checked >= 2
