"""REDCap data dictionary + flat import CSV of the clinic cohort, re-read and checked."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.csvsafe import safe_cell
from spasmcare.demo import demo_clinic
from spasmcare.errors import InputError
from spasmcare.interop import redcap
from spasmcare.measures.cohort import COLUMNS, cohort_rows, pseudonym
from spasmcare.measures.deid import deidentify
from spasmcare.record import record_from_dict

TODAY = date(2026, 12, 2)
SALT = "a-test-salt-of-enough-length"


@pytest.fixture(scope="module")
def records() -> list:
    return [record_from_dict(i.record, today=TODAY) for i in demo_clinic(TODAY)]


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_dictionary_has_the_18_columns_record_id_first_and_contiguous_forms(records) -> None:
    out = redcap.cohort_redcap(records, TODAY, salt=SALT)
    table = read(out.dictionary_csv)
    assert table[0] == list(redcap.DICTIONARY_COLUMNS) and len(table[0]) == 18
    assert table[0][0] == "Variable / Field Name" and table[0][17] == "Field Annotation"
    assert table[1][0] == "record_id" and table[1][3] == "text"
    forms = [row[1] for row in table[1:]]
    seen: list[str] = []
    for f in forms:
        if not seen or seen[-1] != f:
            assert f not in seen, f"form {f} is not contiguous"
            seen.append(f)
    assert seen == ["patient", "treatment", "response"]
    assert all(len(row) == 18 for row in table)
    # every cohort column becomes one field; key becomes the record id
    assert [row[0] for row in table[1:]] == list(out.fields)
    assert set(out.fields) == {"record_id"} | (set(COLUMNS) - {"key"})


def test_default_release_is_k_anonymous(records) -> None:
    """At the default k = 5 every released row shares its quasi-identifiers with 4 others."""
    out = redcap.cohort_redcap(records, TODAY, salt=SALT)
    table = read(out.import_csv)
    header, body = table[0], table[1:]
    groups = Counter(
        tuple(dict(zip(header, line, strict=True))[q] for q in ("sex", "age_at_onset_months",
                                                                "gestation_weeks", "etiology"))
        for line in body
    )
    assert body and min(groups.values()) >= 5


def test_every_value_matches_the_source_records(records) -> None:
    # k = 1: the finest release (onset in whole months, gestation in completed weeks)
    out = redcap.cohort_redcap(records, TODAY, salt=SALT, k=1)
    dictionary = {row[0]: row for row in read(out.dictionary_csv)[1:]}
    table = read(out.import_csv)
    header, body = table[0], table[1:]
    assert header == list(out.fields)  # the import columns are the dictionary's fields
    assert len(body) == len(records) == 14
    rows = {r["key"]: r for r in deidentify(cohort_rows(records, TODAY, salt=SALT), 1).rows}
    by_key = {line[0]: dict(zip(header, line, strict=True)) for line in body}
    for record in records:
        key = pseudonym(record.patient.id, SALT)
        line = by_key[key]
        # straight from the record
        assert line["sex"] == record.patient.sex
        assert int(line["gestation_weeks"]) == record.patient.gestation_weeks
        assert line["etiology"] == record.etiology.category
        assert line["ketogenic_diet"] == ("1" if record.diet_periods else "0")
        # every other column equals the cohort row, read back by its dictionary type
        for name in header[1:]:
            field_type, validation = dictionary[name][3], dictionary[name][7]
            expected = rows[key][name]
            cell = line[name]
            if expected is None:
                assert cell == "", (key, name)
            elif field_type == "yesno":
                assert cell == ("1" if expected else "0"), (key, name)
            elif validation == "integer":
                assert int(cell) == expected, (key, name)
            elif validation == "number":
                assert float(cell) == pytest.approx(expected, rel=0, abs=0), (key, name)
            else:
                assert cell == str(expected), (key, name)
        # nothing identifying
        text = out.import_csv + out.dictionary_csv
        assert record.patient.id not in text
        assert record.patient.birth_date.isoformat() not in text
        assert record.patient.name is None or record.patient.name not in text


def test_radio_choices_cover_the_codes(records) -> None:
    out = redcap.cohort_redcap(records, TODAY, salt=SALT, k=1)
    dictionary = {row[0]: row for row in read(out.dictionary_csv)[1:]}
    assert dictionary["sex"][3] == "radio"
    assert dictionary["sex"][5] == "male, male | female, female"
    assert dictionary["ketogenic_diet"][3] == "yesno"
    # onset age leaves as a whole-month label ("3"), never the exact age
    assert dictionary["age_at_onset_months"][3] == "text"
    assert dictionary["age_at_onset_months"][7] == ""
    assert dictionary["gestation_weeks"][7] == "integer"


def test_event_name_column(records) -> None:
    out = redcap.cohort_redcap(records, TODAY, salt=SALT, event_name="baseline_arm_1")
    table = read(out.import_csv)
    assert table[0][:2] == ["record_id", "redcap_event_name"]
    assert {line[1] for line in table[1:]} == {"baseline_arm_1"}
    with pytest.raises(InputError, match="event_name"):
        redcap.cohort_redcap(records, TODAY, salt=SALT, event_name="Baseline Arm")


def test_new_cohort_column_gets_a_field_and_unfitting_codes_fall_back_to_text() -> None:
    rows = [
        {"key": "k1", "sex": "male", "etiology": "suppressed", "onset_band": "3-6"},
        {"key": "k2", "sex": "female", "etiology": "tsc", "onset_band": None},
    ]
    out = redcap.redcap_export(rows)
    dictionary = {row[0]: row for row in read(out.dictionary_csv)[1:]}
    assert dictionary["etiology"][3] == "text"
    assert dictionary["onset_band"][1] == "response" and dictionary["onset_band"][3] == "text"
    assert read(out.import_csv)[1] == ["k1", "male", "suppressed", "3-6"]


def test_bad_rows_refused(records) -> None:
    with pytest.raises(InputError, match="key"):
        redcap.redcap_export([{"key": "a"}, {"key": "a"}])
    with pytest.raises(InputError, match="columns"):
        redcap.redcap_export([{"key": "a", "Bad Name": 1}])
    with pytest.raises(InputError, match="salt"):
        redcap.cohort_redcap(records[:1], TODAY, salt="short")


_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.text("abc+/ -,\"'\n", max_size=8),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_value, min_size=3, max_size=3), min_size=1, max_size=6))
def test_any_rows_read_back_by_their_dictionary_types(table: list[list[object]]) -> None:
    columns = ("alpha", "beta_2", "gamma")
    rows = [
        {"key": f"k{i}", **dict(zip(columns, values, strict=True))}
        for i, values in enumerate(table)
    ]
    out = redcap.redcap_export(rows)
    dictionary = {r[0]: r for r in read(out.dictionary_csv)[1:]}
    body = read(out.import_csv)
    assert body[0] == ["record_id", *columns]
    for line, row in zip(body[1:], rows, strict=True):
        assert line[0] == row["key"]
        for name, cell in zip(columns, line[1:], strict=True):
            value, kind, validation = row[name], dictionary[name][3], dictionary[name][7]
            if value is None:
                assert cell == ""
            elif kind == "yesno":
                assert cell == ("1" if value else "0")
            elif validation == "integer":
                assert int(cell) == value
            elif validation == "number":
                assert float(cell) == value
            elif isinstance(value, bool):
                assert cell == ("1" if value else "0")
            elif isinstance(value, float):
                assert float(cell) == value
            else:
                # text a spreadsheet would run as a formula is neutralised (issue 20 #6)
                assert cell == safe_cell(str(value))
