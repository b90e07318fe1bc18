"""Small pure helpers to write charts as SVG text: scales, ticks, escaped text and shapes.

Every chart of :mod:`spasmcare.report.charts` is a string built from these, with no drawing
library: a chart costs about as much as the text it writes (no figure, no rasterising), so the
web app can draw one per request and the HTML report embeds it as it is. All text passes
:func:`text` (XML-escaped); numbers are written with at most 2 decimals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

#: The SVG namespace a standalone image declares (an SVG inline in HTML needs none).
XMLNS = ' xmlns="http://www.w3.org/2000/svg"'
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#1c2833"
MUTED = "#566573"
GRID = "#d5d8dc"


def text(value: object) -> str:
    """``value`` as XML text or attribute content (``&``, ``<``, ``>`` and quotes escaped)."""
    return escape(str(value), quote=True)


def num(x: float) -> str:
    """A coordinate with at most 2 decimals and no trailing zeros ("12", "3.5")."""
    out = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def tick_label(x: float) -> str:
    """A tick value as people read it ("0", "2.5", "1000")."""
    return f"{x:.6g}"


@dataclass(frozen=True)
class Scale:
    """A linear map from data (``lo`` to ``hi``) to pixels (``start`` to ``end``)."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, x: float) -> float:
        span = self.hi - self.lo
        if span == 0:
            return (self.start + self.end) / 2
        return self.start + (x - self.lo) * (self.end - self.start) / span


def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values (1, 2 or 5 × a power of ten apart) covering ``lo`` to ``hi``, at most
    ``most`` of them inside the range."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    out = []
    k = 0
    while first + k * step <= hi + 1e-9 * step:
        out.append(round(first + k * step, 10))
        k += 1
    return out


def month_ticks(first: date, last: date, most: int) -> tuple[list[date], int]:
    """First days of months from ``first`` to ``last``, every ``step`` months so that at most
    ``most`` are labelled; returns (days, step)."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = max(1, math.ceil(months / most))
    out = []
    year, month = first.year, first.month
    while True:
        day = date(year, month, 1)
        if day > last:
            break
        if day >= first and (year * 12 + month - 1) % step == 0:
            out.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out, step


def document(width: int, height: int, title: str, desc: str, body: Iterable[str]) -> str:
    """A standalone SVG image with an accessible name (``title``) and description (for HTML,
    :func:`inline` drops its namespace declaration)."""
    return (
        f'<svg{XMLNS} viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="t d" '
        f'font-family="{text(FONT)}" font-size="11" fill="{INK}">'
        f'<title id="t">{text(title)}</title><desc id="d">{text(desc)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#fff"/>' + "".join(body) + "</svg>"
    )


def inline(image: str) -> str:
    """A standalone image of :func:`document` as an element of an HTML page (HTML knows SVG
    without a namespace declaration, so the page names no outside address)."""
    return image.replace(XMLNS, "", 1)


def label(
    x: float,
    y: float,
    content: object,
    *,
    anchor: str = "start",
    size: float = 11,
    weight: str = "normal",
    colour: str = INK,
    cls: str = "",
    rotate: bool = False,
) -> str:
    """One line of escaped text; ``rotate``: read bottom to top (a y-axis label)."""
    turn = f' transform="rotate(-90 {num(x)} {num(y)})"' if rotate else ""
    klass = f' class="{text(cls)}"' if cls else ""
    bold = ' font-weight="bold"' if weight != "normal" else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}" font-size="{num(size)}"'
        f'{bold} fill="{colour}"{klass}{turn}>{text(content)}</text>'
    )


def polyline(
    points: Sequence[tuple[float, float]],
    colour: str,
    *,
    width: float = 1.0,
    dash: str = "",
    cls: str = "",
) -> str:
    """An open line through ``points`` (pixels)."""
    pts = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    klass = f' class="{text(cls)}"' if cls else ""
    return (
        f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{num(width)}"'
        f"{extra}{klass}/>"
    )


def rect(
    x: float, y: float, w: float, h: float, colour: str, *, opacity: float = 1.0, cls: str = ""
) -> str:
    klass = f' class="{text(cls)}"' if cls else ""
    alpha = f' fill-opacity="{num(opacity)}"' if opacity < 1 else ""
    return (
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(w, 0))}" height="{num(max(h, 0))}" '
        f'fill="{colour}"{alpha}{klass}/>'
    )


def y_axis(
    scale: Scale, x: float, x_end: float, ticks: Sequence[float], *, right: bool = False
) -> str:
    """Tick labels (and, on the left axis, light grid lines) at ``ticks``."""
    out = []
    for t in ticks:
        y = scale(t)
        if not right:
            out.append(
                f'<line x1="{num(x)}" x2="{num(x_end)}" y1="{num(y)}" y2="{num(y)}" '
                f'stroke="{GRID}" stroke-width="0.6"/>'
            )
        out.append(
            label(
                x_end + 4 if right else x - 4,
                y + 3.5,
                tick_label(t),
                anchor="start" if right else "end",
                size=9,
                colour=MUTED,
                cls="tick",
            )
        )
    return "".join(out)


def frame(x: float, y: float, w: float, h: float) -> str:
    return (
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" fill="none" '
        f'stroke="{MUTED}" stroke-width="0.8"/>'
    )


def legend(x: float, y: float, items: Sequence[tuple[str, str, str]], *, gap: float = 14) -> str:
    """Legend entries in a row from (x, y): (swatch kind "box"/"line"/"dash"/"dot", colour,
    label). Each label is a ``text`` of class ``legend``."""
    out = []
    for kind, colour, name in items:
        if kind == "box":
            out.append(rect(x, y - 7, 12, 8, colour))
        elif kind in ("line", "dash"):
            dash = ' stroke-dasharray="4 3"' if kind == "dash" else ""
            out.append(
                f'<line x1="{num(x)}" x2="{num(x + 12)}" y1="{num(y - 3)}" y2="{num(y - 3)}" '
                f'stroke="{colour}" stroke-width="1.5"{dash}/>'
            )
        else:
            out.append(
                f'<rect x="{num(x + 3)}" y="{num(y - 6)}" width="6" height="6" fill="{colour}"/>'
            )
        out.append(label(x + 16, y, name, size=9, cls="legend"))
        x += 16 + 5.2 * len(name) + gap
    return "".join(out)
