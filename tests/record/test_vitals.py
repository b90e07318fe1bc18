"""Vital signs in the record (schema v1, optional ``vitals[]``): import, meaning checks naming
entry and field, all-or-nothing, export round trip, schema bounds equal to the model's."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.record import (
    VitalSign,
    load_schema,
    record_from_dict,
    record_from_json,
    record_to_dict,
    record_to_json,
)
from spasmcare.record.model import VITAL_BOUNDS
from tests.record.test_io import EXAMPLE, TODAY, field_of, minimal


def with_vitals() -> dict[str, Any]:
    data = minimal()
    data["vitals"] = [
        {"at": "2026-05-04T09:00", "systolic_mmhg": 96, "diastolic_mmhg": 58},
        {"at": "2026-05-06T09:30", "systolic_mmhg": 104.5, "diastolic_mmhg": 61},
        {
            "at": "2026-05-08T10:15:30",
            "systolic_mmhg": 112,
            "diastolic_mmhg": 70,
            "heart_rate_bpm": 138,
            "note": "crying",
        },
        {"at": "2026-05-10", "systolic_mmhg": 100, "diastolic_mmhg": 60},
    ]
    return data


def test_vitals_import_values_and_types() -> None:
    rec = record_from_dict(with_vitals(), today=TODAY)
    assert len(rec.vitals) == 4
    first, third, fourth = rec.vitals[0], rec.vitals[2], rec.vitals[3]
    assert first == VitalSign(
        at=datetime(2026, 5, 4, 9, 0), systolic_mmhg=96.0, diastolic_mmhg=58.0
    )
    assert first.heart_rate_bpm is None and first.note is None and first.day == date(2026, 5, 4)
    assert rec.vitals[1].systolic_mmhg == 104.5  # kept as entered, not rounded
    assert third.heart_rate_bpm == 138.0 and third.note == "crying"
    assert third.at == datetime(2026, 5, 8, 10, 15, 30)
    assert fourth.at == datetime(2026, 5, 10, 0, 0)  # a bare date is midnight, as for labs


def test_record_without_vitals_is_still_valid_and_exports_unchanged() -> None:
    # Every v1 file written before the section existed stays valid, and its export has no key.
    rec = record_from_dict(minimal(), today=TODAY)
    assert rec.vitals == ()
    assert "vitals" not in record_to_dict(rec)


def test_vitals_round_trip_and_key_order() -> None:
    rec = record_from_dict(with_vitals(), today=TODAY)
    out = record_to_dict(rec)
    keys = list(out)
    assert keys.index("labs") < keys.index("vitals") < keys.index("adverse_events")
    assert out["vitals"][0] == {
        "at": "2026-05-04T09:00",
        "systolic_mmhg": 96.0,
        "diastolic_mmhg": 58.0,
    }
    assert out["vitals"][2]["at"] == "2026-05-08T10:15:30"
    assert out["vitals"][2]["heart_rate_bpm"] == 138.0 and out["vitals"][2]["note"] == "crying"
    again = record_from_json(record_to_json(rec), today=TODAY)
    assert again == rec and again.vitals == rec.vitals


def test_example_has_vitals_during_the_prednisolone_course() -> None:
    rec = record_from_json(EXAMPLE.read_text(), today=TODAY)
    pred = rec.treatment("pred1")
    assert pred is not None and pred.stop is not None
    on_course = [v for v in rec.vitals if pred.start <= v.day <= pred.stop]
    assert len(on_course) >= 4
    # The adverse event of 10 June reports "BP 118/72 on two readings": the vitals agree.
    june10 = [v for v in rec.vitals if v.day == date(2026, 6, 10)]
    assert [(v.systolic_mmhg, v.diastolic_mmhg) for v in june10] == [(118, 72), (118, 72)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda v: v[3].update(systolic_mmhg=301), "vitals[3].systolic_mmhg"),
        (lambda v: v[3].update(systolic_mmhg=19.9), "vitals[3].systolic_mmhg"),
        (lambda v: v[3].update(systolic_mmhg="110"), "vitals[3].systolic_mmhg"),
        (lambda v: v[0].update(diastolic_mmhg=4), "vitals[0].diastolic_mmhg"),
        (lambda v: v[0].update(diastolic_mmhg=251), "vitals[0].diastolic_mmhg"),
        (lambda v: v[2].update(heart_rate_bpm=351), "vitals[2].heart_rate_bpm"),
        (lambda v: v[2].update(heart_rate_bpm=19), "vitals[2].heart_rate_bpm"),
        (lambda v: v[1].pop("diastolic_mmhg"), "vitals[1].diastolic_mmhg"),
        (lambda v: v[1].pop("systolic_mmhg"), "vitals[1].systolic_mmhg"),
        (lambda v: v[1].pop("at"), "vitals[1].at"),
        (lambda v: v[1].update(pulse=120), "vitals[1].pulse"),
        (lambda v: v[1].update(at="2026-02-30T09:00"), "vitals[1].at"),
        (lambda v: v[1].update(at="2026-11-22T09:00"), "vitals[1].at"),  # after today
        (lambda v: v[1].update(at="2026-01-09T23:59"), "vitals[1].at"),  # before birth
        (lambda v: v[3].update(diastolic_mmhg=100), "vitals[3].diastolic_mmhg"),  # = systolic
        (lambda v: v[3].update(diastolic_mmhg=120), "vitals[3].diastolic_mmhg"),  # > systolic
    ],
)
def test_bad_vitals_name_entry_and_field(change: Any, field: str) -> None:
    data = with_vitals()
    change(data["vitals"])
    assert field_of(data) == field


def test_vitals_messages() -> None:
    data = with_vitals()
    data["vitals"][3]["systolic_mmhg"] = 1100  # a slipped digit
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    assert err.value.accepted == "a number from 20 to 300"
    data = with_vitals()
    data["vitals"][0]["diastolic_mmhg"] = 96
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    assert err.value.accepted == "a diastolic pressure below the systolic (96 mmHg)"


def test_vitals_import_is_all_or_nothing() -> None:
    data = with_vitals()
    data["vitals"].append({"at": "2026-05-11T09:00", "systolic_mmhg": 90, "diastolic_mmhg": 95})
    before = copy.deepcopy(data)
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    assert err.value.field == "vitals[4].diastolic_mmhg" and data == before


def test_schema_bounds_are_the_model_bounds() -> None:
    props = load_schema()["$defs"]["vital_sign"]["properties"]
    for name, (low, high) in VITAL_BOUNDS.items():
        assert (props[name]["minimum"], props[name]["maximum"]) == (low, high)
    assert load_schema()["$defs"]["vital_sign"]["required"] == [
        "at",
        "systolic_mmhg",
        "diastolic_mmhg",
    ]


@settings(max_examples=60, deadline=None)
@given(
    systolic=st.floats(20, 300, allow_nan=False),
    gap=st.floats(0.001, 200, allow_nan=False),
    rate=st.none() | st.floats(20, 350, allow_nan=False),
    minute=st.integers(0, 24 * 60 - 1),
)
def test_any_reading_in_bounds_round_trips_exactly(
    systolic: float, gap: float, rate: float | None, minute: int
) -> None:
    diastolic = systolic - gap
    data = minimal()
    reading: dict[str, Any] = {
        "at": f"2026-05-07T{minute // 60:02d}:{minute % 60:02d}",
        "systolic_mmhg": systolic,
        "diastolic_mmhg": diastolic,
    }
    if rate is not None:
        reading["heart_rate_bpm"] = rate
    data["vitals"] = [reading]
    low, high = VITAL_BOUNDS["diastolic_mmhg"]
    if not low <= diastolic <= high:
        with pytest.raises(InputError) as err:
            record_from_dict(data, today=TODAY)
        assert err.value.field == "vitals[0].diastolic_mmhg"
        return
    rec = record_from_dict(data, today=TODAY)
    (v,) = rec.vitals
    assert (v.systolic_mmhg, v.diastolic_mmhg, v.heart_rate_bpm) == (systolic, diastolic, rate)
    text = json.dumps(record_to_dict(rec))
    assert record_from_json(text, today=TODAY) == rec
