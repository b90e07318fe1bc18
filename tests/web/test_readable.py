"""Record items in words on the dashboard and in the history (issue 12): no dict dumps, no
ISO timestamps."""

from __future__ import annotations

import re
from typing import Any

from spasmcare.web.templatetags.clinic import entry_text


def test_an_eeg_with_kramer_items_reads_as_words() -> None:
    item = {
        "date": "2026-12-02",
        "hypsarrhythmia": True,
        "kramer": {"items": {"amplitude": 2, "asynchrony": 1}, "total": 3},
    }
    assert entry_text(item) == (
        "date: 2 Dec 2026; hypsarrhythmia: yes; kramer: items amplitude 2, asynchrony 1, total 3"
    )


def test_dates_times_units_and_lists() -> None:
    item = {
        "at": "2026-07-08T09:05",
        "systolic_mmhg": 135.0,
        "doses": [{"start": "2026-07-01", "amount": 40, "unit": "mg/day"}],
    }
    text = entry_text(item)
    assert text == (
        "at: 8 Jul 2026 09:05; systolic [mmHg]: 135; doses: start 1 Jul 2026, amount 40, "
        "unit mg/day"
    )
    assert "{" not in text and "'" not in text
    assert entry_text({"note": "2026 was a good year"}) == "note: 2026 was a good year"


def test_dates_inside_sentences_read_as_words() -> None:
    from spasmcare.web.templatetags.clinic import plain_dates

    assert plain_dates("spasms on 2026-06-07, 2026-06-08 (+3 more)") == (
        "spasms on 7 Jun 2026, 8 Jun 2026 (+3 more)"
    )
    assert plain_dates("measured 2026-11-09T08:30.") == "measured 9 Nov 2026 08:30."
    assert plain_dates("dose 2026 mg, id 12345-67-89x") == "dose 2026 mg, id 12345-67-89x"
    assert plain_dates(None) == ""


def test_stored_codes_read_as_words() -> None:
    item = {"diet": "classic-kd", "analyte": "urine_calcium_creatinine_ratio", "id": "kd1"}
    # issue 19: the item's own id is for machines ("id: pred1; drug: ..." was on screen); a
    # lab test reads by its catalogue label
    assert entry_text(item) == (
        "diet: classic ketogenic diet; analyte: urine calcium/creatinine ratio"
    )
    course = {"treatment": "pred1", "item": "bp", "protocol": "prednisolone-high-dose"}
    names = {"pred1": "prednisolone from 1 Jun 2026"}
    assert entry_text(course, names) == (
        "treatment: prednisolone from 1 Jun 2026; item: bp; "
        "protocol: High-dose oral prednisolone, UKISS"
    )


def test_the_report_page_reads_as_words(client_as: Any, patient: Any) -> None:
    """The web report (the same HTML as ``spasmcare report --html``): dates as people write
    them, no measure keys or stored codes in what a reader sees; ISO dates only inside
    ``datetime`` attributes."""
    from tests.report.test_plain_text import assert_reads_as_words

    response = client_as("neurologist").get(f"/patients/{patient.pk}/report/")
    assert response.status_code == 200
    page = response.content.decode()
    text = assert_reads_as_words(page)
    assert "relapse on 20 Jul 2026" in text
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} [A-Z][a-z]{2} \d{4}</time>', page)


def test_the_words_filter_keeps_each_sentence_once() -> None:
    """A page repeats the same sentences on every view: each is put in words once per
    process, and reads exactly as spasmcare.plain.words reads it."""
    from spasmcare.plain import words as plain_words
    from spasmcare.web.templatetags import clinic as tags

    tags._words_of_text.cache_clear()
    text = "Relapse after `classic-kd` from 2026-06-07 (issue 23) [D]"
    assert tags.words(text) == plain_words(text) == tags.words(text)
    assert "7 Jun 2026" in tags.words(text) and "issue" not in tags.words(text)
    info = tags._words_of_text.cache_info()
    assert info.misses == 1 and info.hits >= 2
    assert tags.words(None) == "" and tags.words(3) == plain_words(3)
