"""Issue 13 regressions: sign-in throttling that cannot lock people out, the login log,
passwords only ever set by their owner, revocable invitations, response headers, private files.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client, RequestFactory

from spasmcare.web.accounts.security import client_address
from spasmcare.web.base.files import make_private
from spasmcare.web.models import Invitation, LoginEvent, LoginFailure, Patient, User
from tests.web.conftest import PASSWORD


def _post(address: str, username: str, password: str, **extra: str) -> Any:
    return Client(REMOTE_ADDR=address, **extra).post(
        "/login/", {"username": username, "password": password}
    )


# --- lock-out that cannot be turned against users --------------------------------------------


def test_attack_from_elsewhere_does_not_lock_the_clinician_out(users: dict[str, User]) -> None:
    for n in range(12):
        _post("203.0.113.9", "neurologist", f"guess-{n}")
    # the attacker was checked 5 times, then made to wait
    assert LoginFailure.objects.filter(username="neurologist", address="203.0.113.9").count() == 5
    r = _post("203.0.113.9", "neurologist", PASSWORD)
    assert r.status_code == 200 and "Too many failed sign-ins" in r.content.decode()
    # the first wait is SPASMCARE_LOGIN_FIRST_WAIT_SECONDS (60), counted from the last failure
    assert re.search(r"Wait (5\d seconds|60 seconds|1 minute) ", r.content.decode())
    # the neurologist at their own desk signs in with the right password
    r = _post("10.1.2.3", "neurologist", PASSWORD)
    assert r.status_code == 302


def test_waits_double_with_each_further_failure(users: dict[str, User], settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    for n in range(5):
        _post("198.51.100.7", "nurse", f"guess-{n}")
    waits = []
    for _ in range(3):
        # let the current wait pass, fail once more, and read the next wait
        LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=9 * 60))
        r = _post("198.51.100.7", "nurse", "still-wrong")
        assert "not right" in r.content.decode()
        text = _post("198.51.100.7", "nurse", "again").content.decode()
        waits.append(int(re.search(r"Wait (\d+) minute", text).group(1)))  # type: ignore[union-attr]
    # 6th failure: wait 2 min, 7th: 4 min, 8th: 8 min (60 s doubled per failure)
    assert waits == [2, 4, 8]


def test_spraying_from_one_address_spares_people_who_signed_in_there(
    users: dict[str, User], settings: Any
) -> None:
    settings.SPASMCARE_LOGIN_ADDRESS_MAX_FAILURES = 10
    assert _post("10.9.9.9", "dietitian", PASSWORD).status_code == 302  # a regular here
    for n in range(10):
        _post("10.9.9.9", f"nobody{n}", "guess")
    r = _post("10.9.9.9", "nurse", PASSWORD)  # never signed in from here: waits
    assert "Too many failed sign-ins" in r.content.decode()
    assert _post("10.9.9.9", "dietitian", PASSWORD).status_code == 302


def test_forwarded_for_is_believed_only_from_trusted_proxies(settings: Any) -> None:
    rf = RequestFactory()
    forged = rf.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="10.0.0.5")
    settings.SPASMCARE_TRUSTED_PROXIES = ""
    assert client_address(forged) == "198.51.100.1"
    settings.SPASMCARE_TRUSTED_PROXIES = "127.0.0.1, 10.20.0.0/16"
    assert client_address(forged) == "198.51.100.1"  # not from the proxy
    proxied = rf.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44, 10.20.3.4"
    )
    # the client put 6.6.6.6 there itself; the proxy chain says 192.0.2.44
    assert client_address(proxied) == "192.0.2.44"
    broken = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(broken) == "127.0.0.1"


def test_clinic_behind_a_proxy_is_not_locked_out_together(
    users: dict[str, User], settings: Any
) -> None:
    settings.SPASMCARE_TRUSTED_PROXIES = "127.0.0.1"
    for n in range(12):
        _post("127.0.0.1", "nurse", f"guess-{n}", HTTP_X_FORWARDED_FOR="203.0.113.50")
    r = _post("127.0.0.1", "nurse", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert r.status_code == 302
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"203.0.113.50"}


def test_login_log_records_who_when_where_and_outcome(users: dict[str, User]) -> None:
    _post("192.0.2.1", "nurse", "wrong")
    _post("192.0.2.1", "nurse", PASSWORD)
    log = list(LoginEvent.objects.order_by("id").values_list("username", "address", "outcome"))
    assert log == [("nurse", "192.0.2.1", "wrong"), ("nurse", "192.0.2.1", "signed_in")]
    assert LoginEvent.objects.filter(user=users["nurse"]).count() == 2
    admin = Client()
    admin.force_login(users["admin"])
    page = admin.get("/admin/clinic/loginevent/")
    assert page.status_code == 200 and "192.0.2.1" in page.content.decode()
    nurse = Client()
    nurse.force_login(users["nurse"])
    assert nurse.get("/admin/clinic/loginevent/").status_code == 403


# --- passwords ---------------------------------------------------------------------------------


def test_admin_cannot_set_a_family_members_or_anyones_password(users: dict[str, User]) -> None:
    c = Client()
    c.force_login(users["admin"])
    family = users["family"]
    r = c.post(
        f"/admin/clinic/user/{family.pk}/password/",
        {"password1": "admin-knows-this-1", "password2": "admin-knows-this-1"},
    )
    assert r.status_code == 403
    assert c.post(f"/admin/clinic/user/{family.pk}/reset-link/").status_code == 403
    family.refresh_from_db()
    assert family.check_password(PASSWORD)
    nurse = users["nurse"]
    assert c.post(f"/admin/clinic/user/{nurse.pk}/password/", {}).status_code == 403


def _reset_link(users: dict[str, User], who: str) -> str:
    c = Client()
    c.force_login(users["admin"])
    page = c.post(f"/admin/clinic/user/{users[who].pk}/reset-link/").content.decode()
    match = re.search(r'http://testserver(/reset/[^"]+/)', page)
    assert match, page
    return match.group(1)


def test_reset_link_sets_a_password_by_the_rules_once(users: dict[str, User]) -> None:
    path = _reset_link(users, "nurse")
    c = Client()
    weak = c.post(path, {"new_password1": "1234567890", "new_password2": "1234567890"})
    assert weak.status_code == 200 and "entirely numeric" in weak.content.decode()
    assert users["nurse"].check_password(PASSWORD)
    new = "a-new-nurse-password-7"
    r = c.post(path, {"new_password1": new, "new_password2": new})
    assert r.status_code == 302
    nurse = User.objects.get(pk=users["nurse"].pk)
    assert nurse.check_password(new)
    assert c.get(path).status_code == 410  # once only
    assert LoginEvent.objects.filter(user=nurse, outcome="password_set").count() == 1


def test_password_change_checks_the_rules(users: dict[str, User]) -> None:
    c = Client()
    c.force_login(users["dietitian"])
    r = c.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "password12", "new_password2": "password12"},
    )
    assert r.status_code == 200 and "too common" in r.content.decode()
    new = "dietitian-new-pass-3"
    r = c.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert r.status_code == 302
    assert User.objects.get(username="dietitian").check_password(new)
    assert c.get("/patients/").status_code == 200  # still signed in


# --- invitations ------------------------------------------------------------------------------


def test_unused_invitation_can_be_listed_and_revoked(
    users: dict[str, User], patient: Patient
) -> None:
    nurse = Client()
    nurse.force_login(users["nurse"])
    page = nurse.post(f"/patients/{patient.pk}/invite/", {"relationship": "aunt"})
    link = re.search(r'http://testserver(/join/[^"]+/)', page.content.decode())
    assert link
    listing = nurse.get(f"/patients/{patient.pk}/invitations/").content.decode()
    assert "aunt" in listing and "open until" in listing
    inv = Invitation.objects.get()
    r = nurse.post(f"/patients/{patient.pk}/invitations/{inv.pk}/revoke/")
    assert r.status_code == 302
    assert "revoked by nurse" in nurse.get(f"/patients/{patient.pk}/invitations/").content.decode()
    stranger = Client()
    assert stranger.get(link.group(1)).status_code == 410
    r = stranger.post(
        link.group(1),
        {
            "first_name": "X",
            "username": "aunty",
            "password1": "a-long-password-55",
            "password2": "a-long-password-55",
        },
    )
    assert r.status_code == 410 and not User.objects.filter(username="aunty").exists()


# --- headers and files -------------------------------------------------------------------------


def test_patient_pages_are_not_cached_and_scripts_are_own_files(
    client_as: Any, patient: Patient
) -> None:
    c = client_as("neurologist")
    for url in (
        f"/patients/{patient.pk}/",
        f"/patients/{patient.pk}/record.json",
        f"/patients/{patient.pk}/chart/growth.svg",
        f"/patients/{patient.pk}/report/",
        "/cohort.csv",
        "/patients/",
    ):
        r = c.get(url)
        assert r.status_code == 200, url
        assert r["Cache-Control"] == "no-store", url
        csp = [d.strip() for d in r["Content-Security-Policy"].split(";")]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp


def test_no_template_has_inline_script_or_event_handlers() -> None:
    root = Path(__file__).resolve().parents[3] / "src" / "spasmcare" / "web"  # every room
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        for m in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in m.group(1):
                offenders.append(f"{path.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: event-handler attribute")
    assert not offenders


def test_hsts_includes_subdomains_when_https_is_on(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("SPASMCARE_")}
    env.pop("DATABASE_URL", None)
    env["SPASMCARE_DATA_DIR"] = str(tmp_path / "d")
    code = (
        "import json; from spasmcare.web import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [31536000, True]


def test_make_private_fixes_what_already_exists(tmp_path: Path) -> None:
    root = tmp_path / "data"
    (root / "uploads" / "videos" / "1").mkdir(parents=True)
    db = root / "spasmcare.sqlite3"
    db.write_text("x")
    clip = root / "uploads" / "videos" / "1" / "a.mp4"
    clip.write_text("v")
    for p, mode in ((root, 0o755), (db, 0o644), (clip, 0o644), (root / "uploads", 0o755)):
        p.chmod(mode)
    assert make_private(root) == 6
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(clip.stat().st_mode) == 0o600
    assert stat.S_IMODE(clip.parent.stat().st_mode) == 0o700
    assert make_private(root) == 0
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600


# --- the demo never touches a real clinic ------------------------------------------------------


def _clinic_db(path: Path, users: list[str], teams: list[str]) -> None:
    import sqlite3

    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE clinic_user (username TEXT)")
        con.execute("CREATE TABLE clinic_careteam (name TEXT)")
        con.executemany("INSERT INTO clinic_user VALUES (?)", [(u,) for u in users])
        con.executemany("INSERT INTO clinic_careteam VALUES (?)", [(t,) for t in teams])


def test_demo_refuses_a_data_directory_holding_a_real_clinic(
    tmp_path: Path, settings: Any
) -> None:
    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from spasmcare.web.management.commands.demo import not_demo
    from spasmcare.web.operations.demo import LOGINS, TEAM

    data = tmp_path / "clinic"
    (data / "uploads" / "videos" / "3").mkdir(parents=True)
    clip = data / "uploads" / "videos" / "3" / "k.mp4"
    clip.write_bytes(b"video")
    assert not_demo(data) == "it holds uploaded files but no demo clinic"
    db = data / "spasmcare.sqlite3"
    _clinic_db(db, ["dr.smith", *LOGINS], [TEAM])
    assert not_demo(data) == "it holds a clinic database that the demo did not make"
    (data / "demo-date").write_text("2026-12-01")  # even with a demo marker
    assert "1 account(s) and 0 care team(s)" in (not_demo(data) or "")
    settings.DATA_DIR = data
    with pytest.raises(CommandError) as err:
        call_command("demo", "--no-serve")
    assert "SPASMCARE_DATA_DIR=" in str(err.value) and str(data) in str(err.value)
    assert db.exists() and clip.read_bytes() == b"video"  # nothing touched
    # a directory holding only the demo, or nothing, is the demo's to rebuild
    only_demo = tmp_path / "demo"
    only_demo.mkdir()
    assert not_demo(only_demo) is None
    _clinic_db(only_demo / "spasmcare.sqlite3", list(LOGINS), [TEAM])
    (only_demo / "demo-date").write_text("2026-12-01")
    assert not_demo(only_demo) is None


def test_database_file_is_created_private(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    data = tmp_path / "d"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPASMCARE_")}
    env.pop("DATABASE_URL", None)
    env["SPASMCARE_DATA_DIR"] = str(data)
    # the app's entry points make the data directory ready (importing the settings does not)
    subprocess.run([sys.executable, "-m", "spasmcare.web", "check"], env=env, check=True)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700  # an existing 0755 directory is fixed
    assert stat.S_IMODE((data / "spasmcare.sqlite3").stat().st_mode) == 0o600


def test_bad_proxy_or_k_setting_is_named(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("SPASMCARE_")}
    env.pop("DATABASE_URL", None)
    env["SPASMCARE_DATA_DIR"] = str(tmp_path / "d")
    for name, value in (("SPASMCARE_TRUSTED_PROXIES", "10.0.0.1,proxy.local"),
                        ("SPASMCARE_COHORT_K", "0")):
        out = subprocess.run(
            [sys.executable, "-c", "import spasmcare.web.settings"],
            env=env | {name: value}, capture_output=True, text=True,
        )
        assert out.returncode != 0 and f"{name}: " in out.stderr, out.stderr[-300:]
