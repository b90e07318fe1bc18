"""Report charts as light SVG text, one small pure function per chart kind (no drawing library).

- :func:`timeline_svg`: courses and diets as bars, EEGs as markers, spasms per day (recorded
  days, spasms seen on unrecorded days, unrecorded runs shaded), blood ketones with their target
  band and the achieved ketogenic ratio;
- :func:`growth_svg`: weight, length and head circumference on the WHO centile lines;
- :func:`adherence_svg`: blood BHB against spasms on recorded diet days (the response chart).

The web app serves them as images and the HTML report embeds them, so a chart costs about what
its text costs to write. Every label is escaped (:func:`spasmcare.report.svg.text`); dates are
written as people write them ("1 Dec 2026", or "Dec 2026" when months are skipped).

The WHO centile lines are the nine-centile set of the UK-WHO charts (0.4th to 99.6th, two
thirds of an SD apart), computed with :func:`spasmcare.growth.value_at_sds`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from spasmcare.growth import Measure, Reference, Sex, value_at_sds
from spasmcare.plain import day_text
from spasmcare.record.model import DIET_LABELS
from spasmcare.report import svg
from spasmcare.report.svg import MUTED, Scale, label, num

#: Most date labels on the timeline's axis (the month step grows with the span).
MAX_DATE_LABELS = 12

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
RATIO_COLOUR = "#7d3c98"
EEG_COLOURS = {True: "#b03a2e", False: "#1e8449", None: "grey"}
EEG_WORDS = {True: "hypsarrhythmia", False: "no hypsarrhythmia", None: "hypsarrhythmia not stated"}
TIMELINE_TITLE = "Treatments, EEGs, spasms per day and ketones"

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


def _d(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days merged into (first, last) runs."""
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and (d - out[-1][1]).days <= 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def has_timeline(report: dict[str, Any]) -> bool:
    """Whether the timeline has anything dated to draw (a patient with no entries gets a
    sentence instead of an empty chart)."""
    return bool(
        report["spasms_per_day"] or report["treatments"] or report["diets"] or report["eeg"]
    )


def has_growth(report: dict[str, Any]) -> bool:
    """Whether the growth chart has a measurement with an age to plot."""
    return any(r["corrected_age_years"] is not None for r in report["growth"]["rows"])


def therapy_bars(report: dict[str, Any]) -> list[tuple[str, date, date, str]]:
    """(label, first day, last day, colour) of every course, then every diet, each named by what
    it is (never a record id), with its start when two share a name ("prednisolone from
    1 Jun 2026"); an ongoing one ends on the last diary day (today without a diary)."""
    daily = report["spasms_per_day"]
    end_default = _d(daily[-1]["date"]) if daily else date.today()
    bars = []
    for i, t in enumerate(report["treatments"]):
        stop = _d(t["stop"]) if t["stop"] else end_default
        colour = TREATMENT_COLOURS[i % len(TREATMENT_COLOURS)]
        bars.append((str(t["drug"]), _d(t["start"]), stop, colour))
    for d in report["diets"]:
        stop = _d(d["stop"]) if d["stop"] else end_default
        bars.append((DIET_LABELS.get(d["diet"], d["diet"]), _d(d["start"]), stop, DIET_COLOUR))
    names = Counter(name for name, *_ in bars)
    return [
        (f"{name} from {day_text(start)}" if names[name] > 1 else name, start, stop, colour)
        for name, start, stop, colour in bars
    ]


def timeline_span(report: dict[str, Any]) -> tuple[date, date]:
    """The days the timeline's axis shows: the diary's first and last day with a day's margin,
    else the span of the courses, diets and EEGs."""
    daily = report["spasms_per_day"]
    if daily:
        return _d(daily[0]["date"]) - timedelta(days=1), _d(daily[-1]["date"]) + timedelta(days=1)
    bars = therapy_bars(report)
    days = [b[1] for b in bars] + [b[2] for b in bars] + [_d(e["date"]) for e in report["eeg"]]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    return first - timedelta(days=1), last + timedelta(days=1)


# --- the timeline -----------------------------------------------------------------------------

W, LEFT, RIGHT = 1000, 150, 950


def timeline_svg(report: dict[str, Any]) -> str:
    """Therapy bars and EEGs, spasms per day (unrecorded days shaded), blood ketones (SVG)."""
    first, last = timeline_span(report)
    x = Scale(first.toordinal() - 0.5, last.toordinal() + 0.5, LEFT, RIGHT)
    bars = therapy_bars(report)
    body = [label(10, 18, TIMELINE_TITLE, size=13, weight="bold", cls="title")]
    therapy_bottom = 30 + 22 * (len(bars) + 1) + 8
    body.append(_therapy_panel(report, bars, x, 30, therapy_bottom))
    body.append(_spasm_panel(report, x, therapy_bottom + 12, therapy_bottom + 252))
    ketone_top = therapy_bottom + 264
    body.append(_ketone_panel(report, x, ketone_top, ketone_top + 130))
    height = ketone_top + 130 + 40
    body.append(_date_axis(x, first, last, height - 40))
    recorded = sum(1 for r in report["spasms_per_day"] if r["recorded"])
    desc = (
        f"From {day_text(first + timedelta(days=1))} to {day_text(last - timedelta(days=1))}: "
        f"{len(report['treatments'])} courses, {len(report['diets'])} diets, "
        f"{len(report['eeg'])} EEGs, {recorded} recorded diary days."
    )
    return svg.document(W, height, TIMELINE_TITLE, desc, body)


def _therapy_panel(
    report: dict[str, Any],
    bars: list[tuple[str, date, date, str]],
    x: Scale,
    top: float,
    bottom: float,
) -> str:
    out = [svg.frame(LEFT, top, RIGHT - LEFT, bottom - top), '<g class="therapy">']
    for row, (name, start, stop, colour) in enumerate(bars):
        y = top + 8 + 22 * row
        x0, x1 = x(start.toordinal() - 0.5), x(stop.toordinal() + 0.5)
        tip = f"{name}: {day_text(start)} to {day_text(stop)}"
        out.append(
            f'<g class="bar"><title>{svg.text(tip)}</title>'
            + svg.rect(x0, y, x1 - x0, 14, colour, opacity=0.85)
            + label(x0 + 3, y + 11, name, size=10, weight="bold", cls="bar-label")
            + "</g>"
        )
    out.append("</g>")
    y = top + 8 + 22 * len(bars) + 7
    out.append(label(LEFT - 6, y + 4, "EEG ▼ (red = hyps)", anchor="end", size=10))
    for e in report["eeg"]:
        cx = x(_d(e["date"]).toordinal())
        tip = f"EEG {day_text(_d(e['date']))}: {EEG_WORDS[e['hypsarrhythmia']]}"
        out.append(
            f'<path class="eeg" d="M{num(cx - 5)},{num(y - 5)}h10l-5,9z" '
            f'fill="{EEG_COLOURS[e["hypsarrhythmia"]]}"><title>{svg.text(tip)}</title></path>'
        )
    return "".join(out)


def _day_bars(points: list[tuple[date, int]], x: Scale, y: Scale, colour: str, cls: str) -> str:
    """Bars one day wide at each (day, value), as one path (one element for a 2-year diary)."""
    parts = []
    base = y(0)
    for day, value in points:
        if value:
            top = y(value)
            parts.append(
                f"M{num(x(day.toordinal() - 0.5))},{num(base)}V{num(top)}"
                f"H{num(x(day.toordinal() + 0.5))}V{num(base)}z"
            )
    return f'<path class="{cls}" d="{"".join(parts)}" fill="{colour}"/>'


def _spasm_panel(report: dict[str, Any], x: Scale, top: float, bottom: float) -> str:
    daily = report["spasms_per_day"]
    recorded = [(_d(r["date"]), r["spasms"]) for r in daily if r["recorded"]]
    partial = [(_d(r["date"]), r["spasms"]) for r in daily if not r["recorded"] and r["spasms"]]
    highest = max([v for _, v in recorded + partial], default=0)
    ticks = svg.nice_ticks(0, max(highest, 1), 5)
    y = Scale(0, max(ticks[-1], highest), bottom, top + 16)
    out = [svg.frame(LEFT, top, RIGHT - LEFT, bottom - top)]
    for start, stop in _runs([_d(r["date"]) for r in daily if not r["recorded"]]):
        x0, x1 = x(start.toordinal() - 0.5), x(stop.toordinal() + 0.5)
        out.append(
            svg.rect(x0, top, x1 - x0, bottom - top, "#d5d8dc", opacity=0.8, cls="unrecorded")
        )
    out.append(svg.y_axis(y, LEFT, RIGHT, ticks))
    out.append(_day_bars(recorded, x, y, "#34495e", "spasms-recorded"))
    out.append(_day_bars(partial, x, y, "#e67e22", "spasms-unrecorded"))
    out.append(
        label(
            LEFT - 42,
            (top + bottom) / 2,
            "spasms / day",
            anchor="middle",
            rotate=True,
            cls="ylabel",
        )
    )
    items = [("box", "#34495e", "spasms (recorded day)")]
    if partial:
        items.append(("box", "#e67e22", "spasms seen on an unrecorded day"))
    items.append(("box", "#d5d8dc", "not recorded (unknown)"))
    out.append(svg.legend(LEFT + 8, top + 12, items))
    return "".join(out)


def _ketone_panel(report: dict[str, Any], x: Scale, top: float, bottom: float) -> str:
    labs = report["options"]["labs"]
    bhb = sorted(
        (_d(r["date"]), r["bhb_mmol_l"])
        for d in report["diets"]
        for r in d["adherence"]
        if r["bhb_mmol_l"] is not None
    )
    ratios = [
        (_d(r["date"]), r["achieved_ratio"])
        for d in report["diets"]
        for r in d["adherence"]
        if r["achieved_ratio"] is not None
    ]
    high = max([v for _, v in bhb] + [labs["bhb_high_mmol_l"], labs["bhb_target_high_mmol_l"]])
    ticks = svg.nice_ticks(0, high * 1.1, 5)
    y = Scale(0, max(ticks[-1], high), bottom, top + 16)
    band_top, band_bottom = y(labs["bhb_target_high_mmol_l"]), y(labs["bhb_target_low_mmol_l"])
    out = [
        svg.frame(LEFT, top, RIGHT - LEFT, bottom - top),
        svg.rect(
            LEFT,
            band_top,
            RIGHT - LEFT,
            band_bottom - band_top,
            "#abebc6",
            opacity=0.5,
            cls="bhb-target",
        ),
        svg.y_axis(y, LEFT, RIGHT, ticks),
        svg.polyline(
            [(LEFT, y(labs["bhb_high_mmol_l"])), (RIGHT, y(labs["bhb_high_mmol_l"]))],
            "#c0392b",
            width=0.8,
            dash="5 3",
            cls="bhb-high",
        ),
        label(
            LEFT - 42, (top + bottom) / 2, "BHB mmol/L", anchor="middle", rotate=True, cls="ylabel"
        ),
    ]
    if bhb:
        pts = [(x(d.toordinal()), y(v)) for d, v in bhb]
        out.append(svg.polyline(pts, DIET_COLOUR, cls="bhb-line"))
        out += [
            f'<circle class="bhb" cx="{num(px)}" cy="{num(py)}" r="2" fill="{DIET_COLOUR}">'
            f"<title>{svg.text(f'{day_text(d)}: BHB {v:g} mmol/L')}</title></circle>"
            for (px, py), (d, v) in zip(pts, bhb, strict=True)
        ]
    items = [
        ("box", "#abebc6", "BHB target"),
        ("dash", "#c0392b", "BHB high"),
        ("line", DIET_COLOUR, "blood BHB [mmol/L]"),
    ]
    if ratios:
        top_ratio = max(v for _, v in ratios) * 1.3
        r_ticks = svg.nice_ticks(0, top_ratio, 4)
        r = Scale(0, max(r_ticks[-1], top_ratio), bottom, top + 16)
        out.append(svg.y_axis(r, LEFT, RIGHT, r_ticks, right=True))
        out += [
            f'<rect class="ratio" x="{num(x(d.toordinal()) - 2)}" y="{num(r(v) - 2)}" width="4" '
            f'height="4" fill="{RATIO_COLOUR}"><title>{svg.text(f"{day_text(d)}: ratio {v:g}:1")}'
            "</title></rect>"
            for d, v in ratios
        ]
        out.append(
            label(
                RIGHT + 36,
                (top + bottom) / 2,
                "ratio :1",
                anchor="middle",
                rotate=True,
                colour=RATIO_COLOUR,
                cls="ylabel",
            )
        )
        items.append(("dot", RATIO_COLOUR, "achieved ratio"))
    out.append(svg.legend(LEFT + 8, top + 12, items))
    return "".join(out)


def date_labels(first: date, last: date) -> list[tuple[date, str]]:
    """(day, words) of the timeline's date axis: first days of months, at most
    :data:`MAX_DATE_LABELS`, "1 Dec 2026" monthly or "Dec 2026" when months are skipped."""
    days, step = svg.month_ticks(first, last, MAX_DATE_LABELS)
    return [(d, day_text(d) if step == 1 else f"{d:%b %Y}") for d in days]


def _date_axis(x: Scale, first: date, last: date, y: float) -> str:
    out = ['<g class="dates">']
    for day, words in date_labels(first, last):
        px = x(day.toordinal())
        out.append(
            f'<line x1="{num(px)}" x2="{num(px)}" y1="{num(y)}" y2="{num(y + 4)}" '
            f'stroke="{MUTED}"/>'
        )
        out.append(label(px, y + 16, words, anchor="middle", size=10, cls="date"))
    out.append("</g>")
    return "".join(out)


# --- growth ---------------------------------------------------------------------------------

GROWTH_PANELS: tuple[tuple[Measure, str, str], ...] = (
    ("weight", "weight_kg", "Weight [kg]"),
    ("height", "length_cm", "Length [cm]"),
    ("head_circumference", "head_circumference_cm", "Head circumference [cm]"),
)


def _centile_style(z: float) -> tuple[float, str]:
    """The median bold, the 2nd/98th solid, the others dotted: (width, dash pattern)."""
    return (1.3 if z == 0 else 0.7), ("" if abs(z) in (0, 2) else "2 2")


def growth_svg(report: dict[str, Any]) -> str:
    """Weight, length and head circumference on WHO centile lines against corrected age (SVG)."""
    rows = [r for r in report["growth"]["rows"] if r["corrected_age_years"] is not None]
    sex = report["patient"]["sex"]
    reference = report["growth"]["reference"]
    max_age = max([r["corrected_age_years"] for r in rows], default=0.5)
    top_age = min(max(max_age + 0.25, 0.5), 4.0)
    age_label = "corrected age [months]" if report["patient"]["preterm"] else "age [months]"
    title = f"Growth on {reference.upper()} centiles ({sex})"
    body = [label(10, 18, title, size=13, weight="bold", cls="title")]
    for k, (measure, attr, name) in enumerate(GROWTH_PANELS):
        left = 50 + k * 330
        pts = [(r["corrected_age_years"] * 12, r[attr]) for r in rows if r[attr] is not None]
        body.append(_growth_panel(measure, name, pts, sex, reference, top_age, left, age_label))
    desc = f"{len(rows)} measurements, {age_label} from 0 to {top_age * 12:.0f} months."
    return svg.document(W, 360, title, desc, body)


def _growth_panel(
    measure: Measure,
    name: str,
    pts: list[tuple[float, float]],
    sex: Sex,
    reference: Reference,
    top_age: float,
    left: float,
    age_label: str,
) -> str:
    top, bottom, width = 60, 310, 245
    months = [a * 12 for a in _curve_ages(top_age)]
    curves = [(c, z, centile_curve(measure, z, sex, reference, top_age)) for c, z in CENTILE_LINES]
    values = [v for _, _, ys in curves for v in ys] + [v for _, v in pts]
    lo, hi = min(values), max(values)
    y_ticks = svg.nice_ticks(lo, hi, 6)
    y = Scale(min(lo, y_ticks[0]), max(hi, y_ticks[-1]), bottom, top)
    x = Scale(0, top_age * 12, left, left + width)
    out = [
        f'<g class="panel" data-measure="{svg.text(measure)}">',
        label(left, top - 12, name, size=11, weight="bold", cls="panel-title"),
        svg.frame(left, top, width, bottom - top),
        svg.y_axis(y, left, left + width, y_ticks),
    ]
    for t in svg.nice_ticks(0, top_age * 12, 6):
        out.append(
            label(x(t), bottom + 13, svg.tick_label(t), anchor="middle", size=9, colour=MUTED)
        )
    out.append(
        label(left + width / 2, bottom + 28, age_label, anchor="middle", size=10, cls="xlabel")
    )
    for centile, z, ys in curves:
        w, dash = _centile_style(z)
        out.append(
            svg.polyline(
                [(x(m), y(v)) for m, v in zip(months, ys, strict=True)],
                MUTED,
                width=w,
                dash=dash,
                cls="centile",
            )
        )
        out.append(
            label(
                left + width + 3, y(ys[-1]) + 3, centile, size=8, colour=MUTED, cls="centile-name"
            )
        )
    if pts:
        line = [(x(m), y(v)) for m, v in pts]
        out.append(svg.polyline(line, "#c0392b", width=1.3, cls="measured"))
        out += [
            f'<circle class="point" cx="{num(px)}" cy="{num(py)}" r="3" fill="#c0392b">'
            f"<title>{svg.text(f'{m:.1f} months: {v:g}')}</title></circle>"
            for (px, py), (m, v) in zip(line, pts, strict=True)
        ]
    out.append("</g>")
    return "".join(out)


# --- response -------------------------------------------------------------------------------

ADHERENCE_TITLE = "Ketosis beside spasms (not causal)"


def adherence_points(report: dict[str, Any]) -> list[tuple[float, int]]:
    """(blood BHB, spasms) of every recorded diet day with both."""
    return [
        (r["bhb_mmol_l"], r["spasms"])
        for d in report["diets"]
        for r in d["adherence"]
        if r["bhb_mmol_l"] is not None and r["spasms"] is not None
    ]


def adherence_svg(report: dict[str, Any]) -> str | None:
    """Daily blood BHB against spasms on recorded diet days, one dot per day (SVG; ``None``
    with fewer than two such days)."""
    pts = adherence_points(report)
    if len(pts) < 2:
        return None
    left, right, top, bottom = 60, 400, 36, 230
    x_ticks = svg.nice_ticks(0, max(b for b, _ in pts), 5)
    y_ticks = svg.nice_ticks(0, max(max(s for _, s in pts), 1), 5)
    x = Scale(0, max(x_ticks[-1], max(b for b, _ in pts)), left, right)
    y = Scale(0, max(y_ticks[-1], max(s for _, s in pts)), bottom, top)
    body = [
        label(10, 18, ADHERENCE_TITLE, size=12, weight="bold", cls="title"),
        svg.frame(left, top, right - left, bottom - top),
        svg.y_axis(y, left, right, y_ticks),
        label(
            22, (top + bottom) / 2, "spasms that day", anchor="middle", rotate=True, cls="ylabel"
        ),
        label(
            (left + right) / 2,
            bottom + 30,
            "blood BHB that day [mmol/L]",
            anchor="middle",
            cls="xlabel",
        ),
    ]
    for t in x_ticks:
        body.append(
            label(x(t), bottom + 13, svg.tick_label(t), anchor="middle", size=9, colour=MUTED)
        )
    body += [
        f'<circle class="day" cx="{num(x(b))}" cy="{num(y(s))}" r="3" fill="{DIET_COLOUR}" '
        f'fill-opacity="0.8"><title>{svg.text(f"BHB {b:g} mmol/L, {s} spasms")}</title></circle>'
        for b, s in pts
    ]
    desc = f"{len(pts)} recorded diet days with a blood BHB; not evidence of cause."
    return svg.document(420, 270, ADHERENCE_TITLE, desc, body)
