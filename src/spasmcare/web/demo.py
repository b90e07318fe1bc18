"""The demo clinic: fictional infants from :mod:`spasmcare.record.synthetic`, one care team,
and one login per role. Loaded through the same import path as a real record file.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from spasmcare.record.synthetic import DemoInfant, demo_clinic
from spasmcare.web import audit
from spasmcare.web.models import CareTeam, Patient, Role, User

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
    infants = demo_clinic(today)
    for n, infant in enumerate(infants, 1):
        progress(f"  [{n:2d}/{len(infants)}] {infant.record['patient']['name']}: {infant.story}")
        patient = audit.import_record(infant.record, team, users["admin"])
        if infant.family:
            users["family"].children.add(patient)
        for hook in AFTER_IMPORT:
            hook(patient, infant, users["neurologist"])
    return len(infants)
