"""Issue 13: backup and restore of the whole clinic, proved by a round trip that compares every
row of every table and every video file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from spasmcare.errors import InputError
from spasmcare.web.clinic import audit, uploads
from spasmcare.web.models import Entry, Invitation, Kind, Patient, User
from spasmcare.web.operations.backup import app_tables, backup, restore, verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    """A data directory of the test's own (its serving lock, the restore's staging)."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()

HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08mdat"


def _rows_live() -> dict[str, list[tuple[Any, ...]]]:
    with connection.cursor() as cur:
        out = {}
        for t in app_tables():
            cur.execute(f'SELECT * FROM "{t}" ORDER BY 1')  # the key column, on either engine
            out[t] = [tuple(r) for r in cur.fetchall()]
        return out


def _rows_file(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    # read with the column-type converters Django's own connection uses, so values compare alike
    types = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    with sqlite3.connect(path, detect_types=types) as con:
        return {
            t: [tuple(r) for r in con.execute(f'SELECT * FROM "{t}" ORDER BY 1')]
            for t in app_tables()
        }


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _clinic(users: dict[str, User], patient: Patient) -> None:
    """Versions, a retraction, a keto plan, a monitoring tick, a video, family link, invite."""
    growth = Entry.objects.filter(patient=patient, kind=Kind.GROWTH).last()
    assert growth is not None
    audit.update_entry(growth, growth.version, growth.data | {"weight_kg": 7.7}, users["nurse"])
    growth.refresh_from_db()
    audit.retract_entry(growth, growth.version, "weighed with clothes", users["nurse"])
    audit.create_entry(
        patient, Kind.KETO_PLAN, {"start": "2026-08-01", "settings": {"ratio": 3}},
        users["dietitian"], extra={"planner": {"meals": 4}},
    )
    audit.create_entry(
        patient, Kind.MONITORING,
        {"treatment": "pred1", "item": "bp", "due": "2026-06-08", "done": "2026-06-08"},
        users["nurse"],
    )
    uploads.store_video(patient, SimpleUploadedFile("c.mp4", HEAD + bytes(100)), users["family"])
    Invitation.objects.create(
        patient=patient, token_hash="f" * 64, relationship="aunt", created_by=users["nurse"],
        expires_at="2030-01-01T00:00Z",
    )


def test_round_trip_restores_every_row_and_video(
    users: dict[str, User], patient: Patient, tmp_path: Path
) -> None:
    _clinic(users, patient)
    target = tmp_path / "backup"
    manifest = backup(target)
    original = _rows_live()
    media = Path(settings.MEDIA_ROOT)
    videos = _files(media)
    assert len(videos) == 1
    # the snapshot holds exactly the live rows (read directly on SQLite; on PostgreSQL the
    # restore below proves it), the copy exactly the videos
    if connection.vendor == "sqlite":
        assert _rows_file(target / "database.sqlite3") == original
    assert _files(target / "uploads") == videos
    assert manifest.rows["clinic_revision"] == len(original["clinic_revision"]) > 0
    assert all(n == len(original[t]) for t, n in manifest.rows.items())
    assert (target.stat().st_mode & 0o777) == 0o700
    assert verify(target).engine == connection.vendor

    # the clinic changes afterwards, a video is lost; the backup brings it all back
    User.objects.create_user(username="later", password="a-later-password-1")
    for p in media.rglob("*.mp4"):
        p.unlink()
    with pytest.raises(InputError):
        restore(target)  # the database holds a clinic: not without --replace
    restore(target, replace=True)
    assert _rows_live() == original
    assert _files(media) == videos
    assert not User.objects.filter(username="later").exists()


def test_damaged_backup_is_refused(
    users: dict[str, User], patient: Patient, tmp_path: Path
) -> None:
    target = tmp_path / "b"
    call_command("backup", str(target))
    name = verify(target).database  # database.sqlite3 or database.pgdump
    (target / name).write_bytes(b"damaged")
    with pytest.raises(InputError) as err:
        verify(target)
    assert err.value.field == "backup" and err.value.value == name
