"""The developmental outcome on the cohort page and in its CSV (issue 25), worked out by hand
on a small synthetic cohort, with k = 2.

Five boys born at 39+4 weeks, 4 months old at spasm onset (``on(-10)``: 11 days before the
first dose), etiology unknown, no diet (``infant`` of test_cohort):

- P1 prednisolone, born 1 Oct 2025: spasms stop on day 5 (UKISS met); regression at onset;
  sat alone 1 Jun 2026 (8.0 months, inside sitting's 3.8-9.2), stood with help 1 Aug 2026
  (10.0 months, inside 4.8-11.4): 0 late at 12 months; Vineland composite 80 at 12.0 months.
- P2 prednisolone, born 5 Oct 2025: spasms go on (UKISS not met); no regression; sat alone
  1 Aug 2026 (9.9 months, after 9.2: late), "not yet" standing with help on 30 Sep 2026
  (11.8 months, after 11.4: late): 2 late at 12 months; Vineland composite 70.
- V1 vigabatrin, born 2 Oct 2025: UKISS met; plateau at onset; milestones as P1: 0 late;
  Bayley-III cognitive 95 at 12.0 months.
- V2 vigabatrin, born 3 Oct 2025: UKISS not met; no development recorded: outcome unknown.
- A1 tetracosactide, born 4 Oct 2025: alone in its therapy group, which is never generalised,
  so with k = 2 it is suppressed (1 of 5).

By hand, per group: prednisolone — 2 children, UKISS 1 of 2, regression or plateau 1 of 2,
lead time median 11 days (n = 2), at 12 months a milestone late in 1 of 2, Vineland median
(80 + 70) / 2 = 75 (n = 2); vigabatrin — 2 children, UKISS 1 of 2, plateau 1 of 1, lead time
11 (n = 2), late 0 of 1, Bayley-III 95 (n = 1). At 18 and 24 months nobody is old enough
(about 14 months today) and no assessment is near: 0 of 0 and no score.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam, User
from tests.web.research.test_cohort import days, infant

MET = days(-6, 0, 5) | days(1, 4, 2)  # spasm-free from day 5: UKISS (days 13-14) met
GOING_ON = days(-6, 20, 3)  # spasms every day to day 20: UKISS not met


def _milestones(sat: str, stood: str, stood_status: str = "achieved") -> list[dict[str, Any]]:
    return [
        {"milestone": "who-sitting-without-support", "status": "achieved", "date": sat,
         "reported_by": "clinician"},
        {"milestone": "who-standing-with-assistance", "status": stood_status, "date": stood,
         "reported_by": "clinician"},
    ]  # fmt: skip


def _child(pid: str, born: str, drug: str, spasms: dict[int, int], dev: Any) -> dict[str, Any]:
    data = infant(pid, f"Child {pid}", born, (drug,), spasms, (-6, 30), "unknown")
    if dev is not None:
        data["development"] = dev
    return data


@pytest.fixture
def five(team: CareTeam, settings: Any) -> None:
    settings.SPASMCARE_COHORT_K = 2
    children = [
        _child("p1", "2025-10-01", "prednisolone", MET, {
            "at_diagnosis": {"course": "regression"},
            "milestones": _milestones("2026-06-01", "2026-08-01"),
            "assessments": [{"instrument": "vineland", "date": "2026-10-01",
                             "scores": {"composite": 80}}],
        }),
        _child("p2", "2025-10-05", "prednisolone", GOING_ON, {
            "at_diagnosis": {"course": "none"},
            "milestones": _milestones("2026-08-01", "2026-09-30", "not-yet"),
            "assessments": [{"instrument": "vineland", "date": "2026-10-05",
                             "scores": {"composite": 70}}],
        }),
        _child("v1", "2025-10-02", "vigabatrin", MET, {
            "at_diagnosis": {"course": "plateau"},
            "milestones": _milestones("2026-06-01", "2026-08-01"),
            "assessments": [{"instrument": "bayley-3", "date": "2026-10-02",
                             "scores": {"cognitive": 95}}],
        }),
        _child("v2", "2025-10-03", "vigabatrin", GOING_ON, None),
        _child("a1", "2025-10-04", "tetracosactide", MET, {
            "at_diagnosis": {"course": "regression"},
        }),
    ]  # fmt: skip
    for data in children:
        audit.import_record(data, team, None)


@pytest.fixture
def researcher(db: Any) -> Client:
    client = Client()
    client.force_login(User.objects.create(username="res", role="researcher"))
    return client


def test_the_outcome_table_by_hand_with_a_group_below_k_suppressed(
    researcher: Client, five: None
) -> None:
    response = researcher.get("/cohort/")
    d = response.context["development"]
    assert d["release"]["k"] == 2
    assert (d["release"]["suppressed"], d["release"]["total"]) == (1, 5)
    groups = {g["therapy"]: g for g in d["groups"]}
    assert set(groups) == {"prednisolone", "vigabatrin"}  # acth/tetracosactide suppressed
    pred, vgb = groups["prednisolone"], groups["vigabatrin"]
    assert (pred["children"], pred["ukiss"], pred["onset"], pred["lead"]) == (
        2, "1 of 2", "1 of 2", "11 (n = 2)"
    )
    assert (vgb["children"], vgb["ukiss"], vgb["onset"], vgb["lead"]) == (
        2, "1 of 2", "1 of 1", "11 (n = 2)"
    )
    by_month = {p["months"]: p for p in pred["points"]}
    assert by_month[12] == {"months": 12, "late": "1 of 2", "vineland": "75 (n = 2)",
                            "bayley": "—"}  # fmt: skip
    assert by_month[18] == by_month[24] | {"months": 18} == {
        "months": 18, "late": "0 of 0", "vineland": "—", "bayley": "—"
    }  # fmt: skip
    v12 = vgb["points"][0]
    assert (v12["late"], v12["vineland"], v12["bayley"]) == ("0 of 1", "—", "95 (n = 1)")
    html = response.content.decode()
    assert "Developmental outcome by first-line therapy, diet and etiology" in html
    assert "1 of 5 children in groups smaller than 2 suppressed" in html
    assert "acth/tetracosactide" not in html.split('id="development-h"')[1].split("</section>")[0]


def test_the_outcome_csv_holds_the_released_rows(researcher: Client, five: None) -> None:
    text = researcher.get("/cohort-development.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4 and {r["therapy"] for r in rows} == {"prednisolone", "vigabatrin"}
    assert {r["lead_time_days"] for r in rows} == {"11"}
    pred = sorted(r["vineland_composite_12m"] for r in rows if r["therapy"] == "prednisolone")
    assert pred == ["70", "80"]
    assert sorted(r["who_late_12m"] for r in rows) == ["", "0", "0", "2"]
    assert sorted(r["development_at_onset"] for r in rows) == ["", "none", "plateau", "regression"]
    # no name, record id or birth date leaves
    assert "Child" not in text and "2025-10" not in text
    grouped = list(
        csv.DictReader(io.StringIO(researcher.get("/cohort-development.csv?table=1").content.decode()))
    )
    assert [(g["therapy"], g["children"], g["vineland_median_12m"]) for g in grouped] == [
        ("prednisolone", "2", "75.0"),
        ("vigabatrin", "2", ""),
    ]
