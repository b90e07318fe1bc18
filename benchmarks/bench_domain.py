"""CPU of the domain calls the clinic app makes after each write, for a demo infant and for
a 2-year record, in one process (issue 21).

``python -m benchmarks domain [--rounds N] [--profile long|demo] [--today YYYY-MM-DD]``

After a family's tap the app rebuilds the patient's results from the record (the summary
refresh: ``web/summaries.py``; the report behind a dashboard: ``web/views/patients.py``). The
domain calls it makes, timed here one after the other on a freshly read record each round (as a
worker reads a new data version), CPU milliseconds per call (``time.process_time``; the median
of the rounds, and the best in brackets, which other work on the machine disturbs least):

- ``read (full check)``: :func:`spasmcare.record.record_from_json` of the record's JSON text
  (parse, JSON Schema, checks of meaning): a record not yet fully checked, and the command line;
- ``read (stored)``: :func:`spasmcare.record.record_from_stored` (no JSON Schema), every other
  read of the app;
- ``status``: :func:`spasmcare.measures.status.patient_status` (alerts, doses in force);
- ``cohort row``: :func:`spasmcare.measures.cohort.cohort_rows` of the one record;
- ``warnings``: :func:`spasmcare.record.plausibility.record_warnings`;
- ``build_report``: :func:`spasmcare.report.build_report` with that status, as the app does;
- ``render_html``: :func:`spasmcare.report.render_html` (the command line's ``--html``; the
  web's report page renders its own template);
- ``per write``: the stored read, status, cohort row and report added up, round by round.

"demo infant" is the mean over the 14 infants of :func:`spasmcare.demo.demo_clinic`; "2-year
record" is :func:`spasmcare.demo.long_record`. Both are made for a fixed day (``--today``,
default 7 Dec 2026) so runs compare. ``--profile`` prints the cProfile of the chain (every
call but ``render_html``) over the rounds instead, sorted by own time.

The CPU calibration (:func:`benchmarks.bench_clinic.calibrate`) is printed beside the results.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import json
import pstats
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from benchmarks.bench_clinic import calibrate

STEPS = (
    "read (full check)",
    "read (stored)",
    "status",
    "cohort row",
    "warnings",
    "build_report",
    "render_html",
)


#: What the app recomputes after a family's tap: the record read as stored, the status and
#: cohort row of the summary refresh, and the report behind the next dashboard.
WRITE_STEPS = ("read (stored)", "status", "cohort row", "build_report")
PER_WRITE = "per write (stored read + status + cohort + report)"


def _chain(data: dict[str, Any], text: str, on: date, html: bool) -> dict[str, float]:
    """One round of the domain calls for one record: CPU ms per step."""
    from spasmcare.measures.cohort import cohort_rows
    from spasmcare.measures.status import patient_status
    from spasmcare.record import record_from_json, record_from_stored
    from spasmcare.record.plausibility import record_warnings
    from spasmcare.report import build_report, render_html
    from spasmcare.report.data import ReportOptions

    out: dict[str, float] = {}

    def timed(name: str, call: Callable[[], Any]) -> Any:
        t = time.process_time()
        value = call()
        out[name] = 1000 * (time.process_time() - t)
        return value

    timed("read (full check)", lambda: record_from_json(text, today=on))
    stored = copy.deepcopy(data)  # as the app assembles it from its rows: a new dict each read
    record = timed("read (stored)", lambda: record_from_stored(stored, today=on))
    status = timed("status", lambda: patient_status(record, on))
    timed("cohort row", lambda: cohort_rows([record], on, salt="benchmark-salt-not-secret"))
    timed("warnings", lambda: record_warnings(record))
    report = timed(
        "build_report", lambda: build_report(record, ReportOptions(today=on), status=status)
    )
    if html:
        timed("render_html", lambda: render_html(report))
    return out


def records(on: date) -> dict[str, list[dict[str, Any]]]:
    """The records measured: the 14 demo infants and the 2-year record."""
    from spasmcare.demo import demo_clinic, long_record

    return {
        "demo infant": [infant.record for infant in demo_clinic(on)],
        "2-year record": [long_record(on).record],
    }


def measure(on: date, rounds: int) -> dict[str, dict[str, float]]:
    """Median CPU ms per call of each step, per kind of record (demo: mean over infants)."""
    result: dict[str, dict[str, float]] = {}
    for label, datas in records(on).items():
        texts = [json.dumps(d) for d in datas]
        for d, t in zip(datas, texts, strict=True):  # warm-up: imports, memo of tables
            _chain(d, t, on, html=True)
        per_step: dict[str, list[float]] = {s: [] for s in STEPS}
        for _ in range(rounds):
            sums = dict.fromkeys(STEPS, 0.0)
            for d, t in zip(datas, texts, strict=True):
                for step, ms in _chain(d, t, on, html=True).items():
                    sums[step] += ms
            for step in STEPS:
                per_step[step].append(sums[step] / len(datas))
        per_step[PER_WRITE] = [
            sum(parts) for parts in zip(*(per_step[s] for s in WRITE_STEPS), strict=True)
        ]
        result[label] = {s: statistics.median(v) for s, v in per_step.items()}
        result[label + " best"] = {s: min(v) for s, v in per_step.items()}
    return result


def profile(on: date, which: str, rounds: int, top: int = 40) -> None:
    label = {"long": "2-year record", "demo": "demo infant"}[which]
    datas = records(on)[label]
    texts = [json.dumps(d) for d in datas]
    for d, t in zip(datas, texts, strict=True):
        _chain(d, t, on, html=False)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(rounds):
        for d, t in zip(datas, texts, strict=True):
            _chain(d, t, on, html=False)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks domain", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (default 5)")
    parser.add_argument("--today", default="2026-12-07", help="the records' day (ISO)")
    parser.add_argument(
        "--profile", choices=("long", "demo"), help="print the cProfile of the chain instead"
    )
    args = parser.parse_args(argv)
    on = date.fromisoformat(args.today)
    if args.profile:
        profile(on, args.profile, args.rounds)
        return
    print(f"CPU calibration: {calibrate()} ms")
    result = measure(on, args.rounds)
    labels = [label for label in result if not label.endswith(" best")]
    print(f"CPU ms per call, median (best) of {args.rounds} rounds")
    print(f"{'':<52}" + "".join(f"{label:>20}" for label in labels))
    for step in result[labels[0]]:
        cells = [
            f"{result[label][step]:.2f} ({result[label + ' best'][step]:.2f})" for label in labels
        ]
        print(f"{step:<52}" + "".join(f"{c:>20}" for c in cells))
    print(f"CPU calibration: {calibrate()} ms")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
