"""A busy clinic day: 50 signed-in people working at once on the demo clinic, writes included.

``python -m benchmarks clinic`` (options after ``--``, e.g.
``python -m benchmarks clinic -- --duration 20 --import-items 60000``), or
``python -m benchmarks.bench_clinic --help``.

Mix mode (default). Builds a throw-away data directory, loads the demo clinic (SQLite; or the
PostgreSQL database named by ``DATABASE_URL``, which is emptied first: give a scratch
database), adds one login per virtual user, starts the app as ``make demo`` serves it
(:func:`spasmcare.web.serving.gunicorn_argv`) on a free loopback port and runs, for
``--duration`` seconds, after signing everyone in:

- 30 families on phones: open their child's diary, log a cluster of spasms;
- 8 nurses: patient list, a dashboard, record a blood pressure;
- 6 neurologists: patient list, dashboards, the course planner, the timeline chart;
- 4 dietitians: the keto planner, then live re-solves of a meal (the page's JSON request);
- 1 researcher: the cohort page; 1 admin: the admin site and the clinic settings page.

Each user pauses a think time drawn uniformly from 0.5-2 s between requests (seeded). With
``--import-items N``, a record of about N items is imported beside the mix (through the app's
import, :func:`spasmcare.web.audit.import_record`, in its own process) and the family taps
made meanwhile are reported apart. Reported: requests, errors (5xx, refused or failed
writes, connection errors), p50/p95/p99 per page kind and across the mix.

Cohort mode (``--cohort 100,1000``): a database of that many patients (copies of the demo
infants, written in bulk), then, in one process, the cohort's cost cold (every patient's
summary computed), warm (stored summaries, as another worker sees them) and after one diary
write (one patient recomputed); and, served by gunicorn, the cohort page's latency for one
researcher while families keep writing.

Traffic goes to 127.0.0.1 only; every loop is bounded by the duration or a count.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
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
from urllib.parse import urlencode

from spasmcare.web.serving import gunicorn_argv

PASSWORD = "bench-password-2026"
#: (role, number of virtual users) of the mix.
MIX = (
    ("family", 30),
    ("nurse", 8),
    ("neurologist", 6),
    ("dietitian", 4),
    ("researcher", 1),
    ("admin", 1),
)
THINK_S = (0.5, 2.0)
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
django.setup()
from datetime import date
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
if connection.vendor != "sqlite":
    call_command("flush", interactive=False, verbosity=0)
from spasmcare.web import demo
from spasmcare.web.models import CareTeam, Kind, Patient, User
args = json.loads(sys.argv[1])
demo.load_demo_clinic(date.today(), args["password"], progress=lambda text: None)
team = CareTeam.objects.get(name=demo.TEAM)
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
            user.relationship = "mother"
            user.save()
            user.children.add(patients[i % len(patients)])
        if role == "admin":
            user.is_staff = user.is_superuser = True
            user.save()
keto = sorted(set(
    Patient.objects.filter(entries__kind=Kind.KETO_PLAN).values_list("pk", flat=True)))
# the stored summaries a clinic has from its previous day (checked once; today's are then
# recomputed from the stored items without the schema)
from spasmcare.web import summaries
summaries.stored(patients)
print(json.dumps({"patients": [p.pk for p in patients], "keto": keto}))
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
from spasmcare.web import audit, records
from spasmcare.web.models import CareTeam, Entry, Kind, Patient
from spasmcare.web.cohorts import build_cohort
args = json.loads(sys.argv[1])
checked_with = records.validator_fingerprint()  # copies of records the validator read whole
n = args["patients"]
today = date.today()
team = CareTeam.objects.create(name="Bench cohort")
templates = []
for infant in demo_clinic(today):
    rec = record_from_dict(infant.record, today=today)
    items = []
    for section, kind in records.KIND_OF_SECTION.items():
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
from spasmcare.web import audit, summaries
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
import sys, time
import django
django.setup()
from datetime import date
from spasmcare.web import audit
from spasmcare.web.models import Kind, Patient
patients = list(Patient.objects.order_by("pk")[:50])
for k in range(int(sys.argv[1])):
    day = {"date": date.today().isoformat()}
    try:
        audit.create_entry(patients[k % len(patients)], Kind.RECORDED_DAY, day, None)
    except Exception:
        pass  # a day already recorded for that patient: the next one
    time.sleep(2)
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = os.environ | {
        "SPASMCARE_DATA_DIR": str(data_dir),
        "SPASMCARE_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "spasmcare.web.settings",
    }
    return env


def _python(script: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, check=True, capture_output=True, text=True
    )
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

    def request(
        self, method: str, path: str, body: str | None = None, content_type: str | None = None
    ) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()  # an idle keep-alive connection closed by the server: reopen
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
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


#: Per family user, the number of taps made so far.
_TAPS: dict[int, Any] = {}

#: One step of a user: (page kind, method, path, body or None, expected statuses).
Step = tuple[str, str, str, Any, tuple[int, ...]]

BUTTER, EGG, STRAWBERRY, OLIVE_OIL = "01001", "01123", "09316", "04053"
KETO_CHILD = {
    "age_months": "10",
    "weight_kg": "7",
    "sex": "female",
    "diet": "classic",
    "ratio": "3",
}


def _steps(role: str, i: int, ids: dict[str, list[int]], rng: random.Random) -> list[Step]:
    patients = ids["patients"]
    pid = patients[i % len(patients)]
    if role == "family":
        # a different count each tap of the minute: the diary refuses the same author's same
        # cluster twice in one minute, and a refused tap must not pass for a write
        taps = _TAPS.setdefault(i, itertools.count())
        cluster = {"action": "cluster", "spasms": 2 + next(taps) % 40, "nonce": ""}
        return [
            ("family diary", "GET", f"/family/{pid}/", None, (200,)),
            ("family tap (write)", "FORM", f"/family/{pid}/log/", cluster, (302,)),
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
            ("patient list", "GET", "/patients/", None, (200,)),
            ("dashboard", "GET", f"/patients/{other}/", None, (200,)),
            ("nurse entry (write)", "FORM", f"/patients/{other}/add/vitals/", bp, (302,)),
        ]
    if role == "neurologist":
        other = patients[rng.randrange(len(patients))]
        return [
            ("patient list", "GET", "/patients/", None, (200,)),
            ("dashboard", "GET", f"/patients/{other}/", None, (200,)),
            ("course planner", "GET", f"/patients/{other}/course/", None, (200,)),
            ("chart", "GET", f"/patients/{other}/chart/timeline.png", None, (200,)),
        ]
    if role == "dietitian":
        keto = ids["keto"] or patients
        other = keto[i % len(keto)]
        from spasmcare.web.keto_forms import default_inputs

        foods = [BUTTER, EGG, STRAWBERRY] if rng.random() < 0.5 else [OLIVE_OIL, EGG, STRAWBERRY]
        body = {
            "prescription": default_inputs() | KETO_CHILD,
            "meal": {
                "index": 0,
                "items": [{"food": f, "grams": None, "locked": False} for f in foods],
            },
        }
        solve = ("keto re-solve", "JSON", f"/patients/{other}/keto/solve/", body, (200,))
        return [("keto planner", "GET", f"/patients/{other}/keto/", None, (200,)), solve, solve]
    if role == "researcher":
        return [("cohort", "GET", "/cohort/", None, (200,))]
    # the administrator manages accounts and settings, and sees no clinical page (issue 13)
    return [
        ("admin site", "GET", "/admin/", None, (200,)),
        ("clinic settings", "GET", "/clinic/", None, (200,)),
    ]


class Results:
    def __init__(self, measure_from: float = 0.0) -> None:
        self.measure_from = measure_from  # perf_counter time: earlier requests are warm-up
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: dict[str, str] = {}
        self.taps: list[tuple[float, float]] = []  # (start time, latency) of family writes

    def add(self, kind: str, t0: float, elapsed: float, ok: bool, why: str) -> None:
        if t0 < self.measure_from:
            if not ok:
                with self.lock:
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
    rng = random.Random(f"{SEED}-{role}-{i}")
    start.wait()
    time.sleep(rng.uniform(0, THINK_S[1]))  # stagger the first requests
    while time.monotonic() < deadline:
        for kind, method, path, body, expected in _steps(role, i, ids, rng):
            if time.monotonic() >= deadline:
                return
            t0 = time.perf_counter()
            try:
                if method == "FORM":
                    status, data = session.form(path, body)
                elif method == "JSON":
                    status, data = session.request(
                        "POST", path, json.dumps(body), "application/json"
                    )
                else:
                    status, data = session.request(method, path)
                ok, why = status in expected, f"HTTP {status}"
                if ok and kind.startswith("family tap") and not session.location.endswith("#last"):
                    ok, why = False, "tap not saved (the diary said why)"
                if ok and method == "JSON":
                    ok = json.loads(data).get("status") in ("solved", "verified", "infeasible")
                    why = "re-solve without a result"
            except (OSError, http.client.HTTPException, ValueError) as exc:
                ok, why = False, f"{type(exc).__name__}: {exc}"
            results.add(kind, t0, time.perf_counter() - t0, ok, why)
            time.sleep(rng.uniform(*THINK_S))


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
    """CPU seconds (user + system) used so far by the gunicorn master and its workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if server.pid in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


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
    for kind in sorted(results.latency):
        values = results.latency[kind]
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
        ids = _python(PREPARE, env, json.dumps({"password": PASSWORD, "mix": mix}))
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
        timer = threading.Timer(args.warmup, lambda: cpu.append(_server_cpu_s(server)))
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
        rows = _table(results)
        report: dict[str, Any] = {
            "database": database,
            "users": sum(c for _, c in mix),
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rows": rows,
            "error_samples": results.samples,
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

    def writer() -> None:
        subprocess.run([sys.executable, "-c", WRITER, str(count)], env=env, capture_output=True)

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
        "page_p50_ms": round(1000 * statistics.median(latencies), 1),
        "page_p95_ms": round(1000 * _pct(latencies, 95), 1),
        "page_max_ms": round(1000 * max(latencies), 1),
    }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_clinic", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load [60]")
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
    if args.cohort:
        result: Any = run_cohort(args)
    else:
        result = run_mix(args)
        _print_table(result["rows"])
        print(
            f"  server CPU over the measured {result['duration_s']} s: "
            f"{result['server_cpu_s']} s ({result['server_cpu_ms_per_request']} ms per request)"
        )
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
