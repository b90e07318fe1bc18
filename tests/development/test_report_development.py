"""The report's development key (``spasmcare report --json``) and its HTML section."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from spasmcare.record import record_from_dict, record_from_json
from spasmcare.report.data import ReportOptions, build_report
from spasmcare.report.html import render_html
from tests.conftest import run_json
from tests.development.test_record_development import with_development
from tests.record.test_io import EXAMPLE, TODAY


def test_report_json_has_development_with_review_due_past_the_window() -> None:
    data = with_development()
    data["development"]["milestones"] = [
        {
            "milestone": "who-sitting-without-support",
            "status": "not-yet",
            "date": "2026-10-20",
            "reported_by": "clinician",
        }
    ]
    rec = record_from_dict(data, today=TODAY)
    # born 2026-01-10 at term: on 2026-10-17 = 280 days = 9.199 months, on 2026-10-18 9.232
    before = build_report(rec, ReportOptions(today=date(2026, 10, 17)))["development"]
    after = build_report(rec, ReportOptions(today=date(2026, 10, 18)))["development"]
    assert before["who"][0]["status"] == "in-window" and before["review_due"] == []
    assert after["who"][0]["status"] == "review-due"
    assert [x["milestone"] for x in after["review_due"]] == ["who-sitting-without-support"]
    html = render_html(build_report(rec, ReportOptions(today=date(2026, 10, 18))))
    section = html[html.index('id="development"') :]
    assert "developmental review due" in section
    assert "it is not a diagnosis" in section
    assert "3.8–9.2 months" in section


def test_preterm_report_shows_corrected_age() -> None:
    data = with_development()
    data["patient"]["gestation_weeks"] = 32
    rec = record_from_dict(data, today=TODAY)
    dev = build_report(rec, ReportOptions(today=TODAY))["development"]
    # 2026-01-10 -> 2026-11-21: 315 days; corrected 315 - 56 = 259 days = 8.5 months
    assert dev["age_corrected"] is True and dev["weeks_early"] == 8.0
    assert dev["corrected_age_months"] == 8.5 and dev["age_months"] == 10.3
    assert dev["at_diagnosis"]["course"] == "plateau"
    assert [a["instrument"] for a in dev["assessments"]] == ["asq-3", "bayley-3", "vineland"]
    html = render_html(build_report(rec, ReportOptions(today=TODAY)))
    assert "8.5 months corrected" in html
    assert "below the cut-off" in html


def test_a_record_without_development_reports_an_empty_section() -> None:
    rec = record_from_json(EXAMPLE.read_text(), today=TODAY)
    dev = build_report(rec, ReportOptions(today=TODAY))["development"]
    assert dev["at_diagnosis"] is None and dev["assessments"] == [] and dev["cdc"] == []
    assert "Development at diagnosis not recorded" in render_html(
        build_report(rec, ReportOptions(today=TODAY))
    )


def test_cli_report_json_carries_the_development_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(with_development()), encoding="utf-8")
    out = run_json(capsys, "report", str(path), "--today", "2026-11-21", "--json")
    assert out["development"]["who"][0]["status"] == "achieved"
    assert out["development"]["who"][0]["confirmed_by"] == "Dr A. Clinician"


def test_a_record_without_milestones_raises_no_prompt_past_the_windows() -> None:
    data = with_development()
    del data["development"]["milestones"]
    data["development"]["at_diagnosis"].pop("milestones_achieved")
    rec = record_from_dict(data, today=TODAY)
    # 2 years old: every WHO window has ended, but nothing was recorded
    dev = build_report(rec, ReportOptions(today=date(2028, 1, 10)))["development"]
    assert dev["milestones_tracked"] is False and dev["review_due"] == []
    assert {w["status"] for w in dev["who"]} == {"not-recorded"}
    html = render_html(build_report(rec, ReportOptions(today=date(2028, 1, 10))))
    assert "No milestones recorded yet" in html
