"""``spasmcare therapy``: drug-course protocols, day-by-day plans, .ics export, confirmations."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from spasmcare.cli._common import check_calendar_date, emit, fmt
from spasmcare.errors import InputError
from spasmcare.therapy import (
    confirm_detail,
    day7_decision_id,
    list_protocols,
    load_protocol,
    plan_course,
    table_rows,
    write_ics,
)
from spasmcare.therapy.bsa import FORMULAS
from spasmcare.therapy.offer import offered_protocols
from spasmcare.therapy.schedule import CoursePlan

app = typer.Typer(
    help="Drug courses (first line; second line after a recorded failure): protocols, dose "
    "schedules, monitoring, calendar export.",
    no_args_is_help=True,
)

#: Domain field names -> the option a CLI user typed (applied to every command).
CLI_FIELDS = {
    "weight_kg": "--weight-kg",
    "length_cm": "--length-cm",
    "start": "--start",
    "decisions": "--decision",
    "age_months": "--age-months",
    "birth_date": "--birth-date",
    "sex": "--sex",
    "products": "--product",
    "bsa_formula": "--bsa-formula",
}


@contextmanager
def _cli_fields() -> Iterator[None]:
    """Re-raise a domain InputError under the option name the user typed."""
    try:
        yield
    except InputError as exc:
        field = CLI_FIELDS.get(exc.field)
        if field is None:
            raise
        raise InputError(field, exc.value, exc.accepted) from None


ProtocolsDir = Annotated[
    str | None,
    typer.Option(
        "--protocols-dir",
        envvar="SPASMCARE_PROTOCOLS_DIR",
        help="The clinic's directory of protocol copies and confirmations.",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _number(value: str, field: str, accepted: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise InputError(field, value, accepted) from None
    if not math.isfinite(number):
        raise InputError(field, value, accepted)
    return number


def _strength_or_name(value: str) -> float | str:
    """A --product value: a number is a strength, anything else part of a product name."""
    try:
        number = float(value)
    except ValueError:
        return value
    if not math.isfinite(number):
        raise InputError("--product", value, "DRUG=strength in mg/mL or U/mL, or a product name")
    return number


def _pairs(items: list[str], field: str, accepted: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(field, item, accepted)
        out.append((key.strip(), value.strip()))
    return out


def _yes_no(value: str, field: str) -> bool:
    text = value.lower()
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    raise InputError(field, value, "yes or no")


@app.command("protocols")
def protocols_cmd(protocols_dir: ProtocolsDir = None, as_json: AsJson = False) -> None:
    """List the protocols (the version courses use: the clinic's newest, else the bundled)."""
    with _cli_fields():
        data = [p.summary() for p in list_protocols(protocols_dir)]

    def render(console: Console) -> None:
        table = Table(title="Drug-course protocols")
        cols = ["id", "version", "origin", "drugs", "needs length", "confirmed / details"]
        cols.append("waiting")
        for col in cols:
            table.add_column(col)
        for p in data:
            table.add_row(
                p["id"],
                str(p["version"]),
                p["origin"],
                ", ".join(p["drugs"]),
                "yes" if p["needs_length"] else "no",
                f"{len(p['confirmed_details'])} / {len(p['flagged_details'])}",
                ", ".join(p["waiting_details"]) or "-",
            )
        console.print(table)

    emit(data, as_json, render)


@app.command("show")
def show_cmd(
    protocol: Annotated[str, typer.Option("--protocol", help="Protocol id.")],
    version: Annotated[int | None, typer.Option("--version", help="Default: latest.")] = None,
    protocols_dir: ProtocolsDir = None,
    as_json: AsJson = False,
) -> None:
    """Show one protocol: flagged details (with confirmations), options and decisions."""
    with _cli_fields():
        p = load_protocol(protocol, version, protocols_dir)
    details = [
        {
            "detail": d.detail,
            "flag": d.flag,
            "grade": d.shown_grade,
            "grade_note": d.grade_note,
            "used_in_plans": d.active,
            "what": d.what,
            "why": d.why,
            "confirmed_by": d.confirmation.by if d.confirmation else None,
            "confirmed_at": d.confirmation.at if d.confirmation else None,
            "value": d.confirmation.value if d.confirmation else None,
        }
        for d in p.detail_status()
    ]
    data = {
        **p.summary(),
        "summary": str(p.data.get("summary", "")),
        "details": details,
        "parameters": p.parameters,
        "decisions": p.decisions,
        "sources": p.sources,
    }

    def render(console: Console) -> None:
        console.print(f"[bold]{p.title}[/] ({p.id} v{p.version}, {p.origin})")
        console.print(data["summary"])
        table = Table(title="Details and their evidence grades")
        for col in ("detail", "grade", "used", "what", "confirmed by"):
            table.add_column(col)
        for d in details:
            who = f"{d['confirmed_by']} ({d['confirmed_at']})" if d["confirmed_by"] else "-"
            used = "yes" if d["used_in_plans"] else "waits for the clinic"
            table.add_row(str(d["detail"]), str(d["grade"]), used, str(d["what"]), who)
        console.print(table)
        if p.parameters:
            params = Table(title="Options")
            for col in ("name", "default", "allowed", "why"):
                params.add_column(col)
            for name, spec in p.parameters.items():
                allowed = (
                    ", ".join(str(c) for c in spec["choices"])
                    if "choices" in spec
                    else f"{spec.get('minimum', '')}-{spec.get('maximum', '')}"
                )
                params.add_row(name, str(spec["default"]), allowed, spec["why"])
            console.print(params)

    emit(data, as_json, render)


def _render_plan(plan: CoursePlan, family: bool, ics: str | None) -> Any:
    def render(console: Console) -> None:
        def say(text: str) -> None:
            console.print(text, highlight=False, markup=False)

        console.print(f"[bold]{escape(plan.title)}[/]")
        line = f"protocol {plan.protocol_id} v{plan.version} · weight {fmt(plan.weight_kg, 2)} kg"
        if plan.bsa_m2 is not None:
            line += f" · length {fmt(plan.length_cm, 1)} cm · BSA {plan.bsa_m2:.3f} m²"
            line += f" ({plan.bsa_formula})"
        console.print(line, highlight=False, markup=False)
        for drug, product in plan.products.items():
            console.print(f"{drug}: {product.name}", highlight=False, markup=False)
        table = Table(title="Family version" if family else "Course plan")
        cols = ["date", "day", "medicine", "dose", "mL", "evidence", "times", "notes"]
        keys = ["date", "day", "medicine", "dose", "ml", "grade", "time", "note"]
        if not family:
            cols.insert(4, "per kg / m²")
            keys.insert(4, "per")
        for col in cols:
            table.add_column(col, overflow="fold", no_wrap=col in ("date", "dose", "mL"))
        for row in table_rows(plan, family=family, grouped=True):
            table.add_row(*(row[k] for k in keys))
        console.print(table)
        items = plan.visible_monitoring(family)
        if items:
            mon = Table(title="Monitoring")
            mon.add_column("date")
            mon.add_column("what", overflow="fold")
            for m in items:
                when = m.date.isoformat() + (f" to {m.until.isoformat()}" if m.until else "")
                mon.add_row(when, m.what)
            console.print(mon)
        console.print("[bold]Safety[/]")
        if plan.vaccine_hold is not None:
            say(f"• {plan.vaccine_hold.text}")
        for a in plan.visible_advice(family):
            say(f"• {a.display_text}")
        for c in plan.confirmed_details:
            say(f"✓ {c['what']} — confirmed by {c['by']} ({c['at']})")
        if not family:
            for point in plan.decision_points:
                answer = "unanswered" if point.answer is None else ("yes" if point.answer else "no")
                console.print(
                    f"? day {point.day} ({point.date.isoformat()}): {point.question} "
                    f"[{answer}] {point.effect}",
                    highlight=False,
                    markup=False,
                )
            for w in plan.warnings:
                console.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)
        if ics:
            say(f"calendar written to {ics} (family version)")

    return render


@app.command("plan")
def plan_cmd(
    protocol: Annotated[str, typer.Option("--protocol", help="Protocol id.")],
    weight_kg: Annotated[str, typer.Option("--weight-kg", help="Weight [kg].")],
    start: Annotated[str, typer.Option("--start", help="Day 1, YYYY-MM-DD.")],
    length_cm: Annotated[
        str | None, typer.Option("--length-cm", help="Length [cm]; needed for per-m² doses.")
    ] = None,
    escalate_at_day_7: Annotated[
        bool,
        typer.Option(
            "--escalate-at-day-7",
            help="Spasms continue at day 7: answers the protocol's day-7 decision 'yes' "
            "(same as --decision <day-7 decision>=yes).",
        ),
    ] = False,
    decision: Annotated[
        list[str] | None, typer.Option("--decision", help="Answer a decision: ID=yes|no.")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Protocol option: NAME=VALUE.")
    ] = None,
    product: Annotated[
        list[str] | None,
        typer.Option(
            "--product",
            help="Product: DRUG=strength in mg/mL (or U/mL), or DRUG=part of a listed "
            "product name (e.g. vigabatrin=vigafyde).",
        ),
    ] = None,
    bsa_formula: Annotated[
        str, typer.Option("--bsa-formula", help="One of " + ", ".join(FORMULAS) + ".")
    ] = "mosteller",
    age_months: Annotated[str | None, typer.Option("--age-months")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY-MM-DD.")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="male or female.")] = None,
    version: Annotated[int | None, typer.Option("--version", help="Default: latest.")] = None,
    protocols_dir: ProtocolsDir = None,
    family: Annotated[
        bool, typer.Option("--family", help="Family version: nothing unconfirmed.")
    ] = False,
    ics: Annotated[
        str | None, typer.Option("--ics", help="Also write the family calendar to FILE.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Plan a course day by day from a protocol."""
    with _cli_fields():
        p = load_protocol(protocol, version, protocols_dir)
        weight = _number(weight_kg, "--weight-kg", "a weight in kg")
        length = None if length_cm is None else _number(length_cm, "--length-cm", "a length in cm")
        age = (
            None if age_months is None else _number(age_months, "--age-months", "an age in months")
        )
        answers: dict[str, bool | None] = {
            k: _yes_no(v, "--decision")
            for k, v in _pairs(decision or [], "--decision", "ID=yes or ID=no")
        }
        if escalate_at_day_7:
            day7 = day7_decision_id(p)
            if day7 is None:
                ids = [d["id"] for d in p.decisions]
                raise InputError(
                    "--escalate-at-day-7",
                    p.id,
                    "a protocol with a day-7 decision; this one's decisions: "
                    + (", ".join(ids) or "none")
                    + " (use --decision ID=yes)",
                )
            answers[day7] = True
        products: dict[str, float | str] = {
            k: _strength_or_name(v)
            for k, v in _pairs(product or [], "--product", "DRUG=strength or product name")
        }
        check_calendar_date(start, "--start")
        plan = plan_course(
            p,
            weight_kg=weight,
            start=start,
            length_cm=length,
            decisions=answers,
            parameters=dict(_pairs(set_ or [], "--set", "NAME=VALUE")),
            bsa_formula=bsa_formula,
            products=products,
            age_months=age,
            birth_date=birth_date,
            sex=sex,
            protocols_dir=protocols_dir,
        )
        if ics:
            write_ics(plan, ics)
    data = plan.to_dict(family=family)
    if ics:
        data["ics"] = ics
    emit(data, as_json, _render_plan(plan, family, ics))


@app.command("confirm")
def confirm_cmd(
    protocol: Annotated[str, typer.Option("--protocol", help="Protocol id.")],
    detail: Annotated[str, typer.Option("--detail", help="Flagged detail key.")],
    by: Annotated[str, typer.Option("--by", help="Who confirms (name, role).")],
    value: Annotated[
        str | None, typer.Option("--value", help="Value, for a detail tied to an option.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    version: Annotated[int | None, typer.Option("--version", help="Default: latest.")] = None,
    protocols_dir: ProtocolsDir = None,
    as_json: AsJson = False,
) -> None:
    """Confirm a flagged detail: writes a new protocol version in the clinic's directory."""
    with _cli_fields():
        p = load_protocol(protocol, version, protocols_dir)
        new = confirm_detail(p, detail, by, protocols_dir, value=value, note=note)
    conf = new.confirmations[-1]  # the confirmation just written
    data = {
        "protocol": new.id,
        "version": new.version,
        "derived_from": p.version,
        "path": str(new.path),
        "sha256": new.sha256,
        "confirmation": conf.to_dict(),
    }

    def render(console: Console) -> None:
        console.print(
            f"{new.id} v{new.version} written to {new.path}: {detail} confirmed by {conf.by}",
            highlight=False,
            markup=False,
        )

    emit(data, as_json, render)


@app.command("offer")
def offer_cmd(
    failed: Annotated[
        list[str] | None,
        typer.Option(
            "--failed",
            help="TREATMENT=YYYY-MM-DD: the day a treatment was judged to have failed "
            "(repeatable).",
        ),
    ] = None,
    protocols_dir: ProtocolsDir = None,
    as_json: AsJson = False,
) -> None:
    """The protocols offered: first line always, second line after a recorded failure."""
    accepted = "TREATMENT=YYYY-MM-DD (the day the treatment was judged to have failed)"
    days = {
        t: check_calendar_date(d, "--failed") for t, d in _pairs(failed or [], "--failed", accepted)
    }
    with _cli_fields():
        offer = offered_protocols(list_protocols(protocols_dir), days)
    data = {
        "first_line": list(offer.first_line),
        "second_line": list(offer.second_line),
        "failed": [{"treatment": t, "date": d} for t, d in offer.failed],
        "reason": offer.reason,
    }

    def render(console: Console) -> None:
        console.print(escape(offer.reason))
        console.print("First line: " + escape(", ".join(offer.first_line)))
        if offer.second_line:
            console.print("Second line: " + escape(", ".join(offer.second_line)))

    emit(data, as_json, render)
