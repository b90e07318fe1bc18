"""Warm the app before it serves its first request.

Called by :mod:`spasmcare.web.wsgi` when the app is loaded (``gunicorn --preload`` loads it
once, before the port opens, and forks the workers from it), so the first sign-in after
start-up does not pay for importing every page's modules (the diet solver, the growth
references, the chart library), loading the food table and its search index, reading the
protocol files and compiling the templates. Nothing here changes data or weakens a check
(the password hasher is untouched): it only does early, once, what the first requests would
have done.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)

#: Templates of the pages most users open first (compiled and kept by the cached loader).
TEMPLATES = (
    "web/login.html",
    "web/patient_list.html",
    "web/dashboard.html",
    "web/cohort/page.html",
)


def warm() -> float:
    """Import the URL configuration (every view module), load the food table and the DRI
    tables, read the protocols, compile the first templates; return the seconds it took."""
    start = time.perf_counter()
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    from spasmcare.foods import default_table

    default_table().search("butter")  # the first search builds the shared search index
    from spasmcare.keto.completeness import load_dri

    load_dri()
    from spasmcare.therapy import list_protocols
    from spasmcare.web.courses import service as courses

    list_protocols(courses.protocols_dir())
    from spasmcare.web.clinic import computed

    computed.code_fingerprint()  # part of every stored result's stamp
    for name in TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            log.warning("warm-up: no template %s", name)
    from django.db import connections

    connections.close_all()  # a process forked from this one opens its own
    return time.perf_counter() - start
