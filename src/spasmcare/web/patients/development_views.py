"""Pages of the development panel (issue 25): the entry forms (development at diagnosis, a
milestone, an instrument's scores) and a clinician's confirmation of a family's milestone
tick. Each view parses the request, calls one service of
:mod:`spasmcare.web.patients.development`, and renders or redirects."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from spasmcare.errors import InputError
from spasmcare.web.accounts.access import CORRECT, CREATE, check_write
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit
from spasmcare.web.clinic.models import Entry, Kind, Patient
from spasmcare.web.patients import development
from spasmcare.web.patients.development_forms import FORMS, show

#: The part of the URL -> the kind of entry it writes.
KIND_OF_PART = {
    "baseline": Kind.DEVELOPMENT_BASELINE,
    "milestone": Kind.MILESTONE,
    "vineland": Kind.ASSESSMENT,
    "bayley-3": Kind.ASSESSMENT,
    "asq-3": Kind.ASSESSMENT,
}


def _panel_url(pid: int) -> str:
    return reverse("patient_dashboard", args=[pid]) + "#development"


def _to_correct(request: HttpRequest, patient: Patient, part: str, kind: str) -> Entry | None:
    """The entry the form corrects: the development at diagnosis when one is recorded, or the
    milestone or assessment named by ``?entry=`` (404 when it is not one of this part)."""
    if part == "baseline":
        return development.current_baseline(patient)
    text = request.GET.get("entry", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise Http404("no such entry")
    entry = get_object_or_404(
        Entry, pk=int(text), patient=patient, kind=kind, retracted_at__isnull=True
    )
    if development.edit_part(entry) != part:
        raise Http404("no such entry of this form")
    return entry


def development_add(request: HttpRequest, pid: int, part: str) -> HttpResponse:
    """Add a development entry (``part``: baseline, milestone, vineland, bayley-3, asq-3), or
    correct one (``?entry=``); the development at diagnosis is corrected when one is recorded
    already."""
    patient = _patient(request)
    if part not in FORMS:
        raise Http404("no such part of the development panel")
    kind = KIND_OF_PART[part]
    user = _user(request)
    cls, title = FORMS[part]
    entry = _to_correct(request, patient, part, kind)
    if entry is not None:
        check_write(user, CORRECT, kind, entry)
        item = (
            development.development_rows.baseline_item(entry.data)
            if part == "baseline"
            else dict(entry.data)
        )
        initial = cls.initial_for(item) | {"version": entry.version}
    else:
        check_write(user, CREATE, kind)
        initial = {"date": patient.onset_date} if part == "baseline" else {}
    form = cls(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            item = form.to_item()
            if part == "baseline":
                development.save_baseline(patient, item, user, version)
            else:
                development.save_entry(patient, kind, item, user, entry, version)
        except InputError as exc:
            show(form, exc)
        except audit.StaleEdit as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{title} saved.")
            return redirect(_panel_url(pid))
    return render(
        request,
        "web/entry_form.html",
        {"form": form, "patient": patient, "title": title, "entry": entry},
        status=400 if request.method == "POST" else 200,  # the form names what is wrong
    )


@require_POST
def milestone_confirm(request: HttpRequest, pid: int, eid: int) -> HttpResponse:
    """A clinician confirms a milestone the family ticked (an audited edit)."""
    patient = _patient(request)
    entry = get_object_or_404(
        Entry, pk=eid, patient=patient, kind=Kind.MILESTONE, retracted_at__isnull=True
    )
    user = _user(request)
    check_write(user, CORRECT, Kind.MILESTONE, entry)
    text = request.POST.get("version", "")
    version = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
    if version is None:
        messages.error(request, "Version: the page was out of date; nothing was confirmed.")
        return redirect(_panel_url(pid))
    try:
        development.confirm_milestone(entry, version, user)
    except (InputError, audit.StaleEdit) as exc:
        messages.error(request, f"Nothing was confirmed. {exc}")
    else:
        messages.success(request, "Milestone confirmed; the family's tick is kept in the history.")
    return redirect(_panel_url(pid))
