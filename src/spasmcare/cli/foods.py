"""``spasmcare foods``: search and show foods of the composition table."""

from __future__ import annotations

import typer

app = typer.Typer(help="Food composition table (USDA SR28 + specialty products).", no_args_is_help=True)
