"""The six WHO gross-motor windows against the child's corrected age, as a light SVG.

One row per WHO milestone [1]: its window (1st to 99th percentile of the age of achievement,
in months) as a bar, the corrected age at which it was achieved as a dot, and the child's
corrected age today as a vertical line; a milestone past the end of its window without being
recorded as reached ("developmental review due") is drawn in the prompt colour. The chart
reads the report's ``development`` summary (:func:`spasmcare.measures.development.
development_summary`, dates as date objects or ISO text) and draws nothing of its own: every
number comes from the summary. Written with :mod:`spasmcare.report.svg`; its ``<title>`` and
``<desc>`` say in words (dates as "7 Dec 2026") what the picture shows.

References
----------
1. WHO Multicentre Growth Reference Study Group. WHO Motor Development Study: windows of
   achievement for six gross motor development milestones. Acta Paediatr Suppl
   2006;450:86-95.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from spasmcare.plain import day_text
from spasmcare.report.svg import GRID, MUTED, Scale, document, frame, label, legend, num, rect

WINDOW = "#aed6f1"
REVIEW = "#f5b041"
ACHIEVED = "#1e8449"
TODAY = "#c0392b"
#: The chart's width and the height of one milestone row [px] (drawing settings).
WIDTH, ROW_PX, LEFT_PX = 640, 24, 170
STATUS_WORDS = {
    "achieved": "achieved",
    "in-window": "not yet, inside its window",
    "before-window": "not yet expected",
    "review-due": "developmental review due",
    "not-recorded": "not recorded",
}


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _months_text(x: float) -> str:
    return f"{x:g}"


def describe(summary: Mapping[str, Any]) -> str:
    """The chart in words: the corrected age on the day, then each milestone's window and
    status."""
    on = _day(summary["on"])
    age = summary["corrected_age_months"]
    head = f"Corrected age {age:.1f} months on {day_text(on)}" if on else f"Age {age:.1f} months"
    if not summary.get("age_corrected"):
        head = f"Age {age:.1f} months on {day_text(on)}" if on else head
    parts = [head + "."]
    for w in summary["who"]:
        text = (
            f"{str(w['label']).capitalize()}: window {_months_text(w['window_start_months'])} to "
            f"{_months_text(w['window_end_months'])} months, "
            f"{STATUS_WORDS.get(w['status'], w['status'])}"
        )
        reached = _day(w.get("achieved_on"))
        if reached is not None:
            text += f" on {day_text(reached)}"
            if w.get("corrected_age_achieved_months") is not None:
                text += f" at {w['corrected_age_achieved_months']:.1f} months"
        parts.append(text + ".")
    return " ".join(parts)


def who_windows_svg(summary: Mapping[str, Any]) -> str:
    """The WHO windows of ``summary`` (the report's ``development``) as a standalone SVG."""
    rows = list(summary["who"])
    age = float(summary["corrected_age_months"])
    top_months = max(
        [18.0, *(float(w["window_end_months"]) + 1 for w in rows), min(age + 1, 30.0)]
    )
    height = 44 + ROW_PX * len(rows) + 40
    x = Scale(0, top_months, LEFT_PX, WIDTH - 16)
    y0 = 30
    body = [
        label(LEFT_PX, 16, "Months of corrected age" if summary.get("age_corrected")
              else "Months of age", size=10, colour=MUTED),
        frame(LEFT_PX, y0, WIDTH - 16 - LEFT_PX, ROW_PX * len(rows)),
    ]
    for m in range(0, int(top_months) + 1, 2):
        body.append(
            f'<line x1="{num(x(m))}" x2="{num(x(m))}" y1="{y0}" '
            f'y2="{y0 + ROW_PX * len(rows)}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        body.append(label(x(m), y0 + ROW_PX * len(rows) + 13, m, anchor="middle", size=9,
                          colour=MUTED, cls="tick"))
    for i, w in enumerate(rows):
        top = y0 + i * ROW_PX
        start, end = float(w["window_start_months"]), float(w["window_end_months"])
        colour = REVIEW if w["status"] == "review-due" else WINDOW
        body.append(
            label(LEFT_PX - 6, top + 15, str(w["label"]).capitalize(), anchor="end", size=10)
        )
        body.append(rect(x(start), top + 6, x(end) - x(start), ROW_PX - 12, colour,
                         cls=f"window {w['status']}"))
        reached = w.get("corrected_age_achieved_months")
        if reached is not None:
            body.append(
                f'<circle cx="{num(x(min(float(reached), top_months)))}" cy="{num(top + 12)}" '
                f'r="4.5" fill="{ACHIEVED}" class="achieved"/>'
            )
    if 0 <= age <= top_months:
        body.append(
            f'<line x1="{num(x(age))}" x2="{num(x(age))}" y1="{y0 - 4}" '
            f'y2="{y0 + ROW_PX * len(rows) + 2}" stroke="{TODAY}" stroke-width="1.5" '
            f'class="today"/>'
        )
    body.append(
        legend(
            LEFT_PX,
            height - 8,
            [
                ("box", WINDOW, "WHO window (1st–99th percentile)"),
                ("box", REVIEW, "review due"),
                ("dot", ACHIEVED, "achieved"),
                ("line", TODAY, "today"),
            ],
        )
    )
    return document(
        WIDTH,
        height,
        "WHO gross-motor milestone windows against corrected age",
        describe(summary),
        body,
    )
