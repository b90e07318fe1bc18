"""Spearman's rank correlation and its two-sided p-value, without loading scipy.stats.

``scipy.stats`` takes about half a second to import, longer than the rest of ``spasmcare report``
together; the adherence measure only needs this one statistic.

* rho is computed as ``scipy.stats.spearmanr`` computes it [2]: the Pearson correlation
  (``numpy.corrcoef``) of the average ranks (ties share the mean of their ranks) [1], so it is
  the same number to the last bit.
* The p-value is two-sided, from Student's t with n − 2 degrees of freedom of
  t = rho·√((n − 2) / ((1 + rho)(1 − rho))), as in scipy [2]: p = I_x(ν/2, 1/2) with
  x = ν / (ν + t²), the regularised incomplete beta function [3, 26.7.1 and 26.5.27], evaluated
  by its continued fraction (modified Lentz) [4] in the tail and as 1 − the finite series of
  Student's distribution for whole ν [3, 26.7.3-4] near the centre. It agrees with scipy's
  (``stdtr``) to better than 1e-11 relative, about 1e-13 typically
  (``tests/measures/test_spearman.py``), far below the 3 significant digits the report shows.

References
----------
1. Spearman C. The proof and measurement of association between two things. Am J Psychol
   1904;15:72-101.
2. SciPy 1.17 ``scipy.stats.spearmanr`` (rank with ``rankdata``, ``np.corrcoef``, p from
   ``stdtr(n − 2, −|t|)``, doubled).
3. Abramowitz M, Stegun IA. Handbook of Mathematical Functions. NBS 1964: 26.7.1 (Student's t
   distribution), 26.7.3-4 (its finite series for odd and even ν), 26.5.27 (its relation to
   the incomplete beta function), 26.5.8 (continued fraction).
4. Press WH, Teukolsky SA, Vetterling WT, Flannery BP. Numerical Recipes, 3rd ed. 2007, §6.4
   (incomplete beta function, continued fraction by the modified Lentz method).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

_TINY = 1e-300
_EPS = 1e-16
_MAX_ITERATIONS = 100_000


def average_ranks(values: Sequence[float]) -> np.ndarray:
    """Ranks 1..n, ties given the mean of the ranks they span (as ``rankdata``, 'average')."""
    x = np.asarray(values, dtype=np.float64)
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x), dtype=np.float64)
    sorted_x = x[order]
    i = 0
    n = len(x)
    while i < n:
        j = i
        while j + 1 < n and sorted_x[j + 1] == sorted_x[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def _continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) (Numerical Recipes ``betacf``)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITERATIONS + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            break
    return h


def _incomplete_beta_tail(a: float, b: float, x: float, one_minus_x: float) -> float:
    """Regularised incomplete beta I_x(a, b) for 0 < x < (a + 1) / (a + b + 2), where its
    continued fraction converges [4] (``one_minus_x`` = 1 − x, given exactly); 0 at x = 0
    (t² overflowed)."""
    if x <= 0.0:
        return 0.0
    log_front = (
        a * math.log(x)
        + b * math.log(one_minus_x)
        + math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
    )
    return math.exp(log_front) * _continued_fraction(a, b, x) / a


def _t_central(t: float, dof: int) -> float:
    """P(|T| < |t|) by the finite series for a whole number of degrees of freedom [3, 26.7.3
    and 26.7.4], with θ = atan(|t| / √ν)."""
    cos2 = dof / (dof + t * t)
    sin = abs(t) / math.sqrt(dof + t * t)
    term = total = 1.0
    if dof % 2 == 1:
        theta = math.atan(abs(t) / math.sqrt(dof))
        if dof == 1:
            return 2.0 / math.pi * theta
        for k in range(1, (dof - 3) // 2 + 1):
            term *= (2 * k) / (2 * k + 1) * cos2
            total += term
        return 2.0 / math.pi * (theta + sin * math.sqrt(cos2) * total)
    for k in range(1, (dof - 2) // 2 + 1):
        term *= (2 * k - 1) / (2 * k) * cos2
        total += term
    return sin * total


def t_two_sided_p(t: float, dof: int) -> float:
    """P(|T| ≥ |t|) for Student's t with ``dof`` degrees of freedom (NaN when dof < 1).

    In the tail the incomplete beta function gives the small p directly (no cancellation);
    nearer the centre, where p is large, 1 − the finite series [3, 26.7.3-4] is more exact."""
    if dof < 1 or math.isnan(t):
        return math.nan
    if math.isinf(t):
        return 0.0
    t2 = t * t
    a, b = dof / 2.0, 0.5
    x = dof / (dof + t2)
    if x < (a + 1.0) / (a + b + 2.0):
        return _incomplete_beta_tail(a, b, x, t2 / (dof + t2))
    return 1.0 - _t_central(t, dof)


def spearman(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """(rho, two-sided p) of two paired samples, as ``scipy.stats.spearmanr(xs, ys)``."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys must be paired (same length)")
    n = len(xs)
    if n <= 1:
        return math.nan, math.nan
    ranked = np.column_stack((average_ranks(xs), average_ranks(ys)))
    rho = float(np.corrcoef(ranked, rowvar=False)[1, 0])
    if math.isnan(rho):
        return math.nan, math.nan
    dof = n - 2
    denominator = (rho + 1.0) * (1.0 - rho)
    if denominator == 0.0:  # rho = ±1: t is infinite (scipy divides by zero to the same end)
        t = math.copysign(math.inf, rho) if dof > 0 else math.nan
    else:
        t = rho * math.sqrt(max(dof / denominator, 0.0))
    return rho, t_two_sided_p(t, dof)
