"""k-anonymity of cohort rows (Sweeney 2002; spasmcare.measures.deid), by hand and by property."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.demo import demo_clinic
from spasmcare.errors import InputError
from spasmcare.measures.cohort import COLUMNS, cohort_rows, rows_to_csv
from spasmcare.measures.deid import DEFAULT_K, deidentify, quasi_identifier_groups
from spasmcare.record import record_from_dict

TODAY = date(2026, 12, 1)
SALT = "a-test-salt-of-enough-length-0123"


def row(key: str, sex: str, months: float | None, weeks: int, etiology: str) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(COLUMNS)
    out |= {
        "key": key,
        "sex": sex,
        "age_at_onset_months": months,
        "gestation_weeks": weeks,
        "gestation_days": 3,
        "etiology": etiology,
    }
    return out


def test_whole_months_and_weeks_when_groups_are_big_enough() -> None:
    rows = [row(f"a{i}", "male", 5.2 + i / 10, 39, "tsc") for i in range(5)]
    release = deidentify(rows, k=5)
    # 5.2 ... 5.6 months all fall in month 5: one group of 5, nothing generalised further
    assert [r["age_at_onset_months"] for r in release.rows] == ["5"] * 5
    assert {r["gestation_weeks"] for r in release.rows} == {39}
    assert {r["gestation_days"] for r in release.rows} == {None}  # never released
    assert release.suppressed == 0 and release.levels["age_at_onset_months"] == "whole months"


def test_datafly_generalises_the_widest_column_then_suppresses() -> None:
    # ten boys at term with tsc, onset 3.1 ... 5.8 months (6 distinct whole months), and one
    # girl born at 30 weeks with a metabolic cause.
    rows = [row(f"b{i}", "male", 3.1 + 0.3 * i, 39, "tsc") for i in range(10)]
    rows.append(row("g", "female", 7.0, 30, "metabolic"))
    release = deidentify(rows, k=5)
    # whole months: groups 3:{3.1,3.4,3.7} 4:{4.0,4.3,4.6,4.9} 5:{5.2,5.5,5.8} 7:{girl} -> 11
    # rows in small groups > 1 (at most k = 5 and 10 % of 11 rows may be suppressed): the onset
    # age (most distinct values, 4) goes to 3-month bands: 3-5 holds all ten boys; the girl
    # alone (1 row) is suppressed.
    assert release.levels["age_at_onset_months"] == "3-month bands"
    assert release.levels["gestation"] == "completed weeks"
    assert release.suppressed == 1 and release.total == 11
    assert {r["age_at_onset_months"] for r in release.rows} == {"3-5"}
    assert "g" not in {r["key"] for r in release.rows}


def test_gestation_categories_follow_who() -> None:
    from spasmcare.measures.deid import HIERARCHIES

    who = dict(HIERARCHIES["gestation"])["WHO preterm categories"]
    assert [who(w) for w in (27, 28, 31, 32, 36, 37, 42)] == [
        "<28", "28-31", "28-31", "32-36", "32-36", ">=37", ">=37",
    ]


def test_k_must_be_a_whole_number() -> None:
    with pytest.raises(InputError) as err:
        deidentify([], k=0)
    assert err.value.field == "k"


def _demo_rows() -> list[dict[str, Any]]:
    records = [record_from_dict(i.record, today=TODAY) for i in demo_clinic(TODAY)]
    return cohort_rows(records, TODAY, salt=SALT)


def test_demo_clinic_csv_has_no_row_unique_on_its_quasi_identifiers() -> None:
    """Issue 13: exact onset days, sex and gestation made every demo row unique."""
    rows = _demo_rows()
    exact = {(r["sex"], r["age_at_onset_months"], r["gestation_weeks"]) for r in rows}
    assert len(exact) == len(rows)  # the finding: unique before de-identification
    table = list(csv.DictReader(io.StringIO(rows_to_csv(rows))))
    groups = quasi_identifier_groups(table)
    assert table and min(groups.values()) >= DEFAULT_K
    assert all(r["gestation_days"] == "" for r in table)


quasi = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["male", "female"]),
        "months": st.one_of(st.none(), st.floats(0, 30, allow_nan=False)),
        "weeks": st.integers(23, 43),
        "etiology": st.sampled_from(["tsc", "genetic", "structural", "unknown"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(quasi, max_size=40), st.integers(1, 8))
def test_no_released_row_is_in_a_group_smaller_than_k(items: list[Any], k: int) -> None:
    rows = [
        row(f"r{i}", q["sex"], q["months"], q["weeks"], q["etiology"])
        for i, q in enumerate(items)
    ]
    release = deidentify(rows, k)
    groups = quasi_identifier_groups(release.rows)
    assert all(n >= k for n in groups.values())
    assert release.suppressed + len(release.rows) == len(rows)
    # at most k rows and 10 % are suppressed once generalisation is done, unless all is withheld
    allowed = min(k, len(rows) // 10)
    assert release.suppressed <= allowed or set(release.levels.values()) == {"withheld"}
