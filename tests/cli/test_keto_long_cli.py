"""``spasmcare keto checks`` / ``keto wean`` and the report's ``diet_monitoring`` key (issue 24).

The example record's diet kd1 starts on 10 Aug 2026: its 3-month checks fall on 10 Nov 2026."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"


def test_checks_json(capsys: Any) -> None:
    code, out, err = run_cli(
        capsys, "keto", "checks", str(EXAMPLE), "--today", "2026-12-07", "--json"
    )
    assert code == 0, err
    block = json.loads(out)["diets"][0]
    assert block["diet"] == "kd1"
    at3 = {r["check"]: r for r in block["checks"] if r["month"] == 3}
    assert at3["growth"]["date"] == "2026-11-10" and at3["growth"]["status"] == "overdue"
    assert at3["growth"]["overdue_from"] == "2026-11-11"
    assert all(r["source"] for r in block["checks"])


def test_checks_bad_setting_and_diet(capsys: Any) -> None:
    code, _, err = run_cli(capsys, "keto", "checks", str(EXAMPLE), "--infant-interval-months", "13")
    assert code == 2 and "--infant-interval-months" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, "keto", "checks", str(EXAMPLE), "--diet", "nope")
    assert code == 2 and "--diet" in err and "kd1" in err


def test_report_has_diet_monitoring(capsys: Any) -> None:
    code, out, err = run_cli(capsys, "report", str(EXAMPLE), "--today", "2026-12-07", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["diet_monitoring"][0]["diet"] == "kd1"


def test_wean_bad_schedule_exit_2(capsys: Any) -> None:
    code, _, err = run_cli(
        capsys,
        "keto",
        "wean",
        "--food",
        "01001",
        "--schedule",
        "fast",
        "--start",
        "2027-01-04",
        "--from",
        "4",
        "--to",
        "2",
        "--kcal",
        "900",
        "--protein-g",
        "15",
    )
    assert code == 2 and "--schedule" in err
