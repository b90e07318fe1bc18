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

from spasmcare.web import audit
from spasmcare.web.access import RULES
from spasmcare.web.models import CareTeam, Entry, Patient
from tests.web.conftest import example_record

N, D, U, F, R, A = "neurologist", "dietitian", "nurse", "family", "researcher", "admin"
ROLES = (N, D, U, F, R, A)
CLIN = {N, D, U}
STAFF = CLIN | {A}

#: url name -> roles allowed (everyone else refused). Login and invitation pages are public.
EXPECTED: dict[str, set[str]] = {
    "home": set(ROLES),
    "logout": set(ROLES),
    "patient_list": STAFF,
    "patient_new": STAFF,
    "record_import": STAFF,
    "food_search": CLIN,
    "patient_dashboard": STAFF,
    "patient_chart": STAFF,
    "patient_edit": CLIN,
    "patient_history": STAFF,
    "patient_report": STAFF,
    "record_export": STAFF,
    "entry_add": CLIN,
    "entry_edit": CLIN,
    "entry_retract": CLIN,
    "entry_history": STAFF,
    "invitation_new": CLIN,
    "course_planner": CLIN,
    "course_save": {N},
    "monitoring_tick": CLIN,
    "protocol_details": STAFF,
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
    "cohort": {R, N, D, A},
    "cohort_csv": {R, N, D, A},
    "admin:index": {A},
}
PUBLIC = {"login", "invitation_accept"}


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
        "patient_chart": f"/patients/{pid}/chart/timeline.png",
        "patient_edit": f"/patients/{pid}/edit/",
        "patient_history": f"/patients/{pid}/history/",
        "patient_report": f"/patients/{pid}/report/",
        "record_export": f"/patients/{pid}/record.json",
        "entry_add": f"/patients/{pid}/add/growth/",
        "entry_edit": f"/patients/{pid}/entries/{eid}/edit/",
        "entry_retract": f"/patients/{pid}/entries/{eid}/retract/",
        "entry_history": f"/patients/{pid}/entries/{eid}/history/",
        "invitation_new": f"/patients/{pid}/invite/",
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
        "cohort": "/cohort/",
        "cohort_csv": "/cohort.csv",
        "admin:index": "/admin/",
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
    # the administrator sees every team's patients
    admin = Client()
    admin.force_login(users[A])
    assert admin.get(f"/patients/{other.pk}/").status_code == 200
