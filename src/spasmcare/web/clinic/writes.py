"""Which patients the current request wrote, for work that follows the response.

A write (a family's tap, a nurse's blood pressure) raises the patient's ``data_version``
(:func:`spasmcare.web.clinic.audit._touch`), which makes that patient's stored summary stale.
The audit writer only notes the patient here (:func:`note_write`); what to do with the noted
patients once the response has gone out belongs to the rooms above
(:mod:`spasmcare.web.patients.refresh`), so the one writer of clinical data depends on nothing
above it.

:class:`WritesMiddleware` opens a per-request set of written patients; :func:`note_write` adds
to it (outside a request, e.g. a command-line import, it does nothing); :func:`take_written`
hands the set over once and closes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_state = threading.local()


def note_write(patient_pk: int) -> None:
    """Remember that this request changed the patient's data."""
    pending: set[int] | None = getattr(_state, "pending", None)
    if pending is not None:
        pending.add(patient_pk)


def take_written() -> set[int]:
    """The patients this request wrote (empty outside a request); closes the request's set."""
    pending: set[int] | None = getattr(_state, "pending", None)
    _state.pending = None
    return pending or set()


class WritesMiddleware:
    """Opens the per-request set of written patients (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _state.pending = set()
        return self.get_response(request)
