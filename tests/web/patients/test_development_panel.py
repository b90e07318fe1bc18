"""The dashboard's development panel (issue 25): the WHO windows against corrected age for a
32-week infant, the review prompt at the end of the sitting window (never a diagnosis), the
entry forms (development at diagnosis, Vineland, ASQ-3) and who may use them."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam, Entry, Kind, Patient, Revision


def _infant(team: CareTeam, days_old: int, record_id: str) -> Patient:
    """Born at 32 weeks + 0 days (8 weeks = 56 days before term), ``days_old`` days ago,
    with one milestone recorded so that milestones are tracked."""
    birth = date.today() - timedelta(days=days_old)
    patient = audit.create_patient(
        {
            "record_id": record_id,
            "name": "Preterm Example",
            "birth_date": birth,
            "sex": "male",
            "gestation_weeks": 32,
            "gestation_days": 0,
            "onset_date": birth + timedelta(days=120),
        },
        team,
        None,
    )
    audit.create_entry(
        patient,
        Kind.MILESTONE,
        {
            "milestone": "who-standing-alone",
            "status": "not-yet",
            "date": (birth + timedelta(days=200)).isoformat(),
            "reported_by": "clinician",
        },
        None,
    )
    return patient


def _row_status(html: str, milestone: str) -> str:
    found = re.search(rf'data-milestone="{milestone}" data-status="([a-z-]+)"', html)
    assert found, milestone
    return found.group(1)


def _dashboard(client: Client, patient: Patient) -> str:
    r = client.get(reverse("patient_dashboard", args=[patient.pk]))
    assert r.status_code == 200
    return r.content.decode()


def test_a_32_week_infant_at_the_end_of_the_sitting_window(
    client_as: Any, team: CareTeam, users: Any
) -> None:
    """By hand: 32 weeks = 56 days early. 336 days old: (336 - 56) / 30.4375 = 9.199 months
    corrected, not past sitting's window end of 9.2 (WHO 2006): inside the window, no prompt.
    337 days old: 281 / 30.4375 = 9.232 months, past 9.2: "developmental review due". (From
    birth they are 11.0 and 11.1 months: without the correction both would be past 9.2.)"""
    nurse: Client = client_as("nurse")
    inside = _dashboard(nurse, _infant(team, 336, "pre-336"))
    assert _row_status(inside, "who-sitting-without-support") == "in-window"
    assert "Corrected age 9.2 months on " in inside and "born 8 weeks early" in inside
    assert "11.0 months from birth" in inside
    assert "sitting without support not recorded as reached" not in inside
    past = _dashboard(nurse, _infant(team, 337, "pre-337"))
    assert _row_status(past, "who-sitting-without-support") == "review-due"
    assert (
        "sitting without support not recorded as reached at 9.23 months corrected age, past "
        "the end of its WHO window (3.8-9.2 months). This prompts an assessment; it is not a "
        "diagnosis." in past
    )
    # standing with assistance (4.8-11.4) is still inside its window on corrected age
    assert _row_status(past, "who-standing-with-assistance") == "in-window"
    # the chart: an accessible SVG whose description gives the day in words, no ISO date
    svg = re.search(r"<svg.*?</svg>", past, re.S)
    assert svg is not None
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg.group(0), re.S)
    assert desc is not None
    today_words = f"{date.today().day} {date.today():%b %Y}"
    assert f"Corrected age 9.2 months on {today_words}." in desc.group(1)
    assert "Sitting without support: window 3.8 to 9.2 months, developmental review due" in (
        desc.group(1)
    )
    assert not re.search(r"\d{4}-\d{2}-\d{2}", desc.group(1))
    assert "<title" in svg.group(0)


def test_no_prompt_when_no_milestone_is_recorded(client_as: Any, team: CareTeam) -> None:
    birth = date.today() - timedelta(days=400)
    patient = audit.create_patient(
        {"record_id": "untracked", "name": "No Milestones", "birth_date": birth, "sex": "female",
         "gestation_weeks": 40, "gestation_days": 0},
        team,
        None,
    )  # fmt: skip
    html = _dashboard(client_as("nurse"), patient)
    assert "No milestones recorded yet, so no review prompt is raised." in html
    assert _row_status(html, "who-sitting-without-support") == "not-recorded"


def test_vineland_and_asq3_scores_are_stored_as_entered(
    client_as: Any, patient: Patient
) -> None:
    nurse: Client = client_as("nurse")
    url = reverse("development_add", args=[patient.pk, "vineland"])
    assert nurse.get(url).status_code == 200
    r = nurse.post(url, {"date": "2026-11-20", "composite": "78", "motor": "71.5"})
    assert r.status_code == 302
    vineland = Entry.objects.get(patient=patient, kind=Kind.ASSESSMENT)
    assert vineland.data == {
        "instrument": "vineland",
        "date": "2026-11-20",
        "scores": {"composite": 78, "motor": 71.5},
    }
    r = nurse.post(
        reverse("development_add", args=[patient.pk, "asq-3"]),
        {"date": "2026-11-21", "questionnaire_months": "10", "gross_motor": "25",
         "gross_motor_band": "below", "communication_band": "close"},
    )  # fmt: skip
    assert r.status_code == 302
    asq = Entry.objects.filter(patient=patient, kind=Kind.ASSESSMENT).order_by("-id")[0]
    assert asq.data["asq_cutoff"] == {"gross_motor": "below", "communication": "close"}
    html = _dashboard(nurse, patient)
    assert "adaptive behaviour composite 78; motor 71.5" in html
    assert "communication (close to the cut-off); gross motor 25 (below the cut-off)" in html


def test_a_bad_score_is_named_on_the_form_and_nothing_is_saved(
    client_as: Any, patient: Patient
) -> None:
    nurse: Client = client_as("nurse")
    r = nurse.post(
        reverse("development_add", args=[patient.pk, "bayley-3"]),
        {"date": "2026-11-20", "cognitive": "250"},
    )
    assert r.status_code == 400
    assert "250" in r.content.decode()
    url = reverse("development_add", args=[patient.pk, "bayley-3"])
    r = nurse.post(url, {"date": "2026-11-20"})
    assert r.status_code == 400 and "at least one score" in r.content.decode()
    assert not Entry.objects.filter(patient=patient, kind=Kind.ASSESSMENT).exists()


def test_only_the_neurologist_or_nurse_enters_scores(client_as: Any, patient: Patient) -> None:
    url = reverse("development_add", args=[patient.pk, "vineland"])
    assert client_as("dietitian").get(url).status_code == 403
    assert client_as("family").get(url).status_code == 403
    # a dietitian may still record a milestone seen in clinic
    assert client_as("dietitian").get(
        reverse("development_add", args=[patient.pk, "milestone"])
    ).status_code == 200


def test_development_at_diagnosis_is_one_entry_edited_in_place(
    client_as: Any, patient: Patient
) -> None:
    neuro: Client = client_as("neurologist")
    url = reverse("development_add", args=[patient.pk, "baseline"])
    achieved = ["cdc-2m-head-up-prone", "cdc-4m-head-steady"]
    r = neuro.post(
        url, {"course": "plateau", "date": "2026-05-20", "milestones_achieved": achieved}
    )
    assert r.status_code == 302
    [entry] = Entry.objects.filter(patient=patient, kind=Kind.DEVELOPMENT_BASELINE)
    assert entry.data["at_diagnosis"] == {
        "course": "plateau",
        "date": "2026-05-20",
        "milestones_achieved": ["cdc-2m-head-up-prone", "cdc-4m-head-steady"],
    }
    # opened again, the form edits it (with the version shown)
    form = neuro.get(url).content.decode()
    assert re.search(r'<option value="plateau" selected>', form)
    assert 'name="version" value="1"' in form
    r = neuro.post(url, {"course": "regression", "date": "2026-05-20", "version": "1"})
    assert r.status_code == 302
    [entry] = Entry.objects.filter(patient=patient, kind=Kind.DEVELOPMENT_BASELINE)
    assert entry.data["at_diagnosis"]["course"] == "regression" and entry.version == 2
    assert Revision.objects.filter(entry=entry).count() == 2
    html = _dashboard(neuro, patient)
    assert "Regression at onset (skills lost) (assessed on 20 May 2026)" in html
    # a stale edit is refused, naming who changed it
    r = neuro.post(url, {"course": "none", "version": "1"})
    assert r.status_code == 400 and "changed by" in r.content.decode()


def test_the_panel_and_the_entry_pages_read_as_words(client_as: Any, team: CareTeam) -> None:
    """People read words (issue 19): the dashboard, the family diary, the history of each new
    kind of entry and the forms show no ISO date, milestone id or other code."""
    from spasmcare.measures.development import milestone_ids
    from tests.web.clinic.test_development_rows import _with_development
    from tests.web.test_visible_words import _known_codes, leaks, visible_text

    patient = audit.import_record(_with_development("demo-0901"), team, None)
    nurse: Client = client_as("nurse")
    urls = [
        reverse("patient_dashboard", args=[patient.pk]),
        reverse("patient_history", args=[patient.pk]),
        *(reverse("development_add", args=[patient.pk, part])
          for part in ("baseline", "milestone", "vineland", "bayley-3", "asq-3")),
    ]  # fmt: skip
    for e in Entry.objects.filter(
        patient=patient,
        kind__in=(Kind.DEVELOPMENT_BASELINE, Kind.MILESTONE, Kind.ASSESSMENT, Kind.OTHER_SEIZURE),
    ):
        urls.append(reverse("entry_history", args=[patient.pk, e.pk]))
    codes = _known_codes() | set(milestone_ids()) | {"tonic-clonic", "not-yet", "asq-3"}
    problems = []
    for url in urls:
        r = nurse.get(url)
        assert r.status_code == 200, url
        problems += [f"{url}: {x}" for x in leaks(visible_text(r.content.decode()), codes, set())]
    assert problems == []


def test_the_other_pages_of_a_patient_with_development_open(
    client_as: Any, team: CareTeam
) -> None:
    """The report, its JSON, the FHIR Bundle and the record export carry the stored sections."""
    import json

    from tests.web.clinic.test_development_rows import DEVELOPMENT, _with_development

    patient = audit.import_record(_with_development("demo-0902"), team, None)
    nurse: Client = client_as("nurse")
    for name in ("patient_report", "patient_fhir"):
        assert nurse.get(reverse(name, args=[patient.pk])).status_code == 200, name
    report = json.loads(nurse.get(reverse("patient_report_json", args=[patient.pk])).content)
    assert report["development"]["who"][0]["status"] == "achieved"
    exported = json.loads(nurse.get(reverse("record_export", args=[patient.pk])).content)
    assert exported["development"] == DEVELOPMENT


def test_a_score_and_a_family_tick_are_corrected_through_the_edit_page(
    client_as: Any, patient: Patient, users: Any
) -> None:
    """The entry's "edit" leads to the development form with the stored values; a corrected
    family tick keeps who reported it and stays unconfirmed; a stale version is refused."""
    nurse: Client = client_as("nurse")
    scores = audit.create_entry(
        patient, Kind.ASSESSMENT,
        {"instrument": "asq-3", "date": "2026-11-21", "scores": {"gross_motor": 25},
         "asq_cutoff": {"gross_motor": "below"}},
        users["nurse"],
    )  # fmt: skip
    r = nurse.get(reverse("entry_edit", args=[patient.pk, scores.pk]))
    edit = reverse("development_add", args=[patient.pk, "asq-3"]) + f"?entry={scores.pk}"
    assert r.status_code == 302 and r["Location"] == edit
    form = nurse.get(edit).content.decode()
    assert 'name="gross_motor" value="25"' in form
    assert '<option value="below" selected>' in form
    r = nurse.post(edit, {"date": "2026-11-21", "gross_motor": "35", "gross_motor_band": "close",
                          "version": "1"})  # fmt: skip
    assert r.status_code == 302
    scores.refresh_from_db()
    assert scores.data == {
        "instrument": "asq-3",
        "date": "2026-11-21",
        "scores": {"gross_motor": 35},
        "asq_cutoff": {"gross_motor": "close"},
    }
    r = nurse.post(edit, {"date": "2026-11-21", "gross_motor": "40", "version": "1"})
    assert r.status_code == 400 and "changed by" in r.content.decode()
    scores.refresh_from_db()
    assert scores.data["scores"] == {"gross_motor": 35}
    # the Vineland form does not open an ASQ-3 entry
    wrong = reverse("development_add", args=[patient.pk, "vineland"]) + f"?entry={scores.pk}"
    assert nurse.get(wrong).status_code == 404
    tick = audit.create_entry(
        patient, Kind.MILESTONE,
        {"milestone": "who-standing-alone", "status": "achieved", "date": "2026-12-01",
         "reported_by": "family"},
        users["family"],
    )  # fmt: skip
    edit = reverse("development_add", args=[patient.pk, "milestone"]) + f"?entry={tick.pk}"
    r = nurse.post(edit, {"milestone": "who-standing-alone", "status": "achieved",
                          "date": "2026-11-30", "version": "1"})  # fmt: skip
    assert r.status_code == 302
    tick.refresh_from_db()
    assert tick.data["reported_by"] == "family" and "confirmed_by" not in tick.data
    assert tick.data["date"] == "2026-11-30"
