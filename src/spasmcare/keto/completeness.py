"""Micronutrient completeness of a day's intake against the US DRI, and the usual KDT supplements.

The day's micronutrients (from the food analysis, plus any supplements given) are compared with
the age group's RDA or AI from ``data/dri.yaml``, where every value names its source [1, 2]. A
total that includes foods whose value is unknown is a lower bound: a shortfall is then reported
as "short or unknown", never hidden.

The supplement advice follows the reference's summary of the International Ketogenic Diet Study
Group recommendations [3]: a multivitamin with minerals (including trace minerals) and calcium
with vitamin D for everyone on a ketogenic diet; oral citrate where kidney stones are a risk
[3, 4]; extra selenium, magnesium, zinc, phosphorus or vitamin D when short [3]; carnitine is
not given empirically [3]. For infants and children who cannot chew, 600–650 mg of sugar-free
oral calcium with a sugar-free multivitamin with iron [5]. Supplements carry carbohydrate too:
count it (see :mod:`spasmcare.keto.medication`).

References
----------
1. National Academies of Sciences, Engineering, and Medicine. Dietary Reference Intakes for
   Sodium and Potassium. 2019, Appendix J (elements table, NCBI Bookshelf NBK545442).
2. Food and Nutrition Board, Institute of Medicine. DRIs: Recommended Dietary Allowances and
   Adequate Intakes, Vitamins (summary table, nap.edu).
3. Arch Dis Child Educ Pract Ed, Table 1 "adapted from Kossoff et al." (Kossoff EH et al.,
   Epilepsia Open 2018;3(2):175–192), as summarised in the project's keto reference §2.5.
4. Front Neurol 2023;14:1215618, Table 3: potassium citrate and hydration against stones.
5. Compass Group. Manual of Clinical Nutrition Management, 2013, "Ketogenic Diet", p. E-16.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from spasmcare.errors import InputError
from spasmcare.keto.ages import as_given, check_age_months
from spasmcare.keto.analysis import MICRONUTRIENTS, NutrientTotal

DRI_PATH = Path(__file__).parent / "data" / "dri.yaml"

#: Minerals and vitamin D the reference lists as "extra, some members" when short [3].
EXTRA_WHEN_SHORT: tuple[str, ...] = (
    "selenium_ug",
    "magnesium_mg",
    "zinc_mg",
    "phosphorus_mg",
    "vitamin_d_ug",
)

_LABELS = {
    "calcium_mg": ("Calcium", "mg"),
    "iron_mg": ("Iron", "mg"),
    "magnesium_mg": ("Magnesium", "mg"),
    "phosphorus_mg": ("Phosphorus", "mg"),
    "potassium_mg": ("Potassium", "mg"),
    "sodium_mg": ("Sodium", "mg"),
    "zinc_mg": ("Zinc", "mg"),
    "copper_mg": ("Copper", "mg"),
    "selenium_ug": ("Selenium", "µg"),
    "vitamin_a_ug_rae": ("Vitamin A (RAE)", "µg"),
    "vitamin_d_ug": ("Vitamin D", "µg"),
    "vitamin_e_mg": ("Vitamin E", "mg"),
    "vitamin_k_ug": ("Vitamin K", "µg"),
    "vitamin_c_mg": ("Vitamin C", "mg"),
    "thiamin_mg": ("Thiamin", "mg"),
    "riboflavin_mg": ("Riboflavin", "mg"),
    "niacin_mg": ("Niacin", "mg"),
    "vitamin_b6_mg": ("Vitamin B6", "mg"),
    "vitamin_b12_ug": ("Vitamin B12", "µg"),
    "folate_ug_dfe": ("Folate (DFE)", "µg"),
}


@dataclass(frozen=True)
class DriValue:
    """One reference intake: ``value`` per day, ``kind`` RDA or AI, with its source."""

    nutrient: str
    group: str
    value: float
    kind: str
    source: str


@dataclass(frozen=True)
class DriTable:
    groups: tuple[dict[str, Any], ...]
    sources: Mapping[str, str]
    values: Mapping[tuple[str, str], DriValue]

    def group_for(self, age_months: float) -> dict[str, Any]:
        """The age group containing ``age_months`` (from ≤ age < to)."""
        check_age_months(age_months)  # 0–120 months for every keto calculation
        for group in self.groups:
            if group["from_months"] <= age_months < group["to_months"]:
                return group
        last = self.groups[-1]["to_months"]
        raise InputError(
            "--age-months",
            as_given(age_months),
            f"an age from 0 to under {last:g} months (0–8 years) for the DRI table",
        )

    def for_group(self, group_id: str) -> dict[str, DriValue]:
        return {n: v for (n, g), v in self.values.items() if g == group_id}


@lru_cache(maxsize=1)
def load_dri(path: Path = DRI_PATH) -> DriTable:
    """Read ``dri.yaml`` (cached)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = dict(doc["sources"])
    values: dict[tuple[str, str], DriValue] = {}
    for nutrient, by_group in doc["nutrients"].items():
        for group, entry in by_group.items():
            values[(nutrient, group)] = DriValue(
                nutrient, group, float(entry["value"]), str(entry["kind"]), sources[entry["source"]]
            )
    return DriTable(tuple(doc["groups"]), sources, values)


@dataclass(frozen=True)
class Supplement:
    """A supplement's daily amounts, keyed like the food table (``calcium_mg``: 600)."""

    name: str
    amounts: Mapping[str, float]

    def __post_init__(self) -> None:
        for key, value in self.amounts.items():
            if key not in MICRONUTRIENTS:
                raise InputError(
                    "--supplement",
                    f"{self.name}:{key}",
                    "nutrient keys such as calcium_mg, "
                    "vitamin_d_ug, selenium_ug (see spasmcare.foods.NUTRIENTS)",
                )
            if not (math.isfinite(value) and value >= 0):
                raise InputError("--supplement", f"{self.name}:{key}={value}", "0 or more")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "amounts": dict(self.amounts)}


def parse_supplement(text: str, field_name: str = "--supplement") -> Supplement:
    """Read ``NAME:key=amount,key=amount`` (per day), e.g. ``calcium:calcium_mg=600``."""
    accepted = "NAME:nutrient_key=AMOUNT[,nutrient_key=AMOUNT], e.g. calcium:calcium_mg=600"
    name, sep, rest = text.partition(":")
    if not sep or not name.strip() or not rest.strip():
        raise InputError(field_name, text, accepted)
    amounts: dict[str, float] = {}
    for part in re.split(r"[,:]", rest):
        key, eq, value = part.partition("=")
        if not eq:
            raise InputError(field_name, text, accepted)
        try:
            amounts[key.strip()] = float(value)
        except ValueError as exc:
            raise InputError(field_name, text, accepted) from exc
    return Supplement(name.strip(), amounts)


def format_amount(value: float) -> str:
    """``600`` for 600.0; the shortest text that reads back as the same float otherwise."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def format_supplement(supplement: Supplement) -> str:
    """The line :func:`parse_supplement` reads back as ``supplement``: ``NAME:key=amount,...``
    in the amounts' order (how a saved keto plan keeps its supplements)."""
    name = supplement.name.strip()
    if not name or ":" in name or name.splitlines() != [name]:
        raise InputError("--supplement", supplement.name, "a name without ':' or a line break")
    if not supplement.amounts:
        raise InputError("--supplement", supplement.name, "at least one nutrient with its amount")
    amounts = ",".join(f"{k}={format_amount(v)}" for k, v in supplement.amounts.items())
    return f"{name}:{amounts}"


@dataclass(frozen=True)
class NutrientRow:
    """One nutrient of the day against its reference."""

    nutrient: str
    label: str
    unit: str
    from_food: float
    unknown_in: tuple[str, ...]
    from_supplements: float
    reference: DriValue

    @property
    def total(self) -> float:
        return self.from_food + self.from_supplements

    @property
    def percent(self) -> float:
        return 100.0 * self.total / self.reference.value

    @property
    def status(self) -> str:
        """``met``; ``short`` (all values known); ``short or unknown`` (a lower bound)."""
        if self.total >= self.reference.value:
            return "met"
        return "short or unknown" if self.unknown_in else "short"

    @property
    def shortfall(self) -> float:
        return max(self.reference.value - self.total, 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nutrient": self.nutrient,
            "label": self.label,
            "unit": self.unit,
            "from_food": self.from_food,
            "from_supplements": self.from_supplements,
            "total": self.total,
            "reference": self.reference.value,
            "kind": self.reference.kind,
            "percent": self.percent,
            "status": self.status,
            "shortfall": self.shortfall,
            "unknown_in": list(self.unknown_in),
            "source": self.reference.source,
        }


@dataclass(frozen=True)
class Advice:
    """A supplement a KDT plan usually needs, why, and the source."""

    supplement: str
    because: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"supplement": self.supplement, "because": self.because, "source": self.source}


@dataclass(frozen=True)
class CompletenessReport:
    age_months: float
    group: str
    rows: tuple[NutrientRow, ...]
    supplements: tuple[Supplement, ...]
    advice: tuple[Advice, ...]
    not_assessed: tuple[str, ...] = field(default=())
    #: The DRI sources the rows rest on (from ``dri.yaml``'s ``sources``).
    sources: tuple[str, ...] = field(default=())

    @property
    def shortfalls(self) -> tuple[NutrientRow, ...]:
        return tuple(r for r in self.rows if r.status != "met")

    def to_dict(self) -> dict[str, Any]:
        return {
            "age_months": self.age_months,
            "group": self.group,
            "rows": [r.to_dict() for r in self.rows],
            "shortfalls": [r.nutrient for r in self.shortfalls],
            "supplements": [s.to_dict() for s in self.supplements],
            "advice": [a.to_dict() for a in self.advice],
            "not_assessed": list(self.not_assessed),
            "sources": list(self.sources),
        }


_IKDSG = (
    "IKDSG recommendations (Kossoff et al. 2018) as adapted in Arch Dis Child Educ Pract, Table 1"
)


def _share(row: NutrientRow) -> str:
    """``at 40 % of the RDA``; with a food whose value is unknown the total is a lower bound,
    so ``at least 40 % of the RDA (unknown in <foods>)``: never a plain 0 % for a food that
    may well contain the nutrient."""
    if not row.unknown_in:
        return f"at {row.percent:.0f} % of the {row.reference.kind}"
    return (
        f"at least {row.percent:.0f} % of the {row.reference.kind} "
        f"(unknown in {', '.join(row.unknown_in)})"
    )


def supplement_advice(
    rows: Sequence[NutrientRow],
    age_months: float,
    stone_risk: bool = False,
    cannot_chew: bool = False,
) -> list[Advice]:
    """The supplements a KDT plan usually needs, given the day's shortfalls (module notes)."""
    short = {r.nutrient: r for r in rows if r.status != "met"}
    advice = [
        Advice(
            "multivitamin with minerals, including trace minerals (sugar-free; count its "
            "carbohydrate)",
            "recommended for every child on a ketogenic diet"
            + ("; short today: " + ", ".join(r.label for r in short.values()) if short else ""),
            _IKDSG,
        ),
        Advice(
            "calcium with vitamin D",
            "recommended for every child on a ketogenic diet"
            + "".join(
                f"; {short[k].label} {_share(short[k])}"
                for k in ("calcium_mg", "vitamin_d_ug")
                if k in short
            ),
            _IKDSG,
        ),
    ]
    if cannot_chew:
        advice.append(
            Advice(
                "600–650 mg oral calcium (sugar-free) and a sugar-free multivitamin with iron",
                "for infants and children who cannot chew",
                "Compass Group, Manual of Clinical Nutrition Management 2013, p. E-16",
            )
        )
    if stone_risk:
        advice.append(
            Advice(
                "oral citrate (e.g. potassium citrate) with good hydration",
                "kidney stones are a risk",
                _IKDSG + "; Front Neurol 2023;14:1215618, Table 3",
            )
        )
    for key in EXTRA_WHEN_SHORT:
        if key in short and key != "vitamin_d_ug":
            row = short[key]
            advice.append(
                Advice(
                    f"extra {row.label.lower()} if the multivitamin does not cover it",
                    f"{row.label} {_share(row)} "
                    f"({'at least ' if row.unknown_in else ''}{row.total:.3g} of "
                    f"{row.reference.value:g} {row.unit})",
                    _IKDSG + " (some members)",
                )
            )
    return advice


def assess(
    micronutrients: Mapping[str, NutrientTotal | float | None],
    age_months: float,
    supplements: Sequence[Supplement] = (),
    *,
    stone_risk: bool = False,
    cannot_chew: bool = False,
) -> CompletenessReport:
    """Compare a day's micronutrients (+ supplements) with the DRI for ``age_months``.

    ``micronutrients`` maps food-table keys to a :class:`NutrientTotal` (from
    :func:`spasmcare.keto.analysis.analyze`), a plain number, or ``None`` (unknown).
    """
    table = load_dri()
    group = table.group_for(age_months)
    refs = table.for_group(group["id"])
    rows: list[NutrientRow] = []
    not_assessed: list[str] = []
    for key in MICRONUTRIENTS:
        ref = refs.get(key)
        if ref is None:
            not_assessed.append(key)
            continue
        value = micronutrients.get(key)
        if isinstance(value, NutrientTotal):
            amount, unknown = value.amount, value.unknown_in
        elif value is None:
            amount, unknown = 0.0, ("all foods",)
        else:
            amount, unknown = float(value), ()
        label, unit = _LABELS[key]
        rows.append(
            NutrientRow(
                nutrient=key,
                label=label,
                unit=unit,
                from_food=amount,
                unknown_in=tuple(unknown),
                from_supplements=sum(s.amounts.get(key, 0.0) for s in supplements),
                reference=ref,
            )
        )
    used_sources = {r.reference.source for r in rows}
    return CompletenessReport(
        age_months=float(age_months),
        group=group["label"],
        rows=tuple(rows),
        supplements=tuple(supplements),
        advice=tuple(supplement_advice(rows, age_months, stone_risk, cannot_chew)),
        not_assessed=tuple(not_assessed),
        sources=tuple(s for s in table.sources.values() if s in used_sources),
    )
