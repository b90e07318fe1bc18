"""Issue 20 (5): every file the CLI reads goes through one bounded reader, so /dev/zero, a pipe
or a huge file is refused (exit 2, one line naming the file and the limit) after reading at
most limit + 1 bytes. The limit is lowered in most tests to keep them small."""

from __future__ import annotations

import json
import os
import threading
import tracemalloc
from pathlib import Path

import pytest

from spasmcare import bounded
from spasmcare.errors import InputError
from tests.conftest import run_cli
from tests.interop.test_fhir import TODAY, small_record

ZERO = Path("/dev/zero")
LIMIT = 4096

needs_dev_zero = pytest.mark.skipif(not ZERO.exists(), reason="no /dev/zero")


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(bounded, "MAX_INPUT_BYTES", LIMIT)
    return LIMIT


def _refused(code: int, err: str, path: str) -> None:
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert path in err and "4,096 bytes" in err and "software limit" in err


@needs_dev_zero
def test_record_validate_dev_zero_refused(
    capsys: pytest.CaptureFixture[str], small_limit: int
) -> None:
    code, _, err = run_cli(capsys, "record", "validate", str(ZERO))
    _refused(code, err, "/dev/zero")
    assert "RECORD" in err


@needs_dev_zero
def test_import_fhir_dev_zero_refused_and_record_untouched(
    capsys: pytest.CaptureFixture[str], small_limit: int, tmp_path: Path
) -> None:
    rec = tmp_path / "r.json"
    rec.write_text(json.dumps(small_record()))
    before = rec.read_bytes()
    code, _, err = run_cli(capsys, "import", "fhir", str(ZERO), "--into", str(rec))
    _refused(code, err, "/dev/zero")
    assert "BUNDLE" in err and rec.read_bytes() == before
    bnd = tmp_path / "b.json"
    bnd.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []}))
    code, _, err = run_cli(capsys, "import", "fhir", str(bnd), "--into", str(ZERO))
    _refused(code, err, "/dev/zero")
    assert "--into" in err


def test_oversize_record_file_refused_and_one_under_the_limit_read(
    capsys: pytest.CaptureFixture[str], small_limit: int, tmp_path: Path
) -> None:
    doc = small_record()
    text = json.dumps(doc)
    assert len(text.encode()) <= LIMIT
    path = tmp_path / "r.json"
    path.write_text(text)
    code, _, err = run_cli(capsys, "record", "validate", str(path), "--today", TODAY.isoformat())
    assert code == 0, err
    path.write_text(text + " " * (LIMIT + 1 - len(text.encode())))  # valid JSON, one byte over
    code, _, err = run_cli(capsys, "record", "validate", str(path), "--today", TODAY.isoformat())
    _refused(code, err, str(path))


def test_meal_file_refused_through_the_same_reader(
    capsys: pytest.CaptureFixture[str], small_limit: int, tmp_path: Path
) -> None:
    path = tmp_path / "meal.json"
    path.write_bytes(b" " * (LIMIT + 1))
    code, _, err = run_cli(capsys, "keto", "swap", "--replace", "01053=01052", "--meal", str(path))
    _refused(code, err, str(path))
    assert "--meal" in err


def test_pipe_read_stops_at_the_limit(small_limit: int, tmp_path: Path) -> None:
    """A FIFO whose writer would go on for ever: the reader takes limit + 1 bytes and stops."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    written = 0

    def writer() -> None:
        nonlocal written
        chunk = b"x" * 1024
        try:
            with open(fifo, "wb") as handle:
                while written < 100 * LIMIT:  # more than the reader will take
                    handle.write(chunk)
                    written += len(chunk)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    with pytest.raises(InputError) as caught:
        bounded.read_bytes(fifo, "RECORD")
    thread.join(timeout=10)
    assert caught.value.field == "RECORD" and str(fifo) in str(caught.value.value)
    assert written < 100 * LIMIT  # the writer was cut off, not drained


def test_large_record_refused_without_reading_it_whole(tmp_path: Path) -> None:
    """A 200 MB record (a sparse file: no disk used) with the default 20 MB limit: refused,
    with at most about the limit in memory, not twice the file."""
    path = tmp_path / "big.json"
    with open(path, "wb") as handle:
        handle.truncate(200_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            bounded.read_text(path, "RECORD")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "20 MB" in caught.value.accepted
    assert peak < 1.5 * bounded.MAX_INPUT_BYTES


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="a readable file"):
        bounded.read_text(tmp_path / "missing.json", "RECORD")
    with pytest.raises(InputError, match="a readable file"):
        bounded.read_text(tmp_path, "RECORD")  # a directory
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"a": "\xe9"}')
    with pytest.raises(InputError, match="UTF-8"):
        bounded.read_text(bad, "RECORD")


def test_food_table_decompressed_with_a_limit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A gzip file that expands past the limit (a "zip bomb", here small) is refused, reading
    at most the limit + 1 decompressed bytes."""
    import gzip

    from spasmcare.foods import sr28

    monkeypatch.setattr(sr28, "MAX_TABLE_BYTES", LIMIT)
    bomb = tmp_path / "table.json.gz"
    bomb.write_bytes(gzip.compress(b" " * (LIMIT * 10)))
    code, _, err = run_cli(capsys, "foods", "index", "--table", str(bomb))
    assert code == 2, err
    assert str(bomb) in err and "4,096 bytes uncompressed" in err
