"""Small display filters: looking up a dict by key, an entry in one line."""

from __future__ import annotations

from typing import Any

from django import template

from spasmcare.plain import code_words, is_code, when_text
from spasmcare.plain import plain_dates as _plain_dates
from spasmcare.record.model import DIET_LABELS

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


def _words(key: str) -> str:
    for unit, shown in UNITS.items():
        if key.endswith(unit):
            return f"{code_words(key[: -len(unit)])} [{shown}]"
    return code_words(key)


def readable(value: Any) -> str:
    """Any stored value in words: no braces, quotes or ISO timestamps."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{_words(str(k))} {readable(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(readable(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        if is_code(value):  # a stored code ("urine_calcium_creatinine_ratio") in words
            return code_words(value)
        return when_text(value) or value
    return "" if value is None else str(value)


#: Unit suffixes of record field names and how they read.
UNITS = {
    "_mmol_l": "mmol/L",
    "_mmhg": "mmHg",
    "_kg": "kg",
    "_cm": "cm",
    "_min": "min",
    "_bpm": "/min",
    "_mg": "mg",
    "_g": "g",
}


@register.filter
def entry_text(data: Any) -> str:
    """A record item in words (``key: value`` pairs, nested items spelled out, dates as
    people write them), never a dump of the stored structure."""
    if not isinstance(data, dict):
        return readable(data)
    return "; ".join(
        f"{_words(str(key))}: {readable(_named(str(key), value))}" for key, value in data.items()
    )


def _named(key: str, value: Any) -> Any:
    """A value the record stores as a code, by its name (a diet kind)."""
    if key == "diet" and isinstance(value, str):
        return DIET_LABELS.get(value, value)
    return value


@register.filter
def plain_dates(text: Any) -> str:
    """A sentence with every ISO date or date-time in it written as people write dates
    ("spasms on 2026-06-07" -> "spasms on 7 Jun 2026"); the rest of the text is unchanged
    (:func:`spasmcare.plain.plain_dates`, shared with the HTML report)."""
    return _plain_dates(text)
