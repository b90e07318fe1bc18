"""How the app is served on one machine: the gunicorn command line ``make demo`` runs and the
dashboard benchmark measures, kept in one place so the two cannot drift apart.

4 worker processes × 2 threads on the reference machine (2 cores). Software settings, chosen by
measurement (``python -m benchmarks clinic``, 50 users, SQLite, docs/BENCHMARKS.md): with
2 × 4 the threads of a process queue for its one interpreter lock and the mix's p95 was 474 ms;
3 × 2 gave 462 ms, 4 × 2 106 ms and 6 × 2 125 ms at the same CPU per request (23–25 ms).
Checked again on 7 Dec 2026 (30 s runs, alternating): 2 × 4 used 26.6 and 22.2 ms of CPU
per request at a p95 of 400 and 286 ms, 4 × 2 used 23.6 and 21.4 ms at 181 and 163 ms.
More processes cost little memory each and nothing in computation, because what one worker
computes (summaries, reports, charts) is stored for all of them (``web/patients/summaries.py``,
``web/clinic/computed.py``); two threads per process let a slow request (a chart) not hold
up a quick one. ``--preload``: the app is loaded and warmed
(:mod:`spasmcare.web.operations.warmup`) once, before the port opens, and the workers are
forked from it warm, so the first sign-in is not slower than any other.

While it serves, the app holds a shared lock (``fcntl.flock``) on ``serving.lock`` in the data
directory (:func:`hold_while_serving`, called when :mod:`spasmcare.web.wsgi` loads: by the
gunicorn master with ``--preload``, whose forked workers share it, by each worker without it,
and by ``runserver``). A command that must not run under a serving app (``restore``, the
demo's rebuild) takes the lock exclusively (:func:`not_serving`) and refuses while any
process holds it; an app started meanwhile refuses to start. The operating system releases a
lock with the last process that holds it, so a server that dies leaves no stale lock. The lock
is per machine: a clinic served from several machines must stop them all before a restore.
"""

from __future__ import annotations

import fcntl
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spasmcare.errors import InputError

WORKERS = 4
THREADS = 2
#: The collector's thresholds in a served process (Python's own are 700, 10, 10): the
#: youngest objects collected every 20,000 allocations, so most of a request's objects are
#: freed by their reference counts before a collection walks them. Software settings, chosen by
#: measurement (issue 21, docs/BENCHMARKS.md).
GC_THRESHOLDS = (20_000, 20, 20)


def settle_memory() -> None:
    """Once the app is loaded and warmed, before the workers are forked: move every object
    alive now (Django, the app, the warmed caches) out of the garbage collector's sight
    (``gc.freeze``), so a full collection in a worker no longer walks them, nor writes to the
    memory the workers share with the master; then set :data:`GC_THRESHOLDS`."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


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


LOCK_FILE = "serving.lock"
#: Descriptors of the serving lock this process holds (kept open while the process lives).
_HELD: list[int] = []


def _open_lock(data_dir: Path) -> int:
    return os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)


def hold_while_serving(data_dir: Path) -> None:
    """Hold the shared serving lock of ``data_dir`` for the rest of this process (and of the
    processes forked from it); refuse to serve while a restore holds it."""
    fd = _open_lock(data_dir)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise RuntimeError(
            f"{data_dir} is being restored or rebuilt; start the app when that has finished"
        ) from None
    _HELD.append(fd)


@contextmanager
def not_serving(data_dir: Path, what: str) -> Iterator[None]:
    """Run the body holding the serving lock of ``data_dir`` exclusively: refused (InputError)
    while any process serves the clinic from it, and no app starts until the body ends."""
    fd = _open_lock(data_dir)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                "clinic",
                f"being served from {data_dir}",
                f"a stopped app: stop the clinic's server (gunicorn, runserver) before {what}",
            ) from None
        yield
    finally:
        os.close(fd)
