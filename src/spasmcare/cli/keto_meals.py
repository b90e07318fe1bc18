"""``spasmcare keto analyze|meal|swap|menu|completeness|medcarb``: meals solved exactly.

A thin adapter: it reads options, looks foods up in the food table, calls
``spasmcare.keto.{analysis, solver, menus, completeness, medication}`` and prints the
result (one JSON document with ``--json``, Rich tables otherwise).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

import typer
from rich.console import Console
from rich.table import Table

from spasmcare.cli._common import JsonOption, emit, fmt, read_text
from spasmcare.errors import InputError
from spasmcare.foods import default_table
from spasmcare.keto.analysis import FoodLike, MealAnalysis, Portion, analyze, parse_item, portion
from spasmcare.keto.completeness import CompletenessReport, assess, parse_supplement
from spasmcare.keto.limits import check_option
from spasmcare.keto.medication import carb_budget, food_target, parse_medication
from spasmcare.keto.menus import DEFAULT_MAX_PER_FOOD, Menu, plan_menu
from spasmcare.keto.ratio import DEFAULT_CARBS, parse_carb_basis, parse_ratio
from spasmcare.keto.solver import (
    MealFood,
    MealSolution,
    MealTarget,
    SavedMeal,
    Tolerances,
    meal_problem,
    parse_food_spec,
    solve_meal,
    swap_and_resolve,
)

#: The solver's default tolerances: the one place the CLI's defaults come from.
_TOL = Tolerances()

CarbsOption = Annotated[
    str,
    typer.Option(
        "--carbs", help=f"Carbohydrate basis: total or net (− fibre); default {DEFAULT_CARBS}."
    ),
]
RatioOption = Annotated[str | None, typer.Option("--ratio", help="Ratio, e.g. 3 or 3:1.")]
KcalOption = Annotated[float | None, typer.Option("--kcal", help="Energy [kcal].")]
ProteinOption = Annotated[float | None, typer.Option("--protein-g", help="Protein [g].")]
FatOption = Annotated[
    float | None, typer.Option("--fat-g", help="Fat [g] (with --protein-g and --carb-g).")
]
CarbOption = Annotated[
    float | None, typer.Option("--carb-g", help="Carbohydrate [g] (with --fat-g, --protein-g).")
]
#: Weight and age for the protein check of a formula-led feed (``keto feed``, ``feeding-mode``).
ProteinCheckWeightOption = Annotated[
    float | None, typer.Option("--weight-kg", help="Weight [kg], for the protein check.")
]
ProteinCheckAgeOption = Annotated[
    float | None, typer.Option("--age-months", help="Age [months], for the protein check.")
]
ResolutionOption = Annotated[
    float, typer.Option("--resolution", help="Scale step in grams: 1 (default), 0.5 or 0.1.")
]
RatioTol = Annotated[
    float, typer.Option("--ratio-tol", help=f"Ratio tolerance (± {_TOL.ratio:g}).")
]
KcalTol = Annotated[
    float, typer.Option("--kcal-tol-pct", help=f"Energy tolerance [%] (± {_TOL.kcal_pct:g}).")
]
ProteinTol = Annotated[
    float, typer.Option("--protein-tol-g", help=f"Protein tolerance [g] (± {_TOL.protein_g:g}).")
]


# ------------------------------------------------------------------------------ helpers
Command = TypeVar("Command", bound=Callable[..., None])


def checked_numbers(command: Command) -> Command:
    """``command`` with every numeric option checked against its range
    (:data:`spasmcare.keto.limits.OPTION_RANGES`, by option name) before it runs, so no
    energy, weight or amount can be infinite or overflow (exit 2 naming option, value, range)."""

    @functools.wraps(command)
    def run(**kwargs: Any) -> None:
        for name, value in kwargs.items():
            check_option("--" + name.replace("_", "-"), value)
        command(**kwargs)

    return cast(Command, run)


def _target(
    ratio: str | None,
    kcal: float | None,
    protein_g: float | None,
    fat_g: float | None,
    carb_g: float | None,
    *,
    protein_required: bool = True,
) -> MealTarget:
    if fat_g is not None or carb_g is not None:
        if ratio is not None or kcal is not None:
            raise InputError(
                "--fat-g",
                fat_g,
                "either --ratio/--kcal/--protein-g or --fat-g/--protein-g/--carb-g, not both",
            )
        if fat_g is None or carb_g is None or protein_g is None:
            raise InputError("--fat-g", fat_g, "--fat-g, --protein-g and --carb-g together")
        return MealTarget.from_macros(fat_g, protein_g, carb_g)
    if ratio is None or kcal is None:
        raise InputError(
            "--ratio",
            ratio,
            "a target: --ratio, --kcal and --protein-g (or --fat-g, --protein-g and --carb-g)",
        )
    if protein_required and protein_g is None:
        raise InputError("--protein-g", None, "a protein target in grams")
    return MealTarget(parse_ratio(ratio), kcal, protein_g)


def _pair(text: str, field: str, accepted: str) -> tuple[str, str]:
    """Split ``KEY=VALUE`` (both non-empty, stripped) or raise InputError on ``field``."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise InputError(field, text, accepted)
    return key.strip(), value.strip()


def _food_specs(specs: list[str], field: str) -> list[tuple[FoodLike, dict[str, float]]]:
    """Each ``ID[:min=,max=,fixed=]`` spec read and its food looked up in the food table."""
    table = default_table()
    out: list[tuple[FoodLike, dict[str, float]]] = []
    for spec in specs:
        food_id, limits = parse_food_spec(spec, field)
        out.append((table.get(food_id, field), limits))
    return out


def _meal_foods(specs: list[str], field: str = "--food") -> list[MealFood]:
    return [
        MealFood(
            f, min_amount=lim.get("min"), max_amount=lim.get("max"), fixed_amount=lim.get("fixed")
        )
        for f, lim in _food_specs(specs, field)
    ]


def _portions(items: list[str], field: str = "--item") -> list[Portion]:
    if not items:
        raise InputError(field, "(none)", "at least one FOOD_ID=GRAMS")
    table = default_table()
    out = []
    for text in items:
        food_id, amount, unit = parse_item(text, field)
        out.append(portion(table.get(food_id, field), amount, unit, field))
    return out


def _analysis_table(analysis: MealAnalysis, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for col in ("food", "g", "mL", "fat g", "protein g", "carb g", "fibre g", "kcal"):
        table.add_column(col, justify="left" if col == "food" else "right")
    for i in analysis.items:
        table.add_row(
            f"{i.name} ({i.food_id})",
            fmt(i.grams, 1),
            "" if i.volume_ml is None else fmt(i.volume_ml, 1),
            fmt(i.fat_g, 2),
            fmt(i.protein_g, 2),
            fmt(i.carb_g, 2),
            fmt(i.fibre_g, 2),
            fmt(i.kcal, 1),
        )
    unknown = " (+unknown)" if analysis.fibre_g.unknown_in else ""
    table.add_row(
        "[bold]total[/]",
        "",
        "",
        fmt(analysis.fat_g, 2),
        fmt(analysis.protein_g, 2),
        fmt(analysis.carb_g, 2),
        fmt(analysis.fibre_g.amount, 2) + unknown,
        fmt(analysis.kcal, 1),
    )
    return table


def _summary(console: Console, analysis: MealAnalysis) -> None:
    console.print(
        f"ratio {fmt(analysis.ratio, 2)}:1 · K:AK {fmt(analysis.k_ak, 2)} · "
        f"{fmt(analysis.kcal, 1)} kcal by 9/4/4 ({analysis.carbs} carbohydrate); "
        f"table energy {fmt(analysis.kcal_table.amount, 1)} kcal"
        + (" (lower bound)" if analysis.kcal_table.unknown_in else ""),
        highlight=False,
    )


def _warnings(console: Console, warnings: tuple[str, ...] | list[str]) -> None:
    for w in warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)


def _render_solution(console: Console, sol: MealSolution, title: str) -> None:
    t = sol.target
    console.print(
        f"[bold]{title}[/]: target {t.ratio:.2f}:1, {t.kcal:.0f} kcal"
        + ("" if t.protein_g is None else f", protein {t.protein_g:.1f} g")
        + f" · resolution {sol.resolution:g} g · {sol.carbs} carbohydrate",
        highlight=False,
    )
    if not sol.solved or sol.analysis is None:
        console.print(f"[bold red]no solution[/] ({sol.binding}): {sol.reason}", highlight=False)
        return
    console.print(_analysis_table(sol.analysis, "amounts"))
    _summary(console, sol.analysis)
    _warnings(console, sol.warnings)  # the analysis's warnings are among them


def _tolerances(ratio_tol: float, kcal_tol: float, protein_tol: float) -> Tolerances:
    return Tolerances(ratio=ratio_tol, kcal_pct=kcal_tol, protein_g=protein_tol)


# ------------------------------------------------------------------------------ commands
def analyze_cmd(
    item: Annotated[
        list[str], typer.Option("--item", help="FOOD_ID=GRAMS (or FOOD_ID=50ml); repeat.")
    ],
    carbs: CarbsOption = DEFAULT_CARBS,
    as_json: JsonOption = False,
) -> None:
    """Analyse foods and amounts: fat, protein, carbohydrate, fibre, kcal, ratio, K:AK."""
    analysis = analyze(_portions(item), parse_carb_basis(carbs))
    data = analysis.to_dict()

    def render(console: Console) -> None:
        console.print(_analysis_table(analysis, f"analysis ({analysis.carbs} carbohydrate)"))
        _summary(console, analysis)
        _warnings(console, analysis.warnings)

    emit(data, as_json, render)


def meal_cmd(
    food: Annotated[
        list[str],
        typer.Option("--food", help="FOOD_ID, FOOD_ID:min=G,max=G or FOOD_ID=G (fixed); repeat."),
    ],
    ratio: RatioOption = None,
    kcal: KcalOption = None,
    protein_g: ProteinOption = None,
    fat_g: FatOption = None,
    carb_g: CarbOption = None,
    resolution: ResolutionOption = 1.0,
    carbs: CarbsOption = DEFAULT_CARBS,
    med_carb_g: Annotated[
        float, typer.Option("--med-carb-g", help="Carbohydrate from medicines with this meal [g].")
    ] = 0.0,
    ratio_tol: RatioTol = _TOL.ratio,
    kcal_tol_pct: KcalTol = _TOL.kcal_pct,
    protein_tol_g: ProteinTol = _TOL.protein_g,
    as_json: JsonOption = False,
) -> None:
    """Solve a meal to the ratio, energy and protein in whole steps of the resolution."""
    basis = parse_carb_basis(carbs)
    target = _target(ratio, kcal, protein_g, fat_g, carb_g)
    food_only = food_target(target, med_carb_g)
    problem = meal_problem(
        _meal_foods(food),
        food_only,
        _tolerances(ratio_tol, kcal_tol_pct, protein_tol_g),
        resolution,
        basis,
    )
    solution = solve_meal(problem)
    data = solution.to_dict()
    if med_carb_g:
        data["medication"] = {"carb_g": med_carb_g, "meal_target": target.to_dict()}

    def render(console: Console) -> None:
        _render_solution(console, solution, "meal")
        if med_carb_g:
            console.print(
                f"medicines bring {med_carb_g:g} g carbohydrate: food carbohydrate target "
                f"{fmt(food_only.carb_g, 2)} g of {fmt(target.carb_g, 2)} g",
                highlight=False,
            )

    emit(data, as_json, render)


def swap_cmd(
    replace: Annotated[str, typer.Option("--replace", help="OLD_ID=NEW_ID.")],
    meal: Annotated[
        Path | None, typer.Option("--meal", help="A meal saved from `keto meal --json`.")
    ] = None,
    item: Annotated[
        list[str] | None, typer.Option("--item", help="Saved meal as FOOD_ID=GRAMS; repeat.")
    ] = None,
    ratio: RatioOption = None,
    kcal: KcalOption = None,
    protein_g: ProteinOption = None,
    resolution: ResolutionOption = 1.0,
    carbs: CarbsOption = DEFAULT_CARBS,
    ratio_tol: RatioTol = _TOL.ratio,
    kcal_tol_pct: KcalTol = _TOL.kcal_pct,
    protein_tol_g: ProteinTol = _TOL.protein_g,
    as_json: JsonOption = False,
) -> None:
    """Replace a food in a saved meal and re-solve, keeping the other amounts close."""
    basis = parse_carb_basis(carbs)
    old_id, new_id = _pair(replace, "--replace", "OLD_ID=NEW_ID, e.g. 01053=01052")
    table = default_table()
    if (meal is None) == (not item):
        raise InputError("--meal", meal, "either --meal FILE or --item FOOD_ID=GRAMS, not both")
    if meal is not None:
        text = read_text(meal, "--meal")
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise InputError(
                "--meal", str(meal), "a JSON file written by `keto meal --json`"
            ) from exc
        saved = SavedMeal.from_dict(doc, lambda i: table.get(i, "--meal"), source=str(meal))
    else:
        portions = _portions(item or [])
        for p in portions:
            if p.grams is None:
                raise InputError("--item", p.food.id, "an amount in grams")
        saved = SavedMeal(
            tuple({p.food.id: p.food for p in portions}.values()),
            {p.food.id: p.grams for p in portions if p.grams is not None},
        )
    amounts = saved.amounts
    old = table.get(old_id, "--replace").id
    new_food = table.get(new_id, "--replace")
    explicit = None
    if ratio is not None or kcal is not None or protein_g is not None:
        explicit = _target(ratio, kcal, protein_g, None, None)
    solution = swap_and_resolve(
        [MealFood(f) for f in saved.foods],
        amounts,
        old,
        new_food,
        saved.target_for(explicit, basis),
        _tolerances(ratio_tol, kcal_tol_pct, protein_tol_g),
        resolution,
        basis,
    )
    data = solution.to_dict()
    data["replaced"] = {"old": old, "new": new_food.id}
    data["before"] = [{"food_id": i, "grams": g} for i, g in amounts.items()]

    def render(console: Console) -> None:
        _render_solution(console, solution, f"swap {old} → {new_food.id}")
        if solution.solved:
            after = {i.food_id: i.grams for i in solution.items}
            moved = ", ".join(
                f"{i}: {g:g} → {after.get(i, 0) or 0:g} g"
                for i, g in amounts.items()
                if i != old and abs((after.get(i) or 0) - g) > 1e-9
            )
            console.print(f"changed: {moved or 'none of the other foods'}", highlight=False)

    emit(data, as_json, render)


def _render_menu(console: Console, menu: Menu) -> None:
    title = f"menu: {menu.days} days × {menu.meals_per_day} meals"
    table = Table(title=title, title_justify="left")
    for col in ("day", "meal", "foods (g)", "ratio", "kcal", "protein g"):
        table.add_column(col, justify="left" if col == "foods (g)" else "right")
    for m in menu.meals:
        a = m.solution.analysis
        assert a is not None
        table.add_row(
            str(m.day),
            str(m.meal),
            ", ".join(f"{i.name.split(',')[0]} {i.grams:g}" for i in m.solution.items),
            f"{a.ratio:.2f}",
            f"{a.kcal:.0f}",
            f"{a.protein_g:.1f}",
        )
    console.print(table)
    console.print(
        "meals per food: " + ", ".join(f"{k} × {v}" for k, v in menu.food_counts.items()),
        highlight=False,
    )
    for day, meal, reason in menu.unsolved:
        console.print(f"[bold red]day {day} meal {meal} unsolved:[/] {reason}", highlight=False)


def menu_cmd(
    ratio: RatioOption = None,
    kcal: KcalOption = None,
    protein_g: ProteinOption = None,
    fat_g: FatOption = None,
    carb_g: CarbOption = None,
    group: Annotated[
        list[str] | None,
        typer.Option("--group", help="NAME=ID,ID,...: one food of each group per meal; repeat."),
    ] = None,
    template: Annotated[
        list[str] | None,
        typer.Option("--template", help="A meal's foods: ID,ID[:min=G],...; repeat."),
    ] = None,
    days: Annotated[int, typer.Option("--days", help="Days (1–7).")] = 7,
    meals: Annotated[int, typer.Option("--meals", help="Meals a day.")] = 3,
    max_per_food: Annotated[
        int, typer.Option("--max-per-food", help="Most meals one food may appear in.")
    ] = DEFAULT_MAX_PER_FOOD,
    seed: Annotated[int, typer.Option("--seed", help="Shuffle seed (same seed, same menu).")] = 0,
    resolution: ResolutionOption = 1.0,
    carbs: CarbsOption = DEFAULT_CARBS,
    ratio_tol: RatioTol = _TOL.ratio,
    kcal_tol_pct: KcalTol = _TOL.kcal_pct,
    protein_tol_g: ProteinTol = _TOL.protein_g,
    as_json: JsonOption = False,
) -> None:
    """A menu with variety: each meal solved to the per-meal target."""
    target = _target(ratio, kcal, protein_g, fat_g, carb_g)
    groups = None
    templates = None
    if group:
        groups = {}
        for text in group:
            name, ids = _pair(text, "--group", "NAME=ID,ID,... e.g. fat=01001,04053")
            groups[name] = _meal_foods([i for i in ids.split(",") if i.strip()], "--group")
    if template:
        templates = []
        for text in template:
            specs = [s for s in text.replace(";", " ").replace(",", " ").split() if s]
            templates.append(_meal_foods(specs, "--template"))
    menu = plan_menu(
        target,
        templates=templates,
        groups=groups,
        days=days,
        meals_per_day=meals,
        max_per_food=max_per_food,
        tolerances=_tolerances(ratio_tol, kcal_tol_pct, protein_tol_g),
        resolution=resolution,
        carbs=parse_carb_basis(carbs),
        seed=seed,
    )
    emit(menu.to_dict(), as_json, lambda console: _render_menu(console, menu))


def _render_completeness(console: Console, report: CompletenessReport) -> None:
    table = Table(title=f"micronutrients vs DRI, {report.group}", title_justify="left")
    for col in ("nutrient", "food", "supplements", "DRI", "kind", "%", "status"):
        table.add_column(col, justify="left" if col in ("nutrient", "status") else "right")
    for r in report.rows:
        colour = "green" if r.status == "met" else "red"
        table.add_row(
            f"{r.label} [{r.unit}]",
            f"{r.from_food:.3g}",
            f"{r.from_supplements:.3g}",
            f"{r.reference.value:g}",
            r.reference.kind,
            f"{r.percent:.0f}",
            f"[{colour}]{r.status}[/]",
        )
    console.print(table)
    console.print("[bold]supplements a KDT plan usually needs[/]")
    for a in report.advice:
        console.print(f"• {a.supplement} — {a.because} [{a.source}]", highlight=False)


def completeness_cmd(
    item: Annotated[list[str], typer.Option("--item", help="A day's FOOD_ID=GRAMS; repeat.")],
    age_months: Annotated[float, typer.Option("--age-months", help="Age [months], 0–107.")],
    supplement: Annotated[
        list[str] | None,
        typer.Option("--supplement", help="NAME:key=AMOUNT,... per day, e.g. ca:calcium_mg=600."),
    ] = None,
    stone_risk: Annotated[
        bool, typer.Option("--stone-risk", help="Kidney stones are a risk (adds citrate).")
    ] = False,
    cannot_chew: Annotated[
        bool, typer.Option("--cannot-chew", help="Infant or child who cannot chew.")
    ] = False,
    carbs: CarbsOption = DEFAULT_CARBS,
    as_json: JsonOption = False,
) -> None:
    """A day's micronutrients against the DRI for age, shortfalls and usual supplements."""
    analysis = analyze(_portions(item), parse_carb_basis(carbs))
    report = assess(
        analysis.micronutrients,
        age_months,
        [parse_supplement(s) for s in supplement or []],
        stone_risk=stone_risk,
        cannot_chew=cannot_chew,
    )
    emit(report.to_dict(), as_json, lambda console: _render_completeness(console, report))


def medcarb_cmd(
    carb_g: Annotated[float, typer.Option("--carb-g", help="The day's carbohydrate [g].")],
    medication: Annotated[
        list[str],
        typer.Option("--medication", help="NAME:carb_mg=MG_PER_UNIT:per_day=UNITS; repeat."),
    ],
    meals: Annotated[int, typer.Option("--meals", help="Meals sharing the day's food carb.")] = 3,
    as_json: JsonOption = False,
) -> None:
    """The day's carbohydrate budget less the carbohydrate in medicines."""
    budget = carb_budget(carb_g, [parse_medication(m) for m in medication])
    share = budget.per_meal(meals)
    data = budget.to_dict()
    data["meals"] = meals
    data["food_carb_g_per_meal"] = share.food_carb_g
    data["medication_carb_g_per_meal"] = share.medication_carb_g

    def render(console: Console) -> None:
        table = Table(title="carbohydrate budget", title_justify="left")
        table.add_column("")
        table.add_column("g/day", justify="right")
        table.add_column("g/meal", justify="right")
        rows = [("prescribed", budget.day_carb_g, share.day_carb_g)]
        rows += [
            (f"− {m.name}", m.carb_g_per_day, per_meal)
            for m, per_meal in zip(budget.medications, share.each_medication_carb_g, strict=True)
        ]
        rows += [("[bold]left for food[/]", budget.food_carb_g, share.food_carb_g)]
        for label, per_day, per_meal in rows:
            table.add_row(label, f"{per_day:.2f}", f"{per_meal:.2f}")
        console.print(table)
        _warnings(console, budget.warnings())

    emit(data, as_json, render)


def register(app: typer.Typer) -> None:
    """Add the meal, menu and completeness commands to the ``keto`` Typer app."""
    app.command("analyze")(checked_numbers(analyze_cmd))
    app.command("meal")(checked_numbers(meal_cmd))
    app.command("swap")(checked_numbers(swap_cmd))
    app.command("menu")(checked_numbers(menu_cmd))
    app.command("completeness")(checked_numbers(completeness_cmd))
    app.command("medcarb")(checked_numbers(medcarb_cmd))
