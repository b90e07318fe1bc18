"""`spasmcare record validate` counts every section of the record, vital signs included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, run_json
from tests.record.test_io import EXAMPLE
from tests.record.test_vitals import with_vitals


def test_validate_counts_vitals_of_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "record", "validate", str(EXAMPLE), "--today", "2026-11-21")
    # The example file holds 8 blood-pressure readings (its "vitals" list).
    expected = len(json.loads(EXAMPLE.read_text())["vitals"])
    assert expected == 8
    assert data["vitals"] == expected
    # Human output lists them with the other sections.
    code, out, _ = run_cli(capsys, "record", "validate", str(EXAMPLE), "--today", "2026-11-21")
    assert code == 0 and "8 vitals" in out


def test_validate_counts_vitals_and_zero_without_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "with.json"
    path.write_text(json.dumps(with_vitals()))
    assert run_json(capsys, "record", "validate", str(path), "--today", "2026-11-21")["vitals"] == 4
    plain = with_vitals()
    del plain["vitals"]
    path.write_text(json.dumps(plain))
    assert run_json(capsys, "record", "validate", str(path), "--today", "2026-11-21")["vitals"] == 0


def test_validate_counts_doses_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tests.record.test_doses_given import with_ticks

    path = tmp_path / "ticks.json"
    path.write_text(json.dumps(with_ticks()))
    data = run_json(capsys, "record", "validate", str(path), "--today", "2026-11-21")
    assert data["doses_given"] == 3
