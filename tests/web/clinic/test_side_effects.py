"""Side effects of the diet as entries (issue 24): stored by the JSON import and exported
again unchanged, entered by clinicians with a CTCAE v5.0 grade and by families in plain words,
bad input named by field, value and what is accepted, nothing half-written."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from spasmcare.errors import InputError
from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam, Entry, Kind, Patient
from tests.web.conftest import example_record

#: Two side effects in the example infant's diet period (kd1 from 10 Aug 2026): a graded one
#: entered by a clinician, resolved, with the action taken; an ungraded one told by the family.
SIDE_EFFECTS = [
    {
        "effect": "constipation",
        "grade": 2,
        "onset": "2026-08-20",
        "resolved": "2026-09-02",
        "action": "diet_adjusted",
        "reported_by": "clinician",
        "diet": "kd1",
        "note": "more fluid",
    },
    {"effect": "vomiting", "onset": "2026-10-03", "reported_by": "family"},
]


def _with_side_effects(record_id: str) -> dict[str, Any]:
    data = example_record()
    data["patient"] = {**data["patient"], "id": record_id}
    data["side_effects"] = [dict(s) for s in SIDE_EFFECTS]
    return data


def _upload(client: Client, data: dict[str, Any], team: CareTeam) -> Any:
    body = io.BytesIO(json.dumps(data).encode())
    body.name = "record.json"
    return client.post("/patients/import/", {"file": body, "team": team.pk})


def test_imported_side_effects_are_stored_and_exported_unchanged(
    client_as: Any, team: CareTeam
) -> None:
    nurse = client_as("nurse")
    response = _upload(nurse, _with_side_effects("with-side-effects"), team)
    assert response.status_code == 302, response.content.decode()[:500]
    patient = Patient.objects.get(record_id="with-side-effects")
    rows = Entry.objects.filter(patient=patient, kind=Kind.SIDE_EFFECT).order_by("day")
    assert [r.data for r in rows] == SIDE_EFFECTS
    assert [r.day.isoformat() for r in rows] == ["2026-08-20", "2026-10-03"]
    exported = nurse.get(f"/patients/{patient.pk}/record.json")
    assert json.loads(exported.content)["side_effects"] == SIDE_EFFECTS
    # the dashboard lists them in words
    page = nurse.get(f"/patients/{patient.pk}/").content.decode()
    assert "Diet side effect" in page and "diet adjusted (ratio, fluid or foods)" in page
    # the FHIR export carries them as AdverseEvents (interop.fhir_side_effects)
    bundle = json.loads(nurse.get(f"/patients/{patient.pk}/fhir.json").content)
    codes = sorted(
        c["code"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "AdverseEvent"
        for c in e["resource"]["event"]["coding"]
        if c["code"].startswith("side-effect-")
    )
    assert codes == ["side-effect-constipation", "side-effect-vomiting"]
    # the diet period it names reads as the diet and its start, never its id
    assert "diet: classic ketogenic diet from 10 Aug 2026" in page and "kd1" not in page


def test_an_import_naming_a_diet_period_not_in_the_record_writes_nothing(
    client_as: Any, team: CareTeam
) -> None:
    data = _with_side_effects("bad-diet-id")
    data["side_effects"][1]["diet"] = "kd9"
    response = _upload(client_as("nurse"), data, team)
    assert response.status_code == 200
    page = response.content.decode()
    assert "side_effects[1].diet" in page and "kd9" in page and "kd1" in page
    assert not Patient.objects.filter(record_id="bad-diet-id").exists()


def test_a_clinician_enters_a_graded_side_effect(client_as: Any, patient: Patient) -> None:
    dietitian = client_as("dietitian")
    form = dietitian.get(f"/patients/{patient.pk}/add/side_effect/")
    assert form.status_code == 200
    assert "Grade (CTCAE v5.0)" in form.content.decode()
    response = dietitian.post(
        f"/patients/{patient.pk}/add/side_effect/",
        {
            "effect": "hypoglycaemia",
            "grade": "3",
            "onset": "2026-09-01",
            "resolved": "2026-09-02",
            "action": "hospital",
            "reported_by": "clinician",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(patient=patient, kind=Kind.SIDE_EFFECT)
    assert entry.data == {
        "effect": "hypoglycaemia",
        "grade": 3,
        "onset": "2026-09-01",
        "resolved": "2026-09-02",
        "action": "hospital",
        "reported_by": "clinician",
    }
    assert entry.created_by is not None and entry.created_by.role == "dietitian"


def test_bad_side_effect_input_names_field_value_and_what_is_accepted(
    client_as: Any, patient: Patient
) -> None:
    nurse = client_as("nurse")
    url = f"/patients/{patient.pk}/add/side_effect/"
    cases = [
        ({"grade": "7"}, "7 is not accepted: a CTCAE v5.0 grade, 1 to 5."),
        ({"effect": "headache"}, "headache is not accepted: one of the side effects listed."),
        (
            {"resolved": "2026-08-31"},
            "31 Aug 2026 is not accepted: a day on or after the onset (1 Sep 2026).",
        ),
    ]
    good = {"effect": "vomiting", "grade": "1", "onset": "2026-09-01"}
    for change, message in cases:
        response = nurse.post(url, good | change)
        assert response.status_code == 200  # the form again, with the message
        assert message in response.content.decode(), change
    # an onset before the birth: the record validator's own message, beside the field
    response = nurse.post(url, good | {"onset": "2025-01-01"})
    assert "2025-01-01" in response.content.decode()
    assert not Entry.objects.filter(patient=patient, kind=Kind.SIDE_EFFECT).exists()


def test_the_family_tells_a_side_effect_in_plain_words(client_as: Any, patient: Patient) -> None:
    family = client_as("family")
    diary = family.get(f"/family/{patient.pk}/").content.decode()
    assert "Tell the team about a side effect of the diet" in diary
    url = f"/family/{patient.pk}/side-effect/"
    page = family.get(url).content.decode()
    assert "hard or rare poos (constipation)" in page and "CTCAE" not in page
    response = family.post(url, {"effect": "constipation", "onset": "2026-11-30"})
    assert response.status_code == 302
    entry = Entry.objects.get(patient=patient, kind=Kind.SIDE_EFFECT)
    assert entry.data == {
        "effect": "constipation",
        "onset": "2026-11-30",
        "reported_by": "family",
    }
    # a clinician grades it later; who reported it stays the family
    nurse = client_as("nurse")
    edit = nurse.post(
        f"/patients/{patient.pk}/entries/{entry.pk}/edit/",
        {
            "effect": "constipation",
            "grade": "1",
            "onset": "2026-11-30",
            "reported_by": "family",
            "version": entry.version,
        },
    )
    assert edit.status_code == 302
    entry.refresh_from_db()
    assert entry.data["reported_by"] == "family" and entry.data["grade"] == 1


def test_a_family_entry_refused_says_why_and_writes_nothing(
    client_as: Any, patient: Patient
) -> None:
    family = client_as("family")
    url = f"/family/{patient.pk}/side-effect/"
    response = family.post(url, {"effect": "headache", "onset": "2026-11-30"})
    assert response.status_code == 400
    assert "What did you notice: headache is not accepted" in response.content.decode()
    response = family.post(
        url, {"effect": "vomiting", "onset": "2026-11-30", "resolved": "2026-11-29"}
    )
    assert response.status_code == 400
    assert "When it stopped: 29 Nov 2026 is not accepted" in response.content.decode()
    assert not Entry.objects.filter(patient=patient, kind=Kind.SIDE_EFFECT).exists()


def test_a_diet_period_a_side_effect_names_is_not_retracted(
    patient: Patient, users: Any
) -> None:
    diet = Entry.objects.get(patient=patient, kind=Kind.DIET)
    audit.create_entry(
        patient,
        Kind.SIDE_EFFECT,
        {"effect": "vomiting", "onset": "2026-09-01", "reported_by": "clinician", "diet": "kd1"},
        users["dietitian"],
    )
    with pytest.raises(InputError):
        audit.retract_entry(diet, diet.version, "test", users["dietitian"])
    diet.refresh_from_db()
    assert diet.retracted_at is None


_EXAMPLES = iter(range(10**6))


def _side_effect_items() -> Any:
    from datetime import date, timedelta

    from hypothesis import strategies as st

    from spasmcare.record.side_effects import ACTIONS, EFFECTS

    first = date(2026, 8, 10)  # the example infant's diet start; its record ends in Nov 2026

    def item(
        effect: str, grade: Any, onset: int, length: Any, action: Any, by: str, note: Any
    ) -> dict[str, Any]:
        day = first + timedelta(days=onset)
        out = {"effect": effect, "grade": grade, "onset": day.isoformat(),
               "resolved": None if length is None else (day + timedelta(days=length)).isoformat(),
               "action": action, "reported_by": by, "diet": "kd1" if onset % 2 else None,
               "note": note}  # fmt: skip
        return {k: v for k, v in out.items() if v is not None}

    return st.lists(
        st.builds(
            item,
            st.sampled_from(list(EFFECTS)),
            st.none() | st.integers(1, 5),
            st.integers(0, 100),
            st.none() | st.integers(0, 10),
            st.none() | st.sampled_from(list(ACTIONS)),
            st.sampled_from(["clinician", "family"]),
            st.none() | st.text("abc xyz.", min_size=1, max_size=20).map(str.strip).filter(bool),
        ),
        max_size=6,
    )


def test_any_side_effects_survive_import_and_export(team: CareTeam) -> None:
    """Property: whatever valid side effects a record holds, the clinic app stores them and
    exports them back unchanged (order aside)."""
    from hypothesis import HealthCheck, given, settings

    from spasmcare.web.clinic import records

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(items=_side_effect_items())
    def check(items: list[dict[str, Any]]) -> None:
        data = example_record()
        data["patient"] = {**data["patient"], "id": f"prop-{next(_EXAMPLES)}"}
        data["side_effects"] = items
        patient = audit.import_record(data, team, None)
        back = records.export_dict(patient).get("side_effects", [])

        def key(x: dict[str, Any]) -> str:
            return json.dumps(x, sort_keys=True)

        assert sorted(back, key=key) == sorted(items, key=key)

    check()
