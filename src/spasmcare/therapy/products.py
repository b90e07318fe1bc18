"""The product of each drug a plan measures volumes with, and the checks on its strength.

A plan's volumes are only as right as the strength they are computed for: this module names the
product per drug (:func:`choose_products`), warns when a drug has products of different
strengths (:func:`product_warnings`) and refuses a volume that does not deliver its dose
(:func:`check_volume`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spasmcare.errors import InputError
from spasmcare.therapy.protocol import Protocol

#: The mark of a product whose strength the clinician typed at planning (clinician pages only).
GIVEN_AT_PLANNING = " (given at planning)"


@dataclass(frozen=True)
class Product:
    """The product of one drug used for volumes: name and strength [mg/mL or U/mL]."""

    name: str
    concentration: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "concentration": self.concentration, "unit": self.unit}


def check_volume(
    dose: float, volume_ml: float, product: Product, step_ml: float, drug: str
) -> None:
    """Refuse a volume that does not deliver ``dose`` within one syringe mark of ``product``.

    The last guard before a volume is printed: a volume computed from another strength (half or
    twice the right one) is off by far more than one mark and raises instead of printing.
    """
    delivered = volume_ml * product.concentration
    if abs(delivered - dose) > step_ml * product.concentration + 1e-6:
        raise InputError(
            "products",
            f"{drug}: {volume_ml:g} mL of {product.concentration:g} {product.unit}",
            f"a volume that delivers {dose:g} (it delivers {delivered:g})",
        )


def named_product(course: Mapping[str, Any], wanted: str) -> Product:
    """The product of ``course`` whose name contains ``wanted`` (case-insensitive), e.g.
    "vigafyde" or "50 mg/mL"; exactly one must match."""
    listed = list(course.get("products") or [])
    found = [p for p in listed if wanted.strip().lower() in str(p["name"]).lower()]
    if len(found) != 1 or not wanted.strip():
        names = "; ".join(str(p["name"]) for p in listed) or "(none listed: give a strength)"
        raise InputError("products", f"{course['drug']}={wanted}", f"one product of: {names}")
    p = found[0]
    return Product(str(p["name"]), float(p["concentration"]), str(p["unit"]))


def product_warnings(course: Mapping[str, Any], product: Product) -> list[str]:
    """Warnings that keep a twofold (or other) volume error from passing silently.

    When the drug has listed products of different strengths (vigabatrin 50 mg/mL made-up
    powder vs 100 mg/mL VIGAFYDE solution [1]), the plan says which strength its volumes are
    for and what the other product's volume would be; a strength given at planning that no
    listed product has is named too. Every printed volume also carries its strength
    (:func:`spasmcare.therapy.export.volume_text`).

    References
    ----------
    1. openFDA NDC records (drug-protocols-evidence.md D-8): the same mg/kg dose is half the
       volume with the 100 mg/mL solution; label volume tables apply to 50 mg/mL only.
    """
    listed = list(course.get("products") or [])
    strengths = sorted({float(p["concentration"]) for p in listed})
    out: list[str] = []
    drug = course["drug"]
    if listed and product.concentration not in strengths:
        shown = ", ".join(f"{s:g}" for s in strengths)
        out.append(
            f"{drug}: the volumes are for {product.concentration:g} {product.unit}, a strength no "
            f"listed product has ({shown} {product.unit}): check the bottle before giving"
        )
    for other in strengths:
        if other == product.concentration:
            continue
        ratio = product.concentration / other
        out.append(
            f"{drug}: every volume is for {product.name} ({product.concentration:g} "
            f"{product.unit}); the {other:g} {product.unit} product needs {ratio:g} times that "
            "volume: check the bottle against the strength printed beside each volume"
        )
    return out


def choose_products(
    protocol: Protocol, products: Mapping[str, float | str] | None
) -> tuple[dict[str, Product], list[str]]:
    """The product per drug of ``protocol`` and the warnings about it (see :func:`plan_course`).

    ``products`` maps a drug to a strength [mg/mL or U/mL] or to part of a listed product's
    name; a drug not given takes the protocol's first listed product, and a drug with none is
    named in a warning (no volumes are computed for it).
    """
    warnings: list[str] = []
    chosen: dict[str, Product] = {}
    drug_names = {c["drug"].lower(): c for c in protocol.courses}
    for drug, strength in (products or {}).items():
        course = drug_names.get(drug.lower())
        if course is None:
            raise InputError("products", drug, "a drug of this protocol: " + ", ".join(drug_names))
        if isinstance(strength, str):
            chosen[course["drug"]] = named_product(course, strength)
            continue
        if not (isinstance(strength, int | float) and math.isfinite(strength) and strength > 0):
            raise InputError("products", f"{drug}={strength}", "a strength above 0")
        unit = "mg/mL" if course["unit"] == "mg" else "U/mL"
        name = f"{course['drug']} {strength:g} {unit}{GIVEN_AT_PLANNING}"
        chosen[course["drug"]] = Product(name, float(strength), unit)
    for course in protocol.courses:
        if course["drug"] not in chosen and course.get("products"):
            p = course["products"][0]
            chosen[course["drug"]] = Product(p["name"], float(p["concentration"]), p["unit"])
        if course["drug"] not in chosen:
            warnings.append(
                f"{course['drug']}: no product strength given, so no volumes (give the "
                "strength of the clinic's liquid, in mg per mL, in the product field)"
            )
    for course in protocol.courses:
        if course["drug"] in chosen:
            warnings += product_warnings(course, chosen[course["drug"]])
    return chosen, warnings
