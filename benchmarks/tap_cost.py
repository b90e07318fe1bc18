"""CPU of one diary tap and what it makes the server recompute, by the length of the diary.

``python -m benchmarks.tap_cost [--taps 20]``: in one process, a throw-away SQLite database
with two copies of the 2-year synthetic record (``spasmcare.demo.long_record``):
one with its whole diary (2 years) and one with only the diary's first week (every other
section kept). For each, after one warm-up tap, ``--taps`` taps are measured
(``time.process_time``), each as a clinic worker handles it: the write
(:func:`spasmcare.web.clinic.audit.create_entry`), the summary refresh after the response
(:func:`spasmcare.web.patients.summaries.stored`), then the dashboard a nurse opens after it
(Django's
test client). Issue 21 asks that the refresh after one tap cost no more after two years of
diary than after the first week.

Not part of ``make bench``; used to compare code versions (run it with another version's
``src`` first on ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks import bench_clinic


def _first_week(record: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(record)
    first = date.fromisoformat(out["diary"][0]["at"][:10])
    last = (first + timedelta(days=6)).isoformat()
    out["diary"] = [x for x in out["diary"] if x["at"][:10] <= last]
    out["recorded_days"] = [{"from": first.isoformat(), "to": last}]
    out["patient"]["id"] += "-week"
    return out


def _measure(taps: int) -> dict[str, dict[str, float]]:
    import django

    from spasmcare.web.base import datadir

    datadir.prepare()  # the settings only name the data folder; entry points make it
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.test import Client
    from django.utils import timezone

    from spasmcare.demo import long_record
    from spasmcare.web.clinic import audit, records
    from spasmcare.web.models import CareTeam, Kind, User
    from spasmcare.web.patients import summaries

    team = CareTeam.objects.create(name="Bench")
    nurse = User.objects.create(username="nurse", role="nurse")
    nurse.teams.add(team)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(nurse)
    whole = long_record(records.today()).record
    out: dict[str, dict[str, float]] = {}
    for label, data in (("first week", _first_week(whole)), ("2 years", whole)):
        patient = audit.import_record(copy.deepcopy(data), team, None)
        diary = sum(1 for _ in patient.entries.filter(kind=Kind.DIARY))
        write: list[float] = []
        refresh: list[float] = []
        dashboard: list[float] = []
        base = timezone.localtime().replace(hour=0, second=0, microsecond=0)
        for k in range(taps + 1):
            at = (base + timedelta(minutes=k)).strftime("%Y-%m-%dT%H:%M")
            item = {"at": at, "kind": "cluster", "spasms": 2, "observer": "mother"}
            t0 = time.process_time()
            audit.create_entry(patient, Kind.DIARY, item, None)
            t1 = time.process_time()
            summaries.stored([patient])
            t2 = time.process_time()
            response = client.get(f"/patients/{patient.pk}/")
            t3 = time.process_time()
            if response.status_code != 200:
                raise RuntimeError(f"dashboard: HTTP {response.status_code}")
            if k:  # the first tap warms the process
                write.append(t1 - t0)
                refresh.append(t2 - t1)
                dashboard.append(t3 - t2)
        out[label] = {
            "diary items": diary,
            "write": 1000 * statistics.median(write),
            "summary refresh": 1000 * statistics.median(refresh),
            "dashboard after it": 1000 * statistics.median(dashboard),
        }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tap_cost", description=__doc__)
    parser.add_argument("--taps", type=int, default=20, help="measured taps per record [20]")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(
        prefix="spasmcare-tap-cost-", ignore_cleanup_errors=True
    ) as tmp:
        os.environ.update(bench_clinic._env(Path(tmp)))
        result = _measure(args.taps)
    print(f"  CPU calibration: {bench_clinic.calibrate()} ms")
    print("  | record | diary items | write | summary refresh | dashboard after it |")
    print("  |---|---|---|---|---|")
    for label, row in result.items():
        print(
            f"  | {label} | {row['diary items']:.0f} | {row['write']:.1f} ms | "
            f"{row['summary refresh']:.1f} ms | {row['dashboard after it']:.1f} ms |"
        )
    print("  (medians of CPU per tap, process time)")


if __name__ == "__main__":
    main(sys.argv[1:])
