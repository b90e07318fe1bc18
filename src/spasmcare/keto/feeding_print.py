"""The family's sheet of a feeding mode (:mod:`spasmcare.keto.feeding_modes`), per feed in mL.

Pure functions: a plan dict in, plain text or one self-contained HTML page out (every text
escaped). Amounts are shown as the plan gives them, rounded for display only.
"""

from __future__ import annotations

from html import escape
from typing import Any

from spasmcare.keto.family_page import family_page
from spasmcare.keto.feeding_modes import BREAST_MILK_ID


def _amount(line: dict[str, Any]) -> str:
    unit = "mL" if line["unit"] == "ml" else "g"
    return f"{line['amount']:.0f} {unit} {line['name']}"


def day_rows(plan: dict[str, Any], day: dict[str, Any]) -> list[dict[str, str]]:
    """One row per feed: breast milk (mL), bottle (mL) and what goes in the day's batch."""
    p = day["plan"]
    if day["status"] != "solved":
        return []
    n = p["feeds"]
    solid_ids = {s["food_id"] for s in day["solids"]}
    items = p["day"]["items"]
    milk = next((i for i in items if i["food_id"] == BREAST_MILK_ID), None)
    milk_ml = 0.0 if milk is None else milk["amount"] / n
    formula = [i for i in items if i["food_id"] != BREAST_MILK_ID and i["food_id"] not in solid_ids]
    if plan["mode"] == "breastfeed":
        bottle_ml = (p["target"]["volume_ml"] - (milk_ml * n)) / n
        batch = ", ".join(_amount(i) for i in formula)
        batch += f", water to {bottle_ml * n:.0f} mL"
        nurse = f"breastfeed (about {milk_ml:.0f} mL), then"
    else:
        bottle_ml = p["per_feed"]["volume_ml"]
        batch = ", ".join(_amount(i) for i in formula + ([milk] if milk else []))
        batch += f", water to {p['target']['volume_ml']:.0f} mL"
        nurse = ""
    return [
        {
            "feed": str(k),
            "breast_milk": nurse,
            "bottle": f"{bottle_ml:.0f} mL",
            "batch": f"day's batch: {batch}" if k == 1 else "from the same batch",
        }
        for k in range(1, n + 1)
    ]


def _title(text: str) -> str:
    """``text`` with its first letter upper case (the rest kept: "4 Jan 2027")."""
    return text[:1].upper() + text[1:]


def _solids(day: dict[str, Any]) -> str:
    return "; ".join(f"{s['g_per_day']:g} g {s['name']}" for s in day["solids"])


def feeding_text(plan: dict[str, Any]) -> str:
    """The plan as plain text: one block per day (per week for solids)."""
    lines = [f"Feeding plan ({plan['mode']})", ""]
    for day in plan["days"]:
        lines.append(_title(day["label"]) + ":")
        if day["status"] != "solved":
            lines.append("  no plan: " + day["problem"]["words"])
            for fix in day["problem"]["would_solve"]:
                lines.append("  would solve: " + fix)
            continue
        for r in day_rows(plan, day):
            lead = f"{r['breast_milk']} " if r["breast_milk"] else ""
            lines.append(f"  feed {r['feed']}: {lead}bottle {r['bottle']} ({r['batch']})")
        if day["solids"]:
            lines.append("  solids a day: " + _solids(day))
        if day["protein_check"]:
            lines.append("  for the team: " + day["protein_check"]["message"])
    for w in plan.get("warnings", []):
        lines.append(f"Note for the team: {w}")
    return "\n".join(lines) + "\n"


def _day_html(plan: dict[str, Any], day: dict[str, Any]) -> str:
    head = f"<h2>{escape(_title(day['label']))}</h2>"
    if day["status"] != "solved":
        fixes = "".join(f"<li>{escape(f)}</li>" for f in day["problem"]["would_solve"])
        return head + f"<p>No plan: {escape(day['problem']['words'])}</p><ul>{fixes}</ul>"
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(r[k])}</td>" for k in ("feed", "breast_milk", "bottle", "batch"))
        + "</tr>"
        for r in day_rows(plan, day)
    )
    solids = f"<p>Solids a day: {escape(_solids(day))}</p>" if day["solids"] else ""
    return (
        head + "<table><thead><tr><th>Feed</th><th>Breastfeed</th><th>Bottle</th>"
        "<th>What goes in</th></tr></thead><tbody>" + body + "</tbody></table>" + solids
    )


def feeding_html(plan: dict[str, Any]) -> str:
    """The plan as one self-contained HTML page for the family (every text escaped)."""
    days = "".join(_day_html(plan, d) for d in plan["days"])
    sources = "".join(f"<p class=src>{escape(s)}</p>" for s in plan["sources"])
    return family_page("Feeding plan", f"<h1>Feeding plan</h1>{days}{sources}")
