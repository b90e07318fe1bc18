"""The range of every number given to a keto command, so none can overflow a calculation.

A number outside its range (or not finite: ``inf``, ``nan``, ``1e308`` energy) is refused with
an :class:`~spasmcare.errors.InputError` naming the option, the value and the range, before any
target is computed. The ranges reuse those that exist: weight and length are the record's
absolute growth bounds (:data:`spasmcare.record.plausibility.GROWTH_RANGES`); the diet's own
clinical ranges (MCT %, LGIT carbohydrate, GI cut-off, ratio, meals, feeds, age) stay where they
are checked with their sources (:mod:`spasmcare.keto.prescription`, :mod:`spasmcare.keto.ages`).
Every other bound below is a **software setting**: an input-sanity limit far beyond any child's
prescription (an adult's whole day is about 2,000-3,000 kcal), chosen to catch a slipped digit
and keep every product finite, not a clinical threshold. Zero stays accepted where the commands
already decide what zero means (e.g. "energy above 0" is their own message).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spasmcare.errors import InputError
from spasmcare.record.plausibility import GROWTH_RANGES, Range, check_range

#: Option name -> its accepted range (software settings unless the Range names a source).
OPTION_RANGES: Mapping[str, Range] = {
    "--kcal": Range("energy", "kcal", (0, 10_000)),
    "--kcal-per-kg": Range("energy per kg", "kcal/kg/day", (0, 500)),
    "--energy-percent": Range("share of the estimated energy", "%", (0, 500)),
    "--protein-g": Range("protein", "g", (0, 1_000)),
    "--protein-g-per-kg": Range("protein per kg", "g/kg/day", (0, 20)),
    "--protein-max-g-per-kg": Range("protein upper limit", "g/kg/day", (0, 20)),
    "--fat-g": Range("fat", "g", (0, 1_000)),
    "--carb-g": Range("carbohydrate", "g", (0, 1_000)),
    "--carb-limit-g": Range("carbohydrate limit", "g/day", (0, 1_000)),
    "--med-carb-g": Range("carbohydrate from medicines", "g", (0, 1_000)),
    "--weight-kg": GROWTH_RANGES["weight_kg"],
    "--length-cm": GROWTH_RANGES["length_cm"],
    "--volume-ml": Range("volume", "mL/day", (0, 10_000)),
    "--snack": Range("snack share of the day", "", (0, 1)),
    "--mct-percent": Range("energy from MCT", "%", (0, 100)),
    "--carb-percent": Range("energy from carbohydrate", "%", (0, 100)),
    "--gi-cutoff": Range("glycaemic index cut-off", "", (0, 100)),
    "--resolution": Range("scale step", "g", (0.01, 100)),
    "--powder-resolution": Range("powder step", "g", (0.01, 100)),
    "--liquid-resolution": Range("liquid step", "mL", (0.01, 100)),
    "--ratio-tol": Range("ratio tolerance", "", (0, 10)),
    "--kcal-tol-pct": Range("energy tolerance", "%", (0, 100)),
    "--protein-tol-g": Range("protein tolerance", "g", (0, 100)),
    # issue 24, keto wean: a ratio or carbohydrate g/day (the plan checks each against its
    # schedule's source range)
    "--from": Range("ratio or carbohydrate a day", "", (0, 300)),
    "--to": Range("ratio or carbohydrate a day", "", (0, 300)),
    "--step": Range("weaning step", "", (0, 10)),
    # issue 24, keto feeding-mode
    "--breast-milk-ml": Range("breast milk per feed", "mL", (0, 1_000)),
    "--solid-portion-g": Range("portion of a solid a day", "g", (0, 1_000)),
    "--weeks": Range("weeks of solids", "", (1, 52)),
}

#: Numbers written inside an option's text (software settings): a food's amount
#: (``--item 01001=30``, ``--food 01001:max=40``, ``--powder``/``--liquid``), a liquid's density
#: (``--density``), a medicine's carbohydrate per dose unit and dose units a day
#: (``--medication``), a supplement's amount of one nutrient a day (the planner's supplement
#: rows).
AMOUNT = Range("amount", "g (or mL)", (0, 10_000))
DENSITY = Range("density", "g/mL", (0.1, 10))
MED_CARB_MG_PER_UNIT = Range("carbohydrate per dose unit", "mg", (0, 10_000))
MED_UNITS_PER_DAY = Range("dose units a day", "", (0, 1_000))
#: One nutrient's amount a day in a supplement, in that nutrient's own unit (mg or µg, as the
#: food table keeps it): a software setting like the others, not a dose limit.
SUPPLEMENT_AMOUNT_PER_DAY = Range("amount a day", "", (0, 100_000))


def check_value(rng: Range, value: float, field: str, shown: Any = None) -> float:
    """``value`` inside ``rng`` (finite), else an InputError naming ``field``, ``shown`` (the
    text given; default the value) and the range with its source."""
    try:
        return check_range(rng, value, field)
    except InputError:
        low, high = rng.hard
        accepted = f"{rng.label} from {low:g} to {high:g} {rng.unit}".rstrip()
        raise InputError(
            field, value if shown is None else shown, f"{accepted} ({rng.source})"
        ) from None


def check_option(name: str, value: Any) -> None:
    """Refuse ``value`` of option ``name`` outside :data:`OPTION_RANGES` (a list: each item);
    an option without a range is not checked here."""
    rng = OPTION_RANGES.get(name)
    if rng is None or value is None:
        return
    for item in value if isinstance(value, list | tuple) else [value]:
        if isinstance(item, bool) or not isinstance(item, int | float):
            continue
        check_value(rng, item, name)
