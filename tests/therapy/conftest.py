"""Shared fixtures: a clinic directory in which every confirmable detail is confirmed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from spasmcare.errors import InputError
from spasmcare.therapy import Protocol, confirm_detail, list_protocols, load_protocol

WHEN = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def confirm_all(protocol_id: str, directory: Path, skip: tuple[str, ...] = ()) -> Protocol:
    """Confirm every flagged detail that has its content written (others stay flagged)."""
    p = load_protocol(protocol_id, protocols_dir=directory)
    for key in sorted(p.details):
        if key in skip:
            continue
        try:
            p = confirm_detail(p, key, "Dr Test, consultant", directory, at=WHEN)
        except InputError:
            continue  # a detail whose doses the clinic must still write (dose: null)
    return p


@pytest.fixture(scope="session")
def confirmed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("clinic")
    for p in list_protocols():
        confirm_all(p.id, directory)
    return directory
