"""The family tells the team about a side effect of the diet, in plain words (issue 24).

The entry is a record ``side_effects[]`` item (``reported_by`` family, ungraded), written
through :mod:`spasmcare.web.clinic.audit` and checked by the record validator; the team grades
it on the dashboard. A refused entry shows the form again with the field, the value and what
is accepted (400), and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from spasmcare.errors import InputError
from spasmcare.web.accounts.access import CREATE, check_write
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.forms import show_error
from spasmcare.web.clinic.models import Kind
from spasmcare.web.family.forms import SideEffectForm


def side_effect(request: HttpRequest, pid: int) -> HttpResponse:
    """The family's side-effect form: shown, then saved."""
    patient = _patient(request)
    user = _user(request)
    check_write(user, CREATE, Kind.SIDE_EFFECT)
    form = SideEffectForm(request.POST or None, initial={"onset": records.today()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                audit.create_entry(patient, Kind.SIDE_EFFECT, form.item(), user)
            except InputError as exc:
                show_error(form, exc)
            else:
                messages.success(request, "Thank you: the team will see it at their next look.")
                return redirect("family_diary", pid=patient.pk)
        status = 400
    return render(
        request,
        "web/family/side_effect.html",
        {"patient": patient, "form": form, "today": records.today()},
        status=status,
    )
