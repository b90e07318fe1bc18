"""``spasmcare keto checks|wean``: the diet's monitoring schedule and a plan to come off it.

A thin adapter over :mod:`spasmcare.keto.monitoring`, :mod:`spasmcare.keto.weaning` and
:mod:`spasmcare.keto.weaning_print` (one JSON document with ``--json``, Rich tables otherwise).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from spasmcare.cli._common import (
    JsonOption,
    check_calendar_date,
    emit,
    parse_today,
    read_text,
    write_text,
)
from spasmcare.cli.keto_meals import (
    CarbsOption,
    ProteinCheckAgeOption,
    ProteinCheckWeightOption,
    checked_numbers,
)
from spasmcare.errors import InputError
from spasmcare.keto.ratio import DEFAULT_CARBS
from spasmcare.plain import day_text


def checks_cmd(
    record: Annotated[Path, typer.Argument(help="Patient record JSON (schema v1).")],
    diet: Annotated[
        str | None, typer.Option("--diet", help="Diet period id (default: every diet period).")
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="The day YYYY-MM-DD (default: system date).")
    ] = None,
    infant_interval_months: Annotated[
        int | None,
        typer.Option(
            "--infant-interval-months",
            help="Clinic setting: months between checks while under 12 months (no source "
            "gives it; unset by default).",
        ),
    ] = None,
    overdue_after_days: Annotated[
        int, typer.Option("--overdue-after-days", help="Days a check stays 'due': 0.")
    ] = 0,
    as_json: JsonOption = False,
) -> None:
    """The diet's dated checks (blood tests, urine calcium:creatinine, growth, ketones, bone
    health) at baseline, 3, 6, 12, 18, 24 months and yearly, each done, due, overdue or
    upcoming, with its source."""
    from spasmcare.keto.monitoring import MonitoringSettings, check_status, record_checks
    from spasmcare.record import record_from_json

    day = parse_today(today) or date.today()
    rec = record_from_json(read_text(record), today=day)
    try:
        settings = MonitoringSettings(infant_interval_months, 0, overdue_after_days)
    except InputError as exc:
        raise InputError("--" + exc.field.replace("_", "-"), exc.value, exc.accepted) from exc
    if diet is not None:
        period = rec.diet(diet)
        if period is None:
            ids = ", ".join(d.id for d in rec.diet_periods) or "(none in the record)"
            raise InputError("--diet", diet, "the id of a diet period in the record: " + ids)
        data = [check_status(rec, period, day, settings)]
    else:
        data = record_checks(rec, day, settings)

    def render(console: Console) -> None:
        if not data:
            console.print("No diet period in the record.")
        for block in data:
            table = Table(title=f"Checks of diet {block['diet']} on {day_text(day)}")
            for col in ("date", "month", "check", "status", "done on"):
                table.add_column(col)
            for r in block["checks"]:
                done = day_text(r["done_on"]) if r["done_on"] else ""
                table.add_row(day_text(r["date"]), str(r["month"]), r["label"], r["status"], done)
            console.print(table)
            for flag in block["flags"]:
                console.print(f"[yellow]{flag}[/yellow]")

    emit({"today": day, "diets": data}, as_json, render)


def wean_cmd(
    food: Annotated[
        list[str],
        typer.Option("--food", help="FOOD_ID, FOOD_ID:min=G,max=G or FOOD_ID=G; repeat."),
    ],
    schedule: Annotated[
        str, typer.Option("--schedule", help="after-1-year, short-trial or mad-lgit.")
    ],
    start: Annotated[str, typer.Option("--start", help="First day of weaning YYYY-MM-DD.")],
    from_: Annotated[
        float,
        typer.Option("--from", help="Current ratio (classic) or carbohydrate g/day (MAD/LGIT)."),
    ],
    to: Annotated[
        float,
        typer.Option(
            "--to", help="Last ratio or carbohydrate g/day of the plan (the team's choice)."
        ),
    ],
    kcal: Annotated[float, typer.Option("--kcal", help="Energy a day [kcal].")],
    protein_g: Annotated[float, typer.Option("--protein-g", help="Protein a day [g].")],
    meals: Annotated[int, typer.Option("--meals", help="Meals a day: 3.")] = 3,
    step: Annotated[
        float | None, typer.Option("--step", help="Step size (default: the schedule's).")
    ] = None,
    interval_days: Annotated[
        int | None, typer.Option("--interval-days", help="Days per step (default: schedule's).")
    ] = None,
    spasms_returned: Annotated[
        str | None,
        typer.Option("--spasms-returned", help="Re-plan from this day YYYY-MM-DD."),
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the family's printable page here.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """A dated weaning plan: each step solved to a real meal at its ratio (or carbohydrate),
    a ketone check at the end of each step; re-planned if spasms return."""
    from spasmcare.cli.keto_meals import _meal_foods
    from spasmcare.keto.weaning import WeaningRequest, plan_weaning, replan
    from spasmcare.keto.weaning_print import weaning_html, weaning_text

    first = check_calendar_date(start, "--start")
    request = WeaningRequest(
        schedule, first, from_, to, kcal, protein_g, meals, step, interval_days
    )
    plan = plan_weaning(request, _meal_foods(food))
    if spasms_returned is not None:
        plan = replan(plan, check_calendar_date(spasms_returned, "--spasms-returned"))
    if html is not None:
        write_text(html, weaning_html(plan), "--html")
        plan = {**plan, "html": str(html)}

    def render(console: Console) -> None:
        console.print(weaning_text(plan), markup=False, highlight=False)

    emit(plan, as_json, render)


def feeding_mode_cmd(
    mode: Annotated[str, typer.Argument(help="breastfeed, ebm or solids.")],
    ratio: Annotated[str, typer.Option("--ratio", help="Ratio, e.g. 3 or 3:1.")],
    kcal: Annotated[float, typer.Option("--kcal", help="Energy a day [kcal].")],
    volume_ml: Annotated[
        float,
        typer.Option("--volume-ml", help="Fluid a day [mL]: breast milk + bottles (formula)."),
    ],
    formula: Annotated[
        list[str],
        typer.Option("--formula", help="Formula or module: ID (powder) or ID:liquid; repeat."),
    ],
    feeds: Annotated[int, typer.Option("--feeds", help="Feeds a day.")] = 6,
    breast_milk_ml: Annotated[
        float, typer.Option("--breast-milk-ml", help="Breast milk per feed [mL] (fixed).")
    ] = 0.0,
    solid: Annotated[
        list[str] | None, typer.Option("--solid", help="Baby food ID, one new a week; repeat.")
    ] = None,
    solid_portion_g: Annotated[
        float | None,
        typer.Option("--solid-portion-g", help="Clinic setting: g a day of each solid (10)."),
    ] = None,
    weeks: Annotated[
        int | None, typer.Option("--weeks", help="Clinic setting: weeks of solids (4).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First day of week 1 of solids YYYY-MM-DD.")
    ] = None,
    weight_kg: ProteinCheckWeightOption = None,
    age_months: ProteinCheckAgeOption = None,
    carbs: CarbsOption = DEFAULT_CARBS,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the family's sheet here.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Breastfeeds then a keto bottle, expressed breast milk in the formula, or solids week by
    week: every day solved at the ratio and energy, the family's sheet per feed in mL."""
    from spasmcare.foods import default_table
    from spasmcare.keto.feeding_modes import (
        DEFAULT_SOLID_PORTION_G_PER_DAY,
        FeedingRequest,
        plan_feeding,
    )
    from spasmcare.keto.feeding_print import feeding_html, feeding_text
    from spasmcare.keto.ratio import parse_carb_basis, parse_ratio

    table = default_table()
    parts = []
    for spec in formula:
        food_id, _, kind = spec.partition(":")
        if kind not in ("", "powder", "liquid"):
            raise InputError("--formula", spec, "ID, ID:powder or ID:liquid")
        parts.append((table.get(food_id, "--formula"), kind or "powder"))
    request = FeedingRequest(
        mode,  # type: ignore[arg-type]  # checked by the request
        parse_ratio(ratio),
        kcal,
        volume_ml,
        feeds,
        tuple(parts),  # type: ignore[arg-type]
        breast_milk_ml,
        tuple(table.get(s, "--solid") for s in solid or []),
        DEFAULT_SOLID_PORTION_G_PER_DAY if solid_portion_g is None else solid_portion_g,
        weeks,
        weight_kg,
        age_months,
        None if start is None else check_calendar_date(start, "--start"),
    )
    plan = plan_feeding(request, carbs=parse_carb_basis(carbs))
    if html is not None:
        write_text(html, feeding_html(plan), "--html")
        plan = {**plan, "html": str(html)}

    def render(console: Console) -> None:
        console.print(feeding_text(plan), markup=False, highlight=False)

    emit(plan, as_json, render)


def register(app: typer.Typer) -> None:
    """Add the monitoring and weaning commands to the ``keto`` Typer app."""
    app.command("checks")(checks_cmd)
    app.command("wean")(checked_numbers(wean_cmd))
    app.command("feeding-mode")(checked_numbers(feeding_mode_cmd))
