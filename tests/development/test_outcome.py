"""Developmental outcome by therapy, diet and etiology: the table by hand on a synthetic
cohort built here (4 children, k = 2), then the CLI over a directory of records.

The cohort (all boys born 1 Jan 2024 at term, onset 1 Jun 2024, so onset age 5 months for
all; today 1 Jun 2026, so every child is past 24 months):

- a1, a2: prednisolone, no diet, etiology unknown; b1, b2: vigabatrin, no diet, TSC. Each
  quasi-identifier group has 2 children = k, so nothing is generalised or suppressed.
- lead time (onset -> first standard therapy): a1 7, a2 20, b1 3, b2 10 days.
- UKISS (no spasms on days 13 and 14, diary kept days 1-14): a1 and b1 spasm-free, a2 and b2
  with a cluster on day 13.
- WHO windows (term babies: corrected = chronological): sitting ends 9.2 months (first date
  past it: 281 days, 8 Oct 2024; 280 days is 9.199), standing with assistance 11.4 months
  (13 Dec 2024). a1 reached all six in their windows: late 0 at 12, 18, 24. a2 "not yet"
  sitting on 1 Nov 2024 (10.0 months, after 9.2) -> late; standing with assistance on
  20 Nov 2024 (10.6 < 11.4) in time -> 1 at 12; the other four unknown -> None at 18 and
  24. b1 has no milestone -> None. b2 sat on 15 Nov 2024 and stood with assistance on
  31 Dec 2024, both after their windows -> 2 at 12.
- Development at onset: a1 none, b2 regression, a2 and b1 not recorded.
- Vineland composite: a1 90 at 12.5 months, a2 70 at 12.0 months (12-month point, within 3
  months); Bayley cognitive: a1 95 at 24.3, b1 80 at 23.0, b2 70 at 25.0 (24-month point).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmcare.measures import development_outcome as out
from spasmcare.record import record_from_dict
from tests.conftest import run_cli, run_json

TODAY = date(2026, 6, 1)
SALT = "a-secret-salt-of-enough-length"


def _child(pid: str, drug: str, start: str, etiology: str, spasm_day13: bool) -> dict[str, Any]:
    first = date.fromisoformat(start)
    diary = []
    if spasm_day13:
        diary.append(
            {
                "at": f"{(first + timedelta(days=12)).isoformat()}T08:00",
                "kind": "cluster",
                "spasms": 5,
            }
        )
    return {
        "format": "spasmcare-record",
        "schema_version": 1,
        "patient": {
            "id": pid,
            "birth_date": "2024-01-01",
            "sex": "male",
            "onset_date": "2024-06-01",
        },
        "etiology": {"category": etiology},
        "diary": diary,
        "recorded_days": [{"from": start, "to": (first + timedelta(days=13)).isoformat()}],
        "treatments": [{"id": "t1", "drug": drug, "start": start}],
    }


def _ms(mid: str, day: str, status: str = "achieved") -> dict[str, Any]:
    return {"milestone": mid, "status": status, "date": day, "reported_by": "family"}


def cohort_documents() -> dict[str, dict[str, Any]]:
    a1 = _child("a1", "prednisolone", "2024-06-08", "unknown", False)
    a1["development"] = {
        "at_diagnosis": {"course": "none"},
        "milestones": [
            _ms("who-sitting-without-support", "2024-08-15"),
            _ms("who-standing-with-assistance", "2024-10-15"),
            _ms("who-hands-and-knees-crawling", "2024-12-01"),
            _ms("who-walking-with-assistance", "2025-01-01"),
            _ms("who-standing-alone", "2025-02-01"),
            _ms("who-walking-alone", "2025-03-01"),
        ],
        "assessments": [
            {"instrument": "vineland", "date": "2025-01-15", "scores": {"composite": 90}},
            {"instrument": "bayley-3", "date": "2026-01-10", "scores": {"cognitive": 95}},
        ],
    }
    a2 = _child("a2", "prednisolone", "2024-06-21", "unknown", True)
    a2["development"] = {
        "milestones": [
            _ms("who-sitting-without-support", "2024-11-01", "not-yet"),
            _ms("who-standing-with-assistance", "2024-11-20"),
        ],
        "assessments": [
            {"instrument": "vineland", "date": "2025-01-01", "scores": {"composite": 70}}
        ],
    }
    b1 = _child("b1", "vigabatrin", "2024-06-04", "tsc", False)
    b1["development"] = {
        "assessments": [
            {"instrument": "bayley-3", "date": "2025-12-01", "scores": {"cognitive": 80}}
        ]
    }
    b2 = _child("b2", "vigabatrin", "2024-06-11", "tsc", True)
    b2["development"] = {
        "at_diagnosis": {"course": "regression"},
        "milestones": [
            _ms("who-sitting-without-support", "2024-11-15"),
            _ms("who-standing-with-assistance", "2024-12-31"),
        ],
        "assessments": [
            {"instrument": "bayley-3", "date": "2026-02-01", "scores": {"cognitive": 70}},
            {
                "instrument": "asq-3",
                "date": "2025-01-01",
                "asq_cutoff": {
                    "gross_motor": "below",
                    "fine_motor": "below",
                    "communication": "close",
                },
            },
        ],
    }
    return {"a1": a1, "a2": a2, "b1": b1, "b2": b2}


def _rows() -> dict[str, dict[str, Any]]:
    records = [record_from_dict(d, today=TODAY) for d in cohort_documents().values()]
    rows = out.outcome_rows(records, TODAY, salt=SALT)
    by_lead = {7: "a1", 20: "a2", 3: "b1", 10: "b2"}
    return {by_lead[r["lead_time_days"]]: r for r in rows}


def test_window_end_dates_by_hand() -> None:
    rec = record_from_dict(cohort_documents()["a1"], today=TODAY)
    assert out.date_at_corrected_months(rec, 9.2) == date(2024, 10, 8)  # 281 d = 9.232 mo
    assert out.date_at_corrected_months(rec, 11.4) == date(2024, 12, 13)  # 347 d = 11.40 mo


def test_rows_by_hand() -> None:
    rows = _rows()
    assert {k: r["therapy"] for k, r in rows.items()} == {
        "a1": "prednisolone",
        "a2": "prednisolone",
        "b1": "vigabatrin",
        "b2": "vigabatrin",
    }
    assert {k: r["ukiss_response_favourable"] for k, r in rows.items()} == {
        "a1": True,
        "a2": False,
        "b1": True,
        "b2": False,
    }
    assert {
        k: (r["who_late_12m"], r["who_late_18m"], r["who_late_24m"]) for k, r in rows.items()
    } == {"a1": (0, 0, 0), "a2": (1, None, None), "b1": (None, None, None), "b2": (2, None, None)}
    assert {k: r["vineland_composite_12m"] for k, r in rows.items()} == {
        "a1": 90,
        "a2": 70,
        "b1": None,
        "b2": None,
    }
    assert {k: r["bayley_cognitive_24m"] for k, r in rows.items()} == {
        "a1": 95,
        "a2": None,
        "b1": 80,
        "b2": 70,
    }
    assert rows["b2"]["asq3_below_12m"] == 2 and rows["a1"]["asq3_below_12m"] is None


def test_table_by_hand() -> None:
    released = out.release(list(_rows().values()), k=2)
    assert released["suppressed"] == 0 and released["total"] == 4
    table = {(t["therapy"], t["diet"], t["etiology"]): t for t in released["table"]}
    pred = table[("prednisolone", "none", "unknown")]
    vgb = table[("vigabatrin", "none", "tsc")]
    assert (pred["children"], pred["ukiss_response"], pred["ukiss_known"]) == (2, 1, 2)
    assert (vgb["children"], vgb["ukiss_response"], vgb["ukiss_known"]) == (2, 1, 2)
    assert (pred["regression_or_plateau_at_onset"], pred["development_at_onset_known"]) == (0, 1)
    assert (vgb["regression_or_plateau_at_onset"], vgb["development_at_onset_known"]) == (1, 1)
    assert pred["lead_time_days_median"] == 13.5  # median of 7 and 20
    assert vgb["lead_time_days_median"] == 6.5  # median of 3 and 10
    assert (pred["who_known_12m"], pred["who_late_any_12m"]) == (2, 1)
    assert (vgb["who_known_12m"], vgb["who_late_any_12m"]) == (1, 1)
    assert (pred["who_known_24m"], pred["who_late_any_24m"]) == (1, 0)
    assert (pred["vineland_median_12m"], pred["vineland_n_12m"]) == (80.0, 2)
    assert (vgb["bayley_median_24m"], vgb["bayley_n_24m"]) == (75.0, 2)
    assert (pred["bayley_median_24m"], pred["bayley_n_24m"]) == (95.0, 1)


def test_a_group_smaller_than_k_is_never_released() -> None:
    released = out.release(list(_rows().values()), k=3)
    for entry in released["table"]:
        assert entry["children"] >= 3
    assert released["suppressed"] + sum(t["children"] for t in released["table"]) == 4


def _export_args(tmp_path: Path, docs: dict[str, dict[str, Any]]) -> list[str]:
    """``export development --dir D --salt-file S`` over ``docs`` written as D/<name>.json."""
    folder = tmp_path / "records"
    folder.mkdir()
    for name, doc in docs.items():
        (folder / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
    salt = tmp_path / "salt.txt"
    salt.write_text(SALT, encoding="utf-8")
    return ["export", "development", "--dir", str(folder), "--salt-file", str(salt)]


def test_cli_json_and_csv_over_a_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    common = [*_export_args(tmp_path, cohort_documents()), "--k", "2", "--today", TODAY.isoformat()]
    data = run_json(capsys, *common, "--json")
    assert data["total"] == 4 and len(data["rows"]) == 4 and len(data["table"]) == 2
    assert all("a1" not in json.dumps(r) for r in data["rows"])
    code, text, _ = run_cli(capsys, *common)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(int(r["lead_time_days"]) for r in rows) == [3, 7, 10, 20]
    code, text, _ = run_cli(capsys, *common, "--table")
    assert code == 0
    assert [r["therapy"] for r in csv.DictReader(io.StringIO(text))] == [
        "prednisolone",
        "vigabatrin",
    ]


def test_cli_bad_k_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = _export_args(tmp_path, {"a1": cohort_documents()["a1"]})
    code, _, err = run_cli(capsys, *args, "--k", "0", "--today", "2026-06-01")
    assert code == 2 and "--k" in err and "Traceback" not in err


def test_cli_redcap_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "redcap"
    data = run_json(
        capsys,
        *_export_args(tmp_path, cohort_documents()),
        "--k",
        "2",
        "--today",
        TODAY.isoformat(),
        "--redcap",
        str(target),
        "--json",
    )
    assert data["records"] == 4
    assert (target / "redcap_dictionary.csv").read_text().startswith("Variable / Field Name")


def test_cli_bad_development_field_names_file_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = cohort_documents()["b2"]
    doc["development"]["assessments"][0]["scores"] = {"iq": 100}
    code, out, err = run_cli(capsys, *_export_args(tmp_path, {"b2": doc}), "--today", "2026-06-01")
    assert code == 2 and out == ""
    assert "b2.json: development.assessments[0].scores.iq" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
