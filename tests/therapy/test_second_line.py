"""Second-line courses (issue 23, item 5): each protocol validates and plans a course for a
7 kg infant day by day; the dose steps below are derived by hand from the cited source; NOT
FOUND details block saving the course to the record until the clinic confirms them (as for the
first line); the family sheet and calendar work; second line is offered after a recorded failure.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmcare.errors import InputError
from spasmcare.therapy import confirm_detail, list_protocols, load_protocol, plan_course
from spasmcare.therapy.course_record import dose_steps, record_treatment
from spasmcare.therapy.export import table_rows, to_ics
from spasmcare.therapy.offer import offered_protocols
from spasmcare.therapy.protocol import validate_protocol

START = date(2026, 12, 7)
WEIGHT_KG = 7.0
SECOND_LINE = (
    "levetiracetam-6-months-to-4-years",
    "levetiracetam-under-6-months",
    "pyridoxal-phosphate",
    "pyridoxine",
    "topiramate",
    "valproate",
    "zonisamide",
)


def daily(plan: Any, drug: str) -> dict[int, float]:
    return {d.day: round(sum(x.amount for x in d.doses if x.drug == drug), 4) for d in plan.days}


def per_dose(plan: Any, drug: str, day: int) -> list[float]:
    return [x.amount for x in plan.days[day - 1].doses if x.drug == drug]


def planned(plan: Any, drug: str) -> dict[int, float | None]:
    return {d.day: p.planned_daily for d in plan.days for p in d.pending if p.drug == drug}


def confirmed(pid: str, detail: str, tmp_path: Path) -> Any:
    return confirm_detail(load_protocol(pid), detail, "Dr A (consultant)", tmp_path)


@pytest.mark.parametrize("pid", SECOND_LINE)
def test_each_second_line_protocol_validates_and_is_second_line(pid: str) -> None:
    p = load_protocol(pid)
    validate_protocol(p.data, pid)
    assert p.data["kind"] == "second-line"
    for key, spec in p.details.items():  # every detail graded
        assert spec["grade"] in ("FIRM", "SECONDARY", "NOT FOUND"), key


def test_valproate_7_kg_30_mg_per_kg_in_two_doses_for_six_weeks() -> None:
    # Chandra 2012: 30 mg/kg/day -> 210 mg/day for 7 kg; WHO application: twice daily -> 105 mg
    plan = plan_course("valproate", weight_kg=WEIGHT_KG, start=START)
    assert len(plan.days) == 42  # Siemes 1988: a trial of 4-6 weeks
    assert per_dose(plan, "sodium valproate", 1) == [105.0, 105.0]
    assert set(daily(plan, "sodium valproate").values()) == {210.0}
    item = record_treatment(plan, "sodium valproate", "vpa1")
    assert item is not None
    assert item["doses"] == [
        {"start": "2026-12-07", "amount": 210.0, "unit": "mg/day", "note": "trial"}
    ]
    assert item["stop"] == (START + timedelta(days=41)).isoformat()
    whats = [m.what for m in plan.monitoring]
    assert any("Liver tests" in w and "before the first dose" in w for w in whats)


def test_topiramate_waits_for_the_division_then_titrates_weekly(tmp_path: Path) -> None:
    plan = plan_course("topiramate", weight_kg=WEIGHT_KG, start=START)
    assert all(not d.doses for d in plan.days)  # NOT FOUND: no dose until confirmed
    # Kwon 2006: 1 mg/kg/day, +1 mg/kg/day each week, maximum 12 -> 7, 14, ... 84 mg/day
    want = {1: 7.0, 7: 7.0, 8: 14.0, 15: 21.0, 71: 77.0, 78: 84.0}
    got = planned(plan, "topiramate")
    assert {k: got[k] for k in want} == want
    with pytest.raises(InputError) as err:  # saving to the record is blocked
        record_treatment(plan, "topiramate", "tpm1")
    assert "doses-a-day" in err.value.accepted

    plan = plan_course(confirmed("topiramate", "doses-a-day", tmp_path), weight_kg=7, start=START)
    assert per_dose(plan, "topiramate", 1) == [3.5, 3.5]
    assert per_dose(plan, "topiramate", 8) == [7.0, 7.0]
    assert per_dose(plan, "topiramate", 78) == [42.0, 42.0]
    steps = dose_steps(plan, "topiramate")
    assert [s.amount for s in steps] == [7.0 * k for k in range(1, 13)]
    assert record_treatment(plan, "topiramate", "tpm1") is not None


def test_zonisamide_titrates_every_four_days_to_20_mg_per_kg(tmp_path: Path) -> None:
    plan = plan_course("zonisamide", weight_kg=WEIGHT_KG, start=START)
    assert all(not d.doses for d in plan.days)
    with pytest.raises(InputError):
        record_treatment(plan, "zonisamide", "zns1")
    plan = plan_course(confirmed("zonisamide", "doses-a-day", tmp_path), weight_kg=7, start=START)
    # Suzuki 1999 (lower start, smaller step, longer interval): 2 mg/kg/day, +2 every 4 days, max 20
    d = daily(plan, "zonisamide")
    assert [d[k] for k in (1, 4, 5, 9, 33, 37)] == [14.0, 14.0, 28.0, 42.0, 126.0, 140.0]
    assert per_dose(plan, "zonisamide", 37) == [70.0, 70.0]
    assert len(plan.days) == 37


def test_pyridoxine_trial_waits_then_rises_every_three_days(tmp_path: Path) -> None:
    plan = plan_course("pyridoxine", weight_kg=WEIGHT_KG, start=START)
    assert all(not d.doses for d in plan.days)
    with pytest.raises(InputError):
        record_treatment(plan, "pyridoxine", "b6")
    plan = plan_course(confirmed("pyridoxine", "titration", tmp_path), weight_kg=7, start=START)
    # 10 mg/kg/day (Peking 2016) + 10 every 3 days, ceiling 50 (Caraballo 2004): 70 ... 350 mg
    d = daily(plan, "pyridoxine")
    assert [d[k] for k in (1, 3, 4, 7, 10, 13, 14)] == [
        70.0,
        70.0,
        140.0,
        210.0,
        280.0,
        350.0,
        350.0,
    ]


def test_pyridoxal_phosphate_50_mg_per_kg_in_four_doses_once_confirmed(tmp_path: Path) -> None:
    plan = plan_course("pyridoxal-phosphate", weight_kg=WEIGHT_KG, start=START)
    assert all(not d.doses for d in plan.days)
    assert set(planned(plan, "pyridoxal phosphate").values()) == {350.0}  # Wang 2005: 50 mg/kg/day
    plan = plan_course(
        confirmed("pyridoxal-phosphate", "oral-course", tmp_path), weight_kg=7, start=START
    )
    assert per_dose(plan, "pyridoxal phosphate", 1) == [87.5] * 4


def test_levetiracetam_label_titration_waits_for_the_clinic(tmp_path: Path) -> None:
    # US label, partial-onset seizures; no dose for spasms (evidence D-28): waits for the clinic
    for pid in ("levetiracetam-under-6-months", "levetiracetam-6-months-to-4-years"):
        plan = plan_course(pid, weight_kg=WEIGHT_KG, start=START)
        assert all(not d.doses for d in plan.days)
        with pytest.raises(InputError):
            record_treatment(plan, "levetiracetam", "lev1")
    # 1 to <6 months: 7 mg/kg twice daily (49 mg), +7 mg/kg twice daily every 2 weeks, to 21
    young = confirmed("levetiracetam-under-6-months", "label-dose-for-spasms", tmp_path)
    plan = plan_course(young, weight_kg=WEIGHT_KG, start=START)
    assert [per_dose(plan, "levetiracetam", n) for n in (1, 14, 15, 29)] == [
        [49.0, 49.0],
        [49.0, 49.0],
        [98.0, 98.0],
        [147.0, 147.0],
    ]
    # 6 months to <4 years: 10 mg/kg twice daily (70 mg), +10 every 2 weeks, to 25 (175 mg)
    older = confirmed("levetiracetam-6-months-to-4-years", "label-dose-for-spasms", tmp_path)
    plan = plan_course(older, weight_kg=WEIGHT_KG, start=START)
    assert [per_dose(plan, "levetiracetam", n) for n in (1, 15, 29)] == [
        [70.0, 70.0],
        [140.0, 140.0],
        [175.0, 175.0],
    ]


@pytest.mark.parametrize("family", [True, False])
def test_family_sheet_and_calendar_work_for_second_line(family: bool, tmp_path: Path) -> None:
    for plan in (
        plan_course("valproate", weight_kg=WEIGHT_KG, start=START),
        plan_course(confirmed("topiramate", "doses-a-day", tmp_path), weight_kg=7, start=START),
        plan_course("zonisamide", weight_kg=WEIGHT_KG, start=START),  # waiting days too
    ):
        rows = table_rows(plan, family=family)
        assert rows
        ics = to_ics(plan).decode()
        assert "BEGIN:VCALENDAR" in ics and "VEVENT" in ics


# ------------------------------------------------------------------ offered after a failure


def test_no_failure_recorded_offers_first_line_only() -> None:
    offer = offered_protocols(list_protocols(), {"pred1": None})
    assert offer.second_line == ()
    assert "prednisolone-high-dose" in offer.first_line
    assert not set(SECOND_LINE) & set(offer.offered)


def test_a_recorded_failure_offers_second_line() -> None:
    offer = offered_protocols(list_protocols(), {"pred1": date(2026, 12, 21), "vgb1": None})
    assert offer.second_line == SECOND_LINE
    assert "prednisolone-high-dose" in offer.first_line
    assert offer.failed == (("pred1", date(2026, 12, 21)),)
    assert "21 Dec 2026" in offer.reason


def test_cli_offer_second_line_after_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from spasmcare.cli import main

    def run(args: list[str]) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exc:
            main(args)
        out, err = capsys.readouterr()
        return int(exc.value.code or 0), out, err

    code, out, _ = run(["therapy", "offer", "--json"])
    assert code == 0 and json.loads(out)["second_line"] == []
    code, out, _ = run(["therapy", "offer", "--failed", "pred1=2026-12-21", "--json"])
    data = json.loads(out)
    assert code == 0 and data["second_line"] == list(SECOND_LINE)
    assert data["failed"] == [{"treatment": "pred1", "date": "2026-12-21"}]
    code, _, err = run(["therapy", "offer", "--failed", "pred1=21/12/2026"])
    assert code == 2 and "--failed" in err and "Traceback" not in err


def test_failure_days_read_from_the_records_pathway_dates() -> None:
    from types import SimpleNamespace

    from spasmcare.therapy.offer import failure_days

    failure = SimpleNamespace(treatment="pred1", day=date(2026, 12, 21))
    record = SimpleNamespace(pathway=SimpleNamespace(treatment_failures=(failure,)))
    assert failure_days(record) == {"pred1": date(2026, 12, 21)}
    assert failure_days(SimpleNamespace()) == {}  # a record without the pathway section
    offer = offered_protocols(list_protocols(), failure_days(record))
    assert offer.second_line == SECOND_LINE
