"""The family diary's "Another kind of seizure" in two taps and its milestone ticks, which a
clinician then confirms (issue 25; issue 23 item 6)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from spasmcare.web.clinic import records
from spasmcare.web.models import Entry, Kind, Patient, Revision


def _nonce(html: str) -> str:
    found = re.search(r'name="action" value="other_seizure">\s*<input type="hidden" '
                      r'name="nonce" value="([^"]+)"', html)
    assert found, "the other-seizure form carries a nonce"
    return found.group(1)


def _live(patient: Patient, kind: str) -> list[Entry]:
    return list(
        Entry.objects.filter(patient=patient, kind=kind, retracted_at__isnull=True).order_by("id")
    )


def test_another_kind_of_seizure_in_two_taps(client_as: Any, patient: Patient) -> None:
    family: Client = client_as("family")
    diary = reverse("family_diary", args=[patient.pk])
    # tap 1 opens the types on the page itself (a details element): the page has them all
    html = family.get(diary).content.decode()
    assert "Another kind of seizure" in html
    for words in ("Focal", "tonic–clonic", "myoclonic", "atonic", "absence", "Not sure"):
        assert words in html, words
    recorded_before = _live(patient, Kind.RECORDED_DAY)
    # tap 2: the type, saved now, with the family's relationship as the observer
    before = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    nonce = _nonce(html)
    r = family.post(
        reverse("family_log", args=[patient.pk]),
        {"action": "other_seizure", "type": "tonic-clonic", "nonce": nonce},
    )
    assert r.status_code == 302
    [saved] = _live(patient, Kind.OTHER_SEIZURE)
    assert saved.data["type"] == "tonic-clonic" and saved.data["observer"] == "mother"
    assert saved.data["at"] >= before.strftime("%Y-%m-%dT%H:%M")
    # the spasm diary is untouched: the day is not marked as watched for spasms
    assert _live(patient, Kind.RECORDED_DAY) == recorded_before
    # the same tap sent twice is saved once
    family.post(
        reverse("family_log", args=[patient.pk]),
        {"action": "other_seizure", "type": "tonic-clonic", "nonce": nonce},
    )
    assert len(_live(patient, Kind.OTHER_SEIZURE)) == 1
    # the record has it, apart from the spasm diary
    record = records.load_record(Patient.objects.get(pk=patient.pk))
    assert [s.type for s in record.other_seizures] == ["tonic-clonic"]
    page = family.get(diary).content.decode()
    assert "Stiffening then jerking (tonic–clonic)" in page
    # undo retracts it and keeps it in the history
    r = family.post(
        reverse("family_log", args=[patient.pk]),
        {"action": "other_seizure_undo", "entry": saved.pk, "version": saved.version},
    )
    assert r.status_code == 302 and _live(patient, Kind.OTHER_SEIZURE) == []
    assert Revision.objects.filter(entry=saved, action="retract").exists()


def test_an_unknown_seizure_type_is_refused_with_a_message(
    client_as: Any, patient: Patient
) -> None:
    family: Client = client_as("family")
    r = family.post(
        reverse("family_log", args=[patient.pk]),
        {"action": "other_seizure", "type": "grand-mal"},
        follow=True,
    )
    assert "&#x27;grand-mal&#x27; is not accepted" in r.content.decode()
    assert _live(patient, Kind.OTHER_SEIZURE) == []
    # an undo naming no entry of the user's (or a number no database holds) changes nothing
    for entry in ("10" * 20, "abc", "1"):
        r = family.post(
            reverse("family_log", args=[patient.pk]),
            {"action": "other_seizure_undo", "entry": entry, "version": "1"},
            follow=True,
        )
        assert r.status_code == 200 and "not yours to undo" in r.content.decode()


def test_a_milestone_ticked_by_the_family_is_confirmed_by_a_clinician(
    client_as: Any, patient: Patient
) -> None:
    family: Client = client_as("family")
    diary = reverse("family_diary", args=[patient.pk])
    html = family.get(diary).content.decode()
    assert "Sits without support" in html and "not yet" in html
    r = family.post(
        reverse("family_log", args=[patient.pk]),
        {"action": "milestone", "milestone": "who-sitting-without-support", "status": "achieved"},
    )
    assert r.status_code == 302
    # the same tap sent twice is saved once
    r = family.post(
        reverse("family_log", args=[patient.pk]),
        {"action": "milestone", "milestone": "who-sitting-without-support", "status": "achieved"},
        follow=True,
    )
    assert "Already saved: Sits without support." in r.content.decode()
    [tick] = _live(patient, Kind.MILESTONE)
    assert tick.data == {
        "milestone": "who-sitting-without-support",
        "status": "achieved",
        "date": records.today().isoformat(),
        "reported_by": "family",
    }
    # reached: no longer offered to tick
    page = family.get(diary).content.decode()
    assert 'value="who-sitting-without-support"' not in page
    assert 'value="who-standing-alone"' in page
    # the family cannot confirm it
    confirm = reverse("milestone_confirm", args=[patient.pk, tick.pk])
    assert family.post(confirm, {"version": tick.version}).status_code == 403
    # the dashboard lists it as waiting for confirmation; the nurse confirms (audited)
    nurse: Client = client_as("nurse")
    dash = nurse.get(reverse("patient_dashboard", args=[patient.pk])).content.decode()
    assert "ticked by the family, not yet confirmed" in dash
    r = nurse.post(confirm, {"version": tick.version})
    assert r.status_code == 302
    tick.refresh_from_db()
    assert tick.data["confirmed_by"] == "Nurse" and tick.data["confirmed_on"] == (
        records.today().isoformat()
    )
    assert [v.action for v in Revision.objects.filter(entry=tick)] == ["create", "update"]
    # a version that is not a number confirms nothing
    r = nurse.post(confirm, {"version": "9" * 40}, follow=True)
    assert r.status_code == 200 and "nothing was confirmed" in r.content.decode()
    # confirming again with the old version is refused as stale, nothing changes
    r = nurse.post(confirm, {"version": 1}, follow=True)
    assert "changed by" in r.content.decode()
    tick.refresh_from_db()
    assert tick.version == 2


def test_a_dietitian_does_not_confirm_a_family_tick(client_as: Any, patient: Patient) -> None:
    client_as("family").post(
        reverse("family_log", args=[patient.pk]),
        {"action": "milestone", "milestone": "who-standing-alone", "status": "not-yet"},
    )
    [tick] = _live(patient, Kind.MILESTONE)
    r = client_as("dietitian").post(
        reverse("milestone_confirm", args=[patient.pk, tick.pk]), {"version": tick.version}
    )
    assert r.status_code == 403
    tick.refresh_from_db()
    assert "confirmed_by" not in tick.data
