"""The data directory (database, uploads, protocols, secret key, backups): where it is, and
making it ready before the app starts.

Importing the settings creates nothing: they only name paths (:func:`location`) and read the
secret key if it exists (:func:`read_secret_key`). The entry points that start the app — the
WSGI module (``gunicorn spasmcare.web.wsgi``) and ``python -m spasmcare.web <command>`` —
call :func:`prepare` first, which creates what is missing, private to the app's own user.
Uses nothing but the standard library: the settings import it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from spasmcare.web.base.files import make_private

#: The file of the installation's secret key inside the data directory.
SECRET_KEY_FILE = "secret_key"
#: The SQLite database's file inside the data directory (when no ``DATABASE_URL`` is given).
SQLITE_FILE = "spasmcare.sqlite3"


def location() -> Path:
    """The data directory: ``SPASMCARE_DATA_DIR`` [default: ``./var``], absolute."""
    return Path(os.environ.get("SPASMCARE_DATA_DIR", "var")).resolve()


def read_secret_key(data_dir: Path) -> str:
    """The secret key: ``SPASMCARE_SECRET_KEY``, else the data directory's key file.

    Without either (the settings imported without :func:`prepare`, e.g. by a test runner) a
    key for this process only, written nowhere: sessions and pseudonyms then last as long as
    the process."""
    if key := os.environ.get("SPASMCARE_SECRET_KEY"):
        return key
    path = data_dir / SECRET_KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return secrets.token_urlsafe(50)


def _write_secret_key(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))


def prepare(data_dir: Path | None = None) -> Path:
    """Create the data directory, its static and protocols folders, the secret key (unless
    ``SPASMCARE_SECRET_KEY`` is set) and the empty SQLite file (unless ``DATABASE_URL`` is set),
    all readable by the app's own user only (also what an earlier version or another tool left
    readable). Returns the data directory."""
    data_dir = data_dir or location()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    (data_dir / "static").mkdir(exist_ok=True)
    if not os.environ.get("SPASMCARE_PROTOCOLS_DIR"):
        (data_dir / "protocols").mkdir(exist_ok=True, mode=0o700)
    if not os.environ.get("SPASMCARE_SECRET_KEY"):
        _write_secret_key(data_dir / SECRET_KEY_FILE)
    if not os.environ.get("DATABASE_URL"):
        database = data_dir / SQLITE_FILE
        if not database.exists():  # SQLite gives its -wal and -shm files the same mode
            try:
                os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass
    make_private(data_dir)
    return data_dir
