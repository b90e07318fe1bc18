"""Signing in (rate limited), signing out, joining by invitation, and the landing page."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, password_validation
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_POST

from spasmcare.web.accounts.access import home_url_name
from spasmcare.web.accounts.backends import BACKEND
from spasmcare.web.accounts.languages import known, languages
from spasmcare.web.accounts.models import Invitation, InvitationRevocation, LoginEvent, LoginFailure
from spasmcare.web.accounts.security import client_address, login_wait_seconds, wait_text
from spasmcare.web.clinic.models import Role, User


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(widget=forms.PasswordInput)


def login_view(request: HttpRequest) -> HttpResponse:
    """Sign in, throttled per (user name, client address); every attempt is in the login log."""
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        name = username.lower()
        address = client_address(request)
        # the attempt counts as a failure before the password is checked, so attempts sent in
        # parallel cannot all pass the limit; a successful one clears the count
        attempt = LoginFailure.objects.create(username=name, address=address)
        account = User.objects.filter(username__iexact=username).first()
        wait = login_wait_seconds(name, address, exclude=attempt.pk)
        if wait:
            attempt.delete()  # refused unchecked: the wait runs from the earlier failures
            LoginEvent.objects.create(
                username=name, user=account, address=address, outcome=LoginEvent.Outcome.THROTTLED
            )
            form.add_error(
                None,
                f"Too many failed sign-ins for this user name from this device. Wait "
                f"{wait_text(wait)} before trying again; each further failure doubles the "
                "wait. Sign-ins from other devices are not affected. If you have forgotten "
                "your password, ask your administrator for a reset link.",
            )
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                LoginEvent.objects.create(
                    username=name, user=account, address=address, outcome=LoginEvent.Outcome.WRONG
                )
                form.add_error(None, "User name or password is not right.")
            else:
                LoginFailure.objects.filter(username=name, address=address).delete()
                LoginEvent.objects.create(
                    username=name, user=user, address=address,
                    outcome=LoginEvent.Outcome.SIGNED_IN,
                )
                login(request, user)
                target = request.GET.get("next", "")
                if target and url_has_allowed_host_and_scheme(
                    target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    return redirect(target)
                return redirect("home")
    return render(request, "web/login.html", {"form": form}, status=200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


def home(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    return redirect(home_url_name(request.user))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class JoinForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of your pages"), choices=(), required=False
    )
    first_name = forms.CharField(max_length=150, label=gettext_lazy("Your first name"))
    username = forms.CharField(max_length=150, label=gettext_lazy("Choose a user name"))
    password1 = forms.CharField(widget=forms.PasswordInput, label=gettext_lazy("Choose a password"))
    password2 = forms.CharField(
        widget=forms.PasswordInput, label=gettext_lazy("Repeat the password")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(languages().items())
        field.initial = known(get_language()) or next(iter(languages()))

    def clean_username(self) -> str:
        name: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(
                gettext("The user name '%(name)s' is taken; choose another.") % {"name": name}
            )
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("The two passwords differ."))
        elif data.get("password1"):
            probe = User(username=data.get("username", ""), first_name=data.get("first_name", ""))
            try:
                password_validation.validate_password(data["password1"], probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """A family member opens the link a clinician gave them and sets their own password."""
    invitation = (
        Invitation.objects.select_related("patient").filter(token_hash=token_hash(token)).first()
    )
    if (
        invitation is None
        or invitation.used_at
        or invitation.expires_at < timezone.now()
        or InvitationRevocation.objects.filter(invitation=invitation).exists()
    ):
        return render(request, "web/join_invalid.html", status=410)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.used_at or InvitationRevocation.objects.filter(invitation=locked).exists():
                return render(request, "web/join_invalid.html", status=410)
            user = User.objects.create_user(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                role=Role.FAMILY,
                relationship=invitation.relationship,
                language=form.cleaned_data.get("language") or "",
            )
            user.children.add(invitation.patient)
            locked.used_at = timezone.now()
            locked.used_by = user
            locked.save(update_fields=["used_at", "used_by"])
        login(request, user, backend=BACKEND)
        messages.success(request, gettext("Welcome. You can now keep the diary from this phone."))
        return redirect("family_diary", pid=invitation.patient_id)
    return render(
        request,
        "web/join.html",
        {"form": form, "invitation": invitation, "languages": languages()},
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": "Not allowed", "text": str(exception or "")},
        status=403,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": "Not found", "text": "There is no such page, or it is not yours to see."},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {
            "title": "Something went wrong",
            "text": "Nothing was saved by the action that failed. Please try again; if it "
            "happens again, tell your administrator the time it happened.",
        },
        status=500,
    )
