"""Drug-course planner views (being written)."""

from django.http import HttpRequest, HttpResponse


def planner(request: HttpRequest, pid: int) -> HttpResponse:
    return HttpResponse(status=501)


save = monitoring_tick = planner
