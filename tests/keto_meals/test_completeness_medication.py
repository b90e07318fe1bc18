"""DRI completeness, supplements, and medication carbohydrate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.keto.analysis import MICRONUTRIENTS, NutrientTotal
from spasmcare.keto.completeness import (
    Supplement,
    assess,
    format_amount,
    format_supplement,
    load_dri,
    parse_supplement,
)
from spasmcare.keto.medication import carb_budget, food_target, parse_medication
from spasmcare.keto.solver import MealTarget


def test_dri_values_and_sources() -> None:
    table = load_dri()
    # NASEM 2019 Appendix J: calcium 1–3 y RDA 700 mg; vitamin D 7–12 mo AI 10 µg (IOM 2011).
    ca = table.for_group("1-3y")["calcium_mg"]
    assert (ca.value, ca.kind) == (700.0, "RDA")
    assert "Sodium and Potassium" in ca.source
    vd = table.for_group("7-12mo")["vitamin_d_ug"]
    assert (vd.value, vd.kind) == (10.0, "AI")
    for value in table.values.values():
        assert value.value > 0 and value.kind in ("RDA", "AI") and value.source


@pytest.mark.parametrize(
    ("months", "group"),
    [
        (0, "Infants 0–6 months"),
        (5.9, "Infants 0–6 months"),
        (6, "Infants 7–12 months"),
        (12, "Children 1–3 years"),
        (107, "Children 4–8 years"),
    ],
)
def test_age_groups(months: float, group: str) -> None:
    assert assess({}, months).group == group


def test_out_of_range_age() -> None:
    with pytest.raises(InputError):
        assess({}, 108)


def test_shortfalls_supplements_and_unknowns() -> None:
    # 2-year-old: calcium 300 mg from food + 400 mg supplement = 700 = RDA → met.
    # iron 3 mg known of RDA 7 → short; selenium 5 µg with an unknown food → short or unknown.
    report = assess(
        {
            "calcium_mg": NutrientTotal(300.0),
            "iron_mg": NutrientTotal(3.0),
            "selenium_ug": NutrientTotal(5.0, ("x",)),
        },
        24,
        [parse_supplement("calcium:calcium_mg=400")],
        stone_risk=True,
    )
    rows = {r.nutrient: r for r in report.rows}
    assert rows["calcium_mg"].status == "met"
    assert rows["calcium_mg"].total == pytest.approx(700.0)
    assert rows["iron_mg"].status == "short"
    assert rows["iron_mg"].shortfall == pytest.approx(4.0)
    assert rows["selenium_ug"].status == "short or unknown"
    texts = " ".join(a.supplement for a in report.advice)
    assert "multivitamin" in texts and "calcium with vitamin D" in texts
    assert "citrate" in texts and "selenium" in texts


def test_bad_supplement() -> None:
    with pytest.raises(InputError):
        parse_supplement("x:unobtainium_mg=3")
    with pytest.raises(InputError):
        parse_supplement("calcium")


def test_medication_budget_by_hand() -> None:
    # 300 mg carbohydrate per mL × 10 mL/day = 3 g; day 30 g → 27 g left for food.
    med = parse_medication("levetiracetam syrup:carb_mg=300:per_day=10")
    budget = carb_budget(30.0, [med])
    assert budget.medication_carb_g == pytest.approx(3.0)
    assert budget.food_carb_g == pytest.approx(27.0)
    assert not budget.exceeded
    assert carb_budget(2.0, [med]).exceeded


def test_food_target_keeps_the_ratio_with_the_medicine() -> None:
    meal = MealTarget.from_macros(40.0, 6.0, 4.0)  # 4:1, 400 kcal
    food = food_target(meal, 1.0)
    assert food.carb_g == pytest.approx(3.0)
    assert food.fat_g == pytest.approx(40.0)
    # food + medicine: 40 / (6 + 3 + 1) = 4
    assert food.fat_g / (food.protein_plus_carb_g + 1.0) == pytest.approx(4.0)
    with pytest.raises(InputError):
        food_target(meal, 5.0)


@pytest.mark.parametrize("text", ["syrup", "syrup:carb_mg=3", "syrup:carb_mg=-1:per_day=2"])
def test_bad_medication(text: str) -> None:
    with pytest.raises(InputError):
        parse_medication(text)


def test_carb_budget_per_meal() -> None:
    # 300 mg/mL × 10 mL = 3 g/day; 30 − 3 = 27 g for food; over 3 meals: 10, 1 and 9 g.
    budget = carb_budget(30, [parse_medication("syrup:carb_mg=300:per_day=10")])
    share = budget.per_meal(3)
    assert share.day_carb_g == pytest.approx(10.0)
    assert share.medication_carb_g == pytest.approx(1.0)
    assert share.food_carb_g == pytest.approx(9.0)
    assert share.each_medication_carb_g == pytest.approx((1.0,))
    for bad in (0, -1, 1.5):
        with pytest.raises(InputError) as err:
            budget.per_meal(bad)  # type: ignore[arg-type]
        assert err.value.field == "--meals"


def test_completeness_names_its_dri_sources() -> None:
    report = assess({"calcium_mg": 300.0}, 24)
    assert report.sources
    assert set(report.sources) == {r.reference.source for r in report.rows}
    assert report.to_dict()["sources"] == list(report.sources)


def test_advice_with_unknown_values_gives_a_lower_bound() -> None:
    # 8-month-old on a formula whose selenium and calcium are not in the food table: the day
    # reads 0 µg / 0 mg from food, which is a lower bound (unknown), not "0 % of the AI".
    # AI 7-12 months (NASEM 2019 Appendix J): selenium 20 µg, calcium 260 mg.
    report = assess(
        {
            "selenium_ug": NutrientTotal(0.0, ("ketocal-3-1-powder",)),
            "calcium_mg": NutrientTotal(0.0, ("ketocal-3-1-powder",)),
            "iron_mg": NutrientTotal(3.0),
        },
        8,
    )
    because = {a.supplement: a.because for a in report.advice}
    selenium = because["extra selenium if the multivitamin does not cover it"]
    assert selenium == (
        "Selenium at least 0 % of the AI (unknown in ketocal-3-1-powder) (at least 0 of 20 µg)"
    )
    assert (
        "Calcium at least 0 % of the AI (unknown in ketocal-3-1-powder)"
        in because["calcium with vitamin D"]
    )
    # a value known in every food keeps the plain wording: zinc 1.5 of RDA 3 mg = 50 %
    known = assess({"zinc_mg": NutrientTotal(1.5)}, 8)
    zinc = {a.supplement: a.because for a in known.advice}[
        "extra zinc if the multivitamin does not cover it"
    ]
    assert zinc == "Zinc at 50 % of the RDA (1.5 of 3 mg)"


_NAMES = st.text(
    alphabet=st.characters(blacklist_characters=":", blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s != "" and s.splitlines() == [s])
_AMOUNTS = st.dictionaries(
    st.sampled_from(MICRONUTRIENTS),
    st.floats(min_value=0, max_value=1e5, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=len(MICRONUTRIENTS),
)


@settings(max_examples=200, deadline=None)
@given(_NAMES, _AMOUNTS)
def test_a_supplement_written_as_a_line_reads_back_the_same(
    name: str, amounts: dict[str, float]
) -> None:
    # the keto planner's supplement rows are stored as the line the command line reads
    supplement = Supplement(name, amounts)
    back = parse_supplement(format_supplement(supplement))
    assert back.name == name
    assert list(back.amounts.items()) == list(amounts.items())


def test_a_supplement_line_keeps_the_syntax_typed_before() -> None:
    # what a dietitian typed in the old supplements box is what the rows now store
    line = "calcium:calcium_mg=600,vitamin_d_ug=10"
    assert format_supplement(parse_supplement(line)) == line
    assert format_amount(0.1) == "0.1" and format_amount(1234567.0) == "1234567.0"
    with pytest.raises(InputError):
        format_supplement(Supplement("a:b", {"calcium_mg": 1.0}))
    with pytest.raises(InputError):
        format_supplement(Supplement("calcium", {}))
