from __future__ import annotations

import pytest

from tests.conftest import run_cli, run_json


def test_prescribe_json_keys_and_values(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys,
        "keto",
        "prescribe",
        "--diet",
        "classic",
        "--age-months",
        "8",
        "--sex",
        "male",
        "--weight-kg",
        "8",
        "--ratio",
        "3:1",
        "--kcal",
        "620",
        "--protein-g-per-kg",
        "1.5",
        "--meals",
        "4",
        "--carbs",
        "net",
    )
    for key in (
        "diet",
        "ratio",
        "carbs",
        "kcal",
        "fat_g",
        "protein_g",
        "carb_g",
        "dietary_units",
        "kcal_per_unit",
        "k_ak",
        "fluid_ml",
        "per_meal",
        "warnings",
        "sources",
    ):
        assert key in data
    assert data["carbs"] == "net" and data["ratio"] == 3.0
    assert data["kcal_per_unit"] == 31
    assert data["protein_g"] == pytest.approx(12.0)
    assert data["fat_g"] == pytest.approx(3 * 620 / 31)  # not rounded internally
    assert len(data["per_meal"]) == 4
    assert {"fat_g", "protein_g", "carb_g", "kcal"} <= set(data["per_meal"][0])


def test_prescribe_energy_equation(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys,
        "keto",
        "prescribe",
        "--age-months",
        "8",
        "--sex",
        "female",
        "--weight-kg",
        "8",
        "--ratio",
        "3",
        "--energy-equation",
        "fao-2004",
        "--energy-percent",
        "90",
    )
    # girl 8 kg, 9th month: (-99.4 + 708.8 + 15) * 0.9 = 624.4 * 0.9 = 561.96
    assert data["kcal"] == pytest.approx(561.96)


def test_prescribe_with_initiation(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys,
        "keto",
        "prescribe",
        "--age-months",
        "8",
        "--weight-kg",
        "8",
        "--ratio",
        "4",
        "--initiation",
        "ratio",
    )
    assert [d["ratio"] for d in data["initiation"]] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--weight-kg", "0", "--ratio", "3"], "--weight-kg"),
        (["--weight-kg", "-3", "--ratio", "3"], "--weight-kg"),
        (["--weight-kg", "30", "--ratio", "3"], "±5 SD"),
        (["--weight-kg", "8", "--ratio", "7"], "--ratio"),
        (["--weight-kg", "8", "--ratio", "4", "--kcal", "400", "--protein-g", "12"], "protein"),
        (["--weight-kg", "8", "--ratio", "3", "--diet", "paleo"], "--diet"),
        (
            ["--weight-kg", "8", "--ratio", "3", "--kcal", "600", "--kcal-per-kg", "80"],
            "only one of",
        ),
        (["--weight-kg", "8", "--ratio", "3", "--carbs", "some"], "--carbs"),
    ],
)
def test_bad_input_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, out, err = run_cli(capsys, "keto", "prescribe", "--age-months", "8", *args)
    assert code == 2
    assert out == ""
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_human_output_rounds_to_tenth(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys,
        "keto",
        "prescribe",
        "--age-months",
        "8",
        "--weight-kg",
        "8",
        "--sex",
        "male",
        "--ratio",
        "3",
    )
    assert code == 0
    assert "61.4 g/day" in out  # 3 * 634 / 31 = 61.355
    assert "never replaces" in out


def test_demo_runs(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "demo")
    assert data["prescription"]["diet"] == "classic"
    assert data["prescription"]["patient"]["age_months"] == 8
    # Demo girl 8.2 kg at 8 months, US DRI EER 0-35 months: 89 × 8.2 − 100 + 22 = 651.8 kcal.
    assert data["prescription"]["kcal"] == pytest.approx(89 * 8.2 - 100 + 22)
    assert data["prescription"]["kcal"] == pytest.approx(651.8)
    # Gradual start by ratio from 1:1 up to the prescribed 3:1, one step a day.
    assert [d["ratio"] for d in data["initiation"]] == [1, 2, 3]


def test_age_above_120_months_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "keto", "prescribe", "--age-months", "130", "--weight-kg", "28", "--ratio", "3"
    )
    assert code == 2 and out == ""
    assert "--age-months: 130 is not accepted; at most 120 months" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_mct_human_output_names_liquigen_mct(capsys: pytest.CaptureFixture[str]) -> None:
    # 700 kcal × 60 % = 420 kcal MCT = 50.6 g oil = 111.5 mL Liquigen (45.4 g MCT/100 mL).
    code, out, err = run_cli(
        capsys,
        "keto",
        "prescribe",
        "--diet",
        "mct",
        "--age-months",
        "8",
        "--sex",
        "male",
        "--weight-kg",
        "8",
        "--kcal",
        "700",
    )
    assert code == 0, err
    text = " ".join(out.split())
    assert "111.5 mL Liquigen holds the same 50.6 g MCT" in text
