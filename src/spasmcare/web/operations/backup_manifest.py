"""A backup's manifest: what it lists, how it is signed, and the one parser every restore goes
through (:mod:`spasmcare.web.operations.backup`).

``manifest.json`` names the database engine, the rows per table and the SHA-256 of every file
in the backup, by a path inside the backup: the database (``database.sqlite3`` or
``database.pgdump``), ``uploads/...`` or ``protocols/...``. ``manifest.sig`` beside it holds
two lines::

    sha256 <SHA-256 of the bytes of manifest.json>
    hmac-sha256 <HMAC-SHA256 of the same bytes, keyed by the clinic's secret key>

The checksum tells a damaged manifest; the HMAC tells a manifest written by anyone without the
clinic's secret key (``SPASMCARE_SECRET_KEY``, or ``secret_key`` in the data directory).
When the key has changed since the backup (a new installation, a lost data directory), the
HMAC no longer matches and a restore refuses the backup unless it is told that the key changed
(``restore --other-key``): the checksum and every file's SHA-256 are still checked then, but
nothing proves who wrote the manifest, so check where the backup came from first. A key kept
in Django's ``SECRET_KEY_FALLBACKS`` is accepted as well.

Every refusal is one :class:`~spasmcare.errors.InputError` naming the file and field.
Standard library and Django's ``salted_hmac`` only; no database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.crypto import salted_hmac

from spasmcare.errors import InputError

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
FORMAT = "spasmcare-backup"
VERSION = 2
#: The one database file of each engine, at the top of the backup.
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
#: The directories of the data directory a backup holds: backup name -> what it is.
TREES = ("uploads", "protocols")
#: Largest manifest read [bytes] (software setting: ~100 bytes a file, so ~600,000 files).
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_SIGNATURE_BYTES = 1024
#: Longest path in a manifest [characters], and longest part of one (Linux NAME_MAX).
MAX_PATH = 1024
MAX_PART_BYTES = 255
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SALT = "spasmcare.web.operations.backup.manifest"
_KEYS = ("format", "version", "made_at", "engine", "database", "rows", "files")


@dataclass(frozen=True)
class Manifest:
    """A manifest that passed every check of :func:`parse`."""

    made_at: datetime
    engine: str
    database: str
    rows: dict[str, int]
    files: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "made_at": self.made_at.isoformat(timespec="seconds"),
            "engine": self.engine,
            "database": self.database,
            "rows": dict(sorted(self.rows.items())),
            "files": dict(sorted(self.files.items())),
        }


def short(value: Any) -> str:
    """``value`` as a short one-line text for an error message."""
    text = " ".join(str(value).split()).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= 80 else text[:77] + "..."


def encode(manifest: Manifest) -> bytes:
    """The bytes of ``manifest.json`` (sorted keys, ASCII only)."""
    return (json.dumps(manifest.as_json(), indent=2, sort_keys=True) + "\n").encode("ascii")


def _hmac(data: bytes, key: str) -> str:
    return salted_hmac(_SALT, data, secret=key, algorithm="sha256").hexdigest()


def sign(data: bytes, key: str) -> bytes:
    """The bytes of ``manifest.sig`` for the manifest bytes ``data``."""
    return f"sha256 {hashlib.sha256(data).hexdigest()}\nhmac-sha256 {_hmac(data, key)}\n".encode()


def check_signature(data: bytes, sig: bytes, keys: list[str], other_key: bool) -> None:
    """Refuse ``data`` unless ``sig`` is its checksum and (unless ``other_key``) its HMAC
    under one of ``keys``."""
    accepted = "two lines, 'sha256 <64 hex digits>' and 'hmac-sha256 <64 hex digits>'"
    try:
        lines = sig.decode("ascii").splitlines()
    except UnicodeDecodeError:
        raise InputError(SIGNATURE, "not ASCII text", accepted) from None
    fields = [line.split(" ") for line in lines]
    if (
        len(fields) != 2
        or any(len(f) != 2 or not _HEX64.fullmatch(f[1]) for f in fields)
        or [f[0] for f in fields] != ["sha256", "hmac-sha256"]
    ):
        raise InputError(SIGNATURE, short(sig.decode("ascii", "replace")), accepted)
    if not hmac.compare_digest(fields[0][1], hashlib.sha256(data).hexdigest()):
        raise InputError(
            MANIFEST, "changed or damaged", f"a manifest whose SHA-256 matches {SIGNATURE}"
        )
    if other_key or any(hmac.compare_digest(fields[1][1], _hmac(data, k)) for k in keys):
        return
    raise InputError(
        SIGNATURE,
        "signed with another secret key",
        "a backup signed with this clinic's secret key; if the key has changed (another "
        "installation, a lost data directory) and you know where the backup came from, "
        "restore with --other-key",
    )


def check_path(name: Any, database: str) -> str:
    """``name`` when it is the database file or a file under ``uploads/`` or ``protocols/``,
    written as a plain relative path (no absolute path, no ``..``, ``.`` or empty part)."""
    accepted = (
        f"a relative path inside the backup: {database}, uploads/... or protocols/... "
        "(no '..', '.', empty or absolute parts)"
    )
    if not isinstance(name, str) or not name or len(name) > MAX_PATH or "\x00" in name:
        raise InputError(f"{MANIFEST} files", _show(name), accepted)
    try:
        parts = [part.encode("utf-8") for part in name.split("/")]
    except UnicodeEncodeError:
        raise InputError(f"{MANIFEST} files", _show(name), accepted) from None
    if name == database:
        return name
    if (
        len(parts) < 2
        or parts[0].decode() not in TREES
        or any(p in (b"", b".", b"..") or len(p) > MAX_PART_BYTES for p in parts)
    ):
        raise InputError(f"{MANIFEST} files", short(name), accepted)
    return name


def _kind(value: Any) -> str:
    """What a JSON value is, in words (never the value itself: it may be huge or deep)."""
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "true or false",
             int: "a number", float: "a number", type(None): "null"}
    return kinds.get(type(value), "a value")


def _show(value: Any) -> str:
    """A JSON value for an error message: a string, number, true/false or null shortened,
    else what it is."""
    if isinstance(value, str):
        return short(value)
    if isinstance(value, int | float | bool) or value is None:
        return short(repr(value))
    return _kind(value)


def _object(value: Any, field: str, accepted: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{MANIFEST} {field}".strip(), _kind(value), accepted)
    return value


def _rows(value: Any) -> dict[str, int]:
    accepted = "an object of table name -> number of rows (a whole number, 0 or more)"
    rows = _object(value, "rows", accepted)
    for table, count in rows.items():
        if type(count) is not int or count < 0 or not table.isprintable() or len(table) > 200:
            raise InputError(f"{MANIFEST} rows", short(f"{table}: {_show(count)}"), accepted)
    return dict(rows)


def _files(value: Any, database: str) -> dict[str, str]:
    accepted = f"an object of path -> SHA-256 (64 lower-case hex digits), naming {database}"
    files = _object(value, "files", accepted)
    out: dict[str, str] = {}
    for name, digest in files.items():
        check_path(name, database)
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            raise InputError(f"{MANIFEST} files", short(f"{name}: {_show(digest)}"), accepted)
        out[name] = digest
    if database not in out:
        raise InputError(f"{MANIFEST} files", "no database", accepted)
    return out


def _made_at(value: Any) -> datetime:
    accepted = "an ISO 8601 date-time with its time zone, e.g. 2026-12-07T16:20:00+00:00"
    if isinstance(value, str) and len(value) <= 40:
        try:
            made = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if made.tzinfo is not None:
                return made
    raise InputError(f"{MANIFEST} made_at", _show(value), accepted)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse(data: bytes) -> Manifest:
    """The manifest in ``data`` (the bytes of ``manifest.json``), or an InputError naming
    the first thing wrong with it."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise InputError(MANIFEST, f"{len(data)} bytes", f"at most {MAX_MANIFEST_BYTES} bytes")
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise InputError(MANIFEST, "not UTF-8 text", "a JSON object in UTF-8") from None
    except (ValueError, RecursionError) as exc:
        raise InputError(MANIFEST, short(exc), "a JSON object in UTF-8") from None
    doc = _object(value, "", f"a JSON object with the keys {', '.join(_KEYS)}")
    missing = [k for k in _KEYS if k not in doc]
    unknown = sorted(k for k in doc if k not in _KEYS)
    if missing or unknown:
        what = f"missing {', '.join(missing)}" if missing else f"unknown {short(unknown)}"
        raise InputError(MANIFEST, what, f"a JSON object with the keys {', '.join(_KEYS)}")
    if doc["format"] != FORMAT or doc["version"] != VERSION or type(doc["version"]) is not int:
        raise InputError(
            MANIFEST,
            f"format {_show(doc['format'])}, version {_show(doc['version'])}",
            f"a backup made by this version of spasmcare (format {FORMAT!r}, version {VERSION})",
        )
    engine = doc["engine"]
    if not isinstance(engine, str) or engine not in DATABASE_FILES:
        raise InputError(f"{MANIFEST} engine", _show(engine), "sqlite or postgresql")
    database = DATABASE_FILES[engine]
    if doc["database"] != database:
        raise InputError(
            f"{MANIFEST} database", _show(doc["database"]), f"{database!r} for {engine}"
        )
    return Manifest(
        made_at=_made_at(doc["made_at"]),
        engine=engine,
        database=database,
        rows=_rows(doc["rows"]),
        files=_files(doc["files"], database),
    )
