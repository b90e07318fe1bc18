"""The HTML report reads the protocol titles once per version of the protocol files, not on
every page (issue 21): each page read, hashed and copied every protocol file to name one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import spasmcare.therapy.protocol
from spasmcare.record import record_from_json
from spasmcare.report import build_report, render_html
from spasmcare.report import html as report_html

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"
TODAY = date(2026, 12, 1)


def test_titles_read_once_per_version_of_the_files(monkeypatch: pytest.MonkeyPatch) -> None:
    report = build_report(record_from_json(EXAMPLE.read_text(), today=TODAY))
    render_html(report)  # the process's vocabulary of codes (read once) is read
    report_html._titles_kept.clear()
    reads: list[int] = []
    real = spasmcare.therapy.protocol.all_versions

    def counting(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(spasmcare.therapy.protocol, "all_versions", counting)
    first = render_html(report)
    assert render_html(report) == first and len(reads) == 1
    assert "High-dose" in first or "prednisolone" in first.lower()
    # a changed protocol file (another size or time) is read again, with the same page
    files = report_html.protocol_files()
    monkeypatch.setattr(report_html, "protocol_files", lambda: (*files, ("new.yaml", 1, 1)))
    assert render_html(report) == first and len(reads) == 2
    # a page's titles are its own: changing them does not change the kept ones
    report_html._protocols().clear()
    assert render_html(report) == first and len(reads) == 2
