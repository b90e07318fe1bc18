"""The family diary on a phone without signal (issue 26): installable, its shell offline, and
the taps kept on the phone while offline sent back.

- :func:`manifest`: the web app manifest (``application/manifest+json``) that makes the diary
  installable: start at the family's diary (``/family/``), the app's own icons and colour.
- :func:`service_worker`: ``/family/sw.js``; served under ``/family/`` its scope is the family's
  pages and nothing else (no ``Service-Worker-Allowed`` header needed), so no clinician page is
  ever controlled by it. It stores only the data-free shell and the static files the shell
  needs (never a response of a patient's page or data) in a cache named by a hash of exactly
  those files, so a change to any of them is a new worker that replaces the old cache.
- :func:`offline_shell`: the diary's shell served by the worker when a family page cannot be
  reached: the "Cluster now" buttons writing to the phone's outbox. It shows no patient, no
  user and no form token, and needs no sign-in.
- :func:`outbox`: a tap from the phone's outbox, written once per key
  (:mod:`spasmcare.web.family.outbox`). JSON answers: 201 written, 200 stored before (a
  replay), 400 refused (the field, the value and what is accepted), 409 to be sent later.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog

from spasmcare.errors import InputError
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic.forms import error_text
from spasmcare.web.family import outbox as taps
from spasmcare.web.family.forms import COUNT_BUTTONS, MORE_FROM

#: The app's colour (``--accent`` of ``web/app.css``) and the page background.
THEME_COLOUR = "#1f5fae"
BACKGROUND_COLOUR = "#f6f7fa"
#: Static files the shell needs offline (relative to the static root).
SHELL_STATIC = (
    "web/app.css",
    "web/family.js",
    "web/outbox.js",
    "web/icons/diary.svg",
    "web/icons/diary-192.png",
    "web/icons/diary-512.png",
    "web/icons/diary-maskable-512.png",
)
SHELL_TEMPLATE = "web/family/offline.html"
CACHE_PREFIX = "spasmcare-family-"
SCOPE = "/family/"


def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest of the family diary."""
    icon = "web/icons/"
    data = {
        "name": "spasmcare diary",
        "short_name": "Diary",
        "description": "Log spasms, today's medicines and feeds, with or without signal.",
        "id": reverse("family_home"),
        "start_url": reverse("family_home"),
        "scope": SCOPE,
        "display": "standalone",
        "orientation": "portrait",
        "lang": "en-GB",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(icon + "diary.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static(icon + "diary-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static(icon + "diary-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static(icon + "diary-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


def _worker_source() -> str:
    return (resources.files("spasmcare.web.family") / "service_worker.js").read_text("utf-8")


@lru_cache(maxsize=1)
def shell_version() -> str:
    """A hash of everything the worker stores (the shell's template, its static files) and of
    the worker itself: the cache's name, so any change replaces the cache."""
    digest = hashlib.sha256(_worker_source().encode())
    template = get_template(SHELL_TEMPLATE)
    origin = getattr(getattr(template, "origin", None), "name", None)
    if origin:
        digest.update(open(origin, "rb").read())
    for name in SHELL_STATIC:
        found = finders.find(name)
        path = found[0] if isinstance(found, list) else found
        digest.update(name.encode())
        if path:
            digest.update(open(path, "rb").read())
    return digest.hexdigest()[:16]


def worker_config() -> dict[str, object]:
    version = shell_version()
    shell = reverse("family_offline")
    return {
        "version": version,
        "cache": f"{CACHE_PREFIX}{version}",
        "prefix": CACHE_PREFIX,
        "scope": SCOPE,
        "shell": shell,
        "precache": [shell, reverse("family_manifest")] + [static(n) for n in SHELL_STATIC],
    }


def service_worker(request: HttpRequest) -> HttpResponse:
    """The family diary's service worker, with the list of what it stores and its version."""
    source = _worker_source().replace("__CONFIG__", json.dumps(worker_config()), 1)
    return HttpResponse(source, content_type="text/javascript; charset=utf-8")


def offline_shell(request: HttpRequest) -> HttpResponse:
    """The diary's shell: the log buttons writing to the phone's outbox, no patient data."""
    return render(request, SHELL_TEMPLATE, {"counts": COUNT_BUTTONS, "more_from": MORE_FROM})


def _refused(exc: InputError) -> JsonResponse:
    return JsonResponse(
        {
            "error": {"field": exc.field, "value": exc.value, "accepted": exc.accepted},
            "message": error_text(exc),
        },
        status=400,
    )


@require_POST
def outbox(request: HttpRequest, pid: int) -> JsonResponse:
    """One tap sent from the phone's outbox: written once per key."""
    patient = _patient(request)
    try:
        tap = taps.parse_tap(request.POST)
        entry, replayed = taps.save_tap(patient, _user(request), tap)
    except InputError as exc:
        return _refused(exc)
    except taps.NotYet as exc:
        return JsonResponse({"later": True, "message": str(exc)}, status=409)
    return JsonResponse(taps.answer(entry, replayed), status=200 if replayed else 201)


#: The outbox's words per language, as Django's JavaScript catalogue renders them: the
#: catalogues change only with the installed code, and the diary asks for them on every load.
_CATALOGUE = JavaScriptCatalog.as_view(packages=["spasmcare.web"])
_WORDS: dict[str, bytes] = {}


def words(request: HttpRequest) -> HttpResponse:
    """The outbox script's words in the family's language (``gettext`` for ``outbox.js``),
    rendered once per language and process."""
    code = translation.get_language() or ""
    body = _WORDS.get(code)
    if body is None:
        body = _WORDS.setdefault(code, _CATALOGUE(request).content)
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")
