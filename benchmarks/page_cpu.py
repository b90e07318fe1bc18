"""CPU per request of each page of the clinic mix, in one process (no server, no other load).

``python -m benchmarks.page_cpu [--rounds 30] [--weights-from CLINIC.json]``: prepares the
clinic benchmark's data (:data:`benchmarks.bench_clinic.PREPARE`: the demo clinic, one child
per family, 50 logins) in a throw-away folder, then drives the pages with Django's test client
in this process, one request at a time, in the order a clinic day makes them (a family's tap,
then the diary it returns to; a nurse's list, dashboard, blood pressure and the dashboard after
it; a neurologist's timeline chart, course planner and report; the cohort page). One round
(every kind once) warms the process, then ``--rounds`` rounds are measured with
``time.process_time`` (CPU of this process, which the machine's other work affects far less
than wall time). With ``--weights-from``, the mean is also weighted by the requests per page
kind of a ``python -m benchmarks clinic --json`` run (its last line).

Not part of ``make bench`` (it repeats what the clinic benchmark measures, without a server);
used to compare code versions on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import bench_clinic

#: Page kinds measured here, by the name the clinic benchmark gives them.
KINDS = (
    "family tap (write)",
    "family diary",
    "patient list",
    "dashboard",
    "nurse entry (write)",
    "dashboard after a write",
    "timeline chart",
    "course planner",
    "report page",
    "cohort",
)


def _rounds(
    rounds: int, skip: int, pids: list[int], chart: str, patients: int | None = None
) -> dict[str, list[float]]:
    import django

    django.setup()
    from django.test import Client

    from spasmcare.web.models import User
    from spasmcare.web.operations.warmup import warm

    warm()

    def signed_in(name: str) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=name))
        return client

    pids = pids[: patients or len(pids)]
    families = [signed_in(f"family{i:02d}") for i in range(len(pids))]
    nurse, neuro, researcher = (
        signed_in("nurse00"),
        signed_in("neurologist00"),
        signed_in("researcher00"),
    )
    # one request handler for every client, as a server worker has: a test client builds its
    # handler's middleware on its first request (whitenoise lists every static file then),
    # which no server request pays
    for client in (*families, neuro, researcher):
        client.handler = nurse.handler
    cpu: dict[str, list[float]] = defaultdict(list)

    def measure(kind: str, request: Callable[[], Any], k: int) -> None:
        t = time.process_time()
        response = request()
        if k >= skip:
            cpu[kind].append(time.process_time() - t)
        if response.status_code not in (200, 302):
            raise RuntimeError(f"{kind}: HTTP {response.status_code}")

    for k in range(skip + rounds):
        pid = pids[k % len(pids)]
        family = families[k % len(families)]
        tap = {"action": "cluster", "spasms": 2 + k % 100, "nonce": f"page-cpu-{k}"}
        bp = {
            "at": time.strftime("%Y-%m-%dT%H:%M"),
            "systolic_mmhg": 90,
            "diastolic_mmhg": 50,
            "heart_rate_bpm": 110 + k % 30,
        }
        steps: list[tuple[str, Client, str, str, dict[str, Any] | None]] = [
            ("family tap (write)", family, "POST", f"/family/{pid}/log/", tap),
            ("family diary", family, "GET", f"/family/{pid}/", None),
            ("patient list", nurse, "GET", "/patients/", None),
            ("dashboard", nurse, "GET", f"/patients/{pid}/", None),
            ("nurse entry (write)", nurse, "POST", f"/patients/{pid}/add/vitals/", bp),
            ("dashboard after a write", nurse, "GET", f"/patients/{pid}/", None),
            ("timeline chart", neuro, "GET", f"/patients/{pid}/chart/{chart}", None),
            ("course planner", neuro, "GET", f"/patients/{pid}/course/", None),
            ("report page", neuro, "GET", f"/patients/{pid}/report/", None),
            ("cohort", researcher, "GET", "/cohort/", None),
        ]
        for kind, client, method, path, body in steps:
            if method == "POST":
                measure(kind, lambda c=client, p=path, b=body: c.post(p, b), k)
            else:
                measure(kind, lambda c=client, p=path: c.get(p), k)
    return cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.page_cpu", description=__doc__)
    parser.add_argument("--rounds", type=int, default=30, help="measured rounds [30]")
    parser.add_argument(
        "--chart",
        default=bench_clinic.CHART,
        help="the chart file (timeline.png for code before the SVG charts) [timeline.svg]",
    )
    parser.add_argument("--weights-from", type=Path, help="a clinic --json output to weight by")
    parser.add_argument(
        "--patients",
        type=int,
        help="cycle over the first N children only (each family's child comes back every N "
        "rounds, as a family tapping all day does; a worker keeps what it read) [all 30]",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(
        prefix="spasmcare-page-cpu-", ignore_cleanup_errors=True
    ) as tmp:
        env = bench_clinic._env(Path(tmp))
        ids = bench_clinic.prepare_clinic(env, list(bench_clinic.MIX))
        os.environ.update(env)
        warm = args.patients or 1  # every child read once before measuring
        cpu = _rounds(args.rounds, warm, ids["patients"], args.chart, args.patients)
    print(f"  CPU calibration: {bench_clinic.calibrate()} ms")
    print("  | page | requests | mean CPU | median CPU |")
    print("  |---|---|---|---|")
    for kind in KINDS:
        values = cpu[kind]
        print(
            f"  | {kind} | {len(values)} | {1000 * statistics.mean(values):.1f} ms | "
            f"{1000 * statistics.median(values):.1f} ms |"
        )
    every = [v for kind in KINDS for v in cpu[kind]]
    print(f"  mean over the pages (each kind once a round): {1000 * statistics.mean(every):.1f} ms")
    if args.weights_from:
        lines = args.weights_from.read_text().splitlines()
        last = next(line for line in reversed(lines) if line.startswith("{"))
        counts = {r["page"]: r["requests"] for r in json.loads(last)["rows"]}
        weights = {kind: counts.get(kind, 0) for kind in KINDS}
        total = sum(weights.values())
        weighted = sum(weights[k] * statistics.mean(cpu[k]) for k in KINDS) / max(1, total)
        print(f"  mean weighted by that clinic run's requests per page: {1000 * weighted:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
