"""Side effects as record entries (issue 24): JSON round trip, checks of meaning, FHIR
AdverseEvent round trip (checked with the R4B model), family words, cohort counts by diet type
with small cells suppressed."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from spasmcare.errors import InputError
from spasmcare.interop import fhir
from spasmcare.interop.fhir_side_effects import side_effect_item
from spasmcare.measures.side_effects import side_effect_counts
from spasmcare.plain import label
from spasmcare.record import record_from_dict, record_to_dict
from spasmcare.record.side_effects import EFFECTS, SideEffect
from spasmcare.report.family import side_effect_words

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"
TODAY = date(2026, 12, 7)
ITEMS = [
    {
        "effect": "vomiting",
        "grade": 2,
        "onset": "2026-08-12",
        "resolved": "2026-08-14",
        "action": "diet_adjusted",
        "reported_by": "family",
        "diet": "kd1",
        "note": "after the evening feed",
    },
    {"effect": "kidney_stones", "grade": 3, "onset": "2026-11-20", "reported_by": "clinician"},
    {"effect": "fracture", "onset": "2026-11-25", "reported_by": "clinician", "action": "hospital"},
]


def _doc(items: list[dict[str, Any]]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text())
    doc["side_effects"] = copy.deepcopy(items)
    return doc


def test_json_round_trip() -> None:
    rec = record_from_dict(_doc(ITEMS), TODAY)
    assert [s.effect for s in rec.side_effects] == ["vomiting", "kidney_stones", "fracture"]
    assert rec.side_effects[0].resolved == date(2026, 8, 14)
    out = record_to_dict(rec)
    assert out["side_effects"] == ITEMS
    assert record_from_dict(out, TODAY) == rec
    # a record without side effects writes no key (older readers unaffected)
    assert "side_effects" not in record_to_dict(record_from_dict(_doc([]), TODAY))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"effect": "headache"}, "side_effects[0].effect"),
        ({"grade": 6}, "side_effects[0].grade"),
        ({"resolved": "2026-08-11"}, "side_effects[0].resolved"),
        ({"diet": "kd9"}, "side_effects[0].diet"),
        ({"reported_by": "neighbour"}, "side_effects[0].reported_by"),
        ({"onset": "2027-01-01"}, "side_effects[0].onset"),  # after today
    ],
)
def test_bad_entries_named(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as err:
        record_from_dict(_doc([{**ITEMS[0], **change}]), TODAY)
    assert err.value.field == field


def test_fhir_adverse_event_round_trip() -> None:
    rec = record_from_dict(_doc(ITEMS), TODAY)
    events = [r for r in fhir.record_resources(rec) if r["resourceType"] == "AdverseEvent"]
    assert len(events) == 3
    assert fhir.validate_resources(events) == 3
    first = events[0]
    assert first["date"] == "2026-08-12" and first["outcome"]["coding"][0]["code"] == "resolved"
    assert {"url": fhir.EXT_CTCAE_GRADE, "valueInteger": 2} in first["extension"]
    assert events[1]["outcome"]["coding"][0]["code"] == "ongoing"
    back = [side_effect_item(e) for e in events]
    expected = [{k: v for k, v in x.items() if k != "note"} for x in ITEMS]  # notes stay home
    assert back == expected
    assert record_from_dict(_doc(back), TODAY).side_effects[1] == rec.side_effects[1]


def test_plain_words_for_families() -> None:
    s = SideEffect("vomiting", date(2026, 8, 12), "family", grade=2, resolved=date(2026, 8, 14))
    assert side_effect_words(s) == "being sick (vomiting) from 12 Aug 2026 to 14 Aug 2026, moderate"
    assert label("weight_loss") == "weight loss"
    assert label("diet_stopped") == "diet stopped"
    assert label("diet_adjusted") == "diet adjusted (ratio, fluid or foods)"
    assert all(label(code) for code in EFFECTS)


def _child(i: int, diet: str, effects: list[tuple[str, int]]) -> Any:
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text())
    doc["patient"]["id"] = f"p{i}"
    doc["diet_periods"][0]["diet"] = diet
    doc["side_effects"] = [
        {"effect": e, "grade": g, "onset": "2026-09-01", "reported_by": "clinician"}
        for e, g in effects
    ]
    return record_from_dict(doc, TODAY)


def test_cohort_counts_by_diet_k_anonymous() -> None:
    # 6 children on the classic diet: 5 with constipation (2 of them grade 3), 1 with vomiting;
    # 2 children on MAD (fewer than k = 5: withheld whole)
    classic = [_child(i, "classic-kd", [("constipation", 3 if i < 2 else 1)]) for i in range(5)]
    classic.append(_child(5, "classic-kd", [("vomiting", 1)]))
    mad = [_child(10 + i, "mad", [("constipation", 1)]) for i in range(2)]
    out = side_effect_counts([*classic, *mad], TODAY, k=5)
    rows = {r["diet"]: r for r in out["rows"]}
    assert rows["classic-kd"]["children"] == 6
    assert rows["classic-kd"]["effects"]["constipation"] == {
        "any_grade": 5,
        "grade_3_or_more": "<5",
    }
    assert rows["classic-kd"]["effects"]["vomiting"]["any_grade"] == "<5"
    assert rows["classic-kd"]["effects"]["fracture"]["any_grade"] == 0
    assert rows["mad"]["withheld"] and rows["mad"]["children"] == "<5"
    assert rows["mad"]["effects"]["constipation"]["any_grade"] is None
    assert rows["mct"]["children"] == 0 and not rows["mct"]["withheld"]


def test_redcap_instrument_fields() -> None:
    import csv
    import io

    from spasmcare.interop.redcap_side_effects import side_effect_dictionary

    rows = list(csv.reader(io.StringIO(side_effect_dictionary())))
    assert len(rows[0]) == 18 and rows[0][0] == "Variable / Field Name"
    by = {r[0]: r for r in rows[1:]}
    assert set(by) == {
        "se_effect",
        "se_grade",
        "se_onset_diet_day",
        "se_duration_days",
        "se_action",
        "se_reported_by",
        "se_diet_kind",
    }
    assert all(r[1] == "side_effects" for r in rows[1:])
    assert "kidney_stones, kidney stones" in by["se_effect"][5]
    assert by["se_grade"][5].startswith("1, mild | 2, moderate")
    assert by["se_onset_diet_day"][7] == "integer"


def test_report_lists_side_effects_in_family_words() -> None:
    from spasmcare.report.data import ReportOptions, build_report

    rec = record_from_dict(_doc(ITEMS), TODAY)
    data = build_report(rec, ReportOptions(today=TODAY))
    first = data["side_effects"][0]
    assert first["effect"] == "vomiting" and first["grade"] == 2
    assert first["family_words"].startswith("being sick (vomiting) from 12 Aug 2026")
    assert first["grade_scale"].startswith("CTCAE v5.0")


@pytest.mark.parametrize("salt", [None, "a-test-salt-of-enough-length"])
def test_bulk_export_carries_adverse_events(tmp_path: Path, salt: str | None) -> None:
    from spasmcare.interop.bulk import MANIFEST, read_ndjson, write_ndjson

    rec = record_from_dict(_doc(ITEMS), TODAY)
    write_ndjson([(rec.patient.id, rec)], tmp_path, check_every=1, deidentify_salt=salt)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    item = next(o for o in manifest["output"] if o["type"] == "AdverseEvent")
    assert item["count"] == 3
    events = list(read_ndjson(tmp_path / item["url"]))
    text = json.dumps(events)
    assert "side-effect-kidney_stones" in text
    if salt is not None:  # de-identified: dates shifted, no free text
        assert "2026-08-12" not in text and "after the evening feed" not in text
