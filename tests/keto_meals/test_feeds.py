"""Infant feeds recomputed by hand."""

from __future__ import annotations

import pytest

from spasmcare.errors import InputError
from spasmcare.keto.analysis import PlainFood
from spasmcare.keto.feeds import (
    FeedIngredient,
    FeedTarget,
    density_from_measures,
    solve_feed,
)
from spasmcare.keto.solver import Tolerances

# KetoCal 4:1 powder per 100 g (keto reference §6): fat 69.2, protein 14.4, carb 8.2, fibre 5.3
KETOCAL = PlainFood(
    "kc", "KetoCal 4:1", {"fat_g": 69.2, "protein_g": 14.4, "carb_g": 8.2, "fibre_g": 5.3}
)
MILK = PlainFood(
    "milk",
    "Breast milk",
    {"fat_g": 4.4, "protein_g": 1.0, "carb_g": 7.0, "fibre_g": 0.0},
    density_g_per_ml=1.0,
)
MCT = PlainFood(
    "mct", "MCT emulsion", {}, per_100ml={"fat_g": 50.0, "protein_g": 0.0, "carb_g": 0.0}
)


def test_feed_recipe_recomputed_by_hand() -> None:
    target = FeedTarget(ratio=3, kcal=600, volume_ml=720, feeds=6, protein_g=10)
    plan = solve_feed(
        [
            FeedIngredient(KETOCAL, "powder"),
            FeedIngredient(MILK, "liquid"),
            FeedIngredient(MCT, "liquid"),
        ],
        target,
        carbs="net",
    )
    assert plan.solved
    day = {line.food_id: line.amount for line in plan.day}
    kc, milk, mct = day.get("kc", 0.0), day.get("milk", 0.0), day.get("mct", 0.0)
    assert all(float(v).is_integer() for v in (kc, milk, mct))
    # Recompute: net carb of KetoCal = 8.2 − 5.3 = 2.9 g/100 g; milk 1 g/mL.
    fat = 0.692 * kc + 0.044 * milk + 0.5 * mct
    protein = 0.144 * kc + 0.01 * milk
    carb = 0.029 * kc + 0.07 * milk
    kcal = 9 * fat + 4 * (protein + carb)
    assert abs(fat / (protein + carb) - 3) <= 0.02
    assert abs(kcal - 600) <= 6.0
    assert abs(protein - 10) <= 0.5
    assert plan.day_analysis is not None
    assert plan.day_analysis.fat_g == pytest.approx(fat)
    # water makes up the rest of the 720 mL; per feed = day / 6
    assert plan.water_ml_per_feed == pytest.approx((720 - milk - mct) / 6)
    assert sum(line.amount for line in plan.per_feed if line.food_id == "kc") * 6 == (
        pytest.approx(kc)
    )
    assert plan.to_dict()["day"]["totals"]["kcal_per_ml"] == pytest.approx(kcal / 720)


def test_per_feed_batches_are_whole_steps_and_meet_the_day() -> None:
    target = FeedTarget(ratio=3, kcal=600, volume_ml=720, feeds=6, protein_g=10)
    plan = solve_feed(
        [
            FeedIngredient(KETOCAL, "powder"),
            FeedIngredient(MILK, "liquid"),
            FeedIngredient(MCT, "liquid"),
        ],
        target,
        carbs="net",
        batch="feed",
        powder_resolution_g=0.5,
        tolerances=Tolerances(protein_g=0.5),
    )
    assert plan.solved
    for line in plan.per_feed:
        step = 0.5 if line.kind == "powder" else 1.0
        assert (line.amount / step) == pytest.approx(round(line.amount / step))
    assert plan.day_analysis is not None
    assert abs(plan.day_analysis.protein_g - 10) <= 0.5 + 1e-9
    assert abs(plan.day_analysis.ratio - 3) <= 0.02
    assert abs(plan.day_analysis.kcal - 600) <= 6.0


def test_fixed_milk_that_leaves_too_much_carbohydrate_is_explained() -> None:
    # 400 mL milk/day brings fat 17.6 g, protein 4 g and carbohydrate 28 g. KetoCal (total
    # carbohydrate) has 9·0.692 + 4·(0.144 + 0.082) = 7.132 kcal/g, so it is capped at
    # floor(606 / 7.132) = 84 g. The fattiest mix allowed is then fat 0.692·84 + 17.6 = 75.73 g
    # over protein + carbohydrate 0.226·84 + 32 = 50.98 g: 1.49:1, far below 3:1. The binding
    # constraint is the fat supply (no mix reaches the ratio), not the energy.
    target = FeedTarget(ratio=3, kcal=600, volume_ml=720, feeds=6, protein_g=10)
    plan = solve_feed(
        [FeedIngredient(KETOCAL, "powder"), FeedIngredient(MILK, "liquid", fixed_per_day=400)],
        target,
    )
    assert not plan.solved
    assert plan.binding == "fat_supply"
    assert "1.49:1" in (plan.reason or "")


def test_liquids_over_the_volume_are_explained() -> None:
    target = FeedTarget(ratio=3, kcal=600, volume_ml=300, feeds=6)
    plan = solve_feed(
        [FeedIngredient(KETOCAL, "powder"), FeedIngredient(MILK, "liquid", fixed_per_day=400)],
        target,
    )
    assert not plan.solved
    assert plan.binding == "extra:volume"


def test_fixed_amount_must_split_into_feeds() -> None:
    target = FeedTarget(ratio=3, kcal=600, volume_ml=720, feeds=6)
    with pytest.raises(InputError):
        solve_feed(
            [FeedIngredient(KETOCAL, "powder"), FeedIngredient(MILK, "liquid", fixed_per_day=100)],
            target,
            batch="feed",
        )


@pytest.mark.parametrize("kwargs", [{"volume_ml": 0}, {"feeds": 0}, {"feeds": 25}])
def test_bad_feed_targets(kwargs: dict[str, float]) -> None:
    args: dict[str, float] = {"ratio": 3, "kcal": 600, "volume_ml": 720, "feeds": 6}
    args.update(kwargs)
    with pytest.raises(InputError):
        FeedTarget(**args)  # type: ignore[arg-type]


def test_density_from_sr28_measure() -> None:
    class M:
        amount, unit, grams = 1.0, "fl oz", 30.8

    food = PlainFood("x", "x", {})
    object.__setattr__(food, "measures", [M()])
    density, note = density_from_measures(food) or (0.0, "")
    assert density == pytest.approx(30.8 / 29.5735295625)
    assert "fl oz" in note


def test_verify_caution_reaches_the_feed_plan_solved_or_not() -> None:
    from dataclasses import replace

    cautious = replace(KETOCAL, id="kc-verify")
    object.__setattr__(cautious, "verify", "verify against the label: test product")
    target = FeedTarget(ratio=3, kcal=600, volume_ml=720, feeds=6, protein_g=10)
    solved = solve_feed(
        [
            FeedIngredient(cautious, "powder"),
            FeedIngredient(MILK, "liquid"),
            FeedIngredient(MCT, "liquid"),
        ],
        target,
        carbs="net",
    )
    assert solved.solved
    # named by name for people (issue 19: not "kc-verify: ..."), the id kept for machines
    assert solved.warnings.count("KetoCal 4:1: verify against the label: test product") == 1
    assert not any("kc-verify" in w for w in solved.warnings)
    assert {
        "food": "kc-verify",
        "warning": "KetoCal 4:1: verify against the label: test product",
    } in solved.to_dict()["food_cautions"]
    infeasible = solve_feed(
        [FeedIngredient(cautious, "powder"), FeedIngredient(MILK, "liquid", fixed_per_day=400)],
        target,
    )
    assert not infeasible.solved
    assert "KetoCal 4:1: verify against the label: test product" in infeasible.warnings
    assert infeasible.kcal_per_ml is None and infeasible.water_ml_per_day is None


def test_bad_user_density_names_the_field() -> None:
    target = FeedTarget(ratio=3, kcal=600, volume_ml=720, feeds=6)
    with pytest.raises(InputError) as err:
        solve_feed([FeedIngredient(KETOCAL, "powder")], target, densities={"milk": 0.0})
    assert err.value.field == "--density"


# KetoCal 4:1 powder with its label energy (keto-therapy.md §6, nutricia.ca): per 100 g 705 kcal,
# fat 69.2, protein 14.4, carbohydrate 8.2 total incl. fibre 5.3 (available 2.9).
KETOCAL_LABEL = PlainFood(
    "kc",
    "KetoCal 4:1",
    {"fat_g": 69.2, "protein_g": 14.4, "carb_g": 8.2, "fibre_g": 5.3, "kcal": 705.0},
)


def _ketocal_day(carbs: str, ratio: float, kcal: float):  # type: ignore[no-untyped-def]
    return solve_feed(
        [FeedIngredient(KETOCAL_LABEL, "powder", fixed_per_day=100)],
        FeedTarget(ratio=ratio, kcal=kcal, volume_ml=500, feeds=5),
        carbs=carbs,  # type: ignore[arg-type]
    )


def test_total_carbs_states_energy_basis_and_ratio_change() -> None:
    # Total: 9 × 69.2 + 4 × 14.4 + 4 × 8.2 = 622.8 + 57.6 + 32.8 = 713.2 kcal; label 705 kcal;
    # ratio 69.2 / (14.4 + 8.2) = 3.062:1 instead of 69.2 / (14.4 + 2.9) = 4.000:1.
    plan = _ketocal_day("total", 3.06, 713.2)
    assert plan.solved
    basis = plan.energy_basis()
    assert basis is not None
    assert basis["method"] == "9/4/4" and basis["carbs"] == "total"
    assert basis["kcal"] == pytest.approx(713.2)
    assert basis["kcal_label"] == pytest.approx(705.0)
    assert basis["items"][0]["kcal"] == pytest.approx(713.2)
    assert "9/4/4" in basis["statement"] and "total carbohydrate" in basis["statement"]
    assert "713.2 kcal/day" in basis["statement"] and "705.0 kcal/day" in basis["statement"]
    assert plan.to_dict()["energy_basis"]["kcal_label"] == pytest.approx(705.0)
    ratio_notes = [w for w in plan.warnings if "own ratio" in w]
    assert len(ratio_notes) == 1
    assert "3.06:1, not 4.00:1" in ratio_notes[0] and "5.3 g fibre per 100 g" in ratio_notes[0]


def test_net_carbs_energy_basis_and_no_ratio_warning() -> None:
    # Net: 622.8 + 57.6 + 4 × 2.9 = 692.0 kcal; ratio 4.0:1; nothing changes, no warning.
    plan = _ketocal_day("net", 4.0, 692.0)
    assert plan.solved
    basis = plan.energy_basis()
    assert basis is not None
    assert basis["kcal"] == pytest.approx(692.0) and basis["kcal_label"] == pytest.approx(705.0)
    assert "net carbohydrate" in basis["statement"]
    assert not [w for w in plan.warnings if "own ratio" in w]


def test_label_energy_unknown_is_named_as_a_lower_bound() -> None:
    plan = solve_feed(
        [FeedIngredient(KETOCAL, "powder", fixed_per_day=100)],
        FeedTarget(ratio=4.0, kcal=692.0, volume_ml=500, feeds=5),
        carbs="net",
    )
    basis = plan.energy_basis()
    assert basis is not None and basis["kcal_label_unknown_in"] == ["kc"]
    assert "lower bound: no label energy for KetoCal 4:1)" in basis["statement"]


def test_unsolved_plan_has_no_energy_basis() -> None:
    plan = _ketocal_day("net", 2.0, 692.0)  # 100 g fixed cannot be 2:1
    assert not plan.solved and plan.energy_basis() is None
