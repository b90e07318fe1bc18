"""Report charts drawn with matplotlib (Agg backend, no display), returned as PNG bytes.

The WHO centile lines are the nine-centile set of the UK-WHO charts (0.4th to 99.6th, two
thirds of an SD apart), computed with :func:`spasmcare.growth.value_at_sds`.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from spasmcare.growth import Measure, Reference, Sex, value_at_sds  # noqa: E402

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


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _d(text: Any) -> date:
    return text if isinstance(text, date) else date.fromisoformat(str(text)[:10])


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


def timeline_png(report: dict[str, Any]) -> bytes:
    """Therapy bars and EEGs, spasms per day (unrecorded days shaded), blood ketones."""
    daily = report["spasms_per_day"]
    fig, (ax_tx, ax_sp, ax_k) = plt.subplots(
        3, 1, figsize=(11, 6.4), sharex=True, gridspec_kw={"height_ratios": [1.3, 2.4, 1.5]}
    )
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
        bars.append((f"{d['diet']} ({d['id']})", _d(d["start"]), stop, DIET_COLOUR))
    for row, (label, start, stop, colour) in enumerate(bars):
        ax_tx.barh(
            row,
            (stop - start).days + 1,
            left=mdates.date2num(start),
            height=0.6,
            color=colour,
            alpha=0.85,
        )
        ax_tx.text(
            mdates.date2num(start) + 1,
            row,
            label,
            va="center",
            fontsize=8,
            color="white",
            fontweight="bold",
        )
    for e in report["eeg"]:
        hyps = e["hypsarrhythmia"]
        ax_tx.plot(
            mdates.date2num(_d(e["date"])),
            len(bars),
            marker="v",
            markersize=9,
            color="#b03a2e" if hyps else ("#1e8449" if hyps is False else "grey"),
        )
    ax_tx.set_yticks(
        [*range(len(bars)), len(bars)], [""] * len(bars) + ["EEG ▼ (red = hyps)"], fontsize=8
    )
    ax_tx.set_ylim(-0.6, len(bars) + 0.6)
    ax_tx.set_title("Treatments, EEGs, spasms per day and ketones", fontsize=11, loc="left")

    recorded = [(mdates.date2num(_d(r["date"])), r["spasms"]) for r in daily if r["recorded"]]
    partial = [
        (mdates.date2num(_d(r["date"])), r["spasms"])
        for r in daily
        if not r["recorded"] and r["spasms"]
    ]
    if recorded:
        _day_bars(ax_sp, recorded, "#34495e", "spasms (recorded day)")
    if partial:
        _day_bars(ax_sp, partial, "#e67e22", "spasms seen on an unrecorded day")
    unrecorded = [mdates.date2num(_d(r["date"])) for r in daily if not r["recorded"]]
    for n, (first, last) in enumerate(_runs(unrecorded)):
        ax_sp.axvspan(
            first - 0.5,
            last + 0.5,
            color="#d5d8dc",
            alpha=0.8,
            lw=0,
            label="not recorded (unknown)" if n == 0 else None,
        )
    ax_sp.set_ylabel("spasms / day")
    ax_sp.legend(loc="upper right", fontsize=8, frameon=False)
    ax_sp.grid(axis="y", alpha=0.3)

    bhb = [
        (mdates.date2num(_d(r["date"])), r["bhb_mmol_l"])
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
        (mdates.date2num(_d(r["date"])), r["achieved_ratio"])
        for d in report["diets"]
        for r in d["adherence"]
        if r["achieved_ratio"] is not None
    ]
    if ratios:
        ax_r = ax_k.twinx()
        xs, ys = zip(*ratios, strict=True)
        ax_r.plot(xs, ys, "s", color="#7d3c98", ms=3, label="achieved ratio")
        ax_r.set_ylabel("ratio :1", color="#7d3c98", fontsize=8)
        ax_r.set_ylim(0, max(ys) * 1.3)
    ax_k.set_ylabel("BHB mmol/L")
    ax_k.legend(loc="upper left", fontsize=7, frameon=False, ncol=3)
    ax_k.grid(axis="y", alpha=0.3)
    ax_k.xaxis.set_major_locator(mdates.MonthLocator())
    ax_k.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    if daily:
        ax_k.set_xlim(
            mdates.date2num(_d(daily[0]["date"]) - timedelta(days=1)),
            mdates.date2num(_d(daily[-1]["date"]) + timedelta(days=1)),
        )
    fig.tight_layout()
    return _png(fig)


def growth_png(report: dict[str, Any]) -> bytes:
    """Weight, length and head circumference on WHO centile lines against corrected age."""
    rows = [r for r in report["growth"]["rows"] if r["corrected_age_years"] is not None]
    sex = report["patient"]["sex"]
    reference = report["growth"]["reference"]
    panels: tuple[tuple[Measure, str, str], ...] = (
        ("weight", "weight_kg", "Weight [kg]"),
        ("height", "length_cm", "Length [cm]"),
        ("head_circumference", "head_circumference_cm", "Head circumference [cm]"),
    )
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.8))
    max_age = max([r["corrected_age_years"] for r in rows], default=0.5)
    top = min(max(max_age + 0.25, 0.5), 4.0)
    ages = _curve_ages(top)
    for ax, (measure, attr, title) in zip(axes, panels, strict=True):
        for name, z in CENTILE_LINES:
            ys = centile_curve(measure, z, sex, reference, top)
            style = {
                "color": "#566573",
                "lw": 1.2 if z == 0 else 0.6,
                "ls": "-" if abs(z) in (0, 2) else ":",
            }
            ax.plot([a * 12 for a in ages], ys, **style)
            ax.annotate(
                name,
                (top * 12, ys[-1]),
                fontsize=6,
                color="#566573",
                xytext=(2, 0),
                textcoords="offset points",
                va="center",
            )
        pts = [(r["corrected_age_years"] * 12, r[attr]) for r in rows if r[attr] is not None]
        if pts:
            ax.plot([x for x, _ in pts], [y for _, y in pts], "o-", color="#c0392b", ms=4, lw=1.2)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("corrected age [months]" if report["patient"]["preterm"] else "age [months]")
        ax.set_xlim(0, top * 12 * 1.08)
        ax.grid(alpha=0.2)
    fig.suptitle(f"Growth on {reference.upper()} centiles ({sex})", fontsize=11, x=0.01, ha="left")
    fig.tight_layout()
    return _png(fig)


def adherence_png(report: dict[str, Any]) -> bytes | None:
    """Daily blood BHB against spasms on recorded diet days (one dot per day)."""
    pts = [
        (r["bhb_mmol_l"], r["spasms"])
        for d in report["diets"]
        for r in d["adherence"]
        if r["bhb_mmol_l"] is not None and r["spasms"] is not None
    ]
    if len(pts) < 2:
        return None
    fig, ax = plt.subplots(figsize=(4.6, 3.2))
    xs, ys = zip(*pts, strict=True)
    ax.scatter(xs, ys, s=16, color=DIET_COLOUR, alpha=0.8)
    ax.set_xlabel("blood BHB that day [mmol/L]")
    ax.set_ylabel("spasms that day")
    ax.set_title("Ketosis beside spasms (not causal)", fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return _png(fig)
