"""The ketogenic-diet prescription of a demo infant (:attr:`DemoInfant.keto`).

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from spasmcare.errors import InputError

if TYPE_CHECKING:
    from spasmcare.keto.prescription import Prescription


def keto_prescription(keto: Mapping[str, Any]) -> Prescription:
    """The prescription for a :attr:`DemoInfant.keto` dict (the default energy, protein and
    fluid rules of :mod:`spasmcare.keto.prescription`)."""
    from spasmcare.keto import prescription as rx  # local: keto is not needed to build records

    patient = rx.Patient(
        keto["age_months"], keto["weight_kg"], keto.get("sex"), keto.get("length_cm")
    )
    meals = int(keto.get("meals", 3))
    diet = keto["diet"]
    if diet == "classic":
        return rx.classic(patient, float(keto["ratio"]), meals=meals)
    if diet == "mct":
        return rx.mct(
            patient, mct_percent=keto.get("mct_percent", rx.MCT_PERCENT_DEFAULT), meals=meals
        )
    if diet == "mad":
        return rx.mad(
            patient, carb_limit_g=keto.get("carb_limit_g", rx.MAD_CARB_G_DEFAULT), meals=meals
        )
    if diet == "lgit":
        return rx.lgit(
            patient,
            carb_g=keto.get("carb_g", rx.LGIT_CARB_G_DEFAULT),
            gi_cutoff=keto.get("gi_cutoff", rx.LGIT_GI_CUTOFF_DEFAULT),
            meals=meals,
        )
    raise InputError("keto.diet", diet, "one of classic, mct, mad, lgit")
