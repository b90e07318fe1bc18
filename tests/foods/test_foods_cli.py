"""``spasmcare foods`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spasmcare.cli import main
from spasmcare.foods import NUTRIENT_KEYS


def run(*args: str) -> None:
    """Run the CLI; success is exit code 0 (Typer exits even on success)."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    assert exc.value.code in (0, None)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    run(*args, "--json")
    return json.loads(capsys.readouterr().out)


def test_search_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "foods", "search", "heavy cream", "--limit", "3")
    assert isinstance(data, list) and 1 <= len(data) <= 3
    assert data[0]["id"] == "01053"
    assert data[0]["name"] == "Cream, fluid, heavy whipping"
    assert set(data[0]) == {"id", "name", "group", "source", "score"}


def test_search_human(capsys: pytest.CaptureFixture[str]) -> None:
    run("foods", "search", "butter", "--limit", "2")
    out = capsys.readouterr().out
    assert "Butter, salted" in out and "01001" in out


def test_show_json_exact_values(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "foods", "show", "01001")
    assert isinstance(data, dict)
    assert data["id"] == "01001" and data["source"] == "USDA SR28" and data["basis"] == "100 g"
    assert list(data["per_100g"]) == list(NUTRIENT_KEYS)
    assert data["per_100g"]["fat_g"] == 81.11 and data["per_100g"]["kcal"] == 717
    assert data["per_100g"]["mct_g"] is None
    assert data["measures"][1] == {"amount": 1.0, "unit": "tbsp", "grams": 14.2}
    assert "verify" not in data


def test_show_specialty_has_verify(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "foods", "show", "ketocal-4-1-lq")
    assert isinstance(data, dict)
    assert data["verify"].startswith("verify against the label")
    assert data["per_100g"]["fat_g"] is None and data["per_100ml"]["fat_g"] == 14.8


def test_show_human_says_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    run("foods", "show", "01008")  # Cheese, caraway: no sugars in SR28
    out = capsys.readouterr().out
    assert "Cheese, caraway" in out and "unknown" in out


@pytest.mark.parametrize(
    "args",
    [
        ["foods", "show", "99999"],
        ["foods", "show", "99999", "--json"],
        ["foods", "search", "butter", "--limit", "0"],
        ["foods", "search", " "],
    ],
)
def test_bad_input_exit_2_one_line(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "error:" in captured.err


def test_build_json(capsys: pytest.CaptureFixture[str], sr28_subset: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.json.gz"
    data = run_json(capsys, "foods", "build", "--sr28", str(sr28_subset), "--out", str(out))
    assert isinstance(data, dict)
    assert data["foods"] == 40 and data["out"] == str(out) and out.stat().st_size == data["bytes"]
    assert data["release"] == "USDA SR28, slightly revised May 2016"


def test_build_bad_dir(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["foods", "build", "--sr28", str(tmp_path), "--out", str(tmp_path / "x.json.gz")])
    assert exc.value.code == 2
    assert "--sr28" in capsys.readouterr().err
    assert not (tmp_path / "x.json.gz").exists()
