"""Side effects of the diet counted across the cohort by diet type, k-anonymous (issue 24).

For each diet type (:data:`spasmcare.record.model.DIET_KINDS`) the count is children, not
entries: how many children had a period of that diet, and of them how many had each side effect
during it (any grade, and CTCAE grade 3 or more). A side effect belongs to a diet period when it
names the period (``diet``) or, naming none, when its onset falls within the period (start to
stop, or to today while it runs).

Disclosure control follows :mod:`spasmcare.measures.deid`'s rule with its ``k`` (default
:data:`~spasmcare.measures.deid.DEFAULT_K`): no released number may rest on fewer than ``k``
children. A diet type with fewer than ``k`` children is withheld whole; a count from 1 to
``k − 1`` is released as ``"<k"`` (small-cell suppression, the aggregate form of k-anonymity
[1, 2]); 0 is released as 0 only for diet types of at least ``k`` children.

References
----------
1. Sweeney L. k-anonymity: a model for protecting privacy. Int J Uncertain Fuzziness Knowl
   Based Syst 2002;10(5):557-570.
2. El Emam K, Dankar FK. Protecting privacy using k-anonymity. J Am Med Inform Assoc
   2008;15(5):627-637.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from spasmcare.measures.deid import DEFAULT_K, check_k
from spasmcare.record.model import DIET_KINDS, DIET_LABELS, DietPeriod, Record
from spasmcare.record.side_effects import EFFECTS, SideEffect

#: A side effect of this CTCAE grade or more is counted as severe [CTCAE v5.0: grade 3 severe].
SEVERE_FROM_GRADE = 3


def _belongs(s: SideEffect, d: DietPeriod, today: date) -> bool:
    if s.diet is not None:
        return s.diet == d.id
    return d.start <= s.onset <= (d.stop or today)


def _cell(n: int, k: int, shown: bool) -> int | str | None:
    if not shown:
        return None
    return n if n == 0 or n >= k else f"<{k}"


def child_facts(record: Record, today: date) -> dict[str, dict[str, list[str]]]:
    """One child's part of the count (JSON-ready, so a clinic app can store it per patient
    and count without reading every record again): for each diet type the child had, the
    side effects during it, ``any`` grade and ``severe`` (grade 3 or more), as sorted codes.
    No date and no identifier."""
    out: dict[str, dict[str, list[str]]] = {}
    for kind in DIET_KINDS:
        periods = [d for d in record.diet_periods if d.diet == kind]
        if not periods:
            continue
        effects = [s for s in record.side_effects if any(_belongs(s, d, today) for d in periods)]
        out[kind] = {
            "any": sorted({s.effect for s in effects}),
            "severe": sorted({s.effect for s in effects if (s.grade or 0) >= SEVERE_FROM_GRADE}),
        }
    return out


def side_effect_counts(
    records: Iterable[Record], today: date, k: int = DEFAULT_K
) -> dict[str, Any]:
    """Children with each side effect by diet type, k-anonymous (see the module notes)."""
    return counts_from_facts((child_facts(rec, today) for rec in records), k)


def counts_from_facts(
    children_facts: Iterable[dict[str, dict[str, list[str]]]], k: int = DEFAULT_K
) -> dict[str, Any]:
    """:func:`side_effect_counts` from each child's :func:`child_facts` (one item a child)."""
    check_k(k, "children")
    children: dict[str, int] = dict.fromkeys(DIET_KINDS, 0)
    anyg: dict[str, dict[str, int]] = {d: dict.fromkeys(EFFECTS, 0) for d in DIET_KINDS}
    severe: dict[str, dict[str, int]] = {d: dict.fromkeys(EFFECTS, 0) for d in DIET_KINDS}
    for facts in children_facts:
        for kind, found in facts.items():
            if kind not in children:
                continue
            children[kind] += 1
            for code in set(found.get("any", ())) & set(EFFECTS):
                anyg[kind][code] += 1
            for code in set(found.get("severe", ())) & set(EFFECTS):
                severe[kind][code] += 1
    rows = []
    for kind in DIET_KINDS:
        shown = children[kind] >= k
        rows.append(
            {
                "diet": kind,
                "label": DIET_LABELS[kind],
                "children": children[kind] if shown else (f"<{k}" if children[kind] else 0),
                "withheld": not shown and children[kind] > 0,
                "effects": {
                    code: {
                        "any_grade": _cell(anyg[kind][code], k, shown),
                        "grade_3_or_more": _cell(severe[kind][code], k, shown),
                    }
                    for code in EFFECTS
                },
            }
        )
    return {
        "k": k,
        "rows": rows,
        "rule": f"children, not entries; a diet type with fewer than {k} children withheld; a "
        f"count from 1 to {k - 1} shown as <{k}",
        "grading": "CTCAE v5.0; grade 3 or more = severe or worse",
    }
