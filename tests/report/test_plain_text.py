"""The HTML report speaks the users' language (issue 12): dates as people write them, no
measure keys, option names or stored codes, no ``None`` and no dumps of stored structures in
the visible text. Machines keep ISO dates (``datetime`` attributes, the JSON)."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest

from spasmcare.demo import long_record
from spasmcare.measures.labs import UNSOURCED_ALERTS
from spasmcare.plain import day_text, plain_dates, when_text
from spasmcare.record import record_from_dict, record_from_json
from spasmcare.record.model import DIET_KINDS, DIET_LABELS, KRAMER_ITEMS, KRAMER_VARIANTS
from spasmcare.report import MEASURE_KEYS, build_report, render_html

TODAY = date(2026, 6, 1)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: Internal names that must never reach a reader: measure keys, option and threshold names,
#: record codes (those that are not also plain words, like "relapse" or "amplitude").
CODES = (
    *MEASURE_KEYS,
    *KRAMER_ITEMS,
    *KRAMER_VARIANTS,
    *UNSOURCED_ALERTS,
    *(k for k in DIET_KINDS if k != "other"),
    "age_months_at_last_diary_day",
    "corrected_age_years",
    "days_used",
    "first_day_number",
    "index_treatment",
    "kramer_max_total",
    "not_configured",
    "prednisolone-high-dose",
)
INTERNAL_KEYS = tuple(k for k in CODES if "_" in k or "-" in k)


class _Visible(HTMLParser):
    """The text a reader sees: character data outside ``<style>``/``<script>`` (attribute
    values such as ``datetime="2026-05-22"`` and ``data-measure`` are not shown)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.hidden += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


def assert_reads_as_words(page: str) -> str:
    text = visible_text(page)
    assert ISO_DATE.findall(text) == []
    assert "None" not in text and "True" not in text and "False" not in text
    assert "{'" not in text and "['" not in text and "':" not in text
    shown = [k for k in INTERNAL_KEYS if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text)]
    assert shown == []
    assert re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", text) == []  # any snake_case code
    return text


@pytest.fixture(scope="module")
def long_report() -> dict[str, Any]:
    return build_report(record_from_dict(long_record(TODAY).record, today=TODAY))


def test_the_two_year_report_reads_as_words(long_report: dict[str, Any]) -> None:
    page = render_html(long_report)
    text = assert_reads_as_words(page)
    # Dates as the app writes them, the ISO date kept for machines in the attribute.
    born = long_report["patient"]["birth_date"]
    assert f'<time datetime="{born}">{when_text(born)}</time>' in page
    assert re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b", text)
    assert len(re.findall(r'<time datetime="\d{4}-\d{2}-\d{2}', page)) > 200
    # Lab times keep their time of day; codes read as their labels.
    assert re.search(
        r'<time datetime="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}">[^<]+ \d{2}:\d{2}</time>', page
    )
    assert DIET_LABELS["classic-kd"] in text
    assert "electrodecremental discharges" in text
    assert "no sourced cut-off; the clinic can set its own" in text
    # The measure key stays on its row for machines, not in the text.
    assert "data-measure='ukiss_response'" in page


def test_the_json_keeps_iso_dates(long_report: dict[str, Any]) -> None:
    text = json.dumps(long_report)
    assert long_report["patient"]["birth_date"] == "2023-12-21"
    assert len(ISO_DATE.findall(text)) > 1000
    assert any(
        "set bicarbonate_low_mmol_l locally" in t for t in long_report["labs"]["not_configured"]
    )


def test_a_new_patient_report_reads_as_words() -> None:
    record = record_from_json(
        json.dumps(
            {
                "format": "spasmcare-record",
                "schema_version": 1,
                "patient": {"id": "new-1", "birth_date": "2026-05-02", "sex": "female"},
            }
        ),
        today=TODAY,
    )
    page = render_html(build_report(record))
    text = assert_reads_as_words(page)
    assert "born 2 May 2026" in " ".join(text.split())
    assert "spasm onset not recorded" in " ".join(text.split())
    assert "No adverse events recorded." in text


def test_one_date_format_for_the_report_and_the_web() -> None:
    assert day_text(date(2026, 6, 7)) == "7 Jun 2026"
    assert when_text("2026-06-07T09:30") == "7 Jun 2026 09:30"
    assert when_text("2026-02-30") is None and when_text("not a date") is None
    assert plain_dates("spasms on 2026-06-07 and 2026-06-08") == (
        "spasms on 7 Jun 2026 and 8 Jun 2026"
    )
