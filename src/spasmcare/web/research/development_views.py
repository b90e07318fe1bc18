"""The developmental outcome's CSV (issue 25): the k-anonymous rows of
:mod:`spasmcare.web.research.development_outcome`, or its grouped table with ``?table=1``,
filtered as the cohort page is."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from spasmcare.web.clinic import records
from spasmcare.web.research import development_outcome
from spasmcare.web.research.cohorts import filtered_cohort


def cohort_development_csv(request: HttpRequest) -> HttpResponse:
    _, _, c = filtered_cohort(request.GET)
    grouped = request.GET.get("table") == "1"
    text = development_outcome.csv_text(c["selected"], settings.SPASMCARE_COHORT_K, grouped)
    name = "development-outcome-table" if grouped else "development-outcome"
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="spasmcare-{name}-{records.today().isoformat()}.csv"'
    )
    return response
