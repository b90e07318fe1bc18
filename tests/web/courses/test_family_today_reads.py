"""Today's medicines are read by what they are made of: a diary page after a tap lists the
courses, diets, keto plans and growth rows by id and version and reads none of them (a keto
plan is a large document); a row written between the listing and the reading is never kept
under the older listing."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from spasmcare.web.clinic import records
from spasmcare.web.courses import family_today
from spasmcare.web.models import Entry, Kind, Patient
from tests.web.family.test_family import diary_url, log_cluster

MADE_OF = ("'treatment'", "'diet'", "'keto_plan'", "'growth'")


def _reads_rows(sql: str) -> bool:
    """A query reading the items of today's medicines (their ``data``), not only listing."""
    return '"clinic_entry"."data"' in sql and all(kind in sql for kind in MADE_OF)


def test_diary_after_a_tap_lists_the_medicines_rows_and_reads_none(
    client_as: Any, patient: Patient
) -> None:
    family = client_as("family")
    with CaptureQueriesContext(connection) as first:
        family.get(diary_url(patient))
    assert sum(_reads_rows(q["sql"]) for q in first.captured_queries) == 1  # computed once
    log_cluster(family, patient, 4)
    with CaptureQueriesContext(connection) as after:
        page = family.get(diary_url(patient)).content.decode()
    assert "vigabatrin" in page[page.index('id="medicines"') :]
    assert not any(_reads_rows(q["sql"]) for q in after.captured_queries)


def test_a_row_written_while_listed_is_not_kept_under_the_old_listing(
    patient: Patient, monkeypatch: Any
) -> None:
    growth = Entry.objects.filter(patient=patient, kind=Kind.GROWTH).order_by("-day")[0]
    real = records.cached
    stamps: list[str] = []

    def written_meanwhile(patient: Patient, name: str, build: Any, **kw: Any) -> Any:
        stamps.append(kw["stamp"])
        if len(stamps) == 1:  # a nurse corrects the growth row after the listing
            Entry.objects.filter(pk=growth.pk).update(version=F("version") + 1)
        return real(patient, name, build, **kw)

    monkeypatch.setattr(family_today.records, "cached", written_meanwhile)
    family_today.medicines(patient, records.today())
    # the first listing was refused by its build; the view kept names the row's new version
    assert len(stamps) == 2
    assert f"{growth.pk}v{growth.version}" in stamps[0]
    assert f"{growth.pk}v{growth.version + 1}" in stamps[1]
