"""Issue 20, finding 11: ``demo`` never deletes what it did not make. A demo data directory in
which someone added a patient is kept as it is when the day or SPASMCARE_DEMO_PASSWORD changes,
and the command says so in one line; an untouched demo clinic is still rebuilt."""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from spasmcare.web.base import serving
from spasmcare.web.clinic import audit
from spasmcare.web.management.commands.demo import DB_NAME, not_made, record_made
from spasmcare.web.models import CareTeam, Entry, Role, User
from spasmcare.web.operations import demo
from tests.web.conftest import example_record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite files are made and read directly; the PostgreSQL path is the round trip's
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite database files"),
]


def _save_file(data_dir: Path) -> Path:
    """The test's database written as the data directory's SQLite file (what the demo reads)."""
    path = data_dir / DB_NAME
    path.unlink(missing_ok=True)
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    return path


def _patients(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as con:
        return sorted(r[0] for r in con.execute("SELECT name FROM clinic_patient"))


@pytest.fixture
def demo_dir(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A demo data directory as the demo leaves it: its team, six logins and one infant,
    built today, with what it made recorded."""
    # the demo's six passwords are what is set here, not how they are hashed: a quick hasher
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SPASMCARE_DEMO_PASSWORD", raising=False)
    team = CareTeam.objects.create(name=demo.TEAM)
    for username, (role, _, _) in demo.LOGINS.items():
        user = User.objects.create(username=username, role=role, password="!")
        if role in (Role.NEUROLOGIST, Role.DIETITIAN, Role.NURSE):
            user.teams.add(team)
    infant = example_record()
    infant["patient"]["id"] = "test-demo-infant"  # apart from the demo's own ids
    audit.import_record(infant, team, None)
    settings.DATA_DIR = tmp_path / "demo"
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / "demo-date").write_text(date.today().isoformat())
    (settings.DATA_DIR / "demo-password").write_text("the-first-password")
    _save_file(settings.DATA_DIR)
    record_made(settings.DATA_DIR)
    return Path(settings.DATA_DIR)


def _nurse_adds_a_patient(data_dir: Path) -> None:
    record = example_record()
    record["patient"] |= {"id": "real-0001", "name": "Added By Nurse"}
    nurse = User.objects.get(username="nurse")
    audit.import_record(record, CareTeam.objects.get(name=demo.TEAM), nurse)
    _save_file(data_dir)


def _run_demo() -> list[str]:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue().splitlines()


def test_a_changed_password_keeps_the_patient_a_nurse_added(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _nurse_adds_a_patient(demo_dir)
    monkeypatch.setenv("SPASMCARE_DEMO_PASSWORD", "a-new-demo-password")
    lines = _run_demo()
    assert "Added By Nurse" in _patients(demo_dir / DB_NAME)
    kept = [line for line in lines if line.startswith("Kept the demo clinic")]
    assert len(kept) == 1 and "1 new patient row(s)" in kept[0], lines
    assert "new password" in kept[0]
    # the new password is set on the demo's own logins, nothing else is touched
    assert User.objects.get(username="nurse").check_password("a-new-demo-password")
    assert (demo_dir / "demo-password").read_text() == "a-new-demo-password"
    assert not any(line.startswith("Building") for line in lines)


def test_a_new_day_keeps_the_patient_a_nurse_added(demo_dir: Path) -> None:
    (demo_dir / "demo-date").write_text((date.today() - timedelta(days=1)).isoformat())
    _nurse_adds_a_patient(demo_dir)
    lines = _run_demo()
    assert "Added By Nurse" in _patients(demo_dir / DB_NAME)
    assert sum(line.startswith("Kept the demo clinic") for line in lines) == 1


def test_what_the_demo_did_not_make_is_named(demo_dir: Path) -> None:
    assert not_made(demo_dir) is None
    entry = Entry.objects.first()
    assert entry is not None
    audit.retract_entry(entry, entry.version, "entered twice", User.objects.get(username="nurse"))
    _save_file(demo_dir)
    assert "changed entry rows" in (not_made(demo_dir) or "")
    assert "1 new revision row(s)" in (not_made(demo_dir) or "")
    (demo_dir / "uploads" / "videos").mkdir(parents=True)
    (demo_dir / "uploads" / "videos" / "a.mp4").write_bytes(b"video")
    assert "uploaded files" in (not_made(demo_dir) or "")
    (demo_dir / "uploads" / "videos" / "a.mp4").unlink()
    (demo_dir / "demo-made.json").unlink()
    assert "earlier version" in (not_made(demo_dir) or "")


def test_an_untouched_demo_is_rebuilt(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    monkeypatch.setattr(
        demo, "load_demo_clinic", lambda today, password, progress: built.append(password) or 0
    )
    monkeypatch.setenv("SPASMCARE_DEMO_PASSWORD", "a-new-demo-password")
    lines = _run_demo()
    assert built == ["a-new-demo-password"]
    assert "Building the demo clinic in" in lines[0]
    assert not (demo_dir / DB_NAME).exists()  # the test's database stands in for the new one
    assert json.loads((demo_dir / "demo-made.json").read_text()) == {}


def test_a_served_demo_is_not_rebuilt(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPASMCARE_DEMO_PASSWORD", "a-new-demo-password")
    serving.hold_while_serving(demo_dir)
    try:
        lines = _run_demo()
    finally:
        os.close(serving._HELD.pop())
    assert (demo_dir / DB_NAME).exists()
    assert any(line.startswith("Kept") and "being served" in line for line in lines)
