"""Weaning plans: step dates and values by hand; every step's meal re-analysed from the foods'
compositions here, independently of the solver and of keto.analysis (ratio ± 0.02, energy
± 1 %); the re-plan when spasms return; the family's printout."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as hst

from spasmcare.errors import InputError
from spasmcare.keto.analysis import PlainFood
from spasmcare.keto.solver import MealFood
from spasmcare.keto.weaning import WeaningRequest, plan_weaning, replan, step_values
from spasmcare.keto.weaning_print import weaning_html, weaning_text

# per 100 g: fat, protein, total carbohydrate (the default carbohydrate basis is total)
FOODS = {
    "butter": (80.0, 1.0, 0.0),
    "egg": (10.0, 12.0, 1.0),
    "broccoli": (0.5, 3.0, 7.0),
    "cream36": (36.0, 2.0, 3.0),
}
MEAL_FOODS = [
    MealFood(PlainFood(k, k.title(), {"fat_g": f, "protein_g": p, "carb_g": c, "fibre_g": 0.0}))
    for k, (f, p, c) in FOODS.items()
]


def _reanalyse(meal: dict[str, Any]) -> tuple[float, float, float, float]:
    """(ratio, kcal by 9/4/4, protein g, carb g) from grams × composition per 100 g."""
    fat = protein = carb = 0.0
    for item in meal["items"]:
        f, p, c = FOODS[item["food_id"]]
        fat += item["grams"] * f / 100
        protein += item["grams"] * p / 100
        carb += item["grams"] * c / 100
    return fat / (protein + carb), 9 * fat + 4 * protein + 4 * carb, protein, carb


def test_step_values_by_hand() -> None:
    assert step_values(4.0, 2.0, 0.5, "ratio") == [3.5, 3.0, 2.5, 2.0]
    assert step_values(4.0, 2.2, 0.5, "ratio") == [3.5, 3.0, 2.5, 2.2]  # last clamps to "to"
    assert step_values(3.0, 2.0, 0.25, "ratio") == [2.75, 2.5, 2.25, 2.0]
    assert step_values(10.0, 25.0, 5.0, "carb") == [15.0, 20.0, 25.0]
    assert step_values(10.0, 22.0, 5.0, "carb") == [15.0, 20.0, 22.0]


def test_classic_after_one_year_every_step_reanalysed() -> None:
    req = WeaningRequest("after-1-year", date(2027, 1, 4), 4.0, 2.0, 900.0, 15.0)
    plan = plan_weaning(req, MEAL_FOODS)
    # 14-day steps from Mon 4 Jan 2027: 4-17 Jan, 18-31 Jan, 1-14 Feb, 15-28 Feb
    assert [(s["first_day"], s["last_day"]) for s in plan["steps"]] == [
        (date(2027, 1, 4), date(2027, 1, 17)),
        (date(2027, 1, 18), date(2027, 1, 31)),
        (date(2027, 2, 1), date(2027, 2, 14)),
        (date(2027, 2, 15), date(2027, 2, 28)),
    ]
    assert [s["ketone_check"]["day"] for s in plan["steps"]][-1] == date(2027, 2, 28)
    for st in plan["steps"]:
        assert st["meal"]["status"] == "solved"
        ratio, kcal, protein, _ = _reanalyse(st["meal"])
        assert ratio == pytest.approx(st["ratio"], abs=0.02)
        assert kcal == pytest.approx(900 / 3, rel=0.01)
        assert protein == pytest.approx(5.0, abs=0.5)
    # 56 days is shorter than KetoHope's 3-6 months: the plan says so
    assert plan["warnings"] and "56 days" in plan["warnings"][0]


def test_short_trial_every_3_days_within_two_weeks() -> None:
    req = WeaningRequest("short-trial", date(2027, 3, 1), 3.0, 1.0, 600.0, 12.0, meals=5)
    plan = plan_weaning(req, MEAL_FOODS)
    assert [s["first_day"] for s in plan["steps"]] == [
        date(2027, 3, 1),
        date(2027, 3, 4),
        date(2027, 3, 7),
        date(2027, 3, 10),
    ]
    assert plan["end_day"] == date(2027, 3, 12)  # 12 days: inside 1-2 weeks, no warning
    assert plan["warnings"] == []
    for st in plan["steps"]:
        ratio, kcal, _, _ = _reanalyse(st["meal"])
        assert ratio == pytest.approx(st["ratio"], abs=0.02)
        assert kcal == pytest.approx(120.0, rel=0.01)


def test_mad_carbohydrate_steps_reanalysed() -> None:
    req = WeaningRequest("mad-lgit", date(2027, 1, 4), 10.0, 25.0, 900.0, 20.0)
    plan = plan_weaning(req, MEAL_FOODS)
    assert [s["carb_g_per_day"] for s in plan["steps"]] == [15.0, 20.0, 25.0]
    for st in plan["steps"]:
        # per meal: carb = day's carb / 3, protein 20/3 g, fat = (300 - 4P - 4C)/9
        c = st["carb_g_per_day"] / 3
        p = 20.0 / 3
        f = (300 - 4 * p - 4 * c) / 9
        ratio, kcal, _, _ = _reanalyse(st["meal"])
        assert ratio == pytest.approx(f / (p + c), abs=0.02)
        assert kcal == pytest.approx(300.0, rel=0.01)


def test_replan_when_spasms_return() -> None:
    req = WeaningRequest("after-1-year", date(2027, 1, 4), 4.0, 2.0, 900.0, 15.0)
    plan = plan_weaning(req, MEAL_FOODS)
    # 5 Feb 2027 falls in step 3 (2.5:1, 1-14 Feb): back to step 2's 3:1 from 5 Feb
    again = replan(plan, date(2027, 2, 5))
    steps = again["steps"]
    assert [s["step"] for s in steps] == [1, 2, 3, 4]
    assert steps[2]["last_day"] == date(2027, 2, 4) and steps[2]["ketone_check"] is None
    assert steps[3]["first_day"] == date(2027, 2, 5) and steps[3]["ratio"] == 3.0
    assert steps[3]["meal"] == plan["steps"][1]["meal"]  # the 3:1 meal again
    assert again["replanned"]["back_to"] == 3.0 and again["end_day"] is None
    # the plan given is not changed (pure)
    assert len(plan["steps"]) == 4 and plan["replanned"] is None
    # during the first step: back to the starting ratio
    first = replan(plan, date(2027, 1, 10))
    assert first["steps"][-1]["ratio"] == 4.0 and first["steps"][-1]["meal"] is None
    # after the plan ended: the last step was in force, back to the one before it
    late = replan(plan, date(2027, 6, 1))
    assert late["steps"][-1]["ratio"] == 2.5
    with pytest.raises(InputError, match="--spasms-returned"):
        replan(plan, date(2027, 1, 4))


def test_printout_for_the_family() -> None:
    req = WeaningRequest("after-1-year", date(2027, 1, 4), 3.0, 2.5, 900.0, 15.0)
    plan = plan_weaning(req, MEAL_FOODS)
    text = weaning_text(plan)
    assert "4 Jan 2027 to 17 Jan 2027" in text and "check ketones on 17 Jan 2027" in text
    page = weaning_html(plan)
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "17 Jan 2027" in page and "2027-01-17" not in page


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"schedule": "fast"}, "--schedule"),
        ({"step": 1.0}, "--step"),  # KetoHope's range is 0.25-0.5
        ({"interval_days": 7}, "--interval-days"),  # 2-4 weeks
        ({"to": 4.5}, "--to"),
        ({"kcal": 0.0}, "--kcal"),
    ],
)
def test_bad_requests_name_the_field(kw: dict[str, Any], field: str) -> None:
    base: dict[str, Any] = {
        "schedule": "after-1-year",
        "start_day": date(2027, 1, 4),
        "start": 4.0,
        "to": 2.0,
        "kcal": 900.0,
        "protein_g": 15.0,
    }
    with pytest.raises(InputError) as err:
        plan_weaning(WeaningRequest(**{**base, **kw}), MEAL_FOODS)
    assert err.value.field == field


@given(
    start=hst.floats(min_value=1.0, max_value=6.0),
    gap=hst.floats(min_value=0.01, max_value=4.0),
    step=hst.sampled_from([0.25, 0.5]),
)
def test_ratio_steps_fall_by_the_step_and_end_at_to(start: float, gap: float, step: float) -> None:
    to = max(start - gap, 0.1)
    values = step_values(start, to, step, "ratio")
    assert values[-1] == to
    previous = start
    for v in values:
        assert to <= v < previous and previous - v <= step + 1e-9
        previous = v


def test_cli_wean_writes_the_family_page(capsys: Any, tmp_path: Any) -> None:
    from tests.conftest import run_cli

    page = tmp_path / "wean.html"
    code, out, err = run_cli(
        capsys, "keto", "wean", "--food", "01001", "--food", "01123", "--food", "11090",
        "--food", "01053", "--schedule", "after-1-year", "--start", "2027-01-04", "--from",
        "4", "--to", "3", "--kcal", "900", "--protein-g", "15", "--html", str(page), "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert [s["ratio"] for s in data["steps"]] == [3.5, 3.0]
    assert "17 Jan 2027" in page.read_text()
