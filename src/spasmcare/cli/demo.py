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
from spasmcare.cli.keto import build_prescription, render_prescription
from spasmcare.keto import initiation as init_mod
from spasmcare.keto import prescription as rx_mod

DEMO_INFANT = {"age_months": 8.0, "weight_kg": 8.2, "sex": "female", "length_cm": 69.0}


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    ) -> None:
        """Print a complete ketogenic prescription for a demo 8-month-old infant."""
        rx = build_prescription(diet="classic", ratio="3:1", **DEMO_INFANT)  # type: ignore[arg-type]
        start = init_mod.initiation_plan(
            rx_mod.Patient(**rx.patient), 3.0, rx_mod.EnergySpec(kcal=rx.kcal), mode="ratio"
        )
        data = {"prescription": rx.to_dict(), "initiation": [d.to_dict() for d in start]}

        def render(console: Console) -> None:
            console.rule("spasmcare demo: a fictional 8-month-old girl starting a ketogenic diet")
            render_prescription(console, rx)
            console.print("Gradual start (full energy, ratio raised daily):")
            for d in start:
                console.print(
                    f"  day {d.day}: {d.ratio:g}:1  fat {d.fat_g:.1f} g"
                    f"  protein {d.protein_g:.1f} g"
                    f"  carbohydrate {d.carb_g:.1f} g  ({d.kcal:.0f} kcal)"
                )

        emit(data, as_json, render)
