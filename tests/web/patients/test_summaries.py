"""Stored per-patient summaries: a write invalidates exactly what it changes.

A stale alert or cohort measure after a write is a clinical defect, so each test writes through
the audit layer and checks that the written patient's summary, alerts and cohort row change and
that the other patients' stored rows are not even rewritten.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache

from spasmcare.measures.cohort import pseudonym
from spasmcare.web.clinic import audit, records, resilience
from spasmcare.web.models import CareTeam, Entry, Kind, Patient, PatientSummary
from spasmcare.web.patients import summaries
from spasmcare.web.research.cohorts import build_cohort, cohort_salt
from tests.web.research.test_cohort import ALDER, BIRCH, on


@pytest.fixture
def two(team: CareTeam) -> list[Patient]:
    return [audit.import_record(data, team, None) for data in (ALDER, BIRCH)]


def fresh(patients: list[Patient]) -> list[Patient]:
    """The patients as a new request loads them (their current data version)."""
    return [Patient.objects.get(pk=p.pk) for p in patients]


def row(patient: Patient) -> PatientSummary:
    return PatientSummary.objects.get(patient=patient)


def kinds(summary: dict[str, Any]) -> set[str]:
    return {a["kind"] for a in summary["alerts"]}


def test_lab_write_changes_that_patients_alerts_only(two: list[Patient]) -> None:
    alder, birch = two
    before = summaries.stored(fresh(two))
    assert "bhb_high" not in kinds(before[alder.pk].summary)
    birch_before = row(birch)
    # β-hydroxybutyrate 6.5 mmol/L today: above DEFAULT_LABS.bhb_high_mmol_l (6) -> urgent
    today = records.today()
    audit.create_entry(
        alder,
        Kind.LAB,
        {"at": f"{today.isoformat()}T08:00", "analyte": "bhb", "value": 6.5, "unit": "mmol/L"},
        None,
    )
    after = summaries.stored(fresh(two))
    assert "bhb_high" in kinds(after[alder.pk].summary)
    assert row(alder).data_version == Patient.objects.get(pk=alder.pk).data_version
    assert "bhb_high" in {a["kind"] for a in summaries.alerts_for(fresh([alder])[0])}
    # the other patient's stored row was not recomputed nor rewritten
    again = row(birch)
    assert again.computed_at == birch_before.computed_at
    assert again.summary == birch_before.summary and again.cohort == birch_before.cohort


def test_diary_write_changes_that_patients_cohort_row(two: list[Patient]) -> None:
    alder, birch = two
    before = summaries.stored(fresh(two))
    (birch_row,) = before[birch.pk].cohort
    alder_before = row(alder)
    # Birch's diary ended on treatment day 20; one more recorded day with a cluster on day 21
    day = on(21)
    audit.create_entry(birch, Kind.RECORDED_DAY, {"date": day.isoformat()}, None)
    audit.create_entry(
        birch,
        Kind.DIARY,
        {"at": f"{day.isoformat()}T07:00", "kind": "cluster", "spasms": 3},
        None,
    )
    after = summaries.stored(fresh(two))
    (birch_new,) = after[birch.pk].cohort
    # follow-up: days from the start to the last diary day, one day longer
    assert birch_new["follow_up_days"] == birch_row["follow_up_days"] + 1
    assert after[birch.pk].summary["last_diary"] == day.isoformat()
    assert summaries.summaries(fresh([birch]))[birch.pk]["last_diary"] == day
    assert row(alder).computed_at == alder_before.computed_at


def test_cohort_after_a_write_shows_the_new_row(two: list[Patient]) -> None:
    alder, birch = two
    key = pseudonym(birch.record_id, cohort_salt())
    today = records.today()
    before = {r["key"]: r for r in build_cohort(today)["rows"]}
    audit.create_entry(birch, Kind.RECORDED_DAY, {"date": on(21).isoformat()}, None)
    after = {r["key"]: r for r in build_cohort(today)["rows"]}
    assert after[key]["follow_up_days"] == before[key]["follow_up_days"] + 1
    # the other patient's row is the same
    other = pseudonym(alder.record_id, cohort_salt())
    assert after[other] == before[other]


def test_a_new_day_or_clinic_setting_recomputes(settings: Any, two: list[Patient]) -> None:
    today = records.today()
    summaries.stored(fresh(two), today)
    stamp = row(two[0]).clinic
    summaries.stored(fresh(two), today + timedelta(days=1))
    assert row(two[0]).day == today + timedelta(days=1)
    settings.SPASMCARE_ALERTS = {"bp_systolic_high_mmhg": 110}
    summaries.stored(fresh(two), today + timedelta(days=1))
    assert row(two[0]).clinic != stamp


def test_full_check_once_then_checked_writes_keep_it(
    two: list[Patient], monkeypatch: pytest.MonkeyPatch
) -> None:
    alder = two[0]
    # the import checked the whole record: it is checked at the version it left
    assert records.is_checked(fresh([alder])[0])
    # a write through the audit layer checks its item with the other items: the whole record
    # stays checked, and the next summary reads the stored items without the schema
    audit.create_entry(alder, Kind.RECORDED_DAY, {"date": on(31).isoformat()}, None)
    current = Patient.objects.get(pk=alder.pk)
    assert current.checked_version == current.data_version and records.is_checked(current)
    full: list[int] = []
    real = resilience.record_from_dict  # the full check (schema and meaning) of a read
    monkeypatch.setattr(
        resilience, "record_from_dict", lambda *a, **k: full.append(1) or real(*a, **k)
    )
    summaries.stored(fresh([alder]))
    assert full == [] and row(alder).data_version == current.data_version
    # a write around the audit layer does not move the stamp: the next version is checked
    # fully, once, and is then known to be checked
    Patient.objects.filter(pk=alder.pk).update(data_version=current.data_version + 1)
    summaries.stored(fresh([alder]))
    assert full == [1]
    assert Patient.objects.get(pk=alder.pk).checked_version == current.data_version + 1
    summaries.stored(fresh([alder]), records.today() + timedelta(days=1))
    assert full == [1]  # a new day reads the checked items without the schema


def test_a_write_of_an_unchecked_record_does_not_make_it_checked(two: list[Patient]) -> None:
    alder = two[0]
    version = Patient.objects.get(pk=alder.pk).data_version
    Patient.objects.filter(pk=alder.pk).update(checked_version=None)
    audit.create_entry(alder, Kind.RECORDED_DAY, {"date": on(31).isoformat()}, None)
    after = Patient.objects.get(pk=alder.pk)
    assert after.data_version == version + 1 and after.checked_version is None


def test_stored_rows_serve_another_worker(
    two: list[Patient], django_assert_max_num_queries: Any
) -> None:
    summaries.stored(fresh(two))
    cache.clear()
    patients = fresh(two)
    with django_assert_max_num_queries(2):  # stored rows + clinic settings row: nothing recomputed
        found = summaries.stored(patients)
    assert set(found) == {p.pk for p in two}


def test_unreadable_record_has_a_problem_and_no_cohort_row(two: list[Patient]) -> None:
    birch = two[1]
    entry = Entry.objects.filter(patient=birch, kind=Kind.DIARY).first()
    assert entry is not None
    Entry.objects.filter(pk=entry.pk).update(data=entry.data | {"spasms": -2})
    found = summaries.stored(fresh([birch]), date.today())
    assert found[birch.pk].cohort is None and "spasms" in found[birch.pk].summary["problem"]


def test_the_nightly_refresh_brings_every_summary_to_the_new_day(two: list[Patient]) -> None:
    from io import StringIO

    from django.core.management import call_command

    tomorrow = records.today() + timedelta(days=1)
    out = StringIO()
    call_command("refresh_summaries", "--date", tomorrow.isoformat(), stdout=out)
    assert {row(p).day for p in two} == {tomorrow}
    assert "Summaries of 2 patients current" in out.getvalue()
    # a second run finds them current and writes nothing
    before = {p.pk: row(p).computed_at for p in two}
    call_command("refresh_summaries", "--date", tomorrow.isoformat(), stdout=StringIO())
    assert {p.pk: row(p).computed_at for p in two} == before


def test_the_nightly_refresh_refuses_a_bad_date(two: list[Patient]) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date: '31/12/2026' is not accepted"):
        call_command("refresh_summaries", "--date", "31/12/2026")
