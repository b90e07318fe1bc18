"""``jsonable`` (fast paths by exact type) gives what the plain isinstance chain gave."""

from __future__ import annotations

import math
from datetime import date, datetime
from enum import Enum, IntEnum
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from spasmcare.jsonable import jsonable


def reference(value: Any) -> Any:
    """The normaliser as first written (dates ISO, non-finite floats None, keys text,
    tuples and sets as lists)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): reference(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [reference(v) for v in value]
    return value


class Colour(Enum):
    RED = "red"


class Grade(IntEnum):
    ONE = 1


class Text(str):
    pass


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.dates(),
    st.datetimes(),
    st.sampled_from([Colour.RED, Grade.ONE, Text("x"), float("nan")]),
)
keys = st.one_of(st.text(max_size=3), st.integers(), st.dates(), st.sampled_from([Grade.ONE]))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.frozensets(st.integers(), max_size=3),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=20,
)


def same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN, and the same types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@given(values)
def test_jsonable_equals_the_reference(value: Any) -> None:
    assert same(jsonable(value), reference(value))


def test_jsonable_by_hand() -> None:
    got = jsonable(
        {1: [date(2026, 12, 7), (1.5, float("inf"))], "t": datetime(2026, 12, 7, 8, 0), "n": None}
    )
    assert got == {"1": ["2026-12-07", [1.5, None]], "t": "2026-12-07T08:00:00", "n": None}
