"""Computed views of a patient, computed once and shared by every worker process.

A computed view (the dashboard's report, a chart's PNG, the family's "today" page, a planned
menu) is a pure function of what its *stamp* names: by default the patient's ``data_version``
(every audited write raises it) and the day; a view that depends on less says so with its own
stamp (a planned menu depends only on its keto plan's version, so a diary tap does not
recompute it). Two levels, both keyed by the stamp, so neither can serve a value computed from
other data:

1. the worker's own memory (Django's local-memory cache ``computed``: values for a stamp never
   change, so a worker may keep them; it keeps them pickled, so a caller that changes what it
   got cannot change what the next one gets), then
2. the :class:`~spasmcare.web.models.ComputedView` table: one row per patient and view, shared
   by the workers (and by the servers of a clinic on PostgreSQL), overwritten when its stamp
   moves on.

The store is only ever an optimisation: a row that cannot be read back (an older app version's
pickle) or written (database busy) is computed again, never an error. Values are the app's own
objects, written and read only by the app (pickle, as Django's own database cache does).
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from django.core.cache import BaseCache, caches
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from spasmcare import __version__
from spasmcare.web.clinic.models import ComputedView, Patient

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Raise when what a stored view holds changes shape (with :func:`code_fingerprint` it is part
#: of every stamp, so rows of other code are computed again).
VIEWS_FORMAT = 1

_MISSING = object()

#: Pure results :func:`memo` keeps per process (least recently used dropped beyond this). Apart
#: from the views' memory: every write makes new view keys, and that churn must not push out a
#: course plan, which no write short of a re-plan changes. A software setting.
MEMO_ENTRIES = 1024


def _local() -> BaseCache:
    return caches["computed"]


def _key(*parts: Any) -> str:
    """A cache key naming ``parts`` (hashed: a stamp or a course's inputs may be long)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Digest of the installed app's code and packaged data (every file of the ``spasmcare``
    package): stored results computed by other code, even under the same version number (a
    development install), are computed again."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def data_stamp(patient: Patient, on: date) -> str:
    """The default stamp: everything the patient's record holds, on one day."""
    return f"d{patient.data_version}:{on.isoformat()}"


def view(patient: Patient, name: str, stamp: str, build: Callable[[], T]) -> T:
    """The value of ``name`` for ``patient`` computed from what ``stamp`` names: from memory,
    else from the shared table, else built now and stored for the other workers."""
    full = f"{VIEWS_FORMAT}:{code_fingerprint()}:{stamp}"
    key = _key("view", patient.pk, name, full)
    found = _local().get(key, _MISSING)
    if found is not _MISSING:
        return found
    raw = (
        ComputedView.objects.filter(patient_id=patient.pk, name=name, stamp=full)
        .values_list("value", flat=True)
        .first()
    )
    if raw is not None:
        try:
            value: T = pickle.loads(bytes(raw))  # noqa: S301 - written by this app only
        except Exception:  # an older app's object: compute it again
            log.info("computed view %s of patient %s unreadable; computed again", name, patient.pk)
        else:
            _local().set(key, value)
            return value
    value = build()
    _store(patient, name, full, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    _local().set(key, value)
    return value


class _Memo:
    """A bounded, thread-safe store of pickled values, least recently used dropped first
    (pickled, as the views' memory keeps them: a caller that changes what it got cannot change
    what the next caller gets)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self.lock = threading.Lock()
        self.values: OrderedDict[str, bytes] = OrderedDict()

    def get(self, key: str) -> Any:
        with self.lock:
            blob = self.values.get(key)
            if blob is None:
                return _MISSING
            self.values.move_to_end(key)
        return pickle.loads(blob)  # noqa: S301 - written by this process only

    def set(self, key: str, value: Any) -> None:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self.lock:
            self.values[key] = blob
            self.values.move_to_end(key)
            while len(self.values) > self.entries:
                self.values.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


_memo = _Memo(MEMO_ENTRIES)


def memo(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """A pure result kept in this process's memory under ``key``, which must name everything
    the result depends on (e.g. a course plan: its inputs, the birth date and sex, the
    protocols directory's token), so no write can make it stale. Kept apart from the views
    (:data:`MEMO_ENTRIES`), so the views a busy clinic's writes make do not push it out."""
    full = _key("memo", *key)
    found = _memo.get(full)
    if found is not _MISSING:
        return found
    value = build()
    _memo.set(full, value)
    return value


def rendered_html(name: str, shown: Any, render: Callable[[], str]) -> SafeString:
    """HTML that ``render`` makes from what ``shown`` holds (JSON-like), kept in this process
    (:func:`memo`) under ``name``, the page's language and a digest of ``shown``: the same
    rows or part in the same language are rendered once, and any change of what they show
    renders them again at once. The HTML must come from the app's own auto-escaping
    templates."""
    text = json.dumps(shown, sort_keys=True, default=str, allow_nan=True)
    digest = hashlib.sha256(text.encode()).hexdigest()
    html: str = memo((name, translation.get_language(), digest), render)
    return mark_safe(html)  # noqa: S308 - rendered by the app's own auto-escaping templates


def _store(patient: Patient, name: str, stamp: str, blob: bytes) -> None:
    try:
        with transaction.atomic():
            ComputedView.objects.bulk_create(
                [ComputedView(patient_id=patient.pk, name=name, stamp=stamp, value=blob)],
                update_conflicts=True,
                unique_fields=["patient", "name"],
                update_fields=["stamp", "value", "computed_at"],
            )
    except DatabaseError:
        log.warning("computed view %s not stored (database busy); computed again next time", name)


def forget_local() -> None:
    """Empty this process's memory of computed views and memoised results (tests; the shared
    rows stay and are checked by stamp), and the patients' kept entries
    (:mod:`spasmcare.web.clinic.incremental`)."""
    from spasmcare.web.clinic import incremental

    _local().clear()
    _memo.clear()
    incremental.forget()
