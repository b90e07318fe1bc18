"""How the app is served on one machine: the gunicorn command line ``make demo`` runs and the
dashboard benchmark measures, kept in one place so the two cannot drift apart.

2 worker processes × 4 threads: one process per core of the reference machine (2 cores), and
threads so a slow request (a cold report) does not hold up the others. Software settings.
``--preload``: the app is loaded and warmed (:mod:`spasmcare.web.warmup`) once, before the
port opens, and the workers are forked from it warm, so the first sign-in is not slower than
any other.
"""

from __future__ import annotations

import sys
from pathlib import Path

WORKERS = 2
THREADS = 4


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
