"""Infant feeding modes (issue 24, item 4): every day re-analysed from the food compositions,
independently of the solver; one hand-derived example per mode; the infeasible case; the CLI.

Hand figures (SR28 NDB 01107, per 100 g: fat 4.38, protein 1.03, carbohydrate 6.89 g; density
from SR28's measure 1 fl oz = 30.8 g, 1 US fl oz = 29.5735 mL → 1.04149 g/mL; KetoCal 4:1
powder per 100 g: fat 69.2, protein 14.4, carbohydrate 8.2 g; Liquigen per 100 mL: fat 50 g;
strained chicken baby food 03012 per 100 g: fat 7.9, protein 13.7, carbohydrate 0.1 g).
A day at R:1 and E kcal holds E / (9R + 4) g protein + carbohydrate and R times that of fat.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from spasmcare.errors import InputError
from spasmcare.foods import default_table
from spasmcare.keto.feeding_modes import (
    DEFAULT_SOLID_PORTION_G_PER_DAY,
    DEFAULT_SOLID_WEEKS,
    FeedingRequest,
    allowance_g,
    plan_feeding,
)
from spasmcare.keto.feeding_print import feeding_html, feeding_text

MILK_G_PER_ML = 30.8 / 29.5735


@pytest.fixture(scope="module")
def table() -> Any:
    return default_table()


def _formula(table: Any) -> tuple[tuple[Any, str], ...]:
    return ((table.get("ketocal-4-1-powder"), "powder"), (table.get("liquigen"), "liquid"))


def _reanalyse(table: Any, items: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    """(fat, protein, carbohydrate [g, total basis], kcal 9/4/4) from the compositions."""
    fat = protein = carb = 0.0
    for item in items:
        food = table.get(item["food_id"])
        if item["unit"] == "ml" and food.per_100ml:
            values, amount = food.per_100ml, item["amount"]
        elif item["unit"] == "ml":
            assert item["food_id"] == "01107"
            values, amount = food.per_100g, item["amount"] * MILK_G_PER_ML
        else:
            values, amount = food.per_100g, item["amount"]
        fat += (values.get("fat_g") or 0.0) * amount / 100
        protein += (values.get("protein_g") or 0.0) * amount / 100
        carb += (values.get("carb_g") or 0.0) * amount / 100
    return fat, protein, carb, 9 * fat + 4 * protein + 4 * carb


def _check_every_day(table: Any, plan: dict[str, Any], ratio: float, kcal: float) -> None:
    for day in plan["days"]:
        assert day["status"] == "solved", day["problem"]
        fat, protein, carb, energy = _reanalyse(table, day["plan"]["day"]["items"])
        assert abs(fat / (protein + carb) - ratio) <= 0.02 + 1e-9
        assert abs(energy - kcal) <= 0.01 * kcal


def _amounts(day: dict[str, Any]) -> dict[str, float]:
    return {i["food_id"]: i["amount"] for i in day["plan"]["day"]["items"]}


def test_allowance_by_hand() -> None:
    fat, pc = allowance_g(3.0, 700)
    assert pc == pytest.approx(700 / 31)
    assert fat == pytest.approx(3 * 700 / 31)


def test_ebm_mixed_into_the_formula_by_hand(table: Any) -> None:
    # 3:1, 700 kcal: 22.581 g protein + carbohydrate, 67.742 g fat. EBM 6 × 30 = 180 mL
    # = 187.47 g: fat 8.211, protein + carbohydrate 14.848 g. KetoCal x: 0.226 x = 7.733 →
    # x = 34.2 g; Liquigen y: 0.5 y = 67.742 − 8.211 − 0.692 × 34.2 → y = 71.7 mL.
    req = FeedingRequest("ebm", 3.0, 700, 780, 6, _formula(table), 30)
    plan = plan_feeding(req)
    _check_every_day(table, plan, 3.0, 700)
    got = _amounts(plan["days"][0])
    assert got["01107"] == 180
    assert abs(got["ketocal-4-1-powder"] - 34.2) <= 1.5
    assert abs(got["liquigen"] - 71.7) <= 3
    sheet = feeding_text(plan)
    assert "feed 6: bottle 130 mL" in sheet  # 780 mL / 6 feeds
    assert "180 mL Milk, human" in sheet


def test_breastfeed_then_a_bottle_by_hand(table: Any) -> None:
    # 4:1, 700 kcal: 17.5 g protein + carbohydrate, 70 g fat. Breast milk 6 × 20 = 120 mL
    # = 124.98 g: fat 5.474, protein + carbohydrate 9.898 g. KetoCal: 0.226 x = 7.602 →
    # x = 33.6 g; Liquigen: 0.5 y = 70 − 5.474 − 23.28 → y = 82.5 mL.
    req = FeedingRequest("breastfeed", 4.0, 700, 780, 6, _formula(table), 20)
    plan = plan_feeding(req)
    _check_every_day(table, plan, 4.0, 700)
    got = _amounts(plan["days"][0])
    assert abs(got["ketocal-4-1-powder"] - 33.6) <= 1.5
    assert abs(got["liquigen"] - 82.5) <= 3
    sheet = feeding_text(plan)
    # the bottle: (780 − 120) / 6 = 110 mL after about 20 mL at the breast
    assert "feed 1: breastfeed (about 20 mL), then bottle 110 mL" in sheet
    assert "water to 660 mL" in sheet


def test_solids_week_by_week_by_hand(table: Any) -> None:
    # Week 1, 4:1, 700 kcal, 10 g strained chicken: fat 0.79, protein + carbohydrate 1.38 g.
    # KetoCal: 0.226 x = 16.12 → x = 71.3 g; Liquigen: 0.5 y = 70 − 0.79 − 49.36 → 39.7 mL.
    foods = tuple(table.get(i) for i in ("03012", "03002", "03007", "03010", "03005"))
    req = FeedingRequest("solids", 4.0, 700, 780, 6, _formula(table), solids=foods)
    plan = plan_feeding(req)
    assert len(plan["days"]) == DEFAULT_SOLID_WEEKS
    _check_every_day(table, plan, 4.0, 700)
    week1 = _amounts(plan["days"][0])
    assert week1["03012"] == DEFAULT_SOLID_PORTION_G_PER_DAY
    assert abs(week1["ketocal-4-1-powder"] - 71.3) <= 1.5
    assert abs(week1["liquigen"] - 39.7) <= 3
    for week, day in enumerate(plan["days"], start=1):
        assert [s["food_id"] for s in day["solids"]] == [f.id for f in foods[:week]]
    assert "not from a source" in plan["settings"]["note"]
    assert "Solids a day: 10 g Babyfood, meat, chicken" in feeding_html(plan)


def test_breast_milk_over_the_allowance_says_so_and_what_solves(table: Any) -> None:
    # 6 × 60 = 360 mL = 374.94 g brings 29.69 g protein + carbohydrate; the day allows
    # 700 / 31 = 22.58 g. At most 22.58 / (0.0792 × 1.04149 × 6) = 45.6 → 45 mL per feed.
    req = FeedingRequest("ebm", 3.0, 700, 780, 6, _formula(table), 60)
    plan = plan_feeding(req)
    assert not plan["solved"]
    problem = plan["days"][0]["problem"]
    assert problem["breast_milk_protein_carb_g"] == pytest.approx(29.69, abs=0.01)
    assert problem["allowance_protein_carb_g"] == pytest.approx(22.58, abs=0.01)
    best = problem["max_breast_milk_ml_per_feed"]
    assert 1 <= best <= 45
    again = plan_feeding(FeedingRequest("ebm", 3.0, 700, 780, 6, _formula(table), best))
    _check_every_day(table, again, 3.0, 700)
    assert "no plan" in feeding_text(plan)


def test_protein_checked_against_the_age_minimum(table: Any) -> None:
    req = FeedingRequest("ebm", 3.0, 700, 780, 6, _formula(table), 30, weight_kg=7.0, age_months=6)
    check = plan_feeding(req)["days"][0]["protein_check"]
    assert check["minimum_g_per_kg"] == 1.52  # IOM AI 0-6 months
    assert check["status"] == ("pass" if check["g_per_kg"] >= 1.52 else "warn")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mode": "bottle"}, "mode"),
        ({"breast_milk_ml_per_feed": 0.0}, "--breast-milk-ml"),
        ({"breast_milk_ml_per_feed": 200.0}, "--breast-milk-ml"),
        ({"breast_milk_ml_per_feed": 2.5}, "--breast-milk-ml"),
    ],
)
def test_bad_requests_name_the_field(table: Any, changes: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {
        "mode": "ebm", "ratio": 3.0, "kcal": 700, "volume_ml": 780, "feeds": 6,
        "formula": _formula(table), "breast_milk_ml_per_feed": 30.0,
    }  # fmt: skip
    with pytest.raises(InputError) as exc:
        plan_feeding(FeedingRequest(**(args | changes)))
    assert exc.value.field == field


def test_solids_must_be_baby_foods(table: Any) -> None:
    req = FeedingRequest("solids", 4.0, 700, 780, 6, _formula(table), solids=(table.get("01107"),))
    with pytest.raises(InputError) as exc:
        plan_feeding(req)
    assert exc.value.field == "--solid"


def test_cli_feeding_mode_json(capsys: Any, tmp_path: Any) -> None:
    from tests.conftest import run_cli

    page = tmp_path / "feeds.html"
    code, out, err = run_cli(
        capsys, "keto", "feeding-mode", "breastfeed", "--ratio", "4", "--kcal", "700",
        "--volume-ml", "780", "--formula", "ketocal-4-1-powder", "--formula",
        "liquigen:liquid", "--breast-milk-ml", "20", "--html", str(page), "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["mode"] == "breastfeed" and data["solved"]
    assert _amounts(data["days"][0])["01107"] == 120
    assert "110 mL" in page.read_text()


def test_cli_feeding_mode_refuses_bad_input(capsys: Any) -> None:
    from tests.conftest import run_cli

    code, out, err = run_cli(
        capsys, "keto", "feeding-mode", "solids", "--ratio", "4", "--kcal", "700",
        "--volume-ml", "780", "--formula", "ketocal-4-1-powder", "--solid", "01107",
    )  # fmt: skip
    assert code == 2
    assert "--solid" in err and "Baby Foods" in err


def test_a_solid_over_the_allowance_says_so_dated_weeks(table: Any) -> None:
    # 200 g strained applesauce (03116: protein 0.2, carbohydrate 10.8 g per 100 g) brings
    # 22.0 g protein + carbohydrate; 4:1 at 700 kcal allows 17.5 g → at most 17.5 / 0.11
    # = 159 g, and less once the formula brings its own.
    req = FeedingRequest(
        "solids", 4.0, 700, 780, 6, _formula(table), solids=(table.get("03116"),),
        solid_portion_g_per_day=200, start=date(2027, 1, 4),
    )  # fmt: skip
    plan = plan_feeding(req)
    day = plan["days"][0]
    assert day["status"] == "infeasible"
    assert day["label"].startswith("week 1 (from 4 Jan 2027 to 10 Jan 2027)")
    assert "Week 1 (from 4 Jan 2027 to 10 Jan 2027)" in feeding_text(plan)
    assert day["problem"]["solids_protein_carb_g"] == pytest.approx(22.0)
    assert "more than the whole day allows" in day["problem"]["words"]
    best = day["problem"]["max_new_solid_g_per_day"]
    assert 1 <= best <= 159
    again = plan_feeding(replace(req, solid_portion_g_per_day=float(best)))
    _check_every_day(table, again, 4.0, 700)


def test_the_largest_volume_found_meets_the_protein_minimum(table: Any) -> None:
    req = FeedingRequest("ebm", 3.0, 700, 780, 6, _formula(table), 60, weight_kg=5.0, age_months=4)
    problem = plan_feeding(req)["days"][0]["problem"]
    best = problem["max_breast_milk_ml_per_feed"]
    again = plan_feeding(replace(req, breast_milk_ml_per_feed=float(best)))
    assert again["days"][0]["protein_check"]["status"] == "pass"


@settings(max_examples=15, deadline=None)
@given(ml=hst.integers(min_value=1, max_value=80))
def test_any_mothers_volume_solves_exactly_or_says_what_would(ml: int) -> None:
    table = default_table()
    req = FeedingRequest("ebm", 3.0, 700, 780, 6, _formula(table), float(ml))
    plan = plan_feeding(req)
    day = plan["days"][0]
    if day["status"] == "solved":
        _check_every_day(table, plan, 3.0, 700)
        assert _amounts(day)["01107"] == 6 * ml  # the mother's volume is kept as she set it
    else:
        assert day["problem"]["words"] and day["problem"]["would_solve"]


def test_what_a_family_reads_names_no_project_file(table: Any) -> None:
    """The printed sources and warnings cite the guidelines and papers, never the project's own
    facts files (care-pathway.md, keto-therapy.md): people read words, not file names."""
    foods = tuple(table.get(i) for i in ("03012", "03002"))
    young = FeedingRequest("solids", 4.0, 700, 780, 6, _formula(table), solids=foods, age_months=4)
    plan = plan_feeding(young)
    assert any("AAP" in w for w in plan["warnings"])  # solids before about 6 months
    text = feeding_text(plan) + feeding_html(plan)
    assert ".md" not in text and ".md" not in json.dumps(plan["sources"])
