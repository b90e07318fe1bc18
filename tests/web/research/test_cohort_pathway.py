"""The cohort page's time-to-treatment table (issue 23), by hand on a small synthetic cohort
with k = 3.

The cohort: the example infant (the ``patient`` fixture behind every login: spasms from
18 May 2026, prednisolone from 1 Jun 2026 = day 14, EEGs on days 13 and 51 of the course, no
referral, MRI or failure recorded) and four fictional infants, onset 60 days before today:

- A: prednisolone on day 7 after onset; urgent referral on day 1, first seen 14 days later;
- B: prednisolone on day 8; urgent referral on day 1, first seen 16 days later;
- C: prednisolone on day 2; a routine referral;
- D: onset 3 days ago, no treatment yet; urgent referral 3 days ago, not yet seen.

Onset to standard therapy (7 days, ASSIST): met A, C; not met B (8 days), the example (14);
pending D -> 2/4 = 50.0 %, Wilson 95 % interval 15.0 % to 85.0 % (z = 1.96: centre 0.5,
half-width 0.35). Response EEG (days 14-28): no child had one, every window has closed ->
0/4, 0.0 % to 49.0 % (centre 0.2449, half-width 0.2449); D not counted (no treatment).
Urgent referral seen in 14 days: A met, B not met, D pending, C routine and the example
without a referral not counted -> 2 children in the denominator < k: withheld. MRI within
6 weeks and next treatment after a failure: no child counted.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

from spasmcare.web.clinic import audit, records
from spasmcare.web.models import CareTeam


def _infant(
    rid: str, onset_days_ago: int, start_day: int | None, pathway: dict[str, Any]
) -> dict[str, Any]:
    today = records.today()
    onset = today - timedelta(days=onset_days_ago)
    treatments = []
    if start_day is not None:
        start = (onset + timedelta(days=start_day)).isoformat()
        treatments = [
            {"id": "pred1", "drug": "prednisolone", "start": start,
             "doses": [{"start": start, "amount": 40, "unit": "mg/day"}]}
        ]  # fmt: skip
    return {
        "format": "spasmcare-record",
        "schema_version": 1,
        "patient": {
            "id": rid,
            "name": f"Child {rid}",
            "birth_date": (today - timedelta(days=240)).isoformat(),
            "sex": "male",
            "onset_date": onset.isoformat(),
        },
        "etiology": {"category": "unknown"},
        "treatments": treatments,
        "pathway": pathway,
    }


def _referral(onset_days_ago: int, after: int, urgency: str, seen: int | None) -> dict[str, Any]:
    today = records.today()
    day = today - timedelta(days=onset_days_ago - after)
    out: dict[str, Any] = {"referral": {"date": day.isoformat(), "urgency": urgency}}
    if seen is not None:
        out["first_seen"] = (day + timedelta(days=seen)).isoformat()
    return out


def _table(response: Any) -> str:
    page = response.content.decode()
    section = page[page.index('id="pathway-kpis"') :]
    section = section[: section.index("</section>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", section)))


def test_cohort_kpi_table_by_hand_with_k_suppression(
    team: CareTeam, client_as: Any, settings: Any
) -> None:
    settings.SPASMCARE_COHORT_K = 3
    cohort = [
        _infant("a", 60, 7, _referral(60, 1, "urgent", 14)),
        _infant("b", 60, 8, _referral(60, 1, "urgent", 16)),
        _infant("c", 60, 2, _referral(60, 1, "routine", None)),
        _infant("d", 3, None, _referral(3, 0, "urgent", None)),
    ]
    for data in cohort:
        audit.import_record(data, team, None)
    text = _table(client_as("researcher").get("/cohort/"))
    assert "Every live patient whose record reads (5)" in text
    onset = text[text.index("Standard therapy within 7 days") :]
    assert onset.split("Source:")[1].split("Urgent")[0].strip().endswith(
        "2/4 50.0 % 15.0 % to 85.0 % 1 0"
    )
    referral = text[text.index("Urgent referral seen within 2 weeks") :]
    assert "withheld fewer than 3 children in the denominator" in referral.split("MRI within")[0]
    mri = text[text.index("MRI within 6 weeks of request") :]
    assert "withheld no child counted yet" in mri.split("Response EEG")[0]
    eeg = text[text.index("Response EEG on days 14-28") :]
    assert "0/4 0.0 % 0.0 % to 49.0 % 0 1" in eeg.split("Next treatment")[0]
    nxt = text[text.index("Next treatment within 14 days") :]
    assert "withheld no child counted yet" in nxt
    # with k = 2 the referral figure is released: 1 of 2 met (B's 16 days), D pending
    settings.SPASMCARE_COHORT_K = 2
    text = _table(client_as("researcher").get("/cohort/"))
    referral = text[text.index("Urgent referral seen within 2 weeks") :].split("MRI within")[0]
    assert "1/2 50.0 %" in referral and "withheld" not in referral
