"""How the app is served on one machine: the gunicorn command line ``make demo`` runs and the
dashboard benchmark measures, kept in one place so the two cannot drift apart.

4 worker processes × 2 threads on the reference machine (2 cores). Software settings, chosen by
measurement (``python -m benchmarks clinic``, 50 users, SQLite, docs/BENCHMARKS.md): with
2 × 4 the threads of a process queue for its one interpreter lock and the mix's p95 was 474 ms;
3 × 2 gave 462 ms, 4 × 2 106 ms and 6 × 2 125 ms at the same CPU per request (23–25 ms).
More processes cost little memory each and nothing in computation, because what one worker
computes (summaries, reports, charts) is stored for all of them (``web/summaries.py``,
``web/computed.py``); two threads per process let a slow request (a chart) not hold up a quick one.
``--preload``: the app is loaded and warmed (:mod:`spasmcare.web.warmup`) once, before the
port opens, and the workers are forked from it warm, so the first sign-in is not slower than
any other.
"""

from __future__ import annotations

import sys
from pathlib import Path

WORKERS = 4
THREADS = 2


def gunicorn_path() -> Path:
    """The gunicorn of the running Python environment."""
    return Path(sys.executable).with_name("gunicorn")


def gunicorn_argv(host: str, port: int) -> list[str]:
    """The full command line serving ``spasmcare.web.wsgi`` on ``host:port``."""
    return [
        str(gunicorn_path()),
        "spasmcare.web.wsgi",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--preload",
        "--log-level",
        "warning",
    ]
