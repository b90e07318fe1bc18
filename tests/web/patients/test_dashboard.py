"""The patient dashboard: the day-7 card before the answer, and a patient with no data."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

from spasmcare.web.clinic import audit, records
from spasmcare.web.models import CareTeam, Patient
from tests.web.conftest import example_record


def _text(response: Any) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _on_day(team: CareTeam, course_day: int) -> Patient:
    """A fictional infant on day ``course_day`` of high-dose prednisolone today (8 kg)."""
    today = records.today()
    start = today - timedelta(days=course_day - 1)
    data = example_record()
    data["patient"] = data["patient"] | {
        "id": "dash-1",
        "birth_date": (today - timedelta(days=200)).isoformat(),
        "onset_date": (start - timedelta(days=10)).isoformat(),
    }
    data["growth"] = [{"date": (start - timedelta(days=2)).isoformat(), "weight_kg": 8.0}]
    data["treatments"] = [
        {
            "id": "pred1",
            "drug": "prednisolone",
            "protocol": "prednisolone-high-dose",
            "start": start.isoformat(),
            "doses": [{"start": start.isoformat(), "amount": 40, "unit": "mg/day"}],
        }
    ]
    data["recorded_days"] = [{"from": (start - timedelta(days=7)).isoformat(),
                              "to": today.isoformat()}]
    data["diary"] = [{"at": f"{start.isoformat()}T07:00", "kind": "cluster", "spasms": 9}]
    for key in ("eegs", "labs", "vitals", "adverse_events", "diet_periods"):
        data[key] = []
    return audit.import_record(data, team, None)


def test_day7_card_does_not_state_the_unanswered_branch_as_fact(
    team: CareTeam, client_as: Any
) -> None:
    # day 5 of the course: day 7 is two days ahead, so the question is not answered; the
    # protocol plans it as 'no' (40 mg/day continues to day 14) until it is
    patient = _on_day(team, 5)
    page = _text(client_as("neurologist").get(f"/patients/{patient.pk}/"))
    day7 = page[page.index("Day-7 decision") : page.index("Open the drug-course planner")]
    assert "not yet answered: planned as 'no'" in day7
    assert (
        "Are spasms continuing at day 7? Until it is answered the plan reads: "
        "The 40 mg/day dose continues to day 14." in day7
    )


def test_dashboard_of_a_patient_with_no_data(client_as: Any, team: CareTeam) -> None:
    neurologist = client_as("neurologist")
    response = neurologist.post(
        "/patients/new/",
        {"team": team.pk, "record_id": "new-1", "name": "New Baby (fictional)",
         "birth_date": "2026-06-01", "sex": "female", "gestation_weeks": 40,
         "gestation_days": 0, "etiology_category": "unknown"},
    )
    assert response.status_code == 302
    page = neurologist.get(response["Location"])
    assert page.status_code == 200
    text = _text(page)
    assert "None %" not in text and "0 of 0 days" not in text
    assert "No diary days recorded yet" in text
    assert "chart/timeline.svg" not in page.content.decode()  # an empty chart dated 1970
    assert "chart/growth.svg" not in page.content.decode()
    assert "No growth measurements yet." in text
    assert "None" not in text and "( %)" not in text
    report = neurologist.get(response["Location"] + "report/")
    assert report.status_code == 200
    report_text = _text(report)
    assert "None months" not in report_text and "( %)" not in report_text
    assert "Diary: no entries yet." in report_text
    assert "<img" not in report.content.decode()
