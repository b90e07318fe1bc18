"""Command-line start-up and report times (issue 10: a busy clinic day, every page fast).

Run: ``python -m benchmarks cli``. Each command runs in a fresh Python process, once to warm the
OS file cache and then ``REPEATS`` times; the report gives the median and the best wall time and
the median user CPU time of the process (what ``/usr/bin/time -f "%e %U"`` shows). The record is
the 2-year fictional one (``spasmcare.demo.long_record``, ending today).

Targets: ≤ 0.5 s for any command (``--help``, ``foods search butter``); ≤ 1 s for ``report``
of the 2-year record with ``--html``.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPEATS = 7
#: the console script ``spasmcare`` runs exactly this
ENTRY = "import sys; from spasmcare.cli import main; sys.exit(main())"


def _run(args: list[str]) -> tuple[float, float]:
    """(wall seconds, user CPU seconds) of one run of ``spasmcare ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", ENTRY, *args], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before


def main() -> None:
    from spasmcare.demo import long_record

    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "long.json"
        record.write_text(json.dumps(long_record(date.today()).record), encoding="utf-8")
        commands: list[tuple[str, list[str], float]] = [
            ("spasmcare --help", ["--help"], 0.5),
            ("spasmcare foods search butter", ["foods", "search", "butter"], 0.5),
            (
                "spasmcare report long.json --html OUT (2-year record)",
                ["report", str(record), "--html", str(Path(tmp) / "report.html")],
                1.0,
            ),
            ("spasmcare report long.json --json (no HTML)", ["report", str(record), "--json"], 1.0),
        ]
        print(f"{'command':58s} {'wall median':>11s} {'best':>6s} {'user':>6s}  target")
        for label, args, target in commands:
            _run(args)  # warm the OS file cache
            runs = [_run(args) for _ in range(REPEATS)]
            walls = [w for w, _ in runs]
            users = [u for _, u in runs]
            print(
                f"{label:58s} {statistics.median(walls):10.2f}s {min(walls):5.2f}s "
                f"{statistics.median(users):5.2f}s  <= {target:g} s"
            )


if __name__ == "__main__":
    main()
