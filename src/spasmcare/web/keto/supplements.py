"""The supplement rows of the keto planner: a name, then each nutrient chosen from a list with
its amount a day.

A saved plan keeps its supplements as it always has: the prescription's ``supplements`` text,
one line a supplement in the command line's syntax (``--supplement``, read by
:func:`spasmcare.keto.completeness.parse_supplement`). This module shows those lines as rows
and turns the rows back into the same lines
(:func:`~spasmcare.keto.completeness.format_supplement`), so a saved plan reads and exports as
before and nobody reads or types the syntax.

The rows are fields of the prescription form added per form (``sup{k}_name``,
``sup{k}_{j}_nutrient``, ``sup{k}_{j}_amount``): as many as are filled, plus one blank
supplement ("add another supplement") and blank nutrient rows under each, up to
:data:`SUPPLEMENT_ROWS` supplements of at most one row per nutrient of the list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from spasmcare.errors import InputError
from spasmcare.foods.nutrients import nutrient
from spasmcare.keto.analysis import MICRONUTRIENTS
from spasmcare.keto.completeness import (
    Supplement,
    format_amount,
    format_supplement,
    parse_supplement,
)
from spasmcare.keto.limits import SUPPLEMENT_AMOUNT_PER_DAY, check_value
from spasmcare.record.plausibility import Range

#: Most supplements a plan holds (a page layout setting).
SUPPLEMENT_ROWS = 8
#: Most nutrient rows under one supplement: each nutrient of the list once.
NUTRIENT_ROWS = len(MICRONUTRIENTS)
#: Blank nutrient rows shown under each supplement (a page layout setting).
BLANK_NUTRIENT_ROWS = 2

#: A supplement row's field name: ``sup3_name``, ``sup3_0_nutrient``, ``sup3_0_amount``.
FIELD = re.compile(r"^sup(\d+)_(?:name|(\d+)_(?:nutrient|amount))$")


def nutrient_words(key: str) -> str:
    """``Calcium [mg]``: the food table's label and unit of a nutrient."""
    n = nutrient(key)
    return f"{n.label} [{n.unit}]"


#: The nutrients a supplement may give: the micronutrients the day's assessment counts.
NUTRIENT_CHOICES: list[tuple[str, str]] = [(k, nutrient_words(k)) for k in MICRONUTRIENTS]
_ACCEPTED_NUTRIENTS = (
    "one of the nutrients listed (" + ", ".join(nutrient(k).label for k in MICRONUTRIENTS) + ")"
)


@dataclass(frozen=True)
class SupplementRow:
    """One supplement on the page: its number, name field and (nutrient, amount) fields."""

    number: int
    name: Any
    nutrients: list[tuple[Any, Any]]
    blank: bool


def is_row_field(name: str) -> bool:
    return FIELD.match(name) is not None


def _index(name: str) -> tuple[int, int] | None:
    """(supplement, nutrient row) of a row field inside the bounds (nutrient row -1: the name)."""
    m = FIELD.match(name)
    if m is None:
        return None
    k, j = int(m.group(1)), int(m.group(2)) if m.group(2) is not None else -1
    if k >= SUPPLEMENT_ROWS or j >= NUTRIENT_ROWS:
        return None
    return k, j


def posted_rows(data: Mapping[str, Any]) -> dict[str, str]:
    """The row fields with something in them (bounded: other names are ignored)."""
    out = {}
    for name in list(data.keys()):
        if _index(str(name)) is not None:
            value = str(data.get(name) or "").strip()
            if value:
                out[str(name)] = value
    return out


def rows_from_text(text: str | None) -> dict[str, str] | None:
    """The stored lines as row fields; ``None`` when they do not read or do not fit."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > SUPPLEMENT_ROWS:
        return None
    out: dict[str, str] = {}
    try:
        supplements = [parse_supplement(line, "supplements") for line in lines]
    except InputError:
        return None
    for k, s in enumerate(supplements):
        out[f"sup{k}_name"] = s.name
        for j, (key, amount) in enumerate(s.amounts.items()):
            out[f"sup{k}_{j}_nutrient"] = key
            out[f"sup{k}_{j}_amount"] = format_amount(amount)
    return out


def add_fields(form: forms.Form, filled: Mapping[str, str]) -> list[int]:
    """Add the row fields for ``filled`` plus the blank rows; return the filled supplements."""
    used: dict[int, int] = {}
    for name in filled:
        index = _index(name)
        if index is not None:
            used[index[0]] = max(used.get(index[0], -1), index[1])
    count = min(max(used, default=-1) + 2, SUPPLEMENT_ROWS)
    for k in range(count):
        form.fields[f"sup{k}_name"] = forms.CharField(
            label=f"Supplement {k + 1}", required=False, max_length=80
        )
        rows = min(used.get(k, -1) + 1 + BLANK_NUTRIENT_ROWS, NUTRIENT_ROWS)
        for j in range(rows):
            form.fields[f"sup{k}_{j}_nutrient"] = forms.ChoiceField(
                label=f"Supplement {k + 1}: nutrient {j + 1}",
                required=False,
                choices=[("", "choose a nutrient")] + NUTRIENT_CHOICES,
                error_messages={
                    "invalid_choice": f"Supplement {k + 1}, nutrient {j + 1}: “%(value)s” is "
                    f"not accepted: {_ACCEPTED_NUTRIENTS}."
                },
            )
            form.fields[f"sup{k}_{j}_amount"] = forms.CharField(
                label=f"Supplement {k + 1}: amount {j + 1} a day",
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
    return sorted(used)


def page_rows(form: forms.Form) -> list[SupplementRow]:
    """The supplement rows' bound fields, in order, for the page."""
    out = []
    k = 0
    while f"sup{k}_name" in form.fields:
        pairs = []
        j = 0
        while f"sup{k}_{j}_nutrient" in form.fields:
            pairs.append((form[f"sup{k}_{j}_nutrient"], form[f"sup{k}_{j}_amount"]))
            j += 1
        blank = not any(
            str(form.data.get(n) or "").strip()
            for n in form.fields
            if n.startswith(f"sup{k}_") and is_row_field(n)
        )
        out.append(SupplementRow(k + 1, form[f"sup{k}_name"], pairs, blank))
        k += 1
    return out


def _amount(form: forms.Form, k: int, j: int, key: str, raw: str, name: str) -> float | None:
    """The amount typed for nutrient ``key``, or ``None`` with the error beside the field."""
    field = f"sup{k}_{j}_amount"
    n = nutrient(key)
    where = f"Supplement {k + 1} ({name or 'no name'}), {nutrient_words(key)}"
    if not raw:
        form.add_error(field, f"{where}: give the amount a day in {n.unit}.")
        return None
    rng = Range(f"amount of {n.label} a day", n.unit, SUPPLEMENT_AMOUNT_PER_DAY.hard)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan  # not a number: refused with the range below
    try:
        return check_value(rng, value, field, raw)
    except InputError as exc:
        form.add_error(field, f"{where}: “{raw}” is not accepted: {exc.accepted}.")
        return None


def _supplement(form: forms.Form, c: Mapping[str, Any], k: int) -> Supplement | None:
    """Supplement ``k`` from its rows, or ``None`` with each problem beside its field."""
    name = str(c.get(f"sup{k}_name") or "").strip()
    amounts: dict[str, float] = {}
    ok = True
    slots = sum(1 for n in form.fields if n.startswith(f"sup{k}_") and n.endswith("_nutrient"))
    for j in range(slots):
        nut_field, amount_field = f"sup{k}_{j}_nutrient", f"sup{k}_{j}_amount"
        key = str(c.get(nut_field) or "")
        raw = str(c.get(amount_field) or "").strip()
        if nut_field in form.errors or amount_field in form.errors:
            ok = False
            continue
        if not key and not raw:
            continue
        if not key:
            form.add_error(
                nut_field,
                f"Supplement {k + 1}, nutrient {j + 1}: choose the nutrient that “{raw}” is the "
                "amount of, from the list.",
            )
            ok = False
        elif key in amounts:
            form.add_error(
                nut_field,
                f"Supplement {k + 1}: {nutrient_words(key)} is given twice; "
                "give each nutrient once, with the whole amount a day.",
            )
            ok = False
        else:
            value = _amount(form, k, j, key, raw, name)
            if value is None:
                ok = False
            else:
                amounts[key] = value
    name_field = f"sup{k}_name"
    if not name:
        form.add_error(name_field, f"Supplement {k + 1}: give its name (as on the label).")
        ok = False
    elif ":" in name or name.splitlines() != [name]:
        form.add_error(
            name_field,
            f"Supplement {k + 1}: “{name}” is not accepted: a name without “:” or a line break.",
        )
        ok = False
    if ok and not amounts:
        form.add_error(
            name_field,
            f"Supplement {k + 1} ({name}): choose at least one nutrient with its amount a day.",
        )
        ok = False
    return Supplement(name, amounts) if ok else None


def clean_rows(form: forms.Form, c: dict[str, Any], given: list[int]) -> None:
    """Set ``c["supplements"]`` to the stored lines of the rows ``given`` (rows win over any
    text posted with them); no rows given: the posted text stays as it is."""
    if not given:
        return
    lines = []
    for k in given:
        supplement = _supplement(form, c, k)
        if supplement is not None:
            lines.append(format_supplement(supplement))
    c["supplements"] = "\n".join(lines)
