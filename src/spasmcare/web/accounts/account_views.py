"""Accounts and invitations: listing and revoking family invitations, changing one's own
password, and setting a password by a one-time link.

Password reset, by design (there is no mail server in an offline clinic): an administrator
makes a one-time link for a staff account (a new account's first password, or a forgotten
one) and hands it to the person; the person opens it and chooses their own password, checked
by every password validator. The administrator never sets or learns a password, so cannot
sign in as anyone. The link is stored only as a hash, works once, expires after
``SPASMCARE_RESET_LINK_HOURS``, and its use is in the login log. A family member who forgot
their password is given a new invitation by the care team.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.accounts.languages import known, languages
from spasmcare.web.accounts.models import (
    Invitation,
    InvitationRevocation,
    LoginEvent,
    PasswordReset,
)
from spasmcare.web.accounts.security import client_address
from spasmcare.web.accounts.views import token_hash
from spasmcare.web.clinic.models import User


def invitation_status(invitation: Invitation, now: Any) -> str:
    """open, used, revoked or expired (in that order of precedence after use)."""
    if invitation.used_at:
        return "used"
    if hasattr(invitation, "revocation"):
        return "revoked"
    if invitation.expires_at < now:
        return "expired"
    return "open"


def invitation_list(request: HttpRequest, pid: int) -> HttpResponse:
    patient = _patient(request)
    now = timezone.now()
    rows = [
        {"invitation": inv, "status": invitation_status(inv, now)}
        for inv in Invitation.objects.filter(patient=patient)
        .select_related("created_by", "used_by", "revocation__by")
        .order_by("-created_at")
    ]
    return render(request, "web/account/invitations.html", {"patient": patient, "rows": rows})


@require_POST
def invitation_revoke(request: HttpRequest, pid: int, iid: int) -> HttpResponse:
    patient = _patient(request)
    with transaction.atomic():
        inv = get_object_or_404(Invitation.objects.select_for_update(), pk=iid, patient=patient)
        status = invitation_status(inv, timezone.now())
        if status == "open":
            InvitationRevocation.objects.create(invitation=inv, by=_user(request))
            messages.success(request, "Invitation revoked: the link no longer works.")
        else:
            messages.warning(request, f"This invitation is {status}: nothing to revoke.")
    return redirect("invitation_list", pid=pid)


def password_change(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, gettext("Your password has been changed."))
        return redirect("home")
    return render(
        request, "web/account/password.html", {"form": form, "title": gettext("Change password")}
    )


@require_POST
def language_change(request: HttpRequest) -> HttpResponse:
    """A family member chooses the language of their pages, printouts and messages (one of
    ``settings.LANGUAGES``); back to the page they came from."""
    user = _user(request)
    code = known(request.POST.get("language"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    if code is None:
        messages.error(
            request,
            gettext("Language: %(value)s is not accepted: one of %(accepted)s.")
            % {"value": repr(request.POST.get("language", "")), "accepted": ", ".join(languages())},
        )
        return redirect(target)
    user.language = code
    user.save(update_fields=["language"])
    with translation.override(code):
        messages.success(request, gettext("The pages are now in %(language)s.") % {
            "language": languages()[code]
        })
    return redirect(target)


def make_reset_link(request: HttpRequest, user: User, by: User) -> str:
    """A new one-time link for ``user``; earlier unused links of theirs stop working."""
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        PasswordReset.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        PasswordReset.objects.create(
            user=user,
            token_hash=token_hash(token),
            created_by=by,
            expires_at=timezone.now() + timedelta(hours=settings.SPASMCARE_RESET_LINK_HOURS),
        )
    return request.build_absolute_uri(reverse("password_reset", args=[token]))


def password_reset(request: HttpRequest, token: str) -> HttpResponse:
    reset = (
        PasswordReset.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    )
    if reset is None or reset.used_at or reset.expires_at < timezone.now():
        return render(
            request,
            "web/error.html",
            {
                "title": "This link cannot be used",
                "text": "It has been used already, was replaced by a newer link, or has "
                "expired. Ask your administrator for a new one.",
            },
            status=410,
        )
    form = SetPasswordForm(reset.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = PasswordReset.objects.select_for_update().get(pk=reset.pk)
            if locked.used_at:
                return redirect("password_reset", token=token)
            form.save()
            locked.used_at = timezone.now()
            locked.save(update_fields=["used_at"])
            LoginEvent.objects.create(
                username=reset.user.username.lower(),
                user=reset.user,
                address=client_address(request),
                outcome=LoginEvent.Outcome.PASSWORD_SET,
            )
        messages.success(request, "Your password is set. Sign in with it now.")
        return redirect("login")
    return render(
        request,
        "web/account/password.html",
        {"form": form, "title": f"Choose a password for {reset.user.username}"},
    )
