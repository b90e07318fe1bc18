"""Family diary views (being written)."""

from typing import Any

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def diary(request: HttpRequest, pid: int, **kwargs: Any) -> HttpResponse:
    return HttpResponse(status=501)


log = video_upload = video = printable = diary
