"""Sign-in limits, CSRF, cookies, family invitations and keeping health data out of logs."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from django.conf import settings
from django.test import Client

from spasmcare.web.logfilter import NoHealthData
from spasmcare.web.models import Invitation, LoginFailure, Patient, User
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
    assert (
        settings.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher") or settings.PASSWORD_HASHERS
    )


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
    from spasmcare.web import audit

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
    r = c.post(
        "/admin/clinic/user/add/",
        {"username": "newnurse", "password": "a-first-password-9", "role": "nurse"},
    )
    assert r.status_code == 302 and User.objects.get(username="newnurse").role == "nurse"
    r = c.post(
        "/admin/clinic/user/add/",
        {"username": "someparent", "password": "a-first-password-9", "role": "family"},
    )
    assert r.status_code == 200 and "invitation link" in r.content.decode()
    assert not User.objects.filter(username="someparent").exists()
    # clinical entries are shown read-only
    assert c.get("/admin/clinic/entry/add/").status_code == 403
