"""The record's ``development`` section: import, meaning checks naming the field, export round
trip, and every existing record still reading and exporting as before."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.measures.development import milestone_ids
from spasmcare.record import record_from_dict, record_from_json, record_to_dict, record_to_json
from spasmcare.record.io import record_from_stored
from tests.record.test_io import EXAMPLE, TODAY, field_of, minimal


def with_development() -> dict[str, Any]:
    data = minimal()
    data["development"] = {
        "at_diagnosis": {
            "course": "plateau",
            "date": "2026-05-01",
            "milestones_achieved": ["cdc-2m-head-up-prone", "cdc-4m-holds-toy"],
            "note": "no new skills for 3 weeks",
        },
        "milestones": [
            {
                "milestone": "who-sitting-without-support",
                "status": "not-yet",
                "date": "2026-09-01",
                "reported_by": "family",
            },
            {
                "milestone": "who-sitting-without-support",
                "status": "achieved",
                "date": "2026-10-20",
                "reported_by": "family",
                "confirmed_by": "Dr A. Clinician",
                "confirmed_on": "2026-11-02",
            },
        ],
        "assessments": [
            {
                "instrument": "asq-3",
                "date": "2026-11-01",
                "questionnaire_months": 10,
                "scores": {"gross_motor": 25, "communication": 40.5},
                "asq_cutoff": {"gross_motor": "below", "communication": "above"},
            },
            {"instrument": "bayley-3", "date": "2026-11-02", "scores": {"cognitive": 85}},
            {
                "instrument": "vineland",
                "date": "2026-11-03",
                "edition": "3",
                "scores": {"composite": 78, "motor": 70},
            },
        ],
    }
    return data


def test_development_round_trips_through_json() -> None:
    data = with_development()
    rec = record_from_dict(data, today=TODAY)
    assert rec.development is not None
    assert rec.development.at_diagnosis is not None
    assert rec.development.at_diagnosis.course == "plateau"
    assert [m.status for m in rec.development.milestones] == ["not-yet", "achieved"]
    assert rec.development.milestones[1].confirmed
    assert not rec.development.milestones[0].confirmed
    assert rec.development.assessments[0].asq_cutoff["gross_motor"] == "below"
    out = record_to_dict(rec)
    assert out["development"] == data["development"]
    again = record_from_json(record_to_json(rec), today=TODAY)
    assert again == rec


def test_stored_read_checks_the_development_section_too() -> None:
    data = with_development()
    data["development"]["milestones"][0]["status"] = "maybe"
    assert field_of(data) == "development.milestones[0].status"
    try:
        record_from_stored(data, today=TODAY)
    except Exception as exc:  # noqa: BLE001 - the field is what matters
        assert getattr(exc, "field", "") == "development.milestones[0].status"
    else:
        raise AssertionError("a bad status was read")


def test_existing_records_read_and_export_unchanged() -> None:
    text = EXAMPLE.read_text()
    rec = record_from_json(text, today=TODAY)
    assert rec.development is None
    assert "development" not in record_to_dict(rec)
    assert record_to_dict(rec) == record_to_dict(record_from_json(record_to_json(rec), TODAY))
    assert "development" not in record_to_dict(record_from_dict(minimal(), today=TODAY))


def test_meaning_checks_name_the_field() -> None:
    cases = [
        (("milestones", 0, "milestone"), "who-flying", "milestones[0].milestone"),
        (("milestones", 0, "date"), "2025-01-01", "milestones[0].date"),
        (("milestones", 1, "confirmed_on"), "2026-10-01", "milestones[1].confirmed_on"),
        (("assessments", 1, "scores"), {"motor_fine": 3}, "assessments[1].scores.motor_fine"),
        (("assessments", 1, "asq_cutoff"), {"cognitive": "below"}, "assessments[1].asq_cutoff"),
        (
            ("assessments", 0, "asq_cutoff"),
            {"gross_motor": "low"},
            "assessments[0].asq_cutoff.gross_motor",
        ),
        (("assessments", 2, "scores"), {"composite": 250}, "assessments[2].scores.composite"),
        (("at_diagnosis", "course"), "slow", "at_diagnosis.course"),
    ]
    for path, value, tail in cases:
        expected = "development." + tail
        data = with_development()
        target: Any = data["development"]
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        assert field_of(data) == expected, (path, value)


def test_confirmation_without_a_clinician_is_refused() -> None:
    data = with_development()
    del data["development"]["milestones"][1]["confirmed_by"]
    assert field_of(data) == "development.milestones[1].confirmed_by"


def test_an_assessment_without_scores_is_refused() -> None:
    data = with_development()
    data["development"]["assessments"][1]["scores"] = {}
    assert field_of(data) == "development.assessments[1].scores"


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["cognitive", "language", "motor"]),
        st.integers(min_value=0, max_value=200),
        min_size=1,
    )
)
def test_bayley_scores_round_trip(scores: dict[str, int]) -> None:
    data = with_development()
    data["development"]["assessments"][1]["scores"] = scores
    rec = record_from_dict(copy.deepcopy(data), today=TODAY)
    assert json.loads(record_to_json(rec))["development"]["assessments"][1]["scores"] == scores


_MILESTONE_IDS = list(milestone_ids())


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "milestone": st.sampled_from(_MILESTONE_IDS),
                "status": st.sampled_from(["achieved", "not-yet"]),
                "date": st.dates(min_value=date(2026, 1, 10), max_value=TODAY).map(date.isoformat),
                "reported_by": st.sampled_from(["family", "clinician"]),
            },
            optional={
                "confirmed_by": st.text(
                    st.characters(categories=("L", "Zs")), min_size=1, max_size=20
                )
            },
        ),
        max_size=8,
    )
)
def test_any_milestone_list_round_trips(entries: list[dict[str, Any]]) -> None:
    data = minimal()
    data["development"] = {"milestones": entries}
    rec = record_from_dict(copy.deepcopy(data), today=TODAY)
    out = record_to_dict(rec)
    assert out.get("development", {}).get("milestones", []) == entries
    assert record_from_json(record_to_json(rec), today=TODAY) == rec
