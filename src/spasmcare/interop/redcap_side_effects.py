"""REDCap fields of the diet's side effects (issue 24): the data-dictionary rows of a
``side_effects`` repeating instrument.

Only the instrument's definition is built here: effect, CTCAE v5.0 grade, onset as the day of
the diet (days from the diet period's start, never a calendar date), duration in days, action
taken, who reported it and the diet type — the same vocabulary as the record
(:mod:`spasmcare.record.side_effects`). Exporting the rows themselves needs a decision on their
de-identification (a rare effect on a known day of a diet can single out a child), so it is not
done yet; the cohort's k-anonymous counts by diet type are in
:mod:`spasmcare.measures.side_effects`.

Columns and rules as in :mod:`spasmcare.interop.redcap` (the 18 standard dictionary columns;
radio choices written ``code, label | code, label``).
"""

from __future__ import annotations

import io

from spasmcare.csvsafe import SafeWriter
from spasmcare.interop.redcap import DICTIONARY_COLUMNS, _dictionary_row
from spasmcare.record.model import DIET_KINDS, DIET_LABELS
from spasmcare.record.side_effects import ACTIONS, EFFECTS, GRADES, REPORTERS

FORM = "side_effects"


def _choices(pairs: dict[str, str] | dict[int, str]) -> str:
    return " | ".join(f"{code}, {label}" for code, label in pairs.items())


#: (field name, REDCap spec, label), in order.
FIELDS: tuple[tuple[str, dict[str, str], str], ...] = (
    ("se_effect", {"type": "radio", "choices": _choices(EFFECTS)}, "Side effect"),
    (
        "se_grade",
        {"type": "radio", "choices": _choices({k: v.split(":")[0] for k, v in GRADES.items()})},
        "Grade (CTCAE v5.0)",
    ),
    (
        "se_onset_diet_day",
        {"type": "text", "validation": "integer"},
        "Onset: days from the diet period's start",
    ),
    ("se_duration_days", {"type": "text", "validation": "integer"}, "Duration [days]"),
    ("se_action", {"type": "radio", "choices": _choices(ACTIONS)}, "Action taken"),
    ("se_reported_by", {"type": "radio", "choices": _choices(REPORTERS)}, "Reported by"),
    (
        "se_diet_kind",
        {"type": "radio", "choices": _choices({k: DIET_LABELS[k] for k in DIET_KINDS})},
        "Diet type",
    ),
)


def side_effect_dictionary() -> str:
    """The data-dictionary CSV rows of the ``side_effects`` instrument (with the header)."""
    out = io.StringIO()
    w = SafeWriter(out)
    w.writerow(DICTIONARY_COLUMNS)
    for name, spec, label in FIELDS:
        w.writerow(_dictionary_row(name, FORM, spec, label))
    return out.getvalue()
