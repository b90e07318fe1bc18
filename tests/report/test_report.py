"""The report: stable JSON keys, values on the example record worked out from its diary, the
HTML page (rendered once), and the CLI commands."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from spasmcare.record import record_from_json
from spasmcare.report import MEASURE_KEYS, build_report, render_html
from spasmcare.report.data import ReportOptions
from tests.conftest import run_cli, run_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "iess-synthetic-infant.json"
#: A fixed "today" after the example's last diary day (15 Nov 2026), so that the tests do not
#: depend on the system clock; the CLI takes it as --today.
TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return build_report(record_from_json(EXAMPLE.read_text(), today=TODAY))


def test_every_measure_key_present_and_stable(report: dict[str, Any]) -> None:
    assert list(report["measures"]) == list(MEASURE_KEYS)
    for key, m in report["measures"].items():
        assert m["key"] == key
        assert m["status"] in ("met", "not met", "not assessable", "measured")
        assert set(m) >= {"value", "window", "days_used", "reason", "source"}
    again = build_report(record_from_json(EXAMPLE.read_text(), today=TODAY))
    assert json.dumps(again, sort_keys=True) == json.dumps(report, sort_keys=True)


def test_example_values(report: dict[str, Any]) -> None:
    m = report["measures"]
    # Prednisolone from 1 Jun 2026 (day 1); spasms stop on day 10 (10 Jun) and return on
    # 20 Jul (day 50); vigabatrin starts 23 Jul (day 53).
    assert m["spasms_continuing_day7"]["value"] is True  # a cluster on 7 Jun
    assert m["ukiss_response"]["days_used"] == ["2026-06-13", "2026-06-14"]
    assert m["ukiss_response"]["status"] == "met"
    assert m["electroclinical_response_day14"]["status"] == "met"  # EEG 14 Jun: no hyps
    assert m["iciss_response"]["status"] == "met"  # days 14-42 = 14 Jun-12 Jul
    assert m["nisc_treatment_failure_free_day60"]["status"] == "not met"  # vigabatrin day 53
    assert m["time_to_spasm_cessation"]["value"] == 10
    assert m["relapse"]["value"] == "2026-07-20"
    assert m["kd_responder_3m"]["status"] == "met"
    assert m["kd_responder_12m"]["status"] == "not assessable"
    # The diary's answer (spasms on day 7) is passed to spasmcare.therapy.plan_course.
    replan = report["day7_decision"]["replan"]
    assert replan["available"] is True, replan.get("reason")
    assert (replan["protocol"], replan["answer"]) == ("prednisolone-high-dose", True)
    assert replan["decision_points"][0]["answer"] is True
    # Polarity: response good news, relapse bad news, the day-7 answer neither.
    assert m["ukiss_response"]["favourable"] is True
    assert (m["relapse"]["status"], m["relapse"]["favourable"]) == ("met", False)
    assert m["spasms_continuing_day7"]["favourable"] is None
    assert m["nisc_treatment_failure_free_day60"]["favourable"] is False


def test_no_treatment_keys_still_present() -> None:
    text = json.dumps(
        {
            "format": "spasmcare-record",
            "schema_version": 1,
            "patient": {"id": "x", "birth_date": "2026-01-01", "sex": "female"},
        }
    )
    r = build_report(record_from_json(text, today=TODAY), ReportOptions())
    assert list(r["measures"]) == list(MEASURE_KEYS)
    assert r["measures"]["ukiss_response"]["status"] == "not assessable"


def test_html_is_self_contained(report: dict[str, Any], tmp_path: Path) -> None:
    page = render_html(report)
    assert page.count('<figure class="chart"><svg ') == 3  # timeline, growth, adherence
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "UKISS" in page and "not assessable" in page
    # The relapse chip is red (bad news) and the day-7 answer neutral, read from "favourable".
    assert '<span class="chip notmet">relapse on 20 Jul 2026</span>' in page
    assert '<span class="chip measured">yes, continuing</span>' in page


def test_cli_report_json_and_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    data = run_json(capsys, "report", str(EXAMPLE), "--html", str(out), "--today", "2026-11-21")
    assert data["measures"]["ukiss_response"]["status"] == "met"
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_cli_bad_record_one_line_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text())
    data["diary"][3]["spasms"] = -2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, out, err = run_cli(capsys, "report", str(bad), "--json", "--today", "2026-11-21")
    assert code == 2 and out == ""
    assert "diary[3].spasms" in err and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(capsys, "record", "validate", str(tmp_path / "missing.json"))
    assert code == 2 and "RECORD" in err


def test_cli_record_validate(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "record", "validate", str(EXAMPLE), "--today", "2026-11-21")
    assert data["valid"] is True and data["treatments"] == 2
    schema = run_json(capsys, "record", "schema")
    assert schema["title"].startswith("spasmcare patient record")
    # Before the last diary day the same file is rejected, naming the entry and the option.
    code, _, err = run_cli(capsys, "record", "validate", str(EXAMPLE), "--today", "2026-11-01")
    assert code == 2 and "on or before today (2026-11-01)" in err
    code, _, err = run_cli(capsys, "report", str(EXAMPLE), "--today", "1 Nov")
    assert code == 2 and "--today" in err


def test_cli_report_colours_by_polarity(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.console import Console

    from spasmcare.cli.report import _render

    report = build_report(record_from_json(EXAMPLE.read_text(), today=TODAY))
    console = Console(record=True, width=200, color_system="truecolor")
    _render(report, None)(console)
    text = console.export_text(styles=True)
    # the rows are named by the measure's label (issue 19: no keys in the terminal report)
    relapse = next(line for line in text.splitlines() if line.startswith("│ Relapse after"))
    assert "\x1b[31m" in relapse  # red: a relapse is bad news
    day7 = next(line for line in text.splitlines() if "Spasms continuing at day 7?" in line)
    assert "\x1b[36m" in day7 and "\x1b[32m" not in day7  # cyan, not green


def test_report_of_a_record_with_no_entries_says_so() -> None:
    """A patient with no entries: no "None months", no "( %)", no empty chart (its date axis
    would start in 1970); each empty section says there is nothing yet."""
    text = json.dumps(
        {
            "format": "spasmcare-record",
            "schema_version": 1,
            "patient": {"id": "empty-1", "birth_date": "2026-06-01", "sex": "male"},
        }
    )
    page = render_html(build_report(record_from_json(text, today=TODAY)))
    assert "None months" not in page and "None %" not in page
    assert "( %)" not in page and "→ :" not in page
    assert "<img" not in page
    assert "Diary: no entries yet." in page
    assert "No entries yet: the timeline shows" in page
    assert "No growth measurements yet." in page
    assert "No lab results yet." in page
