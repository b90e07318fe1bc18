"""The CLI commands: one JSON document with --json; bad input exits 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spasmcare.cli import main


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict:  # type: ignore[type-arg]
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None)
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def _fails(capsys: pytest.CaptureFixture[str], args: list[str], field: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert field in err
    assert len(err.strip().splitlines()) <= 2  # one message (Rich may wrap a long line)


def test_analyze_json(capsys: pytest.CaptureFixture[str]) -> None:
    # Butter, salted (SR28 01001) per 100 g: fat 81.11, protein 0.85, carb 0.06.
    data = _run(capsys, ["keto", "analyze", "--item", "01001=10", "--json"])
    assert data["fat_g"] == pytest.approx(8.111)
    assert data["protein_g"] == pytest.approx(0.085)
    assert data["ratio"] == pytest.approx(8.111 / (0.085 + 0.006))
    assert {"fat_g", "protein_g", "carb_g", "fibre_g", "kcal", "ratio", "k_ak", "items"} <= set(
        data
    )


def test_meal_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = [
        "keto",
        "meal",
        "--ratio",
        "3",
        "--kcal",
        "400",
        "--protein-g",
        "6",
        "--food",
        "01001",
        "--food",
        "01123",
        "--food",
        "11090:min=10",
        "--resolution",
        "1",
        "--json",
    ]
    data = _run(capsys, args)
    assert data["status"] == "solved"
    assert abs(data["achieved"]["ratio"] - 3) <= 0.02
    assert abs(data["achieved"]["kcal"] - 400) <= 4
    assert abs(data["achieved"]["protein_g"] - 6) <= 0.5
    grams = {i["food_id"]: i["grams"] for i in data["items"]}
    assert all(float(g).is_integer() for g in grams.values())
    assert grams.get("11090", 10) >= 10
    saved = tmp_path / "meal.json"
    saved.write_text(json.dumps(data))
    swapped = _run(
        capsys, ["keto", "swap", "--meal", str(saved), "--replace", "01001=01145", "--json"]
    )
    assert swapped["replaced"] == {"old": "01001", "new": "01145"}
    # Unsalted butter (01145) is close to salted butter: the swap solves with it in the meal,
    # to the saved target.
    assert swapped["status"] == "solved"
    assert "01145" in {i["food_id"] for i in swapped["items"]}
    assert "01001" not in {i["food_id"] for i in swapped["items"]}
    assert abs(swapped["achieved"]["ratio"] - 3) <= 0.02
    assert swapped["target"]["kcal"] == pytest.approx(400)


def test_meal_infeasible_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(
        capsys,
        [
            "keto",
            "meal",
            "--ratio",
            "4",
            "--kcal",
            "400",
            "--protein-g",
            "6",
            "--food",
            "01123",
            "--food",
            "11090",
            "--json",
        ],
    )
    assert data["status"] == "infeasible"
    assert data["items"] == [] and "fat" in data["reason"]


def test_feed_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(
        capsys,
        [
            "keto",
            "feed",
            "--ratio",
            "3",
            "--kcal",
            "600",
            "--volume-ml",
            "720",
            "--feeds",
            "6",
            "--protein-g",
            "10",
            "--powder",
            "ketocal-4-1-powder",
            "--liquid",
            "01107",
            "--liquid",
            "liquigen",
            "--json",
        ],
    )
    assert data["status"] == "solved"
    totals = data["day"]["totals"]
    assert abs(totals["ratio"] - 3) <= 0.02 and abs(totals["kcal"] - 600) <= 6
    assert data["per_feed"]["volume_ml"] == 120


def test_menu_completeness_medcarb_json(capsys: pytest.CaptureFixture[str]) -> None:
    menu = _run(
        capsys,
        [
            "keto",
            "menu",
            "--ratio",
            "3",
            "--kcal",
            "400",
            "--protein-g",
            "6",
            "--days",
            "1",
            "--group",
            "protein=01123,15076,01009",
            "--group",
            "fat=01001,04053",
            "--group",
            "veg=11090,11457",
            "--json",
        ],
    )
    assert menu["status"] == "solved" and len(menu["meals"]) == 3
    comp = _run(
        capsys,
        [
            "keto",
            "completeness",
            "--item",
            "01001=40",
            "--item",
            "01123=50",
            "--age-months",
            "24",
            "--json",
        ],
    )
    assert comp["group"] == "Children 1–3 years" and comp["advice"]
    med = _run(
        capsys,
        [
            "keto",
            "medcarb",
            "--carb-g",
            "30",
            "--medication",
            "syrup:carb_mg=300:per_day=10",
            "--json",
        ],
    )
    assert med["food_carb_g"] == pytest.approx(27.0)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["keto", "analyze", "--item", "99999=10"], "--item"),
        (["keto", "analyze", "--item", "01001=-5"], "--item"),
        (
            [
                "keto",
                "meal",
                "--ratio",
                "3",
                "--kcal",
                "400",
                "--protein-g",
                "6",
                "--food",
                "01001:min=20,max=10",
            ],
            "--food",
        ),
        (
            [
                "keto",
                "meal",
                "--ratio",
                "3",
                "--kcal",
                "400",
                "--protein-g",
                "6",
                "--food",
                "01001",
                "--resolution",
                "0",
            ],
            "--resolution",
        ),
        (
            [
                "keto",
                "meal",
                "--ratio",
                "3",
                "--kcal",
                "400",
                "--protein-g",
                "20",
                "--food",
                "01001",
            ],
            "--protein-g",
        ),
        (
            ["keto", "meal", "--ratio", "3", "--kcal", "400", "--protein-g", "6", "--food", "nope"],
            "--food",
        ),
        (
            [
                "keto",
                "feed",
                "--ratio",
                "3",
                "--kcal",
                "600",
                "--volume-ml",
                "0",
                "--powder",
                "ketocal-4-1-powder",
            ],
            "--volume-ml",
        ),
        (["keto", "completeness", "--item", "01001=10", "--age-months", "200"], "--age-months"),
        (
            [
                "keto",
                "feed",
                "--ratio",
                "3",
                "--kcal",
                "600",
                "--volume-ml",
                "720",
                "--powder",
                "ketocal-4-1-powder",
                "--batch",
                "week",
            ],
            "--batch",
        ),
        (
            [
                "keto",
                "feed",
                "--ratio",
                "3",
                "--kcal",
                "600",
                "--volume-ml",
                "720",
                "--powder",
                "ketocal-4-1-powder",
                "--liquid",
                "01107",
                "--density",
                "01107=-1",
            ],
            "--density",
        ),
        (
            [
                "keto",
                "feed",
                "--ratio",
                "3",
                "--kcal",
                "600",
                "--volume-ml",
                "720",
                "--powder",
                "ketocal-4-1-powder",
                "--density",
                "01107=abc",
            ],
            "--density",
        ),
        (
            [
                "keto",
                "feed",
                "--ratio",
                "3",
                "--kcal",
                "600",
                "--volume-ml",
                "720",
                "--powder",
                "ketocal-4-1-powder",
                "--density",
                "01107=0",
            ],
            "--density",
        ),
        (
            [
                "keto",
                "medcarb",
                "--carb-g",
                "30",
                "--medication",
                "syrup:carb_mg=300:per_day=10",
                "--meals",
                "0",
            ],
            "--meals",
        ),
        (["keto", "swap", "--item", "01001=10", "--replace", "01001"], "--replace"),
        (
            ["keto", "menu", "--ratio", "3", "--kcal", "400", "--protein-g", "6", "--group", "fat"],
            "--group",
        ),
    ],
)
def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], args: list[str], field: str) -> None:
    _fails(capsys, args, field)


def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "keto",
                "meal",
                "--ratio",
                "3",
                "--kcal",
                "400",
                "--protein-g",
                "6",
                "--food",
                "01001",
                "--food",
                "01123",
                "--food",
                "11090:min=10",
            ]
        )
    assert exc.value.code in (0, None)
    out = capsys.readouterr().out
    assert "Butter" in out and "ratio 3.0" in out


def test_analyze_millilitres_of_milk(capsys: pytest.CaptureFixture[str]) -> None:
    # 01107 human milk: density from its SR28 measure 1 fl oz = 30.8 g → 30.8 / 29.5735 =
    # 1.0415 g/mL, so 50 mL = 52.07 g.
    data = _run(capsys, ["keto", "analyze", "--item", "01107=50ml", "--json"])
    item = data["items"][0]
    assert item["volume_ml"] == 50
    assert item["grams"] == pytest.approx(50 * 30.8 / 29.5735295625)
    assert any("1.0415 g/mL" in w for w in data["warnings"])


def test_feed_with_a_user_density_and_plan_figures(capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(
        capsys,
        [
            "keto",
            "feed",
            "--ratio",
            "3",
            "--kcal",
            "600",
            "--volume-ml",
            "720",
            "--feeds",
            "6",
            "--protein-g",
            "10",
            "--powder",
            "ketocal-4-1-powder",
            "--liquid",
            "01107",
            "--liquid",
            "liquigen",
            "--density",
            "01107=1.03",
            "--json",
        ],
    )
    assert data["status"] == "solved"
    assert not any("density derived" in w for w in data["warnings"])
    totals = data["day"]["totals"]
    assert totals["kcal_per_ml"] == pytest.approx(totals["kcal"] / 720)
    assert totals["water_ml"] == pytest.approx(data["per_feed"]["water_ml"] * 6)


def test_medcarb_per_meal(capsys: pytest.CaptureFixture[str]) -> None:
    # 300 mg/mL × 10 mL = 3 g/day of medicine carbohydrate; 30 − 3 = 27 g for food; 3 meals.
    med = _run(
        capsys,
        [
            "keto",
            "medcarb",
            "--carb-g",
            "30",
            "--medication",
            "syrup:carb_mg=300:per_day=10",
            "--meals",
            "3",
            "--json",
        ],
    )
    assert med["meals"] == 3
    assert med["food_carb_g_per_meal"] == pytest.approx(9.0)
    assert med["medication_carb_g_per_meal"] == pytest.approx(1.0)


def test_swap_from_items(capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(
        capsys,
        [
            "keto",
            "swap",
            "--item",
            "01001=39",
            "--item",
            "01123=22",
            "--item",
            "11090=100",
            "--replace",
            "01001=01145",
            "--json",
        ],
    )
    assert data["before"] == [
        {"food_id": "01001", "grams": 39.0},
        {"food_id": "01123", "grams": 22.0},
        {"food_id": "11090", "grams": 100.0},
    ]
    assert data["status"] == "solved"
    assert "01145" in {i["food_id"] for i in data["items"]}


def test_feed_total_carbs_warns_ratio_change_and_states_energy_basis(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # keto-therapy.md §6, KetoCal 4:1 powder 100 g: 9/4/4 on total carbohydrate
    # 622.8 + 57.6 + 32.8 = 713.2 kcal, label 705 kcal, ratio 69.2 / 22.6 = 3.06:1 (4.00:1 net).
    args = [
        "keto",
        "feed",
        "--ratio",
        "3.06",
        "--kcal",
        "713.2",
        "--volume-ml",
        "500",
        "--feeds",
        "5",
        "--powder",
        "ketocal-4-1-powder:fixed=100",
        "--carbs",
        "total",
    ]
    data = _run(capsys, [*args, "--json"])
    assert data["status"] == "solved"
    basis = data["energy_basis"]
    assert basis["method"] == "9/4/4" and basis["carbs"] == "total"
    assert basis["kcal"] == pytest.approx(713.2) and basis["kcal_label"] == pytest.approx(705.0)
    assert any("3.06:1, not 4.00:1" in w for w in data["warnings"])
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None)
    text = " ".join(capsys.readouterr().out.split())
    assert "energy counted by 9/4/4 (fat 9, protein 4, carbohydrate 4 kcal/g) on total" in text
    assert "713.2 kcal/day" in text and "label" in text and "705.0 kcal/day" in text
    assert "its own ratio is 3.06:1, not 4.00:1" in text


def test_analyze_total_carbs_warns_ketocal_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    # keto-therapy.md §6: 50 g KetoCal 4:1 = 34.6 g fat, 7.2 g protein, 4.1 g total carbohydrate
    # -> 34.6 / 11.3 = 3.06:1 counting fibre (4.00:1 with the 1.45 g available carbohydrate).
    data = _run(
        capsys, ["keto", "analyze", "--item", "ketocal-4-1-powder=50", "--carbs", "total", "--json"]
    )
    text = json.dumps(data)
    assert "3.06:1, not 4.00:1" in text
    net = _run(
        capsys, ["keto", "analyze", "--item", "ketocal-4-1-powder=50", "--carbs", "net", "--json"]
    )
    assert "own ratio" not in json.dumps(net)


_FORMULA_LED = [
    "keto", "feed", "--ratio", "3", "--kcal", "600", "--volume-ml", "900",
    "--powder", "ketocal-3-1-powder", "--weight-kg", "6", "--age-months", "4",
]  # fmt: skip


def _shown(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    """The Rich output of a command, its lines joined (Rich wraps at the terminal width)."""
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code in (0, None)
    return " ".join(capsys.readouterr().out.split())


def test_feed_checks_a_formula_led_feeds_protein_against_age_minimum_and_clinic_maximum(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """KetoCal 3:1 alone at 600 kcal: 600 / 6.993 kcal/g (9/4/4 of 67.7/15.3/7.2 g per 100 g)
    = 85.8 g, weighed to 86 g, bringing 86 x 0.153 = 13.2 g protein = 2.19 g/kg/day for 6 kg:
    at least the US DRI AI of 1.52 g/kg/day under 7 months (IOM 2002/2005), above a clinic
    maximum of 2.0 g/kg/day; the same check the web feed planner shows."""
    data = _run(capsys, [*_FORMULA_LED, "--json"])
    check = data["protein_check"]
    assert check["status"] == "pass"
    assert check["protein_g"] == pytest.approx(13.16, abs=0.01)
    assert check["g_per_kg"] == pytest.approx(2.19, abs=0.01)
    assert check["minimum_g_per_kg"] == 1.52
    assert check["maximum_g_per_kg"] is None
    assert "no upper limit set" in check["message"]

    high = _run(capsys, [*_FORMULA_LED, "--protein-max-g-per-kg", "2", "--json"])
    assert high["protein_check"]["status"] == "warn"
    assert "above the clinic's upper limit 2 g/kg/day" in high["protein_check"]["message"]

    shown = _shown(capsys, _FORMULA_LED)
    assert "protein check pass: protein 13.2 g/day = 2.19 g/kg/day" in shown
    assert "minimum for age 1.52 g/kg/day" in shown


def test_feed_protein_check_needs_weight_and_age_together(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fails(capsys, _FORMULA_LED[:-2], "--age-months")
    data = _run(capsys, [*_FORMULA_LED[:-4], "--json"])
    assert data["protein_check"] is None
    assert "protein not checked" in _shown(capsys, _FORMULA_LED[:-4])
    _fails(capsys, [*_FORMULA_LED, "--protein-max-g-per-kg", "inf"], "--protein-max-g-per-kg")
