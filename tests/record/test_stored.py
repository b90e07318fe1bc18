"""Reading stored records: items checked once when written are not schema-checked again."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.demo import demo_clinic
from spasmcare.errors import InputError
from spasmcare.record import io, record_from_dict, record_from_stored

from .test_io import TODAY, minimal


def test_stored_read_equals_full_read_for_the_demo_clinic() -> None:
    for infant in demo_clinic(TODAY):
        assert record_from_stored(infant.record, TODAY) == record_from_dict(infant.record, TODAY)


def test_items_are_not_schema_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[set[str]] = []
    real = io.validate_record_dict

    def spy(data: Any) -> None:
        seen.append(set(data))
        real(data)

    monkeypatch.setattr(io, "validate_record_dict", spy)
    record_from_stored(minimal(), TODAY)
    # one check, of the header only: the diary, recorded days, treatments and labs are not in it
    assert seen == [{"format", "schema_version", "patient"}]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # the header is still checked against the schema
        (lambda d: d["patient"].update(sex="x"), "patient.sex"),
        # a stored item that is not schema-valid and does not read: the full check names it
        (lambda d: d["diary"][0].pop("spasms"), "diary[0].spasms"),
        (lambda d: d["labs"][0].pop("unit"), "labs[0].unit"),
        # the checks of meaning run on every read
        (lambda d: d["treatments"][0].update(stop="2026-05-01"), "treatments[0].stop"),
        (lambda d: d["diary"][1].update(spasms=3), "diary[1].spasms"),
        (lambda d: d["diary"][0].update(at="2026-12-01T07:00"), "diary[0].at"),
    ],
)
def test_stored_read_names_the_same_field_as_an_import(change: Any, field: str) -> None:
    data = minimal()
    change(data)
    with pytest.raises(InputError) as full:
        record_from_dict(data, today=TODAY)
    with pytest.raises(InputError) as stored:
        record_from_stored(data, today=TODAY)
    assert full.value.field == stored.value.field == field


@settings(max_examples=40, deadline=None)
@given(
    keep=st.lists(st.booleans(), min_size=4, max_size=4),
    today=st.dates(min_value=date(2026, 6, 1), max_value=date(2027, 12, 31)),
)
def test_stored_read_agrees_with_full_read(keep: list[bool], today: date) -> None:
    data = minimal()
    for flag, section in zip(keep, ("diary", "recorded_days", "treatments", "labs"), strict=True):
        if not flag:
            del data[section]
    before = copy.deepcopy(data)
    assert record_from_stored(data, today) == record_from_dict(data, today)
    assert data == before
