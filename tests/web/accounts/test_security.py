"""Sign-in limits, CSRF, cookies, family invitations and keeping health data out of logs."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

from spasmcare.web.base.logfilter import NoHealthData
from spasmcare.web.clinic import audit, uploads
from spasmcare.web.keto import views as keto_views
from spasmcare.web.models import Entry, Invitation, Kind, LoginFailure, Patient, User
from tests.web.conftest import PASSWORD


def test_login_is_rate_limited(users: dict[str, User]) -> None:
    c = Client()
    for _ in range(settings.SPASMCARE_LOGIN_MAX_FAILURES):
        r = c.post("/login/", {"username": "nurse", "password": "wrong"})
        assert "not right" in r.content.decode()
    assert LoginFailure.objects.filter(username="nurse").count() == 5
    # now even the right password is refused until the window has passed
    r = c.post("/login/", {"username": "nurse", "password": PASSWORD})
    assert r.status_code == 200 and "Too many failed sign-ins" in r.content.decode()
    # another user is not locked by the nurse's failures
    r = c.post("/login/", {"username": "dietitian", "password": PASSWORD})
    assert r.status_code == 302


def test_successful_login_lands_by_role(users: dict[str, User]) -> None:
    for role, target in (
        ("nurse", "/patients/"),
        ("family", "/family/"),
        ("researcher", "/cohort/"),
    ):
        c = Client()
        r = c.post("/login/", {"username": role, "password": PASSWORD}, follow=False)
        assert r.status_code == 302
        assert c.get("/").headers["Location"] == target


def test_login_does_not_redirect_off_site(users: dict[str, User]) -> None:
    c = Client()
    r = c.post("/login/?next=https://evil.example/", {"username": "nurse", "password": PASSWORD})
    assert r.headers["Location"] == "/"


def test_csrf_is_enforced(users: dict[str, User], patient: Patient) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["nurse"])
    r = c.post(f"/patients/{patient.pk}/add/growth/", {"date": "2026-11-01", "weight_kg": "7"})
    assert r.status_code == 403


def test_cookie_settings_default_to_secure() -> None:
    # SPASMCARE_HTTPS defaults to on; the demo and tests on plain loopback HTTP switch it off
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_SECURE == settings.HTTPS
    # Django's own salted, iterated hasher stores new passwords (see test_passwords_are_hashed)
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def test_passwords_are_hashed(users: dict[str, User]) -> None:
    stored = User.objects.get(username="nurse").password
    assert PASSWORD not in stored and stored.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt"))


def test_family_joins_by_invitation(client_as: Any, patient: Patient) -> None:
    page = (
        client_as("nurse")
        .post(f"/patients/{patient.pk}/invite/", {"relationship": "grandmother"})
        .content.decode()
    )
    link = re.search(r'value="(http://testserver/join/[^"]+)"', page)
    assert link is not None
    path = link.group(1).removeprefix("http://testserver")
    token = path.rstrip("/").split("/")[-1]
    # only a hash of the token is stored
    assert not Invitation.objects.filter(token_hash=token).exists()
    family = Client()
    assert family.get(path).status_code == 200
    weak = family.post(
        path, {"first_name": "Gran", "username": "gran", "password1": "123", "password2": "123"}
    )
    assert weak.status_code == 200 and not User.objects.filter(username="gran").exists()
    r = family.post(
        path,
        {
            "first_name": "Gran",
            "username": "gran",
            "password1": "tulips-in-april-2026",
            "password2": "tulips-in-april-2026",
        },
    )
    assert r.status_code == 302 and r.headers["Location"] == f"/family/{patient.pk}/"
    gran = User.objects.get(username="gran")
    assert gran.role == "family" and list(gran.children.all()) == [patient]
    assert gran.relationship == "grandmother"
    # the link works once
    assert Client().get(path).status_code == 410


def test_log_filter_drops_request_bodies_and_queries() -> None:
    class FakeRequest:
        method = "POST"
        path = "/family/3/log/"
        POST = {"note": "baby had a seizure with fever"}

    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s?note=%s",
        ("/family/3/log/", "fever"),
        None,
    )
    record.request = FakeRequest()
    assert NoHealthData().filter(record)
    text = record.getMessage()
    assert "fever" not in text and record.request is None
    assert text == "POST /family/3/log/ failed"


def test_server_error_log_has_no_form_values(
    client_as: Any, patient: Patient, monkeypatch: Any
) -> None:
    """A failure while saving a diary note: the configured log handler prints a line naming
    the method and path, and never the note."""
    from spasmcare.web.clinic import audit

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(audit, "create_entry", boom)
    c = client_as("nurse")
    c.raise_request_exception = False
    handler = logging.getLogger("django.request").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    out = io.StringIO()
    previous = handler.setStream(out)
    try:
        r = c.post(
            f"/patients/{patient.pk}/add/diary/?note=unique-query-xyz",
            {
                "at": "2026-11-01T10:00",
                "entry_kind": "cluster",
                "spasms": "4",
                "note": "unique-health-note-xyz",
            },
        )
    finally:
        handler.setStream(previous)
    assert r.status_code == 500
    logged = out.getvalue()
    assert f"POST /patients/{patient.pk}/add/diary/ failed" in logged
    assert "unique-health-note-xyz" not in logged and "unique-query-xyz" not in logged
    assert "simulated failure" not in logged  # no traceback text either


def test_admin_manages_staff_but_cannot_create_family_logins(client_as: Any) -> None:
    c = client_as("admin")
    assert c.get("/admin/clinic/user/").status_code == 200
    r = c.post("/admin/clinic/user/add/", {"username": "newnurse", "role": "nurse"})
    # the account is made without a password; the administrator is shown a one-time link
    assert r.status_code == 200 and "/reset/" in r.content.decode()
    made = User.objects.get(username="newnurse")
    assert made.role == "nurse" and not made.has_usable_password()
    r = c.post("/admin/clinic/user/add/", {"username": "someparent", "role": "family"})
    assert r.status_code == 200 and "invitation link" in r.content.decode()
    assert not User.objects.filter(username="someparent").exists()
    # clinical entries are not shown at all
    assert c.get("/admin/clinic/entry/add/").status_code == 404


# --- review before release ----------------------------------------------------------------------


def test_login_attempts_sent_at_once_cannot_pass_the_limit(users: dict[str, User]) -> None:
    """Attempts arriving while earlier ones are still checking the password (parallel
    requests) used to all see no failures yet: each is now counted before the check. The
    overlap is made real by sending the next attempt from Django's own ``user_login_failed``
    signal, i.e. while the previous attempt is still inside ``authenticate``."""
    from django.contrib.auth.signals import user_login_failed

    checked: list[str] = []

    def next_attempt_meanwhile(sender: Any, credentials: Any, **kwargs: Any) -> None:
        checked.append(credentials["username"])
        if len(checked) < 12:
            Client().post("/login/", {"username": "nurse", "password": f"guess-{len(checked)}"})

    user_login_failed.connect(next_attempt_meanwhile)
    try:
        Client().post("/login/", {"username": "nurse", "password": "guess-0"})
    finally:
        user_login_failed.disconnect(next_attempt_meanwhile)
    assert len(checked) == settings.SPASMCARE_LOGIN_MAX_FAILURES == 5
    assert LoginFailure.objects.filter(username="nurse").count() == 5
    # locked: the right password is refused, and a refused attempt does not extend the count
    r = Client().post("/login/", {"username": "NURSE", "password": PASSWORD})
    assert "Too many failed sign-ins" in r.content.decode()
    assert LoginFailure.objects.filter(username="nurse").count() == 5


def test_login_failure_and_success_counts(users: dict[str, User]) -> None:
    c = Client()
    c.post("/login/", {"username": "Nurse", "password": "wrong"})
    assert LoginFailure.objects.filter(username="nurse").count() == 1
    r = c.post("/login/", {"username": "nurse", "password": PASSWORD})
    assert r.status_code == 302
    assert not LoginFailure.objects.filter(username="nurse").exists()


def test_two_first_keto_saves_at_once_make_one_plan(
    client_as: Any, patient: Patient, users: dict[str, User], monkeypatch: Any
) -> None:
    """Two dietitians save a first plan at the same moment: the second used to find no plan
    (read before its transaction) and create a second one. The other save is made to land
    between that read and the write, as it would from another request."""
    from tests.web.keto.test_keto import _save

    real = keto_views.plan_data

    def other_save_lands_meanwhile(plan: Any) -> Any:
        data = real(plan)
        if not Entry.objects.filter(patient=patient, kind=Kind.KETO_PLAN).exists():
            audit.create_entry(patient, Kind.KETO_PLAN, data, users["admin"])
        return data

    monkeypatch.setattr(keto_views, "plan_data", other_save_lands_meanwhile)
    response = _save(client_as("dietitian"), patient, version=0)
    assert response.status_code == 409
    assert "Nothing was saved" in response.content.decode()
    plans = Entry.objects.filter(patient=patient, kind=Kind.KETO_PLAN)
    assert plans.count() == 1 and plans.get().created_by == users["admin"]


def test_default_hosts_and_private_data_directory(tmp_path: Path) -> None:
    """Without configuration only loopback names are allowed hosts (not Django's test host);
    importing the settings creates nothing, and the data directory the app's entry point makes
    (database, uploads, secret key) is private to the app's user."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPASMCARE_")}
    env.pop("DATABASE_URL", None)
    env["SPASMCARE_DATA_DIR"] = str(tmp_path / "data")
    code = (
        "import json; from spasmcare.web import settings as s; "
        "print(json.dumps([s.ALLOWED_HOSTS, s.DEBUG, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [["127.0.0.1", "localhost"], False, True, True]
    assert not (tmp_path / "data").exists()  # importing the settings creates nothing
    # the app's entry points make the data directory ready, private to the app's user
    subprocess.run(
        [sys.executable, "-m", "spasmcare.web", "check"], env=env, capture_output=True, check=True
    )
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data" / "secret_key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data" / "spasmcare.sqlite3").stat().st_mode) == 0o600


def test_video_directories_are_private(patient: Patient, users: dict[str, User]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08mdat"
    video = uploads.store_video(
        patient, SimpleUploadedFile("clip.mp4", head + bytes(64)), users["family"]
    )
    stored = Path(video.file.path)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
