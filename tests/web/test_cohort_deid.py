"""Issue 13: the cohort page and CSV are k-anonymous (k = SPASMCARE_COHORT_K, default 5)."""

from __future__ import annotations

import csv
import io
from typing import Any

from spasmcare.measures.deid import quasi_identifier_groups
from tests.web.test_cohort import cohort_patients  # noqa: F401  (fixture)


def test_page_and_csv_leave_out_groups_smaller_than_k(
    client_as: Any, cohort_patients: Any, settings: Any  # noqa: F811
) -> None:
    assert settings.SPASMCARE_COHORT_K == 5
    c = client_as("researcher")
    table = list(csv.DictReader(io.StringIO(c.get("/cohort.csv").content.decode())))
    # five boys born at 39+4 weeks, onset 10 days before treatment at different ages, four
    # etiologies: only generalising etiology (and onset age) away makes one group of five
    assert len(table) == 5
    assert min(quasi_identifier_groups(table).values()) >= 5
    page = c.get("/cohort/")
    release = page.context["release"]
    assert release.k == 5 and release.suppressed == 0
    assert "5-anonymity" in page.content.decode()
    settings.SPASMCARE_COHORT_K = 6  # more than the five patients: nothing can be shown
    assert len(list(csv.DictReader(io.StringIO(c.get("/cohort.csv").content.decode())))) == 0
    page = c.get("/cohort/")
    assert page.context["n"] == 0 and page.context["release"].suppressed == 5
