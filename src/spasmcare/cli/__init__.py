"""The ``spasmcare`` command line: a thin adapter over the domain packages.

Every command accepts ``--json`` and then prints exactly one JSON document on stdout. Bad input
prints one line on stderr naming the field, the value and what is accepted, and exits with code 2.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from spasmcare.errors import InputError

app = typer.Typer(
    name="spasmcare",
    help="Clinical workbench for infantile epileptic spasms syndrome (IESS). "
    "Results support, and never replace, a qualified clinical team.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# (module under spasmcare.cli, command-group name). Each module defines ``app``; a module whose
# ``register`` function exists adds plain commands to the root app instead.
SUBCOMMANDS: list[tuple[str, str]] = [
    ("foods", "foods"),
    ("keto", "keto"),
    ("therapy", "therapy"),
    ("demo", ""),
    ("report", ""),
    ("record", "record"),
]

for _module_name, _group in SUBCOMMANDS:
    _module = importlib.import_module(f"spasmcare.cli.{_module_name}")
    if _group:
        app.add_typer(_module.app, name=_group)
    else:
        _module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``spasmcare`` console script."""
    try:
        app(args=argv, prog_name="spasmcare")
    except InputError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
