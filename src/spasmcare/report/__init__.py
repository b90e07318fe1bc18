"""The clinic report of one patient record: every measure as JSON (stable keys) and one
self-contained HTML page with SVG charts (no external resources)."""

from typing import Any

from spasmcare.report.data import MEASURE_KEYS, ReportOptions, build_report, day7_replan

__all__ = ["MEASURE_KEYS", "ReportOptions", "build_report", "day7_replan", "render_html"]


def render_html(report: dict[str, Any]) -> str:
    """The HTML page for a report dict (imports the page writer only when called)."""
    from spasmcare.report.html import render_html as _render

    return _render(report)
