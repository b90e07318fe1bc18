"""Small display filters: looking up a dict by key, an entry in one line."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django import template

from spasmcare.plain import code_words, is_code, label, when_text
from spasmcare.plain import plain_dates as _plain_dates
from spasmcare.plain import words as _plain_words

#: Sentences kept in words per process: a page repeats the same measure labels, sources and
#: reasons on every view (a pure function of the text: the vocabulary is read once).
WORDS_KEPT = 4096


@lru_cache(maxsize=WORDS_KEPT)
def _words_of_text(text: str) -> str:
    return _plain_words(text)


def _words_of(text: object) -> str:
    """:func:`spasmcare.plain.words`, kept per text."""
    return _words_of_text(text) if type(text) is str else _plain_words(text)

register = template.Library()

_KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")


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
        if is_code(value) or _KEBAB.match(value):  # a stored code, by its label or in words
            return label(value)
        return when_text(value) or _words_of(value)
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


#: Keys of a record item that are for machines (the item's own id); never shown.
HIDDEN_KEYS = frozenset({"id"})
#: Keys whose value is a stored code with a label in the vocabulary (spasmcare.plain).
CODED_KEYS = frozenset({"diet", "analyte", "protocol", "category", "drug", "classification"})
#: Keys whose value is the id of another record item (a course, a diet period).
REFERENCE_KEYS = frozenset({"treatment", "continues", "diet_period"})


@register.filter
def entry_text(data: Any, names: Any = None) -> str:
    """A record item in words (``key: value`` pairs, nested items spelled out, dates as
    people write them, codes by their labels), never a dump of the stored structure. The
    item's own id is left out; an id naming another item reads as that item's name when
    ``names`` (id -> name, :func:`item_names`) is given."""
    if not isinstance(data, dict):
        return readable(data)
    return "; ".join(
        f"{_words(str(key))}: {readable(_named(str(key), value, names))}"
        for key, value in data.items()
        if key not in HIDDEN_KEYS
    )


def _named(key: str, value: Any, names: Any = None) -> Any:
    """A value the record stores as a code or an id, by its name."""
    if key == "diet" and isinstance(names, dict) and value in names:
        return names[value]  # issue 24: a side effect names its diet period by id
    if isinstance(value, str) and key in CODED_KEYS:
        return label(value)
    if isinstance(value, str) and key in REFERENCE_KEYS and isinstance(names, dict):
        return names.get(value, "another course")
    if isinstance(value, str) and key in REFERENCE_KEYS:
        return "another course"
    return value


def item_names(items: Any) -> dict[str, str]:
    """Id -> name of a patient's courses and diet periods ("prednisolone from 1 Jun 2026"),
    from their stored items, for :func:`entry_text`."""
    out: dict[str, str] = {}
    for data in items:
        if not isinstance(data, dict) or "id" not in data:
            continue
        what = data.get("drug") or label(data.get("diet") or "")
        start = when_text(str(data.get("start") or ""))
        if what:
            out[str(data["id"])] = f"{what} from {start}" if start else str(what)
    return out


@register.filter(name="label")
def label_filter(code: Any) -> str:
    """A stored code by its label in the vocabulary (:func:`spasmcare.plain.label`)."""
    return label(code)


@register.filter
def words(text: Any) -> str:
    """A sentence as people read it (:func:`spasmcare.plain.words`): dates, review marks and
    stored codes in words."""
    return _words_of(text)


@register.filter
def plain_dates(text: Any) -> str:
    """A sentence with every ISO date or date-time in it written as people write dates
    ("spasms on 2026-06-07" -> "spasms on 7 Jun 2026"); the rest of the text is unchanged
    (:func:`spasmcare.plain.plain_dates`, shared with the HTML report)."""
    return _plain_dates(text)


#: "09037 (Avocados, raw)" or "ketocal-3-1-powder (KetoCal 3:1 powder)": a food by its table id
#: and its name; "ketocal-3-1-powder: verify ..." a product by its id.
_FOOD_WITH_NAME = re.compile(r"(?<![\w./-])(?:\d{5}|[a-z][a-z0-9]*(?:-[a-z0-9]+)+) \(([^()]+)\)")
_FOOD_ID_COLON = re.compile(r"(?<![\w./-])([a-z][a-z0-9]*(?:-[a-z0-9]+)+):")


@register.filter
def food_words(text: Any) -> str:
    """A planner message with its foods by name: "09037 (Avocados, raw)" -> "Avocados, raw",
    "ketocal-3-1-powder: ..." -> "KetoCal 3:1 powder (Nutricia): ...", then
    :func:`spasmcare.plain.words` (the food table's ids stay in the stored plan and exports)."""
    out = _FOOD_WITH_NAME.sub(lambda m: m.group(1), "" if text is None else str(text))
    out = _FOOD_ID_COLON.sub(lambda m: label(m.group(1)) + ":", out)
    return _words_of(out)
