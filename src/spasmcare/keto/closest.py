"""The closest meal to the dietitian's intended portions, warm-started, with its optimality gap.

What "closest" means here
-------------------------
Among all amounts in whole steps that meet every constraint of the meal solver (the ratio,
energy and protein tolerances, the foods' minimum, maximum and fixed amounts, a food either
absent or at least at its minimum, any extra row such as a feed's volume), the closest meal
minimises the **weighted sum of absolute deviations from the intended portions**::

    closeness = Σ_i  w_i × |amount_i − intended_i|        (in each food's unit, g or mL)

over the foods that have an intended portion (a food without one may take any allowed amount at
no cost). ``w_i`` is 1 by default (a swapped-in food, anchored at the replaced food's amount,
has 0.1). The absolute values are linearised with one auxiliary variable per food
(``d_i ≥ amount_i − intended_i`` and ``d_i ≥ intended_i − amount_i``), so the problem stays a
mixed-integer *linear* program. This is an optimisation choice of the project, not a clinical
rule: no clinical source says which of several meals meeting the prescription is best; the one
that moves the dietitian's portions least is simply the least surprising to them.

How it is found
---------------
The meal solver's first answer (tolerance bands, then whole-step moves) is a feasible meal; it
is handed to HiGHS as a starting solution (``Highs.setSolution``), so the search begins with an
incumbent and its objective is an upper bound from the first node. HiGHS then either proves the
optimum (``optimal``, gap 0 within ``mip_rel_gap``) or stops at the time limit with the best
amounts found and the remaining relative gap between them and the proved lower bound. The
amounts returned are never worse than the start: if HiGHS's answer scored worse (it cannot, but
the check is cheap) the start is kept.

References
----------
1. Huangfu Q, Hall JAJ. Parallelizing the dual revised simplex method. Math Prog Comp
   2018;10:119–142 (HiGHS; highspy, its Python interface, takes a MIP starting solution).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

_INF = highspy.kHighsInf

#: HiGHS without highspy's callback layer: ``highspy.Highs()`` enables callbacks in its
#: constructor, which prints HiGHS's banner to standard output before any option can silence it
#: (it would corrupt ``--json`` output); the core class takes the same calls and prints nothing.
_Highs = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)


@dataclass(frozen=True)
class ClosestArrays:
    """One meal's data per *step* of each food (one step = its resolution).

    ``rows`` are the hard constraints on the step vector ``k``: ``row_lb ≤ rows @ k ≤ row_ub``
    (ratio, energy, protein, extra rows, with the solver's safety margins already applied).
    ``intended`` is NaN for a food without an intended portion.
    """

    step: np.ndarray
    lo_steps: np.ndarray
    hi_steps: np.ndarray
    fixed: np.ndarray
    rows: np.ndarray
    row_lb: np.ndarray
    row_ub: np.ndarray
    intended: np.ndarray
    weight: np.ndarray


@dataclass(frozen=True)
class ClosestResult:
    """Steps per food, their closeness, and whether HiGHS proved them the closest."""

    steps: np.ndarray
    closeness: float
    optimal: bool
    #: Relative gap between the closeness found and HiGHS's proved lower bound (0 = proved).
    gap: float
    #: The bound itself, in the closeness's unit (weighted g or mL).
    lower_bound: float
    #: HiGHS stopped at its time limit: the best amounts found, not proved closest.
    time_limited: bool


def closeness(arrays: ClosestArrays, steps: np.ndarray) -> float:
    """Σ w_i |amount_i − intended_i| over the foods with an intended portion."""
    has = ~np.isnan(arrays.intended)
    amounts = np.asarray(steps, dtype=float) * arrays.step
    dev = np.abs(amounts[has] - arrays.intended[has])
    return float(dev @ arrays.weight[has])


def _lp(arrays: ClosestArrays) -> highspy.HighsLp:
    """The MILP: columns k (n whole steps) | v (n, 1 = food left out) | d (one per intended
    food, ≥ |amount − intended|); minimise Σ w d."""
    n = len(arrays.step)
    idx = [int(i) for i in np.flatnonzero(~np.isnan(arrays.intended))]
    nv = 2 * n + len(idx)
    cost = np.zeros(nv)
    for j, i in enumerate(idx):
        cost[2 * n + j] = arrays.weight[i]
    col_lb = np.zeros(nv)
    col_ub = np.full(nv, _INF)
    col_lb[:n] = np.where(arrays.fixed, arrays.hi_steps, 0.0)
    col_ub[:n] = arrays.hi_steps
    col_ub[n : 2 * n] = np.where(arrays.fixed, 0.0, 1.0)
    a_rows: list[np.ndarray] = []
    a_lb: list[float] = []
    a_ub: list[float] = []

    def add(row: np.ndarray, lb: float, ub: float) -> None:
        a_rows.append(row)
        a_lb.append(lb)
        a_ub.append(ub)

    for i in range(n):
        r = np.zeros(nv)  # k ≤ U (1 − v)
        r[i], r[n + i] = 1.0, arrays.hi_steps[i]
        add(r, -_INF, float(arrays.hi_steps[i]))
        r = np.zeros(nv)  # k ≥ L (1 − v)
        r[i], r[n + i] = 1.0, arrays.lo_steps[i]
        add(r, float(arrays.lo_steps[i]), _INF)
    for row, lb, ub in zip(arrays.rows, arrays.row_lb, arrays.row_ub, strict=True):
        r = np.zeros(nv)
        r[:n] = row
        add(r, float(lb), float(ub))
    for j, i in enumerate(idx):
        a = float(arrays.intended[i])
        r = np.zeros(nv)  # step k − d ≤ a
        r[i], r[2 * n + j] = arrays.step[i], -1.0
        add(r, -_INF, a)
        r = np.zeros(nv)  # step k + d ≥ a
        r[i], r[2 * n + j] = arrays.step[i], 1.0
        add(r, a, _INF)
    lp = highspy.HighsLp()
    lp.num_col_ = nv
    lp.num_row_ = len(a_rows)
    lp.col_cost_ = cost
    lp.col_lower_ = col_lb
    lp.col_upper_ = col_ub
    lp.row_lower_ = np.array(a_lb)
    lp.row_upper_ = np.array(a_ub)
    dense = np.array(a_rows)
    cols = [np.flatnonzero(dense[:, c]) for c in range(nv)]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.cumsum([0] + [len(c) for c in cols]).astype(np.int32)
    lp.a_matrix_.index_ = np.concatenate(cols).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate([dense[c, k] for k, c in enumerate(cols)])
    lp.integrality_ = [highspy.HighsVarType.kInteger] * (2 * n) + [
        highspy.HighsVarType.kContinuous
    ] * len(idx)
    return lp


def _start_columns(arrays: ClosestArrays, k0: np.ndarray) -> list[float]:
    """The full column vector (k, v, d) of a step vector, for HiGHS's starting solution."""
    n = len(arrays.step)
    idx = np.flatnonzero(~np.isnan(arrays.intended))
    v0 = np.where((k0 <= 0) & ~arrays.fixed, 1.0, 0.0)
    d0 = np.abs(k0[idx] * arrays.step[idx] - arrays.intended[idx])
    return [float(x) for x in np.concatenate([k0[:n], v0, d0])]


def solve_closest(
    arrays: ClosestArrays,
    start: np.ndarray | None,
    *,
    time_limit_s: float = 0.5,
    mip_rel_gap: float = 1e-9,
) -> ClosestResult | None:
    """The closest whole-step amounts, warm-started from ``start`` (a feasible step vector).

    Returns None only when HiGHS finds no amounts at all (no start given and none exist).
    """
    n = len(arrays.step)
    h = _Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    h.passModel(_lp(arrays))
    start_score = None
    if start is not None:
        k0 = np.asarray(start, dtype=float)
        sol = highspy.HighsSolution()
        sol.col_value = _start_columns(arrays, k0)
        h.setSolution(sol)
        start_score = closeness(arrays, k0)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    solution = h.getSolution()
    time_limited = status == highspy.HighsModelStatus.kTimeLimit
    if not (solution.value_valid and info.primal_solution_status == 2):
        if start is None or start_score is None:
            return None
        k0 = np.asarray(start, dtype=float)
        return ClosestResult(k0, start_score, False, math.inf, 0.0, time_limited)
    steps = np.round(np.asarray(solution.col_value)[:n])
    score = closeness(arrays, steps)
    if start_score is not None and score > start_score + 1e-9:
        steps, score = np.asarray(start, dtype=float), start_score
    optimal = status == highspy.HighsModelStatus.kOptimal
    return ClosestResult(
        steps=steps,
        closeness=score,
        optimal=optimal,
        gap=0.0 if optimal else max(float(info.mip_gap), 0.0),
        lower_bound=float(info.mip_dual_bound),
        time_limited=time_limited,
    )
