"""The administrator's pages (Django admin, role ``admin`` only): staff users, roles and care
teams. Clinical data is not edited here: it changes only through the app's audited pages, and
the admin site shows entries and their history read-only. Family members are never created
here — they join by the invitation link and choose their own password.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from spasmcare.web.models import CareTeam, Entry, Invitation, Revision, Role, User

admin.site.site_header = "spasmcare administration"
admin.site.site_title = "spasmcare"


class StaffCreationForm(forms.ModelForm):
    """A new staff account: the administrator sets a first password the person changes."""

    password = forms.CharField(widget=forms.PasswordInput, min_length=10)

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
        user.set_password(self.cleaned_data["password"])
        user.is_staff = user.is_superuser = user.role == Role.ADMIN
        if commit:
            user.save()
        return user


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    add_form = StaffCreationForm
    add_fieldsets = (
        (None, {"fields": ("username", "password", "first_name", "last_name", "email", "role")}),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "relationship")}),
        ("Role and teams", {"fields": ("role", "teams", "children", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "teams")
    filter_horizontal = ("teams", "children")
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(CareTeam)
class CareTeamAdmin(admin.ModelAdmin):
    list_display = ("name",)


class ReadOnly(admin.ModelAdmin):
    """Shown for oversight; changed only through the audited clinic pages."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ("patient", "relationship", "created_by", "created_at", "expires_at", "used_at")


@admin.register(Revision)
class RevisionAdmin(ReadOnly):
    list_display = ("patient", "entry", "version", "action", "by", "at")
    list_filter = ("action",)


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ("patient", "kind", "day", "version", "retracted_at")
    list_filter = ("kind",)
