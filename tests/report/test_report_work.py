"""What one report computes (issue 21): the diary's days are viewed once and the index
course's cessation is computed once, the other-seizure measure reading the same result."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from spasmcare.demo import long_record
from spasmcare.measures import diary, response_course
from spasmcare.record import record_from_stored
from spasmcare.report import build_report
from spasmcare.report.data import ReportOptions

ON = date(2026, 12, 7)


def test_one_diary_view_and_one_cessation_per_course(monkeypatch: pytest.MonkeyPatch) -> None:
    record = record_from_stored(long_record(ON).record, today=ON)
    views: list[Any] = []
    made = diary.DiaryView.__init__

    def counted_view(self: diary.DiaryView, rec: Any) -> None:
        views.append(rec)
        made(self, rec)

    cessations: list[str] = []
    measure = response_course.time_to_spasm_cessation

    def counted_cessation(rec: Any, treatment: Any, *args: Any, **kwargs: Any) -> Any:
        cessations.append(treatment.id)
        return measure(rec, treatment, *args, **kwargs)

    monkeypatch.setattr(diary.DiaryView, "__init__", counted_view)
    for module in ("spasmcare.measures.response", "spasmcare.measures.other_seizures"):
        monkeypatch.setattr(f"{module}.time_to_spasm_cessation", counted_cessation)
    report = build_report(record, ReportOptions(today=ON))
    assert len(views) == 1
    courses = [t for t in record.treatments if t.continues is None]
    assert sorted(cessations) == sorted(t.id for t in courses)  # each course once
    assert report["measures"]["first_other_seizure_after_cessation"]["status"] == "not met"
