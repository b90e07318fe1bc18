"""Meal solver vs "continuous LP, then round to whole grams": 1,000 random SR28 meals.

Run: ``make bench`` or ``.venv/bin/python -m benchmarks meal_solver``.

Problems (seeded, reproducible): 3–6 foods, one of them a fat source (SR28 "Fats and Oils" with
at least 50 g fat per 100 g), the others drawn from everyday SR28 groups (dairy and egg, meats,
fish, vegetables, fruits, nuts); ratio uniform in 2:1–4:1 (to 0.05), energy uniform in
200–600 kcal (to 10 kcal), protein a uniform 30–80 % share of protein + carbohydrate (to 0.1 g).
Tolerances are the solver's defaults: ratio ± 0.02, energy ± 1 %, protein ± 0.5 g; 1 g steps.

Both methods are checked by the same analysis (``spasmcare.keto.analysis``). The MILP proves
infeasibility; a baseline success on a problem the MILP calls infeasible would contradict that
(a rounded LP solution is a whole-gram solution), so the count of such cases is reported.

Closest meals (issue 24, item 6): for every feasible problem, intended portions are the solver's
own amounts each moved by a seeded random −30 %…+30 % and rounded to whole grams (a dietitian's
hand-edited meal); the solver is timed solving to the closest meal to them (first answer, then
the warm-started closest search). Reported: time, how many are proved closest, the gap of the
others, and how many grams closer the meal is than the previous solver's answer (anchored MILP
in bands, then whole-step moves), which is not timed.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from spasmcare.foods import default_table
from spasmcare.keto.analysis import FoodLike, analyze_amounts, macros_per_gram
from spasmcare.keto.solver import (
    MealFood,
    MealTarget,
    SolverOptions,
    Tolerances,
    explain_infeasible,
    meal_problem,
    solve_meal,
    violations,
)

SEED = 20240521
N_PROBLEMS = 1000
OTHER_GROUPS = (
    "Dairy and Egg Products",
    "Poultry Products",
    "Pork Products",
    "Beef Products",
    "Finfish and Shellfish Products",
    "Vegetables and Vegetable Products",
    "Fruits and Fruit Juices",
    "Nut and Seed Products",
)


@dataclass(frozen=True)
class Problem:
    foods: tuple[FoodLike, ...]
    target: MealTarget


def _usable(food: FoodLike) -> bool:
    v = food.per_100g
    return all(v.get(k) is not None for k in ("fat_g", "protein_g", "carb_g")) and (
        9 * (v["fat_g"] or 0) + 4 * ((v["protein_g"] or 0) + (v["carb_g"] or 0)) > 0
    )


def make_problems(n: int = N_PROBLEMS, seed: int = SEED) -> list[Problem]:
    table = default_table()
    fats, others = [], []
    for food in table:
        if not _usable(food):
            continue
        group = getattr(food, "group", None)
        if group == "Fats and Oils" and (food.per_100g["fat_g"] or 0) >= 50:
            fats.append(food)
        elif group in OTHER_GROUPS:
            others.append(food)
    fats.sort(key=lambda f: f.id)
    others.sort(key=lambda f: f.id)
    rng = np.random.default_rng(seed)
    problems = []
    for _ in range(n):
        k = int(rng.integers(3, 7))
        fat = fats[int(rng.integers(len(fats)))]
        rest = [others[int(i)] for i in rng.choice(len(others), size=k - 1, replace=False)]
        ratio = round(float(rng.uniform(2.0, 4.0)) / 0.05) * 0.05
        kcal = round(float(rng.uniform(200, 600)) / 10) * 10
        pc = kcal / (9 * ratio + 4)
        protein = round(float(rng.uniform(0.3, 0.8)) * pc, 1)
        problems.append(Problem((fat, *rest), MealTarget(ratio, kcal, protein)))
    return problems


def baseline_lp_round(problem: Problem, tol: Tolerances) -> list[float] | None:
    """Continuous LP with the same tolerances and closeness objective, then round to grams."""
    per = [macros_per_gram(f, "total") for f in problem.foods]
    fat = np.array([p.fat for p in per])
    prot = np.array([p.protein for p in per])
    carb = np.array([p.carb for p in per])
    kcal = 9 * fat + 4 * (prot + carb)
    n = len(per)
    t = problem.target
    assert t.protein_g is not None
    nv = n + 3  # grams, dK, dP, dR
    rows, lb, ub = [], [], []

    def add(row: np.ndarray, lo: float, hi: float) -> None:
        rows.append(row)
        lb.append(lo)
        ub.append(hi)

    def v(coef: np.ndarray, dev: int | None = None, sign: float = 0.0) -> np.ndarray:
        r = np.zeros(nv)
        r[:n] = coef
        if dev is not None:
            r[n + dev] = sign
        return r

    pc = prot + carb
    add(v(fat - (t.ratio + tol.ratio) * pc), -np.inf, 0)
    add(v(fat - (t.ratio - tol.ratio) * pc), 0, np.inf)
    e = t.kcal * tol.kcal_pct / 100
    add(v(kcal), t.kcal - e, t.kcal + e)
    add(v(prot), t.protein_g - tol.protein_g, t.protein_g + tol.protein_g)
    add(v(kcal, 0, -1), -np.inf, t.kcal)
    add(v(kcal, 0, 1), t.kcal, np.inf)
    add(v(prot, 1, -1), -np.inf, t.protein_g)
    add(v(prot, 1, 1), t.protein_g, np.inf)
    add(v(fat - t.ratio * pc, 2, -1), -np.inf, 0)
    add(v(fat - t.ratio * pc, 2, 1), 0, np.inf)
    c = np.zeros(nv)
    c[n] = 1 / e
    c[n + 1] = 1 / tol.protein_g
    c[n + 2] = 1 / (tol.ratio * t.protein_plus_carb_g)
    result = milp(
        c,
        constraints=LinearConstraint(np.array(rows), lb, ub),
        bounds=Bounds(np.zeros(nv), np.full(nv, np.inf)),
        options={"disp": False},
    )
    if result.x is None:
        return None
    return [float(round(x)) for x in result.x[:n]]


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def closest_meals(problems: list[Problem], tol: Tolerances, solved: list[int]) -> None:
    """Time the closest meal to perturbed intended portions on the feasible problems."""
    rng = np.random.default_rng(SEED + 1)
    quiet = SolverOptions(explain=False)
    first_only = SolverOptions(explain=False, closest=False)
    times: list[float] = []
    proved = 0
    gaps: list[float] = []
    saved: list[float] = []
    for idx in solved:
        p = problems[idx]
        foods = [MealFood(f) for f in p.foods]
        plain = solve_meal(meal_problem(foods, p.target, tol, options=first_only))
        intended = {
            item.food_id: float(round(float(item.grams or 0) * rng.uniform(0.7, 1.3)))
            for item in plain.items
        }
        for f in p.foods:
            intended.setdefault(f.id, 0.0)
        start = solve_meal(meal_problem(foods, p.target, tol, anchors=intended, options=first_only))
        problem = meal_problem(foods, p.target, tol, anchors=intended, options=quiet)
        t0 = time.perf_counter()
        sol = solve_meal(problem)
        times.append((time.perf_counter() - t0) * 1000)
        assert sol.solved and sol.analysis is not None
        assert not violations(sol.analysis, p.target, tol)
        assert sol.closeness is not None
        proved += bool(sol.optimal)
        if not sol.optimal and sol.gap is not None:
            gaps.append(sol.gap)
        moved = {i.food_id: float(i.grams or 0) for i in start.items}
        start_dev = sum(abs(moved.get(k, 0.0) - a) for k, a in intended.items())
        if sol.optimal:
            assert sol.closeness <= start_dev + 1e-6
        saved.append(start_dev - sol.closeness)
    print()
    print(f"closest meal to intended portions (±30 % of the solver's own amounts), "
          f"{len(times)} feasible problems:")
    print(f"  median {statistics.median(times):.2f} ms, p95 {_pct(times, 95):.2f} ms, "
          f"max {max(times):.1f} ms; proved closest {proved}/{len(times)}")
    if gaps:
        print(f"  not proved (time limit): {len(gaps)}, gap median {statistics.median(gaps):.1%}, "
              f"max {max(gaps):.1%}")
    print(f"  grams closer than the previous solver's answer (anchored, bands, polish): "
          f"median {statistics.median(saved):.0f} g, mean {statistics.mean(saved):.1f} g, "
          f"max {max(saved):.0f} g")


def main() -> None:
    tol = Tolerances()
    problems = make_problems()
    quiet = SolverOptions(explain=False)
    # warm-up (imports, HiGHS first call)
    solve_meal(meal_problem([MealFood(f) for f in problems[0].foods], problems[0].target))
    milp_ms, base_ms = [], []
    milp_ok = base_ok = 0
    milp_infeasible: list[int] = []
    contradictions = 0
    for idx, p in enumerate(problems):
        problem = meal_problem([MealFood(f) for f in p.foods], p.target, tol, options=quiet)
        t0 = time.perf_counter()
        sol = solve_meal(problem)
        milp_ms.append((time.perf_counter() - t0) * 1000)
        if sol.solved:
            assert sol.analysis is not None and not violations(sol.analysis, p.target, tol)
            assert all(float(i.grams or 0).is_integer() for i in sol.items)
            milp_ok += 1
        else:
            milp_infeasible.append(idx)
        t0 = time.perf_counter()
        grams = baseline_lp_round(p, tol)
        base_ms.append((time.perf_counter() - t0) * 1000)
        if grams is not None:
            a = analyze_amounts(p.foods, grams, "total")
            if sum(grams) > 0 and not violations(a, p.target, tol):
                base_ok += 1
                if not sol.solved:
                    contradictions += 1
    reasons: Counter[str] = Counter()
    explain_ms = []
    examples: dict[str, str] = {}
    for idx in milp_infeasible:
        p = problems[idx]
        problem = meal_problem([MealFood(f) for f in p.foods], p.target, tol)
        t0 = time.perf_counter()
        code, reason = explain_infeasible(replace(problem))
        explain_ms.append((time.perf_counter() - t0) * 1000)
        reasons[code] += 1
        examples.setdefault(code, reason)
    n = len(problems)
    feasible = n - len(milp_infeasible)
    print(f"{n} problems (seed {SEED}); tolerances ratio ±{tol.ratio}, energy ±{tol.kcal_pct} %, "
          f"protein ±{tol.protein_g} g; 1 g steps; carbohydrate: total")
    print(f"feasible (proved by the MILP): {feasible}; infeasible: {len(milp_infeasible)}")
    print()
    print(f"{'method':<34}{'solved':>8}{'of all':>9}{'of feasible':>13}"
          f"{'median ms':>11}{'p95 ms':>9}")
    for name, ok, times in (
        ("MILP (whole grams, this solver)", milp_ok, milp_ms),
        ("continuous LP, then round", base_ok, base_ms),
    ):
        print(f"{name:<34}{ok:>8}{ok / n:>9.1%}{ok / max(feasible, 1):>13.1%}"
              f"{statistics.median(times):>11.2f}{_pct(times, 95):>9.2f}")
    print()
    print(f"baseline successes on problems the MILP called infeasible: {contradictions}")
    print(f"explaining the infeasible ones: median {statistics.median(explain_ms or [0]):.1f} ms, "
          f"p95 {_pct(explain_ms, 95):.1f} ms")
    for code, count in reasons.most_common():
        print(f"  {code:<16}{count:>5}  e.g. {examples[code]}")
    solved = [i for i in range(n) if i not in set(milp_infeasible)]
    closest_meals(problems, tol, solved)


if __name__ == "__main__":
    main()
