"""Clinic outcomes: de-identified cohort rows, response rates and Kaplan-Meier curves.

:func:`cohort_rows` turns patient records into one de-identified row per patient (no name, id,
date of birth or calendar date: times are days from the start of the first-line treatment);
:func:`response_rates` counts favourable, unfavourable and unknown answers by group;
:func:`kaplan_meier` (in :mod:`spasmcare.measures.km`, re-exported here) and :func:`km_by_group`
estimate the time to spasm cessation;
:func:`rows_to_csv` writes the rows with the fixed column order :data:`COLUMNS`, de-identified
to k-anonymity by :func:`spasmcare.measures.deid.deidentify` (every CSV export inherits it).

An answer the record cannot give (a window not fully recorded, no treatment) stays *unknown*
(``None``): it is never counted as a failure, and rates are among the known answers only.

References
----------
1-3. The Kaplan-Meier estimate, Greenwood's error and the log-log interval: the references of
   :mod:`spasmcare.measures.km`.
4. spasmcare.measures.response: the response definitions (UKISS, ICISS, Elterman, NISC,
   electroclinical response and remission, relapse, time to spasm cessation) with their
   sources; their polarity (``favourable``) is decided there.
5. UKISS (Lux 2004) and ICISS (O'Callaghan 2017) group first-line treatment as hormonal
   (prednisolone or tetracosactide depot) with or without vigabatrin, against vigabatrin
   (drug-protocols.md §1.1-1.2); the groups of :func:`therapy_group` follow them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from spasmcare.csvsafe import csv_text
from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH
from spasmcare.measures.deid import DEFAULT_K, deidentify
from spasmcare.measures.diary import as_view
from spasmcare.measures.eeg import DEFAULT_EEG, EegOptions

# re-exported: the Kaplan-Meier estimate moved to km.py
from spasmcare.measures.km import KMStep as KMStep
from spasmcare.measures.km import kaplan_meier as kaplan_meier
from spasmcare.measures.km import km_median as km_median
from spasmcare.measures.other_seizures import first_other_seizure_after_cessation
from spasmcare.measures.response import (
    DEFAULT,
    SRC_48H,
    SRC_CESSATION,
    SRC_ELECTRO,
    SRC_ELTERMAN,
    SRC_ICISS,
    SRC_NISC,
    SRC_RELAPSE,
    SRC_REMISSION,
    SRC_UKISS,
    ResponseOptions,
    index_ids,
    index_treatment,
    treatment_measures,
)
from spasmcare.record.model import Record, Treatment

# --- first-line therapy groups ---------------------------------------------------------------

#: Drug name (its first word, lower case) -> drug class used by :func:`therapy_group` [5].
#: Brand names of the same substance are listed with it; any other drug is class ``other``.
DRUG_CLASSES: Mapping[str, str] = MappingProxyType(
    {
        "prednisolone": "prednisolone",
        "acth": "acth",
        "acthar": "acth",
        "corticotropin": "acth",
        "tetracosactide": "acth",
        "tetracosactrin": "acth",
        "cosyntropin": "acth",
        "synacthen": "acth",
        "vigabatrin": "vigabatrin",
        "sabril": "vigabatrin",
    }
)

#: Group names of :func:`therapy_group`.
THERAPY_GROUPS: tuple[str, ...] = (
    "prednisolone",
    "acth/tetracosactide",
    "vigabatrin",
    "hormone+vigabatrin",
    "other",
    "none",
)


def drug_word(drug: str) -> str:
    """The first word of a drug name, lower case: ``"ACTH (Acthar Gel)"`` -> ``"acth"``."""
    word = ""
    for ch in drug.strip().lower():
        if not (ch.isalnum() or ch == "-"):
            break
        word += ch
    return word


#: Drug name (its first word, lower case) -> the substance code released in the cohort's
#: ``first_line_drugs`` column (brand names and synonyms -> the substance); any other drug is
#: ``other``, so no free-text word of a drug name reaches a de-identified release.
DRUG_CODES: Mapping[str, str] = MappingProxyType(
    {
        "prednisolone": "prednisolone",
        "acth": "acth",
        "acthar": "acth",
        "corticotropin": "acth",
        "tetracosactide": "tetracosactide",
        "tetracosactrin": "tetracosactide",
        "cosyntropin": "tetracosactide",
        "synacthen": "tetracosactide",
        "vigabatrin": "vigabatrin",
        "sabril": "vigabatrin",
    }
)
#: Every code ``first_line_drugs`` can hold (joined by ``+``).
FIRST_LINE_DRUG_CODES: tuple[str, ...] = (*sorted(set(DRUG_CODES.values())), "other")


def drug_code(drug: str) -> str:
    """The coded substance of a drug name (:data:`DRUG_CODES`), ``other`` when not listed."""
    return DRUG_CODES.get(drug_word(drug), "other")


def first_line_course(record: Record) -> tuple[Treatment, ...]:
    """The index treatment (:func:`~spasmcare.measures.response.index_treatment`) and the
    treatments started with it that continue no other one: the combination course. A course
    that continues another (a prednisolone taper after tetracosactide) is not a first-line
    drug of its own."""
    index = index_treatment(record)
    if index is None:
        return ()
    return tuple(
        sorted(
            (t for t in record.treatments if t.continues is None and t.start == index.start),
            key=lambda t: t.id,
        )
    )


def therapy_group(
    course: Iterable[Treatment], drug_classes: Mapping[str, str] = DRUG_CLASSES
) -> str:
    """First-line therapy group of a combination course [5].

    ``prednisolone``, ``acth/tetracosactide`` or ``vigabatrin`` alone;
    ``hormone+vigabatrin`` for prednisolone or ACTH/tetracosactide started with vigabatrin;
    ``other`` for anything else (another drug, a drug added to these, both hormones);
    ``none`` without a treatment.
    """
    classes = {drug_classes.get(drug_word(t.drug), "other") for t in course}
    if not classes:
        return "none"
    if classes == {"prednisolone"}:
        return "prednisolone"
    if classes == {"acth"}:
        return "acth/tetracosactide"
    if classes == {"vigabatrin"}:
        return "vigabatrin"
    if len(classes) == 2 and "vigabatrin" in classes and classes & {"prednisolone", "acth"}:
        return "hormone+vigabatrin"
    return "other"


# --- cohort rows -----------------------------------------------------------------------------

#: Yes-no response measures whose favourable answer the rows carry, as ``<key>_favourable``
#: (``relapse_favourable`` is True when there was no relapse) [4].
BINARY_MEASURES: tuple[str, ...] = (
    "ukiss_response",
    "spasm_free_48h_day14",
    "elterman_response",
    "electroclinical_response_day14",
    "electroclinical_remission_28d",
    "iciss_response",
    "nisc_treatment_failure_free_day60",
    "relapse",
)

#: The first columns of a cohort row: who the child is and what treatment it had (the key and
#: the columns that group and de-identify rows; shared with the developmental outcome rows).
PATIENT_COLUMNS: tuple[str, ...] = (
    "key",
    "sex",
    "age_at_onset_months",
    "gestation_weeks",
    "gestation_days",
    "etiology",
    "therapy",
    "first_line_drugs",
    "ketogenic_diet",
    "diet_kind",
)

#: The columns of a cohort row and of the CSV, in this order.
COLUMNS: tuple[str, ...] = (
    *PATIENT_COLUMNS,
    "diet_start_day",
    "on_diet_today",
    "baseline_spasms_per_day",
    "spasms_continuing_day7",
    "percent_change_days_8_14",
    *(f"{m}_favourable" for m in BINARY_MEASURES),
    "cessation_days",
    "cessation_event",
    "second_treatment_day",
    "follow_up_days",
    # --- other seizures (issue 23 item 6): first one after spasm cessation
    "other_seizure_after_cessation_days",
    "other_seizure_after_cessation_type",
)

#: Short names accepted by :func:`response_rates` and :func:`km_by_group` for row columns.
GROUP_ALIASES: Mapping[str, str] = MappingProxyType({"therapy_group": "therapy"})

#: Length of a salted-hash key [hex characters] and the shortest salt accepted [characters]:
#: software settings (a 64-bit key; a salt long enough that ids cannot be tried one by one).
KEY_HEX_CHARS = 16
MIN_SALT_CHARS = 16


@dataclass(frozen=True)
class CohortOptions:
    """Choices of :func:`cohort_rows`.

    Attributes
    ----------
    response : ResponseOptions
        Options of the response measures (day numbering, baseline, confirmation run).
    hyps_rule : EegOptions
        How an EEG is read as hypsarrhythmia for the electroclinical measures.
    drug_classes : Mapping[str, str]
        Drug word -> class (``prednisolone``, ``acth``, ``vigabatrin``); :data:`DRUG_CLASSES`.
    """

    response: ResponseOptions = DEFAULT
    hyps_rule: EegOptions = DEFAULT_EEG
    drug_classes: Mapping[str, str] = field(default_factory=lambda: DRUG_CLASSES)


DEFAULT_COHORT = CohortOptions()


def pseudonym(patient_id: str, salt: str | bytes) -> str:
    """A salted one-way key of a patient id: the first :data:`KEY_HEX_CHARS` hex characters
    of HMAC-SHA-256(salt, id). The same salt gives the same key; without the salt the id
    cannot be recovered or checked."""
    key = salt.encode("utf-8") if isinstance(salt, str) else salt
    if len(key) < MIN_SALT_CHARS:
        raise InputError("salt", "(hidden)", f"a secret of at least {MIN_SALT_CHARS} characters")
    digest = hmac.new(key, patient_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:KEY_HEX_CHARS]


def _keys(
    records: Sequence[Record], keys: Mapping[str, str] | None, salt: str | bytes | None
) -> list[str]:
    if (keys is None) == (salt is None):
        raise InputError("keys", None, "either a mapping of pseudonymous keys or a salt, not both")
    out = []
    for i, r in enumerate(records):
        if keys is not None:
            key = keys.get(r.patient.id)
            if not isinstance(key, str) or not key:
                raise InputError(
                    "keys", f"records[{i}]", "a pseudonymous key for every patient record"
                )
            if key == r.patient.id:
                raise InputError(
                    "keys", f"records[{i}]", "a pseudonymous key that is not the patient id"
                )
        else:
            assert salt is not None
            key = pseudonym(r.patient.id, salt)
        out.append(key)
    if len(set(out)) != len(out):
        raise InputError("keys", "(duplicate)", "one record per patient, each with its own key")
    return out


def _days_from(start: date, day: date) -> int:
    return (day - start).days


def _second_treatment_day(record: Record, index: Treatment) -> int | None:
    """Days from the index start to the first later treatment outside the index course (not
    started with it, not continuing it) or diet: the NISC "second treatment" [4]."""
    ids = index_ids(record, index)
    starts = [t.start for t in record.treatments if t.id not in ids and t.start > index.start]
    starts += [d.start for d in record.diet_periods if d.start > index.start]
    return _days_from(index.start, min(starts)) if starts else None


def _cessation(
    measure_status: str,
    details: Mapping[str, Any],
    last_day: date | None,
    start: date,
    o: ResponseOptions,
) -> tuple[int | None, bool | None]:
    """(days, event) for Kaplan-Meier from the time-to-cessation measure.

    Event: days from the start date to the first day of the confirming spasm-free run.
    Censored ("not met"): a run starting after ``last diary day - (confirm_days - 1)`` could
    not yet be confirmed, so the subject is known free of the event only up to that day; a
    negative time (under ``confirm_days`` of diary after the start) carries no information
    and is left out. Not assessable: left out.
    """
    if measure_status == "measured":
        return int(details["cessation_day"]) - o.first_day_number, True
    if measure_status == "not met" and last_day is not None:
        days = _days_from(start, last_day) - (o.confirm_days - 1)
        return (days, False) if days >= 0 else (None, None)
    return None, None


def cohort_row(
    record: Record, key: str, today: date, options: CohortOptions = DEFAULT_COHORT
) -> dict[str, Any]:
    """One de-identified row (the columns :data:`COLUMNS`) for one record; see
    :func:`cohort_rows`."""
    p = record.patient
    course = first_line_course(record)
    index = index_treatment(record)
    diets = sorted(record.diet_periods, key=lambda d: (d.start, d.id))
    row: dict[str, Any] = {
        "key": key,
        "sex": p.sex,
        "age_at_onset_months": (
            _days_from(p.birth_date, p.onset_date) / DAYS_PER_MONTH if p.onset_date else None
        ),
        "gestation_weeks": p.gestation_weeks,
        "gestation_days": p.gestation_days,
        "etiology": record.etiology.category,
        "therapy": therapy_group(course, options.drug_classes),
        "first_line_drugs": "+".join(sorted({drug_code(t.drug) for t in course})) or None,
        "ketogenic_diet": bool(diets),
        "diet_kind": "+".join(dict.fromkeys(d.diet for d in diets)) or None,
        "diet_start_day": (
            _days_from(index.start, diets[0].start) if diets and index is not None else None
        ),
        "on_diet_today": any(
            d.start <= today and (d.stop is None or d.stop >= today) for d in diets
        ),
    }
    for name in COLUMNS[len(row) :]:
        row[name] = None
    if index is None:
        return row
    view = as_view(record)
    measures = treatment_measures(view, index, options.response, options.hyps_rule)
    for name in ("baseline_spasms_per_day", "percent_change_days_8_14", "spasms_continuing_day7"):
        m = measures[name]
        row[name] = m.value if m.status in ("measured", "met", "not met") else None
    for name in BINARY_MEASURES:
        row[f"{name}_favourable"] = measures[name].favourable
    cessation = measures["time_to_spasm_cessation"]
    row["cessation_days"], row["cessation_event"] = _cessation(
        cessation.status, cessation.details, view.last, index.start, options.response
    )
    # --- other seizures (issue 23 item 6)
    other = first_other_seizure_after_cessation(record, index, options.response, cessation)
    if other.status == "met":
        row["other_seizure_after_cessation_days"] = other.value
        row["other_seizure_after_cessation_type"] = other.details["type"]
    # --- end other seizures
    row["second_treatment_day"] = _second_treatment_day(record, index)
    last = min(view.last, today) if view.last is not None else None
    row["follow_up_days"] = (
        _days_from(index.start, last) if last is not None and last >= index.start else None
    )
    return row


def cohort_rows(
    records: Iterable[Record],
    today: date,
    *,
    keys: Mapping[str, str] | None = None,
    salt: str | bytes | None = None,
    options: CohortOptions = DEFAULT_COHORT,
) -> list[dict[str, Any]]:
    """One de-identified row per patient, sorted by key (so the order says nothing about the
    input order).

    Parameters
    ----------
    records : iterable of Record
        One record per patient.
    today : date
        The date the cohort is drawn up (for ``on_diet_today`` and the follow-up).
    keys : Mapping[str, str], optional
        Patient id -> pseudonymous key chosen by the caller.
    salt : str or bytes, optional
        A secret of at least :data:`MIN_SALT_CHARS` characters: the key is then
        :func:`pseudonym` of the patient id. Give ``keys`` or ``salt``, not both.
    options : CohortOptions
        Response options, EEG rule, drug classes.

    Returns
    -------
    list of dict
        Columns :data:`COLUMNS`, values at full precision (``age_at_onset_months`` is exact;
        show it with one decimal). No name, id, date of birth or calendar date:

        - ``sex``; ``age_at_onset_months`` (onset − birth in days / (365.25 / 12), ``None``
          without an onset date); ``gestation_weeks`` + ``gestation_days`` at birth;
          ``etiology`` (category only; no gene, no free text);
        - ``therapy``: :func:`therapy_group` of :func:`first_line_course`;
          ``first_line_drugs``: their substance codes (:func:`drug_code`, never the free
          text of the drug name) joined by ``+``;
        - ``ketogenic_diet`` (any diet period), ``diet_kind`` (kinds in start order, joined by
          ``+``), ``diet_start_day`` (days from the first-line start), ``on_diet_today``;
        - the index treatment's measures [4]: ``baseline_spasms_per_day``,
          ``spasms_continuing_day7`` (True/False), ``percent_change_days_8_14`` and
          ``<measure>_favourable`` for each of :data:`BINARY_MEASURES`: True, False, or
          ``None`` when the record cannot answer (unknown, never counted as False);
        - ``cessation_days`` / ``cessation_event``: Kaplan-Meier time and flag from
          :func:`~spasmcare.measures.response.time_to_spasm_cessation` (days from the start
          date to the first day of the confirming spasm-free run; censored at the last day a
          run could still have been confirmed; ``None`` when not assessable). Cessation is
          counted whatever treatment came later, as the measure does: compare with
          ``second_treatment_day`` (days to a later treatment or diet that is not part of the
          first-line course) to censor there if the analysis needs it;
        - ``follow_up_days``: days from the start to the last diary day;
        - ``other_seizure_after_cessation_days`` / ``_type``: the first seizure of another
          ILAE 2017 type on or after spasm cessation
          (:func:`~spasmcare.measures.other_seizures.first_other_seizure_after_cessation`):
          days after the cessation day and the type code; ``None`` when there is none.

        Without a treatment, ``therapy`` is ``none`` and the measure columns are ``None``.
    """
    if not isinstance(today, date):
        raise InputError("today", today, "a date")
    listed = list(records)
    names = _keys(listed, keys, salt)
    rows = [cohort_row(r, k, today, options) for r, k in zip(listed, names, strict=True)]
    return sorted(rows, key=lambda row: row["key"])


# --- definitions shown with the results -----------------------------------------------------


def measure_definitions(options: CohortOptions = DEFAULT_COHORT) -> list[dict[str, str]]:
    """What each of :data:`BINARY_MEASURES` asks, what counts as favourable, and its source
    [4], in the order of :data:`BINARY_MEASURES`, for a page or a report beside the rates.

    Each item: ``key``, ``label`` (short name), ``favourable`` (the answer counted as
    favourable in ``<key>_favourable``), ``source`` (the measure's own source text in
    :mod:`spasmcare.measures.response`). Day numbers follow ``options.response``.
    """
    o = options.response
    remission_to = 14 + o.remission_days
    items = [
        ("ukiss_response", "UKISS response", "no spasms on days 13 and 14", SRC_UKISS),
        (
            "spasm_free_48h_day14",
            "48 h spasm-free at day 14",
            "no spasms on days 13 and 14 (a day diary cannot resolve 48 hours more finely)",
            SRC_48H,
        ),
        (
            "elterman_response",
            "Elterman response",
            "7 consecutive recorded spasm-free days starting on day 1 to 14",
            SRC_ELTERMAN,
        ),
        (
            "electroclinical_response_day14",
            "Electroclinical response at day 14",
            f"no spasms on days 13 and 14 and no hypsarrhythmia on the last EEG by day "
            f"{o.eeg_latest_day}",
            SRC_ELECTRO,
        ),
        (
            "electroclinical_remission_28d",
            f"Electroclinical remission sustained {o.remission_days} days",
            f"electroclinical response at day 14, then no spasms on days 15 to {remission_to}",
            SRC_REMISSION,
        ),
        ("iciss_response", "ICISS response", "no spasms from day 14 to day 42", SRC_ICISS),
        (
            "nisc_treatment_failure_free_day60",
            "NISC free of treatment failure at day 60",
            "no second treatment (drug or diet) by day 60 and no spasms on days 31 to 60",
            SRC_NISC,
        ),
        (
            "relapse",
            "No relapse",
            f"no spasms after the first {o.remission_days} recorded spasm-free days, to "
            + (
                "the end of the diary"
                if o.relapse_window_days is None
                else f"treatment day {o.relapse_window_days}"
            ),
            SRC_RELAPSE,
        ),
    ]
    return [
        {
            "key": key,
            "label": label,
            "favourable": favourable,
            "source": source,
        }
        for key, label, favourable, source in items
    ]


def cohort_notes(options: CohortOptions = DEFAULT_COHORT) -> dict[str, str]:
    """Plain-language notes on how the rows answer: ``day_numbering`` and ``unknown`` for
    the response measures; for the Kaplan-Meier time to spasm cessation [1-4] ``event``,
    ``time``, ``censoring``, ``left_out``, ``later_treatment``, ``interval``, ``median`` and
    ``source`` (the cessation measure's own source text)."""
    o = options.response
    k = o.confirm_days
    return {
        "day_numbering": (
            "treatment days count from the start date of the first-line treatment, which is "
            f"day {o.first_day_number}"
        ),
        "unknown": (
            "an answer the record cannot give (a day of the window not recorded, no EEG, no "
            "treatment) is unknown: it is never counted as unfavourable, and rates are among "
            "the known answers only"
        ),
        "event": (
            f"spasms stopped: the first day of the first run of {k} recorded spasm-free days "
            "after the start of the first-line treatment"
        ),
        "time": "days from the start date of the first-line treatment to that first day",
        "censoring": (
            f"a patient without such a run is censored at the last diary day minus {k - 1} "
            f"days: a run starting later could not yet have been confirmed by {k} days"
        ),
        "left_out": (
            f"patients with no treatment, no diary after the start, or under {k} diary days "
            "after the start carry no information on this time and are left out"
        ),
        "later_treatment": (
            "cessation is counted whatever treatment came later (the CSV's second-treatment "
            "day column lets an analysis censor there instead)"
        ),
        "interval": (
            "survival is the Kaplan-Meier product-limit estimate of the proportion still "
            "having spasms; the 95 % interval is the log-log (exponential Greenwood) interval, "
            "not given where the survival is 1 or 0"
        ),
        "median": "the first day on which the estimate is 0.5 or less; not reached otherwise",
        "source": SRC_CESSATION,
    }


# --- rates, curves, CSV ----------------------------------------------------------------------


def _column(name: str, field: str) -> str:
    name = GROUP_ALIASES.get(name, name)
    if name not in COLUMNS:
        raise InputError(field, name, "a cohort column: " + ", ".join(COLUMNS))
    return name


def response_rates(
    rows: Sequence[Mapping[str, Any]],
    by: Sequence[str] = ("therapy", "etiology"),
    measures: Sequence[str] = BINARY_MEASURES,
) -> list[dict[str, Any]]:
    """Response counts per group (the combination of the ``by`` columns) and measure.

    Each item: ``group`` (column -> value), ``measure``, ``n`` (rows in the group),
    ``n_favourable``, ``n_unfavourable``, ``n_unknown``, ``n_known`` and ``rate`` =
    n_favourable / n_known as an exact :class:`fractions.Fraction` (``None`` when nothing is
    known). Unknown answers are left out of the rate, never counted as unfavourable. Groups
    are sorted by their values; ``by=()`` gives the whole cohort.
    """
    columns = [_column(name, "by") for name in by]
    for m in measures:
        if m not in BINARY_MEASURES:
            raise InputError("measures", m, "one of " + ", ".join(BINARY_MEASURES))
    groups: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[c] for c in columns), []).append(row)
    out = []
    for values in sorted(groups, key=lambda v: tuple(str(x) for x in v)):
        members = groups[values]
        for m in measures:
            answers = [row[f"{m}_favourable"] for row in members]
            good = sum(1 for a in answers if a is True)
            bad = sum(1 for a in answers if a is False)
            known = good + bad
            out.append(
                {
                    "group": dict(zip(columns, values, strict=True)),
                    "measure": m,
                    "n": len(members),
                    "n_favourable": good,
                    "n_unfavourable": bad,
                    "n_unknown": len(members) - known,
                    "n_known": known,
                    "rate": Fraction(good, known) if known else None,
                }
            )
    return out


def km_by_group(
    rows: Sequence[Mapping[str, Any]], group_key: str, *, confidence: float = 0.95
) -> dict[str, list[KMStep]]:
    """Kaplan-Meier time to spasm cessation per value of ``group_key`` (e.g. ``therapy``),
    from the rows' ``cessation_days`` / ``cessation_event``; rows without them are left out.
    Keys are the group values as text, sorted; a group with no usable row has an empty list."""
    column = _column(group_key, "group_key")
    grouped: dict[str, tuple[list[float], list[bool]]] = {}
    for row in rows:
        times, flags = grouped.setdefault(str(row[column]), ([], []))
        if row["cessation_event"] is not None and row["cessation_days"] is not None:
            times.append(row["cessation_days"])
            flags.append(bool(row["cessation_event"]))
    return {
        name: kaplan_meier(times, flags, confidence=confidence)
        for name, (times, flags) in sorted(grouped.items())
    }


def csv_cell(value: Any) -> str:
    """One cohort value as CSV text: empty for unknown, ``true``/``false``, numbers in full."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def rows_to_csv(rows: Iterable[Mapping[str, Any]], k: int = DEFAULT_K) -> str:
    """The rows, de-identified to ``k``-anonymity (:func:`spasmcare.measures.deid.deidentify`:
    onset age in whole months or wider bands, gestation in completed weeks or categories, rows
    in groups smaller than ``k`` left out), as CSV text: a header, then one line per released
    row, columns in the order of :data:`COLUMNS` (any other key is dropped, so nothing
    identifying can slip in).

    Empty cell = unknown; booleans ``true``/``false``; numbers at full precision (Python's
    shortest exact form). Lines end with ``\\n``. Written by :func:`spasmcare.csvsafe.csv_text`,
    so no cell a spreadsheet would run as a formula leaves here.
    """
    listed = list(rows)
    for i, row in enumerate(listed):
        missing = [c for c in COLUMNS if c not in row]
        if missing:
            raise InputError(f"rows[{i}].{missing[0]}", None, "every cohort column")
    released = deidentify(listed, k).rows
    return csv_text([COLUMNS, *([csv_cell(row[c]) for c in COLUMNS] for row in released)])
