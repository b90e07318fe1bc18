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
from tests.web.keto.test_keto import save_meals_and_feed


def test_all_printout_checks_the_saved_plan_once(
    client_as: Any, patient: Patient, monkeypatch: Any
) -> None:
    save_meals_and_feed(client_as, patient)
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
