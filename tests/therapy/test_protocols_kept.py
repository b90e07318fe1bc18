"""The protocol files are read once per listing of the files, not on every load (issue 21: a
plan or a page that named one protocol read, hashed and copied all 26 files, 4.9 ms a call),
and every caller still gets a copy it may change."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from spasmcare.therapy import protocol


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    protocol._KNOWN.clear()
    seen: list[str] = []
    real = protocol._read_shared

    def counting(path: Path, origin: str) -> Any:
        seen.append(path.name)
        return real(path, origin)

    monkeypatch.setattr(protocol, "_read_shared", counting)
    return seen


def test_files_read_once_while_unchanged(reads: list[str], tmp_path: Path) -> None:
    bundled = len(protocol._files(protocol.BUNDLED_DIR))
    first = protocol.load_protocol("prednisolone-high-dose", protocols_dir=tmp_path)
    assert len(reads) == bundled
    protocol.load_protocol("vigabatrin", protocols_dir=tmp_path)
    protocol.all_versions(tmp_path)
    protocol.version_titles(tmp_path)
    assert len(reads) == bundled  # nothing read again
    assert first.id == "prednisolone-high-dose"


def test_a_clinic_file_added_or_rewritten_is_read(reads: list[str], tmp_path: Path) -> None:
    protocol.all_versions(tmp_path)
    bundled = len(reads)
    source = protocol.BUNDLED_DIR / "vigabatrin.v1.yaml"
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    versions = protocol.all_versions(tmp_path)
    assert len(reads) == 2 * bundled + 1  # a new listing: every file again, the copy too
    assert versions["vigabatrin"][1].origin == "clinic"
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    protocol.all_versions(tmp_path)
    assert len(reads) == 3 * bundled + 2


def test_callers_get_copies(reads: list[str], tmp_path: Path) -> None:
    one = protocol.load_protocol("prednisolone-high-dose", protocols_dir=tmp_path)
    one.data["title"] = "changed by a caller"
    every = protocol.all_versions(tmp_path)
    assert every["prednisolone-high-dose"][one.version].title != "changed by a caller"
    every["prednisolone-high-dose"][one.version].data["title"] = "changed again"
    again = protocol.load_protocol("prednisolone-high-dose", protocols_dir=tmp_path)
    assert again.title not in ("changed by a caller", "changed again")
    titles = protocol.version_titles(tmp_path)
    assert titles["prednisolone-high-dose"][one.version] == again.title
