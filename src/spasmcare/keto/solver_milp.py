"""The meal solver's engine: one problem as arrays per scale step, the MILP in tolerance bands,
the whole-step polish and the closest meal to intended portions.

The method is described in :mod:`spasmcare.keto.solver`.

References
----------
1. Huangfu Q, Hall JAJ. Parallelizing the dual revised simplex method. Math Prog Comp
   2018;10:119–142 (HiGHS, the solver behind scipy.optimize.milp / linprog).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from spasmcare.keto.analysis import (
    MacrosPerGram,
    MealAnalysis,
    Portion,
    analyze,
    carb_basis_ratio_warning,
    food_warnings,
    macros_per_gram,
)
from spasmcare.keto.closest import ClosestArrays, closeness, solve_closest
from spasmcare.keto.ratio import (
    CarbBasis,
    kcal_9_4_4,
)
from spasmcare.keto.solver_model import (
    _INF,
    MealFood,
    MealProblem,
    MealSolution,
    SolvedItem,
    SolverOptions,
    _steps,
    violations,
)


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------
@dataclass
class _Model:
    """Arrays of one problem, per *step* of each food (one step = its resolution)."""

    problem: MealProblem
    per_unit: list[MacrosPerGram]
    step: np.ndarray  # units per step
    fat: np.ndarray  # per step
    protein: np.ndarray
    carb: np.ndarray
    lo_steps: np.ndarray  # minimum when used
    hi_steps: np.ndarray
    fixed: np.ndarray  # bool
    crumb_steps: np.ndarray  # steps below which a used food is a crumb (at least 1)
    #: The foods' cautions (for an infeasible result; a solved one has its analysis's).
    warnings: list[str]

    @property
    def n(self) -> int:
        return len(self.step)

    @property
    def kcal(self) -> np.ndarray:
        return np.asarray(kcal_9_4_4(self.fat, self.protein, self.carb))


def _per_unit(mf: MealFood, carbs: CarbBasis) -> MacrosPerGram:
    return macros_per_gram(mf.food, carbs, mf.unit)


def _build(problem: MealProblem) -> _Model:
    opts = problem.options
    target, tol = problem.target, problem.tolerances
    kcal_max = target.kcal * (1 + tol.kcal_pct / 100.0)
    per_unit, steps, lo, hi, fixed, warnings = [], [], [], [], [], []
    for mf in problem.foods:
        pu = _per_unit(mf, problem.carbs)
        warnings.extend(food_warnings(mf.food, pu))
        ratio_note = carb_basis_ratio_warning(mf.food, problem.carbs, mf.unit)
        if ratio_note:
            warnings.append(ratio_note)
        res = mf.resolution if mf.resolution is not None else problem.resolution
        per_unit.append(pu)
        steps.append(res)
        if mf.fixed_amount is not None:
            k = _steps(mf.fixed_amount, res, "exact")
            lo.append(k)
            hi.append(k)
            fixed.append(True)
            continue
        if pu.kcal > 0:
            cap = kcal_max / pu.kcal
        else:
            cap = opts.default_max_zero_energy
        if mf.max_amount is not None:
            cap = min(cap, mf.max_amount)
        minimum = mf.min_amount
        if minimum is None:
            minimum = opts.default_min_g
        lo.append(max(_steps(minimum, res, "ceil"), 1))
        hi.append(max(_steps(cap, res, "floor"), 0))
        fixed.append(False)
    step = np.array(steps, dtype=float)
    return _Model(
        problem=problem,
        per_unit=per_unit,
        step=step,
        fat=np.array([p.fat for p in per_unit]) * step,
        protein=np.array([p.protein for p in per_unit]) * step,
        carb=np.array([p.carb for p in per_unit]) * step,
        lo_steps=np.array(lo, dtype=float),
        hi_steps=np.array(hi, dtype=float),
        fixed=np.array(fixed, dtype=bool),
        crumb_steps=np.array(
            [max(_steps(opts.natural_min_g, res, "ceil"), 1) for res in steps], dtype=float
        ),
        warnings=warnings,
    )


# Safety margins pulled off each tolerance inside the model, so that HiGHS's feasibility
# tolerance (1e-7 on rows) can never let a solution through that the exact check rejects.
_MARGIN_RATIO = 1e-6
_MARGIN_KCAL = 1e-5
_MARGIN_PROTEIN = 1e-6


@dataclass
class _Rows:
    rows: list[np.ndarray] = field(default_factory=list)
    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)

    def add(self, row: np.ndarray, lb: float, ub: float) -> None:
        self.rows.append(row)
        self.lb.append(lb)
        self.ub.append(ub)


def _tolerance_rows(
    model: _Model,
    *,
    band: float = 1.0,
    margin_scale: float = 1.0,
    use_ratio: bool = True,
    use_kcal: bool = True,
    use_protein: bool = True,
) -> list[tuple[np.ndarray, float, float]]:
    """The hard rows over the steps: ratio, energy, protein (inside ``band`` × each tolerance,
    less the safety margins) and the extra rows, as ``(row, lb, ub)``."""
    p = model.problem
    target, tol = p.target, p.tolerances
    out: list[tuple[np.ndarray, float, float]] = []
    pc = model.protein + model.carb
    R, K = target.ratio, target.kcal
    if use_ratio:
        t = band * max(tol.ratio - _MARGIN_RATIO * margin_scale, tol.ratio * 0.5)
        out.append((model.fat - (R + t) * pc, -_INF, 0.0))
        out.append((model.fat - (R - t) * pc, 0.0, _INF))
    if use_kcal:
        e = band * max(
            K * tol.kcal_pct / 100.0 - _MARGIN_KCAL * margin_scale, K * tol.kcal_pct / 200.0
        )
        out.append((model.kcal, K - e, K + e))
    if use_protein and target.protein_g is not None:
        tp = band * max(tol.protein_g - _MARGIN_PROTEIN * margin_scale, tol.protein_g * 0.5)
        out.append((model.protein, target.protein_g - tp, target.protein_g + tp))
    for extra in p.extra_rows:
        out.append((np.array(extra.coef) * model.step, extra.lb, extra.ub))
    return out


def _milp_solve(
    model: _Model,
    *,
    integral: bool = True,
    semicontinuous: bool = True,
    use_protein: bool = True,
    use_ratio: bool = True,
    use_kcal: bool = True,
    lo_override: Mapping[int, float] | None = None,
    margin_scale: float = 1.0,
    band: float = 1.0,
    closeness: bool = False,
    anchored: bool = True,
) -> tuple[int, np.ndarray | None]:
    """Solve the model (or a relaxation of it); returns (HiGHS status, steps per food or None)."""
    p = model.problem
    n = model.n
    target, opts = p.target, p.options
    has_protein = use_protein and target.protein_g is not None
    anchors = (p.anchors or {}) if anchored else {}
    anchor_idx = [i for i, mf in enumerate(p.foods) if mf.id in anchors]
    # variable layout: k (n) | v (n) | w (n) | dK, dP, dR | a (len(anchor_idx))
    # k: whole steps; v: 1 = food left out; w: 1 = food used below the natural minimum (crumb).
    # Every objective term is ≥ 0, so HiGHS's relative MIP gap is meaningful.
    iv, iw, idev, ia = n, 2 * n, 3 * n, 3 * n + 3
    nv = ia + len(anchor_idx)
    rows = _Rows()

    def vec() -> np.ndarray:
        return np.zeros(nv)

    lo = model.lo_steps.copy()
    if lo_override:
        for i, value in lo_override.items():
            lo[i] = value
    if not semicontinuous:
        lo = np.where(model.fixed, lo, 0.0)
    crumb = model.crumb_steps
    for i in range(n):
        r = vec()  # k ≤ U (1 − v)
        r[i], r[iv + i] = 1.0, model.hi_steps[i]
        rows.add(r, -_INF, model.hi_steps[i])
        r = vec()  # k ≥ L (1 − v)
        r[i], r[iv + i] = 1.0, lo[i]
        rows.add(r, lo[i], _INF)
        if crumb[i] > lo[i]:
            r = vec()  # k ≥ C (1 − v − w)
            r[i], r[iv + i], r[iw + i] = 1.0, crumb[i], crumb[i]
            rows.add(r, crumb[i], _INF)
    for row, row_lb, row_ub in _tolerance_rows(
        model,
        band=band,
        margin_scale=margin_scale,
        use_ratio=use_ratio,
        use_kcal=use_kcal,
        use_protein=has_protein,
    ):
        r = vec()
        r[:n] = row
        rows.add(r, row_lb, row_ub)
    _deviation_rows(model, rows, nv, has_protein, anchors, anchor_idx)

    c = _objective(model, nv, has_protein, anchor_idx, closeness=closeness)

    lb, ub = vec(), np.full(nv, _INF)
    ub[:n] = model.hi_steps
    lb[:n] = np.where(model.fixed, model.hi_steps, 0.0)
    ub[iv:iw] = np.where(model.fixed, 0.0, 1.0)
    ub[iw:idev] = 1.0
    integrality = np.zeros(nv)
    if integral:
        integrality[:n] = 1
    if semicontinuous:
        integrality[iv:idev] = 1
    else:
        ub[iv:idev] = 0.0  # plain bounds 0..hi, no use or crumb choice
    result = _run_milp(c, rows, integrality, Bounds(lb, ub), opts)
    if result.x is None:
        return int(result.status), None
    x = np.asarray(result.x)
    steps = np.round(x[:n]) if integral else x[:n]
    return int(result.status), steps


def _deviation_rows(
    model: _Model,
    rows: _Rows,
    nv: int,
    has_protein: bool,
    anchors: Mapping[str, float],
    anchor_idx: list[int],
) -> None:
    """Add to ``rows`` the rows holding each deviation variable of :func:`_milp_solve` at least
    the absolute deviation it stands for: energy, protein (when held) and ratio from their
    targets, and each intended portion's amount from the intended amount."""
    p = model.problem
    n = model.n
    target = p.target
    idev, ia = 3 * n, 3 * n + 3

    def vec() -> np.ndarray:
        return np.zeros(nv)

    pc = model.protein + model.carb
    kcal = model.kcal
    R, K = target.ratio, target.kcal
    r = vec()
    r[:n], r[idev] = kcal, -1.0
    rows.add(r, -_INF, K)
    r = vec()
    r[:n], r[idev] = kcal, 1.0
    rows.add(r, K, _INF)
    if has_protein:
        assert target.protein_g is not None
        r = vec()
        r[:n], r[idev + 1] = model.protein, -1.0
        rows.add(r, -_INF, target.protein_g)
        r = vec()
        r[:n], r[idev + 1] = model.protein, 1.0
        rows.add(r, target.protein_g, _INF)
    r = vec()
    r[:n], r[idev + 2] = model.fat - R * pc, -1.0
    rows.add(r, -_INF, 0.0)
    r = vec()
    r[:n], r[idev + 2] = model.fat - R * pc, 1.0
    rows.add(r, 0.0, _INF)
    for j, i in enumerate(anchor_idx):
        a = float(anchors[p.foods[i].id])
        r = vec()
        r[i], r[ia + j] = model.step[i], -1.0
        rows.add(r, -_INF, a)
        r = vec()
        r[i], r[ia + j] = model.step[i], 1.0
        rows.add(r, a, _INF)


def _objective(
    model: _Model, nv: int, has_protein: bool, anchor_idx: list[int], *, closeness: bool
) -> np.ndarray:
    """The costs of :func:`_milp_solve`'s variables: leave-out and crumb costs, the anchor
    cost per gram moved, and (with ``closeness``) each deviation divided by its tolerance."""
    p = model.problem
    n = model.n
    target, tol, opts = p.target, p.tolerances, p.options
    iv, iw, idev, ia = n, 2 * n, 3 * n, 3 * n + 3
    K = target.kcal
    c = np.zeros(nv)
    if closeness:
        c[idev] = 1.0 / (K * tol.kcal_pct / 100.0)
        if has_protein:
            c[idev + 1] = 1.0 / tol.protein_g
        c[idev + 2] = 1.0 / (tol.ratio * target.protein_plus_carb_g)
    c[iv : iv + n] = opts.leave_out_cost
    c[iw : iw + n] = opts.crumb_cost
    weights = p.anchor_weights or {}
    for j, i in enumerate(anchor_idx):
        food = p.foods[i]
        c[ia + j] = opts.anchor_cost_per_g * float(weights.get(food.id, 1.0))
    return c


def _run_milp(
    c: np.ndarray, rows: _Rows, integrality: np.ndarray, bounds: Bounds, opts: SolverOptions
) -> Any:
    """:func:`scipy.optimize.milp` on the rows; searched on without the node limit when that
    limit stopped the search before any solution."""
    constraints = LinearConstraint(np.array(rows.rows), rows.lb, rows.ub)
    result = milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=bounds,
        options=_milp_options(opts),
    )
    if result.x is None and result.status == 1 and opts.node_limit is not None:
        # The node limit stopped the search before any solution: search on, unlimited, so that
        # "infeasible" is only ever said when HiGHS has proved it.
        result = milp(
            c,
            constraints=constraints,
            integrality=integrality,
            bounds=bounds,
            options=_milp_options(replace(opts, node_limit=None)),
        )
    return result


def _closeness(model: _Model, steps: np.ndarray) -> np.ndarray:
    """Closeness score of candidate step vectors (rows): Σ deviation / tolerance."""
    p = model.problem
    target, tol = p.target, p.tolerances
    fat, prot, carb = steps @ model.fat, steps @ model.protein, steps @ model.carb
    kcal = kcal_9_4_4(fat, prot, carb)
    score = np.abs(kcal - target.kcal) / (target.kcal * tol.kcal_pct / 100.0)
    score += np.abs(fat - target.ratio * (prot + carb)) / (tol.ratio * target.protein_plus_carb_g)
    if target.protein_g is not None:
        score += np.abs(prot - target.protein_g) / tol.protein_g
    return np.asarray(score)


def _feasible_rows(model: _Model, steps: np.ndarray) -> np.ndarray:
    """Which candidate step vectors (rows) meet every tolerance and extra row (with margins)."""
    p = model.problem
    target, tol = p.target, p.tolerances
    fat, prot, carb = steps @ model.fat, steps @ model.protein, steps @ model.carb
    pc = prot + carb
    kcal = kcal_9_4_4(fat, prot, carb)
    t = tol.ratio - _MARGIN_RATIO
    ok = (fat - (target.ratio + t) * pc <= 0) & (fat - (target.ratio - t) * pc >= 0)
    e = target.kcal * tol.kcal_pct / 100.0 - _MARGIN_KCAL
    ok &= np.abs(kcal - target.kcal) <= e
    if target.protein_g is not None:
        ok &= np.abs(prot - target.protein_g) <= tol.protein_g - _MARGIN_PROTEIN
    for extra in p.extra_rows:
        value = steps @ (np.array(extra.coef) * model.step)
        ok &= (value >= extra.lb - 1e-9) & (value <= extra.ub + 1e-9)
    return np.asarray(ok)


_MOVES_CACHE: dict[int, np.ndarray] = {}


def _moves(n: int) -> np.ndarray:
    """Whole-step moves: one food by ±1 or ±2 steps, or two foods by ±1 step each."""
    if n not in _MOVES_CACHE:
        moves = []
        for i in range(n):
            for d in (-2, -1, 1, 2):
                m = np.zeros(n)
                m[i] = d
                moves.append(m)
        for i in range(n):
            for j in range(i + 1, n):
                for di in (-1, 1):
                    for dj in (-1, 1):
                        m = np.zeros(n)
                        m[i], m[j] = di, dj
                        moves.append(m)
        _MOVES_CACHE[n] = np.array(moves) if moves else np.zeros((0, n))
    return _MOVES_CACHE[n]


def _polish(model: _Model, steps: np.ndarray, rounds: int) -> np.ndarray:
    """Move towards the targets in whole steps, keeping the used foods and natural amounts.

    A food left out stays out, a fixed food stays fixed, a used food stays within its minimum
    and maximum and does not drop below the natural minimum unless it already was below it; for
    a swap, the anchors' cost is added to the score so that moves do not drift from them.
    """
    if rounds <= 0 or model.n == 0:
        return steps
    p = model.problem
    opts = p.options
    used = steps > 0
    movable = used & ~model.fixed
    crumb = model.crumb_steps
    floor = np.where(steps >= crumb, np.maximum(crumb, model.lo_steps), model.lo_steps)
    anchors = p.anchors or {}
    weights = p.anchor_weights or {}
    anchor = np.array([float(anchors.get(mf.id, np.nan)) for mf in p.foods])
    anchor_w = np.array(
        [
            opts.anchor_cost_per_g * float(weights.get(mf.id, 1.0)) if mf.id in anchors else 0.0
            for mf in p.foods
        ]
    )
    has_anchor = ~np.isnan(anchor)

    def score(cands: np.ndarray) -> np.ndarray:
        value = _closeness(model, cands)
        if has_anchor.any():
            grams = cands * model.step
            value = value + np.abs(grams[:, has_anchor] - anchor[has_anchor]) @ anchor_w[has_anchor]
        return value

    moves = _moves(model.n)
    moves = moves[~np.any((moves != 0) & ~movable, axis=1)]
    if len(moves) == 0:
        return steps
    current = steps.astype(float)
    best = float(score(current[None, :])[0])
    for _ in range(rounds):
        cands = current + moves
        ok = np.all(cands >= np.where(used, floor, 0), axis=1)
        ok &= np.all(cands <= model.hi_steps, axis=1)
        if not ok.any():
            break
        cands = cands[ok]
        ok = _feasible_rows(model, cands)
        if not ok.any():
            break
        cands = cands[ok]
        values = score(cands)
        k = int(np.argmin(values))
        if values[k] >= best - 1e-12:
            break
        best, current = float(values[k]), cands[k]
    return current


def _milp_options(opts: SolverOptions) -> dict[str, Any]:
    options: dict[str, Any] = {
        "disp": False,
        "time_limit": opts.time_limit_s,
        "mip_rel_gap": opts.mip_rel_gap,
    }
    if opts.node_limit is not None:
        options["node_limit"] = opts.node_limit
    return options


def _items_and_analysis(
    model: _Model, steps: np.ndarray
) -> tuple[tuple[SolvedItem, ...], MealAnalysis]:
    p = model.problem
    items: list[SolvedItem] = []
    portions: list[Portion] = []
    for i, mf in enumerate(p.foods):
        k = int(steps[i])
        if k <= 0:
            continue
        amount = round(k * float(model.step[i]), 9)
        portion = Portion(mf.food, amount, mf.unit)
        portions.append(portion)
        items.append(SolvedItem(mf.id, mf.food.name, amount, mf.unit, portion.grams))
    return tuple(items), analyze(portions, p.carbs)


def closest_arrays(model: _Model, margin_scale: float = 1.0) -> ClosestArrays:
    """The model's hard constraints and intended portions, for :func:`solve_closest`."""
    p = model.problem
    anchors = p.anchors or {}
    weights = p.anchor_weights or {}
    rows = _tolerance_rows(model, margin_scale=margin_scale)
    n = model.n
    return ClosestArrays(
        step=model.step,
        lo_steps=model.lo_steps,
        hi_steps=model.hi_steps,
        fixed=model.fixed,
        rows=np.array([r for r, _, _ in rows]).reshape(len(rows), n),
        row_lb=np.array([lb for _, lb, _ in rows]),
        row_ub=np.array([ub for _, _, ub in rows]),
        intended=np.array([float(anchors.get(mf.id, np.nan)) for mf in p.foods]),
        weight=np.array(
            [p.options.anchor_cost_per_g * float(weights.get(mf.id, 1.0)) for mf in p.foods]
        ),
    )


def _closest_meal(model: _Model, base: Mapping[str, Any]) -> MealSolution | None:
    """The closest meal to the intended portions (``anchors``), or None when none exists.

    The warm start is today's MILP answer (natural amounts: the leave-out and crumb costs, at
    the full tolerances, without the anchor terms, the tighter band or the whole-step polish,
    which the closest search supersedes); the closest search (:func:`solve_closest`) starts
    from it, so its answer is never further from the intended portions. Both are re-checked by
    :func:`violations`; with the safety margins widened once if the check refuses them.
    """
    p = model.problem
    opts = p.options
    for margin_scale in (1.0, 100.0):
        status, start = _milp_solve(model, margin_scale=margin_scale, anchored=False)
        if start is None:
            return None
        arrays = closest_arrays(model, margin_scale)
        found = solve_closest(arrays, start, time_limit_s=opts.closest_time_limit_s)
        candidates = [] if found is None else [found.steps]
        for steps in [*candidates, start]:
            items, analysis = _items_and_analysis(model, steps)
            if violations(analysis, p.target, p.tolerances):
                continue
            warnings = list(analysis.warnings)
            if status == 1:
                warnings.append("search limit reached: the best amounts found are shown")
            if found is not None and steps is found.steps and found.optimal:
                words = "closest to the intended portions (proved)"
            elif found is not None and steps is found.steps:
                words = (
                    f"best found within the time limit ({opts.closest_time_limit_s:g} s), not "
                    f"proved closest: at most {found.gap:.1%} above the closest possible"
                )
            else:
                words = "the first amounts found (the closest search's were not accepted)"
            proved = found is not None and steps is found.steps and found.optimal
            return MealSolution(
                status="solved",
                items=items,
                analysis=analysis,
                warnings=tuple(warnings),
                closeness=closeness(arrays, steps),
                optimal=proved,
                gap=found.gap if found is not None and steps is found.steps else None,
                status_words=words,
                **base,
            )
    return None


def meal_base(problem: MealProblem) -> dict[str, Any]:
    """The fields a solution copies from its problem (target, tolerances, resolution, carbs)."""
    return dict(
        target=problem.target,
        tolerances=problem.tolerances,
        resolution=problem.resolution,
        carbs=problem.carbs,
    )


def solve_within_tolerances(model: _Model) -> MealSolution | None:
    """The solved meal of ``model``'s problem, or None when no amounts meet every tolerance.

    The closest meal to the intended portions when there are some; otherwise the MILP in each
    band, polished, with the safety margins widened once if :func:`violations` refuses it.
    """
    problem = model.problem
    base = meal_base(problem)
    if problem.anchors and problem.options.closest:
        closest_solution = _closest_meal(model, base)
        if closest_solution is not None:
            return closest_solution
    for margin_scale in (1.0, 100.0):
        status, steps = -1, None
        for band in problem.options.bands:
            status, steps = _milp_solve(model, margin_scale=margin_scale, band=band)
            if steps is not None:
                break
        if steps is None:
            break
        steps = _polish(model, steps, problem.options.polish_rounds)
        items, analysis = _items_and_analysis(model, steps)
        if not violations(analysis, problem.target, problem.tolerances):
            warnings = list(analysis.warnings)
            if status == 1:
                warnings.append("search limit reached: the best amounts found are shown")
            return MealSolution(
                status="solved",
                items=items,
                analysis=analysis,
                warnings=tuple(warnings),
                **base,
            )
    return None
