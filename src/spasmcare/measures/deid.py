"""De-identification of cohort rows by k-anonymity (generalisation, then suppression).

A released table is *k-anonymous* when every combination of quasi-identifier values in it is
shared by at least ``k`` rows [1]: someone who knows a child's sex, age at onset, gestation and
etiology (from a ward, a paper, a parents' forum) cannot single out that child's row, only a
group of ``k`` or more. The rows of :func:`spasmcare.measures.cohort.cohort_rows` carry no name,
record id, date of birth or calendar date; their quasi-identifiers are :data:`QUASI_IDENTIFIERS`.

:func:`deidentify` applies Sweeney's Datafly procedure [2]:

1. every quasi-identifier starts at its finest released level (onset age in whole months,
   gestation in completed weeks — never the exact day count);
2. while more rows sit in groups smaller than ``k`` than may be suppressed, the
   quasi-identifier with the most distinct values is generalised one level up its hierarchy
   (:data:`HIERARCHIES`). Datafly allows ``k`` rows to be suppressed; here at most ``k`` and
   at most :data:`MAX_SUPPRESSED_FRACTION` of the rows (a software setting), so a small
   cohort is generalised rather than withheld whole;
3. the rows still in groups smaller than ``k`` are suppressed (left out), and counted. A
   group is the quasi-identifiers together with the first-line therapy group
   (:data:`GROUPING_COLUMNS`), which is never generalised: every therapy group shown on the
   cohort page or in an export holds at least ``k`` children, its rates, median and curve
   included.

Numbers are released rounded (:data:`RELEASE_DECIMALS`): baseline spasms/day to 1 decimal,
the change from baseline to a whole percent.

So no released row is unique on its quasi-identifiers (for ``k >= 2``), and the number left
out is reported with the release. ``k`` is a software setting (``SPASMCARE_COHORT_K`` in the
clinic app, default :data:`DEFAULT_K` = 5, a common choice in the disclosure-control
literature [3]); it is not a clinical number.

Which standard: the rows meet neither more nor less than what is stated here. They contain
none of the HIPAA Safe Harbor identifiers except the row key [4]: the key is a keyed one-way
hash (HMAC) of the record id, which Safe Harbor's re-identification-code clause does not allow
(a code must not be derived from information about the person), so a release under Safe
Harbor must replace the key with a random code. Otherwise the statistical method here is the
kind of method an expert determination [4] rests on; the determination itself (the risk in
the recipients' context) is a person's job, not this program's.

References
----------
1. Sweeney L. k-anonymity: a model for protecting privacy. Int J Uncertain Fuzziness Knowl
   Based Syst 2002;10(5):557-570.
2. Sweeney L. Achieving k-anonymity privacy protection using generalization and suppression.
   Int J Uncertain Fuzziness Knowl Based Syst 2002;10(5):571-588 (the Datafly algorithm).
3. El Emam K, Dankar FK. Protecting privacy using k-anonymity. J Am Med Inform Assoc
   2008;15(5):627-637 (k = 3 to 5 in common use for released health data).
4. US Department of Health and Human Services, Office for Civil Rights. Guidance regarding
   methods for de-identification of protected health information in accordance with the HIPAA
   Privacy Rule (2012): 45 CFR §164.514(b)(1) expert determination, §164.514(b)(2) Safe
   Harbor, §164.514(c) re-identification codes.
5. World Health Organization. Preterm birth (fact sheet, 2023): preterm is birth before 37
   completed weeks; extremely preterm < 28 weeks, very preterm 28 to < 32 weeks, moderate to
   late preterm 32 to < 37 weeks.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spasmcare.errors import InputError

#: k of k-anonymity when none is given (software setting, see the module notes [3]).
DEFAULT_K = 5

#: The columns someone could know from outside the data [1]. Sex, onset age and gestation
#: are demographic; the etiology category can be known from a diagnosis told to others, and
#: so can the drugs and the diet a child was given (a ward, a parents' forum).
QUASI_IDENTIFIERS: tuple[str, ...] = (
    "sex",
    "age_at_onset_months",
    "gestation",
    "etiology",
    "first_line_drugs",
    "diet",
)

#: Known from outside too, but never generalised: the page and every export are grouped by
#: it, so a row whose group (with the quasi-identifiers) stays smaller than k is suppressed,
#: never shown as a group of one with its rate, median and curve.
GROUPING_COLUMNS: tuple[str, ...] = ("therapy",)

#: Decimals of the numbers a release rounds (a software setting: the precision a reader needs,
#: and no more, since a value to 15 decimals can itself single a child out). Stated on the
#: page beside the release.
RELEASE_DECIMALS: Mapping[str, int] = {
    "baseline_spasms_per_day": 1,
    "percent_change_days_8_14": 0,
}

#: At most this fraction of the rows is suppressed before generalising further (software
#: setting; Datafly's own bound, ``k`` rows, also holds).
MAX_SUPPRESSED_FRACTION = 0.1

ANY = "any"


def _months_band(width: int) -> Callable[[Any], Any]:
    def band(months: Any) -> Any:
        if months is None:
            return None
        start = int(math.floor(float(months) / width)) * width
        return str(start) if width == 1 else f"{start}-{start + width - 1}"

    return band


def _gestation_exact(weeks: Any) -> Any:
    return None if weeks is None else int(weeks)


def _gestation_who(weeks: Any) -> Any:
    """WHO categories of preterm birth [5]."""
    if weeks is None:
        return None
    w = int(weeks)
    if w < 28:
        return "<28"
    if w < 32:
        return "28-31"
    if w < 37:
        return "32-36"
    return ">=37"


def _gestation_term(weeks: Any) -> Any:
    if weeks is None:
        return None
    return "<37" if int(weeks) < 37 else ">=37"


def _same(value: Any) -> Any:
    return value


def _diet_kind(value: Any) -> Any:
    on_diet, kind = value
    return kind if on_diet else "none"


def _diet_or_not(value: Any) -> Any:
    on_diet, _ = value
    return "ketogenic diet" if on_diet else "none"


def _any(value: Any) -> Any:
    return ANY


#: Quasi-identifier -> its generalisation levels, finest first, each a function of the raw
#: value (onset age in exact months; gestation in completed weeks; sex; etiology category).
HIERARCHIES: Mapping[str, tuple[tuple[str, Callable[[Any], Any]], ...]] = {
    "age_at_onset_months": (
        ("whole months", _months_band(1)),
        ("3-month bands", _months_band(3)),
        ("6-month bands", _months_band(6)),
        ("12-month bands", _months_band(12)),
        ("withheld", _any),
    ),
    "gestation": (
        ("completed weeks", _gestation_exact),
        ("WHO preterm categories", _gestation_who),
        ("preterm or term", _gestation_term),
        ("withheld", _any),
    ),
    "sex": (("as recorded", _same), ("withheld", _any)),
    "etiology": (("category", _same), ("withheld", _any)),
    "first_line_drugs": (("as recorded", _same), ("withheld", _any)),
    "diet": (
        ("kind of diet", _diet_kind),
        ("ketogenic diet or not", _diet_or_not),
        ("withheld", _any),
    ),
}


@dataclass(frozen=True)
class Release:
    """What :func:`deidentify` releases: the rows, and how they were made."""

    rows: list[dict[str, Any]]
    k: int
    levels: dict[str, str]  # quasi-identifier -> level name used
    suppressed: int  # rows left out (in a group smaller than k)
    total: int  # rows given


def _raw(row: Mapping[str, Any], qi: str) -> Any:
    if qi == "gestation":
        return row.get("gestation_weeks")
    if qi == "diet":
        return (bool(row.get("ketogenic_diet")), row.get("diet_kind"))
    return row.get(qi)


def _generalised(row: Mapping[str, Any], levels: Mapping[str, int]) -> tuple[Any, ...]:
    return tuple(
        HIERARCHIES[qi][levels[qi]][1](_raw(row, qi)) for qi in QUASI_IDENTIFIERS
    ) + tuple(row.get(c) for c in GROUPING_COLUMNS)


def _rounded(value: Any, decimals: int) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    out = round(float(value), decimals)
    return int(out) if decimals == 0 else out


def _released(
    row: Mapping[str, Any], key: tuple[Any, ...], levels: Mapping[str, int]
) -> dict[str, Any]:
    """``row`` as released: its quasi-identifiers at their level, numbers rounded."""
    out = dict(row)
    values = dict(zip(QUASI_IDENTIFIERS, key, strict=False))
    out["sex"] = values["sex"]
    out["age_at_onset_months"] = values["age_at_onset_months"]
    out["gestation_weeks"] = values["gestation"]
    out["gestation_days"] = None
    out["etiology"] = values["etiology"]
    out["first_line_drugs"] = values["first_line_drugs"]
    diet_level = levels["diet"]
    if diet_level >= 1 and out.get("ketogenic_diet"):
        out["diet_kind"] = ANY
    if diet_level >= 2:
        out["ketogenic_diet"] = out["diet_kind"] = ANY
        out["diet_start_day"] = out["on_diet_today"] = None
    for column, decimals in RELEASE_DECIMALS.items():
        if column in out:
            out[column] = _rounded(out[column], decimals)
    return out


def check_k(k: Any, counted: str = "rows") -> None:
    """Refuse a ``k`` that is not a whole number of at least 1 (``counted``: what it counts)."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InputError("k", k, f"a whole number of {counted}, 1 or more")


def deidentify(rows: Sequence[Mapping[str, Any]], k: int = DEFAULT_K) -> Release:
    """Generalise and suppress ``rows`` (cohort rows at full precision) until every released
    row shares its quasi-identifiers with at least ``k - 1`` others (Datafly [2]).

    Released rows keep every column; ``age_at_onset_months`` becomes a label of whole months
    or a band (``"3"``, ``"3-5"``) or ``"any"``, ``gestation_weeks`` the gestation label
    (``38``, ``">=37"``...), ``gestation_days`` is always ``None``, and ``sex`` / ``etiology``
    may be ``"any"``. Rows are in the order given.
    """
    check_k(k)
    levels = dict.fromkeys(QUASI_IDENTIFIERS, 0)
    allowed = min(k, int(len(rows) * MAX_SUPPRESSED_FRACTION))
    while True:
        keys = [_generalised(r, levels) for r in rows]
        sizes = Counter(keys)
        small = sum(n for n in sizes.values() if n < k)
        if small <= allowed:
            break
        open_qis = [q for q in QUASI_IDENTIFIERS if levels[q] < len(HIERARCHIES[q]) - 1]
        if not open_qis:
            break
        distinct = {
            q: len({key[QUASI_IDENTIFIERS.index(q)] for key in keys}) for q in open_qis
        }
        widest = max(open_qis, key=lambda q: (distinct[q], -QUASI_IDENTIFIERS.index(q)))
        levels[widest] += 1
    released = [
        _released(row, key, levels)
        for row, key in zip(rows, keys, strict=True)
        if sizes[key] >= k
    ]
    return Release(
        rows=released,
        k=k,
        levels={q: HIERARCHIES[q][levels[q]][0] for q in QUASI_IDENTIFIERS},
        suppressed=len(rows) - len(released),
        total=len(rows),
    )


def quasi_identifier_groups(rows: Sequence[Mapping[str, Any]]) -> Counter[tuple[Any, ...]]:
    """Released rows counted by their quasi-identifier and grouping values (for checks: every
    count must be at least k)."""
    return Counter(
        (
            r["sex"], r["age_at_onset_months"], r["gestation_weeks"], r["etiology"],
            r["first_line_drugs"], r["ketogenic_diet"], r["diet_kind"],
            *(r[c] for c in GROUPING_COLUMNS),
        )
        for r in rows
    )
