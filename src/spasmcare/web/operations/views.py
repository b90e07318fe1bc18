"""The "Clinic settings" page: phone numbers for the family sheets and alert limits.

Every clinician sees what is set (and what is missing); an administrator saves. The values
live in :mod:`spasmcare.web.clinic.clinic_settings`; nothing here decides a clinical number.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from spasmcare.errors import InputError
from spasmcare.measures.alerts import AlertSettings
from spasmcare.web.accounts import languages
from spasmcare.web.accounts.access import CLINICIANS
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import clinic_settings as clinic


class ClinicSettingsForm(forms.Form):
    clinic_name = forms.CharField(max_length=120, required=False, label="Clinic name")
    phone = forms.CharField(
        max_length=40,
        label="Clinic phone (working hours)",
        help_text="printed on every family sheet under 'When to call the team'",
    )
    out_of_hours_phone = forms.CharField(
        max_length=40,
        label="Out-of-hours phone",
        help_text="the number a family calls at night and at weekends",
    )
    bp_systolic_high_mmhg = forms.FloatField(
        required=False,
        label="High systolic blood pressure [mmHg]",
        help_text="a reading above this raises an urgent alert; the sources give no infant "
        "threshold, so this is the clinic's own number",
    )
    bp_diastolic_high_mmhg = forms.FloatField(
        required=False,
        label="High diastolic blood pressure [mmHg]",
        help_text="a reading above this raises an urgent alert (the clinic's own number)",
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        for name in clinic.BP_FIELDS:
            value = data.get(name)
            if value is None:
                continue
            try:
                AlertSettings(**{name: value})
            except InputError as exc:
                self.add_error(name, f"{value:g} is not accepted: {exc.accepted}.")
        return data


def _initial() -> dict[str, Any]:
    c = clinic.current()
    return {
        "clinic_name": c.clinic_name,
        "phone": c.phone,
        "out_of_hours_phone": c.out_of_hours_phone,
        "bp_systolic_high_mmhg": c.bp_systolic_high_mmhg,
        "bp_diastolic_high_mmhg": c.bp_diastolic_high_mmhg,
    }


def _page(request: HttpRequest, form: ClinicSettingsForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "web/clinic/settings.html",
        {
            "form": form,
            "clinic": clinic.current(),
            "missing": clinic.missing(),
            "translations": _translations(),
            "may_review": _user(request).role in CLINICIANS,
        },
        status=status,
    )


def clinic_settings(request: HttpRequest) -> HttpResponse:
    """What is set, what is missing; the form for an administrator."""
    return _page(request, ClinicSettingsForm(initial=_initial()))


@require_POST
def clinic_settings_save(request: HttpRequest) -> HttpResponse:
    form = ClinicSettingsForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    clinic.save(form.cleaned_data, _user(request))
    still = clinic.missing()
    if still:
        messages.warning(request, "Saved. Still to set: " + "; ".join(still) + ".")
    else:
        messages.success(request, "Clinic settings saved.")
    return redirect("clinic_settings")


def _translations() -> list[dict[str, Any]]:
    """Each translated language's catalogue, its review state and its messages to read."""
    out = []
    for state in languages.review_states():
        pairs = [
            (_readable(k if isinstance(k, str) else f"{k[0]} [{k[1]}]"), _readable(v))
            for k, v in sorted(languages.catalogue_messages(state.code).items(), key=repr)
        ]
        out.append({"state": state, "pairs": pairs})
    return out


def _readable(message: str) -> str:
    """A catalogue message as a clinician reads it: each placeholder ("%(name)s", "{amount}")
    as [name], a context ("route\x04oral") as "oral (route)"."""
    context, _, text = message.rpartition("\x04")
    text = re.sub(r"%\((\w+)\)[sd]|\{(\w+)\}", lambda m: f"[{m.group(1) or m.group(2)}]", text)
    return f"{text} ({context})" if context else text


@require_POST
def translation_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """A clinician confirms a language's translation of the family pages as it is now (the
    hash the page showed); it is then no longer marked "not yet reviewed"."""
    try:
        row = languages.confirm(code, request.POST.get("sha256", ""), _user(request))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Translation confirmed: {languages.languages().get(code, code)} "
            f"(catalogue {row.catalogue_sha256[:12]}).",
        )
    return redirect("/clinic/#translations")
