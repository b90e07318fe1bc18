"""A family's tap is one write: the patient locked once, its data version raised once.

The first tap of a day writes two items (the day marked as watched, then the cluster); an undo
of it retracts two. Each used to lock the patient row once per item plus once in the view, and
raise ``data_version`` once per item, so the summary refresh and every view stamped by the
version saw two versions for one tap. Counted by queries and versions, never by time.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from spasmcare.errors import InputError
from spasmcare.web.clinic import audit, records
from spasmcare.web.models import Entry, Kind, Patient
from tests.web.family.test_family import diary_url, live, log_url, nonce_of

#: The lock of :func:`audit.lock_patient` as SQLite runs it (no FOR UPDATE there).
LOCK_SQL = (
    'SELECT "clinic_patient"."id" AS "pk" FROM "clinic_patient" WHERE "clinic_patient"."id" ='
)


def _version(patient: Patient) -> int:
    return Patient.objects.values_list("data_version", flat=True).get(pk=patient.pk)


def _tap(client: Client, patient: Patient, spasms: int) -> tuple[int, int, int]:
    """Post one cluster; (data version raised by, patient locks, patient row updates)."""
    nonce = nonce_of(client.get(diary_url(patient)).content.decode())
    before = _version(patient)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            log_url(patient), {"action": "cluster", "spasms": str(spasms), "nonce": nonce}
        )
    assert response.status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    locks = sum(1 for s in sql if s.startswith(LOCK_SQL))
    updates = sum(1 for s in sql if s.startswith('UPDATE "clinic_patient"'))
    return _version(patient) - before, locks, updates


@pytest.fixture
def family(client_as: Any) -> Client:
    c: Client = client_as("family")
    return c


def test_first_tap_of_a_day_is_one_lock_and_one_version(family: Client, patient: Patient) -> None:
    today = records.today()
    assert live(patient, Kind.RECORDED_DAY, today) == []
    raised, locks, updates = _tap(family, patient, 3)
    # two items written (the day marked, the cluster) as one write
    assert len(live(patient, Kind.RECORDED_DAY, today)) == 1
    assert len(live(patient, Kind.DIARY, today)) == 1
    assert (raised, locks, updates) == (1, 1, 1)


def test_later_tap_is_one_lock_and_one_version(family: Client, patient: Patient) -> None:
    _tap(family, patient, 3)
    assert _tap(family, patient, 4) == (1, 1, 1)
    assert len(live(patient, Kind.RECORDED_DAY, records.today())) == 1


def test_undo_of_the_day_s_only_tap_is_one_version(family: Client, patient: Patient) -> None:
    _tap(family, patient, 5)
    entry = Entry.objects.filter(patient=patient, kind=Kind.DIARY).order_by("-id")[0]
    before = _version(patient)
    family.post(log_url(patient), {"action": "undo", "entry": entry.pk, "version": 1})
    # the cluster and the day it marked are both retracted, in one write
    assert live(patient, Kind.DIARY, records.today()) == []
    assert live(patient, Kind.RECORDED_DAY, records.today()) == []
    assert _version(patient) - before == 1


def test_checked_version_moves_on_with_the_one_raise(
    family: Client, patient: Patient
) -> None:
    Patient.objects.filter(pk=patient.pk).update(
        checked_version=patient.data_version, checked_with=records.validator_fingerprint()
    )
    _tap(family, patient, 2)
    patient.refresh_from_db()
    assert records.is_checked(patient)


def test_a_refused_item_in_one_write_leaves_nothing_and_no_version(patient: Patient) -> None:
    before, entries = _version(patient), Entry.objects.filter(patient=patient).count()
    with pytest.raises(InputError), audit.one_write(patient):
        audit.create_entry(patient, Kind.RECORDED_DAY, {"date": records.today().isoformat()}, None)
        audit.create_entry(patient, Kind.DIARY, {"at": "not a time", "spasms": 2}, None)
    assert _version(patient) == before
    assert Entry.objects.filter(patient=patient).count() == entries
    # nothing written in a block: no version raised either
    with audit.one_write(patient):
        pass
    assert _version(patient) == before


def test_one_write_blocks_do_not_nest(patient: Patient) -> None:
    with pytest.raises(RuntimeError), audit.one_write(patient), audit.one_write(patient):
        pass
