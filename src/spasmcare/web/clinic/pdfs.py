"""A page of the app as a PDF to keep: the "PDF" link beside each "Print".

The view renders the same HTML it shows for printing; :func:`pdf_response` turns it into an A4
PDF with :func:`spasmcare.report.pdf.make_pdf` (the patient's name and the date printed on every
page, "Page n of N", the page's language and direction), the words around the numbers in the
active language (the family's, on a family sheet). The app's stylesheet is read from the app's
own static files (nothing else is loaded).

A PDF takes a while to lay out (a family sheet about a second, the 2-year report about 4 s), so
each is a computed view (:mod:`spasmcare.web.clinic.computed`) stamped by the SHA-256 of the
HTML it was made from and the day printed: the same page on the same day is laid out once and
shared by every worker; any change to what the page says (a write, another language, the
clinic's phone numbers) makes a new PDF.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from spasmcare.report.pdf import PageWords, make_pdf
from spasmcare.web.clinic import records
from spasmcare.web.clinic.models import Patient

#: The app's own static files: the only directory a PDF may load a file from.
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
_STYLESHEET = "web/app.css"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def page_words(on: date) -> PageWords:
    """ "Page", "of", "Printed" and the date printed (``on``) in the active language."""
    return PageWords(
        page=gettext("Page"),
        of=gettext("of"),
        printed=gettext("Printed"),
        day=date_format(on, "DATE_FORMAT"),
    )


def _local_stylesheet(html: str) -> str:
    """The page's link to the app's stylesheet pointed at the file itself."""
    local = (STATIC_DIR / _STYLESHEET).as_uri()
    return html.replace(f'href="{static(_STYLESHEET)}"', f'href="{local}"')


def pdf_bytes(patient: Patient, name: str, html: str, on: date | None = None) -> bytes:
    """The PDF of ``html`` (a page about ``patient``) in the active language, laid out once
    per (HTML, day) and kept as the computed view ``pdf-<name>``."""
    on = on or records.today()
    language = translation.get_language() or settings.LANGUAGE_CODE
    words = page_words(on)
    source = _local_stylesheet(html)
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    stamp = f"{digest}:{language}:{words}:{on.isoformat()}"

    def build() -> bytes:
        return make_pdf(
            source,
            patient_name=patient.name,
            printed_on=on,
            language=language,
            allowed_dirs=(STATIC_DIR,),
            words=words,
        ).data

    # one stored PDF per page and language: a family's Spanish sheet and the clinic's English
    # one do not push each other out
    data: bytes = records.cached(patient, f"pdf-{name}-{language}", build, on=on, stamp=stamp)
    return data


def pdf_response(patient: Patient, name: str, html: str, filename: str) -> HttpResponse:
    """``html`` as a PDF download named ``filename`` (letters, digits, dot, dash kept)."""
    data = pdf_bytes(patient, name, html)
    response = HttpResponse(data, content_type="application/pdf")
    safe = _SAFE_NAME.sub("-", filename).strip("-") or "page.pdf"
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    return response
