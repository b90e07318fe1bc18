"""Every URL × every role: allowed or refused, as the clinic expects.

The expected matrix is written out here by hand (not read from ``access.RULES``), so a change
to the rules that nobody meant shows up as a failing test.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from spasmcare.web.accounts.access import RULES
from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam, Entry, Patient
from tests.web.conftest import example_record

N, D, U, F, R, A = "neurologist", "dietitian", "nurse", "family", "researcher", "admin"
ROLES = (N, D, U, F, R, A)
CLIN = {N, D, U}
STAFF = CLIN | {A}

#: url name -> roles allowed (everyone else refused). Login, invitation and one-time password
#: pages are public. The administrator manages accounts and teams and opens no clinical page
#: (issue 13); demographics and family invitations belong to the neurologist and the nurse.
EXPECTED: dict[str, set[str]] = {
    "home": set(ROLES),
    "logout": set(ROLES),
    "password_change": set(ROLES),
    "patient_list": CLIN,
    "patient_new": {N, U},
    "record_import": {N, U},
    "food_search": CLIN,
    "patient_dashboard": CLIN,
    "patient_chart": CLIN,
    "patient_edit": {N, U},
    "patient_history": CLIN,
    "patient_report": CLIN,
    "patient_report_json": CLIN,
    "record_export": CLIN,
    "entry_add": CLIN,
    "entry_edit": CLIN,
    "entry_retract": CLIN,
    "entry_history": CLIN,
    "invitation_new": {N, U},
    "invitation_list": {N, U},
    "invitation_revoke": {N, U},
    "course_planner": CLIN,
    "course_save": {N},
    "monitoring_tick": CLIN,
    "protocol_details": CLIN,
    "protocol_confirm": {N},
    "clinic_settings": STAFF,
    "clinic_settings_save": {A},
    "keto_planner": CLIN,
    "keto_solve": CLIN,
    "keto_save": {D},
    "family_home": {F},
    "family_diary": CLIN | {F},
    "family_log": CLIN | {F},
    "family_video": CLIN | {F},
    "video": CLIN | {F},
    "family_print": CLIN | {F},
    # the family diary offline (issue 26): only the family member sends the phone's outbox
    "family_outbox": {F},
    "family_js_words": {F},  # the outbox's words in the family's language
    "family_side_effect": CLIN | {F},  # issue 24
    "keto_weaning": CLIN,
    "keto_weaning_save": {D},
    "keto_feeding": CLIN,
    "keto_feeding_save": {D},
    "cohort": {R, N, D},
    "cohort_csv": {R, N, D},
    "patient_fhir": CLIN,
    "fhir_import": CLIN,
    "cohort_redcap": {R, N, D},
    "bulk_export": CLIN,
    "bulk_export_status": CLIN,
    "bulk_export_file": CLIN,
    # issue 25: the development panel's forms and confirming a family's milestone tick
    "development_add": CLIN,
    "milestone_confirm": CLIN,
    "cohort_development_csv": {R, N, D},
    "admin:index": {A},
    # care pathway (issue 23)
    "pathway_dates": {N, U},
    "pathway_add": {N, U},
    "pathway_edit": {N, U},
    "pathway_accept": {N},
    "pathway_override": {N},
    # families' language, translation reviews and PDFs (issue 26)
    "account_language": {F},
    "translation_confirm": CLIN,
    "family_print_pdf": CLIN | {F},
    "patient_report_pdf": CLIN,
}
PUBLIC = {"login", "invitation_accept", "password_reset"}
#: The family diary's manifest, service worker and offline shell hold no one's data (issue 26).
PUBLIC |= {"family_manifest", "family_sw", "family_offline"}


def _names() -> set[str]:
    names: set[str] = set()
    for p in get_resolver().url_patterns:
        if isinstance(p, URLPattern) and p.name:
            names.add(p.name)
        elif isinstance(p, URLResolver) and p.namespace == "admin":
            names.add("admin:index")
    return names


def test_every_url_has_a_rule_and_an_expectation() -> None:
    names = _names()
    assert names - {"admin:index"} == set(RULES)
    assert names == set(EXPECTED) | PUBLIC


def _url(name: str, patient: Patient, entry: Entry) -> str:
    pid, eid = patient.pk, entry.pk
    return {
        "home": "/",
        "logout": "/logout/",
        "patient_list": "/patients/",
        "patient_new": "/patients/new/",
        "record_import": "/patients/import/",
        "food_search": "/foods/search/?q=butter",
        "patient_dashboard": f"/patients/{pid}/",
        "patient_chart": f"/patients/{pid}/chart/timeline.svg",
        "patient_edit": f"/patients/{pid}/edit/",
        "patient_history": f"/patients/{pid}/history/",
        "patient_report": f"/patients/{pid}/report/",
        "patient_report_json": f"/patients/{pid}/report.json",
        "record_export": f"/patients/{pid}/record.json",
        "entry_add": f"/patients/{pid}/add/growth/",
        "entry_edit": f"/patients/{pid}/entries/{eid}/edit/",
        "entry_retract": f"/patients/{pid}/entries/{eid}/retract/",
        "entry_history": f"/patients/{pid}/entries/{eid}/history/",
        "invitation_new": f"/patients/{pid}/invite/",
        "invitation_list": f"/patients/{pid}/invitations/",
        "invitation_revoke": f"/patients/{pid}/invitations/1/revoke/",
        "password_change": "/account/password/",
        "course_planner": f"/patients/{pid}/course/",
        "course_save": f"/patients/{pid}/course/save/",
        "monitoring_tick": f"/patients/{pid}/monitoring/",
        "protocol_details": "/protocols/",
        "protocol_confirm": "/protocols/prednisolone-high-dose/confirm/",
        "clinic_settings": "/clinic/",
        "clinic_settings_save": "/clinic/save/",
        "keto_planner": f"/patients/{pid}/keto/",
        "keto_solve": f"/patients/{pid}/keto/solve/",
        "keto_save": f"/patients/{pid}/keto/save/",
        "family_home": "/family/",
        "family_diary": f"/family/{pid}/",
        "family_log": f"/family/{pid}/log/",
        "family_video": f"/family/{pid}/video/",
        "video": f"/patients/{pid}/videos/{uuid.uuid4()}/",
        "family_print": f"/patients/{pid}/print/call/",
        "family_outbox": f"/family/{pid}/outbox/",
        "family_js_words": "/family/words.js",
        "family_side_effect": f"/family/{pid}/side-effect/",
        "keto_weaning": f"/patients/{pid}/keto/weaning/",
        "keto_weaning_save": f"/patients/{pid}/keto/weaning/save/",
        "keto_feeding": f"/patients/{pid}/keto/feeding/",
        "keto_feeding_save": f"/patients/{pid}/keto/feeding/save/",
        "cohort": "/cohort/",
        "cohort_csv": "/cohort.csv",
        "patient_fhir": f"/patients/{pid}/fhir.json",
        "fhir_import": f"/patients/{pid}/import-fhir/",
        "cohort_redcap": "/cohort-redcap.zip",
        "bulk_export": "/exports/",
        "bulk_export_status": f"/exports/{uuid.uuid4()}/status/",
        "bulk_export_file": f"/exports/{uuid.uuid4()}/Patient.ndjson",
        "development_add": f"/patients/{pid}/development/milestone/",
        "milestone_confirm": f"/patients/{pid}/development/confirm/{eid}/",
        "cohort_development_csv": "/cohort-development.csv",
        "admin:index": "/admin/",
        # care pathway (issue 23)
        "pathway_dates": f"/patients/{pid}/pathway/dates/",
        "pathway_add": f"/patients/{pid}/pathway/add/genetic/",
        "pathway_edit": f"/patients/{pid}/pathway/{eid}/edit/",
        "pathway_accept": f"/patients/{pid}/pathway/accept/",
        "pathway_override": f"/patients/{pid}/pathway/override/",
        "account_language": "/account/language/",
        "translation_confirm": "/clinic/translations/es/confirm/",
        "family_print_pdf": f"/patients/{pid}/print/call.pdf",
        "patient_report_pdf": f"/patients/{pid}/report.pdf",
    }[name]


def _allowed(response: Any) -> bool:
    """Through the access check: anything but 403, 404 for the patient, or a login redirect."""
    if response.status_code == 403:
        return False
    if response.status_code in (301, 302) and "/login/" in response.get("Location", ""):
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role: str, users: Any, patient: Patient) -> None:
    entry = Entry.objects.filter(patient=patient, kind="growth").first()
    assert entry is not None
    client = Client()
    client.force_login(users[role])
    wrong = []
    for name, allowed in EXPECTED.items():
        url = _url(name, patient, entry)
        response = client.get(url)
        if _allowed(response) != (role in allowed):
            wrong.append(f"{name} {url}: {response.status_code}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_signed_out_is_sent_to_login(patient: Patient, users: Any) -> None:
    entry = Entry.objects.filter(patient=patient).first()
    assert entry is not None
    client = Client()
    for name in EXPECTED:
        response = client.get(_url(name, patient, entry))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/login/"), name
    assert client.get("/login/").status_code == 200


def test_patients_of_other_teams_and_families_are_invisible(
    users: Any, patient: Patient, other_team: CareTeam
) -> None:
    data = example_record()
    data["patient"]["id"] = "other-0001"
    other = audit.import_record(data, other_team, None)
    entry = Entry.objects.filter(patient=other, kind="growth").first()
    assert entry is not None
    patient_urls = [
        n
        for n in EXPECTED
        if "pid" in _url(n, other, entry) or f"/{other.pk}/" in _url(n, other, entry)
    ]
    assert len(patient_urls) >= 20
    for role in (N, D, U, F):
        client = Client()
        client.force_login(users[role])
        for name in patient_urls:
            if role not in EXPECTED[name]:
                continue
            response = client.get(_url(name, other, entry))
            assert response.status_code == 404, (role, name, response.status_code)
    # the administrator sees no team's patients (accounts and teams only)
    admin = Client()
    admin.force_login(users[A])
    assert admin.get(f"/patients/{other.pk}/").status_code == 403


# --- writes per kind of entry (issue 13) ------------------------------------------------------

#: kind -> (may create, may correct or retract their own, may correct or retract another's),
#: written out by hand: a drug course and an EEG reading are the neurologist's, a keto plan the
#: dietitian's, a diet period the dietitian's (a neurologist may record one); observations are
#: any clinician's; adverse events and monitoring checks written by someone else are corrected
#: by the neurologist or the nurse; a family member writes diary entries and ticks medicine doses
#: as given, never corrects others'; the dietitian ticks no medicine dose.
WRITE_EXPECTED: dict[str, tuple[set[str], set[str], set[str]]] = {
    "treatment": ({N}, {N}, {N}),
    "keto_plan": ({D}, {D}, {D}),
    "diet": ({D, N}, {D, N}, {D}),
    "eeg": ({N}, {N}, {N}),
    "growth": (CLIN, CLIN, CLIN),
    "lab": (CLIN, CLIN, CLIN),
    "vitals": (CLIN, CLIN, CLIN),
    "adverse": (CLIN, CLIN, {N, U}),
    "monitoring": (CLIN, CLIN, {N, U}),
    "diary": (CLIN | {F}, CLIN | {F}, CLIN),
    "recorded_day": (CLIN | {F}, CLIN | {F}, CLIN),
    # a medicine dose ticked as given: family, neurologist, nurse; never the dietitian
    "dose_given": ({F, N, U}, {F, N, U}, {N, U}),
    # issue 25: development at diagnosis and scores by the neurologist or nurse; a milestone
    # ticked by the family or any clinician, confirmed (corrected) by the neurologist or nurse;
    # another kind of seizure logged like a diary entry
    "development_baseline": ({N, U}, {N, U}, {N, U}),
    "milestone": (CLIN | {F}, CLIN | {F}, {N, U}),
    "assessment": ({N, U}, {N, U}, {N, U}),
    "other_seizure": (CLIN | {F}, CLIN | {F}, CLIN),
    "demographics": ({N, U}, {N, U}, {N, U}),
    "invitation": ({N, U}, {N, U}, {N, U}),
    # issue 24: a diet side effect: any clinician, and the family (their own, plain words)
    "side_effect": (CLIN | {F}, CLIN | {F}, CLIN),
    "keto_weaning": ({D}, {D}, {D}),
    "keto_feeding": ({D}, {D}, {D}),
    # care pathway (issue 23): dates and tests by the neurologist or the nurse; a failure
    # recorded by either, corrected by a neurologist; a proposal accepted or overridden by the
    # neurologist only
    "pathway": ({N, U}, {N, U}, {N, U}),
    "pathway_genetic": ({N, U}, {N, U}, {N, U}),
    "pathway_metabolic": ({N, U}, {N, U}, {N, U}),
    "pathway_failure": ({N, U}, {N, U}, {N}),
    "pathway_override": ({N}, {N}, {N}),
    "pathway_accept": ({N}, {N}, {N}),
}


def test_every_kind_has_a_write_rule() -> None:
    from spasmcare.web.accounts.access import WRITES
    from spasmcare.web.models import KIND_LABELS

    assert set(WRITES) == set(WRITE_EXPECTED) == set(KIND_LABELS) | {"demographics", "invitation"}


@pytest.mark.parametrize("kind", sorted(WRITE_EXPECTED))
def test_write_matrix(kind: str, users: Any) -> None:
    from spasmcare.web.accounts.access import may_write

    create, own, other = WRITE_EXPECTED[kind]
    wrong = []
    for role in ROLES:
        user = users[role]
        someone = users[N if role != N else D]
        got = (
            may_write(user, "create", kind),
            may_write(user, "correct", kind, user.pk),
            may_write(user, "retract", kind, user.pk),
            may_write(user, "correct", kind, someone.pk),
            may_write(user, "retract", kind, someone.pk),
            may_write(user, "retract", kind, None),  # imported: as someone else's
        )
        want = (
            role in create,
            role in own,
            role in own,
            role in other,
            role in other,
            role in other,
        )
        if got != want:
            wrong.append(f"{role}: {got} != {want}")
    assert not wrong, kind + ": " + "; ".join(wrong)


def _authored(patient: Patient, kind: str, author: Any) -> Entry:
    entry = Entry.objects.filter(patient=patient, kind=kind, retracted_at__isnull=True).last()
    assert entry is not None, kind
    Entry.objects.filter(pk=entry.pk).update(created_by=author)
    entry.refresh_from_db()
    return entry


def test_nurse_cannot_retract_the_neurologists_course(users: Any, patient: Patient) -> None:
    entry = _authored(patient, "treatment", users[N])
    c = Client()
    c.force_login(users[U])
    url = f"/patients/{patient.pk}/entries/{entry.pk}/retract/"
    r = c.post(url, {"version": entry.version, "reason": "not ours"})
    assert r.status_code == 403 and "neurologist" in r.content.decode()
    entry.refresh_from_db()
    assert entry.retracted_at is None
    # the neurologist can
    c.force_login(users[N])
    r = c.post(url, {"version": entry.version, "reason": "entered twice"})
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.retracted_at is not None


def test_nurse_cannot_retract_the_dietitians_keto_plan(
    users: Any, patient: Patient
) -> None:
    entry = audit.create_entry(
        patient, "keto_plan", {"start": "2026-08-01", "settings": {}, "meals": []}, users[D]
    )
    for role in (U, N):
        c = Client()
        c.force_login(users[role])
        r = c.post(
            f"/patients/{patient.pk}/entries/{entry.pk}/retract/",
            {"version": entry.version, "reason": "x"},
        )
        assert r.status_code == 403, role
    entry.refresh_from_db()
    assert entry.retracted_at is None


def test_dietitian_cannot_change_an_eeg_finding(users: Any, patient: Patient) -> None:
    entry = _authored(patient, "eeg", users[N])
    before = dict(entry.data)
    c = Client()
    c.force_login(users[D])
    url = f"/patients/{patient.pk}/entries/{entry.pk}/edit/"
    assert c.get(url).status_code == 403
    r = c.post(url, {"version": entry.version, "date": before.get("date"), "hypsarrhythmia": ""})
    assert r.status_code == 403
    assert c.get(f"/patients/{patient.pk}/add/eeg/").status_code == 403
    entry.refresh_from_db()
    assert entry.data == before and entry.version == 1
    # the neurologist may open it to correct it
    c.force_login(users[N])
    assert c.get(url).status_code == 200


def test_dietitian_cannot_edit_demographics_or_invite_a_family(
    users: Any, patient: Patient
) -> None:
    from spasmcare.web.models import Invitation

    c = Client()
    c.force_login(users[D])
    r = c.post(f"/patients/{patient.pk}/edit/", {"name": "Changed", "version": patient.version})
    assert r.status_code == 403
    r = c.post(f"/patients/{patient.pk}/invite/", {"relationship": "uncle"})
    assert r.status_code == 403
    patient.refresh_from_db()
    assert patient.name != "Changed" and not Invitation.objects.exists()
    # the dietitian still records what is theirs: a growth measurement
    assert c.get(f"/patients/{patient.pk}/add/growth/").status_code == 200


def test_admin_opens_no_clinical_page(users: Any, patient: Patient) -> None:
    c = Client()
    c.force_login(users[A])
    assert c.get("/").headers["Location"] == "/admin/"
    for url in (
        "/patients/",
        f"/patients/{patient.pk}/",
        f"/patients/{patient.pk}/record.json",
        f"/patients/{patient.pk}/history/",
        "/cohort.csv",
    ):
        assert c.get(url).status_code == 403, url
    admin_site = c.get("/admin/").content.decode()
    assert "/admin/clinic/entry/" not in admin_site and "/admin/clinic/revision/" not in admin_site
    assert c.get("/admin/clinic/entry/").status_code == 404


def test_the_access_rule_reads_the_url_the_handler_resolved(
    client_as: Any, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Per-request work (issue 21): the rule is found from the handler's match, not by
    resolving the URL a second time; the patient's page is still checked and served."""
    from spasmcare.web.accounts import access

    calls: list[str] = []
    real = access.resolve
    monkeypatch.setattr(access, "resolve", lambda path: calls.append(path) or real(path))
    assert client_as("nurse").get(f"/patients/{patient.pk}/").status_code == 200
    assert client_as("family").get(f"/patients/{patient.pk}/").status_code in (403, 404)
    assert calls == []
