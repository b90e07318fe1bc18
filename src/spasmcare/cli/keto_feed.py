"""``spasmcare keto feed``: an infant feed of formula, milk, modules and water.

A thin adapter over :func:`spasmcare.keto.feeds.solve_feed`. A formula-led feed (no
``--protein-g``) takes the protein its formula brings; with ``--weight-kg`` and ``--age-months``
that protein is checked against the age minimum and a clinic's maximum
(:func:`spasmcare.keto.protein.check_protein`), as the web feed planner does.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from spasmcare.cli._common import JsonOption, emit
from spasmcare.cli.keto_meals import (
    _TOL,
    CarbsOption,
    KcalTol,
    ProteinCheckAgeOption,
    ProteinCheckWeightOption,
    ProteinTol,
    RatioTol,
    _food_specs,
    _pair,
    _tolerances,
    _warnings,
    checked_numbers,
)
from spasmcare.errors import InputError
from spasmcare.foods import default_table
from spasmcare.keto.feeds import (
    FeedIngredient,
    FeedPlan,
    FeedTarget,
    Kind,
    formula_led_protein_check,
    solve_feed,
)
from spasmcare.keto.limits import DENSITY, check_value
from spasmcare.keto.protein import DEFAULT_PROTEIN_REFERENCE, ProteinCheck
from spasmcare.keto.ratio import DEFAULT_CARBS, parse_carb_basis, parse_ratio


def _feed_ingredients(specs: list[str], kind: Kind) -> list[FeedIngredient]:
    return [
        FeedIngredient(
            f,
            kind,
            min_per_day=lim.get("min"),
            max_per_day=lim.get("max"),
            fixed_per_day=lim.get("fixed"),
        )
        for f, lim in _food_specs(specs, f"--{kind}")
    ]


def _densities(specs: list[str]) -> dict[str, float]:
    """``FOOD_ID=G_PER_ML`` read into a dict (the density itself is checked by the feeds)."""
    accepted = "FOOD_ID=G_PER_ML, e.g. 01107=1.03"
    table = default_table()
    out = {}
    for spec in specs:
        food_id, value = _pair(spec, "--density", accepted)
        food = table.get(food_id, "--density")
        try:
            density = float(value)
        except ValueError as exc:
            raise InputError("--density", spec, accepted) from exc
        out[food.id] = check_value(DENSITY, density, "--density", spec)
    return out


def _render_feed(console: Console, plan: FeedPlan, check: ProteinCheck | None) -> None:
    t = plan.target
    console.print(
        f"[bold]feeds[/]: {t.feeds} × {plan.feed_volume_ml:g} mL, {t.ratio:.2f}:1, "
        f"{t.kcal:.0f} kcal/day"
        + ("" if t.protein_g is None else f", protein {t.protein_g:g} g/day")
        + f" · made up per {plan.batch}",
        highlight=False,
    )
    if not plan.solved or plan.day_analysis is None:
        console.print(f"[bold red]no solution[/] ({plan.binding}): {plan.reason}", highlight=False)
        _warnings(console, plan.warnings)
        return
    table = Table(title="recipe", title_justify="left")
    for col in ("ingredient", "per feed", "per day", "kcal/day 9/4/4", "kcal/day label"):
        table.add_column(col, justify="left" if col == "ingredient" else "right")
    for one, day, item in zip(plan.per_feed, plan.day, plan.day_analysis.items, strict=True):
        table.add_row(
            f"{one.name} ({one.food_id})",
            f"{one.amount:.1f} {one.unit}",
            f"{day.amount:g} {day.unit}",
            f"{item.kcal:.1f}",
            "not given" if item.kcal_table is None else f"{item.kcal_table:.1f}",
        )
    table.add_row(
        "water, up to",
        f"{plan.water_ml_per_feed or 0.0:.1f} ml",
        f"{plan.water_ml_per_day or 0.0:.0f} ml",
        "",
        "",
    )
    table.add_row("[bold]volume[/]", f"{plan.feed_volume_ml:g} ml", f"{t.volume_ml:g} ml", "", "")
    console.print(table)
    a = plan.day_analysis
    console.print(
        f"day: fat {a.fat_g:.1f} g, protein {a.protein_g:.1f} g, carbohydrate {a.carb_g:.1f} g, "
        f"{a.kcal:.0f} kcal ({plan.kcal_per_ml or 0.0:.2f} kcal/mL), ratio {a.ratio:.2f}:1, "
        f"K:AK {a.k_ak:.2f}",
        highlight=False,
    )
    basis = plan.energy_basis()
    if basis is not None:
        console.print(basis["statement"], highlight=False)
    _render_protein_check(console, plan, check)
    _warnings(console, plan.warnings)


def _render_protein_check(console: Console, plan: FeedPlan, check: ProteinCheck | None) -> None:
    if check is not None:
        style = "green" if check.status == "pass" else "bold yellow"
        console.print(f"[{style}]protein check {check.status}:[/] {check.message}", highlight=False)
    elif plan.target.protein_g is None:
        console.print(
            "protein not checked against the minimum for age: give --weight-kg and --age-months",
            highlight=False,
        )


def _protein_check(
    plan: FeedPlan,
    weight_kg: float | None,
    age_months: float | None,
    reference: str,
    maximum_g_per_kg: float | None,
) -> ProteinCheck | None:
    """The protein a formula-led feed brings (no ``--protein-g``), checked against the age
    minimum and the clinic's maximum; ``None`` when protein was a target or the feed unsolved."""
    if (weight_kg is None) != (age_months is None):
        missing = "--age-months" if age_months is None else "--weight-kg"
        raise InputError(missing, "(none)", "both --weight-kg and --age-months, or neither")
    return formula_led_protein_check(plan, weight_kg, age_months, reference, maximum_g_per_kg)


def feed_cmd(
    ratio: Annotated[str, typer.Option("--ratio", help="Ratio, e.g. 3 or 3:1.")],
    kcal: Annotated[float, typer.Option("--kcal", help="Energy per day [kcal].")],
    volume_ml: Annotated[float, typer.Option("--volume-ml", help="Volume per day [mL].")],
    feeds: Annotated[int, typer.Option("--feeds", help="Feeds per day.")] = 6,
    protein_g: Annotated[
        float | None, typer.Option("--protein-g", help="Protein per day [g] (optional).")
    ] = None,
    powder: Annotated[
        list[str] | None,
        typer.Option("--powder", help="Powder weighed in g: ID[:min=,max=,fixed=] per day."),
    ] = None,
    liquid: Annotated[
        list[str] | None,
        typer.Option("--liquid", help="Liquid measured in mL: ID[:min=,max=,fixed=] per day."),
    ] = None,
    density: Annotated[
        list[str] | None, typer.Option("--density", help="FOOD_ID=G_PER_ML for a liquid.")
    ] = None,
    batch: Annotated[
        str, typer.Option("--batch", help="Weigh a day's batch (day) or each feed (feed).")
    ] = "day",
    powder_resolution: Annotated[
        float, typer.Option("--powder-resolution", help="Powder step [g].")
    ] = 1.0,
    liquid_resolution: Annotated[
        float, typer.Option("--liquid-resolution", help="Liquid step [mL].")
    ] = 1.0,
    weight_kg: ProteinCheckWeightOption = None,
    age_months: ProteinCheckAgeOption = None,
    protein_reference: Annotated[
        str,
        typer.Option("--protein-reference", help="Minimum protein for age: iom or who-2007."),
    ] = DEFAULT_PROTEIN_REFERENCE,
    protein_max_g_per_kg: Annotated[
        float | None,
        typer.Option(
            "--protein-max-g-per-kg",
            help="The clinic's protein upper limit [g/kg/day] (no reference gives one).",
        ),
    ] = None,
    carbs: CarbsOption = DEFAULT_CARBS,
    ratio_tol: RatioTol = _TOL.ratio,
    kcal_tol_pct: KcalTol = _TOL.kcal_pct,
    protein_tol_g: ProteinTol = _TOL.protein_g,
    as_json: JsonOption = False,
) -> None:
    """Infant feed: formula, milk, modules and water to a ratio, energy and volume."""
    ingredients = _feed_ingredients(powder or [], "powder") + _feed_ingredients(
        liquid or [], "liquid"
    )
    target = FeedTarget(parse_ratio(ratio), kcal, volume_ml, feeds, protein_g)
    plan = solve_feed(
        ingredients,
        target,
        tolerances=_tolerances(ratio_tol, kcal_tol_pct, protein_tol_g),
        powder_resolution_g=powder_resolution,
        liquid_resolution_ml=liquid_resolution,
        carbs=parse_carb_basis(carbs),
        batch=batch,  # type: ignore[arg-type]
        densities=_densities(density or []),
    )
    check = _protein_check(plan, weight_kg, age_months, protein_reference, protein_max_g_per_kg)
    data: dict[str, Any] = plan.to_dict()
    data["protein_check"] = None if check is None else check.to_dict()
    emit(data, as_json, lambda console: _render_feed(console, plan, check))


def register(app: typer.Typer) -> None:
    """Add the feed command to the ``keto`` Typer app."""
    app.command("feed")(checked_numbers(feed_cmd))
