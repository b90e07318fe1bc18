"""The demo clinic's drug courses: the planner inputs it attaches agree with the doses the
demo record says were given."""

from __future__ import annotations

import re
from typing import Any

from spasmcare.demo import DemoInfant, demo_clinic
from spasmcare.web.clinic import audit, records
from spasmcare.web.courses import service as courses
from spasmcare.web.models import CareTeam, Entry, Kind, Patient, User
from spasmcare.web.operations import demo


def _infant(name: str) -> DemoInfant:
    return next(
        i for i in demo_clinic(records.today()) if i.record["patient"]["name"].startswith(name)
    )


def _load(infant: DemoInfant, team: CareTeam, user: User) -> Patient:
    patient = audit.import_record(infant.record, team, None)
    demo.attach_course_plans(patient, infant, user)
    patient.refresh_from_db()
    return patient


def _planner(patient: Patient, group: str) -> dict[str, Any]:
    entry = Entry.objects.get(
        patient=patient, kind=Kind.TREATMENT, retracted_at__isnull=True, data__id=group
    )
    planner: dict[str, Any] = entry.extra[courses.PLANNER]
    return planner


def _text(response: Any) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_an_escalated_demo_course_carries_its_day7_answer(
    team: CareTeam, users: dict[str, User], client_as: Any
) -> None:
    # Ben: prednisolone raised to 60 mg/day on day 8 in the record. Saved with no answer, the
    # plan read 40 mg/day on days 8-14 and the page asked to save it again "no change
    # needed", which would have written 40 mg/day over the 60 mg/day given.
    ben = _load(_infant("Ben Sample"), team, users["neurologist"])
    assert _planner(ben, "pred1")["decisions"] == {"day7_spasms_continuing": True}
    page = _text(client_as("neurologist").get(f"/patients/{ben.pk}/course/", {"course": "pred1"}))
    assert "record behind the plan" not in page
    # the escalated days await the clinic's confirmation of day7-escalation (VERIFY)
    assert "escalated dose 60 mg/day" in page
    given = Entry.objects.get(patient=ben, data__id="pred1").data["doses"]
    assert [d["amount"] for d in given][:2] == [40.0, 60.0]  # the record is left as given


def test_a_course_given_as_planned_keeps_no_answer(
    team: CareTeam, users: dict[str, User], client_as: Any
) -> None:
    # Lia: day 6 of prednisolone, the day-7 decision still ahead -> no answer recorded, and
    # the record agrees with the plan (40 mg/day since day 1: nothing is behind)
    lia = _load(_infant("Lia Placeholder"), team, users["neurologist"])
    assert _planner(lia, "pred1")["decisions"] == {}
    page = _text(client_as("neurologist").get(f"/patients/{lia.pk}/course/", {"course": "pred1"}))
    assert "record behind the plan" not in page
