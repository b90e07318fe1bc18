"""The dashboard's "Values to check" read the diary too (spasms in one cluster, on one day):
a tap outside the soft range shows at once. They are computed per data version in the
worker's memory, not written to the shared table of computed views on every dashboard of a new
version (a read and a write of the database for a fraction of a millisecond of work)."""

from __future__ import annotations

from typing import Any

from spasmcare.web.models import ComputedView, Patient
from tests.web.family.test_family import log_cluster


def _dashboard(client: Any, patient: Patient) -> str:
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_tap_over_the_cluster_soft_range_is_a_value_to_check_at_once(
    client_as: Any, patient: Patient
) -> None:
    nurse, family = client_as("nurse"), client_as("family")
    assert "= 400:" not in _dashboard(nurse, patient)
    entry = log_cluster(family, patient, 400)  # soft range of one cluster: 1-300 spasms
    page = _dashboard(nurse, patient)
    start = page.index("Values to check")
    values = page[start : page.index("</section>", start)]
    assert "spasms = 400:" in values
    assert entry.data["spasms"] == 400


def test_the_warnings_are_not_written_to_the_shared_table(
    client_as: Any, patient: Patient
) -> None:
    nurse, family = client_as("nurse"), client_as("family")
    _dashboard(nurse, patient)
    log_cluster(family, patient, 3)
    _dashboard(nurse, patient)
    assert not ComputedView.objects.filter(patient=patient, name="warnings").exists()
    assert ComputedView.objects.filter(patient=patient, name="report").exists()
