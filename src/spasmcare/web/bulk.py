"""Background FHIR Bulk Data exports for the admin page: a thread per export, progress in a row.

:func:`start` creates a :class:`~spasmcare.web.models.BulkExport` row and runs :func:`run` in a
daemon thread (or at once when :data:`RUN_INLINE` is set, as the tests do). :func:`run` reads
each live patient of the clinic or team through :func:`spasmcare.web.records.load_record` (the
record validator), hands them to :func:`spasmcare.interop.bulk.write_ndjson` and writes the
progress to the row at most every :data:`PROGRESS_EVERY_S` seconds. Files go to
``MEDIA_ROOT/exports/<key>/``, which is never served directly: the download view checks that
the user is an administrator and that the file is one the manifest lists.

A record that does not read stops the export with its patient named (no partial output,
as ``write_ndjson`` guarantees); the row then shows the message.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from spasmcare.errors import InputError
from spasmcare.interop.bulk import Progress, write_ndjson
from spasmcare.web import records
from spasmcare.web.models import BulkExport, CareTeam, Patient, User

#: Run the export in the request's thread (tests) instead of a background thread.
RUN_INLINE = False
#: Software setting: the shortest interval between two progress writes [s].
PROGRESS_EVERY_S = 0.5


def export_dir(job: BulkExport) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / str(job.key)


def _patients(team: CareTeam | None) -> list[Patient]:
    live = Patient.objects.filter(retracted_at__isnull=True).order_by("pk")
    return list(live.filter(team=team) if team is not None else live)


def start(team: CareTeam | None, user: User) -> BulkExport:
    """Create the export row and start it."""
    job = BulkExport.objects.create(team=team, started_by=user, total=len(_patients(team)))
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
    job = BulkExport.objects.get(pk=pk)
    patients = _patients(job.team)
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
