"""Fixtures for the clinic app: a care team, one user per role, the example infant."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from spasmcare.web.clinic import audit
from spasmcare.web.models import ROLE_LABELS, CareTeam, Patient, User

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"
PASSWORD = "a-long-test-password-1"


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # an empty clinic protocols directory (bundled protocols only), never the data dir's own
    settings.SPASMCARE_PROTOCOLS_DIR = tmp_path / "bundled-only-protocols"
    settings.SPASMCARE_PROTOCOLS_DIR.mkdir()
    from django.core.cache import cache

    from spasmcare.web.clinic import computed

    cache.clear()
    # each test's database is rolled back and its ids used again: no computed view carries over
    computed.forget_local()


@pytest.fixture
def team(db: Any) -> CareTeam:
    return CareTeam.objects.create(name="Neurology A")


@pytest.fixture
def other_team(db: Any) -> CareTeam:
    return CareTeam.objects.create(name="Neurology B")


def example_record() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return data


@pytest.fixture
def patient(team: CareTeam) -> Patient:
    return audit.import_record(example_record(), team, None)


@functools.cache
def password_hash() -> str:
    """PASSWORD under the app's real hasher (PBKDF2), computed once per test run: hashing it
    for six users in every test cost more than the tests themselves."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


@pytest.fixture
def users(team: CareTeam, patient: Patient) -> dict[str, User]:
    out = {}
    for role, label in ROLE_LABELS.items():
        user = User.objects.create(
            username=role, password=password_hash(), role=role, first_name=label
        )
        if role in ("neurologist", "dietitian", "nurse"):
            user.teams.add(team)
        if role == "family":
            user.children.add(patient)
            user.relationship = "mother"
            user.save()
        if role == "admin":
            user.is_staff = user.is_superuser = True
            user.save()
        out[role] = user
    return out


@pytest.fixture
def client_as(users: dict[str, User]) -> Any:
    """``client_as("nurse")``: a test client signed in with that role."""

    def make(role: str) -> Client:
        c = Client()
        c.force_login(users[role])
        return c

    return make


@pytest.fixture
def phones(db: Any) -> dict[str, str]:
    """The clinic's phone numbers set (fictional), as the family sheets require."""
    from spasmcare.web.clinic import clinic_settings as clinic

    values = {"phone": "01632 960111", "out_of_hours_phone": "01632 960222"}
    clinic.save(values, None)
    return values
