"""Issue 20: a backup taken while writers add diary entries through the audited writer is one
consistent moment of the clinic. The clinic runs in a process of its own on an SQLite file in
WAL mode (as served); three threads write diary entries while the backup is made; the backup
is restored into a fresh database and compared row for row with the source."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from spasmcare.web.models import Entry, Kind, Patient, Revision, User
from spasmcare.web.operations.backup import app_tables, restore

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite files are made and read directly; the PostgreSQL path is the round trip's
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite database files"),
]
SRC = Path(__file__).resolve().parents[3] / "src"
WRITERS = 3

#: The clinic process: WRITERS threads add diary entries (writer w on 20+w November 2026, after
#: the example's diary, one a minute)
#: until each has written 3 after the backup; the backup starts once each has written 3.
CLINIC = f"""
import json, os, sys, threading, time
from pathlib import Path
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "spasmcare.web.settings"
django.setup()
from django.db import connection
from spasmcare.web.clinic import audit
from spasmcare.web.operations.backup import backup
from spasmcare.web.models import Kind, Patient, User

WRITERS = {WRITERS}
written = [0] * WRITERS
after = [None] * WRITERS
failed = []
nurse = User.objects.get(username="nurse")
pk = Patient.objects.get().pk

def write(w):
    try:
        n = 0
        while after[w] is None or n < after[w] + 3:
            item = {{"at": f"2026-11-{{w + 20}}T{{n // 60:02d}}:{{n % 60:02d}}", "kind": "cluster",
                    "spasms": 1 + n % 9, "observer": "mother"}}
            audit.create_entry(Patient.objects.get(pk=pk), Kind.DIARY, item, nurse)
            n += 1
            written[w] = n
    except BaseException as exc:
        failed.append(repr(exc))
        raise
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
for t in threads:
    t.start()
while min(written) < 3 and not failed:
    time.sleep(0.01)
before = list(written)
backup(Path(sys.argv[1]))
after[:] = list(written)
for t in threads:
    t.join()
print(json.dumps({{"before": before, "after": after, "failed": failed}}))
"""


def _rows_file(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    types = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES  # as Django's connection reads
    with sqlite3.connect(path, detect_types=types) as con:
        out = {
            t: [tuple(r) for r in con.execute(f'SELECT * FROM "{t}" ORDER BY 1')]
            for t in app_tables()
        }
    con.close()
    return out


def _rows_live() -> dict[str, list[tuple[Any, ...]]]:
    with connection.cursor() as cur:
        out = {}
        for t in app_tables():
            cur.execute(f'SELECT * FROM "{t}" ORDER BY 1')
            out[t] = [tuple(r) for r in cur.fetchall()]
        return out


def test_a_backup_under_writers_is_one_consistent_moment(
    users: dict[str, User], patient: Patient, tmp_path: Path, settings: Any
) -> None:
    # the clinic's database: this test's (migrated, one patient, six users) as a WAL file
    source_dir, fresh_dir = tmp_path / "source", tmp_path / "fresh"
    source_dir.mkdir()
    fresh_dir.mkdir()
    source = source_dir / "spasmcare.sqlite3"
    with sqlite3.connect(source) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    start_version = patient.data_version

    env = os.environ | {
        "SPASMCARE_DATA_DIR": str(source_dir),
        "SPASMCARE_SECRET_KEY": settings.SECRET_KEY,  # the installation's key signs the backup
        "PYTHONPATH": str(SRC),
    }
    done = subprocess.run(
        [sys.executable, "-c", CLINIC, str(tmp_path / "backup")],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    counts = json.loads(done.stdout)
    assert counts["failed"] == []

    # restored into a fresh, empty clinic
    settings.DATA_DIR = fresh_dir
    call_command("flush", interactive=False, verbosity=0)
    manifest = restore(tmp_path / "backup")
    with connection.cursor() as cur:
        cur.execute("PRAGMA integrity_check")
        assert cur.fetchall() == [("ok",)]
    restored, final = _rows_live(), _rows_file(source)
    assert manifest.rows == {t: len(rows) for t, rows in restored.items()}

    # every row of the backup is the source's row, and the entries and revisions in it are
    # exactly those committed before one moment (ids are given in commit order)
    for table in ("clinic_entry", "clinic_revision"):
        assert restored[table] == final[table][: len(restored[table])], table
    diary = Entry.objects.filter(kind=Kind.DIARY)
    for w in range(WRITERS):
        day = f"2026-11-{w + 20}T"
        mine = sorted(e.data["at"] for e in diary if e.data["at"].startswith(day))
        assert counts["before"][w] <= len(mine) <= counts["after"][w]
        assert mine == [f"{day}{n // 60:02d}:{n % 60:02d}" for n in range(len(mine))]
    # each entry has its revision, and the patient's data version counts every write in it
    for entry in Entry.objects.all():
        versions = sorted(Revision.objects.filter(entry=entry).values_list("version", flat=True))
        assert versions == list(range(1, entry.version + 1))
    added = Entry.objects.filter(kind=Kind.DIARY, day__gte="2026-11-20").count()
    assert Patient.objects.get().data_version == start_version + added
    # the tables the writers do not touch are the source's, row for row
    for table in set(final) - {"clinic_entry", "clinic_revision", "clinic_patient"}:
        assert restored[table] == final[table], table
    # the entries written after the backup are in the source, not in the backup
    assert len(final["clinic_entry"]) - len(restored["clinic_entry"]) >= 3 * WRITERS
