"""The family's "all" printout checks the saved keto plan once for its meals, menu and feed
pages (it checked it once per page), and prints each page as the page alone prints it."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from spasmcare.web.family.print_views import _main_of
from spasmcare.web.keto import views as keto_views
from spasmcare.web.models import Patient
from tests.web.keto.test_keto import BUTTER, EGG, STRAWBERRY, domain_meal, form_post, meal_rows


def _save_meals_and_feed(client_as: Any, patient: Patient) -> None:
    solution = domain_meal([BUTTER, EGG, STRAWBERRY])
    rows = [(i.food_id, i.grams, False) for i in solution.items]
    post = form_post(
        action="save",
        f0_food="ketocal-3-1-powder",
        f0_kind="powder",
        f1_food="01107",
        f1_kind="liquid",
        f2_food="liquigen",
        f2_kind="liquid",
        feed_protein="on",
        feed_feeds="6",
        **meal_rows(0, rows),
    )
    saved = client_as("dietitian").post(reverse("keto_save", args=[patient.pk]), post)
    assert saved.status_code == 302


def test_all_printout_checks_the_saved_plan_once(
    client_as: Any, patient: Patient, monkeypatch: Any
) -> None:
    _save_meals_and_feed(client_as, patient)
    family: Client = client_as("family")
    checks: list[Any] = []
    real = keto_views.compute

    def counted(*args: Any, **kwargs: Any) -> Any:
        checks.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(keto_views, "compute", counted)
    html = family.get(reverse("family_print", args=[patient.pk, "all"])).content.decode()
    for part in ("meals", "menu", "feed"):
        assert f'id="part-{part}"' in html
    assert len(checks) == 1
    # each diet page as it prints alone (each alone checks the plan for itself)
    for page in ("meals", "menu", "feed"):
        alone = _main_of(family.get(reverse("family_print", args=[patient.pk, page])))
        # the page's own controls (its Print button and the link to its own PDF) are its own
        alone = re.sub(r'<p class="no-print actions">.*?</p>', "", alone, flags=re.S)
        assert alone.strip() and alone.strip() in html
    assert len(checks) == 4
