"""Storage of signing in: invitations and their revocations, failed and successful
logins, password resets."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from spasmcare.web.clinic.models import Patient


class Invitation(models.Model):
    """A one-time link by which a family member joins and chooses their own password.

    Only a hash of the token is stored; the link is shown once to the clinician who made it.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    relationship = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )


class LoginFailure(models.Model):
    """A failed sign-in, kept for rate limiting (by user name and by address)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class LoginEvent(models.Model):
    """One sign-in attempt, kept as the login log the administrator reads: who (the user name
    typed, and the account when it exists), when, from which client address, and the outcome."""

    class Outcome(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        WRONG = "wrong", "Wrong user name or password"
        THROTTLED = "throttled", "Refused: too many failures, waiting time not over"
        PASSWORD_SET = "password_set", "Password set by a one-time link"

    username = models.CharField(max_length=150, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    address = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)

    class Meta:
        ordering = ["-at", "-id"]


class PasswordReset(models.Model):
    """A one-time link by which a staff member sets their own password (first password of a new
    account, or a forgotten one). Issued by an administrator, who never learns the password;
    only a hash of the token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_resets"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class InvitationRevocation(models.Model):
    """An unused family invitation withdrawn by the care team (kept beside the invitation so
    the invitation row itself stays as it was made)."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, related_name="revocation"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)


class CatalogueReview(models.Model):
    """A clinician's confirmation that one language's translation of the family pages says what
    the clinic means (as protocol details are confirmed): the catalogue is named by the SHA-256
    of its messages, so any change to a translation needs a new confirmation
    (:func:`spasmcare.web.accounts.languages.review_state`). Rows are kept, never rewritten."""

    language = models.CharField(max_length=10)
    catalogue_sha256 = models.CharField(max_length=64)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "catalogue_sha256"], name="one_review_per_catalogue"
            )
        ]
