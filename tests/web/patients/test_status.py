"""One status per patient (issue 19): the patient list, the dashboard, the report (HTML and JSON)
read the same alerts and the same dose in force, so they cannot disagree.

By hand: a UKISS prednisolone course (prednisolone-high-dose v2) started 8 days ago is on day 9;
answered "yes" at day 7 (escalation and its tail confirmed by the clinic), day 8-14 is the
escalated dose 20 mg x 3 = 60 mg/day; the course's last dose is day 29 = start + 28. A reading of
135/90 mmHg yesterday is above the clinic's limits of 110/80 mmHg set for this test (the sources
give none), so ``bp_high`` (urgent).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.urls import reverse

from spasmcare.plain import day_text
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic import clinic_settings as clinic
from spasmcare.web.models import Patient, User
from tests.web.courses.test_course import clinic_dir, save  # noqa: F401  (fixture)


def _kinds_html(html: str) -> list[tuple[str, str]]:
    return sorted(re.findall(r"data-alert=['\"]([a-z_]+)['\"]", html)), html


def test_bp_on_prednisolone_reads_the_same_everywhere(
    client_as: Any, patient: Patient, users: dict[str, User], clinic_dir: Path  # noqa: F811
) -> None:
    today = records.today()
    start = today - timedelta(days=8)
    neurologist = client_as("neurologist")
    saved = save(
        neurologist, patient, start=start.isoformat(), decision_day7_spasms_continuing="yes"
    )
    assert saved.status_code == 302
    clinic.save({"bp_systolic_high_mmhg": 110, "bp_diastolic_high_mmhg": 80}, users["admin"])
    at = f"{(today - timedelta(days=1)).isoformat()}T09:00"
    audit.create_entry(
        patient, "vitals", {"at": at, "systolic_mmhg": 135, "diastolic_mmhg": 90}, users["nurse"]
    )

    (row,) = neurologist.get(reverse("patient_list")).context["rows"]
    listed = sorted((a["kind"], a["message"]) for a in row["alerts"])
    assert ("bp_high", next(m for k, m in listed if k == "bp_high")) in listed
    assert "135/90 mmHg" in next(m for k, m in listed if k == "bp_high")

    dashboard = neurologist.get(reverse("patient_dashboard", args=[patient.pk]))
    shown = sorted((a["kind"], a["message"]) for a in dashboard.context["alerts"])
    assert shown == listed

    report = json.loads(neurologist.get(f"/patients/{patient.pk}/report.json").content)
    assert sorted((a["kind"], a["message"]) for a in report["alerts"]) == listed

    page = neurologist.get(reverse("patient_report", args=[patient.pk])).content.decode()
    kinds, _ = _kinds_html(page.split('<section id="in-force">')[0])
    assert kinds == sorted(k for k, _ in listed)
    assert "No alerts." not in page
    assert "<h2>Blood pressure</h2>" in page and "135/90 mmHg" in page

    # the dose in force, with its amount, the course day and the last dose, everywhere
    last = day_text(start + timedelta(days=28))
    now_on = f"prednisolone 60 mg/day (day 9 of 29, escalated dose 60 mg/day; last dose {last})"
    assert now_on in row["current"]
    assert now_on in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    (course,) = [c for c in report["status"]["courses"] if c["treatment"] == "pred2"]
    assert course["dose"]["amount"] == 60.0 and course["stop"] == (
        start + timedelta(days=28)
    ).isoformat()
    assert course["next_change"] == {
        "start": (start + timedelta(days=14)).isoformat(),
        "amount": 30.0,
        "unit": "mg/day",
        "note": "taper 30 mg/day (after escalation)",
    }
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dashboard.content.decode()))
    assert now_on in text


def test_day7_answer_wins_over_the_diary_measure_on_the_dashboard(
    client_as: Any, patient: Patient, clinic_dir: Path  # noqa: F811
) -> None:
    # issue 19: "not assessable" beside "answered yes"; the recorded answer decides and the
    # diary measure says what it rests on
    start = records.today() - timedelta(days=8)
    neurologist = client_as("neurologist")
    save(neurologist, patient, start=start.isoformat(), decision_day7_spasms_continuing="yes")
    page = neurologist.get(reverse("patient_dashboard", args=[patient.pk]))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    day7 = text[text.index("Day-7 decision") :]
    assert "Are spasms continuing at day 7? answered yes in the saved course" in day7
    assert "The answer saved with the course decides the plan." in day7
    measures = {m["key"]: m["text"] for m in page.context["measures"]}
    assert measures["spasms_continuing_day7"].startswith("answered yes in the saved course")


def test_the_report_states_the_saved_day7_answer_too(
    client_as: Any, patient: Patient, clinic_dir: Path  # noqa: F811
) -> None:
    start = records.today() - timedelta(days=8)
    neurologist = client_as("neurologist")
    save(neurologist, patient, start=start.isoformat(), decision_day7_spasms_continuing="yes")
    page = neurologist.get(reverse("patient_report", args=[patient.pk])).content.decode()
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert (
        "Are spasms continuing at day 7? answered yes in the saved course: Prednisolone 20 mg "
        "three times daily on days 8-14"
    ) in words
    report = json.loads(neurologist.get(f"/patients/{patient.pk}/report.json").content)
    assert report["status"]["decisions"] == [
        {
            "question": "Are spasms continuing at day 7?",
            "day": 7,
            "answer": True,
            "effect": "Prednisolone 20 mg three times daily on days 8-14 (UKISS second week).",
        }
    ]
