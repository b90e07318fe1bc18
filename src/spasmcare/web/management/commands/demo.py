"""``python -m spasmcare.web demo``: migrate, load the demo clinic, print the logins, serve.

The demo database is the default SQLite file under the data directory. It is rebuilt when it
was made on an earlier day, because the fictional diaries end "yesterday". A database named by
``DATABASE_URL`` is never rebuilt or touched by this command, and neither is a data directory
that holds anything but the demo clinic (:func:`not_demo`): the command then stops and says
how to choose another directory.
"""

from __future__ import annotations

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

from spasmcare.web.serving import gunicorn_argv

HOST, PORT = "127.0.0.1", 8000
DB_NAME = "spasmcare.sqlite3"


def not_demo(data_dir: Path) -> str | None:
    """Why ``data_dir`` holds something other than the demo clinic, or ``None`` when it holds
    nothing or only the demo (the demo's marker file, its six logins and its one team)."""
    from spasmcare.web.demo import LOGINS, TEAM

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
        from spasmcare.web import demo
        from spasmcare.web.models import ROLE_LABELS

        today = date.today()
        db_file = settings.DATA_DIR / DB_NAME
        marker = settings.DATA_DIR / "demo-date"
        password_file = settings.DATA_DIR / "demo-password"
        fresh = not marker.exists() or marker.read_text().strip() != today.isoformat()
        env_password = os.environ.get("SPASMCARE_DEMO_PASSWORD")
        if (
            not fresh
            and env_password
            and (not password_file.exists() or password_file.read_text().strip() != env_password)
        ):
            fresh = True
        if fresh:
            connections.close_all()
            for suffix in ("", "-wal", "-shm"):
                path = db_file.with_name(db_file.name + suffix)
                if path.exists():
                    path.unlink()
            shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
            self.stdout.write(f"Building the demo clinic in {settings.DATA_DIR} ...")
            call_command("migrate", verbosity=0)
            password = demo.demo_password()
            n = demo.load_demo_clinic(today, password, progress=self.stdout.write)
            marker.write_text(today.isoformat())
            fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(password)
            self.stdout.write(f"Loaded {n} fictional infants.")
        else:
            call_command("migrate", verbosity=0)
            password = password_file.read_text().strip()
        url = f"http://{HOST}:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(f"spasmcare demo clinic: {url}  (fictional patients only)")
        self.stdout.write("Logins (user name / password):")
        for username, (role, _, _) in demo.LOGINS.items():
            self.stdout.write(f"  {username:<12} {password}   {ROLE_LABELS[role]}")
        if not env_password:
            self.stdout.write("(set SPASMCARE_DEMO_PASSWORD to choose the password)")
        from spasmcare.web import clinic

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
