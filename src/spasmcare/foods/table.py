"""The food table: SR28 + specialty products, plus clinic foods and recipes in a layer on top."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from spasmcare.errors import InputError
from spasmcare.foods.model import BASIS_ML, Food, Measure, _number
from spasmcare.foods.nutrients import NUTRIENT_KEYS
from spasmcare.foods.search import SearchIndex, brand_weight, index_key
from spasmcare.foods.specialty import load_specialty
from spasmcare.foods.sr28 import DEFAULT_PATH, SR28_SOURCE, load_document, write_atomic

UNKNOWN_ID_HELP = (
    "an SR28 NDB number like '01001' or a product id like 'ketocal-4-1-powder'; "
    "try `spasmcare foods search`"
)
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
RECIPE_GROUP = "Clinic recipes"


@dataclass(frozen=True)
class SearchHit:
    """A search result: the food and its score (higher is better; 1 = exact)."""

    food: Food
    score: float


def index_path_for(table_path: Path) -> Path:
    """Where the search index of a food table file lives: beside it
    (``sr28.json.gz`` → ``sr28.search-index.gz``)."""
    table_path = Path(table_path)
    return table_path.with_name(table_path.name.removesuffix(".json.gz") + ".search-index.gz")


#: The stored search index of the packaged table (SR28 + specialty products).
INDEX_PATH = index_path_for(DEFAULT_PATH)


def index_names(foods: Sequence[Food]) -> list[tuple[str, tuple[str, ...], float]]:
    """What the search index is built from: (name, aliases, weight) per food, in order."""
    return [
        (f.name, f.aliases, brand_weight(f.name) if f.source == SR28_SOURCE else 1.0)
        for f in foods
    ]


def load_stored_index(path: Path, foods: Sequence[Food]) -> SearchIndex | None:
    """The index stored at ``path`` if it was built for exactly these foods (names, aliases,
    weights) by the current search code; ``None`` when it is missing, unreadable or stale."""
    try:
        data = Path(path).read_bytes()
        return SearchIndex.from_bytes(data, index_key(index_names(foods)))
    except (OSError, ValueError):
        return None


class _Layer:
    """An immutable list of foods with an id lookup and a search index, read from
    ``index_path`` when one is stored there for these foods, else built on first use."""

    def __init__(self, foods: Sequence[Food], index_path: Path | None = None) -> None:
        self.foods: tuple[Food, ...] = tuple(foods)
        self.by_id: dict[str, int] = {}
        for i, food in enumerate(self.foods):
            if food.id in self.by_id:
                raise ValueError(f"duplicate food id {food.id!r}")
            self.by_id[food.id] = i
        self._index: SearchIndex | None = None
        self._index_path = index_path

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            stored = None
            if self._index_path is not None:
                stored = load_stored_index(self._index_path, self.foods)
            self._index = SearchIndex(index_names(self.foods)) if stored is None else stored
        return self._index


class FoodTable:
    """Foods by id, with ranked search, clinic-defined foods and recipes.

    A table is a read-only base (shared, e.g. SR28 + specialty products) plus a layer of foods
    added to this table only; :meth:`copy` gives an independent table over the same base, so a
    clinic's additions never change the shared data.

    Parameters
    ----------
    foods : iterable of Food
        The base foods.
    """

    def __init__(
        self,
        foods: Iterable[Food] = (),
        *,
        _base: _Layer | None = None,
        source_info: dict[str, Any] | None = None,
    ) -> None:
        self._base = _base if _base is not None else _Layer(list(foods))
        self._local: dict[str, Food] = {}
        self._local_layer: _Layer | None = None
        self.source_info: dict[str, Any] = dict(source_info or {})

    # ------------------------------------------------------------------ access
    def copy(self) -> FoodTable:
        """An independent table: same base, a copy of this table's own foods."""
        table = FoodTable(_base=self._base, source_info=self.source_info)
        table._local = dict(self._local)
        return table

    def _lookup(self, food_id: str) -> Food | None:
        food = self._local.get(food_id)
        if food is not None:
            return food
        i = self._base.by_id.get(food_id)
        return None if i is None else self._base.foods[i]

    def get(self, food_id: str, field: str = "food_id") -> Food:
        """The food with this id; ``InputError`` naming ``field`` if there is none.

        An all-digit id shorter than 5 characters is read as an NDB number with its leading
        zeros dropped ("1001" → "01001").
        """
        if isinstance(food_id, str):
            key = food_id.strip()
            food = self._lookup(key)
            if food is None and key.isdigit() and len(key) < 5:
                food = self._lookup(key.zfill(5))
            if food is not None:
                return food
        raise InputError(field, food_id, UNKNOWN_ID_HELP)

    def __contains__(self, food_id: object) -> bool:
        return isinstance(food_id, str) and self._lookup(food_id) is not None

    def __iter__(self) -> Iterator[Food]:
        for food in self._base.foods:
            if food.id not in self._local:
                yield food
        yield from self._local.values()

    def __len__(self) -> int:
        shadowed = sum(1 for fid in self._local if fid in self._base.by_id)
        return len(self._base.foods) + len(self._local) - shadowed

    @property
    def local_foods(self) -> list[Food]:
        """Foods added to (or replaced in) this table, in the order they were added."""
        return list(self._local.values())

    def is_packaged(self) -> bool:
        """The packaged table as it ships (:func:`default_table`, nothing added or replaced)."""
        return not self._local and self._base is _default_base()[0]

    # ------------------------------------------------------------------ search
    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Foods matching ``query``, best first (see :mod:`spasmcare.foods.search`)."""
        if not isinstance(query, str) or not query.strip():
            raise InputError("query", query, "some words of a food name, or a food id")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InputError("limit", limit, "a whole number ≥ 1")
        hits: list[tuple[float, int, str, Food]] = []
        exact: Food | None = None
        try:
            exact = self.get(query)
        except InputError:
            exact = None

        layers = [self._base]
        if self._local:
            if self._local_layer is None:
                self._local_layer = _Layer(list(self._local.values()))
            layers.append(self._local_layer)
        scored = [(layer, *layer.index.score(query)) for layer in layers]
        any_complete = any(bool(c.any()) for _, _, c in scored)
        for layer, score, complete in scored:
            mask = complete if any_complete else score > 0
            cand = np.flatnonzero(mask)
            keep = limit + 1 + (len(self._local) if layer is self._base else 0)
            if len(cand) > keep:
                threshold = np.partition(score[cand], len(cand) - keep)[len(cand) - keep]
                cand = cand[score[cand] >= threshold]
            for i in cand.tolist():
                food = layer.foods[i]
                if layer is self._base and food.id in self._local:
                    continue
                if exact is not None and food.id == exact.id:
                    continue
                hits.append((-round(float(score[i]), 9), len(food.name), food.id, food))
        hits.sort(key=lambda h: h[:3])
        out = [SearchHit(h[3], -h[0]) for h in hits]
        if exact is not None:
            out.insert(0, SearchHit(exact, 1.0))
        return out[:limit]

    # ------------------------------------------------------------ clinic foods
    def _check_new_id(self, food_id: Any) -> str:
        if not isinstance(food_id, str) or not _ID_PATTERN.match(food_id):
            raise InputError(
                "food_id",
                food_id,
                "1–64 letters, digits, '-', '_', '.' or ':', starting with a letter or digit",
            )
        if food_id in self:
            raise InputError("food_id", food_id, "an id not already used in the food table")
        return food_id

    def add(self, food: Food) -> Food:
        """Add a clinic-defined food to this table (not to the shared default data).

        The id must be new; the composition was checked when the :class:`Food` was made (no
        negative amount, fat + protein + carbohydrate + water ≤ 105 g/100 g, fibre ≤
        carbohydrate, energy ≤ 905 kcal/100 g).
        """
        if not isinstance(food, Food):
            raise InputError("food", food, "a spasmcare.foods.Food")
        self._check_new_id(food.id)
        self._put(food)
        return food

    def _put(self, food: Food) -> None:
        self._local[food.id] = food
        self._local_layer = None

    def set_density(self, food_id: str, density_g_per_ml: float, note: str) -> Food:
        """Give a food a density in this table (e.g. from a product label); returns the new food.

        Per-100 mL products without a density in the reference (Liquigen, KetoCal 4:1 LQ) have
        unknown per-100 g values until this is done; ``note`` records where the density is from.
        """
        food = self.get(food_id).with_density(density_g_per_ml, note)
        self._put(food)
        return food

    def add_recipe(
        self,
        id: str,
        name: str,
        ingredients: Sequence[tuple[str, float]],
        cooked_weight_g: float | None = None,
        *,
        group: str = RECIPE_GROUP,
    ) -> Food:
        """Add a food made of other foods of this table; returns it.

        Per 100 g = (Σ amount in each ingredient) ÷ weight × 100, where weight is the sum of the
        ingredient grams, or ``cooked_weight_g`` when given. Cooking is taken to change weight by
        water only (no nutrient retention factors): water = Σ water − (raw − cooked weight). A
        nutrient unknown in any ingredient used with a non-zero weight is unknown in the recipe.
        """
        self._check_new_id(id)
        if not isinstance(name, str) or not name.strip():
            raise InputError("name", name, "a non-empty recipe name")
        items = list(ingredients) if not isinstance(ingredients, str | bytes) else []
        if not items:
            raise InputError("ingredients", ingredients, "a list of (food_id, grams) pairs")
        parts: list[tuple[Food, float]] = []
        for item in items:
            if not isinstance(item, tuple | list) or len(item) != 2:
                raise InputError("ingredients", item, "a (food_id, grams) pair")
            food = self.get(item[0], field="ingredients")
            grams = _number(f"ingredients[{food.id}].grams", item[1], accepted="grams ≥ 0")
            if grams > 0 and food.basis == BASIS_ML and food.density_g_per_ml is None:
                raise InputError(
                    "ingredients",
                    food.id,
                    "a food with a per-100 g composition: this product is declared per 100 mL "
                    "with no density in the reference; set one with FoodTable.set_density",
                )
            parts.append((food, grams))
        raw_g = sum(g for _, g in parts)
        if raw_g <= 0:
            raise InputError("ingredients", items, "at least one ingredient with grams > 0")
        weight_g = raw_g
        if cooked_weight_g is not None:
            weight_g = _number(
                "cooked_weight_g", cooked_weight_g, allow_zero=False, accepted="grams > 0"
            )

        totals: dict[str, float | None] = {}
        for key in NUTRIENT_KEYS:
            total: float | None = 0.0
            for food, grams in parts:
                if grams == 0:
                    continue
                amount = food.nutrient(key, grams)
                if amount is None:
                    total = None
                    break
                total += amount  # type: ignore[operator]
            totals[key] = total
        water = totals["water_g"]
        if water is not None:
            water -= raw_g - weight_g
            if water < -1e-9:
                raise InputError(
                    "cooked_weight_g",
                    cooked_weight_g,
                    f"at least {raw_g - (totals['water_g'] or 0.0):g} g (the raw weight less "
                    "the water in the ingredients)",
                )
            totals["water_g"] = max(water, 0.0)
        per_100g = {k: None if v is None else v * 100.0 / weight_g for k, v in totals.items()}
        recipe = Food(
            id,
            name,
            per_100g,
            source="clinic recipe",
            group=group,
            measures=[Measure(1.0, "whole recipe", weight_g)],
            ingredients=[(f.id, g) for f, g in parts],
            cooked_weight_g=None if cooked_weight_g is None else weight_g,
        )
        self._put(recipe)
        return recipe


def _base_foods(doc: dict[str, Any]) -> list[Food]:
    """The foods of a packaged table document, then the specialty products."""
    columns = doc["foods"]
    n = len(columns["id"])
    groups = doc["groups"]
    none_column: list[None] = [None] * n
    values = list(zip(*[doc["values"].get(k, none_column) for k in NUTRIENT_KEYS], strict=True))
    foods = []
    for i, (fid, name, group, common, measures) in enumerate(
        zip(
            columns["id"],
            columns["name"],
            columns["group"],
            columns["common_name"],
            doc["measures"],
            strict=True,
        )
    ):
        aliases = (common,) if common else ()
        foods.append(
            Food._trusted(
                fid,
                name,
                values[i],
                SR28_SOURCE,
                groups.get(group),
                tuple(Measure(a, u, g) for a, u, g in measures),
                aliases,
            )
        )
    foods.extend(load_specialty())
    return foods


@lru_cache(maxsize=1)
def _default_base() -> tuple[_Layer, dict[str, Any]]:
    doc = load_document()
    info = {"sr28": doc["source"], "specialty": "spasmcare/foods/data/specialty.yaml"}
    return _Layer(_base_foods(doc), index_path=INDEX_PATH), info


@dataclass(frozen=True)
class IndexResult:
    """What :func:`write_search_index` wrote."""

    out: Path
    foods: int
    words: int
    bytes: int
    sha256: str
    key: str

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "out": str(self.out)}


def write_search_index(table_path: Path | None = None) -> IndexResult:
    """Build the search index of a packaged table file (default: the packaged one) plus the
    specialty products, and store it beside the file (:func:`index_path_for`); deterministic."""
    source = Path(table_path) if table_path is not None else DEFAULT_PATH
    names = index_names(_base_foods(load_document(source)))
    index = SearchIndex(names)
    key = index_key(names)
    data = index.to_bytes(key)
    out = index_path_for(source)
    write_atomic(out, data)
    return IndexResult(
        out=out,
        foods=len(names),
        words=len(index._vocab),
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        key=key,
    )


def default_table() -> FoodTable:
    """SR28 + specialty products (loaded once and cached; this call is cheap afterwards).

    Each call returns a fresh table over the shared, read-only data, so foods that one caller
    adds (``add``, ``add_recipe``, ``set_density``) never reach another; use :meth:`copy` to
    branch a table that already has additions.
    """
    base, info = _default_base()
    return FoodTable(_base=base, source_info=info)
