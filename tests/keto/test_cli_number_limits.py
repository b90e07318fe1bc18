"""Issue 20 (12): no numeric option of a keto command can be infinite or overflow: `keto meal
--kcal 1e308` and friends exit 2 with one line naming the option, the value and the range."""

from __future__ import annotations

import pytest

from spasmcare.cli import keto as keto_cli
from spasmcare.keto.limits import OPTION_RANGES
from tests.conftest import run_cli

MEAL = ["keto", "meal", "--food", "01001", "--food", "01123", "--ratio", "3"]
PRESCRIBE = ["keto", "prescribe", "--age-months", "8", "--weight-kg", "8"]


@pytest.mark.parametrize(
    ("args", "field", "shown", "accepted"),
    [
        ([*MEAL, "--kcal", "1e308", "--protein-g", "10"], "--kcal", "1e+308", "0 to 10000 kcal"),
        ([*MEAL, "--kcal", "inf", "--protein-g", "10"], "--kcal", "inf", "0 to 10000 kcal"),
        ([*MEAL, "--kcal", "300", "--protein-g", "nan"], "--protein-g", "nan", "0 to 1000 g"),
        (
            [*MEAL, "--kcal", "300", "--protein-g", "5", "--med-carb-g", "1e300"],
            "--med-carb-g",
            "1e+300",
            "0 to 1000 g",
        ),
        (
            [*MEAL, "--kcal", "300", "--protein-g", "5", "--kcal-tol-pct", "inf"],
            "--kcal-tol-pct",
            "inf",
            "0 to 100 %",
        ),
        ([*PRESCRIBE, "--kcal", "1e308"], "--kcal", "1e+308", "0 to 10000 kcal"),
        # the record's absolute weight bounds (plausibility.GROWTH_RANGES)
        (
            ["keto", "prescribe", "--age-months", "8", "--weight-kg", "1e308"],
            "--weight-kg",
            "1e+308",
            "0.2 to 300 kg",
        ),
        ([*PRESCRIBE, "--kcal-per-kg", "1e200"], "--kcal-per-kg", "1e+200", "0 to 500"),
        ([*PRESCRIBE, "--snack", "inf"], "--snack", "inf", "0 to 1"),
        (
            [
                "keto",
                "feed",
                "--ratio",
                "3",
                "--kcal",
                "800",
                "--volume-ml",
                "1e300",
                "--powder",
                "01001",
            ],
            "--volume-ml",
            "1e+300",
            "0 to 10000 mL/day",
        ),
        (
            ["keto", "medcarb", "--carb-g", "nan", "--medication", "x:carb_mg=1:per_day=1"],
            "--carb-g",
            "nan",
            "0 to 1000 g",
        ),
        (["keto", "analyze", "--item", "01001=1e308"], "--item", "01001=1e308", "0 to 10000"),
        (
            [*MEAL, "--kcal", "300", "--protein-g", "5", "--food", "01123:max=1e300"],
            "--food",
            "01123:max=1e300",
            "0 to 10000",
        ),
        (
            ["keto", "medcarb", "--carb-g", "10", "--medication", "x:carb_mg=1e308:per_day=1"],
            "--medication",
            "x:carb_mg=1e+308",
            "0 to 10000 mg",
        ),
        (
            [
                "keto",
                "feed",
                "--ratio",
                "3",
                "--kcal",
                "800",
                "--volume-ml",
                "900",
                "--powder",
                "01001",
                "--density",
                "01001=1e308",
            ],
            "--density",
            "01001=1e308",
            "0.1 to 10 g/mL",
        ),
    ],
)
def test_out_of_range_numbers_exit_2_naming_option_value_range(
    capsys: pytest.CaptureFixture[str], args: list[str], field: str, shown: str, accepted: str
) -> None:
    code, out, err = run_cli(capsys, *args)
    assert code == 2, out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert field in err and shown in err and accepted in err and "software setting" in err


def test_every_float_option_of_every_keto_command_has_a_range() -> None:
    import typer.main

    group = typer.main.get_command(keto_cli.app)
    options = {
        opt
        for command in group.commands.values()  # type: ignore[attr-defined]
        for param in command.params
        if param.type_descriptor.annotation in (float, list[float])
        for opt in param.opts
    }
    assert {"--kcal", "--weight-kg", "--snack", "--density"} - options == {"--density"}
    missing = sorted(options - set(OPTION_RANGES) - {"--age-months"})  # checked by keto.ages
    assert missing == []


def test_ordinary_values_still_work(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, *MEAL, "--kcal", "300", "--protein-g", "5", "--json")
    assert code == 0, err
