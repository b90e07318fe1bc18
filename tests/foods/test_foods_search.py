"""Search ranking for clinical use."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.foods import Food, FoodTable, default_table
from spasmcare.foods.search import stem, tokens


def first(table: FoodTable, query: str) -> str:
    return table.search(query, limit=5)[0].food.name


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("butter", "Butter, salted"),
        ("heavy cream", "Cream, fluid, heavy whipping"),
        ("egg whole raw", "Egg, whole, raw, fresh"),
        ("human milk", "Milk, human, mature, fluid"),
    ],
)
def test_clinical_expectations(table: FoodTable, query: str, expected: str) -> None:
    assert first(table, query) == expected


@pytest.mark.parametrize("words", list(itertools.permutations(["eggs", "whole", "raw"])))
def test_word_order_and_plurals(table: FoodTable, words: tuple[str, ...]) -> None:
    assert first(table, " ".join(words)) == "Egg, whole, raw, fresh"
    assert first(table, " ".join(words).replace("eggs", "egg")) == "Egg, whole, raw, fresh"


def test_case_and_punctuation_do_not_matter(table: FoodTable) -> None:
    assert first(table, "  HEAVY   cream!! ") == "Cream, fluid, heavy whipping"
    assert first(table, "milk, human") == "Milk, human, mature, fluid"


def test_plural_query_for_plural_name(table: FoodTable) -> None:
    # SR28 says "Strawberries, raw"; a singular query finds it too.
    assert first(table, "strawberry") == "Strawberries, raw"
    assert first(table, "strawberries") == "Strawberries, raw"


def test_ids_match(table: FoodTable) -> None:
    hits = table.search("01053")
    assert hits[0].food.id == "01053" and hits[0].score == 1.0
    assert table.search("1001")[0].food.id == "01001"
    assert table.search("ketocal-4-1-powder")[0].food.id == "ketocal-4-1-powder"


def test_specialty_products_are_findable(table: FoodTable) -> None:
    ketocal = [h.food.id for h in table.search("ketocal", limit=3)]
    assert sorted(ketocal) == ["ketocal-3-1-powder", "ketocal-4-1-lq", "ketocal-4-1-powder"]
    assert table.search("ketocal 4:1 powder")[0].food.id == "ketocal-4-1-powder"
    assert table.search("ketocal 3 1")[0].food.id == "ketocal-3-1-powder"
    assert table.search("liquigen")[0].food.id == "liquigen"
    assert table.search("mct oil")[0].food.id == "mct-oil"
    assert table.search("mct emulsion")[0].food.id == "liquigen"


def test_synonyms_from_data(table: FoodTable) -> None:
    assert first(table, "breast milk") == "Milk, human, mature, fluid"
    assert "Yogurt" in first(table, "yoghurt") or "yogurt" in first(table, "yoghurt")
    assert first(table, "aubergine raw") == "Eggplant, raw"


def test_prefix_of_last_word(table: FoodTable) -> None:
    # typing in progress: "butt" finds butter
    assert first(table, "butt") == "Butter, salted"


def test_partial_match_when_nothing_matches_every_word(table: FoodTable) -> None:
    hits = table.search("cream zzzqqq", limit=3)
    assert hits and all("ream" in h.food.name for h in hits)
    assert table.search("zzzqqq") == []


def test_scores_are_sorted_and_limited(table: FoodTable) -> None:
    hits = table.search("cheese", limit=25)
    assert len(hits) == 25
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_bad_query_and_limit(table: FoodTable) -> None:
    with pytest.raises(InputError) as err:
        table.search("   ")
    assert err.value.field == "query"
    with pytest.raises(InputError) as err:
        table.search("butter", limit=0)
    assert err.value.field == "limit"


def test_clinic_foods_are_searchable_and_shadow_nothing(table: FoodTable) -> None:
    table.add(Food("clinic-butter-ghee", "Ghee, clinic batch", {"fat_g": 99.5}))
    assert first(table, "ghee clinic") == "Ghee, clinic batch"
    assert all(h.food.id != "clinic-butter-ghee" for h in default_table().search("ghee"))


def test_stem() -> None:
    assert stem("eggs") == stem("egg") == "egg"
    assert stem("berries") == stem("berry")
    assert stem("cookies") == stem("cookie")
    assert stem("tomatoes") == stem("tomato") == "tomato"
    assert stem("peaches") == stem("peach")
    assert stem("glass") == "glass" and stem("asparagus") == "asparagus"
    assert tokens("Milk, human (mature), with fluid") == ["milk", "human", "mature", "fluid"]
    assert tokens("Crème fraîche") == ["creme", "fraiche"]


@settings(max_examples=40, deadline=None)
@given(st.permutations(["egg", "whole", "raw", "fresh"]))
def test_order_never_changes_ranking(words: list[str]) -> None:
    table = default_table()
    baseline = [h.food.id for h in table.search("egg whole raw fresh")]
    assert [h.food.id for h in table.search(" ".join(words))] == baseline


@pytest.mark.parametrize(
    "word", ["beef", "milk", "oil", "cheese", "chicken", "apple", "rice", "oat"]
)
def test_complete_hits_contain_every_word(word: str) -> None:
    # A one-word query is its own last word: it matches a whole name word, or the start of one
    # (prefix). Comparing whole tokens, "oat" must not be satisfied by "goat".
    key = stem(word)
    for hit in default_table().search(word, limit=20):
        names = [hit.food.name, *hit.food.aliases]
        assert any(t == key or t.startswith(key) for n in names for t in tokens(n)), hit.food.name


def test_word_inside_another_word_is_no_match() -> None:
    # Checks the check above: "goat" holds "oat" as a substring but not as a token prefix.
    assert not any(t.startswith(stem("oat")) for t in tokens("Milk, goat, fluid"))


def test_two_words_that_names_write_as_one(table: FoodTable) -> None:
    # SR28 writes "Babyfood, ..." and "Applesauce, ..." as one word.
    assert first(table, "baby food").startswith("Babyfood, ")
    assert first(table, "apple sauce").startswith("Applesauce, ")
