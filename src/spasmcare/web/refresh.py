"""After a write, bring the written patients' stored summaries up to date off the request path.

A write (a family's tap, a nurse's blood pressure) raises the patient's ``data_version``
(:func:`spasmcare.web.audit._touch`), which makes that patient's stored summary stale. Instead
of leaving it to the next reader of the patient list or the cohort page (who would wait for
it), the worker that made the write recomputes that one patient's summary once its response
has been sent: Django sends ``request_finished`` when the server closes the response, after
the last byte went out. Readers still check every row's stamp and recompute what is stale, so
this is only ever a head start, never the thing correctness depends on.

:class:`RefreshMiddleware` opens a per-request set of written patients; :func:`note_write`
adds to it (outside a request, e.g. a command-line import, it does nothing); the
``request_finished`` receiver (:func:`refresh_pending`, connected by the app config) empties it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

_state = threading.local()


def note_write(patient_pk: int) -> None:
    """Remember that this request changed the patient's data."""
    pending: set[int] | None = getattr(_state, "pending", None)
    if pending is not None:
        pending.add(patient_pk)


class RefreshMiddleware:
    """Collects the patients a request writes (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _state.pending = set()
        return self.get_response(request)


def refresh_pending(**_: Any) -> None:
    """Recompute the stored summaries of the patients the finished request wrote."""
    pending: set[int] | None = getattr(_state, "pending", None)
    _state.pending = None
    if not pending:
        return
    from spasmcare.web import summaries
    from spasmcare.web.models import Patient

    try:
        found = list(Patient.objects.filter(pk__in=sorted(pending), retracted_at__isnull=True))
        summaries.stored(found)
    except Exception:  # a head start only: the next reader recomputes what is stale
        log.exception("summaries of patients %s not refreshed after the write", sorted(pending))
