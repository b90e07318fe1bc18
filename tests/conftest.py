"""Shared test helpers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from spasmcare.cli import main

# Property and fuzz tests draw the same examples on every machine (a seed per test), so a run
# that passes here passes in CI; no per-example deadline (CI machines are slower and shared).
hypothesis_settings.register_profile("spasmcare", derandomize=True, deadline=None)
hypothesis_settings.load_profile("spasmcare")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = run_cli(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any) -> None:
    """Tests never read or write the user's cache of validated protocol files."""
    monkeypatch.setenv("SPASMCARE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def _missing_here() -> list[str]:
    """What this machine lacks for the whole of what CI runs (browser tests, PostgreSQL run)."""
    import glob
    import os

    from tests.web.browser.conftest import CHROMIUM

    missing = []
    if not os.path.exists(CHROMIUM) and os.environ.get("SPASMCARE_REQUIRE_BROWSER") != "1":
        missing.append("the browser tests were skipped (no Chromium)")
    if not glob.glob("/usr/lib/postgresql/*/bin/postgres"):
        missing.append("the PostgreSQL run (make test-postgres) cannot run (no PostgreSQL)")
    return missing


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line at the end when this machine cannot run all that CI runs, with the fix."""
    missing = _missing_here()
    if missing:
        terminalreporter.write_line(
            "Not everything CI runs ran here: "
            + "; ".join(missing)
            + ". Install what is missing with: sudo bash .ci/system-deps.sh"
            + " (Debian's chromium and postgresql)."
        )
