"""The one CSV writer: no cell a spreadsheet would run as a formula, numbers kept as numbers
(OWASP CSV injection guidance), and the cohort/REDCap exports written through it with coded
drug columns only (issue 20, finding 6)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.csvsafe import FORMULA_STARTS, csv_text, is_number, safe_cell
from spasmcare.demo import demo_clinic
from spasmcare.interop import redcap
from spasmcare.measures.cohort import (
    COLUMNS,
    FIRST_LINE_DRUG_CODES,
    cohort_rows,
    drug_code,
    rows_to_csv,
)
from spasmcare.record import record_from_dict

TODAY = date(2026, 12, 2)
SALT = "a-test-salt-of-enough-length"
HOSTILE_DRUG = "-1-1 mg twice"


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def formula_like(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and not is_number(cell)


# --- the writer ------------------------------------------------------------------------------


def test_formula_cells_get_a_leading_quote_and_numbers_do_not() -> None:
    assert safe_cell("-1-1") == "'-1-1"
    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_cell("+acth") == "'+acth"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx" and safe_cell("\rx") == "'\rx"
    assert safe_cell("-25.0") == "-25.0" and safe_cell("-1e-05") == "-1e-05"
    assert safe_cell("prednisolone+vigabatrin") == "prednisolone+vigabatrin"
    assert safe_cell("-inf") == "'-inf"  # not a plain decimal number


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), min_size=1, max_size=5))
def test_no_written_cell_starts_with_a_formula_character_unless_a_number(rows) -> None:
    for cell in cells(csv_text(rows)):
        assert not formula_like(cell), cell


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=-(10**12), max_value=10**12),
        st.floats(allow_nan=False, allow_infinity=False),
    )
)
def test_numbers_round_trip_unchanged(number) -> None:
    text = repr(number) if isinstance(number, float) else str(number)
    (cell,) = cells(csv_text([[text]]))
    assert cell == text
    assert type(number)(cell) == number


# --- coded drug column and the exports (finding 6) -------------------------------------------


@pytest.fixture(scope="module")
def hostile_records() -> list:
    """The demo clinic with every treatment's free-text drug name made hostile."""
    out = []
    for infant in demo_clinic(TODAY):
        record = record_from_dict(infant.record, today=TODAY)
        treatments = tuple(replace(t, drug=HOSTILE_DRUG) for t in record.treatments)
        out.append(replace(record, treatments=treatments))
    return out


def test_drug_codes_never_carry_the_free_text() -> None:
    assert drug_code("ACTH (Acthar Gel)") == "acth"
    assert drug_code("Synacthen Depot") == "tetracosactide"
    assert drug_code("Sabril 500 mg") == "vigabatrin"
    assert drug_code(HOSTILE_DRUG) == "other"
    assert drug_code("=cmd|' /C calc'!A0") == "other"


def test_first_line_drugs_is_coded_in_the_rows(hostile_records) -> None:
    rows = cohort_rows(hostile_records, TODAY, salt=SALT)
    values = {r["first_line_drugs"] for r in rows} - {None}
    assert values == {"other"}
    assert set(FIRST_LINE_DRUG_CODES) >= values


def test_cohort_csv_has_no_formula_cell_and_no_free_text(hostile_records) -> None:
    rows = cohort_rows(hostile_records, TODAY, salt=SALT)
    text = rows_to_csv(rows, k=2)
    assert "-1-1" not in text
    assert not [c for c in cells(text) if formula_like(c)]
    assert cells(text)[: len(COLUMNS)] == list(COLUMNS)


def test_cohort_csv_neutralises_a_formula_in_any_text_column(hostile_records) -> None:
    rows = cohort_rows(hostile_records, TODAY, salt=SALT)
    rows = [{**r, "therapy": "=1+1"} for r in rows]
    text = rows_to_csv(rows, k=2)
    assert "'=1+1" in cells(text) and "=1+1" not in cells(text)


def test_redcap_files_have_no_formula_cell_and_no_free_text(hostile_records) -> None:
    out = redcap.cohort_redcap(hostile_records, TODAY, salt=SALT, k=2)
    assert "-1-1" not in out.import_csv
    for text in (out.import_csv, out.dictionary_csv):
        assert not [c for c in cells(text) if formula_like(c)]
    # negative numbers stay numbers (percent change can be -100.0)
    assert any(is_number(c) and c.startswith("-") for c in cells(out.import_csv))
