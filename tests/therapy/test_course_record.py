"""Plans as taper steps and as record treatment items (spasmcare.therapy.course_record)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.record import record_from_dict
from spasmcare.therapy import load_protocol, plan_course
from spasmcare.therapy.course_record import DoseStep, dose_steps, drugs, record_treatment
from spasmcare.therapy.dosing import plausible_range

START = date(2026, 6, 1)


def test_prednisolone_taper_steps() -> None:
    # prednisolone-high-dose.v1.yaml: 10 mg x4 days 1-14 (40 mg/day), x3 days 15-19,
    # x2 days 20-24, x1 days 25-29; day 1 = 2026-06-01 so day 15 = 06-15, day 29 = 06-29
    plan = plan_course("prednisolone-high-dose", weight_kg=6, start=START)
    steps = dose_steps(plan, "prednisolone")
    assert [(s.first, s.last, s.amount, s.per_dose, len(s.times)) for s in steps] == [
        (date(2026, 6, 1), date(2026, 6, 14), 40.0, 10.0, 4),
        (date(2026, 6, 15), date(2026, 6, 19), 30.0, 10.0, 3),
        (date(2026, 6, 20), date(2026, 6, 24), 20.0, 10.0, 2),
        (date(2026, 6, 25), date(2026, 6, 29), 10.0, 10.0, 1),
    ]
    assert {s.record_unit for s in steps} == {"mg/day"}
    assert steps[0].times == ("08:00", "12:00", "16:00", "20:00")
    assert steps[0].days == 14


def test_record_item_as_known_on_a_day() -> None:
    plan = plan_course("prednisolone-high-dose", weight_kg=6, start=START)
    whole = record_treatment(plan, "prednisolone", "pred9")
    assert whole is not None
    assert whole["stop"] == "2026-06-29"
    assert [(d["start"], d["amount"], d["unit"]) for d in whole["doses"]] == [
        ("2026-06-01", 40.0, "mg/day"),
        ("2026-06-15", 30.0, "mg/day"),
        ("2026-06-20", 20.0, "mg/day"),
        ("2026-06-25", 10.0, "mg/day"),
    ]
    # on 2026-06-22 the third step has begun, the course has not stopped
    partial = record_treatment(plan, "prednisolone", "pred9", until=date(2026, 6, 22))
    assert partial is not None and "stop" not in partial
    assert [d["start"] for d in partial["doses"]] == ["2026-06-01", "2026-06-15", "2026-06-20"]
    assert record_treatment(plan, "prednisolone", "pred9", until=date(2026, 5, 31)) is None
    # the record accepts the item (dates bounded by "today" = the until day)
    record = record_from_dict(
        {
            "format": "spasmcare-record",
            "schema_version": 1,
            "patient": {"id": "t", "birth_date": "2026-01-12", "sex": "female"},
            "treatments": [partial],
        },
        today=date(2026, 6, 22),
    )
    assert record.treatments[0].doses[2].amount == 20.0


def test_a_dose_awaiting_the_clinic_has_no_record_item() -> None:
    plan = plan_course(
        "prednisolone-high-dose",
        weight_kg=6,
        start=START,
        decisions={"day7_spasms_continuing": True},
    )
    # version 2: the UKISS week-2 escalation is graded SECONDARY (evidence D-2) and given;
    # days 15-29 await the clinic (taper-after-escalation, NOT FOUND, D-5): steps stop at day 14
    assert [(s.first, s.last) for s in dose_steps(plan, "prednisolone")] == [
        (date(2026, 6, 1), date(2026, 6, 7)),
        (date(2026, 6, 8), date(2026, 6, 14)),
    ]
    with pytest.raises(InputError) as err:
        record_treatment(plan, "prednisolone", "pred9")
    assert err.value.field == "plan"
    assert "taper-after-escalation" in err.value.accepted
    with pytest.raises(InputError):
        record_treatment(plan, "vigabatrin", "vgb9")


def test_alternate_days(confirmed_dir: Path) -> None:
    # tetracosactide-depot.v1.yaml: 0.5 mg on days 1, 3, 5, 7 and 9, 11, 13 (every: 2)
    plan = plan_course(
        "tetracosactide-depot", weight_kg=6, start=START, protocols_dir=confirmed_dir
    )
    assert drugs(plan) == ["tetracosactide depot", "prednisolone"]
    [step] = dose_steps(plan, "tetracosactide depot")
    assert (step.first, step.last, step.amount, step.every_other_day) == (
        date(2026, 6, 1), date(2026, 6, 13), 0.5, True
    )
    item = record_treatment(plan, "tetracosactide depot", "tcs1")
    assert item is not None
    assert item["doses"] == [
        {"start": "2026-06-01", "amount": 0.5, "unit": "mg every other day",
         "note": "0.5 mg alternate days"}
    ]
    assert item["stop"] == "2026-06-13"
    # ACTH: once daily on days 21-23, then every other morning on days 24, 26, 28 (same
    # 10 U/m2 amount): the record has no alternate-day unit for units, so "IU" and a note
    acth = plan_course(
        "acth-high-dose", weight_kg=6, length_cm=62, start=START, protocols_dir=confirmed_dir
    )
    steps = dose_steps(acth, "ACTH (Acthar Gel)")
    assert [(s.first.day, s.last.day, s.every_other_day) for s in steps] == [
        (1, 14, False), (15, 17, False), (18, 20, False), (21, 23, False), (24, 28, True)
    ]
    assert steps[-1].record_unit == "IU" and steps[0].record_unit == "IU/day"
    assert steps[-1].amount == steps[-2].amount
    acth_item = record_treatment(acth, "ACTH (Acthar Gel)", "acth1")
    assert acth_item is not None
    assert acth_item["doses"][-1]["note"].endswith("(every other day)")


def _dose_days(step: DoseStep) -> list[date]:
    every = 2 if step.every_other_day else 1
    return [step.first + timedelta(days=k) for k in range(0, step.days, every)]


W_LO, W_HI = plausible_range("weight")
IDS = ["prednisolone-high-dose", "vigabatrin-rapid", "prednisolone-vigabatrin",
       "tetracosactide-depot", "acth-high-dose"]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pid=st.sampled_from(IDS),
    weight=st.floats(W_LO, W_HI),
    yes=st.booleans(),
    offset=st.integers(0, 400),
)
def test_steps_account_for_every_dose(
    confirmed_dir: Path, pid: str, weight: float, yes: bool, offset: int
) -> None:
    """The steps cover the course without gaps or overlaps, and give back every dose: each
    step's amount on each of its dose days equals the plan's total for that day."""
    protocol = load_protocol(pid, protocols_dir=confirmed_dir)
    plan = plan_course(
        protocol, weight_kg=weight, length_cm=62, start=START + timedelta(days=offset),
        decisions={d["id"]: yes for d in protocol.decisions}, protocols_dir=confirmed_dir,
    )
    for drug in drugs(plan):
        given_days = {
            d.date: sum(x.amount for x in d.doses if x.drug == drug)
            for d in plan.days
            if any(x.drug == drug for x in d.doses)
        }
        steps = dose_steps(plan, drug)
        covered = {day: s.amount for s in steps if s.amount > 0 for day in _dose_days(s)}
        assert covered == pytest.approx(given_days)
        for a, b in zip(steps, steps[1:], strict=False):
            assert b.first == a.last + timedelta(days=1)


def test_ended_item_stops_the_day_before_the_new_plan_and_drops_later_doses() -> None:
    from spasmcare.therapy.course_record import ended_item

    item = {
        "id": "pred1",
        "drug": "prednisolone",
        "start": "2026-07-01",
        "doses": [
            {"start": "2026-07-01", "amount": 40, "unit": "mg/day"},
            {"start": "2026-07-20", "amount": 20, "unit": "mg/day"},
        ],
    }
    # re-plan from 15 Jul, nothing ticked after: stop 14 Jul, the 20 Jul step never given
    ended = ended_item(item, date(2026, 7, 15), None)
    assert ended["stop"] == "2026-07-14"
    assert [d["start"] for d in ended["doses"]] == ["2026-07-01"]
    assert item["doses"][1]["start"] == "2026-07-20"  # the stored item is not changed
    # a dose ticked on 16 Jul keeps the course to that day
    assert ended_item(item, date(2026, 7, 15), date(2026, 7, 16))["stop"] == "2026-07-16"
    # never after a stop it already had, never before its own start
    assert ended_item(item | {"stop": "2026-07-10"}, date(2026, 7, 15), None)["stop"] == (
        "2026-07-10"
    )
    assert ended_item(item, date(2026, 6, 1), None)["stop"] == "2026-07-01"
