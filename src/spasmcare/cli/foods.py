"""``spasmcare foods``: search and show foods of the composition table; rebuild it from SR28."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from spasmcare.cli._common import JsonOption, emit, fmt
from spasmcare.errors import InputError
from spasmcare.foods import NUTRIENTS, default_table
from spasmcare.foods.table import IndexResult, write_search_index

app = typer.Typer(
    help="Food composition table (USDA SR28 + specialty products).", no_args_is_help=True
)


def _num(value: float | None) -> str:
    """Exact-looking display (up to 6 significant digits); 'unknown' when missing."""
    return fmt(None) if value is None else f"{value:.6g}"


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words of a food name, or a food id.")],
    limit: Annotated[int, typer.Option("--limit", help="Number of results.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Find foods by name, best match first."""
    hits = default_table().search(query, limit=limit)
    data: list[dict[str, Any]] = [
        {
            "id": h.food.id,
            "name": h.food.name,
            "group": h.food.group,
            "source": h.food.source,
            "score": round(h.score, 4),
        }
        for h in hits
    ]

    def render(console: Console) -> None:
        if not data:
            console.print(f"No food matches {query!r}.")
            return
        table = Table(title=f"Foods matching {query!r}")
        for column in ("id", "name", "group", "score"):
            table.add_column(column, justify="right" if column == "score" else "left")
        for row in data:
            table.add_row(row["id"], row["name"], row["group"] or "", f"{row['score']:.3f}")
        console.print(table)

    emit(data, as_json, render)


@app.command()
def show(
    food_id: Annotated[str, typer.Argument(metavar="ID", help="Food id, e.g. 01001.")],
    as_json: JsonOption = False,
) -> None:
    """Composition of one food per 100 g (and per 100 mL when known), with household measures."""
    food = default_table().get(food_id)
    data: dict[str, Any] = food.to_dict()

    def render(console: Console) -> None:
        console.print(f"[bold]{food.name}[/] ({food.id})", highlight=False)
        console.print(f"source: {food.source}; group: {food.group or 'unknown'}", highlight=False)
        if food.verify:
            console.print(f"[bold yellow]{food.verify}[/]", highlight=False)
        per_100ml = food.per_100ml
        table = Table(title=f"Composition (declared per {food.basis})")
        table.add_column("nutrient")
        table.add_column("unit")
        table.add_column("per 100 g", justify="right")
        if per_100ml is not None:
            table.add_column("per 100 mL", justify="right")
        per_100g = food.per_100g
        for n in NUTRIENTS:
            row = [n.label, n.unit, _num(per_100g[n.key])]
            if per_100ml is not None:
                row.append(_num(per_100ml[n.key]))
            table.add_row(*row)
        console.print(table)
        if food.measures:
            measures = Table(title="Household measures")
            measures.add_column("amount", justify="right")
            measures.add_column("unit")
            measures.add_column("grams", justify="right")
            for m in food.measures:
                measures.add_row(f"{m.amount:g}", m.unit, f"{m.grams:g}")
            console.print(measures)
        for note in food.notes:
            console.print(f"note: {note}", highlight=False)

    emit(data, as_json, render)


@app.command()
def build(
    sr28: Annotated[
        Path, typer.Option("--sr28", help="Directory of the SR28 ASCII files (FOOD_DES.txt …).")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output file (default: the packaged sr28.json.gz)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Rebuild the packaged food table from the USDA SR28 ASCII release (deterministic), and its
    search index beside it."""
    from spasmcare.foods.sr28 import build as build_table

    result = build_table(sr28, out)
    index = write_search_index(result.out)
    data = {**result.to_dict(), "index": index.to_dict()}

    def render(console: Console) -> None:
        console.print(
            f"Wrote {result.out}: {result.foods} foods, {result.measures} measures, "
            f"{result.bytes} bytes (sha256 {result.sha256}) from {result.release}.",
            highlight=False,
        )
        _render_index(console, index)

    emit(data, as_json, render)


def _render_index(console: Console, index: IndexResult) -> None:
    console.print(
        f"Wrote {index.out}: search index of {index.foods} foods, {index.words} words, "
        f"{index.bytes} bytes (sha256 {index.sha256}).",
        highlight=False,
    )


@app.command()
def index(
    table: Annotated[
        Path | None,
        typer.Option("--table", help="Food table file (default: the packaged sr28.json.gz)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Rebuild the stored search index beside the food table (after a change to the search
    code or to the specialty products; `foods build` does it too)."""
    if table is not None and not table.is_file():
        raise InputError("--table", str(table), "an existing food table file (sr28.json.gz)")
    result = write_search_index(table)
    emit(result.to_dict(), as_json, lambda console: _render_index(console, result))
