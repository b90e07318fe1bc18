"""Storage of the clinical record: care teams and the people who sign in, patients, and
clinical entries with every revision, uploaded videos, the computed views stamped by a
patient's data version, and the clinic's own settings.

Clinical data is stored as entries in the patient-record format of :mod:`spasmcare.record`
(one ``Entry`` per diary cluster, treatment, EEG, growth measurement, lab, ...), so one
validator (the record's) checks the web forms, the JSON import and the CLI alike, and one
adapter (:mod:`spasmcare.web.clinic.records`) turns a patient's rows into a domain ``Record``.

Nothing here computes a clinical result. Nothing clinical is ever deleted: an entry is
retracted with a reason, and every version is kept in ``Revision`` (see
:mod:`spasmcare.web.clinic.audit`, the only code that writes clinical rows).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class Role:
    """The six roles (plain strings, as stored)."""

    NEUROLOGIST = "neurologist"
    DIETITIAN = "dietitian"
    NURSE = "nurse"
    FAMILY = "family"
    RESEARCHER = "researcher"
    ADMIN = "admin"


ROLE_LABELS: dict[str, str] = {
    Role.NEUROLOGIST: "Paediatric neurologist",
    Role.DIETITIAN: "Ketogenic dietitian",
    Role.NURSE: "Nurse",
    Role.FAMILY: "Family member",
    Role.RESEARCHER: "Researcher",
    Role.ADMIN: "Administrator",
}
ROLES: tuple[str, ...] = tuple(ROLE_LABELS)


class CareTeam(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. ``role`` decides what they may do (see ``access.RULES``)."""

    role = models.CharField(max_length=20, choices=list(ROLE_LABELS.items()), default=Role.NURSE)
    teams = models.ManyToManyField(CareTeam, blank=True, related_name="members")
    #: Family members: the children whose diary they keep.
    children = models.ManyToManyField("Patient", blank=True, related_name="family")
    #: How the family member is named in the diary ("mother", "grandfather"...).
    relationship = models.CharField(max_length=40, blank=True)
    #: A named clinician the administrator made the clinic's data steward: may start an
    #: identified bulk export of their care teams' patients (``access.may_export_identified``).
    data_steward = models.BooleanField(
        "data steward",
        default=False,
        help_text="May download the identified bulk export (names, birth dates, the whole "
        "record) of the patients of their care teams. Clinicians only; every export is logged.",
    )
    #: Family members: the language of their pages, printouts and messages (a code of
    #: ``settings.FAMILY_LANGUAGES``); blank: the clinic's own language (``LANGUAGE_CODE``).
    #: Clinicians' pages stay in the clinic's language (``spasmcare.web.accounts.languages``).
    language = models.CharField(
        "language of the family pages", max_length=10, blank=True, default="", db_default=""
    )

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.data_steward and self.role not in (
            Role.NEUROLOGIST,
            Role.DIETITIAN,
            Role.NURSE,
        ):
            raise ValidationError(
                {"data_steward": "Only a clinician (neurologist, dietitian, nurse) can be the "
                 "data steward; administrator, researcher and family accounts cannot."}
            )


SEX_CHOICES = [("male", "Male"), ("female", "Female")]


class Patient(models.Model):
    """Demographics and etiology, as the record's ``patient`` and ``etiology`` sections.

    ``version`` guards against stale edits of these fields; ``data_version`` rises with every
    change to the patient's clinical data, so computed views can be cached per version.
    ``checked_version``: the ``data_version`` whose whole record last passed the full record
    check (JSON Schema and meaning) by the validator named in ``checked_with``
    (:func:`spasmcare.web.clinic.records.validator_fingerprint`); a write through the audit layer,
    which checks its item with the patient's other items, moves it on in the same statement
    that raises ``data_version`` (:func:`spasmcare.web.clinic.audit._touch`), so a record stored
    through the validator is read without the schema until something is written around it.
    """

    record_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    birth_date = models.DateField()
    sex = models.CharField(max_length=6, choices=SEX_CHOICES)
    gestation_weeks = models.PositiveSmallIntegerField(default=40)
    gestation_days = models.PositiveSmallIntegerField(default=0)
    onset_date = models.DateField(null=True, blank=True)
    etiology_category = models.CharField(max_length=20, default="unknown")
    etiology_gene = models.CharField(max_length=80, blank=True)
    etiology_detail = models.TextField(blank=True)
    team = models.ForeignKey(CareTeam, on_delete=models.PROTECT, related_name="patients")

    version = models.PositiveIntegerField(default=1)
    data_version = models.PositiveIntegerField(default=1)
    checked_version = models.PositiveIntegerField(null=True, blank=True)
    checked_with = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.record_id})"


class Kind:
    """What an entry holds (plain strings, as stored). Record kinds map to sections of the
    record format; ``keto_plan`` and ``monitoring`` are the app's own."""

    DIARY = "diary"
    RECORDED_DAY = "recorded_day"
    TREATMENT = "treatment"
    DIET = "diet"
    EEG = "eeg"
    GROWTH = "growth"
    LAB = "lab"
    VITALS = "vitals"
    ADVERSE = "adverse"
    KETO_PLAN = "keto_plan"
    MONITORING = "monitoring"
    DOSE_GIVEN = "dose_given"
    # --- development and other seizures (issue 25; clinic/development_rows.py) ---
    DEVELOPMENT_BASELINE = "development_baseline"
    MILESTONE = "milestone"
    ASSESSMENT = "assessment"
    OTHER_SEIZURE = "other_seizure"
    # --- end development ---
    # issue 24: the diet's side effects (record section ``side_effects``)
    SIDE_EFFECT = "side_effect"
    # issue 24: the app's own keto plans for coming off the diet and for an infant's feeds
    KETO_WEANING = "keto_weaning"
    KETO_FEEDING = "keto_feeding"
    # care pathway (issue 23): parts of the record's one ``pathway`` section
    # (web/clinic/pathway_rows.py); an accepted proposal is the app's own (not in the record)
    PATHWAY = "pathway"
    PATHWAY_GENETIC = "pathway_genetic"
    PATHWAY_METABOLIC = "pathway_metabolic"
    PATHWAY_FAILURE = "pathway_failure"
    PATHWAY_OVERRIDE = "pathway_override"
    PATHWAY_ACCEPT = "pathway_accept"


KIND_LABELS: dict[str, str] = {
    Kind.DIARY: "Diary entry",
    Kind.RECORDED_DAY: "Diary day observed",
    Kind.TREATMENT: "Drug course",
    Kind.DIET: "Diet period",
    Kind.EEG: "EEG",
    Kind.GROWTH: "Growth measurement",
    Kind.LAB: "Lab result",
    Kind.VITALS: "Blood pressure",
    Kind.ADVERSE: "Adverse event",
    Kind.KETO_PLAN: "Keto plan",
    Kind.MONITORING: "Monitoring check done",
    Kind.DOSE_GIVEN: "Dose given",
    # --- development and other seizures (issue 25) ---
    Kind.DEVELOPMENT_BASELINE: "Development at diagnosis",
    Kind.MILESTONE: "Milestone",
    Kind.ASSESSMENT: "Developmental assessment",
    Kind.OTHER_SEIZURE: "Other seizure",
    # --- end development ---
    # issue 24
    Kind.SIDE_EFFECT: "Diet side effect",
    Kind.KETO_WEANING: "Weaning plan",
    Kind.KETO_FEEDING: "Infant feeding plan",
    # care pathway (issue 23)
    Kind.PATHWAY: "Care pathway dates",
    Kind.PATHWAY_GENETIC: "Genetic test",
    Kind.PATHWAY_METABOLIC: "Metabolic test",
    Kind.PATHWAY_FAILURE: "Treatment judged failed",
    Kind.PATHWAY_OVERRIDE: "First-line proposal overridden",
    Kind.PATHWAY_ACCEPT: "First-line proposal accepted",
}


class Entry(models.Model):
    """One clinical item of a patient. ``data`` is the item in the record format (for record
    kinds) or in the app's own format (keto plans, monitoring checks); ``extra`` holds what the
    app keeps beside the record item (planner inputs, who ticked a check)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="entries")
    #: One of :class:`Kind` (labels in :data:`KIND_LABELS`); not a database choice, so a new
    #: kind of entry needs no migration.
    kind = models.CharField(max_length=20)

    def get_kind_display(self) -> str:
        """The kind in words."""
        return KIND_LABELS.get(self.kind, self.kind)
    day = models.DateField(help_text="the date the item is about, for ordering and filters")
    data = models.JSONField()
    extra = models.JSONField(default=dict, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    retraction_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["day", "id"]
        indexes = [
            models.Index(fields=["patient", "kind", "day"]),
            # a user's own last entry of a kind (the family diary's "Undo"): found in the index,
            # not by reading every entry of the patient (issue 21)
            models.Index(fields=["patient", "kind", "created_by"]),
        ]
        verbose_name_plural = "entries"


class Revision(models.Model):
    """One version of a patient's demographics or of an entry, as written, by whom and when."""

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        RETRACT = "retract"
        IMPORT = "import"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="revisions")
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="revisions", null=True, blank=True
    )
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    snapshot = models.JSONField()
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


def _video_path(instance: Video, filename: str) -> str:
    return f"videos/{instance.patient_id}/{instance.key}{instance.extension}"


class Video(models.Model):
    """A short diary video. Stored under the data directory, served only after an access check."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="videos")
    file = models.FileField(upload_to=_video_path)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size_bytes = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class ComputedView(models.Model):
    """One computed view of one patient (the dashboard's report, a chart, the family's today
    page), stored once and shared by every worker process
    (:func:`spasmcare.web.clinic.records.cached`).

    ``stamp`` names what the value was computed from (the patient's ``data_version``, the day,
    the app version and any variant such as a keto plan version); a reader whose stamp differs
    computes the view again and overwrites the row, so a patient has at most one row per view.
    Computed values only: never the record of truth.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="views")
    name = models.CharField(max_length=80)
    stamp = models.CharField(max_length=200)
    value = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "name"], name="one_view_per_name")
        ]


# --- security and governance (issue 13) --------------------------------------------------


class ClinicSettings(models.Model):
    """The clinic's own settings, edited by an administrator on the "Clinic settings" page.

    One row (pk 1). The phone numbers are required before a family sheet prints the "When to
    call the team" page (a blank phone is never printed); the blood-pressure limits are the
    clinic's, since the sources give no infant threshold (``spasmcare.measures.alerts``), and
    until they are set the app says so on the patient list and every dashboard. ``version``
    rises with each save so cached patient summaries are rebuilt.
    """

    clinic_name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    out_of_hours_phone = models.CharField(max_length=40, blank=True)
    bp_systolic_high_mmhg = models.FloatField(null=True, blank=True)
    bp_diastolic_high_mmhg = models.FloatField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
