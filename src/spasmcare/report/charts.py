"""Report charts drawn with matplotlib (Agg backend, no display), returned as PNG bytes.

The WHO centile lines are the nine-centile set of the UK-WHO charts (0.4th to 99.6th, two
thirds of an SD apart), computed with :func:`spasmcare.growth.value_at_sds`.
"""

from __future__ import annotations

import io
import math
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.transforms import blended_transform_factory  # noqa: E402

from spasmcare.growth import Measure, Reference, Sex, value_at_sds  # noqa: E402
from spasmcare.record.model import DIET_LABELS  # noqa: E402

#: Resolution of every chart [dots per inch].
DPI = 110
#: zlib level of the PNG files: 1 encodes several times faster than matplotlib's default (6)
#: for files a few per cent larger (charts are flat colours, which compress well either way).
PNG_COMPRESS_LEVEL = 1
#: Most date labels on the timeline's axis (the month step grows with the span).
MAX_DATE_LABELS = 12
#: Where the timeline's y-axis labels sit (axes fraction): placed, not measured from the tick
#: labels at every draw. Titles are placed too (``y=1``), for the same reason.
YLABEL_AT = (-0.045, 0.5)

#: z-scores of the UK-WHO centile lines: 0.4, 2, 9, 25, 50, 75, 91, 98, 99.6th centiles.
CENTILE_LINES: tuple[tuple[str, float], ...] = (
    ("0.4th", -8 / 3),
    ("2nd", -2.0),
    ("9th", -4 / 3),
    ("25th", -2 / 3),
    ("50th", 0.0),
    ("75th", 2 / 3),
    ("91st", 4 / 3),
    ("98th", 2.0),
    ("99.6th", 8 / 3),
)

TREATMENT_COLOURS = ("#c0392b", "#2e86c1", "#8e44ad", "#d68910", "#16a085")
DIET_COLOUR = "#27ae60"


#: Points per centile line (ages from 0.02 years to the chart's top age).
CURVE_POINTS = 31


def _curve_ages(top: float) -> tuple[float, ...]:
    return tuple(0.02 + i * (top - 0.02) / (CURVE_POINTS - 1) for i in range(CURVE_POINTS))


@lru_cache(maxsize=256)
def centile_curve(
    measure: Measure, z: float, sex: Sex, reference: Reference, top: float
) -> tuple[float, ...]:
    """The measurement at z-score ``z`` at each age of :func:`_curve_ages` (cached: the lines
    are the same for every chart of that sex, reference and top age)."""
    return tuple(value_at_sds(measure, z, a, sex, reference) for a in _curve_ages(top))


def _figure(width_in: float, height_in: float) -> Figure:
    """A figure drawn by Agg, outside pyplot (nothing to close, no global state)."""
    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _margins(fig: Figure, left: float, right: float, top: float, bottom: float) -> None:
    """Fixed margins in inches (instead of tight_layout, which draws the figure once more to
    measure every label; the margins fit the longest labels these charts have)."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return buffer.getvalue()


def _d(text: Any) -> date:
    return text if isinstance(text, date) else date.fromisoformat(str(text)[:10])


#: matplotlib's day number of a date is its ordinal plus this (read once from matplotlib, so
#: that a changed date epoch is honoured); one subtraction per date instead of a date2num call.
_ORDINAL_TO_NUM = float(mdates.date2num(date(2000, 1, 1))) - date(2000, 1, 1).toordinal()


def _num(value: Any) -> float:
    """matplotlib's day number of a date or ISO date text (as ``mdates.date2num``)."""
    return _d(value).toordinal() + _ORDINAL_TO_NUM


def _day_bars(ax: Any, points: list[tuple[float, float]], colour: str, label: str) -> None:
    """Bars one day wide at each (day number, value), drawn as one filled step outline: one
    artist for a 2-year diary instead of one rectangle per day (what made the chart slow)."""
    xs = np.array([x for x, _ in points])
    first = float(xs.min())
    days = int(round(float(xs.max()) - first)) + 1
    heights = np.zeros(days)
    heights[np.rint(xs - first).astype(int)] = [y for _, y in points]
    ax.stairs(heights, first - 0.5 + np.arange(days + 1), fill=True, color=colour, label=label)


def _runs(days: list[float]) -> list[tuple[float, float]]:
    """Consecutive day numbers merged into (first, last) runs."""
    out: list[tuple[float, float]] = []
    for x in sorted(days):
        if out and x - out[-1][1] <= 1.0:
            out[-1] = (out[-1][0], x)
        else:
            out.append((x, x))
    return out


def has_timeline(report: dict[str, Any]) -> bool:
    """Whether the timeline has anything dated to draw (a patient with no entries gets a
    sentence instead of an empty chart whose axis would start in 1970)."""
    return bool(
        report["spasms_per_day"] or report["treatments"] or report["diets"] or report["eeg"]
    )


def has_growth(report: dict[str, Any]) -> bool:
    """Whether the growth chart has a measurement with an age to plot."""
    return any(r["corrected_age_years"] is not None for r in report["growth"]["rows"])


def _date_axis(ax: Any, first: date, last: date) -> None:
    """Month ticks, at most :data:`MAX_DATE_LABELS` labels whatever the span."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = max(1, math.ceil(months / MAX_DATE_LABELS))
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y" if step > 1 else "%d %b %Y"))


def timeline_png(report: dict[str, Any]) -> bytes:
    """Therapy bars and EEGs, spasms per day (unrecorded days shaded), blood ketones (PNG)."""
    return _png(timeline_figure(report))


def timeline_figure(report: dict[str, Any]) -> Figure:
    """The figure of :func:`timeline_png`."""
    daily = report["spasms_per_day"]
    fig = _figure(11, 6.4)
    ax_tx, ax_sp, ax_k = fig.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [1.3, 2.4, 1.5], "hspace": 0.12}
    )
    _margins(fig, left=1.35, right=0.55, top=0.35, bottom=0.45)
    bars = _treatment_panel(ax_tx, report)
    _spasm_panel(ax_sp, daily)
    _ketone_panel(ax_k, report)
    if daily:
        first, last = _d(daily[0]["date"]), _d(daily[-1]["date"])
        ax_k.set_xlim(_num(first - timedelta(days=1)), _num(last + timedelta(days=1)))
        _date_axis(ax_k, first, last)
    else:
        starts = [start for _, start, _, _ in bars] + [_d(e["date"]) for e in report["eeg"]]
        stops = [stop for _, _, stop, _ in bars] + [_d(e["date"]) for e in report["eeg"]]
        if starts:
            _date_axis(ax_k, min(starts), max(stops))
    return fig


def _treatment_panel(ax_tx: Any, report: dict[str, Any]) -> list[tuple[str, date, date, str]]:
    """The top panel: a bar per treatment and diet, the EEGs above them; returns the bars."""
    daily = report["spasms_per_day"]
    bars: list[tuple[str, date, date, str]] = []
    end_default = _d(daily[-1]["date"]) if daily else date.today()
    for i, t in enumerate(report["treatments"]):
        stop = _d(t["stop"]) if t["stop"] else end_default
        bars.append(
            (
                f"{t['drug']} ({t['id']})",
                _d(t["start"]),
                stop,
                TREATMENT_COLOURS[i % len(TREATMENT_COLOURS)],
            )
        )
    for d in report["diets"]:
        stop = _d(d["stop"]) if d["stop"] else end_default
        label = f"{DIET_LABELS.get(d['diet'], d['diet'])} ({d['id']})"
        bars.append((label, _d(d["start"]), stop, DIET_COLOUR))
    if bars:
        # one call for every bar; each label in front of its bar
        ax_tx.barh(
            range(len(bars)),
            [(stop - start).days + 1 for _, start, stop, _ in bars],
            left=[_num(start) for _, start, _, _ in bars],
            height=0.6,
            color=[colour for *_, colour in bars],
            alpha=0.85,
        )
    for row, (label, start, _stop, _colour) in enumerate(bars):
        ax_tx.text(
            _num(start) + 1,
            row,
            label,
            va="center",
            fontsize=8,
            color="#1c2833",
            fontweight="bold",
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.7, "lw": 0},
        )
    eeg_colours = {True: "#b03a2e", False: "#1e8449", None: "grey"}
    for hyps, colour in eeg_colours.items():
        days = [_num(e["date"]) for e in report["eeg"] if e["hypsarrhythmia"] is hyps]
        if days:
            ax_tx.plot(
                days, [len(bars)] * len(days), ls="none", marker="v", markersize=9, color=colour
            )
    ax_tx.set_yticks(
        [*range(len(bars)), len(bars)], [""] * len(bars) + ["EEG ▼ (red = hyps)"], fontsize=8
    )
    ax_tx.set_ylim(-0.6, len(bars) + 0.6)
    ax_tx.set_title("Treatments, EEGs, spasms per day and ketones", fontsize=11, loc="left", y=1)
    return bars


def _spasm_panel(ax_sp: Any, daily: list[dict[str, Any]]) -> None:
    """The middle panel: spasms per day, recorded or not, with the unrecorded runs shaded."""
    recorded = [(_num(r["date"]), r["spasms"]) for r in daily if r["recorded"]]
    partial = [(_num(r["date"]), r["spasms"]) for r in daily if not r["recorded"] and r["spasms"]]
    if recorded:
        _day_bars(ax_sp, recorded, "#34495e", "spasms (recorded day)")
    if partial:
        _day_bars(ax_sp, partial, "#e67e22", "spasms seen on an unrecorded day")
    unrecorded = [_num(r["date"]) for r in daily if not r["recorded"]]
    runs = _runs(unrecorded)
    if runs:
        # every unrecorded run in one artist, spanning the axes' height
        ax_sp.broken_barh(
            [(first - 0.5, last - first + 1.0) for first, last in runs],
            (0, 1),
            transform=blended_transform_factory(ax_sp.transData, ax_sp.transAxes),
            color="#d5d8dc",
            alpha=0.8,
            lw=0,
            label="not recorded (unknown)",
            zorder=0.5,
        )
    ax_sp.set_ylabel("spasms / day")
    ax_sp.yaxis.set_label_coords(*YLABEL_AT)
    ax_sp.legend(loc="upper right", fontsize=8, frameon=False)
    ax_sp.grid(axis="y", alpha=0.3)


def _ketone_panel(ax_k: Any, report: dict[str, Any]) -> None:
    """The bottom panel: blood BHB against its target band, and the achieved ratio."""
    bhb = [
        (_num(r["date"]), r["bhb_mmol_l"])
        for d in report["diets"]
        for r in d["adherence"]
        if r["bhb_mmol_l"] is not None
    ]
    labs = report["options"]["labs"]
    ax_k.axhspan(
        labs["bhb_target_low_mmol_l"],
        labs["bhb_target_high_mmol_l"],
        color="#abebc6",
        alpha=0.5,
        label="BHB target",
    )
    ax_k.axhline(labs["bhb_high_mmol_l"], color="#c0392b", lw=0.8, ls="--", label="BHB high")
    if bhb:
        xs, ys = zip(*bhb, strict=True)
        ax_k.plot(xs, ys, "o-", color=DIET_COLOUR, ms=3, lw=1, label="blood BHB [mmol/L]")
    ratios = [
        (_num(r["date"]), r["achieved_ratio"])
        for d in report["diets"]
        for r in d["adherence"]
        if r["achieved_ratio"] is not None
    ]
    handles, labels = ax_k.get_legend_handles_labels()
    if ratios:
        ax_r = ax_k.twinx()
        xs, ys = zip(*ratios, strict=True)
        ax_r.plot(xs, ys, "s", color="#7d3c98", ms=3, label="achieved ratio")
        ax_r.set_ylabel("ratio :1", color="#7d3c98", fontsize=8)
        ax_r.yaxis.set_label_coords(1 - YLABEL_AT[0], YLABEL_AT[1])
        ax_r.set_ylim(0, max(ys) * 1.3)
        more_handles, more_labels = ax_r.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    ax_k.set_ylabel("BHB mmol/L")
    ax_k.yaxis.set_label_coords(*YLABEL_AT)
    ax_k.legend(handles, labels, loc="upper left", fontsize=7, frameon=False, ncol=4)
    ax_k.grid(axis="y", alpha=0.3)


#: Style of a centile line by |z|: the median bold, the 2nd/98th solid, the others dotted.
def _centile_style(z: float) -> tuple[float, str]:
    return (1.2 if z == 0 else 0.6), ("-" if abs(z) in (0, 2) else ":")


def growth_png(report: dict[str, Any]) -> bytes:
    """Weight, length and head circumference on WHO centile lines against corrected age (PNG)."""
    return _png(growth_figure(report))


def growth_figure(report: dict[str, Any]) -> Figure:
    """The figure of :func:`growth_png`."""
    rows = [r for r in report["growth"]["rows"] if r["corrected_age_years"] is not None]
    sex = report["patient"]["sex"]
    reference = report["growth"]["reference"]
    panels: tuple[tuple[Measure, str, str], ...] = (
        ("weight", "weight_kg", "Weight [kg]"),
        ("height", "length_cm", "Length [cm]"),
        ("head_circumference", "head_circumference_cm", "Head circumference [cm]"),
    )
    fig = _figure(11, 3.8)
    axes = fig.subplots(1, 3, gridspec_kw={"wspace": 0.28})
    _margins(fig, left=0.45, right=0.2, top=0.65, bottom=0.5)
    max_age = max([r["corrected_age_years"] for r in rows], default=0.5)
    top = min(max(max_age + 0.25, 0.5), 4.0)
    months = [a * 12 for a in _curve_ages(top)]
    for ax, (measure, attr, title) in zip(axes, panels, strict=True):
        # the nine centile lines in one artist per line style, their names in one text each
        by_style: dict[tuple[float, str], list[list[tuple[float, float]]]] = {}
        for name, z in CENTILE_LINES:
            ys = centile_curve(measure, z, sex, reference, top)
            by_style.setdefault(_centile_style(z), []).append(list(zip(months, ys, strict=True)))
            ax.annotate(
                name,
                (top * 12, ys[-1]),
                fontsize=6,
                color="#566573",
                xytext=(2, 0),
                textcoords="offset points",
                va="center",
            )
        for (lw, ls), segments in by_style.items():
            ax.add_collection(LineCollection(segments, colors="#566573", linewidths=lw, ls=ls))
        ax.autoscale_view()
        pts = [(r["corrected_age_years"] * 12, r[attr]) for r in rows if r[attr] is not None]
        if pts:
            ax.plot([x for x, _ in pts], [y for _, y in pts], "o-", color="#c0392b", ms=4, lw=1.2)
        ax.set_title(title, fontsize=10, y=1)
        ax.set_xlabel("corrected age [months]" if report["patient"]["preterm"] else "age [months]")
        ax.set_xlim(0, top * 12 * 1.08)
        ax.grid(alpha=0.2)
    fig.suptitle(f"Growth on {reference.upper()} centiles ({sex})", fontsize=11, x=0.01, ha="left")
    return fig


def adherence_png(report: dict[str, Any]) -> bytes | None:
    """Daily blood BHB against spasms on recorded diet days, one dot per day (PNG; ``None``
    with fewer than two such days)."""
    fig = adherence_figure(report)
    return None if fig is None else _png(fig)


def adherence_figure(report: dict[str, Any]) -> Figure | None:
    """The figure of :func:`adherence_png`."""
    pts = [
        (r["bhb_mmol_l"], r["spasms"])
        for d in report["diets"]
        for r in d["adherence"]
        if r["bhb_mmol_l"] is not None and r["spasms"] is not None
    ]
    if len(pts) < 2:
        return None
    fig = _figure(4.6, 3.2)
    ax = fig.subplots()
    _margins(fig, left=0.6, right=0.15, top=0.35, bottom=0.5)
    xs, ys = zip(*pts, strict=True)
    ax.scatter(xs, ys, s=16, color=DIET_COLOUR, alpha=0.8)
    ax.set_xlabel("blood BHB that day [mmol/L]")
    ax.set_ylabel("spasms that day")
    ax.set_title("Ketosis beside spasms (not causal)", fontsize=10, y=1)
    ax.grid(alpha=0.3)
    return fig
