"""``python -m spasmcare.web demo``: migrate, load the demo clinic, print the logins, serve.

The demo database is the default SQLite file under the data directory. It is rebuilt when it
was made on an earlier day, because the fictional diaries end "yesterday", or when
``SPASMCARE_DEMO_PASSWORD`` changes. A database named by ``DATABASE_URL`` is never rebuilt or
touched by this command, and neither is a data directory that holds anything but the demo
clinic (:func:`not_demo`): the command then stops and says how to choose another directory.

The demo never deletes what it did not make. When it builds the clinic it records what it made
(``demo-made.json``: rows, highest id and sum of versions of every table of record); a rebuild
happens only while the data directory still holds exactly that (:func:`not_made`). Once someone
has added or changed anything (a nurse's patient, a diary entry, an uploaded video, a clinic
setting) the demo keeps the clinic as it is, sets a changed password on its own six logins
only, and says so in one line. It does not rebuild under a serving app either.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from spasmcare.errors import InputError
from spasmcare.plain import day_text
from spasmcare.web.base.serving import gunicorn_argv, not_serving

HOST, PORT = "127.0.0.1", 8000
DB_NAME = "spasmcare.sqlite3"
MADE = "demo-made.json"
#: Tables of computed values, sessions and sign-in logs: written by using the demo, never
#: anyone's data, so they do not stop a rebuild.
NOT_RECORDS = {
    "django_session", "django_content_type", "auth_permission", "clinic_loginfailure",
    "clinic_loginevent", "clinic_patientsummary", "clinic_computedview",
}


def _record_tables() -> dict[str, tuple[str, bool]]:
    """Table -> (primary key column, whether it has a ``version`` column), for every table
    that holds something someone made."""
    from django.apps import apps

    out = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.db_table not in NOT_RECORDS:
            versioned = any(f.column == "version" for f in meta.concrete_fields)
            out[meta.db_table] = (meta.pk.column, versioned)
    return out


def made_rows(db: Path) -> dict[str, list[int]]:
    """Rows, highest id and sum of versions of every table of record in the SQLite file ``db``
    (a table it lacks counts as empty)."""
    if not db.exists():
        return {}
    out = {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        for table, (pk, versioned) in sorted(_record_tables().items()):
            if table in present:  # names from the models, not input
                version = 'SUM("version")' if versioned else "0"
                row = con.execute(
                    f'SELECT COUNT(*), MAX("{pk}"), {version} FROM "{table}"'
                ).fetchone()
                out[table] = [int(v or 0) for v in row]
    con.close()
    return {t: v for t, v in out.items() if v != [0, 0, 0]}


def record_made(data_dir: Path) -> None:
    """Write down what the demo has just made in ``data_dir`` (see :func:`not_made`)."""
    made = json.dumps(made_rows(data_dir / DB_NAME), indent=1, sort_keys=True)
    fd = os.open(data_dir / MADE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(made)


def not_made(data_dir: Path) -> str | None:
    """Why a rebuild of ``data_dir`` could delete what the demo did not make, as a phrase
    ("holds ...", "was built ..."), or ``None`` when it holds exactly what ``demo-made.json``
    records."""
    uploads = data_dir / "uploads"
    if uploads.is_dir() and any(p.is_file() for p in uploads.rglob("*")):
        return "holds uploaded files, which the demo never makes, and a rebuild would delete them"
    earlier = (
        "was built by an earlier version, which did not record what it made, so a rebuild "
        "could delete what someone added"
    )
    try:
        made = json.loads((data_dir / MADE).read_text())
        now = made_rows(data_dir / DB_NAME)
    except (OSError, ValueError, sqlite3.Error):
        return earlier
    if not isinstance(made, dict):
        return earlier
    changed = []
    for table in sorted(set(made) | set(now)):
        was, is_ = made.get(table, [0, 0, 0]), now.get(table, [0, 0, 0])
        if was != is_:
            whole = isinstance(was, list) and len(was) == 3 and all(type(v) is int for v in was)
            added = is_[0] - was[0] if whole else is_[0]
            name = table.removeprefix("clinic_").removeprefix("auth_").removeprefix("django_")
            changed.append(f"{added} new {name} row(s)" if added > 0 else f"changed {name} rows")
    if not changed:
        return None
    return (
        f"holds what the demo did not make ({', '.join(changed)}), and a rebuild would "
        "delete it"
    )


def not_demo(data_dir: Path) -> str | None:
    """Why ``data_dir`` holds something other than the demo clinic, or ``None`` when it holds
    nothing or only the demo (the demo's marker file, its six logins and its one team)."""
    from spasmcare.web.operations.demo import LOGINS, TEAM

    db = data_dir / DB_NAME
    marker = data_dir / "demo-date"
    uploads = data_dir / "uploads"
    has_uploads = uploads.is_dir() and any(p.is_file() for p in uploads.rglob("*"))
    if not db.exists() or db.stat().st_size == 0:
        if has_uploads and not marker.exists():
            return "it holds uploaded files but no demo clinic"
        return None
    if not marker.exists():
        return "it holds a clinic database that the demo did not make"
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            users = {r[0] for r in con.execute("SELECT username FROM clinic_user")}
            teams = {r[0] for r in con.execute("SELECT name FROM clinic_careteam")}
    except sqlite3.Error:
        return "its database cannot be read as a demo clinic"
    others, other_teams = users - set(LOGINS), teams - {TEAM}
    if others or other_teams:
        return (
            f"it holds {len(others)} account(s) and {len(other_teams)} care team(s) the demo "
            "did not make"
        )
    return None


class Command(BaseCommand):
    help = "Run the clinic app with a fictional demo clinic on http://127.0.0.1:8000"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load and print, no server")
        parser.add_argument("--port", type=int, default=PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        if reason := not_demo(settings.DATA_DIR):
            raise CommandError(
                f"The data directory {settings.DATA_DIR} is not a demo clinic: {reason}. The "
                "demo never rebuilds it. Run the demo in a directory of its own, e.g. "
                "SPASMCARE_DATA_DIR=/tmp/spasmcare-demo python -m spasmcare.web demo"
            )
        if os.environ.get("DATABASE_URL"):
            raise CommandError(
                "DATABASE_URL is set: the demo only uses its own SQLite file. Unset it to run "
                "the demo."
            )
        from spasmcare.web.clinic.models import ROLE_LABELS
        from spasmcare.web.operations import demo

        data_dir = settings.DATA_DIR
        today = date.today()
        marker = data_dir / "demo-date"
        password_file = data_dir / "demo-password"
        built = marker.read_text().strip() if marker.exists() else ""
        old_password = password_file.read_text().strip() if password_file.exists() else ""
        env_password = os.environ.get("SPASMCARE_DEMO_PASSWORD") or ""
        new_password = env_password if env_password not in ("", old_password) else None
        if built != today.isoformat() or new_password:
            foreign = not_made(data_dir) if built else None
            why = f"it {foreign}" if foreign else self._rebuild(today)
            if why:
                self._keep(built, why, new_password)
        else:
            call_command("migrate", verbosity=0)
        password = (
            password_file.read_text().strip()
            if password_file.exists()
            else "(the password it was built with)"
        )
        url = f"http://{HOST}:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(f"spasmcare demo clinic: {url}  (fictional patients only)")
        self.stdout.write("Logins (user name / password):")
        for username, (role, _, _) in demo.LOGINS.items():
            self.stdout.write(f"  {username:<12} {password}   {ROLE_LABELS[role]}")
        if not env_password:
            self.stdout.write("(set SPASMCARE_DEMO_PASSWORD to choose the password)")
        from spasmcare.web.clinic import clinic_settings as clinic

        for item in clinic.missing():
            self.stdout.write(f"Clinic setting not set yet: {item}; admin sets it under Clinic "
                              "settings.")
        self.stdout.write("Stop with Ctrl+C.")
        sys.stdout.flush()
        if options["no_serve"]:
            return
        argv = gunicorn_argv(HOST, options["port"])
        if not Path(argv[0]).exists():
            raise CommandError("gunicorn is not installed in this environment (make install)")
        env = os.environ | {
            "SPASMCARE_HTTPS": "0",  # plain HTTP on loopback only
            "SPASMCARE_DATA_DIR": str(settings.DATA_DIR),
            "DJANGO_SETTINGS_MODULE": "spasmcare.web.settings",
        }
        os.execve(argv[0], argv, env)

    def _rebuild(self, today: date) -> str | None:
        """Delete the demo clinic and build it for ``today``; ``None`` when done, else why not
        (the clinic is being served)."""
        from spasmcare.web.operations import demo

        data_dir = settings.DATA_DIR
        db_file = data_dir / DB_NAME
        try:
            with not_serving(data_dir, "the demo is rebuilt"):
                # a build that fails half-way leaves an empty clinic, which may be rebuilt
                (data_dir / MADE).write_text("{}")
                connections.close_all()
                for suffix in ("", "-wal", "-shm"):
                    path = db_file.with_name(db_file.name + suffix)
                    if path.exists():
                        path.unlink()
                shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)  # holds no file
                self.stdout.write(f"Building the demo clinic in {data_dir} ...")
                call_command("migrate", verbosity=0)
                password = demo.demo_password()
                n = demo.load_demo_clinic(today, password, progress=self.stdout.write)
                (data_dir / "demo-date").write_text(today.isoformat())
                self._write_password(password)
                record_made(data_dir)
        except InputError:
            return "it is being served, and a rebuild would pull it from under the app"
        self.stdout.write(f"Loaded {n} fictional infants.")
        return None

    def _keep(self, built: str, why: str, new_password: str | None) -> None:
        """Keep the clinic as it is (one line says why); a new password goes to the six demo
        logins only."""
        from spasmcare.web.clinic.models import User
        from spasmcare.web.operations import demo

        call_command("migrate", verbosity=0)
        if new_password:
            for user in User.objects.filter(username__in=list(demo.LOGINS)):
                user.set_password(new_password)
                user.save(update_fields=["password"])
            self._write_password(new_password)
        try:
            day = day_text(date.fromisoformat(built))
        except ValueError:
            day = repr(built)
        self.stdout.write(
            f"Kept the demo clinic built on {day} as it is: {why}"
            + ("; the six demo logins now use the new password." if new_password else ".")
            + " For a new demo clinic, run the demo in a new data directory."
        )

    def _write_password(self, password: str) -> None:
        path = settings.DATA_DIR / "demo-password"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(password)
