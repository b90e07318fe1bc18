"""Storage of bulk exports: each export's request and state, and the log of who
downloaded what."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from spasmcare.web.clinic.models import CareTeam


class BulkExport(models.Model):
    """A FHIR Bulk Data export (NDJSON) of the whole clinic or one care team, run in the
    background by :mod:`spasmcare.web.interop.bulk_export`; the admin page shows its progress from
    this row."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(
        CareTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: Names and birth dates kept (a data steward's export); False = de-identified.
    identified = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    resources = models.PositiveIntegerField(default=0)
    manifest = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]


class ExportLog(models.Model):
    """One line of the export log: who started or downloaded a bulk export, when, which kind
    (identified or de-identified) and how many patients it holds. Written by
    :mod:`spasmcare.web.interop.bulk_export`, never changed; the administrator reads it."""

    class Action(models.TextChoices):
        STARTED = "started", "Started an export"
        DOWNLOADED = "downloaded", "Downloaded a file"

    export = models.ForeignKey(BulkExport, on_delete=models.PROTECT, related_name="log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    identified = models.BooleanField()
    patients = models.PositiveIntegerField()
    scope = models.CharField(max_length=160)
    file = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
