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

from spasmcare.cli._common import check_calendar_date, emit, parse_today, read_text
from spasmcare.errors import InputError
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
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
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
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
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
        try:
            html.write_text(weaning_html(plan), encoding="utf-8")
        except OSError as exc:
            raise InputError("--html", str(html), f"a writable file path ({exc})") from exc
        plan = {**plan, "html": str(html)}

    def render(console: Console) -> None:
        console.print(weaning_text(plan), markup=False, highlight=False)

    emit(plan, as_json, render)


def register(app: typer.Typer) -> None:
    """Add the monitoring and weaning commands to the ``keto`` Typer app."""
    from spasmcare.cli.keto_meals import checked_numbers

    app.command("checks")(checks_cmd)
    app.command("wean")(checked_numbers(wean_cmd))
