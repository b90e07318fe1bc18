"""Backup and restore of the whole clinic: ``python -m spasmcare.web backup`` / ``restore``.

A backup is a private directory (0700, files 0600), self-contained and signed:

- ``database.sqlite3`` (SQLite) made with SQLite's online backup API, or ``database.pgdump``
  (PostgreSQL) made by ``pg_dump --format=custom``: either is one consistent snapshot of every
  table — every version and retraction, plans, monitoring ticks, planner inputs, users, teams,
  family links, invitations and the login log — taken while the app keeps running. The SQLite
  copy is left in rollback-journal mode, so reading it never makes ``-wal``/``-shm`` files,
  and its rows per table are counted in the copy itself (on PostgreSQL, just before the dump);
- ``uploads/``: the diary videos, copied *after* the snapshot (a video file is written before
  the row that names it, and never deleted, so every video the snapshot names is there);
- ``protocols/``: the clinic's protocol copies and confirmations;
- ``manifest.json`` and ``manifest.sig``: when, which database engine, rows per table and the
  SHA-256 of every file, with the manifest's own checksum and HMAC under the clinic's secret key
  (:mod:`spasmcare.web.operations.backup_manifest`, which also says what happens when the key
  changes).
  Symbolic links and special files in the data directory are not copied.

:func:`restore` trusts nothing in the backup folder until it is checked. It refuses (one
:class:`~spasmcare.errors.InputError`, nothing written) a manifest that fails its checksum or
signature or names a path outside the backup, a file the manifest does not list (the
backup is not what was made), a symbolic link or special file anywhere in it, and a file whose
SHA-256 differs. It refuses while the clinic is being served (:mod:`spasmcare.web.base.serving`:
stop the app first) and a database that already holds a clinic unless told to replace it.
Every file is copied into a temporary directory beside its destination and hashed as it is
copied, so the backup is only read, never written (SQLite opens its own copy); the SQLite
database is checked (``integrity_check``, rows per table) before it is written into the
clinic's database in one step, and the staged directories are renamed into place.

The secret key is not in the backup (it signs sessions and seeds cohort pseudonyms): keep it
with the installation's configuration.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

from spasmcare.errors import InputError
from spasmcare.web.base import serving
from spasmcare.web.base.files import make_private
from spasmcare.web.operations.backup_manifest import (
    DATABASE_FILES,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MAX_SIGNATURE_BYTES,
    SIGNATURE,
    Manifest,
    check_signature,
    encode,
    parse,
    short,
    sign,
)

_BLOCK = 1 << 20


def app_tables() -> list[str]:
    """Every table of the installed apps (clinic, users, sessions...), sorted."""
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)})


def _row_counts(cur: sqlite3.Cursor | None = None) -> dict[str, int]:
    """Rows per app table, in the open SQLite copy ``cur`` or else the clinic's database."""
    if cur is not None:
        return {
            t: int(cur.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]) for t in app_tables()
        }
    with connection.cursor() as dj:
        out = {}
        for table in app_tables():
            dj.execute(f'SELECT COUNT(*) FROM "{table}"')  # names from the models, not input
            out[table] = int(dj.fetchone()[0])
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


def _pg(argv: list[str]) -> None:
    args, env = _pg_env()
    try:
        done = subprocess.run([argv[0], *args, *argv[1:]], env=env, capture_output=True)
    except OSError as exc:
        raise InputError(argv[0], exc.strerror, f"{argv[0]} installed on this machine") from None
    if done.returncode:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"])[-1]
        raise InputError(argv[0], short(last), f"{argv[0]} to succeed (exit {done.returncode})")


def _trees() -> dict[str, Path]:
    """Backup directory name -> the clinic's directory it holds."""
    return {
        "uploads": Path(settings.MEDIA_ROOT).resolve(),
        "protocols": Path(settings.SPASMCARE_PROTOCOLS_DIR).resolve(),
    }


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


# --- copying, hashing and confining -----------------------------------------------------------


def _open_in(root: Path, rel: str) -> int:
    """A read descriptor of the regular file ``rel`` under ``root``, following no symbolic
    link at any step (so nothing outside ``root`` can be read through one)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        parts = rel.split("/")
        for part in parts[:-1]:
            inner = os.open(part, flags | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open(parts[-1], flags | os.O_NONBLOCK, dir_fd=fd)
    except OSError as exc:
        accepted = f"a regular file inside the backup ({exc.strerror})"
        raise InputError("backup", rel, accepted) from None
    finally:
        os.close(fd)
    if not stat.S_ISREG(os.fstat(out).st_mode):
        os.close(out)
        raise InputError("backup", rel, "a regular file inside the backup")
    return out


def _copy(fd: int, dest: Path | None) -> str:
    """SHA-256 of what is read from ``fd`` (closed after), written to the new file ``dest``."""
    digest = hashlib.sha256()
    out = None
    if dest is not None:
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        out = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        while block := os.read(fd, _BLOCK):
            digest.update(block)
            if out is not None:
                os.write(out, block)
    finally:
        os.close(fd)
        if out is not None:
            os.close(out)
    return digest.hexdigest()


def _regular_files(root: Path) -> list[str]:
    """Every regular file under ``root`` (relative, '/'-separated, sorted), symbolic links and
    special files left out."""
    found = []

    def fail(exc: OSError) -> None:
        raise exc

    for dirpath, _dirs, names in os.walk(root, onerror=fail):
        for name in names:
            path = Path(dirpath) / name
            if stat.S_ISREG(path.lstat().st_mode):
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def _listing(source: Path) -> set[str]:
    """Every file in the backup directory; refuses a symbolic link or special file anywhere."""
    found = set()

    def fail(exc: OSError) -> None:
        raise InputError("backup", short(exc.filename), f"a readable directory ({exc.strerror})")

    for dirpath, dirs, names in os.walk(source, onerror=fail):
        for name in dirs + names:
            path = Path(dirpath) / name
            rel = path.relative_to(source).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise InputError("backup", short(rel), "regular files and directories only")
            if stat.S_ISREG(mode):
                found.add(rel)
    return found


def _read_small(source: Path, name: str, limit: int) -> bytes:
    fd = _open_in(source, name)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError("backup", name, f"a file of at most {limit} bytes")
    return data


# --- backup ------------------------------------------------------------------------------------


def _snapshot_sqlite(dest: Path) -> dict[str, int]:
    """The clinic's SQLite database copied to ``dest`` in one snapshot; its rows per table."""
    connection.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        connection.connection.backup(copy)  # SQLite online backup API: one snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # readers of the copy make no -wal/-shm
        return _row_counts(copy.cursor())
    finally:
        copy.close()


def backup(target: Path) -> Manifest:
    """Write a signed backup of the running clinic into the new directory ``target``."""
    target = target.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError("target", str(target), "a new or empty directory for the backup")
    for tree in _trees().values():
        if _inside(target, tree):
            raise InputError("target", str(target), f"a directory outside {tree}")
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise InputError("database", vendor, "SQLite or PostgreSQL")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # built beside the target and renamed into place: a failed backup leaves no half backup
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        database = DATABASE_FILES[vendor]
        if vendor == "sqlite":
            counts = _snapshot_sqlite(work / database)
        else:
            counts = _row_counts()
            _pg(["pg_dump", "--format=custom", "--no-owner", "--file", str(work / database),
                 str(connection.settings_dict["NAME"])])
        files = {database: _copy(os.open(work / database, os.O_RDONLY), None)}
        for name, tree in _trees().items():
            for rel in _regular_files(tree) if tree.is_dir() else []:
                files[f"{name}/{rel}"] = _copy(_open_in(tree, rel), work / name / rel)
        manifest = Manifest(
            made_at=datetime.now(UTC).replace(microsecond=0),
            engine=vendor, database=database, rows=counts, files=files,
        )
        data = encode(manifest)
        (work / MANIFEST).write_bytes(data)
        (work / SIGNATURE).write_bytes(sign(data, settings.SECRET_KEY))
        make_private(work)
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


# --- verify and restore ------------------------------------------------------------------------


def _keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def read_manifest(source: Path, other_key: bool = False) -> Manifest:
    """The backup's manifest after its checksum and signature, every path in it, and the
    listing of the backup directory (every file listed, no link) are checked; file contents
    are not read."""
    if not source.is_dir():
        raise InputError("backup", str(source), "a backup directory made by the backup command")
    data = _read_small(source, MANIFEST, MAX_MANIFEST_BYTES)
    if not (source / SIGNATURE).exists() and not (source / SIGNATURE).is_symlink():
        raise InputError(
            "backup", f"no {SIGNATURE}", "a signed backup made by this version of spasmcare "
            "(a backup made before backups were signed has no checksum to check)"
        )
    check_signature(data, _read_small(source, SIGNATURE, MAX_SIGNATURE_BYTES), _keys(), other_key)
    manifest = parse(data)
    present = _listing(source) - {MANIFEST, SIGNATURE}
    if unlisted := sorted(present - set(manifest.files)):
        raise InputError("backup", short(unlisted[0]), f"only the files {MANIFEST} lists")
    if missing := sorted(set(manifest.files) - present):
        raise InputError("backup", short(missing[0]), f"every file {MANIFEST} lists")
    return manifest


def verify(source: Path, other_key: bool = False) -> Manifest:
    """The backup's manifest, after :func:`read_manifest` and every file's SHA-256."""
    manifest = read_manifest(source, other_key)
    for name, digest in manifest.files.items():
        if _copy(_open_in(source, name), None) != digest:
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


def _stage(source: Path, manifest: Manifest, work: Path, staged: dict[str, Path]) -> None:
    """Copy every file of the backup into ``work`` (the database) and the staged directories,
    hashing as it copies."""
    for name, digest in sorted(manifest.files.items()):
        top, _, rel = name.partition("/")
        dest = work / name if name == manifest.database else staged[top] / rel
        if _copy(_open_in(source, name), dest) != digest:
            raise InputError("backup", name, "a file whose SHA-256 matches the manifest")


def _check_sqlite(path: Path, manifest: Manifest) -> None:
    """Refuse a staged SQLite database that is damaged or holds other rows than the manifest."""
    try:
        with closing(sqlite3.connect(path)) as con:
            check = con.execute("PRAGMA integrity_check").fetchall()
            counts = {
                t: int(con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
                for t in manifest.rows
                if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (t,)).fetchone()
            }
    except sqlite3.Error as exc:
        raise InputError("backup", manifest.database, f"an SQLite database ({exc})") from None
    if check != [("ok",)]:
        raise InputError("backup", manifest.database, "an SQLite database that passes its check")
    if counts != manifest.rows:
        raise InputError("backup", manifest.database, f"the rows per table {MANIFEST} lists")


@contextmanager
def _swapped(staged: dict[str, Path], trees: dict[str, Path]) -> Iterator[None]:
    """Rename each staged directory into place; put the old ones back if the body fails,
    else delete them."""
    old: dict[str, Path | None] = {}
    try:
        for name, tree in trees.items():
            aside = None
            if tree.exists():
                aside = Path(tempfile.mkdtemp(prefix=f".{tree.name}.old-", dir=tree.parent))
                tree.rename(aside / tree.name)
            old[name] = aside
            staged[name].rename(tree)
        yield
    except BaseException:
        for name, aside in old.items():
            if trees[name].exists():
                trees[name].rename(staged[name])
            if aside is not None:
                (aside / trees[name].name).rename(trees[name])
        raise
    for aside in old.values():
        if aside is not None:
            shutil.rmtree(aside)


def _install(manifest: Manifest, database: Path) -> None:
    if manifest.engine == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(database)) as src:
            src.backup(connection.connection)  # one step: the whole database or nothing
    else:
        _pg(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--dbname", str(connection.settings_dict["NAME"]), str(database)])
    connection.close()


def restore(source: Path, replace: bool = False, other_key: bool = False) -> Manifest:
    """Write the backup ``source`` into the configured database and data directory, or refuse
    with nothing written (see the module's description)."""
    source = source.resolve()
    trees = _trees()
    for tree in trees.values():
        if _inside(source, tree) or _inside(tree, source):
            raise InputError("backup", str(source), f"a directory apart from {tree}")
    with serving.not_serving(Path(settings.DATA_DIR), "restore"):
        manifest = read_manifest(source, other_key)
        if manifest.engine != connection.vendor:
            raise InputError("backup", manifest.engine, f"a backup made on {connection.vendor}")
        if not replace and (
            _clinic_rows() or any(t.is_dir() and _regular_files(t) for t in trees.values())
        ):
            raise InputError(
                "clinic", "holds data", "an empty database and data directory, or --replace"
            )
        for tree in trees.values():
            tree.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        work = Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.DATA_DIR))
        staged: dict[str, Path] = {}
        try:
            for name, tree in trees.items():
                staged[name] = Path(
                    tempfile.mkdtemp(prefix=f".{tree.name}.restore-", dir=tree.parent)
                )
            _stage(source, manifest, work, staged)
            if manifest.engine == "sqlite":
                _check_sqlite(work / manifest.database, manifest)
            with _swapped(staged, trees):
                _install(manifest, work / manifest.database)
        finally:
            for path in (work, *staged.values()):
                shutil.rmtree(path, ignore_errors=True)
        for tree in trees.values():
            make_private(tree)
    return manifest
