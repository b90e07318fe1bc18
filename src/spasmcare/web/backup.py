"""Backup and restore of the whole clinic: ``python -m spasmcare.web backup`` / ``restore``.

A backup is a private directory (0700, files 0600) holding:

- ``database.sqlite3`` (SQLite) made with SQLite's online backup API, or ``database.pgdump``
  (PostgreSQL) made by ``pg_dump --format=custom``: either is one consistent snapshot of every
  table — every version and retraction, plans, monitoring ticks, planner inputs, users, teams,
  family links, invitations and the login log — taken while the app keeps running;
- ``uploads/``: the diary videos, copied *after* the snapshot (a video file is written before
  the row that names it, and never deleted, so every video the snapshot names is there);
- ``protocols/``: the clinic's protocol copies and confirmations;
- ``manifest.json``: when, which database engine, rows per table, and the SHA-256 of every
  file, so :func:`verify` can tell a damaged backup before a restore uses it.

The secret key is not in the backup (it signs sessions and seeds cohort pseudonyms): keep it
with the installation's configuration; restored on another installation, the clinic's data is
whole and only the cohort pseudonyms differ.

:func:`restore` writes a backup into the configured database and data directory. It refuses a
database that already holds a clinic unless told to replace it; stop the app first.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection

from spasmcare.errors import InputError
from spasmcare.web.files import make_private

MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def app_tables() -> list[str]:
    """Every table of the installed apps (clinic, users, sessions...), sorted."""
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)})


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cur:
        out = {}
        for table in app_tables():
            cur.execute(f'SELECT COUNT(*) FROM "{table}"')  # names from the models, not input
            out[table] = int(cur.fetchone()[0])
        return out


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    env = os.environ | {"PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = [
        "--host", str(db.get("HOST") or "127.0.0.1"),
        "--port", str(db.get("PORT") or 5432),
        "--username", str(db.get("USER") or ""),
    ]
    return args, env


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True, symlinks=False)


def backup(target: Path) -> dict[str, Any]:
    """Write a backup of the running clinic into the new directory ``target``; return the
    manifest."""
    if target.exists() and any(target.iterdir()):
        raise InputError("target", str(target), "a new or empty directory for the backup")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    vendor = connection.vendor
    counts = _row_counts()
    if vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(target / "database.sqlite3")
        try:
            connection.connection.backup(dest)  # SQLite online backup API: one snapshot
        finally:
            dest.close()
        database = "database.sqlite3"
    elif vendor == "postgresql":
        args, env = _pg_env()
        database = "database.pgdump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", *args,
             "--file", str(target / database), str(connection.settings_dict["NAME"])],
            env=env, check=True, capture_output=True,
        )
    else:
        raise InputError("database", vendor, "SQLite or PostgreSQL")
    _copy_tree(Path(settings.MEDIA_ROOT), target / "uploads")
    _copy_tree(Path(settings.SPASMCARE_PROTOCOLS_DIR), target / "protocols")
    make_private(target)
    files = {
        str(p.relative_to(target)): _sha256(p)
        for p in sorted(target.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }
    manifest = {
        "format": "spasmcare-backup",
        "version": 1,
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": vendor,
        "database": database,
        "rows": counts,
        "files": files,
    }
    path = target / MANIFEST
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(manifest, handle, indent=2)
    return manifest


def verify(source: Path) -> dict[str, Any]:
    """The backup's manifest, after checking every file against its SHA-256."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError("backup", str(source), f"a spasmcare backup directory ({exc})") from None
    if manifest.get("format") != "spasmcare-backup":
        raise InputError("backup", str(source), "a spasmcare backup directory")
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise InputError("backup", name, "a file whose SHA-256 matches the manifest")
    return manifest


def _clinic_rows() -> int:
    with connection.cursor() as cur:
        try:
            cur.execute('SELECT COUNT(*) FROM "clinic_user"')
            users = int(cur.fetchone()[0])
            cur.execute('SELECT COUNT(*) FROM "clinic_patient"')
            return users + int(cur.fetchone()[0])
        except Exception:  # no tables yet: an empty database
            return 0


def restore(source: Path, replace: bool = False) -> dict[str, Any]:
    """Write the backup ``source`` into the configured database and data directory."""
    manifest = verify(source)
    if _clinic_rows() and not replace:
        raise InputError(
            "database", "holds a clinic", "an empty database, or --replace to overwrite it"
        )
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise InputError("backup", manifest["engine"], f"a backup made on {vendor}")
    if vendor == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(f"file:{source / manifest['database']}?mode=ro", uri=True)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
    else:
        args, env = _pg_env()
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             *args, "--dbname", str(connection.settings_dict["NAME"]),
             str(source / manifest["database"])],
            env=env, check=True, capture_output=True,
        )
    connection.close()
    _copy_tree(source / "uploads", Path(settings.MEDIA_ROOT))
    _copy_tree(source / "protocols", Path(settings.SPASMCARE_PROTOCOLS_DIR))
    make_private(Path(settings.MEDIA_ROOT))
    return manifest
