"""A diary item that would take its day beyond the record's daily range (5000 spasms,
``spasmcare.record.plausibility.SPASMS_PER_DAY``) is refused when written, as the record
validator refuses it when the record is read (issue 21): written, every later read of the
record set the day's entries aside one by one, checking the whole record again each time (a
second of CPU per read with 160 entries that day)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from spasmcare.errors import InputError
from spasmcare.web.clinic import audit, records, resilience
from spasmcare.web.models import Entry, Kind, Patient


def _cluster(day: date, minute: int, spasms: int) -> dict[str, object]:
    return {"at": f"{day.isoformat()}T10:{minute:02d}", "kind": "cluster", "spasms": spasms}


def test_the_day_total_is_checked_when_written(patient: Patient) -> None:
    day = records.today() - timedelta(days=1)
    for minute in range(5):  # 5 x 1000 = 5000: the top of the range, accepted
        audit.create_entry(patient, Kind.DIARY, _cluster(day, minute, 1000), None)
    with pytest.raises(InputError) as refused:
        audit.create_entry(patient, Kind.DIARY, _cluster(day, 10, 1), None)
    assert refused.value.field == "spasms" and refused.value.value == 1
    assert "5001" in refused.value.accepted and "5000" in refused.value.accepted
    live = Entry.objects.filter(patient=patient, kind=Kind.DIARY, day=day, retracted_at=None)
    assert live.count() == 5  # nothing written
    # another day is its own; an edit replaces its entry in the total
    audit.create_entry(patient, Kind.DIARY, _cluster(day - timedelta(days=1), 0, 1), None)
    first = live.order_by("id").first()
    assert first is not None
    audit.update_entry(first, first.version, _cluster(day, 0, 999), None)
    # the record reads whole: nothing set aside
    patient.refresh_from_db()
    record, aside = resilience.read_entries(
        patient,
        list(Entry.objects.filter(patient=patient, retracted_at=None).order_by("id")),
        records.today(),
    )
    assert aside == [] and sum(e.spasms for e in record.diary if e.day == day) == 4999
