"""After a write, bring the written patients' stored summaries up to date off the request path.

The audit writer notes every patient a request writes (:mod:`spasmcare.web.clinic.writes`).
Instead of leaving their stale summaries to the next reader of the patient list or the cohort
page (who would wait for them), the worker that made the write recomputes them once its
response has been sent: Django sends ``request_finished`` when the server closes the response,
after the last byte went out, and the app config connects :func:`refresh_pending` to it.
Readers still check every row's stamp and recompute what is stale, so this is only ever a head
start, never the thing correctness depends on.
"""

from __future__ import annotations

import logging
from typing import Any

from spasmcare.web.base.compiled import Compiled
from spasmcare.web.clinic.models import Patient
from spasmcare.web.clinic.writes import take_written
from spasmcare.web.patients import summaries

log = logging.getLogger(__name__)

#: A live patient by id: read after every write (usually one patient), so compiled once.
_LIVE: Compiled[Patient] = Compiled(
    lambda pid: Patient.objects.filter(pk=pid, retracted_at__isnull=True), (-1,)
)


def refresh_pending(**_: Any) -> None:
    """Recompute the stored summaries of the patients the finished request wrote."""
    pending = take_written()
    if not pending:
        return
    try:
        found = [p for pk in sorted(pending) for p in _LIVE.rows(pk)]
        summaries.stored(found, written=True)
    except Exception:  # a head start only: the next reader recomputes what is stale
        log.exception("summaries of patients %s not refreshed after the write", sorted(pending))
