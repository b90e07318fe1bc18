"""The family diary without signal (issue 26), in a real browser: three clusters logged
offline are kept on the phone, the page says so, the shell is served offline, and back online
exactly three entries are stored, on the phone's local time, even when the outbox is sent
again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from spasmcare.web.models import Entry, Kind, Patient, User
from tests.web.browser.conftest import PHONE
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

#: The phone's time zone: 5 hours behind the clinic's (Europe/London in December).
PHONE_ZONE = "America/New_York"

OUTBOX_ITEMS = """() => new Promise((ok, fail) => {
  const open = indexedDB.open("spasmcare-family", 1);
  open.onerror = () => fail(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("outbox").objectStore("outbox").getAll();
    request.onsuccess = () => { open.result.close(); ok(request.result); };
    request.onerror = () => fail(request.error);
  };
})"""

PUT_BACK = """(items) => new Promise((ok, fail) => {
  const open = indexedDB.open("spasmcare-family", 1);
  open.onerror = () => fail(open.error);
  open.onsuccess = () => {
    const t = open.result.transaction("outbox", "readwrite");
    items.forEach((item) => t.objectStore("outbox").put(item));
    t.oncomplete = () => { open.result.close(); ok(items.length); };
    t.onerror = () => fail(t.error);
  };
})"""


def until(page: Any, expression: str, seconds: float = 15) -> None:
    """Wait until ``expression`` is true in the page (``wait_for_function`` evaluates a string,
    which the app's CSP rightly refuses)."""
    for _ in range(int(seconds * 5)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"still false after {seconds} s: {expression}")


def sent_entries(patient: Patient) -> list[Entry]:
    return list(
        Entry.objects.filter(
            patient=patient, kind=Kind.DIARY, extra__has_key="client_key"
        ).order_by("id")
    )


def log_cluster(page: Any, spasms: int) -> None:
    page.locator("#cluster summary").click()
    page.locator(f'.fam-countpad button[value="{spasms}"]').click()
    page.locator("#outbox").filter(has_text=f"a cluster of {spasms} spasms").wait_for()


def test_three_clusters_offline_are_stored_once_each_back_online(
    browser: Any, web: str, patient: Patient, users: dict[str, User], shot: Any
) -> None:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, timezone_id=PHONE_ZONE
    )
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.goto(f"{web}/login/")
        page.fill("#id_username", "family")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{web}/family/{patient.pk}/")
        assert page.locator('link[rel="manifest"]').count() == 1
        # the worker installs (the shell and its files stored) and takes over the page
        assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.state)") in (
            "activating",
            "activated",
        )
        until(page, "navigator.serviceWorker.controller !== null")

        context.set_offline(True)
        assert page.evaluate("navigator.onLine") is False
        for spasms in (3, 5, 7):
            log_cluster(page, spasms)
        status = page.locator("#outbox")
        assert "3 entries waiting to be sent" in status.inner_text()
        listed = status.locator("li").all_inner_texts()
        assert [t.split(": ", 1)[1] for t in listed] == [
            f"a cluster of {n} spasms" for n in (3, 5, 7)
        ]  # in the order tapped
        shot(page, "issue26-offline-three-waiting")
        assert sent_entries(patient) == []
        # a tap that needs the server is not lost silently: the page says it was not sent
        page.get_by_role("button", name="No spasms today").click()
        page.locator("#outbox").filter(has_text="No signal: this was not sent").wait_for()
        assert page.url == f"{web}/family/{patient.pk}/"
        assert "3 entries waiting to be sent" in status.inner_text()
        items = page.evaluate(OUTBOX_ITEMS)
        assert sorted(i["spasms"] for i in items) == [3, 5, 7]
        assert len({i["key"] for i in items}) == 3
        assert {i["offset_min"] for i in items} <= {-300, -240}  # New York: EST or EDT

        # the diary opened again without signal: the stored shell, the taps still waiting
        page.reload()
        page.locator("#outbox").filter(has_text="3 entries waiting to be sent").wait_for()
        assert "No signal" in page.inner_text("main")
        assert patient.name not in page.content()

        # back online: the shell opens the diary, which sends the outbox, then shows the entries
        context.set_offline(False)
        page.locator("#outbox").filter(has_text="3 entries were sent").wait_for()
        assert "waiting to be sent" not in page.locator("#outbox").inner_text()
        assert page.evaluate(OUTBOX_ITEMS) == []
        stored = sent_entries(patient)
        assert sorted(e.data["spasms"] for e in stored) == [3, 5, 7]
        assert {e.extra["client_key"] for e in stored} == {i["key"] for i in items}
        # each at the phone's local time (New York), not the clinic's (London)
        phone_now = datetime.now(UTC).astimezone(ZoneInfo(PHONE_ZONE)).replace(tzinfo=None)
        for e in stored:
            at = datetime.fromisoformat(e.data["at"])
            assert timedelta(0) <= phone_now - at < timedelta(minutes=5), e.data["at"]
            assert e.day == at.date()
        shot(page, "issue26-back-online-three-sent")

        # the same outbox sent a second time (a lost answer, another tab): nothing written twice
        page.evaluate(PUT_BACK, items)
        page.reload()
        page.locator("#outbox").filter(has_text="3 entries were sent").wait_for()
        assert page.evaluate(OUTBOX_ITEMS) == []
        assert [e.pk for e in sent_entries(patient)] == [e.pk for e in stored]
        assert (
            Entry.objects.filter(patient=patient, kind=Kind.DIARY).count()
            == len(
                Entry.objects.filter(patient=patient, kind=Kind.DIARY).exclude(
                    extra__has_key="client_key"
                )
            )
            + 3
        )
    finally:
        context.close()


def test_a_tap_at_23_58_on_the_phone_is_stored_on_the_phones_day(
    browser: Any, web: str, patient: Patient, users: dict[str, User], settings: Any
) -> None:
    """The phone at UTC+05:30 (Kolkata) shows 23:58 yesterday; the clinic is in Auckland
    (UTC+13 in December), where that moment is 07:28 today. The tap, kept offline and sent
    later, is stored at 23:58 on the phone's day, and that day is marked observed."""
    settings.TIME_ZONE = "Pacific/Auckland"
    zone = ZoneInfo("Asia/Kolkata")
    phone_day = datetime.now(UTC).astimezone(zone).date() - timedelta(days=1)
    at = datetime(phone_day.year, phone_day.month, phone_day.day, 23, 58, 30, tzinfo=zone)
    assert at.astimezone(ZoneInfo("Pacific/Auckland")).date() == phone_day + timedelta(days=1)
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, timezone_id="Asia/Kolkata"
    )
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.goto(f"{web}/login/")
        page.fill("#id_username", "family")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{web}/family/{patient.pk}/")
        page.clock.set_fixed_time(at)
        context.set_offline(True)
        log_cluster(page, 4)
        assert "23:58" in page.locator("#outbox").inner_text()
        context.set_offline(False)
        page.locator("#outbox").filter(has_text="1 entry was sent").wait_for()
    finally:
        context.close()
    (entry,) = sent_entries(patient)
    assert entry.data["at"] == f"{phone_day.isoformat()}T23:58"
    assert entry.day == phone_day
    assert entry.extra["phone_offset_min"] == 330
    observed = Entry.objects.filter(
        patient=patient, kind=Kind.RECORDED_DAY, retracted_at__isnull=True
    ).values_list("day", flat=True)
    assert phone_day in set(observed) and phone_day + timedelta(days=1) not in set(observed)


def test_a_new_worker_replaces_the_old_cache(
    browser: Any, web: str, patient: Patient, users: dict[str, User], monkeypatch: Any
) -> None:
    """When what the worker stores changes, the phone gets a new worker whose cache replaces
    the old one (no two versions of the shell side by side); it stores only the shell and its
    files, none of the diary pages visited."""
    from spasmcare.web.family import offline_views

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.goto(f"{web}/login/")
        page.fill("#id_username", "family")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{web}/family/{patient.pk}/")
        until(page, "navigator.serviceWorker.controller !== null")
        page.reload()  # a diary page through the worker: it must not be stored
        old = page.evaluate("caches.keys()")
        assert len(old) == 1 and old[0].startswith("spasmcare-family-")
        stored = page.evaluate(
            "(name) => caches.open(name).then((c) => c.keys())"
            ".then((r) => r.map((q) => new URL(q.url).pathname))",
            old[0],
        )
        assert f"/family/{patient.pk}/" not in stored and "/family/offline/" in stored
        assert all(
            p.startswith(("/static/web/", "/family/offline/", "/family/manifest")) for p in stored
        )

        source = offline_views._worker_source()
        monkeypatch.setattr(offline_views, "_worker_source", lambda: source + "\n// v2\n")
        offline_views.shell_version.cache_clear()
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        # the new worker installs and activates: one cache again, not the old one
        until(page, f"caches.keys().then((k) => k.length === 1 && k[0] !== '{old[0]}')")
        new = page.evaluate("caches.keys()")
        assert new == ["spasmcare-family-" + offline_views.shell_version()]
    finally:
        offline_views.shell_version.cache_clear()
        context.close()
