"""Background FHIR Bulk Data exports for clinicians: a thread per export, progress in a row.

:func:`start` creates a :class:`~spasmcare.web.models.BulkExport` row and its
:class:`~spasmcare.web.models.ExportLog` line (who, when, which kind, how many patients) in one
transaction, and runs :func:`run` in a daemon thread (or at once when :data:`RUN_INLINE` is
set, as the tests do). The patients are the live patients of the starter's care teams (or of
one of them) — :func:`spasmcare.web.accounts.access.visible_patients`. An export is de-identified
(:mod:`spasmcare.interop.deid_fhir`, keyed with the cohort pseudonym salt) unless the starter
is the data steward and asked for an identified one
(:func:`spasmcare.web.accounts.access.may_export_identified`). :func:`run` reads each patient
through
:func:`spasmcare.web.clinic.records.load_record` (the record validator), hands them to
:func:`spasmcare.interop.bulk.write_ndjson` and writes the progress to the row at most every
:data:`PROGRESS_EVERY_S` seconds. Files go to ``MEDIA_ROOT/exports/<key>/``, which is never
served directly: the download view checks the export is the user's own, that an identified
one is still theirs to download, and that the file is one the manifest lists; every download
is logged (:func:`log_download`).

A record that does not read stops the export with its patient named (no partial output,
as ``write_ndjson`` guarantees); the row then shows the message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from spasmcare.errors import InputError
from spasmcare.interop.bulk import Progress, write_ndjson
from spasmcare.web.accounts.access import may_export_identified, visible_patients
from spasmcare.web.clinic import records
from spasmcare.web.clinic.models import CareTeam, Patient, User
from spasmcare.web.clinic.pseudonyms import cohort_salt
from spasmcare.web.interop.models import BulkExport, ExportLog

log = logging.getLogger("spasmcare.web.exports")

#: Run the export in the request's thread (tests) instead of a background thread.
RUN_INLINE = False
#: Software setting: the shortest interval between two progress writes [s].
PROGRESS_EVERY_S = 0.5


def visible_exports(user: User) -> QuerySet[BulkExport]:
    """The bulk exports ``user`` may see: the ones they started."""
    return BulkExport.objects.filter(started_by=user)


def export_dir(job: BulkExport) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / str(job.key)


def _patients(user: User, team: CareTeam | None) -> list[Patient]:
    live = visible_patients(user).order_by("pk")
    return list(live.filter(team=team) if team is not None else live)


def scope_words(job: BulkExport) -> str:
    return job.team.name if job.team else "all the starter's care teams"


def _log(job: BulkExport, user: User, action: str, file: str = "") -> None:
    ExportLog.objects.create(
        export=job,
        user=user,
        username=user.get_username(),
        action=action,
        identified=job.identified,
        patients=job.total,
        scope=scope_words(job)[:160],
        file=file,
    )
    log.info(
        "bulk export %s: %s %s, %s, %d patients, %s%s",
        job.key,
        user.get_username(),
        action,
        "identified" if job.identified else "de-identified",
        job.total,
        scope_words(job),
        f", file {file}" if file else "",
    )


def start(team: CareTeam | None, user: User, *, identified: bool = False) -> BulkExport:
    """Create the export row and its log line, and start it. An identified export needs the
    data steward (PermissionDenied otherwise); ``team`` must be one of the user's."""
    if identified and not may_export_identified(user):
        raise PermissionDenied("Only the data steward may export identified data.")
    if team is not None and not user.teams.filter(pk=team.pk).exists():
        raise PermissionDenied("You may export only the patients of your own care teams.")
    with transaction.atomic():
        job = BulkExport.objects.create(
            team=team,
            started_by=user,
            identified=identified,
            total=len(_patients(user, team)),
        )
        _log(job, user, str(ExportLog.Action.STARTED))
    if RUN_INLINE:
        run(job.pk)
    else:
        threading.Thread(target=_run_thread, args=(job.pk,), daemon=True).start()
    return job


def _run_thread(pk: int) -> None:
    close_old_connections()
    try:
        run(pk)
    finally:
        connection.close()


def run(pk: int) -> None:
    """Export the patients of job ``pk``; record progress, the manifest or the error."""
    job = BulkExport.objects.select_related("started_by").get(pk=pk)
    patients = _patients(job.started_by, job.team)
    BulkExport.objects.filter(pk=pk).update(status=BulkExport.Status.RUNNING, total=len(patients))
    last = [0.0]

    def progress(p: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S or p.done == p.total:
            last[0] = now
            BulkExport.objects.filter(pk=pk).update(done=p.done, resources=p.resources)

    def sources() -> Iterator[tuple[str, object]]:
        for p in patients:
            yield f"patient {p.record_id}", (lambda p=p: records.load_record(p))

    group = f"Group/{job.team_id}/$export" if job.team_id else "$export"
    try:
        manifest = write_ndjson(
            sources(),  # type: ignore[arg-type]
            export_dir(job),
            request=group,
            deidentify_salt=None if job.identified else cohort_salt(),
            total=len(patients),
            progress=progress,
        )
    except InputError as exc:
        BulkExport.objects.filter(pk=pk).update(
            status=BulkExport.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        return
    except Exception as exc:  # the row must not stay "running" for ever
        BulkExport.objects.filter(pk=pk).update(
            status=BulkExport.Status.FAILED,
            error=f"the export stopped unexpectedly ({type(exc).__name__})",
            finished_at=timezone.now(),
        )
        raise
    BulkExport.objects.filter(pk=pk).update(
        status=BulkExport.Status.DONE,
        manifest=manifest,
        done=len(patients),
        resources=sum(item["count"] for item in manifest["output"]),
        finished_at=timezone.now(),
    )


def log_download(job: BulkExport, user: User, name: str) -> None:
    """Write the download of file ``name`` of ``job`` to the export log."""
    _log(job, user, str(ExportLog.Action.DOWNLOADED), name)
