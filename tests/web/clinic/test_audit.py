"""Audit trail and optimistic concurrency: nothing is lost, nothing silently overwritten."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.errors import InputError
from spasmcare.web.clinic import audit, records
from spasmcare.web.models import Entry, Patient, Revision, User


def _growth(patient: Patient) -> Entry:
    entry = Entry.objects.filter(patient=patient, kind="growth").order_by("day").last()
    assert entry is not None
    return entry


def test_edit_keeps_the_previous_version(patient: Patient, users: dict[str, User]) -> None:
    entry = _growth(patient)
    before = dict(entry.data)
    audit.update_entry(entry, 1, before | {"weight_kg": 7.4}, users["nurse"])
    entry.refresh_from_db()
    assert entry.version == 2 and entry.data["weight_kg"] == 7.4
    versions = list(entry.revisions.order_by("version"))
    assert [r.action for r in versions] == ["import", "update"]
    assert versions[0].snapshot["data"] == before
    assert versions[1].by == users["nurse"]


def test_stale_edit_is_refused_and_changes_nothing(
    patient: Patient, users: dict[str, User]
) -> None:
    entry = _growth(patient)
    audit.update_entry(entry, 1, entry.data | {"weight_kg": 7.4}, users["nurse"])
    stale = Entry.objects.get(pk=entry.pk)
    with pytest.raises(audit.StaleEdit, match="changed by nurse"):
        audit.update_entry(stale, 1, stale.data | {"weight_kg": 9.9}, users["dietitian"])
    entry.refresh_from_db()
    assert entry.data["weight_kg"] == 7.4 and entry.version == 2
    assert entry.revisions.count() == 2


def test_stale_form_shows_a_message(client_as: Any, patient: Patient, users: Any) -> None:
    entry = _growth(patient)
    url = f"/patients/{patient.pk}/entries/{entry.pk}/edit/"
    form = {"version": 1, "date": entry.data["date"], "weight_kg": "7.5"}
    audit.update_entry(entry, 1, entry.data | {"weight_kg": 7.4}, users["nurse"])
    response = client_as("dietitian").post(url, form)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    entry.refresh_from_db()
    assert entry.data["weight_kg"] == 7.4


def test_retract_hides_from_record_but_keeps_row(patient: Patient, users: dict[str, User]) -> None:
    entry = Entry.objects.filter(patient=patient, kind="diary").first()
    assert entry is not None
    n_before = len(records.load_record(patient).diary)
    with pytest.raises(InputError, match="reason"):
        audit.retract_entry(entry, 1, "  ", users["nurse"])
    audit.retract_entry(entry, 1, "duplicate of the 06:40 entry", users["nurse"])
    patient.refresh_from_db()
    assert len(records.load_record(patient).diary) == n_before - 1
    entry.refresh_from_db()
    assert entry.retracted_by == users["nurse"]
    last = entry.revisions.last()
    assert last is not None and last.action == "retract"
    assert last.reason == "duplicate of the 06:40 entry"
    # a retracted entry cannot be edited behind the trail's back
    with pytest.raises(audit.StaleEdit):
        audit.update_entry(entry, 2, entry.data, users["nurse"])


def test_bad_item_is_refused_with_the_field_named(client_as: Any, patient: Patient) -> None:
    before = Entry.objects.count()
    response = client_as("nurse").post(
        f"/patients/{patient.pk}/add/diary/",
        {"at": "2026-11-01T10:00", "entry_kind": "single", "spasms": "3"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 is not accepted" in html, html
    assert Entry.objects.count() == before
    assert not Revision.objects.filter(entry__isnull=False, action="create").exists()


def test_add_diary_entry_via_form(client_as: Any, patient: Patient) -> None:
    response = client_as("nurse").post(
        f"/patients/{patient.pk}/add/diary/",
        {"at": "2026-11-01T10:00", "entry_kind": "cluster", "spasms": "9", "observer": "nurse"},
    )
    assert response.status_code == 302
    e = Entry.objects.filter(patient=patient, kind="diary").order_by("-id").first()
    assert e is not None and e.data == {
        "at": "2026-11-01T10:00",
        "kind": "cluster",
        "spasms": 9,
        "observer": "nurse",
    }
    assert e.revisions.get().action == "create"


def test_patient_edit_is_versioned(client_as: Any, patient: Patient) -> None:
    c = client_as("neurologist")
    url = f"/patients/{patient.pk}/edit/"
    page = c.get(url).content.decode()
    assert 'name="version" value="1"' in page
    form = {
        "version": 1,
        "record_id": "demo-0001",
        "name": "Rowan Renamed (fictional)",
        "birth_date": "2026-01-12",
        "sex": "female",
        "gestation_weeks": 35,
        "gestation_days": 2,
        "onset_date": "2026-05-18",
        "etiology_category": "structural",
    }
    assert c.post(url, form).status_code == 302
    patient.refresh_from_db()
    assert patient.name == "Rowan Renamed (fictional)" and patient.version == 2
    again = c.post(url, form | {"name": "Someone Else"})
    assert "Nothing was saved" in again.content.decode()
    patient.refresh_from_db()
    assert patient.name == "Rowan Renamed (fictional)"


# --- integrity of the record across entries (review before release) ---------------------------


def _record_reads(patient: Patient) -> bool:
    try:
        records.load_record(Patient.objects.get(pk=patient.pk))
    except InputError:
        return False
    return True


def test_edit_keeps_the_fields_the_form_does_not_show(
    client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    """The diary form has no video field, the diet form no achieved ratios or note, the EEG
    form no Kramer variants: an edit keeps them instead of silently dropping them."""
    c = client_as("neurologist")
    video = "video:0b4f5a1e-2f4c-4c3b-9d77-2d1f1c0a9e11"
    diary = audit.create_entry(
        patient,
        "diary",
        {"at": "2026-11-01T10:00", "kind": "cluster", "spasms": 4, "video": video},
        users["family"],
    )
    r = c.post(
        f"/patients/{patient.pk}/entries/{diary.pk}/edit/",
        {"version": 1, "at": "2026-11-01T10:00", "entry_kind": "cluster", "spasms": "5"},
    )
    assert r.status_code == 302
    diary.refresh_from_db()
    assert diary.data == {"at": "2026-11-01T10:00", "kind": "cluster", "spasms": 5, "video": video}

    diet = Entry.objects.get(patient=patient, kind="diet")
    achieved, note = diet.data["achieved"], diet.data["note"]
    last_reading = achieved[-1]["date"]  # 2026-11-14 in the example
    r = client_as("dietitian").post(
        f"/patients/{patient.pk}/entries/{diet.pk}/edit/",
        {
            "version": diet.version,
            "id": "kd1",
            "diet": "classic-kd",
            "start": "2026-08-10",
            "stop": last_reading,
            "prescribed_ratio": "3",
        },
    )
    assert r.status_code == 302
    diet.refresh_from_db()
    assert diet.data["stop"] == last_reading
    assert diet.data["achieved"] == achieved and diet.data["note"] == note

    eeg = Entry.objects.get(patient=patient, kind="eeg", day="2026-05-28")
    kramer = eeg.data["kramer"]
    assert kramer["variants"] == {"electrodecremental_discharges": True}
    form = {"version": eeg.version, "date": "2026-05-28", "hypsarrhythmia": "true"}
    form |= {f"kramer_{k}": str(v) for k, v in kramer["items"].items()}
    r = c.post(
        f"/patients/{patient.pk}/entries/{eeg.pk}/edit/",
        form | {"based_grade": "5", "report": "Hypsarrhythmia awake and asleep (re-read)."},
    )
    assert r.status_code == 302
    eeg.refresh_from_db()
    assert eeg.data["kramer"] == kramer
    assert eeg.data["report"] == "Hypsarrhythmia awake and asleep (re-read)."


def test_an_edit_that_contradicts_kept_fields_is_refused(
    client_as: Any, patient: Patient
) -> None:
    """Stopping the diet before its last achieved-ratio reading is refused, naming the reading,
    rather than saved with the readings dropped."""
    diet = Entry.objects.get(patient=patient, kind="diet")
    before = dict(diet.data)
    r = client_as("dietitian").post(
        f"/patients/{patient.pk}/entries/{diet.pk}/edit/",
        {"version": diet.version, "id": "kd1", "diet": "classic-kd", "start": "2026-08-10",
         "stop": "2026-10-01", "prescribed_ratio": "3"},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "achieved[18].date: &#x27;2026-10-03&#x27; is not accepted" in html
    assert "a date within the diet period" in html
    diet.refresh_from_db()
    assert diet.data == before and diet.version == 1


def test_a_duplicate_id_is_refused_and_the_record_still_reads(
    client_as: Any, patient: Patient
) -> None:
    """A second diet period 'kd1' used to pass the one-item check and then made the whole record
    unreadable (dashboard, report, family pages, cohort)."""
    before = Entry.objects.filter(patient=patient, kind="diet").count()
    r = client_as("dietitian").post(
        f"/patients/{patient.pk}/add/diet/", {"id": "kd1", "diet": "mad", "start": "2026-11-15"}
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "&#x27;kd1&#x27; is not accepted: an id used by one diet period only" in html
    assert Entry.objects.filter(patient=patient, kind="diet").count() == before
    assert _record_reads(patient)
    # a new id is fine
    r = client_as("dietitian").post(
        f"/patients/{patient.pk}/add/diet/", {"id": "kd2", "diet": "mad", "start": "2026-11-15"}
    )
    assert r.status_code == 302 and _record_reads(patient)


def test_retracting_a_treatment_other_entries_name_is_refused(
    client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    """Two adverse events name 'pred1': retracting it would leave them pointing at nothing and
    the record unreadable. The user is told which entry refers to it."""
    pred = Entry.objects.get(patient=patient, kind="treatment", data__id="pred1")
    r = client_as("neurologist").post(
        f"/patients/{patient.pk}/entries/{pred.pk}/retract/",
        {"version": pred.version, "reason": "entered for the wrong child"},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "adverse_events[0].treatment: &#x27;pred1&#x27; is not accepted" in html
    assert "edit or retract that entry first" in html
    pred.refresh_from_db()
    assert pred.retracted_at is None and pred.version == 1
    assert _record_reads(patient)
    # once the adverse events no longer name it, it can be retracted
    for e in Entry.objects.filter(patient=patient, kind="adverse", data__treatment="pred1"):
        audit.retract_entry(e, e.version, "entered for the wrong child", users["neurologist"])
    pred.refresh_from_db()
    audit.retract_entry(pred, pred.version, "entered for the wrong child", users["neurologist"])
    assert _record_reads(patient)


def test_patient_edit_refuses_a_taken_record_id_and_a_birth_after_the_entries(
    client_as: Any, patient: Patient, team: Any
) -> None:
    from tests.web.conftest import example_record

    data = example_record()
    data["patient"]["id"] = "other-0001"
    audit.import_record(data, team, None)
    c = client_as("neurologist")
    url = f"/patients/{patient.pk}/edit/"
    form = {
        "version": 1,
        "record_id": "other-0001",
        "name": "Rowan (fictional)",
        "birth_date": "2026-01-12",
        "sex": "female",
        "gestation_weeks": 35,
        "gestation_days": 2,
        "onset_date": "2026-05-18",
        "etiology_category": "structural",
    }
    r = c.post(url, form)  # was a server error (IntegrityError)
    assert r.status_code == 200
    assert "&#x27;other-0001&#x27; is not accepted: an id no other patient has" in (
        r.content.decode()
    )
    # a birth date after the diary began would make every entry before it unreadable
    r = c.post(
        url,
        form | {"record_id": "demo-0001", "birth_date": "2026-07-01", "onset_date": "2026-07-02"},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "diary[0].at: &#x27;2026-05-22T06:40&#x27; is not accepted" in html
    assert "a date on or after the birth date (2026-07-01)" in html
    patient.refresh_from_db()
    assert patient.version == 1 and str(patient.birth_date) == "2026-01-12"
    assert _record_reads(patient)


def _second_family(patient: Patient, users: dict[str, User]) -> User:
    """Another family account of the same child with the same relationship (two carers who
    both call themselves "mother", or one carer with two accounts)."""
    other = User.objects.create(username="family2", role="family", relationship="mother")
    other.children.add(patient)
    assert users["family"].relationship == other.relationship
    return other


def test_a_duplicate_diary_item_is_refused_whichever_account_writes_it(
    patient: Patient, users: dict[str, User]
) -> None:
    """The diary's own rule (same time, count and observer: ``record.io.diary_key``) decides,
    not who wrote it: a second account with the same relationship cannot save the observation
    again, and the record still reads whole (nothing set aside)."""
    other = _second_family(patient, users)
    item = {"at": "2026-05-01T10:00", "kind": "cluster", "spasms": 7, "observer": "mother"}
    audit.create_entry(patient, "diary", dict(item), users["family"])
    before = Entry.objects.filter(patient=patient, kind="diary").count()
    with pytest.raises(InputError, match="not already saved"):
        audit.create_entry(patient, "diary", dict(item), other)
    assert Entry.objects.filter(patient=patient, kind="diary").count() == before

    patient.refresh_from_db()
    assert records.set_aside(patient) == []


def test_a_diary_edit_that_would_duplicate_another_item_is_refused(
    patient: Patient, users: dict[str, User]
) -> None:
    item = {"at": "2026-05-01T10:00", "kind": "cluster", "spasms": 7, "observer": "mother"}
    audit.create_entry(patient, "diary", dict(item), users["family"])
    second = audit.create_entry(patient, "diary", item | {"spasms": 8}, users["nurse"])
    with pytest.raises(InputError, match="not already saved"):
        audit.update_entry(second, 1, dict(item), users["nurse"])
    second.refresh_from_db()
    assert second.data["spasms"] == 8 and second.version == 1
    # an edit that keeps the item the same observation as itself is no duplicate
    audit.update_entry(second, 1, item | {"spasms": 8, "note": "after feed"}, users["nurse"])
