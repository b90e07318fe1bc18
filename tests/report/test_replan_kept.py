"""The day-7 re-plan in the report is made once per process for what it depends on: a diary
tap changes the report, not the re-plan (issue 21)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import spasmcare.therapy
from spasmcare.record import record_from_json
from spasmcare.record.model import DiaryEntry
from spasmcare.report import build_report
from spasmcare.report import data as report_data

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"
TODAY = date(2026, 12, 1)


@pytest.fixture
def plans_made(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    report_data._replans.clear()
    made: list[Any] = []
    real = spasmcare.therapy.plan_course

    def counting(*args: Any, **kwargs: Any) -> Any:
        made.append(kwargs.get("decisions"))
        return real(*args, **kwargs)

    monkeypatch.setattr(spasmcare.therapy, "plan_course", counting)
    return made


def test_a_diary_tap_does_not_re_make_the_day7_replan(plans_made: list[Any]) -> None:
    record = record_from_json(EXAMPLE.read_text(), today=TODAY)
    first = build_report(record)
    assert first["day7_decision"]["replan"]["available"] is True and len(plans_made) == 1
    tap = DiaryEntry(at=datetime(2026, 11, 30, 9, 0), kind="cluster", spasms=3)
    tapped = dataclasses.replace(record, diary=(*record.diary, tap))
    second = build_report(tapped)
    assert len(plans_made) == 1  # kept: same protocol, weight, start, answer and files
    assert second["day7_decision"]["replan"] == first["day7_decision"]["replan"]
    # the report's copy is its own: changing it does not change the kept re-plan
    second["day7_decision"]["replan"]["days"].clear()
    assert build_report(tapped)["day7_decision"]["replan"] == first["day7_decision"]["replan"]


def test_another_answer_or_changed_protocol_files_re_make_it(
    plans_made: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = record_from_json(EXAMPLE.read_text(), today=TODAY)
    index = record.treatments[0]
    report_data.day7_replan(record, index, True)
    report_data.day7_replan(record, index, False)
    assert len(plans_made) == 2
    monkeypatch.setenv("SPASMCARE_PROTOCOLS_DIR", str(tmp_path))
    # the clinic's copy of a bundled version (same content): the files changed, so re-made
    from spasmcare.therapy.protocol import BUNDLED_DIR

    bundled = sorted(BUNDLED_DIR.glob(f"{index.protocol}.v*.yaml"))[-1]
    (tmp_path / bundled.name).write_bytes(bundled.read_bytes())
    report_data.day7_replan(record, index, True)
    assert len(plans_made) == 3
