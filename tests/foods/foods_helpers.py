"""Helpers of the food tests: where SR28 lives and how to read it raw.

The SR28 ASCII files ship inside the repository, xz-compressed (``data/usda-sr28``);
``SPASMCARE_SR28`` points at another copy, plain or compressed. They are read here with the
standard library only, independently of :mod:`spasmcare.foods.sr28`.
"""

from __future__ import annotations

import lzma
import os
from functools import lru_cache
from pathlib import Path

import pytest

from spasmcare.foods.nutrients import SR28_NUTRIENTS

REPO_ROOT = Path(__file__).resolve().parents[2]
SR28_DIR = Path(os.environ.get("SPASMCARE_SR28", REPO_ROOT / "data" / "usda-sr28"))


def sr28_dir() -> Path:
    """The SR28 directory; a clear failure (not a skip) when it is missing."""
    if not any((SR28_DIR / name).is_file() for name in ("NUT_DATA.txt", "NUT_DATA.txt.xz")):
        pytest.fail(f"SR28 ASCII files not found at {SR28_DIR} (set SPASMCARE_SR28)")
    return SR28_DIR


def raw_bytes(name: str) -> bytes:
    """The published bytes of one SR28 file, plain or decompressed from ``name.xz``."""
    plain = sr28_dir() / name
    if plain.is_file():
        return plain.read_bytes()
    return lzma.decompress((sr28_dir() / f"{name}.xz").read_bytes())


def raw_records(name: str) -> list[list[str]]:
    """Fields of an SR28 file read directly (independent of spasmcare.foods.sr28)."""
    text = raw_bytes(name).decode("latin-1")
    return [[f.strip("~") for f in line.split("^")] for line in text.split("\r\n") if line]


@lru_cache(maxsize=1)
def raw_nut_values() -> dict[tuple[str, str], str]:
    """NUT_DATA value text by (NDB_No, Nutr_No) for the nutrients spasmcare keeps (read once)."""
    wanted = {n.sr28 for n in SR28_NUTRIENTS}
    out = {}
    for line in raw_bytes("NUT_DATA.txt").decode("latin-1").split("\r\n"):
        fields = line.split("^", 3)
        if len(fields) > 2 and fields[1].strip("~") in wanted:
            out[(fields[0].strip("~"), fields[1].strip("~"))] = fields[2]
    return out
