"""The document check (NaN, infinities, subnormal numbers, integers beyond 2^53, NUL, nesting)
names the same field, value and accepted values as the plain walk it replaced (issue 21: the
walk now spells a field's name only for its error), on generated documents."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.record import plausibility as pl


def reference_check(data: Any) -> None:
    """The walk as it was before issue 21 (every value's field name made as it went)."""
    stack: list[tuple[Any, str, int]] = [(data, "record", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > pl.MAX_DEPTH:
            raise InputError(where, "(nested data)", f"at most {pl.MAX_DEPTH} levels of nesting")
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(where, str(value), "a finite number (not NaN or Infinity)")
        if isinstance(value, float) and 0 < abs(value) < pl.MIN_NORMAL:
            raise InputError(
                where, repr(value), f"0 or a number of magnitude at least {pl.MIN_NORMAL:.4g}"
            )
        if isinstance(value, int) and abs(value) > pl.MAX_SAFE_INTEGER:
            raise InputError(
                where, f"a {len(str(abs(value)))}-digit number", "a whole number below 2^53"
            )
        if isinstance(value, str) and "\x00" in value:
            raise InputError(where, value.replace("\x00", "\\0")[:80], "text without NUL")
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and "\x00" in key:
                    raise InputError(where, key.replace("\x00", "\\0")[:80], "names without NUL")
                stack.append((item, f"{where}.{key}" if where != "record" else str(key), depth + 1))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                stack.append((item, f"{where}[{i}]", depth + 1))


def outcome(check: Any, data: Any) -> tuple[Any, ...] | None:
    try:
        check(data)
    except InputError as exc:
        return (exc.field, exc.value, exc.accepted)
    return None


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**60), 2**60),
    st.sampled_from([2**53 - 1, 2**53, -(2**53), 0, 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e-320, -5e-324, 0.0, -0.0, 2.2250738585072014e-308]),
    st.text(alphabet=st.sampled_from(["a", "b", "\x00", "é", "1"]), max_size=4),
)
keys = st.one_of(
    st.sampled_from(["record", "a", "a\x00", "x"]),
    st.text(alphabet=st.sampled_from(["a", "\x00", "x"]), max_size=3),
    st.integers(0, 3),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=4),
        st.tuples(inner, inner),
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_same_error_as_the_plain_walk(document: Any) -> None:
    assert outcome(pl.check_document, document) == outcome(reference_check, document)


@settings(max_examples=50, deadline=None)
@given(st.integers(25, 40), scalars)
def test_same_error_for_deep_nesting(levels: int, leaf: Any) -> None:
    document: Any = leaf
    for n in range(levels):
        document = {"record" if n % 3 == 0 else "k": document} if n % 2 else [document]
    assert outcome(pl.check_document, document) == outcome(reference_check, document)
