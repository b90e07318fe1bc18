"""One normaliser from domain values to what ``json.dumps`` accepts, shared by every layer."""

from __future__ import annotations

import math
from datetime import date
from typing import Any


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO text, NaN/±inf as ``None`` (JSON has neither), mapping keys
    as text and tuples/sets as lists; everything else unchanged."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value
