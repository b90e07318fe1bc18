"""``spasmcare demo``: the main job on embedded defaults."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def demo() -> None:
        """Print a complete ketogenic prescription for a demo 8-month-old infant."""
        typer.echo("spasmcare demo")
