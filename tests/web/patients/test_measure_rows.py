"""The dashboard's response measures are rendered again when what a row shows changes, and
only then: a blood pressure leaves them alone; a changed result, reason or label shows at once
(a stale response measure is a clinical defect). The rows are the ones the page's own loop
made before they were kept."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from django.template import engines
from django.test import Client
from django.utils import timezone

from spasmcare.web.models import Patient
from spasmcare.web.patients import measure_rows as rows_module
from spasmcare.web.patients.measure_rows import measure_rows

#: The dashboard's loop over the measures as it was written in the page.
PAGE_LOOP = """{% load clinic %}{% for m in measures %}<tr><td>{{ m.label|words }}<br><span class="small muted">{{ m.source|words }}</span></td>
<td><span class="chip {% if m.favourable == True %}good{% elif m.favourable == False %}bad{% else %}info{% endif %}">{{ m.text|words }}</span></td>
<td class="small">{{ m.reason|words }}</td></tr>{% endfor %}"""  # noqa: E501


@pytest.fixture
def rendered() -> Any:
    rows_module.counts.clear()
    return lambda: rows_module.counts["rendered"]


def _dashboard(client: Client, patient: Patient) -> Any:
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    return response


def _response_table(page: str) -> str:
    found = re.search(r"<h2>Response</h2>.*?<tbody>\n(.*?)\n</tbody>", page, re.S)
    assert found is not None
    return found.group(1)


def test_rows_are_the_page_loop_s_rows(client_as: Any, patient: Patient) -> None:
    response = _dashboard(client_as("neurologist"), patient)
    measures = response.context["measures"]
    assert len(measures) >= 3
    loop = engines["django"].from_string(PAGE_LOOP).render({"measures": measures})
    assert _response_table(response.content.decode()) == loop


def test_a_blood_pressure_leaves_the_measures_alone(
    client_as: Any, patient: Patient, rendered: Any
) -> None:
    nurse = client_as("nurse")
    before = _dashboard(nurse, patient)
    first = before.content.decode()
    assert rendered() == 1
    bp = {
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "systolic_mmhg": 91,
        "diastolic_mmhg": 52,
        "heart_rate_bpm": 120,
    }
    assert nurse.post(f"/patients/{patient.pk}/add/vitals/", bp).status_code == 302
    response = _dashboard(nurse, patient)
    after = response.content.decode()
    assert response.context["version"] > before.context["version"]  # a new data version
    assert rendered() == 1
    assert _response_table(after) == _response_table(first)


def test_a_changed_row_is_rendered_again_at_once(rendered: Any) -> None:
    measures = [
        {
            "key": "ukiss_response",
            "label": "UKISS response",
            "source": "Lux 2004",
            "status": "assessable",
            "favourable": True,
            "text": "yes",
            "reason": "no spasms on days 13-14",
        }
    ]
    first = measure_rows(measures)
    assert measure_rows(copy.deepcopy(measures)) == first
    assert rendered() == 1
    changed = copy.deepcopy(measures)
    changed[0] |= {"favourable": False, "text": "no", "reason": "3 spasms on day 14"}
    again = measure_rows(changed)
    assert rendered() == 2
    assert "3 spasms on day 14" in again and "bad" in again and again != first
