"""Doses ticked as given (schema v1, optional ``doses_given[]``, issue 12): import, meaning
checks naming entry and field, round trip, and every record written before stays valid."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.record import (
    DoseGiven,
    load_schema,
    record_from_dict,
    record_from_json,
    record_to_dict,
    record_to_json,
    validate_record_dict,
)
from tests.record.test_io import EXAMPLE, TODAY, field_of, minimal


def with_ticks() -> dict[str, Any]:
    data = minimal()  # treatment t1: prednisolone 2026-05-04 to 2026-05-30
    data["doses_given"] = [
        {
            "date": "2026-05-05",
            "time": "08:00",
            "treatment": "t1",
            "drug": "prednisolone",
            "dose": "10 mg = 1 mL of 10 mg/mL",
            "given": True,
        },
        {"date": "2026-05-05", "time": "12:00", "treatment": "t1", "given": False,
         "note": "vomited"},
        {"date": "2026-05-06", "treatment": "t1", "given": True},
    ]
    return data


def test_ticks_import_values_and_types() -> None:
    rec = record_from_dict(with_ticks(), today=TODAY)
    first, missed, untimed = rec.doses_given
    assert first == DoseGiven(
        day=date(2026, 5, 5),
        treatment="t1",
        given=True,
        time="08:00",
        drug="prednisolone",
        dose="10 mg = 1 mL of 10 mg/mL",
    )
    assert missed.given is False and missed.note == "vomited" and missed.drug is None
    assert untimed.time is None and untimed.day == date(2026, 5, 6)


def test_records_without_ticks_stay_valid_and_export_unchanged() -> None:
    # every v1 file written before the section existed still reads, and exports without the key
    for data in (minimal(), json.loads(EXAMPLE.read_text("utf-8"))):
        rec = record_from_dict(data, today=TODAY)
        assert rec.doses_given == ()
        out = record_to_dict(rec)
        assert "doses_given" not in out and out["schema_version"] == 1


def test_the_schema_stays_version_1_and_the_section_is_optional() -> None:
    schema = load_schema()
    assert schema["properties"]["schema_version"] == {"const": 1}
    assert "doses_given" not in schema["required"]
    assert schema["$defs"]["dose_given"]["required"] == ["date", "treatment", "given"]


def test_round_trip_and_key_order() -> None:
    rec = record_from_dict(with_ticks(), today=TODAY)
    out = record_to_dict(rec)
    assert list(out)[-1] == "doses_given"
    assert out["doses_given"][1] == {
        "date": "2026-05-05",
        "time": "12:00",
        "treatment": "t1",
        "given": False,  # a dose not given is kept, not dropped as empty
        "note": "vomited",
    }
    again = record_from_json(record_to_json(rec), today=TODAY)
    assert again == rec


@pytest.mark.parametrize(
    ("change", "field", "accepted"),
    [
        ({"treatment": "t9"}, "doses_given[0].treatment", "the id of a treatment in this record"),
        ({"date": "2026-05-01"}, "doses_given[0].date", "within treatment t1's start and stop"),
        ({"date": "2026-05-31"}, "doses_given[0].date", "within treatment t1's start and stop"),
        ({"date": "2026-11-22"}, "doses_given[0].date", "on or before today"),
        ({"drug": "vigabatrin"}, "doses_given[0].drug", "the drug of treatment t1"),
        ({"time": "8:00"}, "doses_given[0].time", "a time of day written HH:MM"),
        ({"time": "24:00"}, "doses_given[0].time", "a time of day written HH:MM"),
        ({"given": "yes"}, "doses_given[0].given", "a JSON boolean"),
        ({"extra": 1}, "doses_given[0].extra", "only the known fields"),
    ],
)
def test_bad_ticks_are_refused_naming_entry_and_field(
    change: dict[str, Any], field: str, accepted: str
) -> None:
    data = with_ticks()
    data["doses_given"][0] |= change
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    assert err.value.field == field
    assert accepted in err.value.accepted


def test_a_missing_given_is_refused() -> None:
    data = with_ticks()
    del data["doses_given"][0]["given"]
    assert field_of(data) == "doses_given[0].given"


def test_the_same_dose_ticked_twice_is_refused() -> None:
    data = with_ticks()
    data["doses_given"].append(copy.deepcopy(data["doses_given"][0]) | {"given": False})
    with pytest.raises(InputError) as err:
        record_from_dict(data, today=TODAY)
    assert err.value.field == "doses_given[3]"
    assert "doses_given[0] is the same dose" in err.value.accepted


def test_the_drug_matches_whatever_its_case() -> None:
    data = with_ticks()
    data["doses_given"][0]["drug"] = "Prednisolone"
    assert record_from_dict(data, today=TODAY).doses_given[0].drug == "Prednisolone"


def test_a_record_with_ticks_validates_against_the_schema_alone() -> None:
    validate_record_dict(with_ticks())


_TIMES = st.one_of(
    st.none(), st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
)
_TEXT = st.one_of(st.none(), st.text(st.characters(blacklist_characters="\x00"), max_size=40))


@st.composite
def tick_lists(draw: Any) -> list[dict[str, Any]]:
    n = draw(st.integers(0, 12))
    out: list[dict[str, Any]] = []
    keys: set[tuple[int, str | None]] = set()
    for _ in range(n):
        offset = draw(st.integers(0, 26))  # within t1's 2026-05-04 .. 2026-05-30
        time = draw(_TIMES)
        if (offset, time) in keys:
            continue
        keys.add((offset, time))
        item: dict[str, Any] = {
            "date": (date(2026, 5, 4) + timedelta(days=offset)).isoformat(),
            "treatment": "t1",
            "given": draw(st.booleans()),
        }
        if time is not None:
            item["time"] = time
        for name in ("dose", "note"):
            value = draw(_TEXT)
            if value is not None:
                item[name] = value
        if draw(st.booleans()):
            item["drug"] = "prednisolone"
        out.append(item)
    return out


@settings(max_examples=60)
@given(tick_lists())
def test_property_any_valid_ticks_round_trip(ticks: list[dict[str, Any]]) -> None:
    data = minimal()
    data["doses_given"] = ticks
    rec = record_from_dict(data, today=TODAY)
    assert len(rec.doses_given) == len(ticks)
    out = record_to_dict(rec)
    assert out.get("doses_given", []) == ticks
    assert record_from_json(record_to_json(rec), today=TODAY) == rec
