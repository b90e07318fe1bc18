"""Developmental outcome by first-line therapy, diet and etiology (issue 25), k-anonymous.

One row per child: the cohort columns that group and protect it (:mod:`spasmcare.measures.cohort`
and :mod:`spasmcare.measures.deid`: sex, onset age, gestation, etiology, first-line therapy and
drugs, diet), the spasm response beside the development (UKISS and ICISS response as the
cohort rows carry them), development at onset (regression, plateau or none, as recorded; part
of the ILAE 2022 definition), the lead time from onset to the first standard therapy as a
covariate column [1], and the developmental outcome at 12, 18 and 24 months of corrected age:

- ``who_late_<T>m``: how many of the WHO gross-motor milestones whose window ends before T
  months [2] were not reached by the end of their window (reached later, or recorded "not yet"
  after the window's end); ``None`` when any of them cannot be told from the record, or the
  child is not yet T months old (corrected);
- ``vineland_composite_<T>m``, ``bayley_cognitive_<T>m``: the score of the assessment nearest
  T months of corrected age within :data:`OUTCOME_WINDOW_MONTHS` either side, as entered;
- ``asq3_below_<T>m``: the number of ASQ-3 domains the clinician reported below the cut-off in
  the ASQ-3 nearest T months (same window).

The whole row set is released through :func:`spasmcare.measures.deid.deidentify` (Datafly
generalisation and suppression), so every group of the table — a union of groups of at least
``k`` — holds at least ``k`` children.

References
----------
1. O'Callaghan FJK, Lux AL, Darke K, et al. The effect of lead time to treatment and of age of
   onset on developmental outcome at 4 years in infantile spasms: evidence from the United
   Kingdom Infantile Spasms Study. Epilepsia 2011;52(7):1359-1364 (longer lead time, lower
   Vineland scores).
2. WHO Multicentre Growth Reference Study Group. WHO Motor Development Study: windows of
   achievement for six gross motor development milestones. Acta Paediatr Suppl
   2006;450:86-95.
3. Trial time points: UKISS Vineland at 14 months and 4 years, ICISS development at 18 months,
   PREVeNT Bayley-III at 24 months (care-pathway reference §3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from statistics import median
from typing import Any

from spasmcare.csvsafe import csv_text
from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH
from spasmcare.measures.cohort import (
    DEFAULT_COHORT,
    DRUG_CLASSES,
    PATIENT_COLUMNS,
    CohortOptions,
    cohort_row,
    csv_cell,
    drug_word,
    pseudonym,
)
from spasmcare.measures.deid import DEFAULT_K, deidentify
from spasmcare.measures.development import WHO_WINDOWS, corrected_age_months
from spasmcare.record.model import Record

#: Outcome time points [months of corrected age] (the issue's 12/18/24 months; trials [3]).
OUTCOME_MONTHS: tuple[int, ...] = (12, 18, 24)
#: An assessment counts for time point T when done within this many months of T (corrected
#: age). A software setting for grouping assessments to a time point, not a clinical figure;
#: stated with every release.
OUTCOME_WINDOW_MONTHS = 3.0

#: Cohort columns carried into the outcome rows (grouping and de-identification).
BASE_COLUMNS: tuple[str, ...] = (
    *PATIENT_COLUMNS,
    "ukiss_response_favourable",
    "iciss_response_favourable",
)
OUTCOME_COLUMNS: tuple[str, ...] = tuple(
    f"{name}_{t}m"
    for t in OUTCOME_MONTHS
    for name in ("who_late", "vineland_composite", "bayley_cognitive", "asq3_below")
)
COLUMNS: tuple[str, ...] = (
    *BASE_COLUMNS,
    "development_at_onset",
    "lead_time_days",
    *OUTCOME_COLUMNS,
)


def lead_time_days(record: Record, drug_classes: Mapping[str, str] = DRUG_CLASSES) -> int | None:
    """Days from spasm onset to the start of the first standard therapy (prednisolone,
    ACTH/tetracosactide or vigabatrin) [1]; ``None`` without an onset date or such a therapy."""
    onset = record.patient.onset_date
    starts = [t.start for t in record.treatments if drug_word(t.drug) in drug_classes]
    if onset is None or not starts:
        return None
    return (min(starts) - onset).days


def date_at_corrected_months(record: Record, months: float) -> date:
    """The first date on which the corrected age is above ``months``."""
    p = record.patient
    day = p.birth_date + timedelta(days=int(months * DAYS_PER_MONTH))
    while corrected_age_months(p.birth_date, day, p.gestation_weeks, p.gestation_days) <= months:
        day += timedelta(days=1)
    return day


def who_late(record: Record, months: int) -> int | None:
    """Number of WHO milestones with a window ending before ``months`` not reached by the end
    of their window; ``None`` when any of them is unknown (see the module notes)."""
    dev = record.development
    entries = dev.milestones if dev is not None else ()
    late = 0
    for w in WHO_WINDOWS:
        if w.end_months >= months:
            continue
        end = date_at_corrected_months(record, w.end_months)
        reached = [m.day for m in entries if m.milestone == w.id and m.status == "achieved"]
        if (
            dev is not None
            and dev.at_diagnosis is not None
            and w.id in (dev.at_diagnosis.milestones_achieved)
        ):
            reached.append(dev.at_diagnosis.day or record.patient.onset_date or end)
        not_yet_after = any(
            m.milestone == w.id and m.status == "not-yet" and m.day >= end for m in entries
        )
        if reached and min(reached) < end:
            continue
        if reached or not_yet_after:
            late += 1
            continue
        return None
    return late


def _nearest(record: Record, instrument: str, months: int) -> Any:
    dev = record.development
    p = record.patient
    best = None
    for a in dev.assessments if dev is not None else ():
        if a.instrument != instrument:
            continue
        age = corrected_age_months(p.birth_date, a.day, p.gestation_weeks, p.gestation_days)
        gap = abs(age - months)
        if gap <= OUTCOME_WINDOW_MONTHS and (best is None or gap < best[0]):
            best = (gap, a)
    return best[1] if best else None


def _score(assessment: Any, name: str) -> float | int | None:
    """A score as entered (a whole number stays whole)."""
    value = assessment.scores.get(name) if assessment is not None else None
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def outcome_columns(record: Record, today: date) -> dict[str, Any]:
    """The lead time and the outcome columns of one record (full precision)."""
    dev = record.development
    at = dev.at_diagnosis if dev is not None else None
    out: dict[str, Any] = {
        "development_at_onset": at.course if at is not None and at.course != "unknown" else None,
        "lead_time_days": lead_time_days(record),
    }
    for t in OUTCOME_MONTHS:
        reached_t = date_at_corrected_months(record, t) <= today
        out[f"who_late_{t}m"] = who_late(record, t) if reached_t else None
        vineland = _nearest(record, "vineland", t)
        bayley = _nearest(record, "bayley-3", t)
        asq = _nearest(record, "asq-3", t)
        out[f"vineland_composite_{t}m"] = _score(vineland, "composite")
        out[f"bayley_cognitive_{t}m"] = _score(bayley, "cognitive")
        out[f"asq3_below_{t}m"] = (
            sum(1 for band in asq.asq_cutoff.values() if band == "below") if asq else None
        )
    return out


def outcome_rows(
    records: Iterable[Record],
    today: date,
    *,
    salt: str | bytes,
    options: CohortOptions = DEFAULT_COHORT,
) -> list[dict[str, Any]]:
    """One row per child at full precision (columns :data:`COLUMNS` plus the cohort columns
    de-identification needs), keyed by :func:`~spasmcare.measures.cohort.pseudonym`, sorted by
    key. Release only through :func:`release`."""
    rows = []
    seen: set[str] = set()
    for i, record in enumerate(records):
        key = pseudonym(record.patient.id, salt)
        if key in seen:
            raise InputError("records", f"records[{i}]", "one record per patient")
        seen.add(key)
        row = cohort_row(record, key, today, options)
        row.update(outcome_columns(record, today))
        rows.append(row)
    return sorted(rows, key=lambda r: r["key"])


def _median(values: Sequence[float]) -> float | None:
    return round(float(median(values)), 1) if values else None


def _diet(row: Mapping[str, Any]) -> str:
    if row.get("ketogenic_diet") in (False, None):
        return "none"
    return str(row.get("diet_kind") or row.get("ketogenic_diet"))


def outcome_table(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Released rows grouped by first-line therapy, diet and etiology: the number of
    children, UKISS response (favourable / known), the median lead time, and per time point
    the children with a known WHO outcome, those with a milestone late, and the median
    Vineland composite and Bayley-III cognitive scores (each with how many scores it rests
    on)."""
    groups: dict[tuple[str, str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault((str(row["therapy"]), _diet(row), str(row["etiology"])), []).append(row)
    table = []
    for (therapy, diet, etiology), members in sorted(groups.items()):
        ukiss = [r["ukiss_response_favourable"] for r in members]
        leads = [r["lead_time_days"] for r in members if r["lead_time_days"] is not None]
        entry: dict[str, Any] = {
            "therapy": therapy,
            "diet": diet,
            "etiology": etiology,
            "children": len(members),
            "ukiss_response": sum(1 for v in ukiss if v is True),
            "ukiss_known": sum(1 for v in ukiss if v is not None),
            "regression_or_plateau_at_onset": sum(
                1 for r in members if r["development_at_onset"] in ("regression", "plateau")
            ),
            "development_at_onset_known": sum(
                1 for r in members if r["development_at_onset"] is not None
            ),
            "lead_time_days_median": _median(leads),
            "lead_time_known": len(leads),
        }
        for t in OUTCOME_MONTHS:
            late = [r[f"who_late_{t}m"] for r in members if r[f"who_late_{t}m"] is not None]
            vin = [r[f"vineland_composite_{t}m"] for r in members]
            bay = [r[f"bayley_cognitive_{t}m"] for r in members]
            entry[f"who_known_{t}m"] = len(late)
            entry[f"who_late_any_{t}m"] = sum(1 for n in late if n > 0)
            entry[f"vineland_median_{t}m"] = _median([v for v in vin if v is not None])
            entry[f"vineland_n_{t}m"] = sum(1 for v in vin if v is not None)
            entry[f"bayley_median_{t}m"] = _median([v for v in bay if v is not None])
            entry[f"bayley_n_{t}m"] = sum(1 for v in bay if v is not None)
        table.append(entry)
    return table


def release(rows: Sequence[Mapping[str, Any]], k: int = DEFAULT_K) -> dict[str, Any]:
    """The k-anonymous release: rows (columns :data:`COLUMNS`), the grouped table, and how
    it was made (k, generalisation levels, rows left out, the assessment window)."""
    for i, row in enumerate(rows):
        missing = [c for c in COLUMNS if c not in row]
        if missing:
            raise InputError(f"rows[{i}].{missing[0]}", None, "every outcome column")
    done = deidentify(rows, k)
    released = [{c: r.get(c) for c in COLUMNS} for r in done.rows]
    return {
        "k": done.k,
        "levels": done.levels,
        "suppressed": done.suppressed,
        "total": done.total,
        "assessment_window_months": OUTCOME_WINDOW_MONTHS,
        "columns": list(COLUMNS),
        "rows": released,
        "table": outcome_table(released),
        "note": (
            "Developmental outcome beside spasm response; lead time is a covariate, not an "
            "adjustment. A late milestone prompts an assessment; it is not a diagnosis."
        ),
    }


def release_csv(data: Mapping[str, Any], table: bool = False) -> str:
    """The released rows (or the grouped table) as CSV text, formula-safe (csvsafe)."""
    items: list[Mapping[str, Any]] = data["table"] if table else data["rows"]
    if table:
        header = list(items[0]) if items else ["therapy", "diet", "etiology", "children"]
    else:
        header = list(data["columns"])
    return csv_text([header, *([csv_cell(r.get(c)) for c in header] for r in items)])
