"""``spasmcare record``: check and inspect patient record files (JSON schema v1)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from spasmcare.cli._common import emit, parse_today, read_text
from spasmcare.record import load_schema, record_from_json
from spasmcare.record.plausibility import record_warnings

app = typer.Typer(help="Patient records: validate, print the JSON Schema.", no_args_is_help=True)


@app.command()
def validate(
    record: Path = typer.Argument(..., help="Patient record JSON."),
    today: str | None = typer.Option(
        None,
        "--today",
        help="Latest acceptable date YYYY-MM-DD (default: the system date); "
        "set it for reproducible checks.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Check a record against the schema and its meaning (exit 2 naming the first problem)."""
    rec = record_from_json(read_text(record), today=parse_today(today))
    warnings = [{"field": w.field, "value": w.value, "text": w.text} for w in record_warnings(rec)]
    data: dict[str, object] = {
        "valid": True,
        "file": str(record),
        "schema_version": rec.schema_version,
        "patient": rec.patient.id,
        "diary_entries": len(rec.diary),
        "recorded_days": len(rec.recorded_days),
        "treatments": len(rec.treatments),
        "diet_periods": len(rec.diet_periods),
        "eegs": len(rec.eegs),
        "growth": len(rec.growth),
        "labs": len(rec.labs),
        "vitals": len(rec.vitals),
        "adverse_events": len(rec.adverse_events),
        "doses_given": len(rec.doses_given),
        "warnings": warnings,
    }

    def render(console: Console) -> None:
        parts = ", ".join(
            f"{v} {k.replace('_', ' ')}"
            for k, v in data.items()
            if isinstance(v, int) and not isinstance(v, bool) and k != "schema_version"
        )
        console.print(
            f"[green]valid[/] {record} (schema v{rec.schema_version}, patient "
            f"{rec.patient.id}): {parts}"
        )
        for w in warnings:
            console.print(
                f"[yellow]check this value:[/] {w['field']} = {w['value']}: {w['text']}",
                highlight=False,
            )

    emit(data, as_json, render)


@app.command()
def schema(as_json: bool = typer.Option(True, "--json/--no-json", help="JSON (default).")) -> None:
    """Print the record JSON Schema (version 1)."""
    data = load_schema()
    emit(data, as_json, lambda console: console.print_json(json.dumps(data)))
