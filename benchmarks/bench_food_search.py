"""Food search latency over the whole table (SR28 + specialty products).

Run: ``python -m benchmarks food_search``. Target (issue 2): p95 ≤ 10 ms per query.
Also reports the one-off costs: loading the packaged table, reading the stored search index
(``data/sr28.search-index.gz``, what every ``spasmcare foods search`` does) and building the index
from the names instead (what it did before issue 10, and does when the stored index is stale).
"""

from __future__ import annotations

import statistics
import time

#: Queries a ketogenic-diet dietitian types: fats, proteins, low-carbohydrate vegetables,
#: formulas, ids, plurals, word orders, partial words.
QUERIES: tuple[str, ...] = (
    "butter",
    "heavy cream",
    "egg whole raw",
    "human milk",
    "eggs",
    "raw egg whole",
    "breast milk",
    "ketocal",
    "ketocal 4:1 powder",
    "liquigen",
    "mct oil",
    "coconut oil",
    "olive oil",
    "canola oil",
    "mayonnaise",
    "cream cheese",
    "sour cream",
    "cheddar cheese",
    "parmesan",
    "bacon",
    "chicken breast",
    "chicken thigh roasted",
    "ground beef",
    "salmon",
    "tuna canned in oil",
    "pork sausage",
    "avocado",
    "broccoli raw",
    "cauliflower",
    "spinach",
    "zucchini",
    "courgette",
    "cucumber",
    "lettuce",
    "tomatoes",
    "strawberries",
    "blueberries",
    "raspberry",
    "macadamia nuts",
    "almonds",
    "peanut butter",
    "walnuts",
    "yoghurt greek plain",
    "whole milk",
    "infant formula",
    "baby food",
    "apple sauce",
    "rice cooked",
    "01001",
    "butt",
)
REPETITIONS = 40


def main() -> None:
    t0 = time.perf_counter()
    from spasmcare.foods import default_table
    from spasmcare.foods.search import SearchIndex
    from spasmcare.foods.table import INDEX_PATH, _default_base, index_names, load_stored_index

    t1 = time.perf_counter()
    base, _ = _default_base()
    t2 = time.perf_counter()
    table = default_table()
    table.search("warm up")  # reads the stored search index (or builds it if stale)
    t3 = time.perf_counter()
    origin = base.index.origin
    load_stored_index(INDEX_PATH, base.foods)
    t4 = time.perf_counter()
    SearchIndex(index_names(base.foods))
    t5 = time.perf_counter()

    times_ms: list[float] = []
    for _ in range(REPETITIONS):
        for query in QUERIES:
            start = time.perf_counter()
            table.search(query, limit=10)
            times_ms.append((time.perf_counter() - start) * 1000.0)
    times_ms.sort()
    p50 = statistics.median(times_ms)
    p95 = times_ms[int(0.95 * (len(times_ms) - 1))]
    print(f"foods: {len(table)}; queries: {len(QUERIES)} x {REPETITIONS} = {len(times_ms)}")
    print(
        f"import {1000 * (t1 - t0):.0f} ms; load table {1000 * (t2 - t1):.0f} ms; "
        f"first search {1000 * (t3 - t2):.0f} ms (index {origin}); "
        f"read stored index {1000 * (t4 - t3):.0f} ms; build index {1000 * (t5 - t4):.0f} ms"
    )
    print(f"search latency [ms]: p50 {p50:.3f}  p95 {p95:.3f}  max {times_ms[-1]:.3f}  "
          f"(target p95 <= 10)")


if __name__ == "__main__":
    main()
