"""``spasmcare cohort``: clinic figures over a directory of patient records."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from spasmcare.cli._common import emit, load_record, parse_today, write_text
from spasmcare.errors import InputError

if TYPE_CHECKING:
    from spasmcare.measures.pathway import ClinicKpi
    from spasmcare.record import Record

app = typer.Typer(
    help="Clinic figures over a directory of records: time-to-treatment measures.",
    no_args_is_help=True,
)


def _records(directory: Path, today: date) -> list[Record]:
    if not directory.is_dir():
        raise InputError("DIR", str(directory), "a directory of record JSON files")
    files = sorted(directory.glob("*.json"))
    if not files:
        raise InputError("DIR", str(directory), "a directory holding at least one *.json record")
    return [load_record(path, today) for path in files]


def _write_reports(path: Path, clinic: list[ClinicKpi], start: date, end: date) -> str:
    import json

    from spasmcare.interop.fhir import DEFAULT_BASE_URL, validate_resources
    from spasmcare.interop.fhir_pathway import measure_report_bundle

    bundle = measure_report_bundle(clinic, start, end, DEFAULT_BASE_URL)
    validate_resources([bundle])
    write_text(path, json.dumps(bundle, indent=2) + "\n", "--fhir")
    return str(path)


def _percent(value: float) -> str:
    return f"{100 * value:.0f} %"


@app.command()
def kpis(
    directory: Path = typer.Argument(..., help="Directory of patient record JSON files."),
    today: str | None = typer.Option(
        None, "--today", help="The day the windows are counted to, YYYY-MM-DD (default: today)."
    ),
    k: int = typer.Option(
        5,
        "--k",
        help="Smallest denominator released (k-anonymity): a measure over fewer children "
        "shows no counts.",
    ),
    fhir_out: Path | None = typer.Option(
        None,
        "--fhir",
        help="Also write the released figures as a FHIR Bundle of MeasureReports to this file.",
    ),
    since: str | None = typer.Option(
        None, "--since", help="Start of the measurement period YYYY-MM-DD (needed with --fhir)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Time-to-treatment measures of the clinic: numerator/denominator, rate, 95 % CI."""
    from spasmcare.measures.pathway import clinic_kpis

    day = parse_today(today) or date.today()
    if fhir_out is not None and since is None:
        raise InputError("--since", None, "the start of the measurement period with --fhir")
    start = parse_today(since, "--since")
    records = _records(directory, day)
    clinic = clinic_kpis(records, day, k=k)
    figures = [f.to_dict() for f in clinic]
    data: dict[str, object] = {
        "today": day.isoformat(),
        "records": len(records),
        "k": k,
        "kpis": figures,
    }
    if fhir_out is not None and start is not None:
        data["fhir"] = _write_reports(fhir_out, clinic, start, day)

    def render(console: Console) -> None:
        from spasmcare.plain import day_text

        table = Table(title=f"Care pathway, {len(records)} records, on {day_text(day)}")
        for col in ("measure", "met / counted", "rate (95 % CI)", "pending", "excluded"):
            table.add_column(col)
        for f in figures:
            if not f["released"]:
                table.add_row(f["title"], f"withheld: {f['withheld']}", "", "", "")
                continue
            table.add_row(
                f["title"],
                f"{f['numerator']} / {f['denominator']}",
                f"{_percent(f['rate'])} ({_percent(f['ci95_low'])} to {_percent(f['ci95_high'])})",
                str(f["pending"]),
                str(f["excluded"]),
            )
        console.print(table)
        if "fhir" in data:
            console.print(f"wrote the released measures as FHIR MeasureReports to {data['fhir']}")

    emit(data, as_json, render)
