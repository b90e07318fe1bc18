"""The administrator's pages (Django admin, role ``admin`` only): accounts, roles, care teams,
family invitations, the login log and the export log — no clinical content (least privilege).

- The administrator may name a clinician the *data steward* (``data_steward`` on the account;
  refused for administrator, researcher and family accounts): the one who may download the
  identified bulk export. The administrator cannot export anything.

- Clinical data (entries, their versions, patients) is not shown here at all: it is read and
  changed only through the care team's audited pages.
- The administrator never sets or learns anyone's password, so cannot sign in as anyone: a
  new staff account gets no usable password, and the administrator makes a one-time link by
  which the person chooses their own (:mod:`spasmcare.web.accounts.account_views`). Django's
  "change password" form for another account is refused.
- Family members are never created here: they join by the invitation link a clinician gives
  them and choose their own password. Invitations are listed here and can be revoked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse_lazy
from django.utils import timezone

from spasmcare.web.accounts.models import Invitation, InvitationRevocation, LoginEvent
from spasmcare.web.clinic.models import CareTeam, Role, User
from spasmcare.web.interop.models import ExportLog

admin.site.site_header = "spasmcare administration"
admin.site.site_title = "spasmcare"
# "View site" opens the administrator's page on the clinic site (the clinic's phone numbers and
# alert limits): the site's home sends an administrator back here, so "/" would loop.
admin.site.site_url = reverse_lazy("clinic_settings")
admin.site.index_template = "web/account/admin_index.html"


class StaffCreationForm(forms.ModelForm):
    """A new staff account, without a password: the person sets their own by a one-time link
    the administrator is shown after saving."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "role")

    def clean_role(self) -> str:
        role: str = self.cleaned_data["role"]
        if role == Role.FAMILY:
            raise forms.ValidationError(
                "Family members join by the invitation link on their child's page and choose "
                "their own password; staff never set it."
            )
        return role

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.set_unusable_password()
        user.is_staff = user.is_superuser = user.role == Role.ADMIN
        if commit:
            user.save()
        return user


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    add_form = StaffCreationForm
    add_fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email", "role")}),
    )
    fieldsets = (
        (None, {"fields": ("username",)}),
        ("Person", {"fields": ("first_name", "last_name", "email", "relationship")}),
        ("Role and teams", {"fields": ("role", "teams", "is_active", "data_steward")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    list_display = (
        "username", "first_name", "last_name", "role", "data_steward", "is_active", "last_login"
    )
    list_filter = ("role", "is_active", "data_steward", "teams")
    filter_horizontal = ("teams",)
    readonly_fields = ("last_login", "date_joined")
    change_form_template = "web/account/admin_user_change.html"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<id>/reset-link/",
                self.admin_site.admin_view(self.reset_link_view),
                name="clinic_user_reset_link",
            )
        ]
        return own + super().get_urls()

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        raise PermissionDenied(
            "Administrators do not set passwords. Make a one-time link on the account's page; "
            "the person chooses their own password with it."
        )

    def reset_link_view(self, request: HttpRequest, id: str) -> HttpResponse:
        from spasmcare.web.accounts.account_views import make_reset_link

        user = get_object_or_404(User, pk=id)
        if user.role == Role.FAMILY:
            raise PermissionDenied(
                "A family member who forgot their password is given a new invitation by the "
                "care team; administrators do not make links for family accounts."
            )
        link = None
        if request.method == "POST":
            assert isinstance(request.user, User)
            link = make_reset_link(request, user, request.user)
        return TemplateResponse(
            request,
            "web/account/admin_reset_link.html",
            {
                **self.admin_site.each_context(request),
                "account": user,
                "link": link,
                "title": f"One-time password link for {user.username}",
            },
        )

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None) -> Any:
        from spasmcare.web.accounts.account_views import make_reset_link

        assert isinstance(request.user, User)
        link = make_reset_link(request, obj, request.user)
        return TemplateResponse(
            request,
            "web/account/admin_reset_link.html",
            {
                **self.admin_site.each_context(request),
                "account": obj,
                "link": link,
                "new": True,
                "title": f"Account {obj.username} made",
            },
        )


@admin.register(CareTeam)
class CareTeamAdmin(admin.ModelAdmin):
    list_display = ("name",)


class ReadOnly(admin.ModelAdmin):
    """Shown for oversight; never changed here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(description="Revoke the selected unused invitations")
def revoke_invitations(
    modeladmin: Any, request: HttpRequest, queryset: QuerySet[Invitation]
) -> None:
    assert isinstance(request.user, User)
    n = 0
    for inv in queryset.filter(used_at__isnull=True, revocation__isnull=True):
        InvitationRevocation.objects.create(invitation=inv, by=request.user)
        n += 1
    messages.success(request, f"{n} invitation(s) revoked; their links no longer work.")


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ("team", "relationship", "created_by", "created_at", "expires_at", "status")
    actions = [revoke_invitations]

    @admin.display(description="care team")
    def team(self, obj: Invitation) -> str:
        return obj.patient.team.name

    @admin.display(description="status")
    def status(self, obj: Invitation) -> str:
        from spasmcare.web.accounts.account_views import invitation_status

        return invitation_status(obj, timezone.now())


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnly):
    """The login log: who, when, from which address, and the outcome."""

    list_display = ("at", "username", "user", "address", "outcome")
    list_filter = ("outcome",)
    search_fields = ("username", "address")
    date_hierarchy = "at"


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnly):
    """The export log: who started or downloaded which bulk export, when, which kind and how
    many patients. No patient data."""

    list_display = ("at", "username", "action", "identified", "patients", "scope", "file")
    list_filter = ("action", "identified")
    search_fields = ("username",)
    date_hierarchy = "at"
