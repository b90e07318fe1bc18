"""Dashboard under load: 20 concurrent clinicians on one patient with 2 years of daily data.

``python -m benchmarks dashboard``. Builds a throw-away data directory with a SQLite database,
imports the 2-year fictional record (:func:`spasmcare.demo.long_record`) through
the app's import, starts the app as ``make demo`` serves it (gunicorn, ``web/base/serving.py``:
4 workers × 2 threads) on a free loopback port, signs 20 virtual users in, and has each load
the dashboard page in a loop. Traffic goes to 127.0.0.1 only; every loop is bounded in count
and time.

Two load shapes are reported:

- *clinic*: each user pauses a think time of 1 s between page views (people read pages);
- *saturation*: no pause at all (20 requests always in flight), the worst case.

Latency is the full HTTP response time of the dashboard page as the client sees it. The cold
first view (record read, measures, report) is measured apart: later views of the same data
version come from the per-process cache.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from benchmarks.bench_clinic import PASSWORD, _env, _free_port, _pct, _serve, _stop
from benchmarks.bench_clinic import Session as ClinicSession

USERS = 20
REQUESTS_PER_USER = 40
TIME_LIMIT_S = 60.0
THINK_S = 1.0


def _prepare(data_dir: Path, env: dict[str, str]) -> int:
    """Migrate, import the long record, create a clinician; return the patient id."""
    script = f"""
import django
django.setup()
from datetime import date
from django.core.management import call_command
call_command("migrate", verbosity=0)
from spasmcare.demo import long_record
from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam, User
team = CareTeam.objects.create(name="Bench team")
infant = long_record(date.today())
patient = audit.import_record(infant.record, team, None)
user = User.objects.create_user("bench", password={PASSWORD!r}, role="neurologist")
user.teams.add(team)
counts = {{k: len(v) for k, v in infant.record.items() if isinstance(v, list)}}
print(patient.pk, counts)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    ).stdout.split(maxsplit=1)
    print(f"  record imported: {out[1].strip()}")
    return int(out[0])


class Session(ClinicSession):
    """The clinic benchmark's browser-like client, signed in as the dashboard's one user."""

    def login(self, username: str = "bench") -> None:
        self.request("GET", "/login/")
        status, _ = self.form("/login/", {"username": username, "password": PASSWORD})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed: {status}")


def _run(port: int, path: str, think_s: float) -> tuple[list[float], int]:
    sessions = [Session(port) for _ in range(USERS)]
    for s in sessions:
        s.login()
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT_S
    start = threading.Barrier(USERS)

    def user(s: Session, offset: float) -> None:
        nonlocal errors
        start.wait()
        time.sleep(offset)  # stagger the first views over one think time
        for _ in range(REQUESTS_PER_USER):
            if time.monotonic() > deadline:
                break
            t0 = time.perf_counter()
            status, body = s.request("GET", path)
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                if status != 200 or b"Response" not in body:
                    errors += 1
            if think_s:
                time.sleep(think_s)

    threads = [
        threading.Thread(target=user, args=(s, think_s * i / USERS)) for i, s in enumerate(sessions)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="spasmcare-bench-"))
    port = _free_port()
    env = _env(data_dir)
    env.pop("DATABASE_URL", None)
    server = None
    try:
        pid = _prepare(data_dir, env)
        server = _serve(env, port)
        path = f"/patients/{pid}/"
        probe = Session(port)
        probe.login()
        cold = []
        for _ in range(2):  # one cold view per worker process (each has its own cache)
            t0 = time.perf_counter()
            probe.request("GET", path)
            cold.append(time.perf_counter() - t0)
            probe = Session(port)
            probe.login()
        # warm both workers' caches
        for _ in range(8):
            probe.request("GET", path)
        results = {}
        for label, think in (("clinic (1 s think time)", THINK_S), ("saturation (no pause)", 0.0)):
            latencies, errors = _run(port, path, think)
            results[label] = {
                "requests": len(latencies),
                "errors": errors,
                "p50_ms": 1000 * statistics.median(latencies),
                "p95_ms": 1000 * _pct(latencies, 95),
                "p99_ms": 1000 * _pct(latencies, 99),
                "max_ms": 1000 * max(latencies),
            }
        print(f"  patient {pid}: 2 years of daily diary; {USERS} concurrent users")
        print(f"  cold first view per worker: {', '.join(f'{1000 * c:.0f} ms' for c in cold)}")
        print(f"  {'load':<26}{'requests':>9}{'errors':>8}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
        for label, r in results.items():
            print(
                f"  {label:<26}{r['requests']:>9}{r['errors']:>8}{r['p50_ms']:>7.1f}ms"
                f"{r['p95_ms']:>7.1f}ms{r['p99_ms']:>7.1f}ms{r['max_ms']:>7.1f}ms"
            )
        print("  target: p95 <= 150 ms with 20 concurrent users (clinic load)")
    finally:
        _stop(server)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    print(date.today())
    main()
