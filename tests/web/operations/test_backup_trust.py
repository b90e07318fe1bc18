"""Issue 20, findings 2, 3 and 9: a restore trusts nothing in the backup folder until it is
checked, refuses a serving clinic, and says every refusal in one line with nothing written."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import event, given
from hypothesis import settings as settings_
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.web.models import User
from spasmcare.web.operations.backup import app_tables, backup, restore

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite files are made and read directly; the PostgreSQL path is the round trip's
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite database files"),
]
SRC = Path(__file__).resolve().parents[3] / "src"


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    """A data directory of the test's own (its serving lock, the restore's staging)."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    with connection.cursor() as cur:
        out = {}
        for t in app_tables():
            cur.execute(f'SELECT * FROM "{t}" ORDER BY 1')
            out[t] = [tuple(r) for r in cur.fetchall()]
        return out


def _tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _state() -> tuple[Any, ...]:
    """Everything a restore may write: the database's rows, the uploads, the protocols."""
    return (
        _rows(),
        _tree(Path(settings.MEDIA_ROOT)),
        _tree(Path(settings.SPASMCARE_PROTOCOLS_DIR)),
    )


def _resign(target: Path, data: bytes, key: str | None = None) -> None:
    """Write ``data`` as the manifest, signed as the backup command signs it (``key``: the
    clinic's secret key unless another is given)."""
    from spasmcare.web.operations.backup_manifest import sign

    (target / "manifest.json").write_bytes(data)
    (target / "manifest.sig").write_bytes(sign(data, key or settings.SECRET_KEY))


def _edit(target: Path, change: Callable[[dict[str, Any]], None]) -> None:
    manifest = json.loads((target / "manifest.json").read_text())
    change(manifest)
    _resign(target, json.dumps(manifest).encode())


@pytest.fixture
def made(users: dict[str, User], tmp_path: Path) -> Path:
    """A backup of a clinic with one patient and a protocol confirmation; afterwards the
    clinic gains the account 'later', which a refused restore must leave in place."""
    protocols = Path(settings.SPASMCARE_PROTOCOLS_DIR)
    (protocols / "confirmations.yaml").write_text("acth: confirmed\n")
    target = tmp_path / "backup"
    backup(target)
    User.objects.create(username="later", password="!")
    return target


def _evil_database(made: Path, where: Path) -> Path:
    """A copy of the backup's database holding the account 'evil'."""
    where.write_bytes((made / "database.sqlite3").read_bytes())
    with sqlite3.connect(where) as con:
        con.execute(
            "INSERT INTO clinic_user (username, password, role, first_name, last_name, email, "
            "is_staff, is_superuser, is_active, date_joined, relationship, data_steward) VALUES "
            "('evil', '!', 'admin', '', '', '', 1, 1, 1, '2026-01-01', '', 0)"
        )
    con.close()
    return where


def _refused(made: Path, **kwargs: Any) -> InputError:
    before = _state()
    listing = sorted(p.name for p in made.rglob("*"))
    with pytest.raises(InputError) as err:
        restore(made, replace=True, **kwargs)
    assert "\n" not in str(err.value)
    assert _state() == before  # nothing written
    assert User.objects.filter(username="later").exists()
    assert not User.objects.filter(username="evil").exists()
    assert sorted(p.name for p in made.rglob("*")) == listing  # nor into the backup
    return err.value


# --- finding 2: restore trusts the backup folder ------------------------------------------------


def test_a_database_outside_the_backup_is_refused(made: Path, tmp_path: Path) -> None:
    evil = _evil_database(made, tmp_path / "evil.sqlite3")

    def point_outside(m: dict[str, Any]) -> None:
        m["database"] = "../evil.sqlite3"
        m["files"]["../evil.sqlite3"] = _sha(evil)

    _edit(made, point_outside)
    _refused(made)


@pytest.mark.parametrize("path", ["/etc/passwd", "uploads/../../evil.sqlite3", "uploads//x", ""])
def test_a_path_leaving_the_backup_is_refused(made: Path, path: str) -> None:
    _edit(made, lambda m: m["files"].update({path: "0" * 64}))
    assert _refused(made).field == "manifest.json files"


def test_a_changed_database_whose_line_was_deleted_is_refused(made: Path) -> None:
    _evil_database(made, made / "database.sqlite3")
    _edit(made, lambda m: m["files"].pop("database.sqlite3"))
    _refused(made)


def test_a_manifest_changed_without_its_checksum_is_refused(made: Path) -> None:
    evil = _evil_database(made, made / "database.sqlite3")
    manifest = json.loads((made / "manifest.json").read_text())
    manifest["files"]["database.sqlite3"] = _sha(evil)
    (made / "manifest.json").write_text(json.dumps(manifest))  # the signature left as it was
    assert _refused(made).field == "manifest.json"


def test_a_manifest_signed_with_another_key_is_refused_unless_told(made: Path) -> None:
    _resign(made, (made / "manifest.json").read_bytes(), key="another installation's key")
    assert _refused(made).field == "manifest.sig"
    # a backup from another installation (or before the key changed): checksums still checked
    restore(made, replace=True, other_key=True)
    assert not User.objects.filter(username="later").exists()


@pytest.mark.parametrize("planted", ["protocols/planted.yaml", "uploads/videos/1/x.mp4"])
def test_a_file_the_manifest_does_not_list_is_refused(made: Path, planted: str) -> None:
    (made / planted).parent.mkdir(parents=True, exist_ok=True)
    (made / planted).write_text("prednisolone: {dose_mg_per_kg: 40}\n")
    _refused(made)


def test_a_symbolic_link_in_the_backup_is_refused(made: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("planted: true\n")
    (made / "protocols" / "linked.yaml").symlink_to(outside)
    _edit(made, lambda m: m["files"].update({"protocols/linked.yaml": _sha(outside)}))
    _refused(made)


def test_a_damaged_file_is_refused_before_anything_is_written(made: Path) -> None:
    (made / "protocols" / "confirmations.yaml").write_text("acth: changed\n")
    _refused(made)


def test_a_restore_never_writes_into_the_backup_it_reads(made: Path) -> None:
    # a database copied from a clinic in WAL mode (as the app runs it) makes -wal and -shm
    # files beside itself when SQLite opens it, even read-only
    db = made / "database.sqlite3"
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    con.close()
    _edit(made, lambda m: m["files"].update({"database.sqlite3": _sha(db)}))
    before = {p.name: p.read_bytes() for p in made.rglob("*") if p.is_file()}
    restore(made, replace=True)
    assert {p.name: p.read_bytes() for p in made.rglob("*") if p.is_file()} == before
    assert not User.objects.filter(username="later").exists()
    assert _tree(Path(settings.SPASMCARE_PROTOCOLS_DIR)) == {
        "confirmations.yaml": b"acth: confirmed\n"
    }


def test_the_backup_database_is_in_rollback_journal_mode(made: Path) -> None:
    # file format bytes 18-19 (SQLite file format, "1.3.0 The database header"): 1 = rollback
    # journal, 2 = WAL; a reader of a rollback-journal file makes no -wal/-shm files
    assert (made / "database.sqlite3").read_bytes()[18:20] == b"\x01\x01"


# --- finding 3: restore under a serving app ---------------------------------------------------


def test_restore_refuses_while_the_clinic_is_served(made: Path) -> None:
    env = os.environ | {
        "SPASMCARE_DATA_DIR": str(settings.DATA_DIR),
        "SPASMCARE_WARMUP": "0",
        "PYTHONPATH": str(SRC),
    }
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys, spasmcare.web.wsgi; print('serving', flush=True); "
         "sys.stdin.read()"],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline() == "serving\n"
        assert _refused(made).field == "clinic"
    finally:
        server.kill()  # a server that dies leaves no lock behind
        server.wait()
    restore(made, replace=True)
    assert not User.objects.filter(username="later").exists()


def test_an_app_does_not_start_while_a_restore_runs(tmp_path: Path) -> None:
    from spasmcare.web.base.serving import hold_while_serving, not_serving

    with not_serving(tmp_path, "restore"), pytest.raises(RuntimeError, match="being restored"):
        hold_while_serving(tmp_path)


# --- finding 9: malformed manifests and targets, one line each --------------------------------


def _one_line_exit_2(*argv: str) -> str:
    with pytest.raises(CommandError) as err:
        call_command(*argv)
    assert err.value.returncode == 2
    assert "\n" not in str(err.value) and "Traceback" not in str(err.value)
    return str(err.value)


@pytest.mark.parametrize(
    "manifest",
    [
        b"[]",
        b'{"format": "spasmcare-backup", "version": 2, "engine": "sqlite"}',
        "\u00e9".encode("latin-1"),
        b"{",
        b'"spasmcare-backup"',
    ],
)
def test_a_malformed_manifest_is_one_line(made: Path, manifest: bytes) -> None:
    _resign(made, manifest)
    before = _state()
    _one_line_exit_2("restore", str(made), "--replace")
    assert _state() == before


@pytest.mark.parametrize("drop", ["files", "engine", "database", "made_at"])
def test_a_manifest_lacking_a_key_is_one_line(made: Path, drop: str) -> None:
    _edit(made, lambda m: m.pop(drop))
    assert drop in _one_line_exit_2("restore", str(made), "--replace")


def test_files_as_a_list_is_one_line(made: Path) -> None:
    _edit(made, lambda m: m.update(files=list(m["files"])))
    assert "files" in _one_line_exit_2("restore", str(made), "--replace")


def test_backup_into_a_file_is_one_line(tmp_path: Path, patient: Any) -> None:
    into = tmp_path / "a-file"
    into.write_text("not a directory")
    _one_line_exit_2("backup", str(into))
    assert into.read_text() == "not a directory"


def test_the_command_line_prints_one_line_and_exits_2(
    made: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _resign(made, b"[1, 2]")
    with pytest.raises(SystemExit) as done:
        execute_from_command_line(["spasmcare.web", "restore", str(made)])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "manifest.json" in err


# --- fuzz: whatever stands in the manifest, a correct restore or a one-line refusal -----------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)
_KEYS = ["format", "version", "made_at", "engine", "database", "rows", "files", "other"]
_PATHS = st.sampled_from(
    ["../x", "/etc/passwd", "uploads", "uploads/", "uploads/../database.sqlite3", "./uploads/a",
     "protocols/confirmations.yaml", "protocols/missing.yaml", "database.sqlite3-wal",
     "uploads/\x00", "uploads/\udc80", "database.pgdump", "protocols/" + "a" * 300]
) | st.text(max_size=20)
_VALID = {"made_at": "2020-01-01T00:00:00+00:00", "version": 2, "engine": "sqlite"}


#: The manifest.sig written beside a drawn manifest: signed with the clinic's key (mostly, so
#: the checks behind the signature are reached), the backup's own (now wrong), or any bytes.
_SIGNATURES = st.one_of(st.just("sign"), st.just("sign"), st.just("old"), st.binary(max_size=160))


@st.composite
def _manifests(draw: st.DrawFn, good: dict[str, Any]) -> tuple[bytes, str | bytes]:
    """Manifest bytes (a mutation of the good one, any JSON, any bytes) and its signature."""
    m = json.loads(json.dumps(good))
    how = draw(st.sampled_from(["same", "valid", "whole", "field", "drop", "file", "row", "bytes"]))
    if how == "bytes":
        return draw(st.binary(max_size=64)), draw(_SIGNATURES)
    if how == "valid":
        m.update({k: _VALID[k] for k in draw(st.sets(st.sampled_from(sorted(_VALID))))})
    elif how == "whole":
        m = draw(_JSON)
    elif how == "field":
        m[draw(st.sampled_from(_KEYS))] = draw(_JSON)
    elif how == "drop":
        m.pop(draw(st.sampled_from(_KEYS)), None)
    elif how == "file":
        m["files"][draw(_PATHS)] = draw(_JSON | st.just("0" * 64))
    elif how == "row":
        m["rows"][draw(st.sampled_from([*good["rows"], "x"]))] = draw(_JSON | st.integers(0, 3))
    return json.dumps(m).encode(), "sign" if how in ("same", "valid") else draw(_SIGNATURES)


def test_fuzzed_manifest_restores_correctly_or_is_refused_in_one_line(made: Path) -> None:
    good = json.loads((made / "manifest.json").read_text())
    signature = (made / "manifest.sig").read_bytes()
    restore(made, replace=True)
    restored = _state()

    @settings_(max_examples=120)
    @given(_manifests(good))
    def check(drawn: tuple[bytes, str | bytes]) -> None:
        data, sig = drawn
        (made / "manifest.json").write_bytes(data)
        (made / "manifest.sig").write_bytes(sig if isinstance(sig, bytes) else signature)
        if sig == "sign":
            _resign(made, data)
        User.objects.get_or_create(username="later", password="!")
        before = _state()
        try:
            restore(made, replace=True)
        except InputError as exc:
            event(f"refused: {exc.field}")
            assert "\n" not in str(exc)
            assert _state() == before
        else:
            event("restored")
            assert _state() == restored

    check()
