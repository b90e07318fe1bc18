"""The report as an A4 PDF (issue 26): the PDF says what its HTML says (every dose, every date),
carries the patient's name, the date printed and "Page n of N" on every page, and fetches
nothing from a network.

Expectations are read from the HTML the PDF is made from, never from the PDF maker."""

from __future__ import annotations

import io
import re
import socket
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import tinycss2
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from spasmcare.demo import long_record
from spasmcare.errors import InputError
from spasmcare.record import record_from_dict
from spasmcare.report import build_report, render_html
from spasmcare.report.pdf import (
    MAX_HTML_CHARS,
    MAX_RESOURCE_BYTES,
    PageWords,
    Pdf,
    _css_string,
    html_to_pdf,
    make_pdf,
)

TODAY = date(2026, 12, 7)
PRINTED = "Printed 7 Dec 2026"  # TODAY as the app writes dates (spasmcare.plain)
#: A4 is 210 mm × 297 mm; a PDF point is 1/72 inch: 595.28 × 841.89 points.
A4_POINTS = (210 / 25.4 * 72, 297 / 25.4 * 72)


class _Visible(HTMLParser):
    """The text nodes of an HTML page a reader sees (not in <head>, <style> or an SVG chart),
    and the words of every <time> element."""

    SKIP = {"head", "style", "script", "svg"}

    def __init__(self) -> None:
        super().__init__()
        self.skipping: list[str] = []
        self.in_time = False
        self.nodes: list[str] = []
        self.times: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.skipping.append(tag)
        self.in_time = tag == "time"

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        if tag == "time":
            self.in_time = False

    def handle_data(self, data: str) -> None:
        if self.skipping or not data.strip():
            return
        self.nodes.append(" ".join(data.split()))
        if self.in_time:
            self.times.append(" ".join(data.split()))


def _visible(html: str) -> _Visible:
    parser = _Visible()
    parser.feed(html)
    return parser


def _squeeze(text: str) -> str:
    """Text without whitespace: a line or page break in the PDF changes nothing."""
    return re.sub(r"\s+", "", text)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _body(pages: list[str], name: str) -> str:
    """The PDF's text without its running header and footer: the document's own text."""
    n = len(pages)
    out = []
    for k, text in enumerate(pages, start=1):
        for margin in (f"Page {k} of {n}", PRINTED, name):
            text = text[::-1].replace(margin[::-1], "", 1)[::-1]  # the last one: the margin's
        out.append(text)
    return "".join(out)


NAME = "Otto Longwood (fictional)"


@pytest.fixture(scope="module")
def long_html() -> str:
    return render_html(build_report(record_from_dict(long_record(TODAY).record, today=TODAY)))


@pytest.fixture(scope="module")
def long_pdf(long_html: str) -> Pdf:
    return make_pdf(long_html, patient_name=NAME, printed_on=TODAY)


def test_every_dose_line_of_the_html_is_in_the_pdf(long_html: str, long_pdf: Pdf) -> None:
    doses = [n for n in _visible(long_html).nodes if re.search(r"\d mg\b", n)]
    assert len(doses) > 20  # the 2-year record: prednisolone, vigabatrin, ACTH courses, labs
    body = _squeeze(_body(_pages(long_pdf.data), NAME))
    missing = [d for d in doses if _squeeze(d) not in body]
    assert not missing


def test_every_date_of_the_html_is_in_the_pdf_as_often(long_html: str, long_pdf: Pdf) -> None:
    times = _visible(long_html).times
    assert len(times) > 100
    body = _body(_pages(long_pdf.data), NAME)
    for day in set(times):
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}( \d\d:\d\d)?", day), day
        assert body.count(day) >= times.count(day), day


def test_the_name_the_date_printed_and_page_n_of_n_on_every_page(long_pdf: Pdf) -> None:
    pages = _pages(long_pdf.data)
    assert len(pages) == long_pdf.pages > 5
    for k, text in enumerate(pages, start=1):
        assert f"Page {k} of {len(pages)}" in text
        assert NAME in text and PRINTED in text


def test_every_page_is_a4(long_pdf: Pdf) -> None:
    for page in PdfReader(io.BytesIO(long_pdf.data)).pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(A4_POINTS[0], abs=1)
        assert float(box.height) == pytest.approx(A4_POINTS[1], abs=1)
    assert long_pdf.refused_urls == ()  # the report is self-contained


def _paragraphs(n: int, extra: str = "") -> str:
    rows = "".join(f"<p>Line {i} of a long printout.</p>" for i in range(n))
    return f"<!doctype html><html><head>{extra}</head><body>{rows}</body></html>"


def test_a_name_only_in_the_header_is_on_every_page() -> None:
    name = 'Zoë "Q" O\'Neil; } @page { size: A3 }'
    pdf = make_pdf(_paragraphs(150), patient_name=name, printed_on=TODAY)
    pages = _pages(pdf.data)
    assert pdf.pages == len(pages) >= 3
    for k, text in enumerate(pages, start=1):
        assert name in text and PRINTED in text and f"Page {k} of {pdf.pages}" in text
    box = PdfReader(io.BytesIO(pdf.data)).pages[0].mediabox
    assert float(box.height) == pytest.approx(A4_POINTS[1], abs=1)  # the name changed no rule


def test_words_around_the_numbers_come_from_the_caller() -> None:
    words = PageWords(page="Página", of="de", printed="Impreso")
    pdf = make_pdf(
        _paragraphs(80), patient_name="Ana", printed_on=TODAY, language="es", words=words
    )
    pages = _pages(pdf.data)
    assert f"Página 1 de {len(pages)}" in pages[0] and "Impreso 7 Dec 2026" in pages[0]
    assert PdfReader(io.BytesIO(pdf.data)).trailer["/Root"]["/Lang"] == "es"


def _x_of(pdf: bytes, word: str) -> float:
    """Where ``word`` starts on the first page, from the page's left edge [points]."""
    found: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if word in text:
            found.append(float(cm[4]) + float(tm[4]) * float(cm[0]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert found, word
    return found[0]


def test_the_language_is_the_documents_and_arabic_runs_right_to_left() -> None:
    html = "<!doctype html><html lang=en><body><p>Dose</p></body></html>"
    ltr = make_pdf(html, patient_name="Ana", printed_on=TODAY)
    rtl = make_pdf(html, patient_name="ليلى", printed_on=TODAY, language="ar")
    assert PdfReader(io.BytesIO(ltr.data)).trailer["/Root"]["/Lang"] == "en"
    assert PdfReader(io.BytesIO(rtl.data)).trailer["/Root"]["/Lang"] == "ar"
    # left to right a short line starts at the left margin; right to left, at the right one
    assert _x_of(ltr.data, "Dose") < A4_POINTS[0] / 4 < 3 * A4_POINTS[0] / 4 < _x_of(
        rtl.data, "Dose"
    )
    assert "ليلى" in _pages(rtl.data)[0]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every attempt to reach a network (a name look-up or a connection) is kept and fails."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network used in a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_no_url_is_fetched_from_a_network(no_network: list[Any], tmp_path: Path) -> None:
    outside = tmp_path / "outside.css"
    outside.write_text("p{color:red}")
    remote = [
        "http://example.invalid/logo.png",
        "https://example.invalid/print.css",
        "http://example.invalid/imported.css",
        outside.as_uri(),
        "file://example.invalid/etc/hostname",
    ]
    head = (
        f'<link rel="stylesheet" href="{remote[1]}">'
        f'<style>@import url("{remote[2]}");</style>'
        f'<link rel="stylesheet" href="{remote[3]}">'
        f'<link rel="stylesheet" href="{remote[4]}">'
    )
    html = _paragraphs(3, head).replace("<body>", f'<body><img src="{remote[0]}" alt="logo">')
    pdf = make_pdf(html, patient_name="Ana", printed_on=TODAY)
    assert no_network == []
    assert sorted(pdf.refused_urls) == sorted(remote)
    assert "Line 2" in _pages(pdf.data)[0]


def test_data_urls_and_allowed_files_are_loaded(no_network: list[Any], tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "sheet.css").write_text('p.mark::after{content:" from the allowed sheet"}')
    secret = tmp_path / "secret.css"
    secret.write_text('p.mark::before{content:"leaked "}')
    (static / "link.css").symlink_to(secret)  # a link out of the folder is outside it
    (static / "big.css").write_bytes(b" " * (MAX_RESOURCE_BYTES + 1))
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
        "YAAAAAYAAjCB0C8AAAAASUVORK5CYII="
    )
    head = "".join(
        f'<link rel="stylesheet" href="{name}">'
        for name in ("sheet.css", "link.css", "big.css", "../secret.css")
    )
    html = _paragraphs(0, head).replace(
        "<body>", f'<body><img src="{pixel}" alt="dot"><p class="mark">Dose</p>'
    )
    pdf = make_pdf(
        html,
        patient_name="Ana",
        printed_on=TODAY,
        base_url=static.as_uri() + "/",
        allowed_dirs=(static,),
    )
    text = _pages(pdf.data)[0]
    assert "Dose from the allowed sheet" in text and "leaked" not in text
    assert pdf.refused_urls == (
        (static / "link.css").as_uri(),
        (static / "big.css").as_uri(),
        secret.as_uri(),
    )
    assert no_network == []


def test_oversized_html_is_refused_before_it_is_read() -> None:
    html = "<p>" + "x" * MAX_HTML_CHARS + "</p>"
    with pytest.raises(InputError) as caught:
        html_to_pdf(html, patient_name="Ana", printed_on=TODAY)
    assert caught.value.field == "html" and f"{MAX_HTML_CHARS:,}" in caught.value.accepted


def test_the_limit_is_on_characters_at_the_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    import spasmcare.report.pdf as pdf_module

    html = "<!doctype html><p>20 mg</p>"
    monkeypatch.setattr(pdf_module, "MAX_HTML_CHARS", len(html))
    assert "20 mg" in _pages(html_to_pdf(html, patient_name="Ana", printed_on=TODAY))[0]
    with pytest.raises(InputError):
        html_to_pdf(html + " ", patient_name="Ana", printed_on=TODAY)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"patient_name": ""}, "patient_name"),
        ({"patient_name": "Ana\nBob"}, "patient_name"),
        ({"patient_name": "A" * 201}, "patient_name"),
        ({"language": "en; x"}, "language"),
        ({"language": ""}, "language"),
        ({"printed_on": "2026-12-07"}, "printed_on"),
        ({"words": PageWords(page="")}, "words.page"),
    ],
)
def test_bad_values_are_refused_by_name(kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {"patient_name": "Ana", "printed_on": TODAY, **kwargs}
    with pytest.raises(InputError) as caught:
        make_pdf("<p>x</p>", **args)
    assert caught.value.field == field


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60))
def test_any_text_is_one_css_string_of_itself(text: str) -> None:
    tokens = [
        t
        for t in tinycss2.parse_component_value_list(f'"{_css_string(text)}"')
        if t.type != "whitespace"
    ]
    assert len(tokens) == 1 and tokens[0].type == "string" and tokens[0].value == text
