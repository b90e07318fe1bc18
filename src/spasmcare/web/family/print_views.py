"""The printable family pages: the medicine schedule and monitoring checklist of a course
(:mod:`spasmcare.web.courses.views`), the meal plan, feed recipe and menu of the saved keto plan
(:mod:`spasmcare.web.keto.views`), and "When to call the team", whose warning signs come from
:func:`spasmcare.report.family.call_the_team`; ``all`` puts them in one printout.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from spasmcare.errors import InputError
from spasmcare.report.family import call_the_team
from spasmcare.therapy import CoursePlan
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.clinic import clinic_settings as clinic
from spasmcare.web.clinic import pdfs, records
from spasmcare.web.clinic.models import Entry, Kind, Patient
from spasmcare.web.courses import service as courses
from spasmcare.web.courses import views as course_views
from spasmcare.web.keto import diet_checks, feeding_views, weaning_views
from spasmcare.web.keto import views as keto_views

#: Printable pages, in the order of the "all" printout.
PRINT_PAGES: dict[str, Any] = {
    "medicines": gettext_lazy("Medicine schedule"),
    "monitoring": gettext_lazy("Monitoring checklist"),
    "meals": gettext_lazy("Meal plan"),
    "feed": gettext_lazy("Feed recipe"),
    "menu": gettext_lazy("Menu for the week and shopping list"),
    "call": gettext_lazy("When to call the team"),
    "checks": gettext_lazy("Diet check-ups"),  # issue 24
    "weaning": gettext_lazy("Coming off the diet"),  # issue 24
    "feeding": gettext_lazy("Feeds, one by one"),  # issue 24
}
PRINT_ALL = "all"

_MAIN = re.compile(r'<main id="main">(.*)</main>', re.DOTALL)


def _main_of(response: HttpResponseBase) -> str:
    """The page body of a rendered page (what is inside ``<main>`` of ``web/base.html``)."""
    content = getattr(response, "content", b"").decode("utf-8")
    found = _MAIN.search(content)
    return found.group(1) if found else content


def _call_context(
    request: HttpRequest, patient: Patient, settings_now: clinic.Clinic
) -> dict[str, Any]:
    on = records.today()
    record = records.load_record(patient)
    entries = list(
        Entry.objects.filter(
            patient=patient, kind__in=[Kind.TREATMENT, Kind.KETO_PLAN], retracted_at__isnull=True
        )
    )
    saved = courses.saved_courses(entries)
    plans = courses.saved_plans(patient, saved) if saved else {}
    advice: dict[str, list[tuple[str, list[str]]]] = {}
    for course in saved:
        plan = plans.get(course.group)
        if isinstance(plan, CoursePlan):
            items = [
                (a.display_text, [plan.sources.get(k, k) for k in a.sources])
                for a in plan.visible_advice(family=True)
            ]
            for tid in course.ids:
                advice[tid] = items
    sections = call_the_team(
        record,
        on,
        plan_advice=advice,
        keto_plan=any(e.kind == Kind.KETO_PLAN for e in entries),
        protocols_dir=courses.protocols_dir(),
    )
    return {
        "patient": patient,
        "team": patient.team,
        "sections": sections,
        "today": on,
        "clinic": settings_now,
    }


def _print_call(request: HttpRequest, patient: Patient) -> HttpResponse:
    settings_now = clinic.current()  # read once: the check, the notice and the sheet
    if not settings_now.phones_set:
        # a blank phone is never printed: the sheet waits for the clinic's numbers
        return render(
            request,
            "web/family/print_not_ready.html",
            {
                "patient": patient,
                "title": gettext("When to call the team"),
                "missing": clinic.missing(settings_now),
            },
        )
    try:
        context = _call_context(request, patient, settings_now)
    except InputError as exc:
        return render(
            request, "web/record_problem.html", {"patient": patient, "error": exc}, status=200
        )
    return render(request, "web/family/print_call.html", context)


def saved_keto_plans(patient: Patient, name: str) -> bool:
    """Whether the dietitian saved the patient's weaning (or feeding) plan (issue 24)."""
    kind = Kind.KETO_WEANING if name == "weaning" else Kind.KETO_FEEDING
    return Entry.objects.filter(patient=patient, kind=kind, retracted_at__isnull=True).exists()


def _print_checks(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The diet's check-ups due or overdue, in the family's words (issue 24)."""
    care = diet_checks.diet_care(patient)
    return render(
        request,
        "web/family/print_checks.html",
        {"patient": patient, "today": records.today(), **care},
    )


def _print_one(request: HttpRequest, patient: Patient, page: str) -> HttpResponseBase:
    if page == "call":
        return _print_call(request, patient)
    if page == "checks":  # issue 24
        return _print_checks(request, patient)
    if page == "weaning":  # issue 24
        return weaning_views.printable(request, patient)
    if page == "feeding":  # issue 24
        return feeding_views.printable(request, patient)
    if page in ("medicines", "monitoring"):
        return course_views.printable(request, patient, page)
    return keto_views.printable(request, patient, page)


def printable(request: HttpRequest, pid: int, page: str) -> HttpResponseBase:
    """A printable family page: ``all`` or one of :data:`PRINT_PAGES`. Medicines and
    monitoring come from the course views, meals and feed from the keto views; ``all`` puts
    every page in one printout, each starting on a new sheet, with only the diet pages the
    saved plan prescribes (meals, feeds, or both marked "one or the other")."""
    patient = _patient(request)
    if page != PRINT_ALL and page not in PRINT_PAGES:
        raise Http404("no such printout")
    if page != PRINT_ALL:
        return _print_one(request, patient, page)
    keto_pages = keto_views.family_pages(patient)  # only what the saved diet plan prescribes
    parts: list[dict[str, Any]] = []
    for name, title in PRINT_PAGES.items():
        if name in keto_views.PRINT_PAGES and name not in keto_pages:
            continue
        if name == "checks" and not diet_checks.diet_care(patient)["on_diet"]:
            continue  # issue 24: a diet's check-ups only while there is a diet
        if name in ("weaning", "feeding") and not saved_keto_plans(patient, name):
            continue  # issue 24: only a plan the dietitian saved
        response = _print_one(request, patient, name)
        if response.status_code == 200:
            parts.append({"page": name, "title": str(title), "html": _main_of(response)})
        else:
            parts.append({"page": name, "title": str(title), "html": None})
    return render(request, "web/family/print_all.html", {"patient": patient, "parts": parts})


def printable_pdf(request: HttpRequest, pid: int, page: str) -> HttpResponseBase:
    """The printout :func:`printable` shows, as a PDF to keep (in the family's language:
    :mod:`spasmcare.web.accounts.languages`); anything but a page (a refusal) is answered as
    it is."""
    patient = _patient(request)
    response = printable(request, pid, page)
    kind = response.headers.get("Content-Type", "")
    if response.status_code != 200 or not kind.startswith("text/html"):
        return response
    html = getattr(response, "content", b"").decode("utf-8")
    return pdfs.pdf_response(patient, f"family-{page}", html, f"{patient.record_id}-{page}.pdf")
