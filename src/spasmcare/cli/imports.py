"""``spasmcare import``: data from other systems into a record, through the record validator."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from spasmcare.cli._common import emit, parse_today, read_text, write_text
from spasmcare.errors import InputError

app = typer.Typer(help="Import into a record: FHIR Observations from an EHR.", no_args_is_help=True)


def _json(path: Path, field: str) -> object:
    """The JSON document in ``path``, read with the CLI's size limit and parsed as untrusted
    text (:func:`spasmcare.record.parse_json`)."""
    from spasmcare.record import parse_json

    return parse_json(read_text(path, field), field)


@app.command()
def fhir(
    bundle: Path = typer.Argument(..., help="FHIR Bundle JSON of Observations from the EHR."),
    into: Path = typer.Option(..., "--into", help="The patient's record JSON."),
    out: Path | None = typer.Option(
        None, "--out", help="Write the merged record here (default: replace --into)."
    ),
    time_zone: str | None = typer.Option(
        None, "--time-zone", help="IANA zone for times given with an offset (default: as written)."
    ),
    today: str | None = typer.Option(
        None, "--today", help="Latest acceptable date YYYY-MM-DD (default: the system date)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Add weights, lengths, head circumferences, glucose and ketones from a FHIR Bundle.

    Every Observation must name the patient of --into as its subject (by the record's
    identifier or spasmcare's own Patient reference); otherwise nothing is imported.
    """
    from spasmcare.interop.fhir_import import import_observations
    from spasmcare.record import record_to_json

    record = _json(into, "--into")
    data = _json(bundle, "BUNDLE")
    if not isinstance(record, dict) or not isinstance(data, dict):
        raise InputError("BUNDLE", str(bundle), "a JSON object (a record and a FHIR Bundle)")
    result = import_observations(record, data, today=parse_today(today), time_zone=time_zone)
    target = out or into
    if result.added:
        write_text(target, record_to_json(result.record), "--out" if out else "--into")
    summary = {
        "record": str(target),
        "added": len(result.added),
        "items": [{"section": s, **item} for s, item in result.added],
        "not_imported": result.not_imported,
    }

    def render(console: Console) -> None:
        console.print(f"added {len(result.added)} item(s) to {target}")
        for s, item in result.added:
            values = ", ".join(f"{k} {v}" for k, v in item.items())
            console.print(f"  {s}: {values}")
        for n in result.not_imported:
            console.print(f"  not imported {n['entry']}: {n['reason']}")

    emit(summary, as_json, render)
