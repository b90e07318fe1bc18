"""Why a meal has no solution, in words a dietitian acts on: linear-programming relaxations of
the meal solver's model name the binding constraint (:func:`explain_infeasible`).

References
----------
1. Huangfu Q, Hall JAJ. Parallelizing the dual revised simplex method. Math Prog Comp
   2018;10:119–142 (HiGHS, the solver behind scipy.optimize.milp / linprog).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any, Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from spasmcare.keto.solver_milp import (
    _build,
    _milp_solve,
    _Model,
    _Rows,
    solve_within_tolerances,
)
from spasmcare.keto.solver_model import (
    _INF,
    _UNIT_LABEL,
    RESOLUTIONS_G,
    MealFood,
    MealProblem,
    _steps,
)


# --------------------------------------------------------------------------------------------
# Infeasibility, in words
# --------------------------------------------------------------------------------------------
def _lp_extreme(
    model: _Model,
    objective: np.ndarray,
    *,
    maximize: bool,
    ratio: bool | Literal["lower", "upper"],
    kcal: bool,
) -> float | None:
    """Max/min of ``objective · steps`` over the continuous relaxation (None if infeasible).

    ``ratio``: True for both sides of the ratio band, or only its ``"lower"`` (enough fat) or
    ``"upper"`` (not too much fat) side.
    """
    p = model.problem
    n = model.n
    rows = _Rows()
    target, tol = p.target, p.tolerances
    pc = model.protein + model.carb
    if ratio is True or ratio == "upper":
        rows.add(model.fat - (target.ratio + tol.ratio) * pc, -_INF, 0.0)
    if ratio is True or ratio == "lower":
        rows.add(model.fat - (target.ratio - tol.ratio) * pc, 0.0, _INF)
    if kcal:
        e = target.kcal * tol.kcal_pct / 100.0
        rows.add(model.kcal, target.kcal - e, target.kcal + e)
    for extra in p.extra_rows:
        rows.add(np.array(extra.coef) * model.step, extra.lb, extra.ub)
    lb = np.where(model.fixed, model.hi_steps, 0.0)
    ub = model.hi_steps
    c = -objective if maximize else objective
    kwargs: dict[str, Any] = {}
    if rows.rows:
        kwargs["constraints"] = LinearConstraint(np.array(rows.rows), rows.lb, rows.ub)
    result = milp(c, bounds=Bounds(lb, ub), options={"disp": False}, **kwargs)
    if result.x is None:
        return None
    return float(np.dot(objective, result.x[:n]))


def _ratio_extreme(model: _Model, *, maximize: bool) -> float:
    """Highest (or lowest) ratio any mix within the amounts' bounds reaches (Charnes–Cooper)."""
    n = model.n
    pc = model.protein + model.carb
    # variables: w (n) = steps × s, s ≥ 0; Σ pc·w = 1; fixed: w = hi·s; else 0 ≤ w ≤ hi·s
    nv = n + 1
    rows = _Rows()
    r = np.zeros(nv)
    r[:n] = pc
    rows.add(r, 1.0, 1.0)
    for i in range(n):
        r = np.zeros(nv)
        r[i], r[n] = 1.0, -model.hi_steps[i]
        if model.fixed[i]:
            rows.add(r, 0.0, 0.0)
        else:
            rows.add(r, -_INF, 0.0)
    c = np.zeros(nv)
    c[:n] = -model.fat if maximize else model.fat
    ub = np.full(nv, _INF)
    result = milp(
        c,
        constraints=LinearConstraint(np.array(rows.rows), rows.lb, rows.ub),
        bounds=Bounds(np.zeros(nv), ub),
        options={"disp": False},
    )
    if result.status == 3:  # unbounded: pure fat reachable
        return math.inf
    if result.x is None:  # no protein or carbohydrate at all
        return math.inf
    return float(np.dot(model.fat, result.x[:n]))


def _names(model: _Model, mask: np.ndarray) -> str:
    names = [model.problem.foods[i].food.name for i in range(model.n) if mask[i]]
    return ", ".join(names) if names else "none"


def explain_infeasible(problem: MealProblem, model: _Model | None = None) -> tuple[str, str]:
    """Name the binding constraint of an infeasible problem, in words a dietitian acts on.

    Returns ``(code, sentence)``. Codes: ``fixed_kcal``, ``fixed_protein``, ``extra:<name>``,
    ``kcal_supply``, ``protein_supply``, ``fat_supply``, ``too_fat``, ``ratio_kcal``,
    ``protein_vs_carb``, ``protein_vs_fat``, ``protein_excess``, ``minimum``, ``resolution``.
    """
    model = model or _build(problem)
    for check in (_fixed_or_supply, _ratio_or_energy, _protein_at_ratio):
        found = check(problem, model)
        if found is not None:
            return found
    return _minimum_or_resolution(problem, model)


def _fixed_or_supply(problem: MealProblem, model: _Model) -> tuple[str, str] | None:
    """Fixed amounts over the energy or protein alone, an extra row (volume) out of reach, or
    too little energy or protein even at the largest amounts (steps 1-3)."""
    target, tol = problem.target, problem.tolerances
    K = target.kcal
    e = K * tol.kcal_pct / 100.0
    amounts_hi = model.hi_steps
    fixed = model.fixed
    # 1. fixed amounts alone
    fixed_kcal = float(np.dot(model.kcal[fixed], amounts_hi[fixed]))
    if fixed_kcal > K + e:
        return "fixed_kcal", (
            f"the fixed amounts alone give {fixed_kcal:.0f} kcal, over the {K:.0f} kcal "
            f"(± {tol.kcal_pct:g} %) of this meal: lower a fixed amount ({_names(model, fixed)})"
        )
    if target.protein_g is not None:
        fixed_p = float(np.dot(model.protein[fixed], amounts_hi[fixed]))
        if fixed_p > target.protein_g + tol.protein_g:
            return "fixed_protein", (
                f"the fixed amounts alone give {fixed_p:.1f} g protein, over the "
                f"{target.protein_g:.1f} g target: lower a fixed amount ({_names(model, fixed)})"
            )
    # 2. extra rows (volume) with bounds only
    for extra in problem.extra_rows:
        coef = np.array(extra.coef) * model.step
        low = float(np.dot(coef[fixed], amounts_hi[fixed]))
        high = low + float(np.dot(np.clip(coef[~fixed], 0, None), amounts_hi[~fixed]))
        low += float(np.dot(np.clip(coef[~fixed], None, 0), amounts_hi[~fixed]))
        if low > extra.ub + 1e-9 or high < extra.lb - 1e-9:
            return f"extra:{extra.name}", extra.reason.format(lb=extra.lb, ub=extra.ub)
    # 3. supply at the largest allowed amounts
    max_kcal = float(np.dot(model.kcal, amounts_hi))
    if max_kcal < K - e:
        return "kcal_supply", (
            f"even at their largest allowed amounts these foods give only {max_kcal:.0f} kcal; "
            f"the meal needs {K:.0f} kcal: raise a maximum or add a food"
        )
    if target.protein_g is not None:
        max_p = float(np.dot(model.protein, amounts_hi))
        if max_p < target.protein_g - tol.protein_g:
            return "protein_supply", (
                f"these foods cannot supply {target.protein_g:.1f} g protein even at their "
                f"largest amounts (at most {max_p:.1f} g): add a protein food such as meat, fish, "
                "egg or cheese, or raise its maximum"
            )
    return None


def _ratio_or_energy(problem: MealProblem, model: _Model) -> tuple[str, str] | None:
    """The ratio out of reach of every mix, or the energy at the ratio (steps 4-5)."""
    target, tol = problem.target, problem.tolerances
    R, K = target.ratio, target.kcal
    e = K * tol.kcal_pct / 100.0
    # 4. the ratio alone
    hi_ratio = _ratio_extreme(model, maximize=True)
    if hi_ratio < R - tol.ratio:
        return "fat_supply", (
            f"nothing here supplies enough fat for {R:g}:1 — the fattiest possible mix of these "
            f"foods reaches only {hi_ratio:.2f}:1; add a fat such as butter, oil or heavy cream "
            "(or raise the maximum of the fat already listed)"
        )
    lo_ratio = _ratio_extreme(model, maximize=False)
    if lo_ratio > R + tol.ratio:
        return "too_fat", (
            f"every possible mix of these foods is richer than {R:g}:1 (the leanest reaches "
            f"{lo_ratio:.2f}:1): add a food with protein or carbohydrate, or lower a fixed or "
            "minimum amount of fat"
        )
    # 5. ratio and energy together
    kcal_at_ratio_max = _lp_extreme(model, model.kcal, maximize=True, ratio=True, kcal=False)
    if kcal_at_ratio_max is not None and kcal_at_ratio_max < K - e:
        # Which side of the ratio limits the energy: too little fat, or too little protein and
        # carbohydrate to carry the fat at R:1?
        fat_side = _lp_extreme(model, model.kcal, maximize=True, ratio="lower", kcal=False)
        if fat_side is not None and fat_side < K - e:
            advice = "raise the maximum of a fat or add one"
        else:
            advice = (
                "the protein and carbohydrate foods are too few to balance more fat at this "
                "ratio: raise the maximum or fixed amount of a protein or carbohydrate food "
                "(e.g. milk) or add one"
            )
        return "ratio_kcal", (
            f"at {R:g}:1 these foods give at most {kcal_at_ratio_max:.0f} kcal within their "
            f"allowed amounts, short of {K:.0f} kcal: {advice}"
        )
    kcal_at_ratio_min = _lp_extreme(model, model.kcal, maximize=False, ratio=True, kcal=False)
    if kcal_at_ratio_min is not None and kcal_at_ratio_min > K + e:
        return "ratio_kcal", (
            f"at {R:g}:1 the fixed amounts force at least {kcal_at_ratio_min:.0f} kcal, over "
            f"{K:.0f} kcal: lower a fixed amount"
        )
    return None


def _protein_at_ratio(problem: MealProblem, model: _Model) -> tuple[str, str] | None:
    """The protein target out of reach at this ratio and energy (step 6)."""
    target, tol = problem.target, problem.tolerances
    R, K = target.ratio, target.kcal
    # 6. protein at this ratio and energy
    if target.protein_g is not None:
        p_max = _lp_extreme(model, model.protein, maximize=True, ratio=True, kcal=True)
        p_min = _lp_extreme(model, model.protein, maximize=False, ratio=True, kcal=True)
        if p_max is not None and p_max < target.protein_g - tol.protein_g:
            carb_budget = target.protein_plus_carb_g - target.protein_g
            floor = _carb_at_protein(model, target.protein_g - tol.protein_g)
            if floor is not None and floor[0] > carb_budget + 1e-6:
                carb_of = floor[1]
                top = [int(i) for i in np.argsort(-carb_of) if carb_of[i] > 1e-9][:2]
                who = " and ".join(problem.foods[i].food.name for i in top) or "the foods"
                return "protein_vs_carb", (
                    f"the protein target ({target.protein_g:.1f} g) cannot be met without "
                    f"exceeding the carbohydrate ({carb_budget:.1f} g at {R:g}:1 and {K:.0f} "
                    f"kcal): with these foods at most {p_max:.1f} g protein fits, because "
                    f"{who} bring{'s' if len(top) == 1 else ''} carbohydrate with the protein; "
                    "add a protein food with little carbohydrate (meat, fish, egg), lower a "
                    "carbohydrate food, or lower the protein target"
                )
            return "protein_vs_fat", (
                f"at {R:g}:1 and {K:.0f} kcal the fat here can balance at most {p_max:.1f} g "
                f"protein, short of {target.protein_g:.1f} g: add a fat such as butter or oil, "
                "or raise the maximum of a fat"
            )
        if p_min is not None and p_min > target.protein_g + tol.protein_g:
            return "protein_excess", (
                f"protein cannot be kept down to {target.protein_g:.1f} g: at {R:g}:1 and "
                f"{K:.0f} kcal these foods bring at least {p_min:.1f} g protein with their fat; "
                "add a fat without protein (oil, butter) or lower the minimum or fixed amount of "
                "a protein food"
            )
    return None


def _minimum_or_resolution(problem: MealProblem, model: _Model) -> tuple[str, str]:
    """Continuous amounts work: a minimum amount does not fit, or the scale steps are too
    coarse (step 7)."""
    # 7. continuous amounts work: minimum amounts, then the resolution
    status, steps = _milp_solve(model, integral=False, semicontinuous=True)
    if steps is None:
        for i, mf in enumerate(problem.foods):
            if model.fixed[i] or model.lo_steps[i] <= 1:
                continue
            status, steps = _milp_solve(model, integral=False, lo_override={i: 1.0})
            if steps is not None:
                minimum = model.lo_steps[i] * model.step[i]
                return "minimum", (
                    f"the minimum of {minimum:g} {_UNIT_LABEL[mf.unit]} of {mf.food.name} does "
                    "not fit this meal; lower that minimum or leave the food out"
                )
        return "minimum", (
            "the minimum amounts of the foods together do not fit this meal; lower a minimum"
        )
    steps_text = " and ".join(
        dict.fromkeys(
            f"{float(model.step[i]):g} {_UNIT_LABEL[mf.unit]}" for i, mf in enumerate(problem.foods)
        )
    )
    hint = ""
    # The finer resolutions tried are grams for the whole meal: only meaningful when every food
    # is weighed in grams at the problem's resolution (a feed's powders and liquids each carry
    # their own step, which a single finer resolution would wrongly reset).
    if all(mf.unit == "g" and mf.resolution is None for mf in problem.foods):
        for res in (r for r in RESOLUTIONS_G if r < problem.resolution - 1e-12):
            trial = replace(
                problem, resolution=res, options=replace(problem.options, explain=False)
            )
            if all(_fits_resolution(f, res) for f in problem.foods) and (
                solve_within_tolerances(_build(trial)) is not None
            ):
                hint = f" (at {res:g} g it solves)"
                break
    return "resolution", (
        f"no amounts in whole steps of {steps_text} meet the ratio, energy and protein "
        f"tolerances together, although amounts in between would: use a finer "
        f"resolution{hint}, widen a tolerance, or add a food"
    )


#: Where the sentence of :func:`explain_infeasible` turns from what binds to what to try.
_ADVICE_START = re.compile(
    r"[:;] (?=add |raise |lower |use a finer |the protein and carbohydrate foods )"
)


def diagnosis(reason: str) -> str:
    """What binds, without the untested suggestion of :func:`explain_infeasible`.

    The suggestion there is a rule of thumb, never re-solved; a caller that can try changes
    (:mod:`spasmcare.keto.advice`) shows this diagnosis with only the changes verified to solve.
    """
    match = _ADVICE_START.search(reason)
    return reason if match is None else reason[: match.start()]


def _fits_resolution(mf: MealFood, res: float) -> bool:
    if mf.fixed_amount is None:
        return True
    return abs(_steps(mf.fixed_amount, res, "exact") * res - mf.fixed_amount) <= 1e-9


def _carb_at_protein(model: _Model, protein_g: float) -> tuple[float, np.ndarray] | None:
    """Least carbohydrate of any mix within the bounds supplying ``protein_g`` protein.

    Returns the carbohydrate [g] and each food's share of it, or None when no mix can.
    """
    rows = _Rows()
    rows.add(model.protein, protein_g - 1e-6, _INF)
    lb = np.where(model.fixed, model.hi_steps, 0.0)
    result = milp(
        model.carb,
        constraints=LinearConstraint(np.array(rows.rows), rows.lb, rows.ub),
        bounds=Bounds(lb, model.hi_steps),
        options={"disp": False},
    )
    if result.x is None:
        return None
    share = model.carb * np.asarray(result.x)
    return float(share.sum()), share
