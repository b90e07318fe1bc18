"""Food search ranked for clinical use.

SR28 names run from the general to the particular: "Egg, whole, raw, fresh". A food ranks high when

1. every query word matches a word of its name (singular and plural alike, any order; the last
   query word and any word of 3+ letters may also match as a prefix, at a lower weight),
2. the matches sit early in the name (first word of the first comma segment best, words inside
   parentheses weakest), and
3. the name has few words the query did not ask for.

score = 0.7 × mean over query words of m·p
      + 0.3 × min(1, Σ m·p ÷ Σ p over all words of the name)

where m is the match quality (exact 1, synonym 0.95, prefix 0.6) and p the prominence of the
matched name word (first word 1, then by comma segment 0.9, 0.8, 0.6, 0.45, 0.35; inside
parentheses 0.3). The second term is the share of the name the query covers: names with fewer
extra words win, and extra words late in the name cost less than early ones.

A food id typed exactly ranks first. Two query words that the names write as one word are also
tried joined ("baby food" → "Babyfood, ..."). Spelling variants (yoghurt → yogurt) and phrases
(breast milk → human milk) come from ``data/search_synonyms.yaml``. SR28 common names and product
aliases are searched as extra names at 0.9 of the score; branded SR28 foods at 0.95. Scoring is
vectorised with numpy over all names, so a query costs well under a millisecond on the whole
table.

Building the index of the packaged table (SR28 + specialty products) takes about 0.2 s, too long
for every run of ``spasmcare foods search``; it is therefore built once, by ``spasmcare foods
build`` or ``spasmcare foods index``, and stored beside the table (``data/sr28.search-index.gz``).
The stored index carries a key (:func:`index_key`): the SHA-256 of the indexed names, aliases
and weights and of this module's source. A stored index whose key differs from that of the
foods it is asked to serve is never used (the index is built in memory instead), so it cannot
disagree with the table or with the indexing rules.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

SYNONYMS_PATH = Path(__file__).parent / "data" / "search_synonyms.yaml"
INDEX_FORMAT = "spasmcare-search-index/1"
#: The arrays of a stored index and their on-disk types (little-endian).
_ARRAY_DTYPES: dict[str, str] = {
    "doc_food": "<i4",
    "doc_mass": "<f8",
    "doc_weight": "<f8",
    "offsets": "<i8",
    "post_docs": "<i4",
    "post_proms": "<f8",
}

_STOPWORDS = frozenset(
    {"a", "an", "and", "as", "by", "for", "from", "in", "of", "or", "the", "to", "with", "w"}
)
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")

#: weight of a match by kind
EXACT, SYNONYM, PREFIX = 1.0, 0.95, 0.6
#: an alias (SR28 common name, product alias) counts this much of the main name
ALIAS_WEIGHT = 0.9
#: a branded food (a word of 3+ capitals in the name, e.g. "KEEBLER") counts this much: clinic
#: recipes mostly use generic foods
BRAND_WEIGHT = 0.95
_BRAND = re.compile(r"\b[A-Z]{3,}\b")
#: share of the score from match quality × position; the rest rewards few extra words
MATCH_SHARE = 0.7


def fold(text: str) -> str:
    """Lower case without accents or apostrophes ("Crème" → "creme", "mother's" → "mothers")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("'", "")


def stem(word: str) -> str:
    """A matching key for singular and plural alike; both sides go through the same rule.

    "eggs" → "egg", "peaches" → "peach", "tomatoes" → "tomato", and the y/ie/ies family to "i"
    ("berry", "berries" → "berri"; "cookie", "cookies" → "cooki").
    """
    n = len(word)
    if n <= 2 or word[0].isdigit():
        return word
    if word.endswith("ies") and n > 3:
        return word[:-3] + "i"
    if word.endswith(("oes", "ches", "shes", "xes", "sses")) and n > 4:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and n > 3:
        word = word[:-1]
    if word.endswith("ie") and len(word) > 2:
        return word[:-1]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "i"
    return word


def words_of(text: str) -> list[str]:
    """Words of ``text`` as typed (folded, stop words dropped), before :func:`stem`."""
    return [t for t in _TOKEN.findall(fold(text)) if t not in _STOPWORDS]


def tokens(text: str) -> list[str]:
    """Search words of ``text`` (folded, stop words dropped, singular)."""
    return [stem(t) for t in words_of(text)]


#: weight of a name word by its comma segment (0 = before the first comma); words inside
#: parentheses weigh ASIDE
SEGMENT_WEIGHTS = (0.9, 0.8, 0.6, 0.45, 0.35)
FIRST_WORD, ASIDE = 1.0, 0.3


def _prominence(segment: int, position: int, aside: bool) -> float:
    """How much a match on this word of a name counts (first word of the name = 1)."""
    if aside:
        return ASIDE
    if segment == 0 and position == 0:
        return FIRST_WORD
    return SEGMENT_WEIGHTS[min(segment, len(SEGMENT_WEIGHTS) - 1)]


def name_words(name: str) -> list[tuple[str, float]]:
    """(word, prominence) for every search word of a name, best prominence kept per word."""
    asides = re.findall(r"\(([^)]*)\)", name)
    main = re.sub(r"\([^)]*\)", " ", name)
    best: dict[str, float] = {}
    for s, segment in enumerate(main.split(",")):
        for j, word in enumerate(tokens(segment)):
            best[word] = max(best.get(word, 0.0), _prominence(s, j, False))
    for aside in asides:
        for word in tokens(aside):
            best[word] = max(best.get(word, 0.0), _prominence(0, 0, True))
    return list(best.items())


def brand_weight(name: str) -> float:
    """:data:`BRAND_WEIGHT` for an SR28 name with a brand in capitals ("KEEBLER"), else 1."""
    return BRAND_WEIGHT if _BRAND.search(name) else 1.0


class StaleIndexError(ValueError):
    """A stored search index that was built for other names or other indexing rules."""


def index_key(names: Sequence[tuple[str, Sequence[str], float]]) -> str:
    """SHA-256 of what an index is built from: the (name, aliases, weight) of every food, in
    order, and the source of this module (stemming, prominence and weights live here)."""
    digest = hashlib.sha256(INDEX_FORMAT.encode("utf-8"))
    digest.update(Path(__file__).read_bytes())
    digest.update(
        json.dumps(
            [[name, list(aliases), repr(float(weight))] for name, aliases, weight in names],
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
    )
    return digest.hexdigest()


@dataclass(frozen=True)
class Synonyms:
    words: dict[str, tuple[str, ...]]
    phrases: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]

    def expand(self, query: list[str]) -> list[list[str]]:
        """The query and its phrase rewrites."""
        out = [query]
        for source, target in self.phrases:
            n = len(source)
            for i in range(len(query) - n + 1):
                if tuple(query[i : i + n]) == source:
                    out.append([*query[:i], *target, *query[i + n :]])
        return out


@lru_cache(maxsize=1)
def load_synonyms(path: Path = SYNONYMS_PATH) -> Synonyms:
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    words = {stem(fold(k)): tuple(stem(fold(v)) for v in vs) for k, vs in doc["words"].items()}
    phrases = tuple((tuple(tokens(k)), tuple(tokens(v))) for k, v in doc["phrases"].items())
    return Synonyms(words, phrases)


class SearchIndex:
    """Inverted index over the names (and aliases) of a list of foods.

    Parameters
    ----------
    names : sequence of (name, aliases, weight) per food, in food order; ``weight`` scales
        every score of the food (see :func:`brand_weight`).

    The postings are held as one sorted vocabulary and flat arrays (word ``i`` owns
    ``docs[offsets[i]:offsets[i + 1]]``), so an index can be written to a file once
    (:meth:`to_bytes`) and read back in milliseconds (:meth:`from_bytes`) instead of being built
    from the 8,789 SR28 names on every run of the command line.
    """

    #: "built" (from the names) or "stored" (read from a file)
    origin: str

    def __init__(self, names: Sequence[tuple[str, Sequence[str], float]]) -> None:
        doc_food: list[int] = []
        doc_mass: list[float] = []
        doc_weight: list[float] = []
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for food, (name, aliases, food_weight) in enumerate(names):
            for text, weight in [(name, 1.0), *((a, ALIAS_WEIGHT) for a in aliases)]:
                words = name_words(text)
                if not words:
                    continue
                doc = len(doc_food)
                doc_food.append(food)
                doc_mass.append(sum(p for _, p in words))
                doc_weight.append(weight * food_weight)
                for word, prom in words:
                    docs, proms = postings.setdefault(word, ([], []))
                    docs.append(doc)
                    proms.append(prom)
        vocab = sorted(postings)
        sizes = [len(postings[w][0]) for w in vocab]
        offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        self._setup(
            n_foods=len(names),
            vocab=vocab,
            arrays={
                "doc_food": np.asarray(doc_food, dtype=np.int32),
                "doc_mass": np.asarray(doc_mass, dtype=np.float64),
                "doc_weight": np.asarray(doc_weight, dtype=np.float64),
                "offsets": offsets,
                "post_docs": np.asarray(
                    [d for w in vocab for d in postings[w][0]], dtype=np.int32
                ),
                "post_proms": np.asarray(
                    [p for w in vocab for p in postings[w][1]], dtype=np.float64
                ),
            },
        )
        self.origin = "built"

    def _setup(self, n_foods: int, vocab: list[str], arrays: dict[str, np.ndarray]) -> None:
        self.n_foods = n_foods
        self._vocab = vocab
        self._row = {w: i for i, w in enumerate(vocab)}
        self._arrays = arrays
        self._doc_food = arrays["doc_food"]
        self._doc_mass = arrays["doc_mass"]
        self._doc_weight = arrays["doc_weight"]
        self._offsets = arrays["offsets"].tolist()
        self._post_docs = arrays["post_docs"]
        self._post_proms = arrays["post_proms"]
        self._n_docs = len(self._doc_food)
        self._synonyms = load_synonyms()

    def _posting(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents, prominence of ``word`` in each) for a word of the vocabulary."""
        i = self._row[word]
        lo, hi = self._offsets[i], self._offsets[i + 1]
        return self._post_docs[lo:hi], self._post_proms[lo:hi]

    # ------------------------------------------------------------ stored form
    def to_bytes(self, key: str) -> bytes:
        """The index as deterministic bytes (gzip, mtime 0), labelled with ``key`` (see
        :func:`index_key`) so that a reader can tell whether it still fits its foods."""
        header = {
            "format": INDEX_FORMAT,
            "key": key,
            "n_foods": self.n_foods,
            "arrays": [
                [name, self._arrays[name].dtype.str, len(self._arrays[name])]
                for name in _ARRAY_DTYPES
            ],
        }
        body = b"".join(
            np.ascontiguousarray(self._arrays[name], dtype=dtype).tobytes()
            for name, dtype in _ARRAY_DTYPES.items()
        )
        raw = (
            json.dumps(header, sort_keys=True).encode("utf-8")
            + b"\n"
            + body
            + "\n".join(self._vocab).encode("utf-8")
        )
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
            gz.write(raw)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, key: str) -> SearchIndex:
        """Read :meth:`to_bytes` output; ``StaleIndexError`` unless it was written under
        ``key`` (the same foods, names and indexing code), ``ValueError`` if unreadable."""
        try:
            raw = gzip.decompress(data)
            newline = raw.index(b"\n")
            header = json.loads(raw[:newline])
        except (OSError, EOFError, ValueError) as exc:
            raise ValueError(f"not a {INDEX_FORMAT} file ({exc})") from exc
        if header.get("format") != INDEX_FORMAT:
            raise ValueError(f"not a {INDEX_FORMAT} file")
        if header.get("key") != key:
            raise StaleIndexError(
                "the stored search index was built for other foods or another version of the "
                "search code; rebuild it with `spasmcare foods index` (make foods-index)"
            )
        arrays: dict[str, np.ndarray] = {}
        pos = newline + 1
        for name, dtype, length in header["arrays"]:
            if _ARRAY_DTYPES.get(name) != dtype:
                raise ValueError(f"unexpected array {name!r} of type {dtype!r}")
            size = np.dtype(dtype).itemsize * length
            arrays[name] = np.frombuffer(raw, dtype=dtype, count=length, offset=pos)
            pos += size
        vocab = raw[pos:].decode("utf-8").split("\n") if pos < len(raw) else []
        if set(arrays) != set(_ARRAY_DTYPES) or len(arrays["offsets"]) != len(vocab) + 1:
            raise ValueError(f"incomplete {INDEX_FORMAT} file")
        index = cls.__new__(cls)
        index._setup(n_foods=int(header["n_foods"]), vocab=vocab, arrays=arrays)
        index.origin = "stored"
        return index

    def same_as(self, other: SearchIndex) -> bool:
        """Whether two indexes hold the same vocabulary, documents and postings."""
        return (
            self.n_foods == other.n_foods
            and self._vocab == other._vocab
            and all(
                np.array_equal(self._arrays[name], other._arrays[name]) for name in _ARRAY_DTYPES
            )
        )

    def _matches(self, word: str, allow_prefix: bool) -> list[tuple[str, float]]:
        found: dict[str, float] = {}
        if word in self._row:
            found[word] = EXACT
        for alt in self._synonyms.words.get(word, ()):
            if alt in self._row:
                found.setdefault(alt, SYNONYM)
        if allow_prefix:
            i = bisect.bisect_left(self._vocab, word)
            while i < len(self._vocab) and self._vocab[i].startswith(word):
                found.setdefault(self._vocab[i], PREFIX)
                i += 1
        return list(found.items())

    def _variants(self, typed: list[str]) -> list[list[str]]:
        """The query, its synonym rewrites, and two adjacent words written as one where the
        names do so ("baby food" → "babyfood", "apple sauce" → "applesauce")."""
        words = [stem(t) for t in typed]
        out = self._synonyms.expand(words)
        for i in range(len(words) - 1):
            joined = stem(typed[i] + typed[i + 1])
            if joined in self._row:
                out.append([*words[:i], joined, *words[i + 2 :]])
        return out

    def _score_words(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(score, number of query words matched) per document."""
        total = np.zeros(self._n_docs)
        matched = np.zeros(self._n_docs)
        for i, word in enumerate(words):
            best = np.zeros(self._n_docs)
            allow_prefix = len(word) >= 3 or i == len(words) - 1
            for vocab_word, quality in self._matches(word, allow_prefix):
                docs, proms = self._posting(vocab_word)
                best[docs] = np.maximum(best[docs], quality * proms)
            total += best
            matched += best > 0
        coverage = np.minimum(total / self._doc_mass, 1.0)
        score = MATCH_SHARE * total / len(words) + (1.0 - MATCH_SHARE) * coverage
        return score * self._doc_weight, matched

    def score(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """Per food: the best score over the query's rewrites, and whether all words matched.

        Returns ``(score, complete)``: ``score`` [0..1] per food (0 = no word matched) and a
        boolean array, true where every query word matched a word of one name of the food.
        """
        typed = words_of(query)
        if not typed or self.n_foods == 0:
            return np.zeros(self.n_foods), np.zeros(self.n_foods, dtype=bool)
        full_score = np.zeros(self.n_foods)
        partial_score = np.zeros(self.n_foods)
        for variant in self._variants(typed):
            doc_score, matched = self._score_words(variant)
            hit = np.flatnonzero(matched > 0)
            full = matched[hit] >= len(variant)
            foods = self._doc_food[hit]
            np.maximum.at(full_score, foods[full], doc_score[hit][full])
            # a partial match counts in proportion to the words it matched
            np.maximum.at(partial_score, foods, doc_score[hit] * matched[hit] / len(variant))
        complete = full_score > 0
        return np.where(complete, full_score, partial_score), complete
