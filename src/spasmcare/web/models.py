"""Every model of the clinic app, in one place for Django and for scripts.

Django registers an app's models from its ``models`` module; the models themselves live in the
rooms that own them (:mod:`spasmcare.web.clinic.models`, :mod:`spasmcare.web.accounts.models`,
:mod:`spasmcare.web.patients.models`, :mod:`spasmcare.web.interop.models`). Code inside the app
imports from the owning room, never from here.
"""

from __future__ import annotations

from spasmcare.web.accounts.models import (
    CatalogueReview,
    Invitation,
    InvitationRevocation,
    LoginEvent,
    LoginFailure,
    PasswordReset,
)
from spasmcare.web.clinic.models import (
    KIND_LABELS,
    ROLE_LABELS,
    ROLES,
    SEX_CHOICES,
    CareTeam,
    ClinicSettings,
    ComputedView,
    Entry,
    Kind,
    Patient,
    Revision,
    Role,
    User,
    Video,
)
from spasmcare.web.interop.models import BulkExport, ExportLog
from spasmcare.web.patients.models import PatientSummary

__all__ = [
    "KIND_LABELS",
    "ROLES",
    "ROLE_LABELS",
    "SEX_CHOICES",
    "BulkExport",
    "CareTeam",
    "CatalogueReview",
    "ClinicSettings",
    "ComputedView",
    "Entry",
    "ExportLog",
    "Invitation",
    "InvitationRevocation",
    "Kind",
    "LoginEvent",
    "LoginFailure",
    "PasswordReset",
    "Patient",
    "PatientSummary",
    "Revision",
    "Role",
    "User",
    "Video",
]
