"""Helpers shared by the CLI commands: one JSON document on stdout, or a Rich rendering."""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from spasmcare.errors import InputError
from spasmcare.jsonable import jsonable

if TYPE_CHECKING:
    from spasmcare.record import Record

console = Console()

#: ``--json``: one JSON document on stdout instead of the Rich rendering (every command).
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def read_text(path: Path, field: str = "RECORD") -> str:
    """The file's text, read with a size limit (:mod:`spasmcare.bounded`: at most 20 MB, so
    ``/dev/zero`` or a huge file is refused after reading just past the limit), or an
    InputError naming ``field`` and the file. Every file a command reads comes through here."""
    from spasmcare.bounded import read_text as bounded_text

    return bounded_text(path, field, what="a UTF-8 JSON file")


def write_text(path: Path, text: str, field: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory, so the file
    is either the old one or the whole new one; an InputError naming ``field`` when it cannot
    be written. Every file a command writes goes through here."""
    write_bytes(path, text.encode("utf-8"), field)


def write_bytes(path: Path, data: bytes, field: str) -> None:
    """:func:`write_text` for bytes (a PDF): the whole new file or the old one, never half."""
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise InputError(field, str(path), f"a writable file ({exc.strerror or exc})") from exc


def parse_today(text: str | None, field: str = "--today") -> date | None:
    """The ``--today`` option as a date (``None``: the system date is used)."""
    if text is None:
        return None
    return check_calendar_date(text, field)


#: Calendar dates a command accepts (software setting: a course or record date far outside
#: this span is a typing error, and the dates a course computes from it stay representable).
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)


def check_calendar_date(text: str, field: str) -> date:
    """``text`` as a date from ``FIRST_DATE`` to ``LAST_DATE``, else an InputError."""
    accepted = f"a date written YYYY-MM-DD from {FIRST_DATE} to {LAST_DATE}"
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        raise InputError(field, text, accepted) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise InputError(field, text, accepted)
    return day


def emit(data: Any, as_json: bool, render: Callable[[Console], None]) -> None:
    """Print ``data`` as one JSON document when ``as_json``, else call ``render``."""
    if as_json:
        sys.stdout.write(json.dumps(jsonable(data), indent=2, ensure_ascii=False, default=str))
        sys.stdout.write("\n")
    else:
        render(console)


def fmt(value: float | None, digits: int = 1, unit: str = "") -> str:
    """Human display of a number; a missing value is shown as 'unknown'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    text = f"{value:.{digits}f}"
    return f"{text} {unit}".rstrip()


def record_files(records: list[Path], directory: Path | None) -> list[Path]:
    """The record files named, then every ``*.json`` of ``directory``; at least one."""
    files = list(records)
    if directory is not None:
        if not directory.is_dir():
            raise InputError("--dir", str(directory), "a directory of record JSON files")
        files += sorted(directory.glob("*.json"))
    if not files:
        raise InputError("RECORD", None, "at least one record JSON file, or --dir DIRECTORY")
    return files


def load_record(path: Path, today: date | None) -> Record:
    """One record file, read bounded and validated; an error names the file."""
    from spasmcare.record import record_from_json

    try:
        return record_from_json(read_text(path), today=today)
    except InputError as exc:
        raise InputError(f"{path.name}: {exc.field}", exc.value, exc.accepted) from exc
