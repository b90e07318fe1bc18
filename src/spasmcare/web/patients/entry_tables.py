"""The dashboard's tables of a patient's entries (courses, diets, EEGs, growth, labs, blood
pressures, adverse events), rendered once per what they show.

A family's diary tap changes none of these rows, yet the tables were rendered again on every
dashboard after a tap: the largest part of the dashboard's template (each row's item spelled
out in words). Their HTML is now kept in the process's memory
(:func:`spasmcare.web.clinic.computed.memo`) under a key naming everything it shows: each row's id,
version, retraction and author's name, the viewer's role (which links they may follow),
whether every row is shown, and the rows shown per kind. Any edit, retraction or new entry of
these kinds changes a version or adds a row, so the key moves on and the tables are rendered
again; a diary tap, a dose tick or a recorded day does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from spasmcare.web.clinic import computed
from spasmcare.web.clinic.models import KIND_LABELS, Entry, Kind, Patient
from spasmcare.web.templatetags.clinic import item_names

#: Renders of the tables in this process (tests count them: what a write renders again).
counts: Counter[str] = Counter()


def entry_tables(
    request: HttpRequest,
    patient: Patient,
    entries: Sequence[Entry],
    kinds: Sequence[str],
    rows: int,
    show_all: bool,
) -> SafeString:
    """The tables of ``entries`` (``patient``'s entries of ``kinds``, newest first, read with
    their ``updated_by``): the latest ``rows`` of each kind, or all, as HTML, from memory when
    nothing they show has changed."""
    marks = tuple(
        (e.pk, e.kind, e.version, e.retracted_at, e.updated_by.username if e.updated_by else None)
        for e in entries
    )
    role = getattr(request.user, "role", None)
    key = ("dashboard-entries", patient.pk, role, show_all, rows, tuple(kinds), marks)
    html: str = computed.memo(
        key, lambda: _render(request, patient, entries, kinds, rows, show_all)
    )
    return mark_safe(html)  # noqa: S308 - rendered by the app's own auto-escaping template


def _render(
    request: HttpRequest,
    patient: Patient,
    entries: Sequence[Entry],
    kinds: Sequence[str],
    rows: int,
    show_all: bool,
) -> str:
    counts["rendered"] += 1
    by_kind: dict[str, list[Entry]] = {k: [] for k in kinds}
    per_kind: dict[str, int] = dict.fromkeys(kinds, 0)
    named: list[Any] = []
    for e in entries:
        per_kind[e.kind] += 1
        if show_all or len(by_kind[e.kind]) < rows:
            by_kind[e.kind].append(e)
        if e.kind in (Kind.TREATMENT, Kind.DIET):
            named.append(e.data)
    context = {
        "patient": patient,
        "by_kind": by_kind,
        # an entry naming a course or diet period reads as its name, never its id
        "item_names": item_names(named),
        "kinds": [(k, KIND_LABELS[k], per_kind[k]) for k in kinds],
        "entry_base": f"/patients/{patient.pk}/entries/",
    }
    return render_to_string("web/_dashboard_entries.html", context, request)
