"""Protocol files are validated once per file version and validator, then trusted by hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spasmcare.errors import InputError
from spasmcare.therapy import protocol, validated


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = protocol.validate_protocol

    def counting(data: Any, where: str) -> None:
        seen.append(Path(where).name)
        real(data, where)

    monkeypatch.setattr(protocol, "validate_protocol", counting)
    _new_process(monkeypatch)  # nothing parsed yet
    return seen


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: no file parsed, no listing of the files kept."""
    monkeypatch.setattr(protocol, "_CACHE", {})
    monkeypatch.setattr(protocol, "_KNOWN", {})


def test_second_run_trusts_the_files_that_passed(
    spy: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = protocol.all_versions(None)
    n = sum(len(v) for v in first.values())
    assert n >= 1 and len(spy) == n
    _new_process(monkeypatch)
    second = protocol.all_versions(None)
    assert len(spy) == n  # no file validated again
    assert {k: sorted(v) for k, v in second.items()} == {k: sorted(v) for k, v in first.items()}


def test_a_new_validator_validates_again(spy: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    protocol.all_versions(None)
    n = len(spy)
    _new_process(monkeypatch)
    monkeypatch.setattr(validated, "fingerprint", lambda: "another schema or validating code")
    protocol.all_versions(None)
    assert len(spy) == 2 * n


def test_cache_off_validates_every_run(spy: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPASMCARE_CACHE_DIR", "off")
    protocol.all_versions(None)
    n = len(spy)
    _new_process(monkeypatch)
    protocol.all_versions(None)
    assert len(spy) == 2 * n


def test_an_invalid_file_is_never_remembered(
    spy: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = sorted(protocol.BUNDLED_DIR.glob("*.yaml"))[0]
    text = bundled.read_text("utf-8").replace("sources:", "sourcez:", 1)
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / bundled.name.replace(".v1.", ".v9.")).write_text(text, "utf-8")
    for _ in range(2):
        _new_process(monkeypatch)
        with pytest.raises(InputError):
            protocol.all_versions(clinic)
    assert spy.count(bundled.name.replace(".v1.", ".v9.")) == 2
