"""Run every benchmark: ``make bench`` (= ``python -m benchmarks``).

Each ``benchmarks/bench_*.py`` module has a ``main()`` that runs its workload and prints a report.
Pass module names to run only some: ``python -m benchmarks food_search``. Options (everything
from the first argument that starts with ``-``; a ``--`` before them is accepted and dropped) go
to the ``main(argv)`` of the module(s) run: ``python -m benchmarks clinic --help``,
``python -m benchmarks clinic --duration 30``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def split(argv: list[str]) -> tuple[list[str], list[str] | None]:
    """(module names, their options or ``None`` when none were given) of a command line."""
    for at, arg in enumerate(argv):
        if arg == "--":
            return argv[:at], argv[at + 1 :]
        if arg.startswith("-"):
            return argv[:at], argv[at:]
    return argv, None


def main(argv: list[str]) -> None:
    argv, rest = split(argv)
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = {f"bench_{a.removeprefix('bench_')}" for a in argv}
    unknown = wanted - set(names)
    if unknown:
        known = ", ".join(n.removeprefix("bench_") for n in names)
        raise SystemExit(f"no benchmark named {', '.join(sorted(unknown))}; known: {known}")
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
