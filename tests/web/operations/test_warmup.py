"""Warming a worker before its first request: the page modules and data are loaded."""

from __future__ import annotations

import sys
from typing import Any

from spasmcare.foods.table import _default_base
from spasmcare.web.base.serving import gunicorn_argv
from spasmcare.web.operations.warmup import warm


def test_warm_loads_views_and_food_table(db: Any) -> None:
    assert warm() >= 0.0
    for module in (
        "spasmcare.web.keto.views",
        "spasmcare.web.research.views",
        "spasmcare.keto.solver",
    ):
        assert module in sys.modules
    assert _default_base.cache_info().currsize == 1


def test_served_preloaded() -> None:
    # the app (and its warm-up) is loaded once before the port opens, workers forked warm
    assert "--preload" in gunicorn_argv("127.0.0.1", 8701)
