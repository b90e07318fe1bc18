"""CLI exports safe to share: the REDCap CSV with a hostile drug name (issue 20 #6) and the
de-identified bulk NDJSON (``--salt-file``)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from spasmcare.csvsafe import FORMULA_STARTS, is_number
from spasmcare.demo import demo_clinic
from spasmcare.interop.bulk import read_ndjson
from tests.conftest import run_cli

TODAY = date(2026, 12, 2)
DAY = ["--today", TODAY.isoformat()]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("records")
    for infant in demo_clinic(TODAY):
        data = json.loads(json.dumps(infant.record))
        for t in data.get("treatments", []):
            t["drug"] = "-1-1 tablets"
        (d / f"{data['patient']['id']}.json").write_text(json.dumps(data))
    return d


def test_redcap_csv_from_the_cli_has_no_formula_cell(
    capsys: pytest.CaptureFixture[str], hostile_dir: Path, tmp_path: Path
) -> None:
    salt = tmp_path / "salt"
    salt.write_text("a-salt-that-is-long-enough\n")
    out = tmp_path / "out"
    code, _, err = run_cli(
        capsys, "export", "redcap", "--dir", str(hostile_dir), "--out", str(out),
        "--salt-file", str(salt), "--k", "2", *DAY,
    )
    assert code == 0, err
    for name in ("redcap_import.csv", "redcap_dictionary.csv"):
        text = (out / name).read_text()
        assert "-1-1" not in text
        cells = [c for row in csv.reader(text.splitlines()) for c in row]
        assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not is_number(c)]


def test_deidentified_ndjson_from_the_cli(
    capsys: pytest.CaptureFixture[str], hostile_dir: Path, tmp_path: Path
) -> None:
    salt = tmp_path / "salt"
    salt.write_text("a-salt-that-is-long-enough\n")
    target = tmp_path / "bulk"
    code, out, err = run_cli(
        capsys, "export", "fhir", "--ndjson", str(target), "--dir", str(hostile_dir),
        "--salt-file", str(salt), "--check-every", "1", *DAY, "--json",
    )
    assert code == 0, err
    assert json.loads(out)["extension"]["spasmcare"]["deidentified"] is True
    patients = list(read_ndjson(target / "Patient.ndjson"))
    assert patients and all(set(p) <= {"resourceType", "id", "gender"} for p in patients)
    text = "".join(p.read_text() for p in target.glob("*.ndjson"))
    assert "-1-1" not in text and "demo-0001" not in text
