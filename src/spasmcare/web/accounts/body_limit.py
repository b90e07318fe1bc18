"""Request bodies are bounded before they are read.

Django reads a multipart body (to a temporary file once past ``FILE_UPLOAD_MAX_MEMORY_SIZE``)
as soon as anything touches ``request.POST``, which the CSRF check does before any view could
look at a file's size: a 2 GB "video" was taken in full before the size check refused it.
:class:`BodyLimitMiddleware` runs before the CSRF check and:

- refuses a request whose ``Content-Length`` is over its route's limit, from the header alone
  (the body is never read), with **413** and a message naming the size and the limit; a route
  with a form of its own (:data:`REFUSAL_VIEWS`, e.g. the family's video form) shows the
  message in that form;
- reads a body sent without ``Content-Length`` (``Transfer-Encoding: chunked``) with a running
  count, spooled to a temporary file, and refuses it the moment the count passes the limit, so
  it never takes more than the limit plus one chunk; a body inside the limit is then handed to
  Django as if its length had been declared (a broken chunked encoding is a 400).

The limit of a route is :data:`ROUTE_LIMITS` (the setting that holds it, read on every request)
plus ``SPASMCARE_FORM_OVERHEAD_BYTES`` for the form's other fields and multipart boundaries;
every other route has ``SPASMCARE_REQUEST_MAX_BYTES``. All are software settings
(:mod:`spasmcare.web.settings`). The access check runs first, so the refusal (and the spooling
of a chunked body) only happens for someone who may use the page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from spasmcare.errors import InputError

#: URL name -> the setting holding the largest file its form accepts [bytes].
ROUTE_LIMITS: dict[str, str] = {
    "family_video": "SPASMCARE_VIDEO_MAX_BYTES",
    "fhir_import": "SPASMCARE_IMPORT_MAX_BYTES",
    "record_import": "SPASMCARE_IMPORT_MAX_BYTES",
}
#: URL name -> a view ``(request, exc, **kwargs)`` that shows the refusal in the page's own form.
REFUSAL_VIEWS: dict[str, str] = {
    "family_video": "spasmcare.web.family.views.video_too_large",
}
#: Bytes read from a chunked body at a time.
CHUNK_BYTES = 64 * 1024
STATUS = 413


def limit_for(url_name: str | None) -> int:
    """The largest request body accepted by the route ``url_name`` [bytes]."""
    name = ROUTE_LIMITS.get(url_name or "")
    if name is None:
        return int(settings.SPASMCARE_REQUEST_MAX_BYTES)
    return int(getattr(settings, name)) + int(settings.SPASMCARE_FORM_OVERHEAD_BYTES)


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MB"


def too_large(size: int | None, url_name: str | None) -> InputError:
    """The refusal: what was sent (when known) and the limit of the page's file (or of the
    whole request, for a page without a file)."""
    name = ROUTE_LIMITS.get(url_name or "")
    if name is None:
        accepted = f"at most {megabytes(limit_for(url_name))} for this page"
    else:
        accepted = f"a file of at most {megabytes(int(getattr(settings, name)))}"
    sent = f"a request of {megabytes(size)}" if size is not None else "a request over the limit"
    return InputError("request", sent, f"{accepted} (a software setting); nothing was saved")


def _declared_length(request: HttpRequest) -> int | None:
    text = request.META.get("CONTENT_LENGTH")
    if text in (None, ""):
        return None
    try:
        return int(text)
    except (TypeError, ValueError):
        return None  # Django reads nothing of a body whose length it cannot read


def _chunked(request: HttpRequest) -> bool:
    # (not ``wsgi.input_terminated``: gunicorn sets it on every request, bodies or not)
    return "chunked" in str(request.META.get("HTTP_TRANSFER_ENCODING", "")).lower()


def _spool(request: HttpRequest, limit: int) -> Any:
    """Read a body of unknown length with a running count into a temporary file; ``None``
    (having read at most ``limit`` + one chunk) when it is over the limit."""
    source = request.META["wsgi.input"]
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed after the response
        max_size=int(settings.FILE_UPLOAD_MAX_MEMORY_SIZE),
        dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None),
    )
    total = 0
    while True:
        try:
            chunk = source.read(CHUNK_BYTES)
        except OSError as exc:  # a broken chunked encoding, a dropped connection
            spool.close()
            raise BadRequest(f"The request body could not be read ({exc}).") from None
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            spool.close()
            return None
        spool.write(chunk)
    spool.seek(0)
    request.META["CONTENT_LENGTH"] = str(total)
    request._stream = LimitedStream(spool, total)
    return spool


def refusal(request: HttpRequest, exc: InputError, kwargs: dict[str, Any]) -> HttpResponse:
    """The 413 page: the route's own form when it has one, else the error page. The body is
    cut off first, so nothing that renders the page can read it."""
    request._stream = LimitedStream(BytesIO(), 0)
    request.META["CONTENT_LENGTH"] = "0"
    match = request.resolver_match
    view = REFUSAL_VIEWS.get(match.url_name or "") if match else None
    if view is not None:
        response: HttpResponse = import_string(view)(request, exc, **kwargs)
        response.status_code = STATUS
        return response
    return render(
        request,
        "web/error.html",
        {
            "title": "Too large to send",
            "text": f"{exc.value} is not accepted: {exc.accepted}.",
        },
        status=STATUS,
    )


class BodyLimitMiddleware:
    """Bound every request body before anything reads it (see the module docstring). Listed
    before ``CsrfViewMiddleware``, whose check reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        spool = getattr(request, "_spasmcare_spool", None)
        if spool is not None:
            spool.close()
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        declared = _declared_length(request)
        chunked = declared is None and _chunked(request)
        match = request.resolver_match
        url_name = match.url_name if match else None
        limit = limit_for(url_name)
        if not chunked and (declared is None or declared <= limit):
            return None
        from spasmcare.web.accounts.access import AccessMiddleware

        denied = AccessMiddleware(self.get_response).process_view(request, view, args, kwargs)
        if denied is not None:
            return denied
        if not chunked:
            return refusal(request, too_large(declared, url_name), kwargs)
        spool = _spool(request, limit)
        if spool is None:
            return refusal(request, too_large(None, url_name), kwargs)
        request._spasmcare_spool = spool
        return None
