"""The infant feeding modes page of the keto room (issue 24): breastfeeds then a measured
keto bottle, expressed breast milk in the formula, or solids week by week, every day solved at
the ratio and energy; the dietitian saves it; the family prints it per feed in mL
(``family_print`` page ``feeding``, the domain's
:func:`spasmcare.keto.feeding_print.feeding_html` in the app's print layout).

Every number comes from :mod:`spasmcare.keto.feeding_modes` through
:mod:`spasmcare.web.keto.feeding_plan`; these views parse, call, render.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from spasmcare.errors import InputError
from spasmcare.keto.feeding_print import day_rows, feeding_html
from spasmcare.web.accounts.access import CORRECT, CREATE, check_write
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.forms import show_error
from spasmcare.web.clinic.models import Kind, Patient
from spasmcare.web.keto import feeding_plan as service
from spasmcare.web.keto.feeding_forms import FeedingForm, form_error

_BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)


def _days(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Each day of the plan with the family's rows per feed."""
    return [d | {"rows": day_rows(plan, d)} for d in plan["days"]]


def _render(
    request: HttpRequest,
    patient: Patient,
    form: FeedingForm,
    plan: dict[str, Any] | None,
    *,
    status: int = 200,
) -> HttpResponse:
    entry = service.saved_entry(patient)
    saved = None
    if entry is not None and plan is None:
        try:
            saved = service.saved_plan(patient, entry)
        except InputError as exc:
            form.add_error(None, f"The saved plan cannot be made again: {exc}")
    shown = plan if plan is not None else saved
    return render(
        request,
        "web/keto/feeding.html",
        {
            "patient": patient,
            "form": form,
            "plan": shown,
            "days": _days(shown) if shown else [],
            "previewing": plan is not None,
            "entry": entry,
        },
        status=status,
    )


def feeding(request: HttpRequest, pid: int) -> HttpResponse:
    """The page: the saved feeding plan (or one prefilled from the saved keto plan); a POST
    shows the plan of the numbers given, without saving."""
    patient = _patient(request)
    if request.method != "POST":
        entry = service.saved_entry(patient)
        inputs = entry.data if entry is not None else service.defaults(patient)
        return _render(request, patient, FeedingForm(initial=FeedingForm.initial_for(inputs)), None)
    form = FeedingForm(request.POST)
    if not form.is_valid():
        return _render(request, patient, form, None, status=400)
    try:
        plan = service.make_plan(form.inputs())
    except InputError as exc:
        show_error(form, form_error(exc))
        return _render(request, patient, form, None, status=400)
    return _render(request, patient, form, plan)


@require_POST
def feeding_save(request: HttpRequest, pid: int) -> HttpResponse:
    """Save the feeding plan of the numbers given (every day solved)."""
    patient = _patient(request)
    user = _user(request)
    entry = service.saved_entry(patient)
    check_write(user, CREATE if entry is None else CORRECT, Kind.KETO_FEEDING, entry)
    form = FeedingForm(request.POST)
    if not form.is_valid():
        return _render(request, patient, form, None, status=400)
    version = int(request.POST.get("plan_version") or 0) if entry is not None else 0
    plan = None
    try:
        service.save(patient, form.inputs(), user, entry, version)
    except InputError as exc:
        show_error(form, form_error(exc))
        try:
            plan = service.make_plan(form.inputs())
        except InputError:
            plan = None
        return _render(request, patient, form, plan, status=400)
    except audit.StaleEdit as exc:
        form.add_error(None, str(exc))
        return _render(request, patient, form, None, status=409)
    messages.success(request, "Feeding plan saved. The family can print it from the diary.")
    return redirect("keto_feeding", pid=patient.pk)


def printable(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The family's sheet of the saved feeding plan, per feed in mL, in the print layout."""
    entry = service.saved_entry(patient)
    body = None
    problem = None
    if entry is not None:
        try:
            plan = service.saved_plan(patient, entry)
        except InputError as exc:
            problem = str(exc)
        else:
            if plan["solved"]:
                found = _BODY.search(feeding_html(plan))
                body = found.group(1) if found else None
            else:
                problem = "a day of the saved plan has no solution"
    return render(
        request,
        "web/keto/print_feeding.html",
        {
            "patient": patient,
            "entry": entry,
            # the domain's sheet escapes every text it prints (spasmcare.keto.feeding_print)
            "body": mark_safe(body) if body else None,  # noqa: S308
            "problem": problem,
            "today": records.today(),
        },
    )
