"""The command line starts without loading what the command does not need."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json")


def test_report_loads_no_drawing_library_and_never_scipy(tmp_path: Path) -> None:
    plain = _modules_after(["report", EXAMPLE, "--today", "2026-11-21", "--json"])
    assert "spasmcare.report.data" in plain
    assert "matplotlib" not in plain
    html = _modules_after(
        ["report", EXAMPLE, "--today", "2026-11-21", "--html", str(tmp_path / "r.html")]
    )
    # the charts are SVG text written into the page (issue 21): no drawing library
    assert "matplotlib" not in html and "PIL" not in html
    assert '<figure class="chart"><svg ' in (tmp_path / "r.html").read_text()
    for loaded in (plain, html):
        # growth z-scores and the adherence correlation no longer need scipy or rcpchgrowth
        assert "scipy" not in loaded and "rcpchgrowth" not in loaded
        assert "matplotlib.pyplot" not in loaded


def test_report_validates_the_protocol_files_once_per_version(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom spasmcare.therapy import protocol\nfrom spasmcare.cli import main\n"
        "calls = []\nreal = protocol.validate_protocol\n"
        "def counting(data, where):\n    calls.append(where)\n    real(data, where)\n"
        "protocol.validate_protocol = counting\n"
        f"try:\n    main(['report', {EXAMPLE!r}, '--today', '2026-11-21', '--json'])\n"
        "except SystemExit:\n    pass\n"
        "print(len(calls), file=sys.stderr)\n"
    )
    env = {**os.environ, "SPASMCARE_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        for _ in range(2)
    ]
    first, second = (int(r.stderr.split()[-1]) for r in runs)
    assert first >= 8 and second == 0
