"""The cohort page's Kaplan-Meier chart, drawn with matplotlib (Agg backend) as PNG bytes.

It draws what :func:`spasmcare.measures.cohort.km_by_group` computed and nothing more: the
product-limit steps, the log-log 95 % band where the domain gives one, and a tick for each
censored time. The page embeds the PNG as a ``data:`` URI, so it needs no URL of its own.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from spasmcare.measures.cohort import KMStep  # noqa: E402
from spasmcare.report.charts import TREATMENT_COLOURS  # noqa: E402


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


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


def km_png(curves: Mapping[str, Sequence[KMStep]], labels: Mapping[str, str]) -> bytes | None:
    """Kaplan-Meier curves of time to spasm cessation, one per group in the order given;
    ``None`` when no group has a usable time. ``labels`` maps a group to its legend text."""
    drawn = {name: steps for name, steps in curves.items() if steps}
    if not drawn:
        return None
    fig, ax = plt.subplots(figsize=(9, 4.6))
    for i, (name, steps) in enumerate(drawn.items()):
        colour = TREATMENT_COLOURS[i % len(TREATMENT_COLOURS)]
        xs, ys, lows, highs = _curve(steps)
        ax.step(xs, ys, where="post", color=colour, linewidth=2, label=labels.get(name, name))
        ax.fill_between(xs, lows, highs, step="post", color=colour, alpha=0.13, linewidth=0)
        censored = [(s.time_days, s.survival) for s in steps if s.censored]
        if censored:
            ax.plot(
                [t for t, _ in censored],
                [v for _, v in censored],
                linestyle="none",
                marker="|",
                markersize=11,
                markeredgewidth=1.6,
                color=colour,
            )
    ax.set_ylim(-0.02, 1.04)
    ax.set_xlim(left=0)
    ax.set_xlabel("Days from the start of the first-line treatment")
    ax.set_ylabel("Proportion still having spasms")
    ax.set_title(
        "Time to spasm cessation (Kaplan-Meier, 95 % log-log band; | = censored)",
        fontsize=11,
        loc="left",
    )
    ax.grid(True, alpha=0.3)
    ax.legend(
        fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=min(3, len(drawn))
    )
    return _png(fig)
