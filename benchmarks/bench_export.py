"""Bulk FHIR export (NDJSON) of 1,000 and 10,000 fictional patients: time, peak memory, MB.

``python -m benchmarks export``. The fictional demo clinic (``spasmcare.demo``,
3 seeds × 14 infants = 42 different records) is cycled to the wanted count, each copy with its
own patient id, so every exported resource has its own id. Each patient is mapped to FHIR
R4B resources and appended to the NDJSON files, as ``spasmcare export fhir --ndjson`` does.
Reading a record (the record validator, ``record_from_dict``) is measured apart on the 42
distinct records and left out of the export time: the copies share the 42 parsed records and
only their patient id differs, so the export time is the FHIR mapping, the optional model
check and the writing.

Each run is a fresh process, so its peak resident memory (``ru_maxrss``) is its own; the
figure includes the interpreter and imported libraries (reported apart as the baseline).
Runs: 1,000 patients with no fhir.resources model check, with every resource checked and with
the default sampled check (the first resource of each type, then every 1000th), 10,000 with the
sampled check, and 10,000 with every resource checked when ``SPASMCARE_BENCH_FULL=1``.
One run by hand: ``python -m benchmarks.bench_export COUNT CHECK_EVERY [deid]`` (0 = no check,
1 = every resource; ``deid``: the de-identified export, the web page's default) prints its
measures as one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

TODAY = date(2026, 12, 2)
SEEDS = (2026, 2027, 2028)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def one(count: int, check_every: int, deidentify: bool = False) -> dict[str, float]:
    """Export ``count`` patients in this process; return the measures."""
    from spasmcare.demo import demo_clinic
    from spasmcare.interop.bulk import write_ndjson
    from spasmcare.record import record_from_dict

    docs = [i.record for seed in SEEDS for i in demo_clinic(TODAY, seed=seed)]
    start = time.perf_counter()
    base = [record_from_dict(d, today=TODAY) for d in docs]
    read_ms = 1000 * (time.perf_counter() - start) / len(docs)
    baseline = _peak_mb()

    def sources():  # noqa: ANN202
        for n in range(count):
            record = base[n % len(base)]
            patient = replace(record.patient, id=f"bench-{n:05d}")
            yield patient.id, replace(record, patient=patient)

    with tempfile.TemporaryDirectory(prefix="spasmcare-bench-export-") as tmp:
        start = time.perf_counter()
        manifest = write_ndjson(
            sources(),
            Path(tmp),
            check_every=check_every,
            deidentify_salt="bench-salt-of-enough-length" if deidentify else None,
            total=count,
        )
        seconds = time.perf_counter() - start
        written = sum(p.stat().st_size for p in Path(tmp).iterdir())
    return {
        "patients": count,
        "check_every": check_every,
        "deidentified": deidentify,
        "seconds": seconds,
        "per_patient_ms": 1000 * seconds / count,
        "resources": sum(item["count"] for item in manifest["output"]),
        "mb_written": written / 1e6,
        "peak_rss_mb": _peak_mb(),
        "baseline_rss_mb": baseline,
        "record_read_ms": read_ms,
    }


def _run(count: int, check_every: int) -> dict[str, float]:
    args = [sys.executable, "-m", "benchmarks.bench_export", str(count), str(check_every)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _check_words(every: int) -> str:
    return {0: "none", 1: "every resource"}.get(every, f"first + every {every}th")


def main() -> None:
    runs = [(1000, 0), (1000, 1), (1000, 1000), (10000, 1000)]
    if os.environ.get("SPASMCARE_BENCH_FULL") == "1":
        runs.append((10000, 1))
    print(
        "| patients | model check | time | per patient | resources | MB written "
        "| peak RSS (baseline) |"
    )
    print("|---|---|---|---|---|---|---|")
    for count, check_every in runs:
        r = _run(count, check_every)
        print(
            f"| {r['patients']:,} | {_check_words(int(r['check_every']))} | {r['seconds']:.1f} s | "
            f"{r['per_patient_ms']:.1f} ms | {r['resources']:,} | {r['mb_written']:.0f} | "
            f"{r['peak_rss_mb']:.0f} MB ({r['baseline_rss_mb']:.0f} MB) |",
            flush=True,
        )
    print(f"reading one record through the record validator: {r['record_read_ms']:.0f} ms (mean)")


if __name__ == "__main__":
    print(json.dumps(one(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:] == ["deid"])))
