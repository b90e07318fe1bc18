"""The cohort page's Kaplan-Meier chart, written as SVG text (no drawing library).

It draws what :func:`spasmcare.measures.cohort.km_by_group` computed and nothing more: the
product-limit steps, the log-log 95 % band where the domain gives one, and a tick for each
censored time. The page embeds the image as a ``data:`` URI, so it needs no URL of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spasmcare.measures.cohort import KMStep
from spasmcare.report import svg
from spasmcare.report.charts import TREATMENT_COLOURS
from spasmcare.report.svg import Scale, label, num

TITLE = "Time to spasm cessation (Kaplan-Meier, 95 % log-log band; | = censored)"
LEFT, RIGHT, TOP, BOTTOM = 70, 960, 40, 330


def _curve(steps: Sequence[KMStep]) -> tuple[list[float], list[float], list[float], list[float]]:
    """x, survival, lower and upper of a step curve that starts at (0, 1).

    Where the domain gives no interval the band collapses onto the estimate (S = 1 before any
    event, S = 0 after the last subject's event)."""
    xs, ys, lows, highs = [0.0], [1.0], [1.0], [1.0]
    for s in steps:
        xs.append(s.time_days)
        ys.append(s.survival)
        lows.append(s.ci_lower if s.ci_lower is not None else s.survival)
        highs.append(s.ci_upper if s.ci_upper is not None else s.survival)
    return xs, ys, lows, highs


def _steps(xs: list[float], ys: list[float], last_x: float) -> list[tuple[float, float]]:
    """Points of a step line that holds each value until the next time ("post" steps)."""
    out: list[tuple[float, float]] = []
    for k, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if out:
            out.append((x, out[-1][1]))
        out.append((x, y))
        if k == len(xs) - 1 and x < last_x:
            out.append((last_x, y))
    return out


def km_svg(curves: Mapping[str, Sequence[KMStep]], labels: Mapping[str, str]) -> str | None:
    """Kaplan-Meier curves of time to spasm cessation, one per group in the order given (SVG);
    ``None`` when no group has a usable time. ``labels`` maps a group to its legend text."""
    drawn = {name: steps for name, steps in curves.items() if steps}
    if not drawn:
        return None
    last = max(s.time_days for steps in drawn.values() for s in steps)
    x_ticks = svg.nice_ticks(0, max(last, 1), 8)
    x = Scale(0, max(x_ticks[-1], last), LEFT, RIGHT)
    y = Scale(-0.02, 1.04, BOTTOM, TOP)
    body = [
        label(10, 20, TITLE, size=12, weight="bold", cls="title"),
        svg.frame(LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP),
        svg.y_axis(y, LEFT, RIGHT, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        label(
            22,
            (TOP + BOTTOM) / 2,
            "Proportion still having spasms",
            anchor="middle",
            rotate=True,
            cls="ylabel",
        ),
        label(
            (LEFT + RIGHT) / 2,
            BOTTOM + 32,
            "Days from the start of the first-line treatment",
            anchor="middle",
            cls="xlabel",
        ),
    ]
    body += [
        label(x(t), BOTTOM + 14, svg.tick_label(t), anchor="middle", size=9, colour=svg.MUTED)
        for t in x_ticks
    ]
    legend: list[tuple[str, str, str]] = []
    for i, (name, steps) in enumerate(drawn.items()):
        colour = TREATMENT_COLOURS[i % len(TREATMENT_COLOURS)]
        xs, ys, lows, highs = _curve(steps)
        upper = _steps(xs, highs, last)
        lower = _steps(xs, lows, last)
        band = " ".join(f"{num(x(a))},{num(y(b))}" for a, b in upper + lower[::-1])
        body.append(f'<polygon class="band" points="{band}" fill="{colour}" fill-opacity="0.13"/>')
        line = [(x(a), y(b)) for a, b in _steps(xs, ys, last)]
        body.append(svg.polyline(line, colour, width=2, cls="survival"))
        body += [
            f'<line class="censored" x1="{num(x(s.time_days))}" x2="{num(x(s.time_days))}" '
            f'y1="{num(y(s.survival) - 6)}" y2="{num(y(s.survival) + 6)}" stroke="{colour}" '
            'stroke-width="1.6"/>'
            for s in steps
            if s.censored
        ]
        legend.append(("line", colour, labels.get(name, name)))
    body.append(svg.legend(LEFT, BOTTOM + 56, legend, gap=24))
    desc = "; ".join(labels.get(name, name) for name in drawn)
    return svg.document(980, 400, TITLE, desc, body)
