"""The record's JSON Schema with its references put in place gives the same verdict as the
schema as written, and a refused document gets the same error as before (issue 21: the check
is faster, not different). Documents: every demo record, the 2-year record and thousands of
mutations of them (a value replaced, removed or added anywhere)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import best_match

from spasmcare.demo import demo_clinic, long_record
from spasmcare.errors import InputError
from spasmcare.record import document

ON = date(2026, 12, 7)
RECORDS = [i.record for i in demo_clinic(ON)] + [long_record(ON, days=60).record]

REPLACEMENTS = [
    None,
    "",
    "x",
    "2026-13-40",
    "2026-02-03",
    "2026-02-03T25:00",
    "a" * 300,
    -1,
    0,
    1,
    2.5,
    1e9,
    -0.5,
    True,
    [],
    {},
    ["x"],
    {"zzz": 1},
]


def verdicts(data: Any) -> tuple[bool, bool]:
    return document._valid_checker().is_valid(data), document._validator().is_valid(data)


def original_error(data: Any) -> tuple[Any, ...] | None:
    found = best_match(document._validator().iter_errors(data))
    if found is None:
        return None
    e = document._schema_error(found)
    return (e.field, e.value, e.accepted)


def error(data: Any) -> tuple[Any, ...] | None:
    try:
        document.validate_record_dict(data)
    except InputError as e:
        return (e.field, e.value, e.accepted)
    return None


def test_the_references_are_all_put_in_place() -> None:
    assert document._valid_checker() is not document._validator()
    assert '"$ref"' not in str(document._valid_checker().schema).replace("'", '"')


@pytest.mark.parametrize("n", range(len(RECORDS)))
def test_every_demo_record_is_valid_under_both(n: int) -> None:
    assert verdicts(RECORDS[n]) == (True, True)


def _mutate(data: Any, draw: Any) -> Any:
    doc = copy.deepcopy(data)
    node = doc
    for _ in range(draw(st.integers(0, 6))):
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        children = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
        if not children:
            break
        _, node = children[draw(st.integers(0, len(children) - 1))]
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "add" or not keys:
        if isinstance(node, dict):
            node[draw(st.sampled_from(["zzz", "note", "id", "at"]))] = draw(
                st.sampled_from(REPLACEMENTS)
            )
        else:
            node.append(draw(st.sampled_from(REPLACEMENTS)))
        return doc
    key = keys[draw(st.integers(0, len(keys) - 1))]
    if action == "remove":
        del node[key]
    else:
        node[key] = draw(st.sampled_from(REPLACEMENTS))
    return doc


@settings(max_examples=600, deadline=None)
@given(st.integers(0, len(RECORDS) - 1), st.data())
def test_a_mutated_record_gets_the_same_verdict_and_error(n: int, data: st.DataObject) -> None:
    doc = _mutate(RECORDS[n], data.draw)
    fast, written = verdicts(doc)
    assert fast == written
    assert error(doc) == original_error(doc)
