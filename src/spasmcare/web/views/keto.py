"""Keto planner views (being written)."""

from django.http import HttpRequest, HttpResponse


def planner(request: HttpRequest, pid: int) -> HttpResponse:
    return HttpResponse(status=501)


def food_search(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


solve = save = planner
