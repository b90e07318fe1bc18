"""Record import/export: schema validation, meaning checks naming entry and field,
all-or-nothing import, round trip, the documented schema equal to the packaged one."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from spasmcare.errors import InputError
from spasmcare.record import (
    load_schema,
    record_from_dict,
    record_from_json,
    record_to_dict,
    record_to_json,
)
from spasmcare.record.model import (
    DIET_KINDS,
    ETIOLOGY_CATEGORIES,
    KRAMER_ITEM_MAX,
    KRAMER_ITEMS,
    KRAMER_VARIANTS,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "iess-synthetic-infant.json"
TODAY = date(2026, 11, 21)


def minimal() -> dict[str, Any]:
    return {
        "format": "spasmcare-record",
        "schema_version": 1,
        "patient": {"id": "p1", "birth_date": "2026-01-10", "sex": "male"},
        "diary": [
            {"at": "2026-05-01T07:00", "kind": "cluster", "spasms": 6},
            {"at": "2026-05-02T07:00", "kind": "single", "spasms": 1},
        ],
        "recorded_days": [{"from": "2026-05-01", "to": "2026-05-03"}, "2026-05-05"],
        "treatments": [
            {
                "id": "t1",
                "drug": "prednisolone",
                "start": "2026-05-04",
                "stop": "2026-05-30",
                "doses": [{"start": "2026-05-04", "amount": 40, "unit": "mg/day"}],
            }
        ],
        "labs": [{"at": "2026-05-04T08:00", "analyte": "glucose", "value": 72, "unit": "mg/dL"}],
    }


def field_of(data: dict[str, Any]) -> str:
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    return err.value.field


def test_example_loads_and_round_trips() -> None:
    rec = record_from_json(EXAMPLE.read_text(), today=TODAY)
    assert rec.patient.gestation_weeks == 35 and len(rec.treatments) == 2
    again = record_from_json(record_to_json(rec), today=TODAY)
    assert again == rec
    assert record_to_dict(again) == record_to_dict(rec)


def test_minimal_record_and_conversions() -> None:
    rec = record_from_dict(minimal(), today=TODAY)
    # Recorded days: 1-3 May and 5 May = 4 days (4 May is not recorded).
    assert len(rec.recorded_days) == 4 and date(2026, 5, 4) not in rec.recorded_days
    # 72 mg/dL glucose x 10 / 180.156 = 3.997 mmol/L; the entered value is kept.
    assert rec.labs[0].value == 72 and rec.labs[0].value_si == pytest.approx(3.9966, abs=1e-4)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["patient"].pop("birth_date"), "patient.birth_date"),
        (lambda d: d["diary"][1].update(spasms=0), "diary[1].spasms"),
        (lambda d: d["diary"][1].update(spasms=3), "diary[1].spasms"),  # single with 3
        (lambda d: d["diary"][0].update(spasms=2.5), "diary[0].spasms"),
        (lambda d: d["diary"][0].update(colour="red"), "diary[0].colour"),
        (lambda d: d["diary"][0].update(at="2026-02-30T07:00"), "diary[0].at"),
        (lambda d: d["diary"][0].update(at="2027-01-01T07:00"), "diary[0].at"),  # future
        (lambda d: d["diary"][0].update(at="2025-12-01T07:00"), "diary[0].at"),  # before birth
        (lambda d: d["treatments"][0].update(stop="2026-05-01"), "treatments[0].stop"),
        (
            lambda d: d["treatments"][0]["doses"][0].update(start="2026-06-10"),
            "treatments[0].doses[0].start",
        ),
        (lambda d: d["treatments"][0].update(continues="t9"), "treatments[0].continues"),
        (lambda d: d["treatments"].append(dict(d["treatments"][0])), "treatments[0].id"),
        (
            lambda d: d.update(
                diet_periods=[
                    {"id": "kd", "diet": "mad", "start": "2026-05-04"},
                    {"id": "kd", "diet": "mad", "start": "2026-05-05"},
                ]
            ),
            "diet_periods[0].id",
        ),
        (
            lambda d: d.update(
                diet_periods=[
                    {"id": "kd", "diet": "mad", "start": "2026-05-04", "stop": "2026-05-03"}
                ]
            ),
            "diet_periods[0].stop",
        ),
        (
            lambda d: d.update(
                diet_periods=[
                    {
                        "id": "kd",
                        "diet": "mad",
                        "start": "2026-05-04",
                        "achieved": [{"date": "2026-05-03", "ratio": 2}],
                    }
                ]
            ),
            "diet_periods[0].achieved[0].date",
        ),
        (lambda d: d["labs"][0].update(unit="mmol/mol"), "labs[0].unit"),
        (lambda d: d["labs"][0].update(analyte="sugar"), "labs[0].analyte"),
        (
            lambda d: d["recorded_days"].append({"from": "2026-05-09", "to": "2026-05-08"}),
            "recorded_days[2].to",
        ),
        (lambda d: d.update(schema_version=2), "schema_version"),
        (
            lambda d: d.update(
                eegs=[
                    {
                        "date": "2026-05-02",
                        "kramer": {
                            "items": {
                                "disorganisation": 3,
                                "delta_slowing": 3,
                                "amplitude": 3,
                                "spikes": 3,
                                "other_abnormalities": 0,
                            },
                            "total": 11,
                        },
                    }
                ]
            ),
            "eegs[0].kramer.total",
        ),
        (
            lambda d: d.update(
                adverse_events=[{"date": "2026-05-06", "type": "hypertension", "treatment": "zz"}]
            ),
            "adverse_events[0].treatment",
        ),
        (
            lambda d: d.update(growth=[{"date": "2026-05-06", "weight_kg": 40}]),
            "growth[0].weight_kg",
        ),
        # a subnormal number (1e-320 is held as 9.99989e-321): not the value written (issue 20)
        (
            lambda d: d.update(
                labs=[
                    {
                        "at": "2026-05-05T08:00",
                        "analyte": "glucose",
                        "value": 1e-320,
                        "unit": "mmol/L",
                    }
                ]
            ),
            "labs[0].value",
        ),
    ],
)
def test_bad_input_names_entry_and_field(change: Any, field: str) -> None:
    data = minimal()
    change(data)
    assert field_of(data) == field


def test_import_is_all_or_nothing() -> None:
    # The only fault is in the very last entry: nothing is returned, and the input is untouched.
    data = minimal()
    data["labs"].append({"at": "2026-05-05T08:00", "analyte": "bhb", "value": 2, "unit": "%"})
    before = copy.deepcopy(data)
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    assert err.value.field == "labs[1].unit" and data == before


def test_json_syntax_error() -> None:
    with pytest.raises(InputError) as err:
        record_from_json('{"format": ', today=TODAY)
    assert err.value.field == "record"


def test_bad_input_messages_unchanged() -> None:
    data = minimal()
    data["treatments"][0]["doses"][0]["start"] = "2026-06-10"
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    assert err.value.accepted == "a date within the treatment's start and stop"
    data = minimal()
    data["treatments"][0]["stop"] = "2026-05-01"
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    assert err.value.accepted == "a stop date on or after the start (2026-05-04)"


def test_schema_enums_are_the_model_constants() -> None:
    defs = load_schema()["$defs"]
    assert tuple(defs["etiology"]["properties"]["category"]["enum"]) == ETIOLOGY_CATEGORIES
    assert tuple(defs["diet_period"]["properties"]["diet"]["enum"]) == DIET_KINDS
    kramer = defs["kramer"]["properties"]
    assert tuple(kramer["items"]["properties"]) == KRAMER_ITEMS
    assert tuple(kramer["variants"]["properties"]) == KRAMER_VARIANTS
    for item in kramer["items"]["properties"].values():
        assert item["maximum"] == KRAMER_ITEM_MAX


def test_documented_schema_is_the_packaged_schema() -> None:
    docs = json.loads((ROOT / "docs" / "record-schema-v1.json").read_text())
    assert docs == load_schema()


def test_a_treatment_keeps_its_planned_stop_and_dose_changes() -> None:
    # issue 19: a saved course keeps its whole plan, so its stop and its later dose changes may
    # be ahead of today (up to two years: a software limit); its start may not
    data = minimal()
    t = data["treatments"][0]
    t["start"], t["stop"] = "2026-11-13", "2026-12-11"  # day 9 of 29 on 21 Nov 2026
    t["doses"] = [
        {"start": "2026-11-13", "amount": 40, "unit": "mg/day"},
        {"start": "2026-11-20", "amount": 60, "unit": "mg/day"},
        {"start": "2026-11-27", "amount": 30, "unit": "mg/day"},
    ]
    record = record_from_dict(data, today=TODAY)
    assert record.treatments[0].stop == date(2026, 12, 11)
    assert [d.start for d in record.treatments[0].doses][-1] == date(2026, 11, 27)
    late = copy.deepcopy(data)
    late["treatments"][0]["stop"] = "2028-11-21"  # 731 days ahead
    assert field_of(late) == "treatments[0].stop"
    ahead = copy.deepcopy(data)
    ahead["treatments"][0]["start"] = "2026-11-22"
    assert field_of(ahead) == "treatments[0].start"
    outside = copy.deepcopy(data)
    outside["treatments"][0]["doses"][2]["start"] = "2026-12-12"  # after the planned stop
    assert field_of(outside) == "treatments[0].doses[2].start"
