"""Storage of each patient's stored summary (the patient list's and the cohort's row)."""

from __future__ import annotations

from django.db import models

from spasmcare.web.clinic.models import Patient


class PatientSummary(models.Model):
    """What the patient list and the cohort page need of one patient, computed once and shared
    by every worker process (:mod:`spasmcare.web.patients.summaries`).

    A row is current only while its stamp matches: the patient's ``data_version`` (every
    audited write raises it), the ``day`` it was computed for (alerts and follow-up depend on
    the date) and ``clinic`` (a digest of the clinic settings the results depend on: alert
    thresholds, protocol confirmations, the pseudonym salt). A row that does not match is
    recomputed, for that patient alone, by the next reader. Computed values only: never the
    record of truth.
    """

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    data_version = models.PositiveIntegerField()
    day = models.DateField()
    clinic = models.CharField(max_length=64)
    #: Patient list: ``alerts`` (list of alert dicts), ``problem``, ``current``, ``last_diary``.
    summary = models.JSONField()
    #: The patient's cohort rows (``spasmcare.measures.cohort.cohort_rows``); null when the
    #: record does not read.
    cohort = models.JSONField(null=True)
    computed_at = models.DateTimeField(auto_now=True)
