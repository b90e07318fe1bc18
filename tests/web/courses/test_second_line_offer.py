"""Second-line courses in the planner (issue 23): offered only once a course is recorded as
judged to have failed, and then planned, saved and shown to the family like any course."""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import Client

from spasmcare.plain import day_text
from spasmcare.web.clinic import audit, records
from spasmcare.web.models import Entry, Kind, Patient, User

SECOND_LINE = (
    "Valproate, second line",
    "Topiramate",
    "Zonisamide",
    "Levetiracetam",
    "Pyridoxine (vitamin B6) trial",
    "Pyridoxal 5'-phosphate (PLP) trial",
)


def text(response: Any) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def protocols_table(client: Client, patient: Patient) -> str:
    """The planner's protocols section (titles in bold, the offer's reason below)."""
    page = client.get(f"/patients/{patient.pk}/course/").content.decode()
    section = page[page.index('id="protocols"') :]
    section = section[: section.index("</section>")]
    section = re.sub(r"<details>.*?</details>", " ", section, flags=re.S)  # sources
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", section)))


def fail_vigabatrin(patient: Patient, user: User, day: str = "2026-11-20") -> Entry:
    """The example's vigabatrin (vgb1, from 23 Jul 2026) judged to have failed on ``day``."""
    return audit.create_entry(
        patient, Kind.PATHWAY_FAILURE, {"treatment": "vgb1", "date": day}, user
    )


def test_second_line_only_after_a_recorded_failure(
    client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    neuro = client_as("neurologist")
    table = protocols_table(neuro, patient)
    assert "High-dose oral prednisolone" in table  # first line: always
    assert not any(title in table for title in SECOND_LINE)
    assert "Second-line courses are offered once a course is recorded as judged to have failed" in (
        table
    )
    # asking for one by its id is refused with the reason
    page = text(neuro.get(f"/patients/{patient.pk}/course/?protocol=valproate"))
    assert "is not offered: Second-line courses are offered once a course" in page
    assert "Dose schedule" not in page
    fail_vigabatrin(patient, users["neurologist"])
    table = protocols_table(neuro, patient)
    assert "High-dose oral prednisolone" in table
    for title in SECOND_LINE:
        assert title in table, title
    assert (
        f"Vigabatrin from {day_text(records.today().replace(2026, 7, 23))} was judged to have "
        "failed on 20 Nov 2026: second-line courses are offered beside the first-line ones."
    ) in table


def test_a_second_line_course_planned_saved_and_given_by_the_family_in_ml(
    client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    """Valproate 30 mg/kg/day in two doses (Chandra 2012; the protocol file) for 6 kg: 180
    mg/day = 90 mg twice a day; with a 40 mg/mL liquid (200 mg in 5 mL) 90 mg = 2.25 mL, on
    no mark of the 5 mL syringe (0.1 mL marks, therapy.dosing), so the nearest mark, 2.3 mL =
    92 mg (below the 100 mg/kg/day maximum), at 08:00 and 20:00."""
    fail_vigabatrin(patient, users["neurologist"])
    neuro = client_as("neurologist")
    today = records.today().isoformat()
    post = {"protocol": "valproate", "weight_kg": "6", "start": today, "product_0": "40"}
    preview = text(neuro.get(f"/patients/{patient.pk}/course/", post))
    assert "90 mg" in preview
    response = neuro.post(f"/patients/{patient.pk}/course/save/", post)
    assert response.status_code == 302, text(response)[:3000]
    entry = Entry.objects.get(patient=patient, kind=Kind.TREATMENT, data__protocol="valproate")
    assert entry.data["doses"][0] == {
        "start": today, "amount": 180.0, "unit": "mg/day", "note": entry.data["doses"][0]["note"]
    }
    family = client_as("family")
    page = family.get(f"/family/{patient.pk}/").content.decode()
    section = page[page.index('id="medicines"') :]
    section = section[: section.index("</section>")]
    assert section.count("<strong>sodium valproate</strong> 92 mg = 2.3 mL of 40 mg/mL") == 2
    # the time of each dose (kept left to right in a right-to-left language: dir="ltr")
    assert re.search(r'<span class="fam-time"[^>]*>08:00</span>', section)
    assert re.search(r'<span class="fam-time"[^>]*>20:00</span>', section)
