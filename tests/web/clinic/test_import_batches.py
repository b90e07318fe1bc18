"""A large record import is written in bounded transactions, and is still all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import spasmcare.record
from spasmcare.errors import InputError
from spasmcare.web.clinic import audit, records
from spasmcare.web.models import CareTeam, Entry, Patient, Revision
from tests.web.conftest import example_record


def live_items(patient: Patient) -> list[tuple[str, Any]]:
    return sorted(
        (e.kind, repr(sorted(e.data.items())))
        for e in Entry.objects.filter(patient=patient, retracted_at__isnull=True)
    )


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    sizes: list[int] = []
    real = audit._import_rows

    def counting(patient: Patient, items: Any, user: Any) -> None:
        sizes.append(len(items))
        real(patient, items, user)

    monkeypatch.setattr(audit, "IMPORT_BATCH", 7)
    monkeypatch.setattr(audit, "IMPORT_PAUSE_S", 0.0)
    monkeypatch.setattr(audit, "_import_rows", counting)
    return sizes


def test_batched_import_writes_the_same_rows(
    team: CareTeam, other_team: CareTeam, small_batches: list[int]
) -> None:
    data = example_record()
    batched = audit.import_record(data, team, None)
    n = Entry.objects.filter(patient=batched).count()
    # every batch but the last holds IMPORT_BATCH items; all items were written
    assert n > 7 and small_batches[:-1] == [7] * (len(small_batches) - 1)
    assert sum(small_batches) == n
    assert batched.retracted_at is None and batched.retraction_reason == ""
    assert Revision.objects.filter(patient=batched, action="import").count() == n
    # the same record imported in one transaction gives the same items
    other = dict(data, patient=dict(data["patient"], id="same-record-2"))
    audit.IMPORT_BATCH = 10_000
    single = audit.import_record(other, other_team, None)
    assert live_items(single) == live_items(batched)
    assert records.load_record(batched).diary == records.load_record(single).diary


def test_failed_batch_leaves_nothing(
    team: CareTeam, monkeypatch: pytest.MonkeyPatch, small_batches: list[int]
) -> None:
    calls: list[int] = []
    real = audit._import_rows

    def failing(patient: Patient, items: Any, user: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        real(patient, items, user)

    monkeypatch.setattr(audit, "_import_rows", failing)
    data = example_record()
    with pytest.raises(RuntimeError):
        audit.import_record(data, team, None)
    assert not Patient.objects.filter(record_id=data["patient"]["id"]).exists()
    assert Entry.objects.count() == 0 and Revision.objects.count() == 0
    # the same record can then be imported
    monkeypatch.setattr(audit, "_import_rows", real)
    assert audit.import_record(data, team, None).pk


def test_patient_hidden_until_the_import_is_complete(
    team: CareTeam, monkeypatch: pytest.MonkeyPatch, small_batches: list[int]
) -> None:
    seen: list[Any] = []
    real = audit._import_rows

    def looking(patient: Patient, items: Any, user: Any) -> None:
        seen.append(Patient.objects.filter(retracted_at__isnull=True).count())
        real(patient, items, user)

    monkeypatch.setattr(audit, "_import_rows", looking)
    audit.import_record(example_record(), team, None)
    assert seen and set(seen) == {0}
    assert Patient.objects.filter(retracted_at__isnull=True).count() == 1


def test_every_section_of_the_record_format_is_stored() -> None:
    """Issues 23-25: the care pathway, development, other seizures and side effects are stored
    as entries, so no section of the record format is refused on import any more; a section
    the format gains before the app stores it is still refused by name, never dropped."""
    folder = Path(spasmcare.record.__file__).parent / "schema"
    schema = json.loads((folder / "record-schema-v1.json").read_text())
    for section in schema["properties"]:
        audit._refuse_unstored_sections({section: [{"present": True}]})  # none refused
    with pytest.raises(InputError, match="future_section") as err:
        audit._refuse_unstored_sections({"future_section": [{"present": True}]})
    assert err.value.field == "future_section" and "would lose" in err.value.accepted
