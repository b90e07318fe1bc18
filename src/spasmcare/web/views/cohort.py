"""Cohort views (being written)."""

from django.http import HttpRequest, HttpResponse


def cohort(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


cohort_csv = cohort
