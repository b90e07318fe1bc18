"""Helpers shared by the CLI commands: one JSON document on stdout, or a Rich rendering."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console

console = Console()


def _clean(value: Any) -> Any:
    """JSON has no NaN: missing values become null."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def emit(data: Any, as_json: bool, render: Callable[[Console], None]) -> None:
    """Print ``data`` as one JSON document when ``as_json``, else call ``render``."""
    if as_json:
        sys.stdout.write(json.dumps(_clean(data), indent=2, ensure_ascii=False, default=str))
        sys.stdout.write("\n")
    else:
        render(console)


def fmt(value: float | None, digits: int = 1, unit: str = "") -> str:
    """Human display of a number; a missing value is shown as 'unknown'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    text = f"{value:.{digits}f}"
    return f"{text} {unit}".rstrip()
