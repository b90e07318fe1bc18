"""Fixtures of the food tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from foods_helpers import raw_bytes

from spasmcare.foods import FoodTable, default_table


@pytest.fixture
def table() -> FoodTable:
    return default_table()


@pytest.fixture
def sr28_subset(tmp_path: Path) -> Path:
    """A small SR28 release: the first 40 foods with their nutrients and measures."""
    out = tmp_path / "sr28-subset"
    out.mkdir()
    for name in ("FD_GROUP.txt", "NUTR_DEF.txt"):
        (out / name).write_bytes(raw_bytes(name))
    food_lines = raw_bytes("FOOD_DES.txt").split(b"\r\n")[:40]
    ids = {line.split(b"^")[0] for line in food_lines}
    (out / "FOOD_DES.txt").write_bytes(b"\r\n".join(food_lines) + b"\r\n")
    for name in ("NUT_DATA.txt", "WEIGHT.txt"):
        lines = [
            line
            for line in raw_bytes(name).split(b"\r\n")
            if line and line.split(b"^", 1)[0] in ids
        ]
        (out / name).write_bytes(b"\r\n".join(lines) + b"\r\n")
    return out
