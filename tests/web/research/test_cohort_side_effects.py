"""Side effects of the diet counted in the cohort by diet type, k-anonymous (issue 24).

Six children on the classic diet (the example infant's diet period, from 10 Aug 2026): the
example infant without side effects, and five children all with constipation (grade 1), one
of them with vomiting of grade 3; two children on the MCT diet. With k = 5 (by hand): classic
6 children, constipation 5 (grade 3 or more: 0), vomiting 1,
released as "<5" (and "<5" at grade 3 or more), every other effect 0; MCT 2 children,
fewer than k, withheld whole.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam
from tests.web.conftest import example_record


def _child(n: int, diet: str, effects: list[dict[str, Any]]) -> dict[str, Any]:
    data = example_record()
    data["patient"] = {**data["patient"], "id": f"se-{diet}-{n}", "name": f"Child {n}"}
    data["diet_periods"][0]["diet"] = diet
    if diet != "classic-kd":
        data["diet_periods"][0].pop("achieved", None)
        data["diet_periods"][0].pop("prescribed_ratio", None)
    data["side_effects"] = effects
    return data


CONSTIPATION = {"effect": "constipation", "grade": 1, "onset": "2026-09-01",
                "reported_by": "clinician"}  # fmt: skip
VOMITING = {"effect": "vomiting", "grade": 3, "onset": "2026-09-10", "reported_by": "clinician"}


@pytest.fixture
def children(team: CareTeam, settings: Any) -> None:
    settings.SPASMCARE_COHORT_K = 5
    for n in range(5):
        effects = [CONSTIPATION] + ([VOMITING] if n == 0 else [])
        audit.import_record(_child(n, "classic-kd", effects), team, None)
    for n in range(2):
        audit.import_record(_child(n, "mct", [CONSTIPATION]), team, None)


def _cell(page: str, diet: str, effect: str) -> str:
    found = re.search(rf'data-diet="{diet}" data-effect="{effect}">([^<]*)<', page)
    assert found, (diet, effect)
    return found.group(1)


def test_side_effects_by_diet_type_k_anonymous(children: None, client_as: Any) -> None:
    page = client_as("researcher").get("/cohort/").content.decode()
    assert "Side effects of the diet, by diet type" in page
    assert "(6 children)" in page
    assert _cell(page, "classic-kd", "constipation") == "5 (grade 3 or more: 0)"
    assert _cell(page, "classic-kd", "vomiting") == "&lt;5 (grade 3 or more: &lt;5)"
    assert _cell(page, "classic-kd", "fracture") == "0 (grade 3 or more: 0)"
    assert "(withheld)" in page and _cell(page, "mct", "constipation") == "—"
    # no name or record id of a child on the page
    assert "Child 0" not in page and "se-classic-kd-0" not in page
