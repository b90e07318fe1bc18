"""Per-patient summaries for the patient list, the dashboard and the cohort page.

The alerts themselves are decided by :func:`spasmcare.measures.alerts.patient_alerts` and the
cohort rows by :func:`spasmcare.measures.cohort.cohort_rows`; this module gathers their inputs
(the record, the monitoring checks that are overdue, the protocol details the clinic has not
confirmed) and stores the results of each patient in one
:class:`~spasmcare.web.models.PatientSummary` row, shared by every worker process.

Compute what a write changes, not everything
--------------------------------------------
A row is stamped with the patient's ``data_version`` (every audited write raises it), the day
it was computed for and a digest of the clinic settings the results depend on
(:func:`clinic_stamp`). A reader uses the rows whose stamp matches and recomputes, from one
query for all their entries, only the patients whose stamp does not (no N+1): after a diary
tap, that one patient. The stamp is read before the entries, so a row can only ever claim an
older version than the data it was computed from: a write that lands meanwhile makes the row
be recomputed, never served stale. The rows are written with one upsert per batch, so two
workers computing the same patient at once both succeed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction

from spasmcare.errors import InputError
from spasmcare.measures.alerts import AlertSettings
from spasmcare.measures.cohort import cohort_rows
from spasmcare.measures.development_outcome import outcome_columns
from spasmcare.measures.pathway import patient_kpis
from spasmcare.measures.side_effects import child_facts
from spasmcare.measures.status import patient_status
from spasmcare.record import Record
from spasmcare.therapy.protocol import resolve_protocols_dir
from spasmcare.web.clinic import (
    audit,
    computed,
    incremental,
    record_rows,
    records,
    resilience,
)
from spasmcare.web.clinic import (
    clinic_settings as clinic,
)
from spasmcare.web.clinic.models import Entry, Kind, Patient
from spasmcare.web.clinic.pseudonyms import cohort_salt
from spasmcare.web.courses import service as courses
from spasmcare.web.keto import diet_checks
from spasmcare.web.patients.models import PatientSummary

log = logging.getLogger(__name__)


def alert_settings(current: clinic.Clinic | None = None) -> AlertSettings:
    """The clinic's alert settings (the Clinic settings page, then ``SPASMCARE_ALERTS``) over
    the domain defaults (:func:`spasmcare.web.clinic.clinic_settings.alert_settings`)."""
    return clinic.alert_settings(current)


#: Measures shown on the dashboard even when not assessable, so a gap is visible.
HEADLINE_MEASURES = ("ukiss_response", "spasms_continuing_day7", "time_to_spasm_cessation")


#: Raise when what a stored summary holds changes shape (with the installed code it is part
#: of every row's clinic stamp, so old rows are recomputed).
#: 3: cohort rows carry the developmental outcome columns (issue 25); 4: the diet's
#: monitoring checks due or overdue and the child's side-effect facts (issue 24); 5: the care
#: pathway's time-to-treatment results (issue 23).
SUMMARY_FORMAT = 5
#: Patients per query or upsert (keeps ``IN`` lists and statements small on every database).
BATCH = 500
#: Up to this many stale patients are read through the process's kept entries
#: (:mod:`spasmcare.web.clinic.incremental`); more are read in batches. A software setting.
FEW = 4


def clinic_stamp(current: clinic.Clinic | None = None) -> str:
    """Digest of what, besides the patient's own data and the day, the stored results depend
    on: the summary format, the installed code (:func:`computed.code_fingerprint`, which
    includes the version),
    the clinic's alert settings (the Clinic settings page's saved version and
    ``SPASMCARE_ALERTS``), the pseudonym salt, and the files
    of the clinic's protocols directory (copies and confirmations) by name, size and
    modification time."""
    digest = hashlib.sha256()
    version = (current or clinic.current()).version
    code = computed.code_fingerprint()
    digest.update(f"{SUMMARY_FORMAT}|{code}|{cohort_salt()}|{version}|".encode())
    digest.update(json.dumps(settings.SPASMCARE_ALERTS, sort_keys=True, default=str).encode())
    folder = resolve_protocols_dir(courses.protocols_dir())
    if folder is not None and folder.is_dir():
        for path in sorted(folder.rglob("*")):
            st = path.stat()
            digest.update(f"|{path.relative_to(folder)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def _compute(
    patient: Patient,
    entries: list[Entry],
    on: date,
    salt: str,
    checked: bool,
    alert_limits: AlertSettings,
    kept: bool = False,
) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """The patient-list summary (JSON-ready) and the cohort rows (None: does not read).

    ``checked``: this data version already passed the full record check
    (:func:`spasmcare.web.clinic.records.is_checked`), so the stored items are read without the JSON
    Schema (:func:`spasmcare.record.record_from_stored`); otherwise the whole record is checked
    once more, which finds an item written around the validator. ``kept``: ``entries`` are
    this process's kept entries of the patient
    (:func:`spasmcare.web.clinic.incremental.live_entries`),
    so the record is read incrementally (:func:`spasmcare.web.clinic.incremental.read`: the same
    record, with a tap appended instead of the whole diary read again).
    """
    try:
        if kept:
            found, aside = incremental.read(patient, on, trusted=checked, listed_now=True)
        else:
            record_entries = sorted(
                (e for e in entries if e.kind in record_rows.RECORD_KINDS), key=lambda e: e.pk or 0
            )
            found, aside = resilience.read_entries(patient, record_entries, on, trusted=checked)
    except InputError as exc:
        return {
            "alerts": [], "problem": str(exc), "current": "", "status": None, "last_diary": None
        }, None
    record: Record = found
    # the one computation of what is in force and what is due: the list, the dashboard, the
    # report and the exports all read this status
    status = patient_status(
        record, on, settings=alert_limits, **_planned(patient, entries, on, kept)
    )
    diary_days = set(record.recorded_days) | {e.day for e in record.diary}
    summary = {
        "alerts": status["alerts"],
        "problem": (
            f"{len(aside)} entr{'y' if len(aside) == 1 else 'ies'} left out: {aside[0].text()}"
            if aside
            else None
        ),
        "current": status["now_on"],
        "status": status,
        "last_diary": max(diary_days).isoformat() if diary_days else None,
        # issue 24: the diet's monitoring checks due or overdue today
        "diet_checks": diet_checks.checks_of(record, on),
    }
    # a record read only by leaving entries out is not counted in the cohort (no silent bias)
    rows: list[dict[str, Any]] | None = None
    if not aside:
        try:
            rows = cohort_rows([record], on, salt=salt)
            # issue 25: the child's developmental outcome and lead time, for the cohort page
            rows = [row | outcome_columns(record, on) for row in rows]
        except InputError:
            rows = None
        # care pathway (issue 23): the time-to-treatment results, for the cohort page
        summary["pathway_kpis"] = [r.to_dict() for r in patient_kpis(record, on)]
    # issue 24: the child's part of the cohort's side-effect count (no date, no identifier),
    # counted like the cohort rows: only a record read whole
    summary["side_effect_facts"] = None if aside else child_facts(record, on)
    return summary, rows


#: The kinds of entry the course plans' part of a summary reads (saved courses, their ticks).
PLANNED_FROM = (Kind.TREATMENT, Kind.MONITORING)


def _planned(patient: Patient, entries: list[Entry], on: date, kept: bool) -> dict[str, Any]:
    """What the saved course plans give the status: monitoring checks overdue and next,
    protocol details not confirmed, decisions saved. They read the saved courses and the
    monitoring ticks, the day, the patient's birth date and sex and the protocol files, never
    the diary, so with the process's kept entries (``kept``, which carry their versions) they
    are kept per process under exactly those (:func:`computed.memo`): a diary tap, a blood
    pressure or a lab does not work them out again from the plans."""

    def build() -> dict[str, Any]:
        with courses.reading_plans():  # the four read the same plans: one copy of each
            return {
                "monitoring_overdue": courses.monitoring_overdue(patient, entries, on),
                "confirmations_pending": courses.confirmations_pending(patient, entries, on),
                "next_checks": courses.next_checks(patient, entries, on),
                "decisions": courses.saved_decision_points(patient, entries, all_live=True),
            }

    if not kept:  # entries read without their versions (a cold batch): nothing to key by
        return build()
    made_of = tuple((e.pk, e.version) for e in entries if e.kind in PLANNED_FROM)
    key = (
        "summary-planned",
        patient.pk,
        on,
        patient.birth_date,
        patient.sex,
        courses.protocols_token(),
        made_of,
    )
    planned: dict[str, Any] = computed.memo(key, build)
    return planned


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _store(rows: list[PatientSummary]) -> None:
    """Upsert computed rows. They are a cache: if the database refuses the write (busy), the
    results already computed are still served and the next reader computes them again."""
    try:
        with transaction.atomic():
            PatientSummary.objects.bulk_create(
                rows,
                batch_size=BATCH,
                update_conflicts=True,
                unique_fields=["patient"],
                update_fields=[
                    "data_version",
                    "day",
                    "clinic",
                    "summary",
                    "cohort",
                    "computed_at",
                ],
            )
    except DatabaseError:
        log.warning("patient summaries not stored (database busy); computed again next time")


def stored(
    patients: list[Patient],
    on: date | None = None,
    *,
    every_live: bool = False,
    current: clinic.Clinic | None = None,
    written: bool = False,
) -> dict[int, PatientSummary]:
    """The current summary row of each patient (by pk), computing the missing or stale ones.

    ``every_live``: ``patients`` are all live patients (the cohort), fetched without an ``IN``
    list. The rows returned for computed patients are not re-read from the database.
    ``current``: the clinic's settings when the caller has read them already. ``written``:
    the patients were just written (the refresh after a write), so their stored rows are
    stale and are not read (a row is a large JSON document).
    """
    on = on or records.today()
    current = current or clinic.current()  # one read of the clinic's settings for every patient
    stamp = clinic_stamp(current)
    if written:
        found: dict[int, PatientSummary] = {}
    elif every_live:
        query = PatientSummary.objects.filter(patient__retracted_at__isnull=True)
        found = {s.patient_id: s for s in query}
    else:
        found = {}
        for batch in _batches([p.pk for p in patients]):
            query = PatientSummary.objects.filter(patient_id__in=batch)
            found.update({s.patient_id: s for s in query})
    out: dict[int, PatientSummary] = {}
    missing: list[Patient] = []
    for p in patients:
        row = found.get(p.pk)
        if (
            row is not None
            and row.data_version == p.data_version
            and row.day == on
            and row.clinic == stamp
        ):
            out[p.pk] = row
        else:
            missing.append(p)
    if not missing:
        return out
    salt = cohort_salt()
    limits = alert_settings(current)
    fresh: list[PatientSummary] = []
    # a few patients (the one a write changed): their entries kept by this process, brought
    # up to date by what changed; many (a cold cohort): one query per batch, nothing kept
    kept = len(missing) <= FEW
    for batch in _batches(missing):
        grouped: dict[int, list[Entry]] = defaultdict(list)
        if kept:
            grouped.update({p.pk: incremental.live_entries(p) for p in batch})
        else:
            entries = (
                Entry.objects.filter(patient__in=batch, retracted_at__isnull=True)
                .only("patient_id", "kind", "data", "extra", "day")
                .order_by("patient_id", "day", "id")
            )
            for e in entries:
                grouped[e.patient_id].append(e)
        now_checked: list[Patient] = []
        for p in batch:
            checked = records.is_checked(p)
            summary, cohort = _compute(p, grouped[p.pk], on, salt, checked, limits, kept)
            if not checked and summary["problem"] is None:
                now_checked.append(p)
            fresh.append(
                PatientSummary(
                    patient=p,
                    data_version=p.data_version,
                    day=on,
                    clinic=stamp,
                    summary=summary,
                    cohort=cohort,
                )
            )
        if now_checked:
            try:
                audit.mark_checked(now_checked)
            except DatabaseError:  # checked again by the next reader, nothing lost
                log.warning("full record check not recorded (database busy)")
    _store(fresh)
    out.update({row.patient_id: row for row in fresh})
    return out


def compute_one(patient: Patient) -> None:
    """Store the summary of ``patient`` as it stands after its last write (an import prepares
    the patient it made before showing it, so the first reader of the patient list does not
    compute a large record)."""
    stored([patient])


def summaries(
    patients: list[Patient], on: date | None = None, *, current: clinic.Clinic | None = None
) -> dict[int, dict[str, Any]]:
    """The patient-list summary of each patient (by pk): ``alerts``, ``problem`` (why the
    record does not read, else None), ``current`` (therapy in force), ``last_diary`` (date).
    ``current``: the clinic's settings when the caller has read them already."""
    out: dict[int, dict[str, Any]] = {}
    for pk, row in stored(patients, on, current=current).items():
        summary = dict(row.summary)
        last = summary.get("last_diary")
        summary["last_diary"] = date.fromisoformat(last) if last else None
        out[pk] = summary
    return out


def overdue(row: dict[str, Any]) -> bool:
    """A patient-list row has a diet check overdue (issue 24; a row stored before it has
    none)."""
    return any(c.get("status") == "overdue" for c in row.get("diet_checks") or ())


def alerts_for(patient: Patient) -> list[dict[str, Any]]:
    alerts: list[dict[str, Any]] = summaries([patient])[patient.pk]["alerts"]
    return alerts


def status_for(
    patient: Patient, current: clinic.Clinic | None = None
) -> dict[str, Any] | None:
    """The patient's status today (:func:`spasmcare.measures.status.patient_status`, as
    stored for the patient list): None when the record cannot be read. ``current``: the
    clinic's settings when the caller has read them already."""
    status: dict[str, Any] | None = summaries([patient], current=current)[patient.pk].get(
        "status"
    )
    return status


def patient_rows(
    patients: list[Patient], current: clinic.Clinic | None = None
) -> list[dict[str, Any]]:
    """One row per patient for the list, most urgent alerts first. ``current``: the clinic's
    settings when the caller has read them already."""
    sums = summaries(patients, current=current)
    order = {"urgent": 0, "review": 1, "info": 2}
    rows = [{"patient": p} | sums[p.pk] for p in patients]
    rows.sort(
        key=lambda r: (
            min((order.get(a["severity"], 3) for a in r["alerts"]), default=4),
            r["patient"].name,
        )
    )
    return rows
