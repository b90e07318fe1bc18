"""Small display filters: looking up a dict by key, an entry in one line."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import template

from spasmcare.record.model import DIET_LABELS

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?")


def _when(text: str) -> str | None:
    """An ISO date or date-time as people write it ("2 Dec 2026", "2 Dec 2026 09:00")."""
    found = _ISO_DAY.match(text)
    if found is None or len(text) > 32:
        return None
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    out = f"{day.day} {day:%b %Y}"
    return f"{out} {found[4]}" if found[4] else out


def _words(key: str) -> str:
    for unit, shown in UNITS.items():
        if key.endswith(unit):
            return f"{key[: -len(unit)].replace('_', ' ')} [{shown}]"
    return key.replace("_", " ")


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
        if _CODE.match(value):  # a stored code ("urine_calcium_creatinine_ratio") in words
            return value.replace("_", " ")
        return _when(value) or value
    return "" if value is None else str(value)


_CODE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


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


_ISO_IN_TEXT = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?\b")


@register.filter
def plain_dates(text: Any) -> str:
    """A sentence with every ISO date or date-time in it written as people write dates
    ("spasms on 2026-06-07" -> "spasms on 7 Jun 2026"); the rest of the text is unchanged."""
    if text is None:
        return ""
    return _ISO_IN_TEXT.sub(lambda m: _when(m.group(0)) or m.group(0), str(text))
