"""The dashboard's table of response measures, rendered once per what it shows.

Most writes do not change a patient's measures (a blood pressure, a lab, a growth
measurement, most diary taps once the measures' windows have passed), yet every dashboard of a
new data version put each measure's label, result, reason and source in words again. The rows'
HTML is kept in the process's memory (:func:`spasmcare.web.clinic.computed.memo`) under a
digest of the rows as the view made them (every measure's fields and its result in words): any
change of what a row shows (or of the page's language) changes the key, and the rows are
rendered again at once.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from spasmcare.web.clinic import computed

#: Renders of the rows in this process (tests count them: what a write renders again).
counts: Counter[str] = Counter()


def measure_rows(measures: list[dict[str, Any]]) -> SafeString:
    """The ``<tr>`` rows of ``measures`` (the dashboard's measures, each with its ``text``),
    from memory when the same rows were rendered before."""
    return computed.rendered_html("dashboard-measures", measures, lambda: _render(measures))


def _render(measures: list[dict[str, Any]]) -> str:
    counts["rendered"] += 1
    return render_to_string("web/_dashboard_measures.html", {"measures": measures})
