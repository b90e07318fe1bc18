"""The dashboard's care-pathway panel and its forms (issue 23): each measure in words with the
days counted (the 7 vs 8 day boundary by hand), the work-up checklist and flags, the first-line
proposal accepted or overridden (a reason required), and bad input shown on the form."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

from spasmcare.plain import day_text
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.models import Entry, Kind
from spasmcare.web.models import CareTeam, Patient


def _text(response: Any) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _record(record_id: str, onset: date, start_after_days: int, **more: Any) -> dict[str, Any]:
    """A fictional infant (born 200 days ago) whose prednisolone started ``start_after_days``
    after spasm onset, with no diary, EEG or growth."""
    start = onset + timedelta(days=start_after_days)
    out: dict[str, Any] = {
        "format": "spasmcare-record",
        "schema_version": 1,
        "patient": {
            "id": record_id,
            "name": f"Child {record_id}",
            "birth_date": (records.today() - timedelta(days=200)).isoformat(),
            "sex": "female",
            "onset_date": onset.isoformat(),
        },
        "etiology": {"category": "unknown"},
        "treatments": [
            {
                "id": "pred1",
                "drug": "prednisolone",
                "start": start.isoformat(),
                "doses": [{"start": start.isoformat(), "amount": 40, "unit": "mg/day"}],
            }
        ],
    }
    out.update(more)
    return out


def _panel(client: Any, patient: Patient) -> str:
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    text = _text(response)
    return text[text.index("Time to treatment and work-up") :]


def test_onset_to_standard_therapy_7_days_is_met_8_is_not(
    team: CareTeam, client_as: Any
) -> None:
    """ASSIST's 7-day window: started on day 7 after onset is met, on day 8 not met."""
    onset = records.today() - timedelta(days=60)
    seven = audit.import_record(_record("kpi-7", onset, 7), team, None)
    eight = audit.import_record(_record("kpi-8", onset, 8), team, None)
    client = client_as("nurse")
    on7, on8 = onset + timedelta(days=7), onset + timedelta(days=8)
    text = _panel(client, seven)
    assert (
        f"Standard therapy within 7 days of spasm onset met met: 7 days (from {day_text(onset)} "
        f"to {day_text(on7)}; the window is 7 days)"
    ) in text
    text = _panel(client, eight)
    assert (
        f"Standard therapy within 7 days of spasm onset not met not met: 8 days (from "
        f"{day_text(onset)} to {day_text(on8)}; the window is 7 days)"
    ) in text
    # no referral, no MRI request, no failure: each not counted with its named reason
    assert (
        "Urgent referral seen within 2 weeks not counted not counted: no referral recorded"
    ) in text
    assert "not counted: no MRI request recorded" in text
    assert "not counted: first treatment not recorded as failed" in text
    # the response EEG window (days 14-28 of the course, NISC) has closed with no EEG
    assert "Response EEG on days 14-28 of the first course not met not met: 52 days" in text


def test_pending_and_past_the_window_with_no_event(team: CareTeam, client_as: Any) -> None:
    """Urgent referral 14 days ago, not yet seen: pending (day 14 is inside NICE QS211's two
    weeks); 15 days ago: not met. An MRI requested 42 days ago: pending; 43: not met."""
    today = records.today()
    onset = today - timedelta(days=60)
    on_14 = _record(
        "ref-14",
        onset,
        3,
        pathway={
            "referral": {"date": (today - timedelta(days=14)).isoformat(), "urgency": "urgent"},
            "mri": {"requested": (today - timedelta(days=42)).isoformat()},
        },
    )
    on_15 = _record(
        "ref-15",
        onset,
        3,
        pathway={
            "referral": {"date": (today - timedelta(days=15)).isoformat(), "urgency": "urgent"},
            "mri": {"requested": (today - timedelta(days=43)).isoformat()},
        },
    )
    client = client_as("nurse")
    text = _panel(client, audit.import_record(on_14, team, None))
    assert (
        "Urgent referral seen within 2 weeks pending pending: 14 days counted so far (from "
        f"{day_text(today - timedelta(days=14))}), inside the 14-day window"
    ) in text
    assert (
        "MRI within 6 weeks of request pending pending: 42 days counted so far (from "
        f"{day_text(today - timedelta(days=42))}), inside the 42-day window"
    ) in text
    text = _panel(client, audit.import_record(on_15, team, None))
    assert (
        "Urgent referral seen within 2 weeks not met not met: 15 days counted (from "
        f"{day_text(today - timedelta(days=15))}) and nothing recorded yet; the window was "
        "14 days"
    ) in text
    assert "MRI within 6 weeks of request not met not met: 43 days counted" in text


def test_workup_checklist_and_genetics_next_flag(team: CareTeam, client_as: Any) -> None:
    """MRI done, no cause found, no genetic test: the checklist in NISC's order says genetics
    is next and the "genetics next" flag is raised (Wirrell 2015)."""
    today = records.today()
    data = _record(
        "workup",
        today - timedelta(days=60),
        3,
        pathway={
            "tsc_examination": {"date": (today - timedelta(days=58)).isoformat(), "signs": False},
            "mri": {
                "requested": (today - timedelta(days=58)).isoformat(),
                "done": (today - timedelta(days=50)).isoformat(),
                "finding": "non-diagnostic",
            },
        },
    )
    text = _panel(client_as("nurse"), audit.import_record(data, team, None))
    order = [
        "History and skin examination for tuberous sclerosis complex done no signs of TSC",
        "MRI brain done no cause found",
        "Genetic testing to do next: the MRI found no cause",
        "Metabolic screen to do selectively",
        "Pyridoxine trial not indicated the clinic does not use one",
    ]
    found = [text.index(item) for item in order]
    assert found == sorted(found)
    assert "genetics next" in text
    assert "surgery referral criteria met" not in text


def test_tsc_proposal_accepted_and_overridden_only_with_a_reason(
    team: CareTeam, client_as: Any, users: Any
) -> None:
    """A TSC infant is proposed vigabatrin (UKISS); the neurologist accepts it or overrides it,
    each an audited entry; an override without a reason is refused and writes nothing."""
    data = _record("tsc", records.today() - timedelta(days=20), 2)
    data["etiology"] = {"category": "tsc"}
    patient = audit.import_record(data, team, None)
    neuro = client_as("neurologist")
    text = _panel(neuro, patient)
    assert "Tuberous sclerosis complex - vigabatrin is the first choice." in text
    assert "Options: vigabatrin." in text and "UKISS" in text
    url = f"/patients/{patient.pk}/pathway/"
    page = _text(neuro.get(url + "override/?proposal=tsc.vigabatrin-first"))
    assert "Proposal: Tuberous sclerosis complex - vigabatrin is the first choice." in page
    response = neuro.post(url + "override/", {"proposal": "tsc.vigabatrin-first", "reason": "  "})
    assert response.status_code == 400
    assert "Needed: the reason for the override, in words." in _text(response)
    assert not Entry.objects.filter(patient=patient, kind=Kind.PATHWAY_OVERRIDE).exists()
    # the nurse neither accepts nor overrides
    nurse = client_as("nurse").post(url + "accept/", {"proposal": "tsc.vigabatrin-first"})
    assert nurse.status_code == 403
    response = neuro.post(url + "accept/", {"proposal": "tsc.vigabatrin-first"})
    assert response.status_code == 302
    accept = Entry.objects.get(patient=patient, kind=Kind.PATHWAY_ACCEPT)
    assert accept.data["proposal"] == "tsc.vigabatrin-first"
    assert accept.revisions.get().action == "create"
    assert "accepted Accepted on " + day_text(records.today()) in _panel(neuro, patient)
    response = neuro.post(
        url + "override/",
        {"proposal": "tsc.vigabatrin-first", "chosen": "prednisolone", "reason": "vigabatrin "
         "not available this week"},
    )  # fmt: skip
    assert response.status_code == 302
    override = Entry.objects.get(patient=patient, kind=Kind.PATHWAY_OVERRIDE)
    assert override.data["reason"] == "vigabatrin not available this week"
    patient.refresh_from_db()
    exported = records.export_dict(patient)["pathway"]["overrides"]
    assert exported[0]["proposal"] == "tsc.vigabatrin-first"
    assert "overridden Overridden on" in _panel(neuro, patient)
    assert "chose prednisolone; vigabatrin not available this week" in _panel(neuro, patient)
    # accepted again the same day: the later answer is the one shown
    neuro.post(url + "accept/", {"proposal": "tsc.vigabatrin-first"})
    assert "accepted Accepted on " + day_text(records.today()) in _panel(neuro, patient)


def test_pathway_dates_form_saves_and_corrects(team: CareTeam, client_as: Any) -> None:
    today = records.today()
    patient = audit.import_record(_record("dates", today - timedelta(days=30), 2), team, None)
    nurse = client_as("nurse")
    url = f"/patients/{patient.pk}/pathway/dates/"
    referral = (today - timedelta(days=25)).isoformat()
    seen = (today - timedelta(days=20)).isoformat()
    response = nurse.post(
        url,
        {"referral_urgency": "urgent", "referral_date": referral, "first_seen": seen,
         "mri_requested": seen, "tsc_signs": "", "focal_onset": "yes"},
    )  # fmt: skip
    assert response.status_code == 302
    patient.refresh_from_db()
    section = records.export_dict(patient)["pathway"]
    assert section == {
        "referral": {"date": referral, "urgency": "urgent"},
        "first_seen": seen,
        "mri": {"requested": seen},
        "focal_onset": True,
    }
    text = _panel(nurse, patient)
    assert "Urgent referral seen within 2 weeks met met: 5 days" in text
    # a correction of the same entry, its previous version kept
    entry = Entry.objects.get(patient=patient, kind=Kind.PATHWAY)
    form = nurse.get(url)
    assert form.context["form"].initial["referral_date"] == referral
    response = nurse.post(
        url,
        {"referral_urgency": "routine", "referral_date": referral, "first_seen": seen,
         "version": entry.version},
    )  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.version == 2 and entry.revisions.count() == 2
    assert Entry.objects.filter(patient=patient, kind=Kind.PATHWAY).count() == 1


def test_bad_input_on_each_form_names_field_value_and_what_is_accepted(
    team: CareTeam, client_as: Any
) -> None:
    today = records.today()
    patient = audit.import_record(_record("bad", today - timedelta(days=30), 2), team, None)
    nurse = client_as("nurse")
    base = f"/patients/{patient.pk}/pathway/"
    before = Entry.objects.count()
    # the first visit before the referral (the record validator's rule)
    referral = (today - timedelta(days=10)).isoformat()
    early = (today - timedelta(days=12)).isoformat()
    response = nurse.post(
        base + "dates/",
        {"referral_urgency": "urgent", "referral_date": referral, "first_seen": early},
    )
    assert response.status_code == 400
    text = _text(response)
    assert f"'{day_text(today - timedelta(days=12))}' is not accepted: a date on or after the " \
        f"referral ({day_text(today - timedelta(days=10))})." in text
    assert response.context["form"].errors["first_seen"]
    # a date that is not one
    response = nurse.post(base + "dates/", {"mri_requested": "31/02/2026"})
    assert response.status_code == 400
    assert "'31/02/2026' is not accepted: a date (day, month and year)" in _text(response)
    # a genetic result dated before its request
    response = nurse.post(
        base + "add/genetic/",
        {"type": "exome", "requested": referral, "resulted": early, "classification": "vus"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["resulted"]
    assert "is not accepted: a date on or after the request" in _text(response)
    # a metabolic result without its date
    response = nurse.post(base + "add/metabolic/", {"name": "plasma amino acids",
                                                    "result": "normal"})  # fmt: skip
    assert response.status_code == 400
    assert "Needed: the date of the result it reports." in _text(response)
    # a course judged failed before it started
    response = nurse.post(
        base + "add/failure/",
        {"treatment": "pred1", "date": (today - timedelta(days=29)).isoformat()},
    )
    assert response.status_code == 400
    assert "is not accepted: a date on or after the treatment's start" in _text(response)
    # a course that is not the patient's
    response = nurse.post(base + "add/failure/", {"treatment": "acth9", "date": referral})
    assert response.status_code == 400 and "acth9 is not one of the available" in _text(response)
    assert Entry.objects.count() == before


def test_genetic_test_with_a_vus_and_a_failure_are_saved(team: CareTeam, client_as: Any) -> None:
    today = records.today()
    patient = audit.import_record(_record("vus", today - timedelta(days=30), 2), team, None)
    neuro = client_as("neurologist")
    base = f"/patients/{patient.pk}/pathway/"
    requested, resulted = today - timedelta(days=20), today - timedelta(days=5)
    response = neuro.post(
        base + "add/genetic/",
        {"type": "gene-panel", "requested": requested.isoformat(),
         "resulted": resulted.isoformat(), "result": "inconclusive", "gene": "CDKL5",
         "variant": "c.100A>G", "classification": "vus"},
    )  # fmt: skip
    assert response.status_code == 302
    start = today - timedelta(days=28)
    # the course is offered by name for "judged failed on", its form opens with it chosen
    text = _panel(neuro, patient)
    assert f"Treatment judged failed on…: prednisolone from {day_text(start)}" in text
    form = neuro.get(base + "add/failure/?treatment=pred1")
    assert form.context["form"]["treatment"].value() == "pred1"
    failed = today - timedelta(days=10)
    response = neuro.post(base + "add/failure/", {"treatment": "pred1", "date": failed.isoformat()})
    assert response.status_code == 302
    text = _panel(neuro, patient)
    assert (
        f"epilepsy gene panel, requested {day_text(requested)}, resulted {day_text(resulted)}, "
        "inconclusive, CDKL5 c.100A>G, variant of uncertain significance"
    ) in text
    assert f"prednisolone from {day_text(start)}: judged failed on {day_text(failed)}" in text
    assert "Treatment judged failed on…" not in text  # its only course is recorded failed
    # failed 10 days ago, nothing started since: inside Mytinger's 14 days
    assert (
        "Next treatment within 14 days of a failed first treatment pending pending: 10 days"
    ) in text


def test_the_panel_and_its_forms_read_as_words(
    team: CareTeam, client_as: Any, users: Any
) -> None:
    """No ISO date, rule id, course id or code on the panel, its forms or the planner's offer
    (the checks of tests/web/test_visible_words.py), with every part of the pathway recorded."""
    from spasmcare.therapy.pathway_rules import load_table
    from tests.web.clinic.test_pathway_store import _with_pathway
    from tests.web.test_visible_words import _known_codes, leaks, visible_text

    patient = audit.import_record(_with_pathway("words"), team, None)
    table = load_table()
    codes = _known_codes() | {str(r["id"]) for r in table.data["first_line"]}
    codes |= {str(f["id"]) for f in table.data["flags"]}
    ids = {"pred1", "vgb1"}
    neuro = client_as("neurologist")
    page = neuro.get(f"/patients/{patient.pk}/").content.decode()
    panel = page[page.index('id="care-pathway"') :]
    panel = panel[: panel.index("</section>")]
    pages = {"panel": panel}
    base = f"/patients/{patient.pk}/pathway/"
    parts = Entry.objects.filter(patient=patient, kind__startswith="pathway_")
    urls = [base + "dates/", base + "override/?proposal=nice-ng217.non-tsc"]
    urls += [base + f"add/{what}/" for what in ("genetic", "metabolic", "failure")]
    urls += [base + f"{e.pk}/edit/" for e in parts if e.kind != Kind.PATHWAY_OVERRIDE]
    every = Entry.objects.filter(patient=patient, kind__startswith="pathway")
    urls += [f"/patients/{patient.pk}/entries/{e.pk}/history/" for e in every]
    urls += [f"/patients/{patient.pk}/entries/{e.pk}/retract/" for e in every]
    urls += [f"/patients/{patient.pk}/history/"]
    for url in urls:
        response = neuro.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    planner = neuro.get(f"/patients/{patient.pk}/course/").content.decode()
    offer = planner[planner.index('id="second-line-offer"') :]
    pages["offer"] = offer[: offer.index("</p>")]
    assert "Vigabatrin from 23 Jul 2026 was judged to have failed on 10 Aug 2026" in (
        visible_text(pages["offer"])
    )
    problems = [
        f"{name}: {leak}"
        for name, page in pages.items()
        for leak in leaks(visible_text(page), codes, ids)
    ]
    assert not problems, "\n".join(problems)


def test_the_clinics_guideline_chooses_the_proposal(
    team: CareTeam, client_as: Any, settings: Any
) -> None:
    """Unset, every guideline's proposal is shown with its source; set, only the clinic's."""
    data = _record("guide", records.today() - timedelta(days=20), 2)
    patient = audit.import_record(data, team, None)
    neuro = client_as("neurologist")
    text = _panel(neuro, patient)
    assert "prednisolone with vigabatrin, or either alone. (NICE NG217 (UK))" in text
    assert "ACTH (low dose acceptable) or prednisolone; vigabatrin is second. (AAN/CNS" in text
    assert "ACTH; pyridoxine and valproate considered by etiology. (Japanese practice)" in text
    settings.SPASMCARE_PATHWAY_GUIDELINE = "aan-cns"
    text = _panel(neuro, patient)
    assert "AAN/CNS 2012 (US)" in text and "NICE NG217 (UK)" not in text
