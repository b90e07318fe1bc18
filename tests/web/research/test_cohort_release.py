"""The cohort page and its CSV agree and release no group smaller than k (issue 19).

A small synthetic cohort built by hand: the example infant (prednisolone, the ``patient``
fixture behind every login) and five boys on prednisolone and two on vigabatrin, born at
39+4 weeks, onset 10 days before treatment day 1, etiology unknown (``infant`` in
test_cohort). With k = 5 no row may be suppressed before generalising (10 % of 8 rows is
0 rows), so Datafly withholds the quasi-identifiers in turn; the therapy group is never
generalised, so the two vigabatrin rows stay a group of 2 < 5 and are suppressed: the page
and the CSV show the six prednisolone rows only, and the page says 2 were suppressed.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam
from tests.web.research.test_cohort import days, infant


@pytest.fixture
def eight(team: CareTeam, settings: Any) -> None:
    settings.SPASMCARE_COHORT_K = 5
    births = ("2025-10-01", "2025-10-20", "2025-11-09", "2025-12-02", "2026-01-05")
    for i, born in enumerate(births):
        audit.import_record(
            infant(f"pred-{i}", f"Pred Testcase {i}", born, ("prednisolone",),
                   days(-6, i + 1, 3), (-6, 30), "unknown"),
            team, None,
        )  # fmt: skip
    for i, born in enumerate(("2025-10-11", "2025-12-24")):
        audit.import_record(
            infant(f"vgb-{i}", f"Vgb Testcase {i}", born, ("vigabatrin",),
                   days(-6, 3, 4), (-6, 30), "unknown"),
            team, None,
        )  # fmt: skip


def _csv(client: Any, query: str = "") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(client.get("/cohort.csv" + query).content.decode())))


def test_groups_smaller_than_k_are_suppressed_on_page_and_csv(
    client_as: Any, eight: None
) -> None:
    c = client_as("researcher")
    response = c.get("/cohort/")
    ctx = response.context
    table = _csv(c)
    # the CSV: six prednisolone rows, no vigabatrin row
    assert len(table) == 6 and {r["therapy"] for r in table} == {"prednisolone"}
    # the page counts what the CSV holds: 6 shown, 2 suppressed, and says so
    assert ctx["n"] == 6 and ctx["release"].suppressed == 2 and ctx["release"].total == 8
    assert [(r["group"], r["total"]) for r in ctx["counts"]["rows"]] == [("prednisolone", 6)]
    assert ctx["counts"]["total"] == 6 and sum(ctx["counts"]["totals"]) == 6
    html = response.content.decode()
    assert "<b>2</b> patients in groups smaller than 5 are suppressed" in html
    # no rate, median or curve of the suppressed group
    for m in ctx["rates"]:
        assert [g["group"] for g in m["groups"]] == ["prednisolone"]
        assert m["all"]["n"] == 6
    assert [g["group"] for g in ctx["km"]["groups"]] == ["prednisolone"]
    assert "vigabatrin" not in html.split('id="counts-h"')[1].split("Definitions")[0].replace(
        "Hormonal treatment with or without vigabatrin", ""
    ).replace("hormone+vigabatrin", "")


def test_page_numbers_equal_csv_numbers(client_as: Any, eight: None) -> None:
    c = client_as("neurologist")
    ctx = c.get("/cohort/").context
    table = _csv(c)
    # every rate's counts are the CSV's counts of the same column
    for m in ctx["rates"]:
        column = [r[f"{m['key']}_favourable"] for r in table]
        cell = m["groups"][0]
        assert (cell["n"], cell["favourable"], cell["unfavourable"], cell["unknown"]) == (
            len(column), column.count("true"), column.count("false"), column.count("")
        ), m["key"]
    # the counts table: one cell per etiology column shown, adding up to the CSV rows
    row = ctx["counts"]["rows"][0]
    assert sum(row["cells"]) == row["total"] == len(table)
    etiologies = {r["etiology"] for r in table}
    assert [e["key"] for e in ctx["counts"]["etiologies"]] == sorted(etiologies)
    # the Kaplan-Meier group counts the CSV rows with a time
    km = ctx["km"]["groups"][0]
    assert km["n"] == sum(1 for r in table if r["cessation_days"] != "")
    assert km["events"] == sum(1 for r in table if r["cessation_event"] == "true")


def test_baselines_are_released_at_the_stated_precision(client_as: Any, eight: None) -> None:
    table = _csv(client_as("researcher"))
    # built: 3 spasms on each of the 7 baseline days -> 3.0 spasms/day; the example infant:
    # 251 spasms over 7 days = 35.857142... -> 35.9 (never 15 decimals)
    assert {r["baseline_spasms_per_day"] for r in table} == {"3.0", "35.9"}
    for r in table:
        assert len(r["percent_change_days_8_14"].lstrip("-")) <= 3, r["percent_change_days_8_14"]
    html = client_as("researcher").get("/cohort/").content.decode()
    assert "Baseline spasms/day are rounded to 1 decimal" in html
