"""Meal solver: properties of every solution, and infeasible instances built to be infeasible."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.keto.solver import (
    MealFood,
    MealTarget,
    SavedMeal,
    SolverOptions,
    Tolerances,
    meal_problem,
    parse_food_spec,
    solve_meal,
    swap_and_resolve,
    violations,
)
from tests.keto_meals.conftest import (
    BERRY_NO_FIBRE,
    BROCCOLI,
    BUTTER,
    CREAM,
    CREAM38,
    EGG,
    OIL,
    PURE_FAT,
    PURE_PROTEIN,
)

POOL = (BUTTER, EGG, BROCCOLI, CREAM, OIL)


@settings(max_examples=40, deadline=None)
@given(
    ratio=st.floats(2.0, 4.0),
    kcal=st.floats(200, 600),
    protein_share=st.floats(0.3, 0.8),
    resolution=st.sampled_from([1.0, 0.5, 0.1]),
    egg_min=st.sampled_from([None, 5.0, 12.0]),
    cream_max=st.sampled_from([None, 30.0]),
    fixed_butter=st.sampled_from([None, 10.0]),
    carbs=st.sampled_from(["total", "net"]),
)
def test_every_solution_meets_every_tolerance_and_limit(
    ratio: float,
    kcal: float,
    protein_share: float,
    resolution: float,
    egg_min: float | None,
    cream_max: float | None,
    fixed_butter: float | None,
    carbs: str,
) -> None:
    protein = round(protein_share * kcal / (9 * ratio + 4), 1)
    target = MealTarget(ratio, kcal, protein)
    foods = [
        MealFood(BUTTER, fixed_amount=fixed_butter),
        MealFood(EGG, min_amount=egg_min),
        MealFood(BROCCOLI),
        MealFood(CREAM, max_amount=cream_max),
        MealFood(OIL),
    ]
    tol = Tolerances()
    sol = solve_meal(meal_problem(foods, target, tol, resolution, carbs))  # type: ignore[arg-type]
    if not sol.solved:
        assert sol.reason and sol.binding
        return
    assert sol.analysis is not None
    assert violations(sol.analysis, target, tol) == []
    assert abs(sol.analysis.ratio - ratio) <= tol.ratio
    assert abs(sol.analysis.kcal - kcal) <= kcal * 0.01 + 1e-9
    assert abs(sol.analysis.protein_g - protein) <= 0.5 + 1e-9
    grams = {i.food_id: i.grams for i in sol.items}
    for g in grams.values():
        assert g is not None and g > 0
        assert math.isclose(g / resolution, round(g / resolution), abs_tol=1e-9)
        assert g >= 1.0 - 1e-9  # default minimum 1 g
    if egg_min is not None and "egg" in grams:
        assert grams["egg"] >= egg_min - 1e-9
    if cream_max is not None and "cream36" in grams:
        assert grams["cream36"] <= cream_max + 1e-9
    if fixed_butter is not None:
        assert grams["butter"] == fixed_butter


def test_typical_meal_solves_in_whole_grams() -> None:
    sol = solve_meal(
        meal_problem(
            [MealFood(BUTTER), MealFood(EGG), MealFood(BROCCOLI, min_amount=10)],
            MealTarget(3, 400, 6),
        )
    )
    assert sol.solved
    assert {i.food_id for i in sol.items} == {"butter", "egg", "broccoli"}
    assert all(float(i.grams or 0).is_integer() for i in sol.items)
    assert sol.to_dict()["achieved"]["ratio"] == pytest.approx(3, abs=0.02)


def test_no_fat_source_for_4_to_1_is_explained() -> None:
    # Egg's own ratio is 10 / 13 = 0.77 and broccoli's 0.05: no mix reaches 4:1.
    sol = solve_meal(meal_problem([MealFood(EGG), MealFood(BROCCOLI)], MealTarget(4, 400, 6)))
    assert not sol.solved
    assert sol.binding == "fat_supply"
    assert "butter" in (sol.reason or "") and "4:1" in (sol.reason or "")


def test_protein_cannot_be_kept_low_with_egg_as_the_only_lean_food() -> None:
    # Oil brings no protein or carbohydrate, so all of P + C = 400 / 22 = 18.2 g comes from egg,
    # whose P / (P + C) = 12 / 13: protein ≥ 16.8 g, far above 2 ± 0.5 g.
    sol = solve_meal(meal_problem([MealFood(EGG), MealFood(OIL)], MealTarget(2, 400, 2)))
    assert not sol.solved
    assert sol.binding == "protein_excess"


def test_whole_grams_impossible_but_tenths_possible() -> None:
    # Pure fat F g and pure protein P g; target 3.5:1, protein 3.5 g, kcal 9·12.25 + 4·3.5 =
    # 124.25. In whole grams P ∈ {3, 4}: P = 3 needs F ∈ [10.44, 10.56] (no integer), P = 4
    # needs F ∈ [13.92, 14.08] → F = 14 but then kcal = 142 > 125.5. At 0.1 g: P = 3.5,
    # F = 12.2 → ratio 3.486, kcal 123.8: within tolerance.
    target = MealTarget(3.5, 124.25, 3.5)
    foods = [MealFood(PURE_FAT), MealFood(PURE_PROTEIN)]
    sol = solve_meal(meal_problem(foods, target, resolution=1.0))
    assert not sol.solved
    assert sol.binding == "resolution"
    assert "0.1" in (sol.reason or "")
    assert solve_meal(meal_problem(foods, target, resolution=0.1)).solved


def test_fixed_amount_over_the_energy_is_explained() -> None:
    sol = solve_meal(
        meal_problem([MealFood(BUTTER, fixed_amount=100), MealFood(EGG)], MealTarget(3, 400, 6))
    )
    assert sol.binding == "fixed_kcal"


def test_swap_keeps_the_other_amounts_close() -> None:
    foods = [MealFood(BUTTER), MealFood(EGG), MealFood(CREAM), MealFood(BROCCOLI, min_amount=10)]
    target = MealTarget(3, 400, 6)
    before = solve_meal(meal_problem(foods, target))
    assert before.solved
    amounts = {i.food_id: float(i.grams or 0) for i in before.items}
    after = swap_and_resolve(foods, amounts, "cream36", CREAM38, target)
    assert after.solved and after.analysis is not None
    assert violations(after.analysis, target, Tolerances()) == []
    got = {i.food_id: float(i.grams or 0) for i in after.items}
    assert "cream38" in got and "cream36" not in got
    moved = sum(abs(got.get(k, 0) - v) for k, v in amounts.items() if k != "cream36")
    assert moved <= 3.0  # 2 % more fat in a few grams of cream needs almost no change


@pytest.mark.parametrize(
    "kwargs",
    [
        {"resolution": 0.0},
        {"resolution": -1.0},
    ],
)
def test_bad_resolution(kwargs: dict[str, float]) -> None:
    with pytest.raises(InputError) as err:
        meal_problem([MealFood(BUTTER)], MealTarget(3, 400, 6), **kwargs)  # type: ignore[arg-type]
    assert err.value.field == "--resolution"


def test_min_above_max_and_bad_fixed() -> None:
    with pytest.raises(InputError):
        meal_problem([MealFood(BUTTER, min_amount=20, max_amount=10)], MealTarget(3, 400, 6))
    with pytest.raises(InputError):
        meal_problem([MealFood(BUTTER, fixed_amount=10.3)], MealTarget(3, 400, 6))
    with pytest.raises(InputError):
        parse_food_spec("01001:min=20,max=10")
    with pytest.raises(InputError):
        parse_food_spec("01001:min=-1")


def test_contradictory_target() -> None:
    # 3:1 at 400 kcal: P + C = 400 / 31 = 12.9 g, so 20 g protein needs negative carbohydrate.
    with pytest.raises(InputError) as err:
        MealTarget(3, 400, 20)
    assert err.value.field == "--protein-g"


def test_target_from_macros_and_prescription() -> None:
    t = MealTarget.from_macros(40.0, 6.0, 4.0)
    assert t.ratio == pytest.approx(4.0)
    assert t.kcal == pytest.approx(400.0)
    assert t.carb_g == pytest.approx(4.0)
    assert MealTarget.from_prescription({"fat_g": 40, "protein_g": 6, "carb_g": 4}) == t


def test_parse_food_spec() -> None:
    assert parse_food_spec("11090:min=10") == ("11090", {"min": 10.0})
    assert parse_food_spec("11090:min=10,max=40") == ("11090", {"min": 10.0, "max": 40.0})
    assert parse_food_spec("01001=12") == ("01001", {"fixed": 12.0})


def test_explanation_can_be_switched_off() -> None:
    sol = solve_meal(
        meal_problem(
            [MealFood(EGG), MealFood(BROCCOLI)],
            MealTarget(4, 400, 6),
            options=SolverOptions(explain=False),
        )
    )
    assert not sol.solved and sol.binding == "unknown"


def test_resolution_message_in_millilitres_without_a_gram_hint() -> None:
    # The whole-gram instance above, with both foods measured in mL (density 1 g/mL) at their
    # own 1 mL step: the same amounts are impossible, and the hint of a finer *gram* resolution
    # (which would reset every food's own step) is not given.
    from dataclasses import replace

    fat = replace(PURE_FAT, density_g_per_ml=1.0)
    protein = replace(PURE_PROTEIN, density_g_per_ml=1.0)
    foods = [MealFood(fat, unit="ml", resolution=1.0), MealFood(protein, unit="ml", resolution=1.0)]
    sol = solve_meal(meal_problem(foods, MealTarget(3.5, 124.25, 3.5)))
    assert sol.binding == "resolution"
    assert "whole steps of 1 mL" in (sol.reason or "")
    assert "it solves" not in (sol.reason or "")


def test_fibre_warning_is_worded_once_even_when_infeasible() -> None:
    sol = solve_meal(meal_problem([MealFood(BERRY_NO_FIBRE)], MealTarget(3, 400, 6), carbs="net"))
    assert not sol.solved
    assert [w for w in sol.warnings if "fibre unknown" in w] == [
        "Berry: fibre unknown, total carbohydrate counted as net"
    ]


def test_solved_warnings_are_the_analysis_warnings() -> None:
    foods = [MealFood(BUTTER), MealFood(EGG), MealFood(BERRY_NO_FIBRE, min_amount=5)]
    sol = solve_meal(meal_problem(foods, MealTarget(2, 300, 6), carbs="net"))
    assert sol.solved and sol.analysis is not None
    assert sol.warnings == sol.analysis.warnings
    assert len([w for w in sol.warnings if "fibre unknown" in w]) == 1


def test_saved_meal_from_json_and_target_choice() -> None:
    foods = {f.id: f for f in (BUTTER, EGG, BROCCOLI)}
    doc = {
        "items": [{"food_id": "butter", "grams": 20}, {"food_id": "egg", "grams": 50}],
        "target": {"ratio": 3, "kcal": 400, "protein_g": 6},
    }
    saved = SavedMeal.from_dict(doc, foods.__getitem__)
    assert saved.amounts == {"butter": 20.0, "egg": 50.0}
    assert [f.id for f in saved.foods] == ["butter", "egg"]
    assert saved.target_for() == MealTarget(3, 400, 6)
    explicit = MealTarget(2, 300, None)
    assert saved.target_for(explicit) is explicit
    # Without a saved target, the amounts' own figures: butter 20 g + egg 50 g give fat 21,
    # protein 6.2, carb 0.5 → ratio 21 / 6.7, kcal 9·21 + 4·6.7 = 215.8.
    bare = SavedMeal.from_dict({"items": doc["items"]}, foods.__getitem__)
    target = bare.target_for()
    assert target.ratio == pytest.approx(21 / 6.7)
    assert target.kcal == pytest.approx(215.8)
    assert target.protein_g == pytest.approx(6.2)


@pytest.mark.parametrize(
    "doc",
    [
        {},
        {"items": []},
        {"items": [{"food_id": "butter"}]},
        {"items": [{"food_id": "butter", "grams": "x"}]},
        [1, 2],
    ],
)
def test_saved_meal_bad_documents(doc: object) -> None:
    with pytest.raises(InputError) as err:
        SavedMeal.from_dict(doc, {"butter": BUTTER}.__getitem__)
    assert err.value.field == "--meal"
