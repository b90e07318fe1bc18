"""Issue 19, the neurologist's side, in a real browser: one course, one status, every page.

By hand, from prednisolone-high-dose version 2 (UKISS): a course started 8 days ago is on day 9.
Day 7 answered "yes" gives 20 mg three times daily = 60 mg/day on days 8-14 (SECONDARY); the tail
after it (30, 20, 10 mg/day, 5 days each from day 15) is NOT FOUND and waits for the clinic, here
confirmed on the planner itself. The last dose is day 29 = start + 28.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmcare.plain import day_text
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic import clinic_settings as clinic
from spasmcare.web.models import CareTeam, Entry, Kind, Patient, User
from tests.web.conftest import example_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def new_patient(team: CareTeam, users: dict[str, User]) -> Patient:
    """A new infant: the example record without any course, diet or diary yet."""
    data = example_record()
    data["patient"]["id"] = "new-ukiss-1"
    data["patient"]["name"] = "New Ukiss (fictional)"
    for key in ("treatments", "diet_periods", "doses_given", "adverse_events"):
        data[key] = []
    return audit.import_record(data, team, None)


@pytest.fixture
def empty_clinic_dir(tmp_path: Path, settings: Any) -> Path:
    directory = tmp_path / "protocols"
    directory.mkdir()
    settings.SPASMCARE_PROTOCOLS_DIR = str(directory)
    return directory


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.usefixtures("empty_clinic_dir")
def test_neurologist_plans_ukiss_answers_day7_yes_and_every_page_shows_the_taper(
    web: str, new_patient: Patient, signed_in: Any, shot: Any
) -> None:
    start = records.today() - timedelta(days=8)
    page = signed_in("neurologist")
    page.goto(f"{web}/patients/{new_patient.pk}/course/")
    page.locator('a[href*="protocol=prednisolone-high-dose"]', has_text="Plan").click()
    page.wait_for_load_state()
    page.fill("#id_start", start.isoformat())
    page.fill("#id_weight_kg", "6")
    page.select_option("#id_decision_day7_spasms_continuing", "yes")
    page.get_by_role("button", name="Preview the plan").click()
    page.wait_for_load_state()
    # no detour: the tail is confirmed here, and the course saved in the same step
    page.locator("#confirm-inline input[value='taper-after-escalation']").check()
    page.get_by_role("button", name="Confirm and save the course").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "confirmed by" in main and "saved" in main, main[:500]
    shot(page, "issue19-day7-yes-confirmed-inline")
    entry = Entry.objects.get(patient=new_patient, kind=Kind.TREATMENT, retracted_at=None)
    assert entry.extra["planner"]["weight_kg"] == 6.0  # the form's values were kept

    last = day_text(start + timedelta(days=28))
    taper = day_text(start + timedelta(days=14))
    now_on = f"prednisolone 60 mg/day (day 9 of 29, escalated dose 60 mg/day; last dose {last})"

    page.goto(f"{web}/patients/{new_patient.pk}/")
    in_force = _words(page.locator("section.card", has_text="In force today").inner_text())
    assert now_on in in_force and f"next: 30 mg/day from {taper}" in in_force
    shot(page, "issue19-dashboard-in-force")

    page.goto(f"{web}/patients/")
    row = _words(page.locator("tr", has_text=new_patient.name).inner_text())
    assert now_on in row

    page.goto(f"{web}/patients/{new_patient.pk}/report/")
    report = _words(page.inner_text("body"))
    assert now_on in report and f"next: 30 mg/day from {taper}" in report

    exported = json.loads(page.request.get(f"{web}/patients/{new_patient.pk}/record.json").text())
    (course,) = exported["treatments"]
    assert course["stop"] == (start + timedelta(days=28)).isoformat()
    assert [(d["amount"], d["unit"]) for d in course["doses"]] == [
        (40.0, "mg/day"), (60.0, "mg/day"), (30.0, "mg/day"), (20.0, "mg/day"), (10.0, "mg/day")
    ]
    status = json.loads(page.request.get(f"{web}/patients/{new_patient.pk}/report.json").text())
    assert status["status"]["now_on"] == now_on


def test_nurse_records_a_high_bp_and_the_report_shows_the_dashboards_alert(
    web: str, patient: Patient, users: dict[str, User], signed_in: Any, shot: Any
) -> None:
    # the clinic's own limits for this test (the sources give none): above 110/80 mmHg
    clinic.save({"bp_systolic_high_mmhg": 110, "bp_diastolic_high_mmhg": 80}, users["admin"])
    nurse = signed_in("nurse")
    nurse.goto(f"{web}/patients/{patient.pk}/add/vitals/")
    when = f"{(records.today() - timedelta(days=1)).isoformat()}T09:00"
    nurse.fill("#id_at", when)
    nurse.fill("#id_systolic_mmhg", "135")
    nurse.fill("#id_diastolic_mmhg", "90")
    nurse.locator("main button[type=submit]").first.click()
    nurse.wait_for_load_state()

    page = signed_in("neurologist")
    page.goto(f"{web}/patients/{patient.pk}/")
    dashboard = {
        (el.get_attribute("data-alert"), _words(el.inner_text()))
        for el in page.locator("section[aria-label=Alerts] [data-alert]").all()
    }
    assert any(k == "bp_high" and "135/90 mmHg" in t for k, t in dashboard)
    page.goto(f"{web}/patients/{patient.pk}/report/")
    report = {
        (el.get_attribute("data-alert"), _words(el.inner_text()))
        for el in page.locator("#alerts div.alert[data-alert]").all()
    }
    # the same alerts, the same words (the report adds its date and source around them)
    assert sorted(k for k, _ in report) == sorted(k for k, _ in dashboard)
    for kind, words in dashboard:
        message = words.split(" ", 1)[1].split(" — ")[0]  # the chip word, then the message
        assert any(k == kind and message in t for k, t in report), (kind, message)
    assert "No alerts." not in page.inner_text("body")
    assert "135/90 mmHg" in page.locator("#blood-pressure").inner_text()
    shot(page, "issue19-report-bp-alert")
