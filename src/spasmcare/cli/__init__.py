"""The ``spasmcare`` command line: a thin adapter over the domain packages.

Every command accepts ``--json`` and then prints exactly one JSON document on stdout. Bad input
prints one line on stderr naming the field, the value and what is accepted, and exits with code 2.

Command modules are imported only when their command runs (or for ``--help``, which lists them
all): ``spasmcare foods search`` does not load the diet solver, the growth references or the
calendar export.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

#: A click command as built by Typer (Typer bundles its own click; only its objects are used).
Command = Any

# (command name, module under spasmcare.cli, is a group), in --help order (plain commands
# first, as Typer lists them). A group module defines ``app``; any other module defines
# ``register(app)``, which adds the plain command of that name to an app.
SUBCOMMANDS: list[tuple[str, str, bool]] = [
    ("demo", "demo", False),
    ("report", "report", False),
    ("foods", "foods", True),
    ("keto", "keto", True),
    ("therapy", "therapy", True),
    ("record", "record", True),
    ("export", "export", True),
    ("import", "imports", True),
    ("cohort", "cohort", True),
    ("pathway", "pathway", True),
]


#: Each command's help as ``--help`` lists it, so listing the commands imports none of their
#: modules (the solver, the growth references); a test checks it against the modules' own.
HELP: dict[str, str] = {
    "demo": "Print a complete ketogenic prescription for a demo 8-month-old infant.",
    "report": "Response measures (UKISS, ICISS, NISC, Mytinger, Elterman, electroclinical, diet"
    "\nresponders), EEG scores, growth z-scores and flags, lab alerts; optional HTML or PDF report."
    "\nEvery output key and setting: docs/MEASURES.md.",
    "foods": "Food composition table (USDA SR28 + specialty products).",
    "keto": "Ketogenic diet therapy: prescriptions, meals, infant feeds.",
    "therapy": "Drug courses (first line; second line after a recorded failure): protocols, dose "
    "schedules, monitoring, calendar export.",
    "record": "Patient records: validate, print the JSON Schema.",
    "export": "Export records: FHIR R4B Bundle, FHIR Bulk Data NDJSON, REDCap dictionary + data.",
    "import": "Import into a record: FHIR Observations from an EHR.",
    "cohort": "Clinic figures over a directory of records: time-to-treatment measures.",
    "pathway": "Care pathway of one record: etiology work-up, first-line proposals, flags.",
}


def load_command(name: str) -> Command:
    """Import the module of command ``name`` and build its click command, as Typer would."""
    spec = {n: (m, g) for n, m, g in SUBCOMMANDS}
    module_name, is_group = spec[name]
    module = importlib.import_module(f"spasmcare.cli.{module_name}")
    holder = typer.Typer()
    if is_group:
        holder.add_typer(module.app, name=name)
    else:
        module.register(holder)
    return typer.main.get_group(holder).commands[name]


class _LazyCommands(MutableMapping[str, Command]):
    """The root's commands: every name known up front, each module imported on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, Command] = {}
        self._extra: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name in self._extra:
            return self._extra[name]
        if name not in self._loaded:
            if name not in {n for n, _, _ in SUBCOMMANDS}:
                raise KeyError(name)
            self._loaded[name] = load_command(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._extra[name] = command

    def __delitem__(self, name: str) -> None:
        del self._extra[name]

    def __iter__(self) -> Iterator[str]:
        yield from (n for n, _, _ in SUBCOMMANDS if n not in self._extra)
        yield from self._extra

    def __len__(self) -> int:
        return len(list(iter(self)))


class LazyGroup(TyperGroup):
    """A Typer group whose subcommands are loaded by name when invoked. Its own ``--help``
    lists them from :data:`HELP` without importing them."""

    def __init__(self, **attrs: Any) -> None:
        commands = attrs.pop("commands", None) or {}
        super().__init__(**attrs)
        lazy = _LazyCommands()
        for name, command in dict(commands).items():
            lazy[name] = command
        self.commands = lazy
        self._listing = False

    def get_command(self, ctx: Any, cmd_name: str) -> Command:
        if self._listing and cmd_name in HELP and isinstance(self.commands, _LazyCommands):
            return TyperCommand(name=cmd_name, help=HELP[cmd_name])
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names, without loading the commands

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="spasmcare",
    help="Clinical workbench for infantile epileptic spasms syndrome (IESS). "
    "Results support, and never replace, a qualified clinical team.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=LazyGroup,
)


@app.callback()
def _root() -> None:
    # Present so that Typer builds a group (whose commands LazyGroup supplies).
    pass


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``spasmcare`` console script.

    Every error is one line on stderr (see :mod:`spasmcare.cli.errors`) and exit code 2 for
    bad input; no input produces a traceback.
    """
    from spasmcare.cli.errors import run_guarded

    run_guarded(lambda: app(args=argv, prog_name="spasmcare", standalone_mode=False), argv)
