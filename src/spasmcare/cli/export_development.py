"""``spasmcare export development``: developmental outcome by first-line therapy, diet and
etiology over a directory of records, k-anonymous (issue 25). Registered on the ``export``
group by :func:`register`; the domain work is :mod:`spasmcare.measures.development_outcome`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from spasmcare.cli._common import parse_today, read_text, write_text
from spasmcare.errors import InputError


def register(app: typer.Typer) -> None:
    """Add the ``development`` command to the export group ``app``."""
    app.command("development")(development)


def development(
    records: list[Path] = typer.Argument(None, help="Patient record JSON file(s)."),
    directory: Path | None = typer.Option(None, "--dir", help="Every *.json record here."),
    salt_file: Path = typer.Option(
        ...,
        "--salt-file",
        help="File holding the secret pseudonym salt (at least 16 characters).",
    ),
    k: int = typer.Option(
        5, "--k", help="Smallest group released (k-anonymity); smaller groups are left out."
    ),
    table: bool = typer.Option(
        False, "--table", help="CSV of the grouped table instead of one row per child."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the CSV here (default stdout)."),
    redcap: Path | None = typer.Option(
        None,
        "--redcap",
        help="Write redcap_dictionary.csv and redcap_import.csv of the release here instead.",
    ),
    today: str | None = typer.Option(
        None, "--today", help="Latest acceptable date YYYY-MM-DD (default: the system date)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Developmental outcome at 12/18/24 months beside spasm response, by first-line therapy,
    diet and etiology, with the lead time as a covariate (de-identified, k-anonymous)."""
    from spasmcare.cli._common import load_record, record_files
    from spasmcare.jsonable import jsonable
    from spasmcare.measures.development_outcome import outcome_rows, release, release_csv

    if isinstance(k, bool) or k < 1:
        raise InputError("--k", k, "a whole number of rows, 1 or more")
    day = parse_today(today) or date.today()
    salt = read_text(salt_file, "--salt-file").strip()
    files = record_files(records or [], directory)
    loaded = [load_record(p, day) for p in files]
    if redcap is not None:
        _write_redcap(redcap, loaded, day, salt, k, as_json)
        return
    data = release(outcome_rows(loaded, day, salt=salt), k)
    if as_json:
        sys.stdout.write(json.dumps(jsonable(data), ensure_ascii=False) + "\n")
        return
    text = release_csv(data, table=table)
    if out is None:
        sys.stdout.write(text)
        return
    write_text(out, text, "--out")
    Console(stderr=True).print(
        f"wrote {out}: {len(data['rows'])} children released of {data['total']} "
        f"({data['suppressed']} left out, k = {data['k']})"
    )


def _write_redcap(
    folder: Path, records: list[Any], day: date, salt: str, k: int, as_json: bool
) -> None:
    from spasmcare.cli._common import emit
    from spasmcare.interop.redcap import development_redcap

    result = development_redcap(records, day, salt=salt, k=k)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("--redcap", str(folder), f"a writable directory ({exc})") from exc
    write_text(folder / "redcap_dictionary.csv", result.dictionary_csv, "--redcap")
    write_text(folder / "redcap_import.csv", result.import_csv, "--redcap")
    summary = {"directory": str(folder), "records": result.records, "fields": len(result.fields)}
    emit(
        summary,
        as_json,
        lambda c: c.print(
            f"wrote {folder}: {summary['fields']} fields, {summary['records']} records"
        ),
    )
