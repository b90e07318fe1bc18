"""The clinic cohort as a REDCap project: a data dictionary CSV and a matching flat import CSV.

Both are built from de-identified cohort rows, i.e. the output of
:func:`spasmcare.measures.cohort.cohort_rows` (or any function that post-processes it for the
cohort page). :func:`cohort_redcap` calls ``cohort_rows`` itself and passes its keyword
options through unchanged, so whatever de-identification the cohort page applies (pseudonymous
keys, no names, ids, birth dates or calendar dates, and any further rule added there) applies
to the REDCap export too. No column is added here that the rows do not carry.

The dictionary has the 18 standard columns in their fixed order [1]; the record id
(``record_id``, the row's pseudonymous ``key``, type text) is its first field [2]; fields are
grouped into forms whose rows are contiguous [2]. The field list follows the rows' columns, and
each field's type is read from the values: yes/no for booleans (imported as 1/0), radio for
the coded columns (:data:`CHOICES`) when every value is a known code, text with ``integer`` or
``number`` validation for numbers, plain text otherwise. A column the cohort rows gain later
gets a field automatically (in the last form).

The import CSV is REDCap's *flat* format with raw values [3]: one row per record, columns in
dictionary order, empty cell = no value; dates never occur (the rows have none). The cohort is
one row per patient, so neither repeating instruments nor events are needed in a classic
project; for a longitudinal consortium project give ``event_name`` and every row carries that
``redcap_event_name`` [4]. Both files are written by :class:`spasmcare.csvsafe.SafeWriter`, so a
text cell a spreadsheet would run as a formula is neutralised; numbers stay numbers.

References
----------
1. REDCap data dictionary columns, in order: Variable / Field Name, Form Name, Section Header,
   Field Type, Field Label, "Choices, Calculations, OR Slider Labels", Field Note, Text
   Validation Type OR Show Slider Number, Text Validation Min, Text Validation Max,
   Identifier?, Branching Logic (Show field only if...), Required Field?, Custom Alignment,
   Question Number (surveys only), Matrix Group Name, Matrix Ranking?, Field Annotation
   (Sage-Bionetworks redcapdd ``get_dd_cols``; interop-and-peers.md §2).
2. linkml-redcap documentation: the first field is the record id, of type text; a form's rows
   must be contiguous (interop-and-peers.md §2).
3. REDCap API import (RoeLabWustl redcap_import_records): ``type`` flat or eav, ``format``
   csv, ``overwrite_behavior`` normal (interop-and-peers.md §2).
4. REDCapTidieR documentation: longitudinal projects need ``redcap_event_name``; repeating
   data ``redcap_repeat_instrument`` and ``redcap_repeat_instance`` (interop-and-peers.md §2).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from spasmcare.csvsafe import SafeWriter
from spasmcare.errors import InputError
from spasmcare.interop.redcap_pathway import CODE_COLUMNS as PATHWAY_CHOICES
from spasmcare.interop.redcap_pathway import LABELS as PATHWAY_LABELS
from spasmcare.interop.redcap_pathway import PATHWAY_COLUMNS, PATHWAY_FORM, pathway_columns
from spasmcare.record.model import ETIOLOGY_CATEGORIES, Record
from spasmcare.record.seizures import SEIZURE_TYPES

DICTIONARY_COLUMNS: tuple[str, ...] = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
RECORD_ID = "record_id"
EVENT = "redcap_event_name"
#: The cohort rows' own key column, exported as :data:`RECORD_ID`.
ROW_KEY = "key"

#: Form of each known cohort column, in form order; unknown columns go to the last form.
FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "patient",
        (
            "sex",
            "age_at_onset_months",
            "gestation_weeks",
            "gestation_days",
            "etiology",
        ),
    ),
    (
        "treatment",
        (
            "therapy",
            "first_line_drugs",
            "ketogenic_diet",
            "diet_kind",
            "diet_start_day",
            "on_diet_today",
            "second_treatment_day",
        ),
    ),
    # --- development (issue 25): the outcome export's own form ---
    (
        "development",
        (
            "development_at_onset",
            "lead_time_days",
            *(
                f"{name}_{t}m"
                for t in (12, 18, 24)
                for name in ("who_late", "vineland_composite", "bayley_cognitive", "asq3_below")
            ),
        ),
    ),
    # --- end development ---
)
LAST_FORM = "response"

LABELS: Mapping[str, str] = {
    "sex": "Sex",
    "age_at_onset_months": "Age at onset of spasms (months)",
    "gestation_weeks": "Gestation at birth (completed weeks)",
    "gestation_days": "Gestation at birth (days beyond completed weeks)",
    "etiology": "Etiology group",
    "therapy": "First-line therapy group",
    "first_line_drugs": "First-line drugs (joined by +)",
    "ketogenic_diet": "Any dietary therapy",
    "diet_kind": "Diet kinds in start order (joined by +)",
    "diet_start_day": "First diet start (days from first-line start)",
    "on_diet_today": "On a diet on the export date",
    "second_treatment_day": "Second treatment (days from first-line start)",
    "baseline_spasms_per_day": "Baseline spasms per day",
    "spasms_continuing_day7": "Spasms continuing on day 7",
    "percent_change_days_8_14": "Change in spasms, days 8-14 vs baseline (%)",
    "cessation_days": "Time to spasm cessation (days)",
    "cessation_event": "Spasm cessation observed (no = censored)",
    "follow_up_days": "Follow-up (days from first-line start to last diary day)",
    # --- development (issue 25) ---
    "lead_time_days": "Lead time: spasm onset to first standard therapy (days)",
    "development_at_onset": "Development at onset: regression, plateau or none",
    "ukiss_response_favourable": "UKISS response: no spasms on days 13 and 14",
    "iciss_response_favourable": "ICISS response: no spasms from day 14 to day 42",
    **{
        f"who_late_{t}m": f"WHO motor milestones not reached by the end of their window, "
        f"{t} months corrected (prompt for assessment, not a diagnosis)"
        for t in (12, 18, 24)
    },
    **{f"vineland_composite_{t}m": f"Vineland composite near {t} months" for t in (12, 18, 24)},
    **{f"bayley_cognitive_{t}m": f"Bayley-III cognitive near {t} months" for t in (12, 18, 24)},
    **{
        f"asq3_below_{t}m": f"ASQ-3 domains below the cut-off near {t} months"
        for t in (12, 18, 24)
    },
    # --- end development ---
    # --- other seizures (issue 23 item 6)
    "other_seizure_after_cessation_days": "First other seizure after spasm cessation (days)",
    "other_seizure_after_cessation_type": "First other seizure after cessation: ILAE 2017 type",
}

#: Coded columns: column -> accepted codes (raw value = label).
CHOICES: Mapping[str, tuple[str, ...]] = {
    "sex": ("male", "female"),
    "etiology": ETIOLOGY_CATEGORIES,
    "development_at_onset": ("regression", "plateau", "none"),  # development (issue 25)
    "other_seizure_after_cessation_type": SEIZURE_TYPES,  # issue 23 item 6
}

# --- care pathway form (issue 23), filled only with ``cohort_redcap(..., pathway=True)`` ---
FORMS = (*FORMS, (PATHWAY_FORM, PATHWAY_COLUMNS))
LABELS = {**LABELS, **PATHWAY_LABELS}
CHOICES = {**CHOICES, **PATHWAY_CHOICES}

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class RedcapExport:
    """The two CSV texts and the field names (in dictionary order, record id first)."""

    dictionary_csv: str
    import_csv: str
    fields: tuple[str, ...]
    records: int


def _label(column: str) -> str:
    if column in LABELS:
        return LABELS[column]
    if column.endswith("_favourable"):
        return column[: -len("_favourable")].replace("_", " ") + ": favourable answer"
    return column.replace("_", " ").capitalize()


def _choice_code(value: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", value.lower())


def _field_spec(column: str, values: Sequence[Any]) -> dict[str, str]:
    """Field Type, choices and validation read from the column's non-empty values."""
    known = [v for v in values if v is not None]
    codes = CHOICES.get(column)
    if codes is not None and all(isinstance(v, str) and v in codes for v in known):
        choices = " | ".join(f"{_choice_code(c)}, {c}" for c in codes)
        return {"type": "radio", "choices": choices, "validation": ""}
    if known and all(isinstance(v, bool) for v in known):
        return {"type": "yesno", "choices": "", "validation": ""}
    if known and all(isinstance(v, int) and not isinstance(v, bool) for v in known):
        return {"type": "text", "choices": "", "validation": "integer"}
    if known and all(isinstance(v, int | float) and not isinstance(v, bool) for v in known):
        return {"type": "text", "choices": "", "validation": "number"}
    return {"type": "text", "choices": "", "validation": ""}


def raw_value(value: Any, spec: Mapping[str, str]) -> str:
    """A value as REDCap's raw import text: yes/no 1/0, a radio code, numbers in full."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if spec.get("type") == "radio":
        return _choice_code(str(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _forms(columns: Sequence[str]) -> list[tuple[str, list[str]]]:
    placed: set[str] = set()
    out: list[tuple[str, list[str]]] = []
    for form, names in FORMS:
        fields = [c for c in names if c in columns]
        placed.update(fields)
        if fields:
            out.append((form, fields))
    rest = [c for c in columns if c not in placed]
    if rest:
        out.append((LAST_FORM, rest))
    return out


def redcap_export(
    rows: Sequence[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    event_name: str | None = None,
) -> RedcapExport:
    """The REDCap data dictionary and flat import CSV of de-identified cohort ``rows``.

    ``columns``: the row columns to export, in order (default: the keys of the first row,
    i.e. the cohort's own column order); ``key`` is always the record id. Raises InputError
    for a row without a key, a duplicate key, or a column name REDCap does not accept.
    """
    if columns is None:
        if rows:
            columns = list(rows[0])
        else:
            from spasmcare.measures.cohort import COLUMNS

            columns = list(COLUMNS)
    data_columns = [c for c in columns if c != ROW_KEY]
    for c in data_columns:
        if not _NAME.match(c) or c in (RECORD_ID, EVENT):
            raise InputError(
                "columns", c, "lower-case letters, digits and _, starting with a letter"
            )
    if event_name is not None and not _NAME.match(event_name):
        raise InputError(
            "event_name", event_name, "a REDCap unique event name such as baseline_arm_1"
        )
    keys: set[str] = set()
    for i, row in enumerate(rows):
        key = row.get(ROW_KEY)
        if not isinstance(key, str) or not key:
            raise InputError(f"rows[{i}].{ROW_KEY}", key, "a pseudonymous key")
        if key in keys:
            raise InputError(f"rows[{i}].{ROW_KEY}", key, "one row per record")
        keys.add(key)
    specs = {c: _field_spec(c, [row.get(c) for row in rows]) for c in data_columns}
    forms = _forms(data_columns)
    fields = [RECORD_ID] + [c for _, names in forms for c in names]

    dictionary = io.StringIO()
    w = SafeWriter(dictionary)
    w.writerow(DICTIONARY_COLUMNS)
    first_form = forms[0][0] if forms else "patient"
    w.writerow(_dictionary_row(RECORD_ID, first_form, {"type": "text"}, "Record ID (pseudonym)"))
    for form, names in forms:
        for c in names:
            w.writerow(_dictionary_row(c, form, specs[c], _label(c)))

    flat = io.StringIO()
    w = SafeWriter(flat)
    header = [RECORD_ID] + ([EVENT] if event_name else []) + fields[1:]
    w.writerow(header)
    for row in sorted(rows, key=lambda r: str(r[ROW_KEY])):
        line = [str(row[ROW_KEY])] + ([event_name] if event_name else [])
        line += [raw_value(row.get(c), specs[c]) for c in fields[1:]]
        w.writerow(line)
    return RedcapExport(dictionary.getvalue(), flat.getvalue(), tuple(fields), len(rows))


def _dictionary_row(name: str, form: str, spec: Mapping[str, str], label: str) -> list[str]:
    row = dict.fromkeys(DICTIONARY_COLUMNS, "")
    row["Variable / Field Name"] = name
    row["Form Name"] = form
    row["Field Type"] = spec.get("type", "text")
    row["Field Label"] = label
    row["Choices, Calculations, OR Slider Labels"] = spec.get("choices", "")
    row["Text Validation Type OR Show Slider Number"] = spec.get("validation", "")
    if name == RECORD_ID:
        row["Field Note"] = "salted one-way key; the hospital keeps the salt"
    return list(row.values())


def cohort_redcap(
    records: Iterable[Record],
    today: date,
    *,
    event_name: str | None = None,
    k: int | None = None,
    pathway: bool = False,
    **cohort_options: Any,
) -> RedcapExport:
    """:func:`redcap_export` of ``cohort_rows(records, today, **cohort_options)`` released
    through the cohort page's de-identification (:func:`spasmcare.measures.deid.deidentify`,
    k-anonymity with ``k``, default :data:`spasmcare.measures.deid.DEFAULT_K`): the same rows
    as the cohort page and its CSV (``salt`` or ``keys``, ``options`` and any other option
    ``cohort_rows`` takes). ``pathway``: add the care-pathway form
    (:func:`spasmcare.interop.redcap_pathway.pathway_columns`, days from onset, no dates)."""
    from spasmcare.measures.cohort import cohort_rows
    from spasmcare.measures.deid import DEFAULT_K, deidentify

    records = list(records)
    rows = cohort_rows(records, today, **cohort_options)
    if pathway:
        rows = _with_pathway(rows, records, today, cohort_options)
    released = deidentify(rows, DEFAULT_K if k is None else k).rows
    return redcap_export(released, event_name=event_name)


def _with_pathway(
    rows: list[dict[str, Any]],
    records: Sequence[Record],
    today: date,
    cohort_options: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """The cohort rows with each record's pathway columns, matched by the row key."""
    from spasmcare.measures.cohort import pseudonym

    keys = cohort_options.get("keys")
    salt = cohort_options.get("salt")
    by_key = {
        (keys[r.patient.id] if keys is not None else pseudonym(r.patient.id, salt or "")): r
        for r in records
    }
    return [{**row, **pathway_columns(by_key[row[ROW_KEY]], today)} for row in rows]
# --- development (issue 25) ---------------------------------------------------------------


def development_redcap(
    records: Iterable[Record],
    today: date,
    *,
    salt: str | bytes,
    k: int | None = None,
    event_name: str | None = None,
) -> RedcapExport:
    """:func:`redcap_export` of the developmental-outcome release
    (:func:`spasmcare.measures.development_outcome.release`: the same k-anonymous rows as
    ``spasmcare export development``), fields in the outcome columns' order, the
    development fields in their own form."""
    from spasmcare.measures.deid import DEFAULT_K
    from spasmcare.measures.development_outcome import COLUMNS, outcome_rows, release

    rows = outcome_rows(records, today, salt=salt)
    released = release(rows, DEFAULT_K if k is None else k)["rows"]
    return redcap_export(released, columns=list(COLUMNS), event_name=event_name)
