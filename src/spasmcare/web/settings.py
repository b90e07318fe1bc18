"""Django settings for the spasmcare clinic app.

Everything a hospital changes comes from the environment; the defaults run the demo on one
machine with an embedded SQLite database under a data directory.

Environment
-----------
SPASMCARE_DATA_DIR      data directory (database, uploads, secret key) [default: ./var]
DATABASE_URL            e.g. ``postgres://user:pass@127.0.0.1:5432/spasmcare``; default SQLite
SPASMCARE_SECRET_KEY    session signing key; default: generated once into the data directory
                        when the app starts (never by importing these settings)
SPASMCARE_HTTPS         "1" (default) marks session and CSRF cookies Secure and sends HSTS;
                        "0" only for plain-HTTP loopback use (``make demo``, tests)
SPASMCARE_ALLOWED_HOSTS comma-separated host names [default: 127.0.0.1,localhost]
SPASMCARE_ALERTS        clinic alert thresholds as JSON (see ``SPASMCARE_ALERTS`` below)
SPASMCARE_PROTOCOLS_DIR the clinic's protocol copies and confirmations [default: DATA_DIR/protocols]
SPASMCARE_DEBUG         "1" for Django's debug pages (never with real patients)
SPASMCARE_TRUSTED_PROXIES comma-separated addresses or networks of the clinic's own reverse
                        proxy; only requests from these have X-Forwarded-For believed
                        [default: none]
SPASMCARE_COHORT_K      k of k-anonymity for the cohort page and CSV [default: 5]
SPASMCARE_PATHWAY_GUIDELINE the clinic's guideline for first-line proposals (nice-ng217,
                        aan-cns, japan) [default: unset, every guideline's proposal shown]
SPASMCARE_PATHWAY_RULES_DIR the clinic's copies of the first-line rule table [default: bundled]
SPASMCARE_PYRIDOXINE_TRIAL "1" when the clinic's work-up uses a pyridoxine trial [default: 0]
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from spasmcare.web.base import datadir

BASE_DIR = Path(__file__).resolve().parent
#: The app's rooms, bottom floor first (docs/ARCHITECTURE.md): each imports only from the ones
#: before it.
ROOMS = (
    "base",
    "clinic",
    "accounts",
    "keto",
    "courses",
    "family",
    "patients",
    "research",
    "interop",
    "operations",
)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


#: Named only: the entry points create it (:func:`spasmcare.web.base.datadir.prepare`).
DATA_DIR = datadir.location()


SECRET_KEY = datadir.read_secret_key(DATA_DIR)
DEBUG = _flag("SPASMCARE_DEBUG", False)
HTTPS = _flag("SPASMCARE_HTTPS", True)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SPASMCARE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "spasmcare.web.apps.ClinicConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "spasmcare.web.accounts.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "spasmcare.web.accounts.body_limit.BodyLimitMiddleware",  # before anything reads a body (CSRF)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "spasmcare.web.accounts.access.AccessMiddleware",
    # after the access check: the family's own language on family pages only
    "spasmcare.web.accounts.languages.FamilyLanguageMiddleware",
    "spasmcare.web.base.bad_input.BadInputMiddleware",
    "spasmcare.web.clinic.writes.WritesMiddleware",
]

ROOT_URLCONF = "spasmcare.web.urls"
WSGI_APPLICATION = "spasmcare.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # each room's own templates (names stay "web/..."); web/templates holds the shared layout
        "DIRS": [BASE_DIR / room / "templates" for room in ROOMS],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "spasmcare.web.accounts.access.role_context",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / datadir.SQLITE_FILE}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the family's phone write while a clinician reads; wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # one connection per server thread, kept between requests (issue 21): opening one costs
    # each request the connection, Django's SQL functions and the PRAGMAs: 0.94 ms of CPU for a
    # first query against 0.13 ms on a kept connection (docs/BENCHMARKS.md)
    DATABASES["default"]["CONN_MAX_AGE"] = 600

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "clinic.User"
# Django's model backend, its read of the signed-in user compiled once (issue 21)
AUTHENTICATION_BACKENDS = ["spasmcare.web.accounts.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
#: The languages of the family pages (code, name in that language): the family chooses one at
#: joining and on their account page; a second language is a catalogue
#: (``web/locale/<code>/LC_MESSAGES/django.po``, found as the app's own locale directory) and a
#: line here, not code. Clinicians' pages stay in LANGUAGE_CODE
#: (``spasmcare.web.accounts.languages``).
LANGUAGES = [
    ("en-gb", "English"),
    ("es", "Español"),
    ("ar", "العربية"),
]
TIME_ZONE = os.environ.get("SPASMCARE_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
MEDIA_ROOT = DATA_DIR / "uploads"  # never served directly: videos go through an access check

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "spasmcare",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # each worker's memory in front of the shared computed views (spasmcare.web.clinic.computed):
    # values are keyed by what they were computed from, so they never expire; 256 entries
    # (a report or chart is 0.05-0.2 MB) is a software setting
    "computed": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "spasmcare-computed",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 256},
    },
}

# --- security ---------------------------------------------------------------------------
SESSION_ENGINE = "spasmcare.web.accounts.sessions"  # database sessions, read compiled once
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600  # a clinic shift; families stay signed in via "remember me"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

#: Upload limits for diary videos (software settings, not clinical numbers).
SPASMCARE_VIDEO_MAX_BYTES = int(os.environ.get("SPASMCARE_VIDEO_MAX_BYTES", 100 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
#: Request bodies are bounded before they are read (spasmcare.web.accounts.body_limit), all software
#: settings [bytes]: a record or FHIR Bundle file for import; room for a file form's other
#: fields and multipart boundaries; any other request (a form post).
SPASMCARE_IMPORT_MAX_BYTES = int(os.environ.get("SPASMCARE_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
SPASMCARE_FORM_OVERHEAD_BYTES = 64 * 1024
SPASMCARE_REQUEST_MAX_BYTES = int(
    os.environ.get("SPASMCARE_REQUEST_MAX_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE)
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

#: Login throttling (software settings; ``spasmcare.web.accounts.security.login_wait_seconds``):
#: this
#: many failures per (user name, client address) within the window are free, then attempts
#: wait FIRST_WAIT, doubling with each failure up to MAX_WAIT. ADDRESS_MAX_FAILURES over all
#: user names from one address starts the same wait, except for people who have signed in
#: from that address before.
SPASMCARE_LOGIN_MAX_FAILURES = 5
SPASMCARE_LOGIN_WINDOW_SECONDS = 15 * 60
SPASMCARE_LOGIN_FIRST_WAIT_SECONDS = 60
SPASMCARE_LOGIN_MAX_WAIT_SECONDS = 15 * 60
SPASMCARE_LOGIN_ADDRESS_MAX_FAILURES = 100
SPASMCARE_TRUSTED_PROXIES = os.environ.get("SPASMCARE_TRUSTED_PROXIES", "")
for _proxy in filter(None, (p.strip() for p in SPASMCARE_TRUSTED_PROXIES.split(","))):
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"SPASMCARE_TRUSTED_PROXIES: {_proxy!r} is not accepted; give IP addresses or "
            "networks (e.g. 127.0.0.1,10.0.0.0/8), separated by commas"
        ) from None
#: One-time password links (set by an administrator for a staff account) stay valid this long.
SPASMCARE_RESET_LINK_HOURS = 24

#: Clinic alert settings (spasmcare.measures.alerts.AlertSettings fields) as JSON, e.g.
#: SPASMCARE_ALERTS='{"bp_systolic_high_mmhg": 110}'. Thresholds the reference does not give
#: (infant blood pressure) stay unset, and the app says so, until a clinic sets them.
SPASMCARE_ALERTS = json.loads(os.environ.get("SPASMCARE_ALERTS", "{}"))

#: The clinic's protocols directory: its protocol copies and the confirmations of details the
#: sources leave open (the "Protocol details" page, or ``spasmcare therapy confirm``). Default:
#: ``protocols`` in the data directory, created private; while it holds no file the bundled
#: protocols are used as they are.
SPASMCARE_PROTOCOLS_DIR: str | Path
if _protocols_env := os.environ.get("SPASMCARE_PROTOCOLS_DIR"):
    SPASMCARE_PROTOCOLS_DIR = _protocols_env
else:
    SPASMCARE_PROTOCOLS_DIR = DATA_DIR / "protocols"

#: k of k-anonymity for the cohort page and CSV (spasmcare.measures.deid; software setting).
_k = os.environ.get("SPASMCARE_COHORT_K", "5").strip()
if not _k.isdigit() or int(_k) < 1:
    raise ImproperlyConfigured(
        f"SPASMCARE_COHORT_K: {_k!r} is not accepted; a whole number of patients, 1 or more"
    )
SPASMCARE_COHORT_K = int(_k)

#: Family invitation links stay valid this long (software setting).
SPASMCARE_INVITATION_DAYS = 7

# --- logging: no health data -------------------------------------------------------------
# Requests are logged by path and status only; request bodies, query strings and form values
# never reach a log. Patient pages are addressed by an internal number, not a name.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_health_data": {"()": "spasmcare.web.base.logfilter.NoHealthData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["no_health_data"],
        }
    },
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "spasmcare": {"handlers": ["console"], "level": "INFO"},
    },
}

# --- care pathway (issue 23) ---------------------------------------------------------------
#: The clinic's chosen guideline for first-line proposals (a key of the rule table's
#: ``guidelines``: nice-ng217, aan-cns, japan). Unset: the dashboard shows the proposal of
#: every guideline of the table, each with its source (no guideline is chosen for the clinic).
SPASMCARE_PATHWAY_GUIDELINE = os.environ.get("SPASMCARE_PATHWAY_GUIDELINE", "").strip() or None
#: The clinic's copies of the first-line rule table [default: the bundled table].
SPASMCARE_PATHWAY_RULES_DIR = os.environ.get("SPASMCARE_PATHWAY_RULES_DIR", "").strip() or None
#: "1" when the clinic uses a pyridoxine trial in the work-up (no source sets it for every
#: child: off by default, spasmcare.measures.workup).
SPASMCARE_PYRIDOXINE_TRIAL = os.environ.get("SPASMCARE_PYRIDOXINE_TRIAL", "0").strip() == "1"
