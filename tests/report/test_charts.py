"""The report charts carry their content (series, labels, legends, axes) for a 2-year record and
are drawn outside pyplot with fixed margins (no tight_layout, no second draw)."""

from __future__ import annotations

import io
import sys
from datetime import date
from typing import Any

import pytest
from matplotlib.figure import Figure
from PIL import Image

from spasmcare.demo import long_record
from spasmcare.record import record_from_dict
from spasmcare.record.model import DIET_LABELS
from spasmcare.report import build_report, charts

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return build_report(record_from_dict(long_record(TODAY).record, today=TODAY))


def _texts(fig: Figure) -> set[str]:
    return {t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()}


def _png_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.size


def test_timeline_content(report: dict[str, Any]) -> None:
    fig = charts.timeline_figure(report)
    ax_tx, ax_sp, ax_k, ax_r = fig.axes
    texts = _texts(fig)
    assert "Treatments, EEGs, spasms per day and ketones" in texts
    for t in report["treatments"]:
        assert f"{t['drug']} ({t['id']})" in texts
    for d in report["diets"]:
        assert f"{DIET_LABELS[d['diet']]} ({d['id']})" in texts  # a diet by its name
    # one bar per course or diet, one marker per EEG
    assert len(ax_tx.patches) == len(report["treatments"]) + len(report["diets"])
    markers = sum(len(line.get_xdata()) for line in ax_tx.get_lines())
    assert markers == len(report["eeg"])
    assert ax_sp.get_ylabel() == "spasms / day" and ax_k.get_ylabel() == "BHB mmol/L"
    assert ax_r.get_ylabel() == "ratio :1"
    sp_legend = [t.get_text() for t in ax_sp.get_legend().get_texts()]
    assert sp_legend[0] == "spasms (recorded day)" and "not recorded (unknown)" in sp_legend
    k_legend = [t.get_text() for t in ax_k.get_legend().get_texts()]
    assert k_legend == ["BHB target", "BHB high", "blood BHB [mmol/L]", "achieved ratio"]
    # every recorded day is one step of one artist: the tallest bar is the busiest day
    recorded = [r["spasms"] for r in report["spasms_per_day"] if r["recorded"]]
    assert max(ax_sp.patches[0].get_data().values) == max(recorded)
    # at most 12 date labels across two years, none overlapping its neighbour
    fig.canvas.draw()
    labels = [t for t in ax_k.get_xticklabels() if t.get_text() and t.get_visible()]
    assert 6 <= len(labels) <= charts.MAX_DATE_LABELS
    boxes = sorted((t.get_window_extent() for t in labels), key=lambda b: b.x0)
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    first, last = report["spasms_per_day"][0]["date"], report["spasms_per_day"][-1]["date"]
    assert ax_k.get_xlim() == (charts._num(first) - 1, charts._num(last) + 1)


def test_growth_content(report: dict[str, Any]) -> None:
    fig = charts.growth_figure(report)
    texts = _texts(fig)
    assert "Growth on WHO centiles (male)" in texts or "Growth on WHO centiles (female)" in texts
    assert [ax.get_title() for ax in fig.axes] == [
        "Weight [kg]",
        "Length [cm]",
        "Head circumference [cm]",
    ]
    for ax in fig.axes:
        names = {t.get_text() for t in ax.texts}
        assert names == {name for name, _ in charts.CENTILE_LINES}
        # nine centile lines in one collection per style (bold median, solid 2nd/98th, dotted)
        assert sum(len(c.get_segments()) for c in ax.collections) == 9
        assert ax.get_xlabel() in ("age [months]", "corrected age [months]")
    rows = [r for r in report["growth"]["rows"] if r["weight_kg"] is not None]
    weights = fig.axes[0].get_lines()[0].get_ydata()
    assert list(weights) == [r["weight_kg"] for r in rows if r["corrected_age_years"] is not None]


def test_pngs_have_the_chart_sizes(report: dict[str, Any]) -> None:
    assert _png_size(charts.timeline_png(report)) == (1210, 704)  # 11 × 6.4 in at 110 dpi
    assert _png_size(charts.growth_png(report)) == (1210, 418)
    adherence = charts.adherence_png(report)
    assert adherence is not None and _png_size(adherence) == (506, 352)


def test_charts_do_not_use_pyplot_or_layout_passes(
    report: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(Figure, "tight_layout", lambda *a, **k: calls.append("tight_layout"))
    charts.timeline_png(report)
    charts.growth_png(report)
    charts.adherence_png(report)
    assert calls == []
    if "matplotlib.pyplot" in sys.modules:  # another test may have loaded it: no figure kept
        import matplotlib.pyplot as plt

        assert plt.get_fignums() == []
