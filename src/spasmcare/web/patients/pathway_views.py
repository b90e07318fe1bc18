"""Care-pathway pages of a patient (issue 23): the pathway dates, work-up tests, a course
judged failed, and accepting or overriding a first-line proposal.

Each view parses its form, writes through :mod:`spasmcare.web.clinic.audit` (directly or by
:mod:`spasmcare.web.patients.pathway_panel`), and renders; bad input is shown on the form
(field, value, what is accepted) with a 400, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spasmcare.errors import InputError
from spasmcare.plain import day_text
from spasmcare.web.accounts.access import CORRECT, CREATE, check_write
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit, pathway_rows, records
from spasmcare.web.clinic.models import KIND_LABELS, Entry, Kind, Patient
from spasmcare.web.patients import pathway_panel
from spasmcare.web.patients.pathway_forms import (
    LIST_FORMS,
    DatesForm,
    FailureForm,
    OverrideForm,
    PathwayForm,
)

#: URL word -> list kind.
SLUGS = {
    "genetic": Kind.PATHWAY_GENETIC,
    "metabolic": Kind.PATHWAY_METABOLIC,
    "failure": Kind.PATHWAY_FAILURE,
}
FORM_PAGE = "web/pathway/form.html"


def _courses(patient: Patient) -> list[tuple[str, str]]:
    """The patient's live courses as (id, "drug from 1 Jun 2026") for the failure form."""
    rows = Entry.objects.filter(
        patient=patient, kind=Kind.TREATMENT, retracted_at__isnull=True
    ).order_by("day", "id")
    return [
        (str(e.data.get("id")), f"{e.data.get('drug')} from {day_text(e.day)}") for e in rows
    ]


def _page(request: HttpRequest, context: dict[str, Any], form: Any) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, FORM_PAGE, context | {"form": form}, status=status)


def _save(
    request: HttpRequest, patient: Patient, form: PathwayForm, entry: Entry | None
) -> bool:
    """Write the form's item (a new entry, or a correction of ``entry``); False: the form
    now shows why not."""
    try:
        item = form.to_item()
        if entry is None:
            audit.create_entry(patient, form.kind, item, _user(request))
        else:
            audit.update_entry(entry, form.cleaned_data["version"] or 0, item, _user(request))
    except InputError as exc:
        form.show_error(exc)
        return False
    except audit.StaleEdit as exc:
        form.add_error(None, str(exc))
        return False
    return True


def pathway_dates(request: HttpRequest, pid: int) -> HttpResponse:
    """The single-valued pathway dates: a correction of the latest entry, or the first one."""
    patient = _patient(request)
    current = pathway_rows.single(
        Entry.objects.filter(patient=patient, kind=Kind.PATHWAY, retracted_at__isnull=True)
    )
    check_write(_user(request), CORRECT if current else CREATE, Kind.PATHWAY, current)
    initial = DatesForm.initial_for(current.data) | {"version": current.version} if current else {}
    form = DatesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not form.to_item():
            form.add_error(None, "Nothing to save: enter at least one date or finding.")
        elif _save(request, patient, form, current):
            messages.success(request, "Care pathway dates saved.")
            return redirect("patient_dashboard", pid=pid)
    title = "Care pathway dates"
    return _page(request, {"patient": patient, "title": title, "entry": current}, form)


def pathway_add(request: HttpRequest, pid: int, what: str) -> HttpResponse:
    patient = _patient(request)
    kind = SLUGS.get(what)
    if kind is None:
        raise Http404("no such part of the care pathway")
    check_write(_user(request), CREATE, kind)
    cls = LIST_FORMS[kind]
    extra = {"courses": _courses(patient)} if cls is FailureForm else {}
    start = {"date": records.today(), "treatment": request.GET.get("treatment", "")}
    form = cls(request.POST or None, initial=start, **extra)
    if request.method == "POST" and form.is_valid() and _save(request, patient, form, None):
        messages.success(request, f"{KIND_LABELS[kind]} saved.")
        return redirect("patient_dashboard", pid=pid)
    return _page(request, {"patient": patient, "title": f"Add: {KIND_LABELS[kind]}"}, form)


def pathway_edit(request: HttpRequest, pid: int, eid: int) -> HttpResponse:
    patient = _patient(request)
    entry = get_object_or_404(Entry, pk=eid, patient=patient, kind__in=list(LIST_FORMS))
    if entry.retracted_at:
        messages.warning(request, "This entry has been retracted.")
        return redirect("entry_history", pid=pid, eid=eid)
    check_write(_user(request), CORRECT, entry.kind, entry)
    cls = LIST_FORMS[entry.kind]
    extra = {"courses": _courses(patient)} if cls is FailureForm else {}
    initial = cls.initial_for(entry.data) | {"version": entry.version}
    form = cls(request.POST or None, initial=initial, **extra)
    if request.method == "POST" and form.is_valid() and _save(request, patient, form, entry):
        messages.success(request, "Saved; the previous version is kept in the history.")
        return redirect("patient_dashboard", pid=pid)
    title = f"Edit: {entry.get_kind_display()}"
    return _page(request, {"patient": patient, "title": title, "entry": entry}, form)


@require_POST
def pathway_accept(request: HttpRequest, pid: int) -> HttpResponse:
    """The neurologist accepts a first-line proposal (an audited entry; nothing prescribed)."""
    patient = _patient(request)
    check_write(_user(request), CREATE, Kind.PATHWAY_ACCEPT)
    try:
        pathway_panel.accept(patient, request.POST.get("proposal", ""), _user(request))
    except InputError as exc:
        messages.error(request, f"Not saved: {exc.field}: {exc.accepted}.")
        return redirect("patient_dashboard", pid=pid)
    messages.success(request, "Proposal accepted; plan the course in the drug-course planner.")
    return redirect("patient_dashboard", pid=pid)


def pathway_override(request: HttpRequest, pid: int) -> HttpResponse:
    """The neurologist overrides a first-line proposal, with the reason (required)."""
    patient = _patient(request)
    check_write(_user(request), CREATE, Kind.PATHWAY_OVERRIDE)
    form = OverrideForm(request.POST or None, initial={"proposal": request.GET.get("proposal")})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            pathway_panel.override(patient, c["proposal"], c["reason"], c["chosen"], _user(request))
        except InputError as exc:
            form.add_error("reason" if exc.field.endswith("reason") else None, exc.accepted)
        else:
            messages.success(request, "Override saved with its reason.")
            return redirect("patient_dashboard", pid=pid)
    title = "Override the first-line proposal"
    rule = request.POST.get("proposal") or request.GET.get("proposal") or ""
    about = pathway_panel.proposal_text(rule)
    return _page(request, {"patient": patient, "title": title, "about": about}, form)
