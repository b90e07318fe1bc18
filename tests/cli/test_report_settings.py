"""``spasmcare report`` measure settings (issue 14): day numbering, relapse window, baseline.

The example record's first course starts on 1 Jun 2026; its diary is spasm-free from 10 Jun
(day 10 counting the start as day 1) and spasms return on 20 Jul (day 50)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"


def _report(capsys: Any, *args: str) -> dict[str, Any]:
    code, out, err = run_cli(
        capsys, "report", str(EXAMPLE), "--today", "2026-12-01", "--json", *args
    )
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_defaults_and_day_numbering(capsys: Any) -> None:
    m = _report(capsys)["measures"]
    assert m["mytinger_remission_28d"]["value"] == 10
    assert m["relapse"]["status"] == "met" and m["relapse"]["value"] == "2026-07-20"
    for key in ("nisc_sustained_response", "mytinger_remission_28d", "spasm_free_3m"):
        assert key in m
    data = _report(capsys, "--first-day", "0")
    assert data["options"]["response"]["first_day_number"] == 0
    assert data["measures"]["mytinger_remission_28d"]["value"] == 9


def test_relapse_window(capsys: Any) -> None:
    # Day 40 = 10 Jul (before the 20 Jul relapse): not met; day 60 = 30 Jul: met.
    assert _report(capsys, "--relapse-window-days", "40")["measures"]["relapse"]["status"] == (
        "not met"
    )
    assert _report(capsys, "--relapse-window-days", "60")["measures"]["relapse"]["status"] == "met"


def test_baseline_settings_reach_the_measures(capsys: Any) -> None:
    data = _report(capsys, "--baseline-days", "3", "--baseline-mode", "calendar")
    assert data["options"]["response"]["baseline_days"] == 3
    assert data["options"]["response"]["baseline_mode"] == "calendar"
    assert "3 recorded days" in data["measures"]["baseline_spasms_per_day"]["label"]


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--first-day", "2"], "--first-day: 2"),
        (["--relapse-window-days", "0"], "--relapse-window-days: 0"),
        (["--baseline-mode", "weekly"], "--baseline-mode: 'weekly'"),
        (["--baseline-days", "0"], "--baseline-days: 0"),
    ],
)
def test_bad_settings_are_one_line_naming_the_option(
    capsys: Any, args: list[str], flag: str
) -> None:
    code, _, err = run_cli(capsys, "report", str(EXAMPLE), "--today", "2026-12-01", *args)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and flag in lines[0], err


def test_every_output_key_and_option_is_documented() -> None:
    from spasmcare.cli.report import OPTION_FLAGS
    from spasmcare.report.data import MEASURE_KEYS

    doc = (EXAMPLE.parents[1] / "docs" / "MEASURES.md").read_text(encoding="utf-8")
    missing = [k for k in MEASURE_KEYS if f"`{k}`" not in doc]
    missing += [f for f in OPTION_FLAGS.values() if f"`{f}`" not in doc]
    assert missing == []
