"""The weaning plan page of the keto room (issue 24): the dietitian picks a schedule, sees
every step solved to real meals at its ratio with the ketone checks, saves it, re-plans it when
spasms return; the family prints it (``family_print`` page ``weaning``, through the app's print
layout, the domain's own :func:`spasmcare.keto.weaning_print.weaning_html`).

Every number comes from :mod:`spasmcare.keto.weaning` through
:mod:`spasmcare.web.keto.weaning_plan`; these views parse, call, render.
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
from spasmcare.keto.weaning import SCHEDULES
from spasmcare.keto.weaning_print import rows, weaning_html
from spasmcare.web.accounts.access import CORRECT, CREATE, check_write
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.forms import show_error
from spasmcare.web.clinic.models import Kind, Patient
from spasmcare.web.keto import weaning_plan as service
from spasmcare.web.keto.weaning_forms import (
    SCHEDULE_LABELS,
    ReplanForm,
    WeaningForm,
    form_error,
)

_BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)


def _render(
    request: HttpRequest,
    patient: Patient,
    form: WeaningForm,
    plan: dict[str, Any] | None,
    *,
    status: int = 200,
    replan_form: ReplanForm | None = None,
) -> HttpResponse:
    entry = service.saved_entry(patient)
    saved = None
    if entry is not None:
        try:
            saved = service.saved_plan(patient, entry)
        except InputError as exc:
            form.add_error(None, f"The saved plan cannot be made again: {exc}")
    shown = plan if plan is not None else saved
    return render(
        request,
        "web/keto/weaning.html",
        {
            "patient": patient,
            "form": form,
            "plan": shown,
            "rows": _step_rows(shown) if shown else [],
            "previewing": plan is not None,
            "entry": entry,
            "replan_form": replan_form
            or (ReplanForm(initial={"version": entry.version}) if entry else None),
            "schedules": SCHEDULES,
            "schedule_labels": SCHEDULE_LABELS,
        },
        status=status,
    )


def _step_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The family's rows of each step with the step's meal and target beside them."""
    pairs = zip(rows(plan), plan["steps"], strict=True)
    return [r | {"meal_data": st.get("meal")} for r, st in pairs]


def weaning(request: HttpRequest, pid: int) -> HttpResponse:
    """The page: the saved plan (or a new one prefilled from the saved keto plan); a POST
    shows the plan of the numbers given, without saving."""
    patient = _patient(request)
    if request.method != "POST":
        entry = service.saved_entry(patient)
        inputs = entry.data if entry is not None else service.defaults(patient)
        form = WeaningForm(initial=WeaningForm.initial_for(inputs))
        return _render(request, patient, form, None)
    form = WeaningForm(request.POST)
    if not form.is_valid():
        return _render(request, patient, form, None, status=400)
    try:
        plan = service.make_plan(form.inputs())
    except InputError as exc:
        show_error(form, form_error(exc))
        return _render(request, patient, form, None, status=400)
    return _render(request, patient, form, plan)


@require_POST
def weaning_save(request: HttpRequest, pid: int) -> HttpResponse:
    """Save the plan of the numbers given (``action`` save) or re-plan the saved one from the
    day spasms returned (``action`` replan)."""
    patient = _patient(request)
    user = _user(request)
    entry = service.saved_entry(patient)
    check_write(user, CREATE if entry is None else CORRECT, Kind.KETO_WEANING, entry)
    if request.POST.get("action") == "replan":
        return _replan(request, patient, entry)
    form = WeaningForm(request.POST)
    if not form.is_valid():
        return _render(request, patient, form, None, status=400)
    version = int(request.POST.get("plan_version") or 0) if entry is not None else 0
    try:
        service.save(patient, form.inputs(), user, entry, version)
    except InputError as exc:
        show_error(form, form_error(exc))
        return _render(request, patient, form, None, status=400)
    except audit.StaleEdit as exc:
        form.add_error(None, str(exc))
        return _render(request, patient, form, None, status=409)
    messages.success(request, "Weaning plan saved. The family can print it from the diary.")
    return redirect("keto_weaning", pid=patient.pk)


def _replan(request: HttpRequest, patient: Patient, entry: Any) -> HttpResponse:
    replan_form = ReplanForm(request.POST)
    form = WeaningForm(initial=WeaningForm.initial_for(entry.data) if entry else {})
    if entry is None:
        replan_form.add_error(None, "No weaning plan is saved: save one first.")
    elif replan_form.is_valid():
        try:
            service.replan_saved(
                patient,
                entry,
                replan_form.cleaned_data["spasms_returned"],
                replan_form.cleaned_data["version"],
                _user(request),
            )
        except InputError as exc:
            show_error(replan_form, form_error(exc))
        except audit.StaleEdit as exc:
            replan_form.add_error(None, str(exc))
        else:
            messages.success(request, "Re-planned from the day spasms came back.")
            return redirect("keto_weaning", pid=patient.pk)
    return _render(request, patient, form, None, status=400, replan_form=replan_form)


def printable(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The family's printout of the saved weaning plan, in the app's print layout."""
    entry = service.saved_entry(patient)
    body = None
    problem = None
    if entry is not None:
        try:
            found = _BODY.search(weaning_html(service.saved_plan(patient, entry)))
            body = found.group(1) if found else None
        except InputError as exc:
            problem = str(exc)
    return render(
        request,
        "web/keto/print_weaning.html",
        {
            "patient": patient,
            "entry": entry,
            # the domain's page escapes every text it prints (spasmcare.keto.weaning_print)
            "body": mark_safe(body) if body else None,  # noqa: S308
            "problem": problem,
            "today": records.today(),
        },
    )
