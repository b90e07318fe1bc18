"""Issue 20 #6 through the web: the cohort CSV and the REDCap zip carry coded drugs and no
cell a spreadsheet would run as a formula, whatever was typed as a drug's name."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from spasmcare.csvsafe import FORMULA_STARTS, is_number
from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam
from tests.web.conftest import example_record


def _formula_cells(text: str) -> list[str]:
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    return [c for c in cells if c.startswith(FORMULA_STARTS) and not is_number(c)]


def test_cohort_csv_and_redcap_zip_are_safe(
    client_as: Any, team: CareTeam, settings: Any
) -> None:
    data = example_record()
    data["patient"]["id"] = "hostile-0001"
    for t in data.get("treatments", []):
        t["drug"] = "-1-1 =HYPERLINK(x)"
    audit.import_record(data, team, None)
    settings.SPASMCARE_COHORT_K = 1  # release every row
    researcher = client_as("researcher")
    text = researcher.get("/cohort.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2  # the example infant and this one
    assert {r["first_line_drugs"] for r in rows} == {"prednisolone", "other"}
    assert "-1-1" not in text and "HYPERLINK" not in text and not _formula_cells(text)
    files = zipfile.ZipFile(io.BytesIO(researcher.get("/cohort-redcap.zip").content))
    for name in ("redcap_import.csv", "redcap_dictionary.csv"):
        part = files.read(name).decode()
        assert "-1-1" not in part and not _formula_cells(part)
