"""``spasmcare demo``: the main job on embedded defaults.

Until the clinic web app takes this over, the demo prints a complete ketogenic prescription for
a fictional 8-month-old infant: classic 3:1 (the usual start under 15 months), energy from the
US DRI EER, protein at the US DRI for age, three equal feeds, and a gradual start.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from spasmcare.cli._common import emit
from spasmcare.cli.keto import build_prescription, render_initiation, render_prescription
from spasmcare.keto import initiation as init_mod

DEMO_INFANT = {"age_months": 8.0, "weight_kg": 8.2, "sex": "female", "length_cm": 69.0}


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    ) -> None:
        """Print a complete ketogenic prescription for a demo 8-month-old infant."""
        rx = build_prescription(diet="classic", ratio="3:1", **DEMO_INFANT)  # type: ignore[arg-type]
        start, _ = init_mod.initiation_for(rx, "ratio")
        data = {"prescription": rx.to_dict(), "initiation": [d.to_dict() for d in start]}

        def render(console: Console) -> None:
            console.rule("spasmcare demo: a fictional 8-month-old girl starting a ketogenic diet")
            render_prescription(console, rx)
            render_initiation(console, start, "gradual start (full energy, ratio raised daily)")

        emit(data, as_json, render)
