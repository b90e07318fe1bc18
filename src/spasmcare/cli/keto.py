"""``spasmcare keto``: ketogenic diet prescriptions, meals and infant feeds."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from spasmcare.cli import keto_feed, keto_long, keto_meals
from spasmcare.cli._common import JsonOption, emit, fmt
from spasmcare.errors import InputError
from spasmcare.growth import parse_sex
from spasmcare.keto import initiation as init_mod
from spasmcare.keto import prescription as rx_mod
from spasmcare.keto.ratio import parse_carb_basis, parse_ratio

app = typer.Typer(
    help="Ketogenic diet therapy: prescriptions, meals, infant feeds.", no_args_is_help=True
)


def build_prescription(
    *,
    diet: str,
    age_months: float,
    weight_kg: float,
    sex: str | None = None,
    length_cm: float | None = None,
    ratio: str | None = None,
    kcal: float | None = None,
    kcal_per_kg: float | None = None,
    energy_equation: str | None = None,
    energy_percent: float = 100.0,
    protein_g_per_kg: float | None = None,
    protein_g: float | None = None,
    protein_reference: str = "iom",
    meals: int = 3,
    snacks: list[float] | None = None,
    carbs: str = rx_mod.DEFAULT_CARBS,
    fluid_rule: str | None = None,
    mct_percent: float = rx_mod.MCT_PERCENT_DEFAULT,
    carb_percent: float = rx_mod.MCT_CARB_PERCENT_DEFAULT,
    carb_limit_g: float = rx_mod.MAD_CARB_G_DEFAULT,
    fat_g: float | None = None,
    carb_g: float = rx_mod.LGIT_CARB_G_DEFAULT,
    gi_cutoff: float = rx_mod.LGIT_GI_CUTOFF_DEFAULT,
) -> rx_mod.Prescription:
    """Map CLI-style arguments onto the domain functions (no clinical logic here)."""
    if diet not in rx_mod.DIETS:
        raise InputError("--diet", diet, "one of " + ", ".join(rx_mod.DIETS))
    patient = rx_mod.Patient(age_months, weight_kg, parse_sex(sex, "--sex"), length_cm)
    energy = rx_mod.EnergySpec(kcal, kcal_per_kg, energy_equation, energy_percent)
    protein = rx_mod.ProteinSpec(protein_g_per_kg, protein_g, protein_reference)
    basis = parse_carb_basis(carbs)
    fluid: dict[str, Any] = {"fluid_rule": fluid_rule} if fluid_rule else {}
    if diet != "classic" and ratio is not None:
        raise InputError("--ratio", ratio, "a ratio only with --diet classic")
    if diet == "classic":
        if ratio is None:
            raise InputError("--ratio", None, "a ratio for the classic diet, like 3 or 3:1")
        return rx_mod.classic(
            patient,
            parse_ratio(ratio),
            energy,
            protein,
            meals=meals,
            snack_fractions=snacks or (),
            carbs=basis,
            **fluid,
        )
    if diet == "mct":
        return rx_mod.mct(
            patient,
            energy,
            protein,
            mct_percent=mct_percent,
            carb_percent=carb_percent,
            meals=meals,
            snack_fractions=snacks or (),
            carbs=basis,
            **fluid,
        )
    if diet == "mad":
        return rx_mod.mad(
            patient,
            carb_limit_g=carb_limit_g,
            fat_target_g=fat_g,
            meals=meals,
            carbs=basis,
            **fluid,
        )
    has_energy = any(v is not None for v in (kcal, kcal_per_kg, energy_equation))
    return rx_mod.lgit(
        patient,
        energy if has_energy else None,
        protein,
        carb_g=carb_g,
        gi_cutoff=gi_cutoff,
        meals=meals,
        carbs=basis,
        **fluid,
    )


def render_prescription(console: Console, rx: rx_mod.Prescription) -> None:
    """A dietitian's view of a prescription: day totals, meals, warnings, sources."""
    names = {
        "classic": "classic ketogenic",
        "mct": "MCT ketogenic",
        "mad": "modified Atkins",
        "lgit": "low glycaemic index",
    }
    title = f"{names[rx.diet]} diet"
    if rx.ratio is not None:
        title += f" {rx.ratio:g}:1" if rx.diet == "classic" else f" (works out at {rx.ratio:.2f}:1)"
    day = Table(title=title, show_header=False, title_justify="left")
    day.add_column(style="bold")
    day.add_column()
    p = rx.patient
    day.add_row(
        "patient",
        f"{p['age_months']:g} months, {p['weight_kg']:g} kg, {p['sex'] or 'sex not given'}",
    )
    if rx.kcal is not None:
        how = rx.energy.get("description") or rx.energy.get("method")
        if rx.energy.get("method") == "equation":
            how = f"{how} = {rx.energy['equation_kcal']:.0f} kcal × {rx.energy['percent']:g} %"
        day.add_row("energy", f"{fmt(rx.kcal, 0)} kcal/day ({how})")
    else:
        day.add_row("energy", rx.energy.get("note", "not set"))
    day.add_row("fat", f"{fmt(rx.fat_g)} g/day" if rx.fat_g is not None else "not set")
    if rx.protein_g is not None:
        ref = rx.protein.get("description", rx.protein["method"])
        per_kg = rx.protein_g / p["weight_kg"]
        day.add_row("protein", f"{fmt(rx.protein_g)} g/day ({per_kg:.2f} g/kg; {ref})")
    else:
        day.add_row("protein", rx.protein.get("note", "not set"))
    limit = " (daily limit)" if rx.diet == "mad" else ""
    day.add_row("carbohydrate", f"{fmt(rx.carb_g)} g/day{limit}, {rx.carbs}")
    if rx.dietary_units is not None:
        day.add_row("dietary units", f"{fmt(rx.dietary_units)} × {fmt(rx.kcal_per_unit, 0)} kcal")
    if rx.k_ak is not None:
        day.add_row("K:AK (Woodyatt)", fmt(rx.k_ak, 2))
    day.add_row("fluid", f"{fmt(rx.fluid_ml, 0)} mL/day ({rx.fluid['description']})")
    for key, label, unit in (
        ("mct_oil_g", "MCT oil", "g/day"),
        ("liquigen_ml", "or Liquigen", "mL/day"),
        ("lct_fat_g", "long-chain fat", "g/day"),
        ("gi_cutoff", "glycaemic index", "cut-off (foods below)"),
    ):
        if key in rx.details:
            day.add_row(label, f"{fmt(rx.details[key])} {unit}")
    if "liquigen_note" in rx.details:
        day.add_row("Liquigen", str(rx.details["liquigen_note"]))
    console.print(day)
    meals = Table(title="per meal (each at the full ratio)", title_justify="left")
    for col in ("", "share", "fat g", "protein g", "carb g", "kcal"):
        meals.add_column(col, justify="right" if col else "left")
    for m in rx.per_meal:
        meals.add_row(
            m.name,
            f"{m.fraction * 100:.1f} %",
            fmt(m.fat_g),
            fmt(m.protein_g),
            fmt(m.carb_g),
            fmt(m.kcal, 0),
        )
    console.print(meals)
    for w in rx.warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
    console.print("[dim]Sources:[/]")
    for i, s in enumerate(rx.sources, 1):
        console.print(f"[dim] {i}. {s}[/]", highlight=False)
    console.print(
        "[dim]Supports, and never replaces, the judgement of a qualified clinical team.[/]"
    )


def render_initiation(console: Console, plan: list[init_mod.InitiationDay], title: str) -> None:
    """The day-by-day gradual start as a table."""
    table = Table(title=title, title_justify="left")
    for col in ("day", "ratio", "energy", "kcal", "fat g", "protein g", "carb g"):
        table.add_column(col, justify="right")
    for d in plan:
        table.add_row(
            str(d.day),
            f"{d.ratio:g}:1",
            f"{d.energy_fraction * 100:.0f} %",
            fmt(d.kcal, 0),
            fmt(d.fat_g),
            fmt(d.protein_g),
            fmt(d.carb_g),
        )
    console.print(table)


@app.command()
@keto_meals.checked_numbers
def prescribe(
    age_months: Annotated[float, typer.Option("--age-months", help="Age [months].")],
    weight_kg: Annotated[float, typer.Option("--weight-kg", help="Weight [kg].")],
    diet: Annotated[str, typer.Option(help="classic | mct | mad | lgit")] = "classic",
    sex: Annotated[str | None, typer.Option(help="male | female")] = None,
    length_cm: Annotated[float | None, typer.Option("--length-cm", help="Length [cm].")] = None,
    ratio: Annotated[str | None, typer.Option(help="Classic ratio: 3, 3.5 or 3:1.")] = None,
    kcal: Annotated[float | None, typer.Option(help="Energy [kcal/day].")] = None,
    kcal_per_kg: Annotated[float | None, typer.Option("--kcal-per-kg")] = None,
    energy_equation: Annotated[
        str | None,
        typer.Option("--energy-equation", help="iom-eer | fao-2004 | schofield | compass-kd"),
    ] = None,
    energy_percent: Annotated[float, typer.Option("--energy-percent")] = 100.0,
    protein_g_per_kg: Annotated[float | None, typer.Option("--protein-g-per-kg")] = None,
    protein_g: Annotated[float | None, typer.Option("--protein-g", help="Protein [g/day].")] = None,
    protein_reference: Annotated[
        str, typer.Option("--protein-reference", help="iom | who-2007")
    ] = "iom",
    meals: Annotated[int, typer.Option(help="Number of equal meals.")] = 3,
    snack: Annotated[
        list[float] | None, typer.Option(help="A snack's share of the day (0-1); repeatable.")
    ] = None,
    carbs: Annotated[str, typer.Option(help="net | total")] = rx_mod.DEFAULT_CARBS,
    fluid_rule: Annotated[
        str | None, typer.Option("--fluid-rule", help="ml-per-kcal | ml-per-kg | holliday-segar")
    ] = None,
    mct_percent: Annotated[float, typer.Option("--mct-percent")] = rx_mod.MCT_PERCENT_DEFAULT,
    carb_percent: Annotated[
        float, typer.Option("--carb-percent")
    ] = rx_mod.MCT_CARB_PERCENT_DEFAULT,
    carb_limit_g: Annotated[float, typer.Option("--carb-limit-g")] = rx_mod.MAD_CARB_G_DEFAULT,
    fat_g: Annotated[float | None, typer.Option("--fat-g", help="MAD fat target [g/day].")] = None,
    carb_g: Annotated[
        float, typer.Option("--carb-g", help="LGIT carbohydrate [g/day].")
    ] = rx_mod.LGIT_CARB_G_DEFAULT,
    gi_cutoff: Annotated[float, typer.Option("--gi-cutoff")] = rx_mod.LGIT_GI_CUTOFF_DEFAULT,
    initiation: Annotated[
        str | None, typer.Option(help="Add a gradual start: ratio | volume (classic only).")
    ] = None,
    days_per_step: Annotated[int, typer.Option("--days-per-step")] = 1,
    as_json: JsonOption = False,
) -> None:
    """Daily and per-meal targets for a classic, MCT, modified Atkins or LGIT diet."""
    rx = build_prescription(
        diet=diet,
        age_months=age_months,
        weight_kg=weight_kg,
        sex=sex,
        length_cm=length_cm,
        ratio=ratio,
        kcal=kcal,
        kcal_per_kg=kcal_per_kg,
        energy_equation=energy_equation,
        energy_percent=energy_percent,
        protein_g_per_kg=protein_g_per_kg,
        protein_g=protein_g,
        protein_reference=protein_reference,
        meals=meals,
        snacks=snack,
        carbs=carbs,
        fluid_rule=fluid_rule,
        mct_percent=mct_percent,
        carb_percent=carb_percent,
        carb_limit_g=carb_limit_g,
        fat_g=fat_g,
        carb_g=carb_g,
        gi_cutoff=gi_cutoff,
    )
    data = rx.to_dict()
    plan: list[init_mod.InitiationDay] = []
    if initiation is not None:
        plan, sources = init_mod.initiation_for(rx, initiation, days_per_step)
        data["initiation"] = [d.to_dict() for d in plan]
        data["sources"] += sources

    def render(console: Console) -> None:
        render_prescription(console, rx)
        if plan:
            render_initiation(console, plan, f"gradual start ({initiation})")

    emit(data, as_json, render)


# Meal, menu and completeness commands live in their own module, the infant feed in another.
keto_meals.register(app)
keto_feed.register(app)
# The diet's monitoring schedule and weaning plan (issue 24) likewise.
keto_long.register(app)
