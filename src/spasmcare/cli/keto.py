"""``spasmcare keto``: ketogenic diet prescriptions."""

from __future__ import annotations

import typer

app = typer.Typer(help="Ketogenic diet therapy: prescriptions, meals, infant feeds.", no_args_is_help=True)
