"""The named phases of plan_course, each on its own, where the plan-level tests do not look:
the product warning of a drug without a strength, the last-dose note and the capped-dose
warning of the days, the unanswered-decision warning and the day's review line.

Expectations by hand from prednisolone-high-dose version 1 (bundled): 10 mg four times daily on
days 1-14, tapered to 30, 20 and 10 mg/day on days 15-29 when spasms stop by day 7; no product
listed; one decision, "Are spasms continuing at day 7?" on day 7, assumed no.
"""

from __future__ import annotations

from datetime import date

import pytest

from spasmcare.errors import InputError
from spasmcare.therapy import Protocol, load_protocol
from spasmcare.therapy.planner import Planner
from spasmcare.therapy.products import GIVEN_AT_PLANNING, choose_products
from spasmcare.therapy.protocol import parameter_values
from spasmcare.therapy.schedule import decision_answers, decision_points, plan_days

START = date(2026, 3, 2)
QUESTION = "Are spasms continuing at day 7?"


@pytest.fixture(scope="module")
def pred() -> Protocol:
    return load_protocol("prednisolone-high-dose", 1)


def test_a_drug_without_a_product_is_named_in_a_warning(pred: Protocol) -> None:
    chosen, warnings = choose_products(pred, None)
    assert chosen == {}
    assert warnings == [
        "prednisolone: no product strength given, so no volumes (give the strength of the "
        "clinic's liquid, in mg per mL, in the product field)"
    ]
    chosen, warnings = choose_products(pred, {"Prednisolone": 5})
    assert warnings == []
    assert chosen["prednisolone"].name == f"prednisolone 5 mg/mL{GIVEN_AT_PLANNING}"
    assert (chosen["prednisolone"].concentration, chosen["prednisolone"].unit) == (5.0, "mg/mL")
    with pytest.raises(InputError) as refused:
        choose_products(pred, {"vigabatrin": 50})
    assert refused.value.field == "products"


def test_the_days_end_with_a_last_dose_note(pred: Protocol) -> None:
    known, given, answers = decision_answers(pred, None)
    assert (given, answers) == ({}, {"day7_spasms_continuing": False})
    planner = Planner(pred, parameter_values(pred, None), answers, START, 7.0, None, {}, [])
    planned = plan_days(pred, planner, START)
    assert len(planned.days) == 29
    assert planned.last_dose == {"prednisolone": date(2026, 3, 30)}  # day 29
    assert planned.days[28].notes == ["last dose of prednisolone; it stops after this day"]
    assert all("last dose" not in n for d in planned.days[:28] for n in d.notes)
    assert sum(d.amount for d in planned.days[0].doses) == 40.0
    assert sum(d.amount for d in planned.days[24].doses) == 10.0  # day 25
    assert planned.warnings == []  # 40 mg/day is under the 60 mg/day maximum: nothing capped


def test_an_unanswered_decision_is_a_warning_and_a_review_line(pred: Protocol) -> None:
    known, given, answers = decision_answers(pred, {"day7_spasms_continuing": None})
    planner = Planner(pred, parameter_values(pred, None), answers, START, 7.0, None, {}, [])
    days = plan_days(pred, planner, START).days
    points, warnings = decision_points(known, given, answers, START, days)
    assert [(p.id, p.day, p.date, p.answer, p.planned_as) for p in points] == [
        ("day7_spasms_continuing", 7, date(2026, 3, 8), None, False)
    ]
    assert warnings == [
        f"Day 7 (8 Mar 2026): '{QUESTION}' is not yet answered: planned as 'no'; re-plan when "
        "it is answered"
    ]
    assert days[6].reviews == [f"clinic review: {QUESTION} (not yet answered, planned as no)"]

    known, given, answers = decision_answers(pred, {"day7_spasms_continuing": True})
    planner = Planner(pred, parameter_values(pred, None), answers, START, 7.0, None, {}, [])
    days = plan_days(pred, planner, START).days
    points, warnings = decision_points(known, given, answers, START, days)
    assert warnings == []
    assert days[6].reviews == [f"clinic review: {QUESTION} (answered yes)"]
    with pytest.raises(InputError):
        decision_answers(pred, {"day8": True})
