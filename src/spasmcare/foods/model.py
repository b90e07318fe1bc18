"""A food: its composition per 100 g (and per 100 mL when a density is known) and measures."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spasmcare.errors import InputError
from spasmcare.foods.nutrients import NUTRIENT_KEYS

_KEY_INDEX = {k: i for i, k in enumerate(NUTRIENT_KEYS)}
_UNKNOWN: tuple[float | None, ...] = (None,) * len(NUTRIENT_KEYS)

BASIS_G = "100 g"
BASIS_ML = "100 mL"

#: Upper bound of fat + protein + carbohydrate + water [g/100 g] accepted for a food. These four
#: add up to about 100 g less ash; SR28's own maximum is 104.7 g (NDB 15210), so a few grams over
#: 100 are analytical scatter, not an error.
MAX_MACRO_WATER_G = 105.0

#: Upper bound of energy [kcal/100 g]: 100 g of pure fat at the highest fat factor in SR28
#: (9.04 kcal/g, FOOD_DES ``Fat_Factor``) is 904 kcal.
MAX_KCAL = 905.0


@dataclass(frozen=True)
class Measure:
    """A household measure: ``amount`` ``unit`` weighs ``grams`` (e.g. 1 tbsp = 14.2 g)."""

    amount: float
    unit: str
    grams: float

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "unit": self.unit, "grams": self.grams}


def _number(
    field: str, value: Any, *, allow_zero: bool = True, accepted: str | None = None
) -> float:
    """``value`` as a float when it is a finite number > 0 (or 0 with ``allow_zero``); else an
    InputError naming ``field`` (``accepted``: the words for what is accepted)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok and math.isfinite(value) and (value > 0 or (allow_zero and value == 0)):
        return float(value)
    what = "a finite number ≥ 0" if allow_zero else "a finite number > 0"
    raise InputError(field, value, accepted or what)


def _values_tuple(values: Mapping[str, float | None], field: str) -> tuple[float | None, ...]:
    out: list[float | None] = [None] * len(NUTRIENT_KEYS)
    for key, value in values.items():
        if key not in _KEY_INDEX:
            raise InputError(
                f"{field}.{key}", value, "nutrient keys of spasmcare.foods.NUTRIENTS, e.g. 'fat_g'"
            )
        out[_KEY_INDEX[key]] = None if value is None else _number(f"{field}.{key}", value)
    return tuple(out)


def _scaled(values: tuple[float | None, ...], factor: float) -> tuple[float | None, ...]:
    return tuple(None if v is None else v * factor for v in values)


class Food:
    """One food of the table.

    Parameters
    ----------
    id : str
        SR28 NDB number (``"01001"``), a specialty product slug (``"ketocal-4-1-powder"``) or a
        clinic-chosen id.
    name : str
        Display name.
    per_100g : Mapping[str, float | None], optional
        Amounts per 100 g, keyed by :data:`~spasmcare.foods.NUTRIENTS` keys. Keys not given are
        unknown (``None``), never zero.
    per_100ml : Mapping[str, float | None], optional
        Amounts per 100 mL, for a product declared by volume (give this *instead of* ``per_100g``).
        With ``density_g_per_ml`` the per-100 g values follow; without it they stay unknown.
    source : str
        Where the values come from (``"USDA SR28"``, a product page, ``"clinic"``).
    group : str, optional
        Food group.
    measures : iterable of Measure
        Household measures.
    density_g_per_ml : float, optional
        Density [g/mL]; ``None`` when not known.
    verify : str, optional
        A caution shown with the food, e.g. "verify against the label".
    reliability, notes, aliases, ingredients, cooked_weight_g
        Provenance and search words; ``ingredients`` is ``((food_id, grams), ...)`` for a recipe.
    """

    __slots__ = (
        "id",
        "name",
        "source",
        "group",
        "basis",
        "density_g_per_ml",
        "verify",
        "reliability",
        "notes",
        "aliases",
        "ingredients",
        "cooked_weight_g",
        "_g",
        "_ml",
        "_measures",
    )

    id: str
    name: str
    source: str
    group: str | None
    basis: str
    density_g_per_ml: float | None
    verify: str | None
    reliability: str | None
    notes: tuple[str, ...]
    aliases: tuple[str, ...]
    ingredients: tuple[tuple[str, float], ...]
    cooked_weight_g: float | None
    _g: tuple[float | None, ...]
    _ml: tuple[float | None, ...] | None
    _measures: tuple[Measure, ...]

    def __init__(
        self,
        id: str,
        name: str,
        per_100g: Mapping[str, float | None] | None = None,
        *,
        per_100ml: Mapping[str, float | None] | None = None,
        source: str = "clinic",
        group: str | None = None,
        measures: Iterable[Measure] = (),
        density_g_per_ml: float | None = None,
        verify: str | None = None,
        reliability: str | None = None,
        notes: Iterable[str] = (),
        aliases: Iterable[str] = (),
        ingredients: Iterable[tuple[str, float]] = (),
        cooked_weight_g: float | None = None,
    ) -> None:
        if not isinstance(id, str) or not id.strip():
            raise InputError("food_id", id, "a non-empty text id")
        if not isinstance(name, str) or not name.strip():
            raise InputError("name", name, "a non-empty food name")
        if per_100g is not None and per_100ml is not None:
            raise InputError("per_100ml", dict(per_100ml), "either per_100g or per_100ml, not both")
        density = None
        if density_g_per_ml is not None:
            density = _number("density_g_per_ml", density_g_per_ml, allow_zero=False)
        measure_list = []
        for m in measures:
            if not isinstance(m, Measure):
                m = Measure(*m)
            _number("measures.amount", m.amount, allow_zero=False)
            _number("measures.grams", m.grams, allow_zero=False)
            measure_list.append(Measure(float(m.amount), str(m.unit), float(m.grams)))
        if per_100ml is not None:
            ml = _values_tuple(per_100ml, "per_100ml")
            # 100 mL weigh 100 × density g, so per 100 g = per 100 mL ÷ density.
            g = _UNKNOWN if density is None else _scaled(ml, 1.0 / density)
            basis = BASIS_ML
        else:
            g = _values_tuple(per_100g or {}, "per_100g")
            ml = None
            basis = BASIS_G
        ingr = tuple((str(fid), float(grams)) for fid, grams in ingredients)
        self._init(
            id=id.strip(),
            name=name.strip(),
            source=source,
            group=group,
            basis=basis,
            density_g_per_ml=density,
            verify=verify,
            reliability=reliability,
            notes=tuple(notes),
            aliases=tuple(aliases),
            ingredients=ingr,
            cooked_weight_g=cooked_weight_g,
            _g=g,
            _ml=ml,
            _measures=tuple(measure_list),
        )
        check_composition(self)

    def _init(self, **fields: Any) -> None:
        for key, value in fields.items():
            object.__setattr__(self, key, value)

    @classmethod
    def _trusted(
        cls,
        id: str,
        name: str,
        values: tuple[float | None, ...],
        source: str,
        group: str | None,
        measures: tuple[Measure, ...],
        aliases: tuple[str, ...] = (),
    ) -> Food:
        """Build without checks (data already checked by the build, e.g. SR28)."""
        food = cls.__new__(cls)
        food._init(
            id=id,
            name=name,
            source=source,
            group=group,
            basis=BASIS_G,
            density_g_per_ml=None,
            verify=None,
            reliability=None,
            notes=(),
            aliases=aliases,
            ingredients=(),
            cooked_weight_g=None,
            _g=values,
            _ml=None,
            _measures=measures,
        )
        return food

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"Food is immutable; cannot set {key!r}")

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, s) for s in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Food):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((self.id, self.name, self._g))

    def __repr__(self) -> str:
        return f"Food(id={self.id!r}, name={self.name!r}, source={self.source!r})"

    # ----------------------------------------------------------------- values
    @property
    def per_100g(self) -> dict[str, float | None]:
        """Amounts per 100 g by nutrient key (a new dict each time; ``None`` = unknown)."""
        return dict(zip(NUTRIENT_KEYS, self._g, strict=True))

    @property
    def per_100ml(self) -> dict[str, float | None] | None:
        """Amounts per 100 mL, or ``None`` when the food has no volume basis and no density."""
        if self._ml is not None:
            return dict(zip(NUTRIENT_KEYS, self._ml, strict=True))
        if self.density_g_per_ml is not None:
            return dict(zip(NUTRIENT_KEYS, _scaled(self._g, self.density_g_per_ml), strict=True))
        return None

    @property
    def measures(self) -> list[Measure]:
        """Household measures (a new list each time)."""
        return list(self._measures)

    @property
    def is_recipe(self) -> bool:
        return bool(self.ingredients)

    def value(self, key: str) -> float | None:
        """Amount of ``key`` per 100 g (``None`` = unknown)."""
        try:
            return self._g[_KEY_INDEX[key]]
        except KeyError:
            raise InputError("nutrient", key, "one of " + ", ".join(NUTRIENT_KEYS)) from None

    def nutrient(self, key: str, grams: float) -> float | None:
        """Amount of nutrient ``key`` in ``grams`` g of this food; ``None`` when unknown."""
        per_100 = self.value(key)
        amount = _number("grams", grams)
        return None if per_100 is None else per_100 * amount / 100.0

    def nutrient_ml(self, key: str, ml: float) -> float | None:
        """Amount of nutrient ``key`` in ``ml`` mL; ``None`` when unknown or no volume basis."""
        self.value(key)
        amount = _number("ml", ml)
        per_100ml = self.per_100ml
        if per_100ml is None or per_100ml[key] is None:
            return None
        return per_100ml[key] * amount / 100.0  # type: ignore[operator]

    def with_density(self, density_g_per_ml: float, note: str) -> Food:
        """A copy with a density set (per-100 g values follow for a per-100 mL product).

        ``note`` says where the density comes from (a label, a measurement); it is kept in
        :attr:`notes` because spasmcare never invents a density.
        """
        if not isinstance(note, str) or not note.strip():
            raise InputError("note", note, "words saying where the density comes from")
        common: dict[str, Any] = dict(
            source=self.source,
            group=self.group,
            measures=self._measures,
            density_g_per_ml=density_g_per_ml,
            verify=self.verify,
            reliability=self.reliability,
            notes=(*self.notes, f"density {density_g_per_ml} g/mL: {note.strip()}"),
            aliases=self.aliases,
            ingredients=self.ingredients,
            cooked_weight_g=self.cooked_weight_g,
        )
        if self._ml is not None:
            return Food(self.id, self.name, per_100ml=self.per_100ml, **common)
        return Food(self.id, self.name, self.per_100g, **common)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: every nutrient key present, ``None`` when unknown."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "source": self.source,
            "group": self.group,
            "basis": self.basis,
            "density_g_per_ml": self.density_g_per_ml,
            "per_100g": self.per_100g,
            "measures": [m.to_dict() for m in self._measures],
        }
        if self.per_100ml is not None:
            out["per_100ml"] = self.per_100ml
        if self.verify:
            out["verify"] = self.verify
        if self.reliability:
            out["reliability"] = self.reliability
        if self.notes:
            out["notes"] = list(self.notes)
        if self.ingredients:
            out["ingredients"] = [{"food_id": f, "grams": g} for f, g in self.ingredients]
            out["cooked_weight_g"] = self.cooked_weight_g
        return out


def check_composition(food: Food) -> None:
    """Reject a composition that cannot be real (checks on the basis the values were given).

    Rules: every amount ≥ 0 (checked on entry); fat + protein + carbohydrate + water ≤
    :data:`MAX_MACRO_WATER_G` per 100 g; fibre ≤ carbohydrate by difference (which includes
    it); sugars ≤ carbohydrate + 1 g (SR28 itself has sugars up to 0.2 g above carbohydrate, e.g.
    NDB 01053); MCT ≤ fat; energy ≤ :data:`MAX_KCAL` per 100 g. Every SR28 food passes.
    """
    if food._ml is not None:
        values = dict(zip(NUTRIENT_KEYS, food._ml, strict=True))
        where, per = "per_100ml", 100.0 * (food.density_g_per_ml or 1.0)
        # Without a density the mass of 100 mL is unknown, so only the rules between two
        # nutrients apply (not the per-100 g bounds).
        check_sum = food.density_g_per_ml is not None
    else:
        values = dict(zip(NUTRIENT_KEYS, food._g, strict=True))
        where, per, check_sum = "per_100g", 100.0, True

    def known(*keys: str) -> list[float] | None:
        got = [v for k in keys if (v := values[k]) is not None]
        return got if len(got) == len(keys) else None

    main = [v for k in ("fat_g", "protein_g", "carb_g", "water_g") if (v := values[k]) is not None]
    if check_sum and sum(main) * 100.0 / per > MAX_MACRO_WATER_G:
        raise InputError(
            where,
            f"fat + protein + carb + water = {sum(main):g} g",
            f"at most {MAX_MACRO_WATER_G:g} g per 100 g of food",
        )
    if (pair := known("fibre_g", "carb_g")) and pair[0] > pair[1]:
        raise InputError(
            f"{where}.fibre_g", pair[0], f"at most carb_g ({pair[1]:g}), which includes fibre"
        )
    if (pair := known("sugars_g", "carb_g")) and pair[0] > pair[1] + 1.0:
        raise InputError(f"{where}.sugars_g", pair[0], f"at most carb_g ({pair[1]:g})")
    if (pair := known("mct_g", "fat_g")) and pair[0] > pair[1]:
        raise InputError(f"{where}.mct_g", pair[0], f"at most fat_g ({pair[1]:g})")
    kcal = values["kcal"]
    if kcal is not None and check_sum and kcal * 100.0 / per > MAX_KCAL:
        raise InputError(f"{where}.kcal", kcal, f"at most {MAX_KCAL:g} kcal per 100 g")
