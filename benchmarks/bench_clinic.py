"""A busy clinic day: 50 signed-in people working at once on the demo clinic, writes included.

``python -m benchmarks clinic [options]``, e.g. ``python -m benchmarks clinic --duration 30``;
``python -m benchmarks clinic --help`` lists the options.

Mix mode (default). Builds a throw-away data directory, loads the demo clinic (SQLite; or the
PostgreSQL database named by ``DATABASE_URL``, which is emptied first: give a scratch
database) with more fictional infants so every family has its own child, adds one login per
virtual user, starts the app as ``make demo`` serves it
(:func:`spasmcare.web.base.serving.gunicorn_argv`) on a free loopback port and runs, after signing
everyone in, ``--warmup`` seconds not measured then ``--duration`` seconds measured:

- 30 families on phones: log a cluster of spasms, then the diary the tap returns to;
- 8 nurses: patient list, a dashboard, record a blood pressure, then the dashboard it returns to;
- 7 neurologists: patient list, a dashboard, the timeline chart, the course planner, the report;
- 1 dietitian: the keto planner, then live re-solves of a meal (the page's JSON request);
- 3 researchers: the cohort page; 1 admin: the admin site and the clinic settings page.

(Issue 21's clinic day of 18 families, 5 nurses, 5 neurologists and 2 researchers, scaled to
50, with a dietitian and an admin.) Each user pauses a think time drawn uniformly from 0.5-2 s
between requests (seeded); the page a write redirects to is loaded at once, as a browser does,
so a family logs a cluster every 0.5-2 s plus two responses.

Every failure is counted: a 5xx or any unexpected status, a refused or unsaved write, a
re-solve without a result, a connection error (a request is sent once: a dropped connection is
an error, never re-sent, so no POST is written twice), a user thread that dies; failures
during the warm-up are reported apart. Printed beside the results: a CPU calibration figure
(:func:`calibrate`) and the server's CPU seconds per measured request (every process of the
server, from ``/proc``). With ``--import-items N``, a record of about N items is imported
beside the mix (through the app's import, :func:`spasmcare.web.clinic.audit.import_record`, in its
own process) and the family taps made meanwhile are reported apart.

Cohort mode (``--cohort 100,1000``): a database of that many patients (copies of the demo
infants, written in bulk), then, in one process, the cohort's cost cold (every patient's
summary computed), warm (stored summaries, as another worker sees them) and after one diary
write (one patient recomputed); and, served by gunicorn, the cohort page's latency for one
researcher while a writer adds a diary cluster every 2 s (failed writes counted).

Traffic goes to 127.0.0.1 only; every loop is bounded by the duration or a count.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import random
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from spasmcare.web.base import datadir
from spasmcare.web.base.serving import gunicorn_argv

PASSWORD = "bench-password-2026"
#: (role, number of virtual users) of the mix.
#: Issue 21's clinic day (18 families, 5 nurses, 5 neurologists, 2 researchers of 30) scaled
#: to 50, with one dietitian (keto planner and re-solves) and one admin, whom the clinic also has.
MIX = (
    ("family", 30),
    ("nurse", 8),
    ("neurologist", 7),
    ("dietitian", 1),
    ("researcher", 3),
    ("admin", 1),
)
THINK_S = (0.5, 2.0)
#: A keep-alive connection idle longer than this is not reused (gunicorn's keep-alive is 2 s).
REUSE_IDLE_S = 1.0
#: The chart the neurologists open (the timeline image the dashboard shows).
CHART = "timeline.svg"
SEED = 20261202


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


# --- preparing the database ----------------------------------------------------------------

PREPARE = r"""
import json, sys
import django
from spasmcare.web.base import datadir
datadir.prepare()  # the settings only name the data folder; entry points make it
django.setup()
from datetime import date
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
if connection.vendor != "sqlite":
    call_command("flush", interactive=False, verbosity=0)
from spasmcare.demo import demo_clinic
from spasmcare.web.clinic import audit
from spasmcare.web.operations import demo
from spasmcare.web.models import CareTeam, Kind, Patient, User
args = json.loads(sys.argv[1])
demo.load_demo_clinic(date.today(), args["password"], progress=lambda text: None)
team = CareTeam.objects.get(name=demo.TEAM)
# one child per family (more fictional infants, other seeds): a family logging every few
# seconds stays within the record's plausible spasms per day, and two families never share
# a child (the same observer's same count in the same minute is one observation)
families = dict(args["mix"]).get("family", 0)
seed = 2027
while Patient.objects.count() < families:
    for infant in demo_clinic(date.today(), seed=seed):
        if Patient.objects.count() >= families:
            break
        infant.record["patient"]["id"] += f"-{seed}"
        patient = audit.import_record(infant.record, team, None)
        for hook in demo.AFTER_IMPORT:
            hook(patient, infant, User.objects.get(username="neurologist"))
    seed += 1
patients = list(Patient.objects.filter(retracted_at__isnull=True).order_by("pk"))
hashed = make_password(args["password"])  # one hash for all: creating 50 is not the benchmark
users = {}
for role, count in args["mix"]:
    for i in range(count):
        name = f"{role}{i:02d}"
        user = User.objects.create(username=name, role=role, password=hashed, first_name=name)
        if role in ("neurologist", "dietitian", "nurse"):
            user.teams.add(team)
        if role == "family":
            user.relationship = ("mother", "father", "grandmother")[i // len(patients) % 3]
            user.save()
            user.children.add(patients[i % len(patients)])
        if role == "admin":
            user.is_staff = user.is_superuser = True
            user.save()
keto = sorted(set(
    Patient.objects.filter(entries__kind=Kind.KETO_PLAN).values_list("pk", flat=True)))
# the stored summaries a clinic has from its previous day (checked once; today's are then
# recomputed from the stored items without the schema)
from spasmcare.web.patients import summaries
summaries.stored(patients)
# the keto planner's starting values, made here where the app's settings are loaded (the
# users' threads only speak HTTP)
from spasmcare.web.keto.forms import default_inputs
print(json.dumps(
    {"patients": [p.pk for p in patients], "keto": keto, "keto_inputs": default_inputs()},
    default=str,
))
"""

COHORT = r"""
import json, sys, time
import django
django.setup()
from datetime import date
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", verbosity=0)
if connection.vendor != "sqlite":
    call_command("flush", interactive=False, verbosity=0)
from spasmcare.record import record_from_dict
from spasmcare.demo import demo_clinic
from spasmcare.web.clinic import audit, record_rows, records
from spasmcare.web.models import CareTeam, Entry, Kind, Patient
from spasmcare.web.research.cohorts import build_cohort
args = json.loads(sys.argv[1])
checked_with = records.validator_fingerprint()  # copies of records the validator read whole
n = args["patients"]
today = date.today()
team = CareTeam.objects.create(name="Bench cohort")
templates = []
for infant in demo_clinic(today):
    rec = record_from_dict(infant.record, today=today)
    items = []
    for section, kind in record_rows.KIND_OF_SECTION.items():
        found = infant.record.get(section, [])
        if kind == "recorded_day":
            found = [{"date": d.isoformat()} for d in sorted(rec.recorded_days)]
        items += [(kind, item, records.item_day(kind, item)) for item in found]
    templates.append((infant.record["patient"], infant.record.get("etiology", {}), items))
t0 = time.perf_counter()
for start in range(0, n, 200):
    with transaction.atomic():
        made = Patient.objects.bulk_create([
            Patient(
                record_id=f"{templates[i % len(templates)][0]['id']}-{i}",
                name=f"Bench infant {i} (fictional)",
                birth_date=date.fromisoformat(templates[i % len(templates)][0]["birth_date"]),
                sex=templates[i % len(templates)][0]["sex"],
                gestation_weeks=templates[i % len(templates)][0].get("gestation_weeks", 40),
                gestation_days=templates[i % len(templates)][0].get("gestation_days", 0),
                onset_date=(date.fromisoformat(templates[i % len(templates)][0]["onset_date"])
                            if templates[i % len(templates)][0].get("onset_date") else None),
                etiology_category=templates[i % len(templates)][1].get("category", "unknown"),
                team=team,
                checked_version=1,
                checked_with=checked_with,
            )
            for i in range(start, min(n, start + 200))
        ])
        rows = []
        for i, p in zip(range(start, min(n, start + 200)), made):
            for kind, item, day in templates[i % len(templates)][2]:
                rows.append(Entry(patient=p, kind=kind, day=day, data=item))
        Entry.objects.bulk_create(rows, batch_size=2000)
built = time.perf_counter() - t0
out = {"patients": n, "entries": Entry.objects.count(), "build_s": built}
cache.clear()
t = time.perf_counter(); c = build_cohort(today); out["cold_s"] = time.perf_counter() - t
out["rows"] = len(c["rows"]); out["unreadable"] = len(c["unreadable"])
warm = []
for _ in range(3):
    cache.clear()
    t = time.perf_counter(); build_cohort(today); warm.append(time.perf_counter() - t)
out["warm_s"] = statistics_median = sorted(warm)[1]
one = Patient.objects.order_by("pk").first()
audit.create_entry(one, Kind.RECORDED_DAY, {"date": today.isoformat()}, None)
cache.clear()
t = time.perf_counter(); build_cohort(today); out["after_write_s"] = time.perf_counter() - t
print(json.dumps(out))
"""

BIG_IMPORT = r"""
import json, sys, time
import django
django.setup()
from datetime import date, timedelta
from spasmcare.demo import long_record
from spasmcare.web.clinic import audit
from spasmcare.web.patients import summaries
from spasmcare.web.models import CareTeam
n = int(sys.argv[1])
today = date.today()
data = long_record(today).record
data["patient"] = dict(data["patient"], id="bench-import", name="Bench import (fictional)")
days = sorted({d for d in (date.fromisoformat(x["at"][:10]) for x in data["diary"])})
other = sum(len(v) for k, v in data.items() if isinstance(v, list) and k != "diary")
per_day = max(1, (n - other) // max(1, len(days)))
data["diary"] = [
    {"at": f"{d.isoformat()}T{(k * 1440 // per_day) // 60:02d}:{(k * 1440 // per_day) % 60:02d}",
     "kind": "single", "spasms": 1}
    for d in days for k in range(per_day)
]
items = sum(len(v) for v in data.values() if isinstance(v, list))
size = len(json.dumps(data))
team = CareTeam.objects.first()
t = time.perf_counter()
audit.import_record(data, team, None, prepare=summaries.compute_one)  # as the import page does
print(json.dumps({"items": items, "bytes": size, "import_s": time.perf_counter() - t}))
"""


RESEARCHER = r"""
import sys
import django
django.setup()
from django.contrib.auth.hashers import make_password
from spasmcare.web.models import User
User.objects.create(username="researcher00", role="researcher", password=make_password(sys.argv[1]))
print("{}")
"""

WRITER = r"""
import json, sys, time
import django
django.setup()
from datetime import datetime
from spasmcare.web.clinic import audit
from spasmcare.web.models import Kind, Patient
patients = list(Patient.objects.order_by("pk")[:50])
failed, first = 0, None
for k in range(int(sys.argv[1])):
    # a diary cluster no patient has yet (its own count), so every write must be saved
    item = {"at": datetime.now().strftime("%Y-%m-%dT%H:%M"), "kind": "cluster",
            "spasms": 2 + k, "observer": "bench writer"}
    try:
        audit.create_entry(patients[k % len(patients)], Kind.DIARY, item, None)
    except Exception as exc:  # counted and reported: never passed over
        failed += 1
        first = first or f"{type(exc).__name__}: {exc}"
    time.sleep(2)
print(json.dumps({"writes": int(sys.argv[1]), "failed": failed, "first_failure": first}))
"""


def _env(data_dir: Path) -> dict[str, str]:
    """The environment of the app's processes on ``data_dir``, which is made ready here as the
    app's entry points make theirs (the settings create nothing; the scripts below set Django up
    themselves, so they share the one secret key written here)."""
    datadir.prepare(data_dir)
    env = os.environ | {
        "SPASMCARE_DATA_DIR": str(data_dir),
        "SPASMCARE_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "spasmcare.web.settings",
    }
    return env


def prepare_clinic(env: dict[str, str], mix: list[tuple[str, int]]) -> dict[str, Any]:
    """Build the demo clinic and the logins of ``mix`` in the data folder of ``env`` (see
    :data:`PREPARE`); return its ids (``patients``, ...)."""
    return _python(PREPARE, env, json.dumps({"password": PASSWORD, "mix": mix}))


def _python(script: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:  # say why: the script's own last lines
        raise RuntimeError("a benchmark's data preparation failed:\n" + done.stderr[-2000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the virtual users --------------------------------------------------------------------


class Session:
    """One signed-in browser-like client over a keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.location = ""  # the Location header of the last response (where a form went)
        self.used = time.monotonic()  # when the connection last carried a response

    def request(
        self, method: str, path: str, body: str | None = None, content_type: str | None = None
    ) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if _closed_by_server(self.conn) or time.monotonic() - self.used > REUSE_IDLE_S:
            # a new connection instead of one the server closed, or may close while the request
            # is on its way (gunicorn closes a keep-alive connection idle for 2 s)
            self.conn.close()
        # sent once: a connection dropped after this is the request's error, never re-sent
        # (a POST sent again could be written twice)
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        self.used = time.monotonic()
        self.location = response.getheader("Location") or ""
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def form(self, path: str, fields: dict[str, Any]) -> tuple[int, bytes]:
        token = self.cookies.get("csrftoken", "")
        return self.request("POST", path, urlencode({"csrfmiddlewaretoken": token} | fields))

    def login(self, username: str) -> None:
        self.request("GET", "/login/")
        status, _ = self.form("/login/", {"username": username, "password": PASSWORD})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: {status}")


def _closed_by_server(conn: http.client.HTTPConnection) -> bool:
    """Whether an idle keep-alive connection was closed by the server (readable with nothing
    pending means end of file), checked *before* a request is sent."""
    sock = conn.sock
    if sock is None:
        return False
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


#: One step of a user: (page kind, method, path, body or None, expected statuses, and the
#: page kind of the page its redirect leads to, which a browser loads at once, or None).
Step = tuple[str, str, str, Any, tuple[int, ...], str | None]


class Taps:
    """A family's spasm counts: each tap the smallest count this user has not logged in the
    minute(s) the server may stamp it with, so the diary never refuses a tap as "the same
    cluster twice" (a refused tap is an error) and the day's total stays plausible."""

    def __init__(self) -> None:
        self.used: list[tuple[int, int, int]] = []  # (first, last possible minute, count)

    def next(self, now: float) -> int:
        first, last = int(now // 60), int((now + 10) // 60)  # a tap may take up to 10 s
        self.used = [u for u in self.used if u[1] >= first]
        taken = {c for a, b, c in self.used if a <= last and b >= first}
        count = next(c for c in itertools.count(2) if c not in taken)
        self.used.append((first, last, count))
        return count


# hard-boiled egg: a raw egg is refused for an infant (NHS weaning guidance; issue 19)
BUTTER, EGG, STRAWBERRY, OLIVE_OIL = "01001", "01129", "09316", "04053"
KETO_CHILD = {
    "age_months": "10",
    "weight_kg": "7",
    "sex": "female",
    "diet": "classic",
    "ratio": "3",
}


def _steps(
    role: str, i: int, ids: dict[str, list[int]], rng: random.Random, taps: Taps
) -> list[Step]:
    patients = ids["patients"]
    pid = patients[i % len(patients)]
    if role == "family":
        # a cluster every think time; the tap's redirect (the diary) is loaded at once
        count = taps.next(time.time())
        cluster = {"action": "cluster", "spasms": count, "nonce": f"bench-{i}-{time.time_ns()}"}
        return [
            ("family tap (write)", "FORM", f"/family/{pid}/log/", cluster, (302,), "family diary")
        ]
    if role == "nurse":
        bp = {
            "at": time.strftime("%Y-%m-%dT%H:%M"),
            "systolic_mmhg": rng.randint(80, 100),
            "diastolic_mmhg": rng.randint(45, 60),
            "heart_rate_bpm": rng.randint(110, 140),
        }
        other = patients[rng.randrange(len(patients))]
        return [
            ("patient list", "GET", "/patients/", None, (200,), None),
            ("dashboard", "GET", f"/patients/{other}/", None, (200,), None),
            (
                "nurse entry (write)",
                "FORM",
                f"/patients/{other}/add/vitals/",
                bp,
                (302,),
                "dashboard after a write",
            ),
        ]
    if role == "neurologist":
        other = patients[rng.randrange(len(patients))]
        return [
            ("patient list", "GET", "/patients/", None, (200,), None),
            ("dashboard", "GET", f"/patients/{other}/", None, (200,), None),
            ("timeline chart", "GET", f"/patients/{other}/chart/{CHART}", None, (200,), None),
            ("course planner", "GET", f"/patients/{other}/course/", None, (200,), None),
            ("report page", "GET", f"/patients/{other}/report/", None, (200,), None),
        ]
    if role == "dietitian":
        keto = ids["keto"] or patients
        other = keto[i % len(keto)]
        foods = [BUTTER, EGG, STRAWBERRY] if rng.random() < 0.5 else [OLIVE_OIL, EGG, STRAWBERRY]
        body = {
            "prescription": ids["keto_inputs"] | KETO_CHILD,
            "meal": {
                "index": 0,
                "items": [{"food": f, "grams": None, "locked": False} for f in foods],
            },
        }
        solve = ("keto re-solve", "JSON", f"/patients/{other}/keto/solve/", body, (200,), None)
        planner = ("keto planner", "GET", f"/patients/{other}/keto/", None, (200,), None)
        return [planner, solve, solve]
    if role == "researcher":
        return [("cohort", "GET", "/cohort/", None, (200,), None)]
    # the administrator manages accounts and settings, and sees no clinical page (issue 13)
    return [
        ("admin site", "GET", "/admin/", None, (200,), None),
        ("clinic settings", "GET", "/clinic/", None, (200,), None),
    ]


class Results:
    def __init__(self, measure_from: float = 0.0) -> None:
        self.measure_from = measure_from  # perf_counter time: earlier requests are warm-up
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: dict[str, str] = {}
        self.taps: list[tuple[float, float]] = []  # (start time, latency) of family writes
        self.dead: dict[str, int] = defaultdict(int)  # user threads that died, by role
        self.warmup_errors = 0  # failures during the warm-up (reported apart, not hidden)

    def died(self, role: str, why: str) -> None:
        """A user's thread ended on an exception: counted as an error, whenever it happened."""
        with self.lock:
            self.dead[role] += 1
            self.errors["user died"] += 1
            self.samples.setdefault("user died", f"{role}: {why}")

    def add(self, kind: str, t0: float, elapsed: float, ok: bool, why: str) -> None:
        if t0 < self.measure_from:
            if not ok:
                with self.lock:
                    self.warmup_errors += 1
                    self.samples.setdefault(f"{kind} (warm-up)", why)
            return
        with self.lock:
            self.latency[kind].append(elapsed)
            if kind.startswith("family tap"):
                self.taps.append((t0, elapsed))
            if not ok:
                self.errors[kind] += 1
                self.samples.setdefault(kind, why)


def _user(
    role: str,
    i: int,
    session: Session,
    ids: dict[str, list[int]],
    deadline: float,
    results: Results,
    start: threading.Barrier,
) -> None:
    """One virtual user's loop; a thread that dies is counted (an error of ``user died``)."""
    try:
        start.wait()
        _work(role, i, session, ids, deadline, results)
    except BaseException as exc:
        results.died(role, f"{type(exc).__name__}: {exc}")


def _work(
    role: str,
    i: int,
    session: Session,
    ids: dict[str, list[int]],
    deadline: float,
    results: Results,
) -> None:
    rng = random.Random(f"{SEED}-{role}-{i}")
    taps = Taps()
    time.sleep(rng.uniform(0, THINK_S[1]))  # stagger the first requests
    while time.monotonic() < deadline:
        for kind, method, path, body, expected, follow in _steps(role, i, ids, rng, taps):
            if time.monotonic() >= deadline:
                return
            ok = _one(session, results, kind, method, path, body, expected)
            if ok and follow:  # the page the write leads to, loaded at once as a browser does
                target = urlsplit(session.location)
                _one(
                    session,
                    results,
                    follow,
                    "GET",
                    target.path + (f"?{target.query}" if target.query else ""),
                    None,
                    (200,),
                )
            time.sleep(rng.uniform(*THINK_S))


def _one(
    session: Session,
    results: Results,
    kind: str,
    method: str,
    path: str,
    body: Any,
    expected: tuple[int, ...],
) -> bool:
    """Make one request, record its latency and whether it did what it should."""
    t0 = time.perf_counter()
    try:
        if method == "FORM":
            status, data = session.form(path, body)
        elif method == "JSON":
            status, data = session.request("POST", path, json.dumps(body), "application/json")
        else:
            status, data = session.request(method, path)
        ok, why = status in expected, f"HTTP {status}"
        if ok and kind.startswith("family tap") and not session.location.endswith("#last"):
            ok, why = False, "tap not saved (the diary said why)"
        if ok and method == "JSON":
            ok = json.loads(data).get("status") in ("solved", "verified", "infeasible")
            why = "re-solve without a result"
    except (OSError, http.client.HTTPException, ValueError) as exc:
        session.conn.close()  # a broken connection is not reused; the next request opens one
        ok, why = False, f"{type(exc).__name__}: {exc}"
    results.add(kind, t0, time.perf_counter() - t0, ok, why)
    return ok


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(gunicorn_argv("127.0.0.1", port), env=env, start_new_session=True)
    for _ in range(1200):  # workers warm up before they accept: allow 120 s on a busy machine
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the app did not start")


def _server_cpu_s(server: subprocess.Popen[bytes]) -> float:
    """CPU seconds (user + system) used so far by the server: the gunicorn master and every
    process under it, with the CPU of those already ended and reaped (their parents' children
    times), from ``/proc/<pid>/stat``."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, list[str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            stats[int(stat.parent.name)] = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
    tree, grew = {server.pid}, True
    while grew:
        more = {pid for pid, f in stats.items() if int(f[1]) in tree} - tree
        tree |= more
        grew = bool(more)
    # fields after the name: state, ppid, ... utime (11), stime (12), cutime (13), cstime (14)
    return sum(sum(int(x) for x in stats[pid][11:15]) for pid in tree if pid in stats) / ticks


#: Iterations of :func:`calibrate`'s loop.
CALIBRATION_LOOPS = 3_000_000


def calibrate() -> float:
    """Milliseconds this machine's Python takes for a fixed pure-Python loop (the best of 3),
    printed beside the results so runs on different machines can be compared."""
    best = math.inf
    for _ in range(3):
        t = time.perf_counter()
        total = 0
        for k in range(CALIBRATION_LOOPS):
            total += k % 7 * k
        best = min(best, time.perf_counter() - t)
    assert total > 0
    return round(1000 * best, 1)


def _stop(server: subprocess.Popen[bytes] | None) -> None:
    if server is not None and server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _table(results: Results) -> list[dict[str, Any]]:
    rows = []
    every: list[float] = []
    for kind in sorted(set(results.latency) | set(results.errors)):
        values = results.latency.get(kind, [])
        every += values
        rows.append(_row(kind, values, results.errors[kind]))
    rows.append(_row("whole mix", every, sum(results.errors.values())))
    return rows


def _row(kind: str, values: list[float], errors: int) -> dict[str, Any]:
    return {
        "page": kind,
        "requests": len(values),
        "errors": errors,
        "p50_ms": round(1000 * statistics.median(values), 1) if values else None,
        "p95_ms": round(1000 * _pct(values, 95), 1) if values else None,
        "p99_ms": round(1000 * _pct(values, 99), 1) if values else None,
        "max_ms": round(1000 * max(values), 1) if values else None,
    }


def _print_table(rows: list[dict[str, Any]]) -> None:
    print("  | page | requests | errors | p50 | p95 | p99 | max |")
    print("  |---|---|---|---|---|---|---|")
    for r in rows:
        cells = [
            f"{r[k]:.0f} ms" if r[k] is not None else "—"
            for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")
        ]
        print(f"  | {r['page']} | {r['requests']} | {r['errors']} | " + " | ".join(cells) + " |")


def run_mix(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="spasmcare-clinic-"))
    env = _env(data_dir)
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    mix = [(role, max(0, round(count * args.users / 50))) for role, count in MIX]
    server = None
    importer: subprocess.Popen[str] | None = None
    try:
        t = time.perf_counter()
        ids = prepare_clinic(env, mix)
        print(
            f"  {database}: demo clinic of {len(ids['patients'])} infants and "
            f"{sum(c for _, c in mix)} logins ready in {time.perf_counter() - t:.0f} s",
            flush=True,
        )
        port = args.port or _free_port()
        t = time.perf_counter()
        server = _serve(env, port)
        print(
            f"  app accepting connections {time.perf_counter() - t:.1f} s after launch", flush=True
        )
        probe = Session(port)
        t = time.perf_counter()
        probe.login("admin00" if any(r == "admin" and c for r, c in mix) else "nurse00")
        print(
            f"  first sign-in after start-up: {1000 * (time.perf_counter() - t):.0f} ms", flush=True
        )
        sessions = []
        for role, count in mix:
            for i in range(count):
                s = Session(port)
                s.login(f"{role}{i:02d}")
                sessions.append((role, i, s))
        results = Results(time.perf_counter() + args.warmup)
        start = threading.Barrier(len(sessions) + 1)
        began = time.monotonic()
        deadline = began + args.warmup + args.duration
        threads = [
            threading.Thread(target=_user, args=(role, i, s, ids, deadline, results, start))
            for role, i, s in sessions
        ]
        for th in threads:
            th.start()
        start.wait()
        cpu: list[float] = []
        at: list[float] = []
        timer = threading.Timer(
            args.warmup, lambda: (at.append(time.perf_counter()), cpu.append(_server_cpu_s(server)))
        )
        timer.start()
        window: tuple[float, float] | None = None
        imported: dict[str, Any] | None = None
        if args.import_items:
            time.sleep(args.warmup + min(5.0, args.duration / 4))
            w0 = time.perf_counter()
            importer = subprocess.Popen(
                [sys.executable, "-c", BIG_IMPORT, str(args.import_items)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            out, err = importer.communicate(timeout=args.duration * 20 + 600)
            window = (w0, time.perf_counter())
            imported = (
                json.loads(out.strip().splitlines()[-1])
                if importer.returncode == 0
                else {"error": err[-500:]}
            )
        for th in threads:
            th.join()
        timer.join()
        cpu.append(_server_cpu_s(server))
        at.append(time.perf_counter())
        rows = _table(results)
        report: dict[str, Any] = {
            "database": database,
            "users": sum(c for _, c in mix),
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "measured_s": round(at[-1] - at[0], 1),
            "rows": rows,
            "error_samples": results.samples,
            "warmup_errors": results.warmup_errors,
            "users_died": dict(results.dead),
            # of the 2 cores' capacity over the measured window, and per measured request
            "server_cpu_s": round(cpu[-1] - cpu[0], 1),
            "server_cpu_ms_per_request": round(
                1000 * (cpu[-1] - cpu[0]) / max(1, rows[-1]["requests"]), 1
            ),
        }
        if window is not None:
            during = [lat for t0, lat in results.taps if window[0] <= t0 <= window[1]]
            report["import"] = imported
            report["taps_during_import"] = _row("family taps during the import", during, 0)
        return report
    finally:
        if importer is not None and importer.poll() is None:
            importer.kill()
        _stop(server)
        shutil.rmtree(data_dir, ignore_errors=True)


def run_cohort(args: argparse.Namespace) -> list[dict[str, Any]]:
    out = []
    for n in args.cohort:
        data_dir = Path(tempfile.mkdtemp(prefix="spasmcare-cohort-"))
        env = _env(data_dir)
        server = None
        try:
            found = _python(COHORT, env, json.dumps({"patients": n}))
            if args.cohort_requests:
                port = args.port or _free_port()
                server = _serve(env, port)
                found |= _cohort_page(port, env, args.cohort_requests)
            print(f"  {json.dumps(found)}", flush=True)
            out.append(found)
        finally:
            _stop(server)
            shutil.rmtree(data_dir, ignore_errors=True)
    return out


def _cohort_page(port: int, env: dict[str, str], count: int) -> dict[str, Any]:
    """The cohort page for one researcher while one writer adds a diary day every 2 s."""
    _python(RESEARCHER, env, PASSWORD)
    researcher = Session(port)
    researcher.login("researcher00")

    written: dict[str, Any] = {}

    def writer() -> None:
        try:
            written.update(_python(WRITER, env, str(count)))
        except Exception as exc:  # the writer process failed: every write counts as failed
            written.update(writes=count, failed=count, first_failure=f"{type(exc).__name__}")

    th = threading.Thread(target=writer)
    th.start()
    latencies = []
    errors = 0
    for _ in range(count):
        t0 = time.perf_counter()
        status, _ = researcher.request("GET", "/cohort/")
        latencies.append(time.perf_counter() - t0)
        errors += status != 200
        time.sleep(1.0)
    th.join()
    return {
        "page_requests": len(latencies),
        "page_errors": errors,
        "writes": written.get("writes", 0),
        "writes_failed": written.get("failed", 0),
        "first_failed_write": written.get("first_failure"),
        "page_p50_ms": round(1000 * statistics.median(latencies), 1),
        "page_p95_ms": round(1000 * _pct(latencies, 95), 1),
        "page_max_ms": round(1000 * max(latencies), 1),
    }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks clinic", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=60.0,
        help="seconds of load measured, after the warm-up [60]",
    )
    parser.add_argument(
        "--warmup", type=float, default=10.0, help="seconds of the mix run first, not measured [10]"
    )
    parser.add_argument("--users", type=int, default=50, help="virtual users, mix scaled [50]")
    parser.add_argument(
        "--import-items",
        type=int,
        default=0,
        help="import a record of about N items beside the mix",
    )
    parser.add_argument(
        "--cohort",
        type=lambda text: [int(x) for x in text.split(",") if x],
        default=None,
        help="cohort scaling mode: patient counts, e.g. 100,1000,10000",
    )
    parser.add_argument(
        "--cohort-requests", type=int, default=20, help="cohort page views per size (0: none) [20]"
    )
    parser.add_argument("--port", type=int, default=0, help="loopback port [a free one]")
    parser.add_argument(
        "--json", action="store_true", help="print the results as one JSON document"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run with ``argv`` (none: the defaults, as ``python -m benchmarks`` runs every module)."""
    args = parse(argv or [])
    calibration_ms = calibrate()  # before the server starts, so nothing competes with it
    print(
        f"  CPU calibration: {calibration_ms} ms for {CALIBRATION_LOOPS:,} turns of a fixed "
        "pure-Python loop (best of 3; lower is a faster machine)",
        flush=True,
    )
    if args.cohort:
        result: Any = run_cohort(args)
    else:
        result = run_mix(args)
        result["calibration_ms"] = calibration_ms
        _print_table(result["rows"])
        print(
            f"  server CPU over the measured {result['measured_s']} s (warm-up of "
            f"{result['warmup_s']:g} s not counted; workers and the processes they ended "
            f"included): {result['server_cpu_s']} s = {result['server_cpu_ms_per_request']} ms "
            f"per request; CPU calibration {calibration_ms} ms"
        )
        print(f"  failures during the warm-up (not in the table): {result['warmup_errors']}")
        if "import" in result:
            print(f"  import beside the mix: {result['import']}")
            print(f"  family taps during the import: {result['taps_during_import']}")
        for kind, why in result["error_samples"].items():
            print(f"  first error of {kind}: {why}")
    if args.json:
        print(json.dumps(result))


RUNNERS: dict[str, Callable[..., Any]] = {"mix": run_mix, "cohort": run_cohort}

if __name__ == "__main__":
    main(sys.argv[1:])
