"""Specialty ketogenic products that SR28 does not hold (curated in ``data/specialty.yaml``).

Values, sources and reliability tags are those of the project's facts file [1]_ or of the
product's own published composition [2]_ [3]_; the weak ones
carry a ``verify`` note ("verify against the label"). No density is invented: where the facts file
gives none, ``density_g_per_ml`` is ``None`` and per-100 g values of a per-100 mL product stay
unknown until a clinic sets one (:meth:`spasmcare.foods.FoodTable.set_density`).

References
----------
.. [1] spasmcare facts file ``shared/reference/keto-therapy.md``, §6 "Formula / custom-food
   composition" (nutricia.ca KetoCal 4:1 page; Matthew's Friends / Nutricia notice March 2016;
   shop.medicalfood.com Liquigen page; Mead Johnson MCT Oil monograph; hobby food databases).
.. [2] Nutricia Canada. Polycal Powder product page (nutricia.ca/polycal-powder): per 100 g
   384 kcal, carbohydrate 96.0 g, protein 0, fat 0; for one year of age and older.
.. [3] Calogen (Nutricia long-chain fat emulsion): 4.5 kcal/mL, protein-free (themedichannel.com),
   200 mL = 100 g fat (ntro.it.com). Secondary sources only: the entry carries a ``verify`` note
   (a composition a clinic must confirm against the label).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from spasmcare.foods.model import BASIS_G, BASIS_ML, Food, Measure

SPECIALTY_PATH = Path(__file__).parent / "data" / "specialty.yaml"


def food_from_entry(entry: dict[str, Any]) -> Food:
    """One product entry of the YAML file as a :class:`Food`."""
    basis = entry["basis"]
    values = entry.get("values") or {}
    kwargs: dict[str, Any] = dict(
        source=entry["source"],
        group=entry.get("group"),
        measures=[Measure(m["amount"], m["unit"], m["grams"]) for m in entry.get("measures") or []],
        density_g_per_ml=entry.get("density_g_per_ml"),
        verify=entry.get("verify"),
        reliability=entry.get("reliability"),
        notes=entry.get("notes") or (),
        aliases=entry.get("aliases") or (),
    )
    if basis == BASIS_G:
        return Food(entry["id"], entry["name"], values, **kwargs)
    if basis == BASIS_ML:
        return Food(entry["id"], entry["name"], per_100ml=values, **kwargs)
    raise ValueError(f"{entry['id']}: basis must be {BASIS_G!r} or {BASIS_ML!r}, not {basis!r}")


def load_specialty(path: Path | None = None) -> list[Food]:
    """All products of the curated file, in file order."""
    with open(path or SPECIALTY_PATH, encoding="utf-8") as fh:
        document = yaml.safe_load(fh)
    if document.get("format") != "spasmcare-specialty/1":
        raise ValueError(f"{path or SPECIALTY_PATH}: not a spasmcare specialty file")
    return [food_from_entry(e) for e in document["products"]]
