"""A feed is checked against the whole prescription, protein included (issue 12)."""

from __future__ import annotations

import pytest

from spasmcare.foods import default_table
from spasmcare.keto.feeds import (
    FeedIngredient,
    FeedTarget,
    prescription_violations,
    solve_feed,
)


def test_a_feed_solved_without_protein_breaks_the_prescribed_protein() -> None:
    # KetoCal 3:1 powder alone (fat 67.7, protein 15.3, carbohydrate 7.2 g/100 g; 9/4/4 gives
    # 699.3 kcal/100 g) at 3:1 and 545 kcal: 545 / 6.993 = 77.9 g -> 78 g, protein
    # 78 × 0.153 = 11.93 g. Prescribed 8.4 g (1.2 g/kg × 7 kg): 3.5 g over, outside ± 0.5 g.
    table = default_table()
    plan = solve_feed(
        [FeedIngredient(table.get("ketocal-3-1-powder"), "powder")],
        FeedTarget(3.0, 545.0, 545.0, 6),
    )
    assert plan.solved
    assert plan.day[0].amount == pytest.approx(78.0)
    found = prescription_violations(plan, 3.0, 545.0, 8.4)
    assert found == ["protein 11.93 g outside 8.40 ± 0.5 g"]
    # without a protein target only ratio and energy are checked, and they are met
    assert prescription_violations(plan, 3.0, 545.0, None) == []
    # another energy than the plan's: outside ± 1 %
    assert prescription_violations(plan, 3.0, 600.0, None)[0].startswith("energy 545.")


def test_a_feed_holding_protein_meets_the_prescription() -> None:
    from spasmcare.keto.analysis import liquid_ready

    table = default_table()
    plan = solve_feed(
        [
            FeedIngredient(table.get("ketocal-3-1-powder"), "powder"),
            FeedIngredient(liquid_ready(table.get("01107"))[0], "liquid"),
            FeedIngredient(table.get("liquigen"), "liquid"),
        ],
        FeedTarget(3.0, 545.0, 545.0, 6, 8.4),
    )
    assert plan.solved
    assert prescription_violations(plan, 3.0, 545.0, 8.4) == []


def test_an_unsolved_feed_is_never_checked() -> None:
    table = default_table()
    # Liquigen alone (fat, no protein or carbohydrate) cannot be 3:1
    plan = solve_feed(
        [FeedIngredient(table.get("liquigen"), "liquid")],
        FeedTarget(3.0, 545.0, 545.0, 6),
    )
    assert not plan.solved
    (reason,) = prescription_violations(plan, 3.0, 545.0, 8.4)
    assert reason.startswith("the feed is not solved")
