"""The de-identified cohort page and CSV: counts, response rates, Kaplan-Meier steps worked out
by hand, pseudonyms, de-identification, filters, unreadable records, access and query counts.

The cohort: the example infant (``patient`` fixture) and four infants built from it below.
Treatment day 1 is the start date; ``cessation_days`` counts days from the start date (day 0),
so cessation on treatment day n is n - 1 days.
"""

from __future__ import annotations

import base64
import csv
import io
import math
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from statistics import NormalDist
from typing import Any

import pytest
from django.core.cache import cache

from spasmcare.measures.cohort import pseudonym
from spasmcare.web.clinic import audit, records
from spasmcare.web.models import CareTeam, Entry, Patient
from spasmcare.web.research.cohorts import build_cohort, cohort_salt
from tests.web.conftest import example_record


@pytest.fixture(autouse=True)
def _no_suppression(settings: Any) -> None:
    """These tests check the measures on five hand-built infants whose quasi-identifiers differ
    (k = 1: generalisation only); k-anonymity itself is tested in ``test_cohort_deid.py`` and
    ``tests/measures/test_deid.py``."""
    settings.SPASMCARE_COHORT_K = 1


START = date(2026, 3, 2)  # treatment day 1 of the hand-built infants


def on(n: int) -> date:
    """The date of treatment day ``n`` (day 1 = START; day 0 = the day before)."""
    return START + timedelta(days=n - 1)


def infant(
    pid: str,
    name: str,
    birth: str,
    drugs: tuple[str, ...],
    spasms: dict[int, int],
    recorded: tuple[int, int],
    etiology: str,
) -> dict[str, Any]:
    """The example record with its own patient, etiology, drugs (all started on day 1) and
    diary: ``spasms`` maps a treatment day to the spasms counted that day, ``recorded`` the
    first and last recorded treatment day (every day between observed)."""
    data = example_record()
    for section in ("diet_periods", "eegs", "growth", "labs", "vitals", "adverse_events"):
        data.pop(section, None)
    data["patient"] = {
        "id": pid,
        "name": name,
        "birth_date": birth,
        "sex": "male",
        "gestation_weeks": 39,
        "gestation_days": 4,
        "onset_date": on(-10).isoformat(),
    }
    data["etiology"] = {"category": etiology, "detail": f"{name}'s own story"}
    data["treatments"] = [
        {
            "id": f"{pid}-t{i}",
            "drug": drug,
            "start": START.isoformat(),
            "doses": [{"start": START.isoformat(), "amount": 40, "unit": "mg/day"}],
        }
        for i, drug in enumerate(drugs)
    ]
    data["diary"] = [
        {"at": f"{on(n).isoformat()}T07:00", "kind": "cluster", "spasms": count}
        for n, count in sorted(spasms.items())
    ]
    data["recorded_days"] = [
        {"from": on(recorded[0]).isoformat(), "to": on(recorded[1]).isoformat()}
    ]
    return data


def days(first: int, last: int, count: int) -> dict[int, int]:
    return dict.fromkeys(range(first, last + 1), count)


# Alder: prednisolone; 5/day on days -6..0, 2/day on days 1-4, then spasm-free to day 30.
#   Cessation on day 5 (days 5-11 spasm-free) -> 4 days, event. UKISS (days 13-14): met.
ALDER = infant(
    "alder-77", "Alder Testcase", "2025-10-03", ("prednisolone",),
    days(-6, 0, 5) | days(1, 4, 2), (-6, 30), "genetic",
)
# Birch: prednisolone; 3 spasms every day 1-20, diary ends on day 20.
#   No 7-day run: censored at the last diary day minus 6 days = (day 20 - day 1) - 6 = 13.
#   UKISS: not met (unfavourable).
BIRCH = infant(
    "birch-78", "Birch Testcase", "2025-09-14", ("prednisolone",),
    days(-6, 20, 3), (-6, 20), "unknown",
)
# Cedar: vigabatrin, TSC; spasms days 1-9, spasm-free days 10-40.
#   Cessation on day 10 -> 9 days, event. UKISS: met.
CEDAR = infant(
    "cedar-79", "Cedar Testcase", "2025-11-20", ("vigabatrin",),
    days(-6, 9, 4), (-6, 40), "tsc",
)
# Damson: prednisolone + vigabatrin on the same day, structural; recorded days 1-12 only,
#   spasms on days 1-2. Cessation on day 3 -> 2 days, event. UKISS: days 13-14 unrecorded ->
#   unknown (never counted as unfavourable).
DAMSON = infant(
    "damson-80", "Damson Testcase", "2025-08-30", ("prednisolone", "vigabatrin"),
    days(1, 2, 6), (1, 12), "structural",
)
BUILT = (ALDER, BIRCH, CEDAR, DAMSON)
# The example infant (fixture ``patient``): prednisolone from 2026-06-01, vigabatrin later
# (not first-line); spasm-free from day 10 -> 9 days, event; UKISS met (tests/report).


@pytest.fixture
def cohort_patients(team: CareTeam, other_team: CareTeam, patient: Patient) -> list[Patient]:
    """The example infant plus the four above; Cedar in another care team (the cohort spans
    every team)."""
    made = [
        audit.import_record(data, other_team if data is CEDAR else team, None) for data in BUILT
    ]
    return [patient, *made]


def page(client: Any, query: str = "") -> Any:
    response = client.get("/cohort/" + query)
    assert response.status_code == 200
    return response


def test_counts_by_therapy_group_and_etiology(client_as: Any, cohort_patients: Any) -> None:
    response = page(client_as("researcher"))
    counts = response.context["counts"]
    # prednisolone: example (unknown), Alder (genetic), Birch (unknown); vigabatrin: Cedar
    # (tsc); hormone+vigabatrin: Damson (structural). Columns in the record's category order.
    assert [e["key"] for e in counts["etiologies"]] == ["tsc", "structural", "genetic", "unknown"]
    assert [(r["group"], r["cells"], r["total"]) for r in counts["rows"]] == [
        ("prednisolone", [0, 0, 1, 2], 3),
        ("vigabatrin", [1, 0, 0, 0], 1),
        ("hormone+vigabatrin", [0, 1, 0, 0], 1),
    ]
    assert counts["totals"] == [1, 1, 1, 2] and counts["total"] == 5
    assert response.context["patients"] == 5 and response.context["n"] == 5


def test_response_rate_fractions(client_as: Any, cohort_patients: Any) -> None:
    response = page(client_as("neurologist"))
    ukiss = next(m for m in response.context["rates"] if m["key"] == "ukiss_response")
    by_group = {g["group"]: g for g in ukiss["groups"]}
    # prednisolone: example met, Alder met, Birch not met -> 2 of 3 known = 66.7 %
    pred = by_group["prednisolone"]
    assert (pred["n"], pred["favourable"], pred["unfavourable"], pred["unknown"]) == (3, 2, 1, 0)
    assert (pred["fraction"], pred["percent"]) == ("2/3", "66.7 %")
    # hormone+vigabatrin: Damson's days 13-14 unrecorded -> unknown, no rate
    combo = by_group["hormone+vigabatrin"]
    assert (combo["unknown"], combo["known"], combo["percent"]) == (1, 0, "—")
    # all: favourable example, Alder, Cedar; unfavourable Birch; unknown Damson -> 3/4 = 75.0 %
    assert (ukiss["all"]["fraction"], ukiss["all"]["percent"], ukiss["all"]["unknown"]) == (
        "3/4",
        "75.0 %",
        1,
    )
    html = response.content.decode()
    assert "66.7 % <span class=\"muted\">(2/3)</span>" in html
    assert "Lux 2004 (UKISS)" in html  # the measure's source beside the rate


def test_kaplan_meier_steps_by_hand(client_as: Any, cohort_patients: Any) -> None:
    response = page(client_as("dietitian"))
    groups = {g["group"]: g for g in response.context["km"]["groups"]}
    pred = groups["prednisolone"]
    # prednisolone times: Alder 4 (event), example 9 (event), Birch 13 (censored).
    # Day 4: n = 3, d = 1: S = 2/3; Greenwood V = 1/(3·2) = 1/6.
    # Day 9: n = 2, d = 1: S = 2/3 · 1/2 = 1/3; V = 1/6 + 1/(2·1) = 2/3.
    # Day 13: n = 1, censored: S stays 1/3, same interval.
    # Log-log interval: a = z √V / |ln S|, lower = S^exp(a), upper = S^exp(-a).
    z = NormalDist().inv_cdf(0.975)

    def ci(s: float, v: float) -> str:
        a = z * math.sqrt(v) / abs(math.log(s))
        return f"{s ** math.exp(a):.3f} to {s ** math.exp(-a):.3f}"

    assert ci(2 / 3, 1 / 6) == "0.054 to 0.945"  # the hand values, to 3 decimals
    assert pred["steps"] == [
        {"day": "4", "at_risk": 3, "events": 1, "censored": 0, "survival": "0.667",
         "ci": ci(2 / 3, 1 / 6)},
        {"day": "9", "at_risk": 2, "events": 1, "censored": 0, "survival": "0.333",
         "ci": ci(1 / 3, 2 / 3)},
        {"day": "13", "at_risk": 1, "events": 0, "censored": 1, "survival": "0.333",
         "ci": ci(1 / 3, 2 / 3)},
    ]  # fmt: skip
    # Median: the first day with S <= 0.5 = day 9.
    assert (pred["n"], pred["events"], pred["censored"], pred["median"]) == (3, 2, 1, "9")
    # One-patient groups: Cedar ceases on day 10 (9 days), Damson on day 3 (2 days): S = 0,
    # no interval; median = that day.
    assert groups["vigabatrin"]["steps"][0] | {} == {
        "day": "9", "at_risk": 1, "events": 1, "censored": 0, "survival": "0.000", "ci": "—"
    }
    assert groups["hormone+vigabatrin"]["median"] == "2"
    html = response.content.decode()
    assert response.context["km"]["chart"].startswith("data:image/svg+xml;base64,")
    assert '<img class="chart" src="data:image/svg+xml;base64,' in html
    # the chart draws one survival line per group, a tick per censored time, a legend per group
    image = ET.fromstring(base64.b64decode(response.context["km"]["chart"].split(",", 1)[1]))
    ns = "{http://www.w3.org/2000/svg}"
    drawn = [g for g in groups.values() if g["steps"]]
    lines = [e for e in image.iter(ns + "polyline") if e.get("class") == "survival"]
    ticks = [e for e in image.iter(ns + "line") if e.get("class") == "censored"]
    legend = [e.text for e in image.iter(ns + "text") if e.get("class") == "legend"]
    assert len(lines) == len(drawn)
    assert len(ticks) == sum(1 for g in drawn for s in g["steps"] if s["censored"])
    assert legend[0] == "prednisolone (n = 3, median 9 days)"
    assert "censored at the last diary day minus 6 days" in html  # the definition shown


def test_csv_is_de_identified(client_as: Any, cohort_patients: list[Patient]) -> None:
    response = client_as("researcher").get("/cohort.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = records.today().isoformat()  # the clinic's local date
    assert response["Content-Disposition"] == (
        f'attachment; filename="spasmcare-cohort-{today}.csv"'
    )
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    for p in cohort_patients:
        for secret in (p.name, p.name.split()[0], p.record_id, p.birth_date.isoformat()):
            assert secret not in text, secret
        assert p.etiology_detail not in text
    salt = cohort_salt()
    keys = {pseudonym(p.record_id, salt) for p in cohort_patients}
    assert {r["key"] for r in rows} == keys
    alder = next(r for r in rows if r["key"] == pseudonym("alder-77", salt))
    assert (alder["therapy"], alder["cessation_days"], alder["cessation_event"]) == (
        "prednisolone",
        "4",
        "true",
    )
    # The page itself names no patient either.
    html = page(client_as("researcher")).content.decode()
    for p in cohort_patients:
        assert p.name not in html and p.record_id not in html


def test_pseudonyms_depend_on_the_secret_key(settings: Any, cohort_patients: Any) -> None:
    first = cohort_salt()
    assert len(first) == 64 and settings.SECRET_KEY not in first
    assert cohort_salt() == first  # stable for the installation
    settings.SECRET_KEY = "another-installation-secret-key-0123456789"
    assert cohort_salt() != first
    assert pseudonym("alder-77", cohort_salt()) != pseudonym("alder-77", first)


def test_filters(client_as: Any, cohort_patients: Any) -> None:
    client = client_as("neurologist")
    assert page(client, "?etiology=unknown").context["n"] == 2  # example, Birch
    response = page(client, "?therapy=hormone%2Bvigabatrin")
    assert response.context["n"] == 1
    assert [r["group"] for r in response.context["counts"]["rows"]] == ["hormone+vigabatrin"]
    # The CSV follows the same filters.
    text = client.get("/cohort.csv?therapy=prednisolone&etiology=unknown").content.decode()
    assert len(list(csv.DictReader(io.StringIO(text)))) == 2
    # A value outside the choices: named, the accepted ones listed, the filter not applied.
    response = page(client, "?therapy=steroids")
    assert response.context["n"] == 5
    html = response.content.decode()
    assert "steroids is not accepted: choose one of prednisolone, acth/tetracosactide" in html


def test_unreadable_record_is_listed_by_pseudonym(
    client_as: Any, cohort_patients: list[Patient]
) -> None:
    # A stored item that no longer passes the record check (written around the audit layer,
    # as an older version of the app might have left it).
    birch = next(p for p in cohort_patients if p.record_id == "birch-78")
    entry = Entry.objects.filter(patient=birch, kind="diary").first()
    assert entry is not None
    Entry.objects.filter(pk=entry.pk).update(data=entry.data | {"spasms": -2})
    cache.clear()
    response = page(client_as("researcher"))
    key = pseudonym("birch-78", cohort_salt())
    assert response.context["unreadable"] == [key]
    assert response.context["readable"] == 4 and response.context["patients"] == 5
    html = response.content.decode()
    assert f"<code>{key}</code>" in html and "Birch" not in html


def test_retracted_patients_are_left_out(cohort_patients: list[Patient]) -> None:
    from django.utils import timezone

    Patient.objects.filter(record_id="cedar-79").update(retracted_at=timezone.now())
    cohort = build_cohort(date(2026, 11, 21))
    assert cohort["patients"] == 4 and len(cohort["rows"]) == 4
    assert pseudonym("cedar-79", cohort_salt()) not in {r["key"] for r in cohort["rows"]}


def test_access_researcher_sees_cohort_not_patients(
    client_as: Any, cohort_patients: list[Patient]
) -> None:
    researcher = client_as("researcher")
    assert researcher.get("/cohort/").status_code == 200
    assert researcher.get("/cohort.csv").status_code == 200
    assert researcher.get(f"/patients/{cohort_patients[0].pk}/").status_code == 403
    assert client_as("nurse").get("/cohort/").status_code == 403
    assert client_as("family").get("/cohort.csv").status_code == 403


def test_query_count_does_not_grow_with_patients(
    client_as: Any, team: CareTeam, cohort_patients: list[Patient],
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    client = client_as("researcher")
    # session, user, live patients, stored summaries, the entries of the patients to compute,
    # the clinic settings (summary stamp and the page's setup notice), and the upsert of their
    # summaries (savepoint, insert, release)
    with django_assert_max_num_queries(10):
        page(client)
    with django_assert_max_num_queries(3):  # the process's cached result: no summary query
        page(client)
    cache.clear()  # as another worker process sees it: the stored summaries, no entry query
    with django_assert_max_num_queries(5) as queries:  # + the clinic settings row
        page(client)
    assert not any("clinic_entry" in q["sql"] for q in queries.captured_queries)
    for i in range(6):
        data = infant(
            f"extra-{i}", f"Extra Testcase {i}", "2025-10-01", ("vigabatrin",),
            days(-6, i, 2), (-6, 30), "unknown",
        )  # fmt: skip
        audit.import_record(data, team, None)
    cache.clear()
    with django_assert_max_num_queries(10):
        response = page(client)
    assert response.context["n"] == 11
    assert response.context["counts"]["rows"][1] == {
        "group": "vigabatrin", "cells": [1, 0, 0, 6], "total": 7
    }  # fmt: skip
