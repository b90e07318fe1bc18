"""The demo clinic: fictional infants from :mod:`spasmcare.demo`, one care team,
and one login per role. Loaded through the same import path as a real record file.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from spasmcare.demo import DemoInfant, demo_clinic
from spasmcare.errors import InputError
from spasmcare.web.clinic import audit
from spasmcare.web.clinic.models import CareTeam, Patient, Role, User
from spasmcare.web.operations.demo_keto import demo_keto_plan

TEAM = "Neurology & ketogenic diet team (demo)"
#: user name -> (role, first name, last name)
LOGINS: dict[str, tuple[str, str, str]] = {
    "neurologist": (Role.NEUROLOGIST, "Nadia", "Neuro (fictional)"),
    "dietitian": (Role.DIETITIAN, "Dara", "Dietitian (fictional)"),
    "nurse": (Role.NURSE, "Noor", "Nurse (fictional)"),
    "family": (Role.FAMILY, "Dev's mother", "(fictional)"),
    "researcher": (Role.RESEARCHER, "Rhys", "Researcher (fictional)"),
    "admin": (Role.ADMIN, "Ada", "Admin (fictional)"),
}

#: Called for each infant after its record is imported: (patient, infant, user) -> None.
#: The course and keto areas register how they turn the demo's course and diet inputs into
#: their saved plans (see ``courses.demo_plans`` and ``views.keto.demo_plan``).
AFTER_IMPORT: list[Callable[[Patient, DemoInfant, User], None]] = []


def demo_password() -> str:
    """``SPASMCARE_DEMO_PASSWORD`` when set, else a fresh random one (printed by the command)."""
    return os.environ.get("SPASMCARE_DEMO_PASSWORD") or secrets.token_urlsafe(9)


#: The demo clinic's phone numbers: fictional, and saying so on every sheet.
DEMO_PHONES = {
    "clinic_name": "Demo Children's Hospital (fictional)",
    "phone": "01632 960001 (fictional demo number)",
    "out_of_hours_phone": "01632 960002 (fictional demo number)",
}


@transaction.atomic
def load_demo_clinic(today: date, password: str, progress: Callable[[str], Any] = print) -> int:
    """Create the team, the six logins and the infants; return the number of infants."""
    team, _ = CareTeam.objects.get_or_create(name=TEAM)
    users: dict[str, User] = {}
    for username, (role, first, last) in LOGINS.items():
        user, _ = User.objects.get_or_create(username=username)
        user.role, user.first_name, user.last_name = role, first, last
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.relationship = "mother" if role == Role.FAMILY else ""
        user.set_password(password)
        user.save()
        if role in (Role.NEUROLOGIST, Role.DIETITIAN, Role.NURSE):
            user.teams.add(team)
        users[username] = user
    from spasmcare.web.clinic import clinic_settings as clinic

    # Fictional numbers (Ofcom's range for drama, 01632 960xxx) so the family sheets print.
    # The blood-pressure limits are left for the clinic to set: the sources give none.
    clinic.save(DEMO_PHONES, users["admin"])
    infants = demo_clinic(today)
    for n, infant in enumerate(infants, 1):
        progress(f"  [{n:2d}/{len(infants)}] {infant.record['patient']['name']}: {infant.story}")
        patient = audit.import_record(infant.record, team, users["admin"])
        if infant.family:
            users["family"].children.add(patient)
        for hook in AFTER_IMPORT:
            hook(patient, infant, users["neurologist"])
    return len(infants)


def attach_course_plans(patient: Patient, infant: DemoInfant, user: User) -> None:
    """Give each demo drug course with a protocol the planner inputs it would have been saved
    with (protocol, start, weight and length on the start day), so the course planner, the
    monitoring checklist and the family's medicine page work for it. Checks of courses that
    ended more than a week ago are ticked as done (the fictional team did its work); the checks
    of recent courses are left for the nurse, so overdue monitoring shows in the demo.
    """
    from datetime import timedelta

    from spasmcare.therapy import load_protocol
    from spasmcare.web.clinic import records
    from spasmcare.web.clinic.models import Entry, Kind
    from spasmcare.web.courses import service as courses

    record = records.load_record(patient)
    growth = sorted(record.growth, key=lambda g: g.day)
    treatments = list(
        Entry.objects.filter(patient=patient, kind=Kind.TREATMENT).order_by("day", "id")
    )
    groups: dict[tuple[str, str], str] = {}
    for entry in treatments:
        data = entry.data
        if not data.get("protocol") or data.get("continues"):
            continue
        start = date.fromisoformat(data["start"])
        before = [g for g in growth if g.day <= start and g.weight_kg] or growth[:1]
        if not before or before[-1].weight_kg is None:
            continue
        lengths = [g.length_cm for g in growth if g.day <= start and g.length_cm]
        group = groups.setdefault((data["protocol"], data["start"]), data["id"])
        inputs = courses.Inputs(
            protocol=data["protocol"],
            version=load_protocol(data["protocol"]).version,
            start=start,
            weight_kg=before[-1].weight_kg,
            length_cm=lengths[-1] if lengths else None,
        )
        inputs = _with_day7_answer(patient, inputs, record, data)
        data = _whole_plan(patient, inputs, data)
        extra = {courses.PLANNER: inputs.to_dict() | {"drug": data["drug"], "group": group}}
        audit.update_entry(entry, entry.version, data, user, extra=extra)
    patient.refresh_from_db()
    today = records.today()
    live = list(Entry.objects.filter(patient=patient, retracted_at__isnull=True))
    saved = courses.saved_courses(live)
    plans = courses.saved_plans(patient, saved)
    for course in saved:
        plan = plans.get(course.group)
        if isinstance(plan, str) or plan is None or plan.end >= today - timedelta(days=7):
            continue
        for row in courses.checklist(course, plan, {}, today):
            if row["status"] == "overdue":
                audit.create_entry(
                    patient,
                    Kind.MONITORING,
                    {
                        "treatment": course.group,
                        "item": row["key"],
                        "due": row["item"].date.isoformat(),
                        "done": row["due"].isoformat(),
                    },
                    user,
                )


def _with_day7_answer(
    patient: Patient, inputs: Any, record: Any, data: dict[str, Any]
) -> Any:
    """The inputs with the day-7 answer the fictional team gave, when the recorded doses
    show they acted on one: a course whose recorded dose changes differ from the plan
    answered 'no' (e.g. raised to 60 mg/day on day 8) was re-planned with the diary's answer
    (:func:`spasmcare.measures.response.spasms_continuing_day7`). Without this the saved plan
    would contradict the doses the record says were given."""
    from spasmcare.measures.response import spasms_continuing_day7
    from spasmcare.therapy import day7_decision_id
    from spasmcare.therapy.course_record import record_treatment
    from spasmcare.web.clinic import records
    from spasmcare.web.courses import service as courses

    decision = day7_decision_id(courses.load(inputs))
    treatment = record.treatment(data["id"])
    if decision is None or treatment is None:
        return inputs
    try:
        as_no = record_treatment(
            courses.build_plan(patient, inputs), data["drug"], data["id"],
            until=treatment.stop or records.today(),
        )
    except InputError:
        return inputs
    given = [(d["start"], float(d["amount"]), d["unit"]) for d in data.get("doses", [])]
    planned = [(d["start"], float(d["amount"]), d["unit"]) for d in (as_no or {}).get("doses", [])]
    answer = spasms_continuing_day7(record, treatment).value
    if given != planned and answer is True:
        return inputs.with_answer(decision, True)
    return inputs


def _whole_plan(patient: Patient, inputs: Any, data: dict[str, Any]) -> dict[str, Any]:
    """A running demo course as the planner saves one: its whole plan (later dose changes,
    taper, planned stop), when the doses recorded so far are the plan's; else as recorded."""
    from spasmcare.therapy.course_record import record_treatment
    from spasmcare.web.clinic import records
    from spasmcare.web.courses import service as courses

    if data.get("stop"):
        return data
    try:
        plan = courses.build_plan(patient, inputs)
        so_far = record_treatment(plan, data["drug"], data["id"], until=records.today())
        whole = record_treatment(plan, data["drug"], data["id"])
    except InputError:
        return data
    given = [(d["start"], float(d["amount"]), d["unit"]) for d in data.get("doses", [])]
    planned = [(d["start"], float(d["amount"]), d["unit"]) for d in (so_far or {}).get("doses", [])]
    if whole is None or given != planned or whole["start"] != data["start"]:
        return data
    return {k: v for k, v in data.items() if k not in whole} | whole


AFTER_IMPORT.append(attach_course_plans)
AFTER_IMPORT.append(demo_keto_plan)
