"""``spasmcare export``: records out by the field's standards (FHIR R4B, Bulk NDJSON, REDCap)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from spasmcare.cli._common import emit, load_record, parse_today, read_text, record_files
from spasmcare.errors import InputError

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help="Export records: FHIR R4B Bundle, FHIR Bulk Data NDJSON, REDCap dictionary + data.",
    no_args_is_help=True,
)

_TODAY_HELP = "Latest acceptable date YYYY-MM-DD (default: the system date)."


def _options(  # noqa: ANN202
    bhb_loinc: str, time_zone: str | None, no_name: bool, today: date | None = None
):
    from spasmcare.interop.fhir import FhirOptions

    return FhirOptions(
        bhb_loinc=bhb_loinc, time_zone=time_zone, include_name=not no_name, today=today
    )


@app.command()
def fhir(
    records: list[Path] = typer.Argument(None, help="Patient record JSON file(s)."),
    directory: Path | None = typer.Option(
        None, "--dir", help="Export every *.json record in this directory (bulk)."
    ),
    ndjson: Path | None = typer.Option(
        None,
        "--ndjson",
        help="Bulk: write one NDJSON file per resource type and manifest.json into this directory.",
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the Bundle here (default stdout)."),
    bhb_loinc: str = typer.Option(
        "66441-7",
        "--bhb-loinc",
        help="LOINC of blood BHB: 66441-7 (strip, default), 104816-4, 53061-8.",
    ),
    time_zone: str | None = typer.Option(
        None, "--time-zone", help="IANA zone of the record's times (default: dates only)."
    ),
    no_name: bool = typer.Option(False, "--no-name", help="Leave the patient's name out."),
    no_validate: bool = typer.Option(
        False, "--no-validate", help="Bulk: skip the fhir.resources model check (faster)."
    ),
    check_every: int | None = typer.Option(
        None,
        "--check-every",
        min=1,
        help="Bulk: model-check the first resource of each type and then every Nth "
        "(1 = every resource; default 1000).",
    ),
    salt_file: Path | None = typer.Option(
        None,
        "--salt-file",
        help="Bulk: write de-identified NDJSON (pseudonyms keyed with this secret salt file, "
        "no names, birth dates or free text, dates shifted per patient).",
    ),
    today: str | None = typer.Option(None, "--today", help=_TODAY_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """One record as a FHIR R4B Bundle, or many (--ndjson DIR) as FHIR Bulk Data NDJSON."""
    day = parse_today(today)
    options = _options(bhb_loinc, time_zone, no_name, day)
    files = record_files(records or [], directory)
    if ndjson is None:
        if len(files) != 1:
            raise InputError("RECORD", len(files), "exactly one record without --ndjson DIR")
        from spasmcare.interop.fhir import record_bundle

        bundle = record_bundle(load_record(files[0], day), options)
        text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
        if out is None:
            sys.stdout.write(text)
            return
        _write(out, text)
        summary = {"file": str(out), "resources": len(bundle["entry"]), "type": "Bundle"}
        emit(summary, as_json, lambda c: c.print(f"wrote {out}: {summary['resources']} resources"))
        return
    from spasmcare.interop.bulk import DEFAULT_CHECK_EVERY, write_ndjson

    if check_every is None:
        check_every = DEFAULT_CHECK_EVERY

    salt = read_text(salt_file, "--salt-file").strip() if salt_file is not None else None

    def sources() -> Iterator[tuple[str, object]]:
        for path in files:
            yield path.name, (lambda p=path: load_record(p, day))

    manifest = write_ndjson(
        sources(),  # type: ignore[arg-type]
        ndjson,
        options=options,
        check_every=0 if no_validate else check_every,
        deidentify_salt=salt,
        request="spasmcare export fhir --ndjson",
        total=len(files),
    )

    def render(console: Console) -> None:
        console.print(f"wrote {ndjson} ({len(files)} records):")
        for item in manifest["output"]:
            console.print(f"  {item['url']}: {item['count']} {item['type']}")

    emit(manifest, as_json, render)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError("--out", str(path), f"a writable file ({exc})") from exc


@app.command()
def redcap(
    records: list[Path] = typer.Argument(None, help="Patient record JSON file(s)."),
    directory: Path | None = typer.Option(None, "--dir", help="Every *.json record here."),
    out: Path = typer.Option(
        ..., "--out", help="Directory for redcap_dictionary.csv and redcap_import.csv."
    ),
    salt_file: Path = typer.Option(
        ...,
        "--salt-file",
        help="File holding the secret pseudonym salt (at least 16 characters); keep it in "
        "the hospital.",
    ),
    event: str | None = typer.Option(
        None, "--event", help="REDCap unique event name for a longitudinal project."
    ),
    k: int = typer.Option(
        5,
        "--k",
        help="Smallest group released (k-anonymity): rows whose onset age, gestation, sex "
        "and etiology are shared by fewer records are generalised or left out.",
    ),
    today: str | None = typer.Option(None, "--today", help=_TODAY_HELP),
    pathway: bool = typer.Option(
        False,
        "--pathway",
        help="Add the care-pathway form: pathway days from onset, codes, time-to-treatment "
        "measures.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """The de-identified clinic cohort as a REDCap data dictionary and flat import CSV."""
    from spasmcare.interop.redcap import cohort_redcap

    day = parse_today(today) or date.today()
    salt = read_text(salt_file, "--salt-file").strip()
    files = record_files(records or [], directory)
    result = cohort_redcap(
        [load_record(p, day) for p in files], day, salt=salt, event_name=event, k=k, pathway=pathway
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("--out", str(out), f"a writable directory ({exc})") from exc
    _write(out / "redcap_dictionary.csv", result.dictionary_csv)
    _write(out / "redcap_import.csv", result.import_csv)
    summary = {
        "dictionary": str(out / "redcap_dictionary.csv"),
        "data": str(out / "redcap_import.csv"),
        "records": result.records,
        "fields": len(result.fields),
    }
    emit(
        summary,
        as_json,
        lambda c: c.print(
            f"wrote {summary['dictionary']} ({summary['fields']} fields) and "
            f"{summary['data']} ({summary['records']} records)"
        ),
    )


# --- development outcome (issue 25): spasmcare.cli.export_development ---
def _register_development() -> None:
    from spasmcare.cli.export_development import register

    register(app)


_register_development()
