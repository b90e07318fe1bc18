"""Run every benchmark: ``make bench`` (= ``python -m benchmarks``).

Each ``benchmarks/bench_*.py`` module has a ``main()`` that runs its workload and prints a report.
Pass module names to run only some: ``python -m benchmarks food_search``. Arguments after
``--`` go to the ``main(argv)`` of the module(s) run: ``python -m benchmarks clinic -- --help``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    rest: list[str] | None = None
    if "--" in argv:
        argv, rest = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = {f"bench_{a.removeprefix('bench_')}" for a in argv}
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        if rest is None:
            module.main()
        else:
            module.main(rest)
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
