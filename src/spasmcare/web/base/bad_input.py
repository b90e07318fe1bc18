"""No request input, however hostile, makes a server error.

A view that trips over what was sent (a 5,000-digit number, JSON nested 100,000 deep, a list
where a text was expected, a NUL character or an over-long text the database refuses) ends
here instead of in a 500: the user gets a 400 page (or a JSON error for JSON requests) saying
the request could not be read, and nothing was saved, because every write runs in one
transaction that the exception has already rolled back. The exception is logged with its
traceback, so a real defect is still seen by the team.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from spasmcare.errors import InputError

log = logging.getLogger("spasmcare.web")

#: Exceptions that mean "the request held something that cannot be used".
BAD_INPUT: tuple[type[BaseException], ...] = (
    InputError,
    RecursionError,
    OverflowError,
    ValueError,
    TypeError,
    UnicodeError,
    DataError,
)

MESSAGE = (
    "The request held a value that cannot be used (a number too large, text too long, or "
    "data of the wrong shape). Nothing was saved. Please check what was entered and try again."
)


def message_for(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return f"{exc.field}: {exc.value!r} is not accepted; {exc.accepted}."[:500]
    return MESSAGE


class BadInputMiddleware:
    """Turn an exception caused by what the request held into a 400 response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BAD_INPUT):
            return None
        log.warning(
            "bad input on %s %s: %s",
            request.method,
            request.path[:200],
            type(exception).__name__,
            exc_info=not isinstance(exception, InputError | RecursionError),
        )
        text = message_for(exception)
        wants_json = "json" in (request.content_type or "") or "json" in request.headers.get(
            "Accept", ""
        )
        if wants_json:
            return JsonResponse({"error": text}, status=400)
        return render(
            request,
            "web/error.html",
            {"title": "This request could not be used", "text": text},
            status=400,
        )
