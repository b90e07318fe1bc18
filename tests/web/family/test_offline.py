"""The family diary offline (issue 26): installable, a service worker that stores only the
data-free shell, and the phone's outbox written once per key on the phone's local day."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.web.clinic import audit, records
from spasmcare.web.family import offline_views
from spasmcare.web.models import CareTeam, Entry, Kind, Patient, Revision, User
from tests.web.family.test_family import diary_url, live, other_child

pytestmark = pytest.mark.django_db


def outbox_url(patient: Patient) -> str:
    return reverse("family_outbox", args=[patient.pk])


@pytest.fixture
def family(client_as: Any) -> Client:
    c: Client = client_as("family")
    return c


def phone_now(offset_min: int) -> datetime:
    """The wall clock of a phone at ``offset_min`` from UTC, now."""
    return (
        datetime.now(UTC).astimezone(timezone(timedelta(minutes=offset_min))).replace(tzinfo=None)
    )


def tap(
    key: str | None = None, at: str | None = None, offset_min: int = 0, spasms: int = 4
) -> dict[str, str]:
    when = at or phone_now(offset_min).strftime("%Y-%m-%dT%H:%M")
    return {
        "key": key or str(uuid.uuid4()),
        "at": when,
        "offset_min": str(offset_min),
        "spasms": str(spasms),
    }


def sent(patient: Patient, key: str) -> list[Entry]:
    return list(Entry.objects.filter(patient=patient, kind=Kind.DIARY, extra__client_key=key))


# --------------------------------------------------------------------------- installable


def test_manifest_is_served_with_its_type_and_starts_at_the_familys_diary(
    client: Client, db: Any
) -> None:
    response = client.get("/family/manifest.webmanifest")  # no sign-in: phones fetch it so
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/family/" and data["scope"] == "/family/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#1f5fae"
    sizes = {i["sizes"] for i in data["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    assert any(i.get("purpose") == "maskable" for i in data["icons"])
    for icon in data["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200, icon["src"]
        body = b"".join(got.streaming_content) if got.streaming else got.content
        assert body.startswith(b"\x89PNG" if icon["type"] == "image/png" else b"<svg")


def test_manifest_link_only_on_the_familys_own_diary(
    family: Client, client_as: Any, patient: Patient
) -> None:
    html = family.get(diary_url(patient)).content.decode()
    assert 'rel="manifest" href="/family/manifest.webmanifest"' in html
    assert 'id="outbox"' in html and "web/outbox.js" in html
    nurse = client_as("nurse")
    for url in (diary_url(patient), reverse("patient_dashboard", args=[patient.pk])):
        page = nurse.get(url).content.decode()
        assert 'rel="manifest"' not in page and 'id="outbox"' not in page, url


# --------------------------------------------------------------------------- service worker


def _worker_config(text: str) -> dict[str, Any]:
    line = next(x for x in text.splitlines() if x.startswith("const CONFIG = "))
    config: dict[str, Any] = json.loads(line[len("const CONFIG = ") : -1])
    return config


def test_service_worker_scope_covers_the_diary_and_stores_only_the_shell(
    client: Client, patient: Patient
) -> None:
    response = client.get("/family/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-store"  # a new version is seen at once
    # served from /family/: its default scope covers /family/<pid>/ and no clinician page
    assert diary_url(patient).startswith("/family/")
    assert "Service-Worker-Allowed" not in response
    config = _worker_config(response.content.decode())
    assert config["scope"] == "/family/"
    assert config["cache"] == "spasmcare-family-" + config["version"]
    assert config["shell"] == "/family/offline/"
    assert set(config["precache"]) == {
        "/family/offline/",
        "/family/manifest.webmanifest",
        "/static/web/app.css",
        "/static/web/family.js",
        "/static/web/outbox.js",
        "/static/web/icons/diary.svg",
        "/static/web/icons/diary-192.png",
        "/static/web/icons/diary-512.png",
        "/static/web/icons/diary-maskable-512.png",
    }
    policy = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"


def test_cache_name_changes_with_what_it_stores(monkeypatch: Any, db: Any) -> None:
    offline_views.shell_version.cache_clear()
    before = offline_views.shell_version()
    source = offline_views._worker_source()
    monkeypatch.setattr(offline_views, "_worker_source", lambda: source + "\n// changed\n")
    offline_views.shell_version.cache_clear()
    try:
        assert offline_views.shell_version() != before
    finally:
        offline_views.shell_version.cache_clear()


def test_shell_holds_no_patient_user_or_token(
    family: Client, patient: Patient, users: dict[str, User]
) -> None:
    """The worker fetches the shell without cookies; even fetched signed in it shows no one."""
    for client in (Client(), family):
        response = client.get("/family/offline/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Cluster now" in html and 'id="outbox"' in html and 'data-shell="1"' in html
        assert patient.name not in html
        assert "csrfmiddlewaretoken" not in html
        assert "Sign out" not in html and users["family"].first_name not in html


# --------------------------------------------------------------------------- the outbox


def test_same_key_twice_writes_one_entry(family: Client, patient: Patient) -> None:
    sent_tap = tap(spasms=6)
    first = family.post(outbox_url(patient), sent_tap)
    assert first.status_code == 201
    again = family.post(outbox_url(patient), sent_tap)
    assert again.status_code == 200
    one, two = first.json(), again.json()
    assert one["replayed"] is False and two["replayed"] is True
    assert one["entry"] == two["entry"] and two["key"] == sent_tap["key"]
    entries = sent(patient, sent_tap["key"])
    assert len(entries) == 1
    entry = entries[0]
    assert entry.data == {
        "at": sent_tap["at"],
        "kind": "cluster",
        "spasms": 6,
        "observer": "mother",
    }
    assert Revision.objects.filter(entry=entry).count() == 1
    # the day it belongs to is marked observed, once
    assert len(live(patient, Kind.RECORDED_DAY, entry.day)) == 1


def test_replay_after_undo_returns_the_undone_entry_and_writes_nothing(
    family: Client, patient: Patient, users: dict[str, User]
) -> None:
    sent_tap = tap(spasms=1)
    entry = Entry.objects.get(pk=family.post(outbox_url(patient), sent_tap).json()["entry"])
    assert entry.data["kind"] == "single"
    audit.retract_entry(entry, entry.version, "entered by mistake", users["family"])
    count = Entry.objects.filter(patient=patient, kind=Kind.DIARY).count()
    again = family.post(outbox_url(patient), sent_tap)
    assert again.status_code == 200 and again.json()["undone"] is True
    assert Entry.objects.filter(patient=patient, kind=Kind.DIARY).count() == count


def test_each_childs_keys_are_their_own(
    users: dict[str, User], patient: Patient, other_team: CareTeam
) -> None:
    other = other_child(other_team)
    users["family"].children.add(other)
    c = Client()
    c.force_login(users["family"])
    key = str(uuid.uuid4())
    a = c.post(outbox_url(patient), tap(key=key, spasms=5))
    b = c.post(outbox_url(other), tap(key=key, spasms=7))
    assert a.status_code == 201 and b.status_code == 201
    assert a.json()["entry"] != b.json()["entry"] and b.json()["spasms"] == 7
    assert [e.data["spasms"] for e in sent(patient, key)] == [5]
    assert [e.data["spasms"] for e in sent(other, key)] == [7]


def test_another_familys_child_and_clinicians_are_refused(
    family: Client, client_as: Any, patient: Patient, other_team: CareTeam
) -> None:
    other = other_child(other_team)
    assert family.post(outbox_url(other), tap()).status_code == 404
    assert client_as("nurse").post(outbox_url(patient), tap()).status_code == 403
    assert Entry.objects.filter(kind=Kind.DIARY, extra__has_key="client_key").count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("key", "not-a-uuid"),
        ("key", ""),
        ("at", "2026-12-07 23:58"),
        ("at", "2026-02-30T10:00"),
        ("offset_min", "900"),
        ("offset_min", "5.5"),
        ("spasms", "0"),
        ("spasms", "many"),
    ],
)
def test_malformed_tap_is_a_400_naming_the_field(
    family: Client, patient: Patient, field: str, value: str
) -> None:
    before = Entry.objects.count()
    response = family.post(outbox_url(patient), tap() | {field: value})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == field
    assert response.json()["message"].startswith(f"{field}: ")
    assert Entry.objects.count() == before


def test_a_count_the_record_refuses_is_a_400_naming_spasms(
    family: Client, patient: Patient
) -> None:
    response = family.post(outbox_url(patient), tap(spasms=999_999))
    assert response.status_code == 400 and response.json()["error"]["field"] == "spasms"


def test_a_tap_in_the_future_is_refused(family: Client, patient: Patient) -> None:
    """A phone clock an hour ahead of the server's (same offset): refused, naming ``at``."""
    ahead = (phone_now(0) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = family.post(outbox_url(patient), tap(at=ahead, offset_min=0))
    assert response.status_code == 400 and response.json()["error"]["field"] == "at"
    assert "ahead" in response.json()["message"]


def test_a_local_day_after_the_clinics_today_waits_on_the_phone(
    family: Client, patient: Patient, settings: Any
) -> None:
    """Clinic at UTC-10 (Honolulu), phone at UTC+14 (Kiritimati): the phone's day is always
    the clinic's day + 1, so the tap waits (409) and nothing is written."""
    settings.TIME_ZONE = "Pacific/Honolulu"
    sent_tap = tap(offset_min=14 * 60)
    assert date.fromisoformat(sent_tap["at"][:10]) > records.today()
    before = Entry.objects.count()
    response = family.post(outbox_url(patient), sent_tap)
    assert response.status_code == 409 and response.json()["later"] is True
    assert Entry.objects.count() == before


@pytest.mark.parametrize(
    ("clinic_zone", "offset_min"),
    [("Pacific/Auckland", 5 * 60 + 30), ("Europe/London", -5 * 60)],
)
def test_a_tap_at_23_58_belongs_to_the_phones_local_day(
    family: Client, patient: Patient, settings: Any, clinic_zone: str, offset_min: int
) -> None:
    """A tap at 23:58 yesterday on a phone at UTC+05:30 is, for a clinic in Auckland (UTC+13
    in December), 07:28 of the next day; on a phone at UTC-05:00 it is 04:58 of the next day
    in London. Either way it is stored at 23:58 on the phone's day, and that day is observed."""
    settings.TIME_ZONE = clinic_zone
    phone_day = phone_now(offset_min).date() - timedelta(days=1)
    at = f"{phone_day.isoformat()}T23:58"
    instant = datetime.fromisoformat(at).replace(tzinfo=timezone(timedelta(minutes=offset_min)))
    assert instant.astimezone(ZoneInfo(clinic_zone)).date() == phone_day + timedelta(days=1)
    response = family.post(outbox_url(patient), tap(at=at, offset_min=offset_min, spasms=3))
    assert response.status_code == 201, response.content
    entry = Entry.objects.get(pk=response.json()["entry"])
    assert entry.day == phone_day and entry.data["at"] == at
    assert entry.extra["phone_offset_min"] == offset_min
    assert [e.day for e in live(patient, Kind.RECORDED_DAY, phone_day)] == [phone_day]
    assert live(patient, Kind.RECORDED_DAY, phone_day + timedelta(days=1)) == []


# --------------------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hostile_taps_are_refused_without_a_write_or_a_server_error(
    family: Client, patient: Patient, data: Any
) -> None:
    """Any value in any field: a 400 naming a field (nothing written), never a 500."""
    from tests.web.test_fuzz_forms import VALUE

    post = tap()
    for name in ("key", "at", "offset_min", "spasms"):
        if data.draw(st.booleans(), label=f"replace {name}"):
            post[name] = data.draw(VALUE, label=name)
    before = Entry.objects.count(), Revision.objects.count()
    response = family.post(outbox_url(patient), post)
    assert response.status_code in (200, 201, 400, 409), (post, response.status_code)
    if response.status_code == 400:
        assert response.json()["error"]["field"] in ("key", "at", "offset_min", "spasms")
        assert (Entry.objects.count(), Revision.objects.count()) == before, post


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    ago_min=st.integers(min_value=0, max_value=30 * 24 * 60),
    offset_min=st.integers(min_value=-12 * 60, max_value=14 * 60),
    spasms=st.integers(min_value=1, max_value=60),
    sends=st.integers(min_value=2, max_value=4),
)
def test_a_tap_sent_any_number_of_times_is_one_entry_on_the_phones_day(
    family: Client, patient: Patient, ago_min: int, offset_min: int, spasms: int, sends: int
) -> None:
    """Invariant: whatever the phone's offset and however often the same key is sent, at most
    one entry holds it, at the phone's wall time, on the phone's day; a day after the
    clinic's today waits (409)."""
    instant = datetime.now(UTC) - timedelta(minutes=ago_min)
    wall = instant.astimezone(timezone(timedelta(minutes=offset_min))).replace(tzinfo=None)
    sent_tap = tap(at=wall.strftime("%Y-%m-%dT%H:%M"), offset_min=offset_min, spasms=spasms)
    answers = [family.post(outbox_url(patient), sent_tap) for _ in range(sends)]
    first = answers[0]
    entries = sent(patient, sent_tap["key"])
    if wall.date() > records.today():
        assert {a.status_code for a in answers} == {409} and entries == []
        return
    if first.status_code == 400:  # the same time and count drawn before: the record's rule
        assert "already saved" in first.json()["error"]["accepted"] and entries == []
        return
    assert first.status_code == 201 and {a.status_code for a in answers[1:]} == {200}
    assert len({a.json()["entry"] for a in answers}) == 1
    assert len(entries) == 1
    assert entries[0].data["at"] == sent_tap["at"] and entries[0].day == wall.date()
