"""The command line starts without loading what the command does not need."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from spasmcare.cli import HELP, SUBCOMMANDS, app, load_command


def test_listed_help_is_each_commands_own() -> None:
    assert set(HELP) == {name for name, _, _ in SUBCOMMANDS}
    for name in HELP:
        assert HELP[name] == load_command(name).help


def test_root_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in HELP:
        assert f" {name} " in result.output


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\nfrom spasmcare.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stderr.split())


def test_help_and_food_search_load_no_solver_or_growth_reference() -> None:
    for argv in (["--help"], ["foods", "search", "butter"]):
        loaded = _modules_after(argv)
        assert "spasmcare.cli" in loaded
        assert "scipy.stats" not in loaded and "rcpchgrowth" not in loaded, argv
        assert "spasmcare.keto.solver" not in loaded, argv
    assert "spasmcare.cli.keto" not in _modules_after(["--help"])
