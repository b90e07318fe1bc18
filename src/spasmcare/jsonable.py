"""One normaliser from domain values to what ``json.dumps`` accepts, shared by every layer."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

#: Types returned as they are (checked by exact type first: a report holds thousands of them,
#: and the isinstance chain below was most of the time of building one).
_AS_IS = frozenset({str, int, bool, type(None)})


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO text, NaN/±inf as ``None`` (JSON has neither), mapping keys
    as text and tuples/sets as lists; everything else unchanged."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {
            (k if type(k) is str else str(k)): (v if type(v) in _AS_IS else jsonable(v))
            for k, v in value.items()
        }
    if kind is list:
        return [v if type(v) in _AS_IS else jsonable(v) for v in value]
    if kind is float:
        return value if math.isfinite(value) else None
    return _jsonable_other(value)


def _jsonable_other(value: Any) -> Any:
    """The general case: subclasses of the types above, dates, tuples and sets."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value
