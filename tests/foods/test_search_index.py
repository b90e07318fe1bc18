"""The stored search index: identical results to a plain reference search, never stale.

The reference below scores every name of every food in plain Python, straight from the rules of
:mod:`spasmcare.foods.search` (no inverted index, no numpy): the indexed search must give the very
same floats for every food, whether its index was read from the committed file or built in memory.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.bench_food_search import QUERIES
from spasmcare.cli import main
from spasmcare.foods import default_table
from spasmcare.foods.search import (
    ALIAS_WEIGHT,
    EXACT,
    MATCH_SHARE,
    PREFIX,
    SYNONYM,
    SearchIndex,
    StaleIndexError,
    index_key,
    load_synonyms,
    name_words,
    stem,
    words_of,
)
from spasmcare.foods.sr28 import DEFAULT_PATH, load_document
from spasmcare.foods.table import (
    INDEX_PATH,
    _base_foods,
    _default_base,
    _Layer,
    index_names,
    index_path_for,
    load_stored_index,
    write_search_index,
)


class ReferenceSearch:
    """Plain-Python scoring of every document (a name or an alias) of every food."""

    def __init__(self, names: list[tuple[str, tuple[str, ...], float]]) -> None:
        self.n_foods = len(names)
        self.docs: list[tuple[int, list[tuple[str, float]], float, float]] = []
        for food, (name, aliases, food_weight) in enumerate(names):
            for text, weight in [(name, 1.0), *((a, ALIAS_WEIGHT) for a in aliases)]:
                words = name_words(text)
                if words:
                    mass = sum(p for _, p in words)
                    self.docs.append((food, words, mass, weight * food_weight))
        self.vocab = {w for _, words, _, _ in self.docs for w, _ in words}
        self.synonyms = load_synonyms()

    def quality(self, query_word: str, name_word: str, allow_prefix: bool) -> float:
        if name_word == query_word:
            return EXACT
        if name_word in self.synonyms.words.get(query_word, ()):
            return SYNONYM
        if allow_prefix and name_word.startswith(query_word):
            return PREFIX
        return 0.0

    def variants(self, typed: list[str]) -> list[list[str]]:
        words = [stem(t) for t in typed]
        out = self.synonyms.expand(words)
        for i in range(len(words) - 1):
            joined = stem(typed[i] + typed[i + 1])
            if joined in self.vocab:
                out.append([*words[:i], joined, *words[i + 2 :]])
        return out

    def score(self, query: str) -> tuple[list[float], list[bool]]:
        typed = words_of(query)
        full = [0.0] * self.n_foods
        partial = [0.0] * self.n_foods
        if not typed:
            return full, [False] * self.n_foods
        for variant in self.variants(typed):
            n = len(variant)
            for food, words, mass, weight in self.docs:
                total, matched = 0.0, 0
                for i, q in enumerate(variant):
                    allow_prefix = len(q) >= 3 or i == n - 1
                    best = max(self.quality(q, w, allow_prefix) * p for w, p in words)
                    total += best
                    matched += best > 0
                if not matched:
                    continue
                coverage = min(total / mass, 1.0)
                score = (MATCH_SHARE * total / n + (1.0 - MATCH_SHARE) * coverage) * weight
                if matched >= n:
                    full[food] = max(full[food], score)
                partial[food] = max(partial[food], score * matched / n)
        complete = [s > 0 for s in full]
        return [f if c else p for f, p, c in zip(full, partial, complete, strict=True)], complete


@pytest.fixture(scope="module")
def reference() -> ReferenceSearch:
    base, _ = _default_base()
    return ReferenceSearch(index_names(base.foods))


@pytest.fixture(scope="module")
def built() -> SearchIndex:
    base, _ = _default_base()
    return SearchIndex(index_names(base.foods))


def _same_scores(index: SearchIndex, reference: ReferenceSearch, query: str) -> None:
    score, complete = index.score(query)
    ref_score, ref_complete = reference.score(query)
    assert np.array_equal(score, np.asarray(ref_score)), query
    assert np.array_equal(complete, np.asarray(ref_complete)), query


def test_the_packaged_table_uses_the_committed_index() -> None:
    base, _ = _default_base()
    assert base.index.origin == "stored", (
        "the committed search index is stale or missing: run `spasmcare foods index` "
        "(make foods-index) and commit src/spasmcare/foods/data/sr28.search-index.gz"
    )


def test_committed_index_equals_a_fresh_build(built: SearchIndex) -> None:
    stored = load_stored_index(INDEX_PATH, _default_base()[0].foods)
    assert stored is not None and stored.same_as(built)


@pytest.mark.parametrize("query", [*QUERIES, "baby food", "breast milk", "yoghourt", "a", "zz"])
def test_stored_index_scores_like_the_reference(reference: ReferenceSearch, query: str) -> None:
    _same_scores(_default_base()[0].index, reference, query)


_WORDS = sorted({w for q in QUERIES for w in q.split()} | {"babyfood", "apple", "sauce", "milk"})


@settings(max_examples=60)
@given(
    words=st.lists(
        st.one_of(
            st.sampled_from(_WORDS),
            st.sampled_from(_WORDS).map(lambda w: w[: max(1, len(w) // 2)]),
            st.text(alphabet="abcdeilmnorstuy", min_size=1, max_size=6),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_indexed_search_equals_the_reference(
    reference: ReferenceSearch, built: SearchIndex, words: list[str]
) -> None:
    query = " ".join(words)
    _same_scores(_default_base()[0].index, reference, query)
    stored_score, _ = _default_base()[0].index.score(query)
    built_score, _ = built.score(query)
    assert np.array_equal(stored_score, built_score)


def test_table_search_with_a_stored_and_a_built_index_agree() -> None:
    base, _ = _default_base()
    built_layer = _Layer(base.foods)
    assert built_layer.index.origin == "built"
    stored = default_table()
    rebuilt = default_table()
    rebuilt._base = built_layer
    for query in QUERIES:
        a = [(h.food.id, h.score) for h in stored.search(query, limit=25)]
        b = [(h.food.id, h.score) for h in rebuilt.search(query, limit=25)]
        assert a == b, query


def test_bytes_are_deterministic_and_round_trip(built: SearchIndex) -> None:
    key = "k" * 64
    data = built.to_bytes(key)
    assert built.to_bytes(key) == data
    back = SearchIndex.from_bytes(data, key)
    assert back.origin == "stored" and back.same_as(built)
    assert back.score("heavy cream")[0].tolist() == built.score("heavy cream")[0].tolist()


def test_a_stale_index_is_detected_and_never_used(tmp_path: Path) -> None:
    foods = _default_base()[0].foods
    path = tmp_path / "sr28.search-index.gz"
    shutil.copyfile(INDEX_PATH, path)
    assert load_stored_index(path, foods) is not None
    # another name, another alias, another weight, one food fewer: each changes the key
    names = index_names(foods)
    changed = [
        [(names[0][0] + " x", *names[0][1:]), *names[1:]],
        [(names[0][0], ("alias",), names[0][2]), *names[1:]],
        [(*names[0][:2], 0.5), *names[1:]],
        names[1:],
    ]
    data = path.read_bytes()
    for other in changed:
        with pytest.raises(StaleIndexError, match="spasmcare foods index"):
            SearchIndex.from_bytes(data, index_key(other))
    # a layer whose foods differ from the stored index builds its own
    renamed = [foods[1], foods[0], *foods[2:]]
    layer = _Layer(renamed, index_path=path)
    assert load_stored_index(path, renamed) is None
    assert layer.index.origin == "built"
    assert layer.index.n_foods == len(renamed)


def test_the_key_covers_the_indexing_code(monkeypatch: pytest.MonkeyPatch) -> None:
    names = index_names(_default_base()[0].foods[:50])
    key = index_key(names)
    original = Path.read_bytes

    def edited(self: Path) -> bytes:
        data = original(self)
        return data + b"\n# edited" if self.name == "search.py" else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert index_key(names) != key


def test_unreadable_index_files_are_ignored(tmp_path: Path) -> None:
    foods = _default_base()[0].foods[:20]
    for content in (b"", b"not gzip", INDEX_PATH.read_bytes()[:1000]):
        path = tmp_path / "bad.search-index.gz"
        path.write_bytes(content)
        assert load_stored_index(path, foods) is None
        assert _Layer(foods, index_path=path).index.origin == "built"
    assert load_stored_index(tmp_path / "missing.gz", foods) is None


def test_write_search_index_beside_a_table(tmp_path: Path) -> None:
    table = tmp_path / "sr28.json.gz"
    shutil.copyfile(DEFAULT_PATH, table)
    result = write_search_index(table)
    assert result.out == index_path_for(table) == tmp_path / "sr28.search-index.gz"
    assert result.out.read_bytes() == INDEX_PATH.read_bytes()
    foods = _base_foods(load_document(table))
    assert load_stored_index(result.out, foods) is not None


def test_cli_index_and_build_write_the_index(
    capsys: pytest.CaptureFixture[str], sr28_subset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "t.json.gz"
    with pytest.raises(SystemExit):
        main(["foods", "build", "--sr28", str(sr28_subset), "--out", str(out), "--json"])
    data = json.loads(capsys.readouterr().out)
    index = tmp_path / "t.search-index.gz"
    assert data["index"]["out"] == str(index) and index.stat().st_size == data["index"]["bytes"]
    assert data["index"]["foods"] == 40 + len(_default_base()[0].foods) - 8789
    foods = _base_foods(load_document(out))
    stored = load_stored_index(index, foods)
    assert stored is not None and stored.same_as(SearchIndex(index_names(foods)))
    index.unlink()
    with pytest.raises(SystemExit):
        main(["foods", "index", "--table", str(out), "--json"])
    assert json.loads(capsys.readouterr().out)["out"] == str(index) and index.is_file()


def test_cli_index_rejects_a_missing_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["foods", "index", "--table", str(tmp_path / "none.json.gz")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--table" in err and "an existing food table file" in err
