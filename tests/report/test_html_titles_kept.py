"""The HTML report names protocols by title without reading every protocol file on every page
(issue 21): the titles come from the protocols kept per listing of the files
(:func:`spasmcare.therapy.protocol.version_titles`, tested in
``tests/therapy/test_protocols_kept.py``)."""

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


def test_titles_without_reading_the_files_again(monkeypatch: pytest.MonkeyPatch) -> None:
    report = build_report(record_from_json(EXAMPLE.read_text(), today=TODAY))
    first = render_html(report)
    assert "High-dose" in first or "prednisolone" in first.lower()
    reads: list[int] = []
    real = spasmcare.therapy.protocol._read_shared

    def counting(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(spasmcare.therapy.protocol, "_read_shared", counting)
    assert render_html(report) == first and reads == []
    # a page's titles are its own: changing them does not change the kept ones
    report_html._protocols().clear()
    assert render_html(report) == first and reads == []
