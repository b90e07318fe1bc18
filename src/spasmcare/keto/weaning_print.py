"""The weaning plan as the family reads it: a printable table (plain text or one HTML page).

Pure functions of :func:`spasmcare.keto.weaning.plan_weaning`'s result (or its JSON form):
dates as people write them, each day's meal in grams, the ketone check of each step. No
script, font or CDN: the page opens offline and prints on A4.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from spasmcare.keto.family_page import family_page
from spasmcare.plain import day_text


def _day(value: Any) -> str:
    if value is None:
        return "until the team says"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return day_text(value)


def _meal_words(step: dict[str, Any]) -> str:
    meal = step.get("meal")
    if not meal:
        return "the meals of that ratio (see the step above it)" if step.get("ratio") else ""
    if meal["status"] != "solved":
        return "no meal found with these foods: ask the dietitian (" + str(meal["reason"]) + ")"
    parts = [f"{item['name']} {item['grams']:g} g" for item in meal["items"]]
    return ", ".join(parts)


def rows(plan: dict[str, Any]) -> list[dict[str, str]]:
    """One row per step: dates, what changes, each meal, the ketone check."""
    out = []
    for st in plan["steps"]:
        check = st.get("ketone_check")
        out.append(
            {
                "step": str(st["step"]),
                "dates": f"{_day(st['first_day'])} to {_day(st['last_day'])}",
                "what": st["what"],
                "meal": _meal_words(st),
                "meals_per_day": str(st["meals_per_day"]),
                "ketones": f"check ketones on {_day(check['day'])}" if check else "",
            }
        )
    return out


def weaning_text(plan: dict[str, Any]) -> str:
    """The plan as plain text, one block per step."""
    lines = [
        f"Coming off the diet: {plan['schedule']} plan from {_day(plan['start_day'])}",
        "",
    ]
    for r in rows(plan):
        lines.append(f"Step {r['step']}: {r['dates']} — {r['what']}")
        if r["meal"]:
            lines.append(f"  each of the {r['meals_per_day']} meals a day: {r['meal']}")
        if r["ketones"]:
            lines.append(f"  {r['ketones']}")
    if plan.get("replanned"):
        lines += ["", f"Spasms came back on {_day(plan['replanned']['spasms_returned'])}."]
    for w in plan.get("warnings", []):
        lines.append(f"Note for the team: {w}")
    return "\n".join(lines) + "\n"


def weaning_html(plan: dict[str, Any]) -> str:
    """The plan as one self-contained HTML page for the family (every text escaped)."""
    head = (
        f"<h1>Coming off the diet</h1><p>Plan from {escape(_day(plan['start_day']))}. "
        f"Check ketones on the day shown at the end of each step.</p>"
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(r[k])}</td>" for k in ("step", "dates", "what", "meal", "ketones"))
        + "</tr>"
        for r in rows(plan)
    )
    table = (
        "<table><thead><tr><th>Step</th><th>Dates</th><th>What changes</th>"
        "<th>Each meal</th><th>Ketones</th></tr></thead><tbody>" + body + "</tbody></table>"
    )
    notes = ""
    if plan.get("replanned"):
        notes += f"<p>Spasms came back on {escape(_day(plan['replanned']['spasms_returned']))}.</p>"
    notes += f"<p class=src>{escape(plan['source'])}</p>"
    return family_page("Coming off the diet", head + table + notes)
