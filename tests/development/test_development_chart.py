"""The WHO windows drawn against corrected age (issue 25): every bar where the published
window is, the achieved dot at the corrected age of achievement, the line at today's corrected
age, and a description in words."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

from spasmcare.jsonable import jsonable
from spasmcare.measures.development import WHO_WINDOWS, development_summary
from spasmcare.record import record_from_dict
from spasmcare.report.development_chart import LEFT_PX, WIDTH, who_windows_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def _summary() -> dict[str, Any]:
    """A 32-week boy born 1 Jan 2026 (56 days early), sat alone on 1 Oct 2026: corrected age
    then (273 - 56) / 30.4375 = 7.13 months; on 7 Dec 2026 (340 days) 9.33 months, past
    sitting's 9.2 were it not reached, inside standing with assistance (4.8-11.4)."""
    record = record_from_dict(
        {
            "format": "spasmcare-record",
            "schema_version": 1,
            "patient": {"id": "c1", "birth_date": "2026-01-01", "sex": "male",
                        "gestation_weeks": 32, "gestation_days": 0},
            "development": {"milestones": [
                {"milestone": "who-sitting-without-support", "status": "achieved",
                 "date": "2026-10-01", "reported_by": "family"},
            ]},
        },
        today=date(2026, 12, 7),
    )  # fmt: skip
    summary: dict[str, Any] = jsonable(development_summary(record, date(2026, 12, 7)))
    return summary


def test_the_windows_are_drawn_as_published() -> None:
    svg = ET.fromstring(who_windows_svg(_summary()))
    top = 18.6  # the chart runs to walking alone's 17.6 + 1 month
    scale = (WIDTH - 16 - LEFT_PX) / top
    rects = svg.iter("{http://www.w3.org/2000/svg}rect")
    bars = [r for r in rects if "window" in r.get("class", "")]
    assert len(bars) == 6
    for bar, w in zip(bars, WHO_WINDOWS, strict=True):
        assert float(bar.get("x", "")) == round(LEFT_PX + w.start_months * scale, 2)
        width = float(bar.get("width", ""))
        assert abs(width - (w.end_months - w.start_months) * scale) < 0.02
    [dot] = [c for c in svg.iter("{http://www.w3.org/2000/svg}circle")]
    assert abs(float(dot.get("cx", "")) - (LEFT_PX + 7.1 * scale)) < 0.02  # 7.1 as shown
    [today] = [x for x in svg.iter("{http://www.w3.org/2000/svg}line") if x.get("class") == "today"]
    assert abs(float(today.get("x1", "")) - (LEFT_PX + 9.3 * scale)) < 0.02


def test_the_chart_says_what_it_shows_in_words() -> None:
    svg = ET.fromstring(who_windows_svg(_summary()))
    assert svg.find("s:title", NS).text == (  # type: ignore[union-attr]
        "WHO gross-motor milestone windows against corrected age"
    )
    desc = svg.find("s:desc", NS).text or ""  # type: ignore[union-attr]
    assert desc.startswith("Corrected age 9.3 months on 7 Dec 2026.")
    assert (
        "Sitting without support: window 3.8 to 9.2 months, achieved on 1 Oct 2026 at 7.1 months."
        in desc
    )
    assert (
        "Standing with assistance: window 4.8 to 11.4 months, not yet, inside its window." in desc
    )
