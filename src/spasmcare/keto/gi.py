"""Glycaemic index table for the low glycaemic index treatment (LGIT).

References
----------
1. Atkinson FS, Foster-Powell K, Brand-Miller JC. International tables of glycemic index and
   glycemic load values: 2008. Diabetes Care 2008;31(12):2281–2283, Table 1 (data/gi.yaml).
2. Pfeifer HH, Thiele EA. Neurology 2005;65:1810–1812: LGIT allows foods with GI < 50.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class GlycaemicIndex:
    name: str
    gi: float
    sem: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class GiTable:
    """The bundled GI table: its foods, its source and the caution it carries."""

    foods: tuple[GlycaemicIndex, ...]
    source: str
    verify: str | None = None


@cache
def _load() -> GiTable:
    text = resources.files("spasmcare.keto").joinpath("data/gi.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    foods = tuple(GlycaemicIndex(f["name"], float(f["gi"]), f.get("sem")) for f in data["foods"])
    return GiTable(foods, str(data["source"]), data.get("verify"))


def gi_table() -> tuple[GlycaemicIndex, ...]:
    """All foods of the bundled GI table [1]."""
    return _load().foods


def gi_source() -> GiTable:
    """The bundled GI table with its ``source`` and ``verify`` caution [1]."""
    return _load()


def foods_below(cutoff: float) -> list[GlycaemicIndex]:
    """Foods whose GI is strictly below ``cutoff`` (LGIT allows GI < 50 by default [2])."""
    return sorted((f for f in gi_table() if f.gi < cutoff), key=lambda f: (f.gi, f.name))
