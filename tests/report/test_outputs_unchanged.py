"""The domain results the clinic app and the command line rebuild after each write stay the
same, byte for byte, while their code is made cheaper (issue 21).

For the 14 demo infants and the 2-year record (:mod:`spasmcare.demo`, made for a fixed day),
each of: the record read with the full check and read as stored (the same record), the
patient's status, the cohort row, the soft-range warnings, the report (with the caller's status
and with its own) and the HTML report. Each is written as canonical JSON and compared by its
SHA-256 with ``data/outputs_2026-12-07.json``, recorded from the code before issue 21's
domain work. A deliberate change of a result: check it, then record the digests again with
``python -m tests.report.test_outputs_unchanged`` (and say why in the commit).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from spasmcare.demo import demo_clinic, long_record
from spasmcare.measures.cohort import cohort_rows
from spasmcare.measures.status import patient_status
from spasmcare.record import record_from_json, record_from_stored
from spasmcare.record.plausibility import record_warnings
from spasmcare.report import build_report, render_html
from spasmcare.report.data import ReportOptions

ON = date(2026, 12, 7)
SALT = "outputs-unchanged-test-salt"
DIGESTS = Path(__file__).parent / "data" / "outputs_2026-12-07.json"


def canonical(value: Any) -> Any:
    """``value`` as JSON-ready data that does not depend on the hash seed (sets sorted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "__type__": type(value).__name__,
            **{f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((canonical(v) for v in value), key=repr)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)  # every bit of the number, NaN included
    if isinstance(value, str | int | bool) or value is None:
        return value
    return repr(value)


def _digest(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(canonical(value), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _records() -> dict[str, dict[str, Any]]:
    out = {f"demo {n}": infant.record for n, infant in enumerate(demo_clinic(ON), start=1)}
    out["2-year"] = long_record(ON).record
    return out


def outputs(name: str, data: dict[str, Any]) -> dict[str, str]:
    """The digest of every result of one record."""
    full = record_from_json(json.dumps(data), today=ON)
    stored = record_from_stored(json.loads(json.dumps(data)), today=ON)
    status = patient_status(full, ON)
    report = build_report(full, ReportOptions(today=ON), status=status)
    return {
        "record": _digest(full),
        "record stored": _digest(stored),
        "status": _digest(status),
        "cohort row": _digest(cohort_rows([full], ON, salt=SALT)),
        "warnings": _digest(record_warnings(full)),
        "report": _digest(report),
        "report, own status": _digest(build_report(stored, ReportOptions(today=ON))),
        "report, again on the same record": _digest(
            build_report(full, ReportOptions(today=ON), status=status)
        ),
        "html": _digest(render_html(report)),
    }


RECORDS = _records()


@pytest.mark.parametrize("name", list(RECORDS))
def test_outputs_are_unchanged(name: str) -> None:
    expected = json.loads(DIGESTS.read_text())[name]
    got = outputs(name, RECORDS[name])
    changed = [part for part in expected if got.get(part) != expected[part]]
    assert not changed, f"{name}: changed {changed}"
    assert got["record"] == got["record stored"]
    assert got["report"] == got["report, again on the same record"]


if __name__ == "__main__":
    DIGESTS.write_text(
        json.dumps({n: outputs(n, d) for n, d in RECORDS.items()}, indent=1, sort_keys=True) + "\n"
    )
    print(f"wrote {DIGESTS}")
