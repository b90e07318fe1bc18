"""Computed views and summaries after a write: what the write changes is computed again, what it
does not change is not, and every worker sees the same result.

A stale alert, measure or dose after a write is a clinical defect; recomputing what a write did
not change is the busy clinic's slowness (issue 10). Each test counts the builds.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from spasmcare.web.clinic import computed, records
from spasmcare.web.courses import service as courses
from spasmcare.web.models import ComputedView, Patient, PatientSummary
from tests.web.family.test_family import diary_url, log_cluster


@pytest.fixture
def family(client_as: Any) -> Client:
    client: Client = client_as("family")
    return client


def builds(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Count the calls of ``module.name`` (a build behind a computed view)."""
    calls: list[int] = []
    real = getattr(module, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_a_family_tap_refreshes_the_stored_summary_after_the_response(
    family: Client, patient: Patient
) -> None:
    log_cluster(family, patient, 4)
    # no page was read after the tap: the worker that wrote it brought the summary up to date
    current = Patient.objects.get(pk=patient.pk)
    row = PatientSummary.objects.get(patient=patient)
    assert row.data_version == current.data_version
    assert row.summary["last_diary"] == records.today().isoformat()


def test_a_diary_tap_recomputes_the_report_but_not_the_medicines(
    family: Client, client_as: Any, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spasmcare.web.patients import views as patient_views

    reports = builds(monkeypatch, patient_views, "build_report")
    plans = builds(monkeypatch, courses, "build_plan")
    neuro = client_as("neurologist")
    family.get(diary_url(patient))
    before = neuro.get(f"/patients/{patient.pk}/").context["report"]["spasms_per_day"]
    assert reports == [1]
    planned = len(plans)
    log_cluster(family, patient, 5)
    family.get(diary_url(patient))
    after = neuro.get(f"/patients/{patient.pk}/").context["report"]["spasms_per_day"]
    # the report holds the diary: computed again, and it counts today's cluster of 5
    assert reports == [1, 1]
    today = records.today().isoformat()

    def spasms_today(days: list[dict[str, Any]]) -> int:
        return sum(d["spasms"] or 0 for d in days if d["date"] == today)

    assert spasms_today(after) == spasms_today(before) + 5
    # the course plans (doses) do not depend on the diary: not made again
    assert len(plans) == planned


def test_another_worker_reads_the_stored_view_without_computing_it(
    client_as: Any, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spasmcare.web.patients import views as patient_views

    reports = builds(monkeypatch, patient_views, "build_report")
    neuro = client_as("neurologist")
    first = neuro.get(f"/patients/{patient.pk}/").context["report"]
    assert reports == [1]
    assert ComputedView.objects.filter(patient=patient, name="report").count() == 1
    computed.forget_local()  # a second worker process: empty memory, the same database
    second = neuro.get(f"/patients/{patient.pk}/").context["report"]
    assert reports == [1] and second == first


def test_a_write_replaces_the_stored_view_one_row_per_view(
    family: Client, client_as: Any, patient: Patient
) -> None:
    neuro = client_as("neurologist")
    for n in (2, 3, 4):
        log_cluster(family, patient, n)
        neuro.get(f"/patients/{patient.pk}/")
    rows = ComputedView.objects.filter(patient=patient, name="report")
    assert rows.count() == 1
    version = Patient.objects.get(pk=patient.pk).data_version
    assert f":d{version}:" in rows.get().stamp


def test_an_unreadable_stored_value_is_computed_again(
    client_as: Any, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spasmcare.web.patients import views as patient_views

    neuro = client_as("neurologist")
    neuro.get(f"/patients/{patient.pk}/")
    ComputedView.objects.filter(patient=patient, name="report").update(value=b"not a pickle")
    computed.forget_local()
    reports = builds(monkeypatch, patient_views, "build_report")
    assert neuro.get(f"/patients/{patient.pk}/").status_code == 200
    assert reports == [1]


def test_a_course_plan_outlives_the_churn_of_views_a_busy_clinic_makes() -> None:
    """Every write makes new view keys (report, charts, pages of the new data version); a
    memoised pure result (a course plan, which only a re-plan changes) is not pushed out of
    memory by them and is not built again."""
    computed.forget_local()
    plans: list[int] = []
    built = [computed.memo(("test-plan", 1), lambda: plans.append(1) or "plan")]
    # more views than the views' memory holds (256), as a few minutes of taps make
    for version in range(400):
        computed._local().set(f"view-of-version-{version}", {"report": version})
    built.append(computed.memo(("test-plan", 1), lambda: plans.append(1) or "plan"))
    assert built == ["plan", "plan"]
    assert plans == [1]  # built once
