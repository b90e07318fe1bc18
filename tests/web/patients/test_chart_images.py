"""The dashboard's charts are SVG images written by the report's chart functions, served per
data version like every computed view (issue 21: no matplotlib figure per view)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from spasmcare.report import charts
from spasmcare.web.models import Patient

NS = "{http://www.w3.org/2000/svg}"


def test_the_dashboard_charts_are_svg_with_their_titles(client_as: Any, patient: Patient) -> None:
    client = client_as("neurologist")
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert f"/patients/{patient.pk}/chart/timeline.svg" in page
    for name, title in (
        ("timeline", charts.TIMELINE_TITLE),
        ("growth", "Growth on WHO centiles"),
    ):
        response = client.get(f"/patients/{patient.pk}/chart/{name}.svg")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        root = ET.fromstring(response.content)
        assert root.tag == NS + "svg" and root.get("role") == "img"
        assert (root.find(NS + "title").text or "").startswith(title)  # type: ignore[union-attr]


def test_an_unknown_chart_is_not_found(client_as: Any, patient: Patient) -> None:
    response = client_as("neurologist").get(f"/patients/{patient.pk}/chart/adherence.svg")
    assert response.status_code == 404
