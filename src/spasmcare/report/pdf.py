"""An HTML page of this app (the report, a family printout) as an A4 PDF, made with WeasyPrint.

The HTML is the page the app already shows or prints; this module adds only the page around it:
A4, the patient's name and the date printed at the top of every page, "Page 2 of 5" at the
bottom (CSS ``@page`` margin boxes, so the words and the numbers are WeasyPrint's counters, never
a number written into a translated string), and the document's language (``lang`` on the root
element, ``dir="rtl"`` for a right-to-left language), which WeasyPrint uses for line breaking,
shaping and the PDF's ``/Lang``. The words around the numbers ("Page", "of", "Printed") are
:class:`PageWords`, so a caller with a translation catalogue passes them translated.

Nothing is fetched from a network: every URL the page names (an image, a stylesheet, a font)
goes through :class:`LocalFetcher`, which serves ``data:`` URLs and ``file:`` URLs inside the
directories the caller allows (none by default) and refuses everything else, keeping each
refused URL in :attr:`Pdf.refused_urls`. An HTML document over :data:`MAX_HTML_CHARS` is refused
before WeasyPrint reads it.

No Django here: the web app's PDF views call :func:`make_pdf` with the HTML they render.
WeasyPrint needs Pango (Debian ``libpango-1.0-0``, ``libpangoft2-1.0-0``) and fonts; it is
imported only when a PDF is made.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from spasmcare.bounded import read_bytes
from spasmcare.errors import InputError
from spasmcare.plain import day_text

#: Largest HTML document made into a PDF [characters]. Software setting (no clinical meaning):
#: 5 times the report of the 2-year demo record (0.2 million characters, 24 pages, about 4 s
#: and 100 MB to lay out, growing with the size), so any real report or printout fits, and a
#: runaway page costs at most about 0.5 GB and 20 s.
MAX_HTML_CHARS = 1_000_000

#: Longest patient name printed in the running header [characters] (software setting).
MAX_NAME_CHARS = 200

#: Largest file a page may load from an allowed directory [bytes] (software setting).
MAX_RESOURCE_BYTES = 5_000_000

#: A language tag as BCP 47 writes it: "en", "es", "ar", "pt-BR", "zh-Hant".
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$")

#: Languages written right to left (primary subtag): the page gets ``dir="rtl"``.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ps", "ur", "yi", "dv", "ckb", "sd", "ug"})

#: Characters written as themselves inside a CSS string; every other one is escaped.
_CSS_PLAIN = re.compile(r"[A-Za-z0-9 .,:;()'_+/-]")

#: The page around the document: A4, running header (name, date printed), page numbers.
_PAGE_CSS = """
@page {{
  size: A4;
  margin: 18mm 14mm 18mm 14mm;
  @top-left {{ content: "{name}"; font: 9pt sans-serif; color: #34495e; }}
  @top-right {{ content: "{printed} {day}"; font: 9pt sans-serif; color: #34495e; }}
  @bottom-center {{
    content: "{page} " counter(page) " {of} " counter(pages);
    font: 9pt sans-serif; color: #34495e;
  }}
}}
html, body {{ max-width: none; }}
body {{ margin: 0; }}
"""


@dataclass(frozen=True)
class PageWords:
    """The words around the page's numbers, in the document's language ("Page 2 of 5",
    "Printed 7 Dec 2026"); a caller with a translation catalogue passes its own."""

    page: str = "Page"
    of: str = "of"
    printed: str = "Printed"
    #: The date printed as the document's language writes it ("7 de diciembre de 2026"); empty:
    #: in English words (:func:`spasmcare.plain.day_text`).
    day: str = ""


@dataclass(frozen=True)
class Pdf:
    """A PDF made by :func:`make_pdf`: its bytes, its number of pages and every URL the page
    named that was refused (never fetched)."""

    data: bytes
    pages: int
    refused_urls: tuple[str, ...]


@dataclass
class _Refusals:
    urls: list[str] = field(default_factory=list)


def _css_string(text: str) -> str:
    """``text`` inside a CSS double-quoted string: every character but plain letters, digits
    and a little punctuation written as a CSS escape, so no name can end the string or the
    rule."""
    return "".join(c if _CSS_PLAIN.fullmatch(c) else f"\\{ord(c):x} " for c in text)


def _check_text(value: Any, name: str, limit: int) -> str:
    accepted = f"a text of 1 to {limit} characters without control characters"
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InputError(name, value if not isinstance(value, str) else value[:80], accepted)
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
        raise InputError(name, value, accepted)
    return value.strip()


def _check_language(language: Any) -> str:
    if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
        raise InputError(
            "language", language, 'a language tag such as "en", "es", "ar" or "pt-BR"'
        )
    return language


def page_css(patient_name: str, printed_on: date, words: PageWords = PageWords()) -> str:
    """The stylesheet of the page around the document (A4, header with ``patient_name`` and
    the date printed in words, "Page n of N"); every text written as a CSS escape."""
    return _PAGE_CSS.format(
        name=_css_string(patient_name),
        printed=_css_string(words.printed),
        day=_css_string(words.day or day_text(printed_on)),
        page=_css_string(words.page),
        of=_css_string(words.of),
    )


def _allowed_file(url: str, roots: Sequence[Path]) -> Path | None:
    """The real path of a local ``file:`` URL naming a regular file inside one of ``roots``
    (symbolic links resolved first), else ``None``."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost") or not roots:
        return None
    real = Path(unquote(parts.path)).resolve()
    inside = any(real.is_relative_to(root.resolve()) for root in roots)
    return real if inside and real.is_file() else None


def local_fetcher(allowed_dirs: Sequence[Path], refusals: _Refusals) -> Any:
    """A WeasyPrint URL fetcher that never opens a network connection: ``data:`` URLs are
    decoded, ``file:`` URLs of files inside ``allowed_dirs`` are read (at most
    :data:`MAX_RESOURCE_BYTES`, symbolic links resolved first), any other URL is refused (kept
    in ``refusals``; WeasyPrint leaves the resource out and goes on)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if urlsplit(url).scheme.lower() == "data":
                return super().fetch(url, headers)
            path = _allowed_file(url, allowed_dirs)
            if path is not None:
                try:
                    body = read_bytes(path, "url", MAX_RESOURCE_BYTES)
                except InputError:
                    body = None
                if body is not None:
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(path.as_uri(), body, {"Content-Type": kind})
            refusals.urls.append(url)
            raise ValueError(f"spasmcare fetches no URL outside its own files: {url}")

    return LocalFetcher(allowed_protocols=("data", "file"), allow_redirects=False, timeout=1)


def make_pdf(
    html: str,
    *,
    patient_name: str,
    printed_on: date,
    language: str = "en",
    base_url: str | None = None,
    allowed_dirs: Sequence[Path] = (),
    words: PageWords = PageWords(),
) -> Pdf:
    """The A4 PDF of the HTML document ``html``, with ``patient_name`` and "Printed
    ``printed_on``" (in words) at the top of every page and "Page n of N" at the bottom.

    ``language`` is the document's language tag (the family's language for a family sheet),
    set on the root element. Relative URLs resolve against ``base_url``; only ``data:`` URLs and
    files inside ``allowed_dirs`` are loaded, nothing from a network. Raises
    :class:`InputError` for a document over :data:`MAX_HTML_CHARS`, an empty name or a bad
    language tag.
    """
    if not isinstance(html, str) or not html.strip():
        raise InputError("html", type(html).__name__, "an HTML document (text)")
    if len(html) > MAX_HTML_CHARS:
        raise InputError(
            "html",
            f"{len(html):,} characters",
            f"an HTML document of at most {MAX_HTML_CHARS:,} characters, a software limit",
        )
    name = _check_text(patient_name, "patient_name", MAX_NAME_CHARS)
    lang = _check_language(language)
    if not isinstance(printed_on, date):
        raise InputError("printed_on", printed_on, "a date")
    for label, text in (("page", words.page), ("of", words.of), ("printed", words.printed)):
        _check_text(text, f"words.{label}", 80)
    if words.day:
        _check_text(words.day, "words.day", 80)

    from weasyprint import CSS, HTML

    refusals = _Refusals()
    fetcher = local_fetcher(allowed_dirs, refusals)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    root = document.etree_element
    root.set("lang", lang)
    if lang.split("-")[0].lower() in RTL_LANGUAGES and root.get("dir") is None:
        root.set("dir", "rtl")
    page = CSS(string=page_css(name, printed_on, words), url_fetcher=fetcher)
    rendered = document.render(stylesheets=[page])
    data = rendered.write_pdf()
    return Pdf(data=data, pages=len(rendered.pages), refused_urls=tuple(refusals.urls))


def html_to_pdf(
    html: str,
    *,
    patient_name: str,
    printed_on: date,
    language: str = "en",
    base_url: str | None = None,
) -> bytes:
    """The PDF's bytes of :func:`make_pdf` (only ``data:`` URLs loaded)."""
    return make_pdf(
        html,
        patient_name=patient_name,
        printed_on=printed_on,
        language=language,
        base_url=base_url,
    ).data


__all__ = [
    "MAX_HTML_CHARS",
    "PageWords",
    "Pdf",
    "html_to_pdf",
    "make_pdf",
    "page_css",
]
