"""Values as people read them: dates written the way this app writes them ("7 Jun 2026",
"7 Jun 2026 09:30"), stored codes as words.

The one place for it: the HTML report (:mod:`spasmcare.report.html`), the web app's display
filters (``plain_dates``, ``entry_text`` in ``spasmcare.web.templatetags.clinic``), the alert
messages (:mod:`spasmcare.measures.alerts`) and the FHIR texts (:mod:`spasmcare.interop.fhir`,
:mod:`spasmcare.interop.fhir_import`) call these.
Machine-readable outputs (JSON, CSV, ``datetime=""`` attributes) keep ISO dates.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?")
_ISO_IN_TEXT = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?\b")
_CODE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


def day_text(day: date) -> str:
    """A date as people write it: "7 Jun 2026" (a date-time: "7 Jun 2026 09:30")."""
    out = f"{day.day} {day:%b %Y}"
    return f"{out} {day:%H:%M}" if isinstance(day, datetime) else out


def when_text(text: str) -> str | None:
    """An ISO date or date-time string as people write it ("2 Dec 2026", "2 Dec 2026 09:00");
    ``None`` when ``text`` is not one."""
    found = _ISO_DAY.match(text)
    if found is None or len(text) > 32:
        return None
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    out = day_text(day)
    return f"{out} {found[4]}" if found[4] else out


def plain_dates(text: object) -> str:
    """A sentence with every ISO date or date-time in it written as people write dates
    ("spasms on 2026-06-07" -> "spasms on 7 Jun 2026"); the rest of the text is unchanged."""
    if text is None:
        return ""
    return _ISO_IN_TEXT.sub(lambda m: when_text(m.group(0)) or m.group(0), str(text))


def is_code(text: str) -> bool:
    """True for a stored snake_case code ("urine_calcium_creatinine_ratio")."""
    return _CODE.match(text) is not None


def code_words(code: str) -> str:
    """A stored code in words: "electrodecremental_discharges" -> "electrodecremental
    discharges"."""
    return code.replace("_", " ")
