"""Plausible ranges of the record (spasmcare.record.plausibility) as the validator applies them.

Each case of issue 11 that reached the record is refused here with the field, the value and the
range; values outside the soft range are kept and reported by ``record_warnings``.
"""

from __future__ import annotations

import copy
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.growth import corrected_age_years, value_at_sds
from spasmcare.record import parse_json, record_from_dict, record_from_json
from spasmcare.record import plausibility as pl
from spasmcare.record.model import VITAL_BOUNDS

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"
TODAY = date(2026, 12, 2)


def base() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return data


def refused(data: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        record_from_dict(data, today=TODAY)
    return info.value


def test_the_example_reads_and_its_low_glucose_is_flagged() -> None:
    warnings = pl.record_warnings(record_from_dict(base(), today=TODAY))
    fields = [w.field for w in warnings]
    # 2.3 mmol/L glucose is at or below 2.5 mmol/L [4]; 6.4 mmol/L BHB above 6 mmol/L [3]
    assert any(f.startswith("labs[") for f in fields)
    assert all("check this value" in str(w) for w in warnings)


@pytest.mark.parametrize("value", [1e308, 0.5, 400.0])
def test_length_outside_absolute_bounds_is_refused(value: float) -> None:
    data = base()
    data["growth"][0]["length_cm"] = value
    exc = refused(data)
    assert exc.field == "growth[0].length_cm"
    assert exc.value == value
    assert "from 20 to 250 cm" in exc.accepted


def test_length_beyond_5_sd_for_age_is_refused_and_beyond_3_sd_flagged() -> None:
    data = base()
    data["growth"] = data["growth"][-1:]  # the latest measurement: past term age
    birth = date.fromisoformat(data["patient"]["birth_date"])
    day = date.fromisoformat(data["growth"][0]["date"])
    p = data["patient"]
    age = corrected_age_years(birth, day, p.get("gestation_weeks", 40), p.get("gestation_days", 0))
    assert age is not None
    age_years = age
    sex = p["sex"]

    at_6_sd = value_at_sds("height", 6.0, age_years, sex)
    data["growth"][0] = {"date": data["growth"][0]["date"], "length_cm": round(at_6_sd, 1)}
    exc = refused(data)
    assert exc.field == "growth[0].length_cm"
    assert "±5 SD of WHO" in exc.accepted

    data["growth"][0]["length_cm"] = round(value_at_sds("height", 4.0, age_years, sex), 1)
    record = record_from_dict(data, today=TODAY)
    flagged = [w for w in pl.record_warnings(record) if w.field == "growth[0].length_cm"]
    assert len(flagged) == 1 and "+4.0 SD" in flagged[0].text


def test_head_circumference_is_judged_by_age() -> None:
    data = base()
    data["growth"] = [{"date": data["growth"][-1]["date"], "head_circumference_cm": 75.0}]
    assert refused(data).field == "growth[0].head_circumference_cm"


def test_weight_1e308_is_refused_before_any_z_score() -> None:
    data = base()
    data["growth"][0]["weight_kg"] = 1e308
    exc = refused(data)
    assert (exc.field, exc.accepted) == ("growth[0].weight_kg", "a weight from 0.2 to 300 kg")


def test_a_cluster_of_30_digit_spasms_is_refused() -> None:
    data = base()
    data["diary"][0]["spasms"] = 999999999999999999999999999999
    exc = refused(data)
    assert exc.field == "diary[0].spasms"
    assert "2^53" in exc.accepted


def test_a_cluster_above_1000_spasms_is_refused_and_above_300_flagged() -> None:
    data = base()
    data["diary"][0]["kind"] = "cluster"
    data["diary"][0]["spasms"] = 1001
    assert "from 1 to 1000" in refused(data).accepted
    data["diary"][0]["spasms"] = 301
    warnings = pl.record_warnings(record_from_dict(data, today=TODAY))
    assert any(w.field == "diary[0].spasms" and w.value == 301 for w in warnings)


def test_a_day_adding_up_beyond_5000_spasms_is_refused() -> None:
    data = base()
    day = data["diary"][0]["at"][:10]
    data["diary"] = [{"at": f"{day}T0{k}:00", "kind": "cluster", "spasms": 1000} for k in range(6)]
    exc = refused(data)
    assert exc.field == "diary[5].spasms"
    assert "add up to 6000" in exc.accepted


def test_bhb_99999_mmol_l_is_refused_with_its_unit() -> None:
    data = base()
    lab = next(x for x in data["labs"] if x["analyte"] == "bhb")
    lab["value"] = 99999
    exc = refused(data)
    assert exc.field.endswith(".value")
    assert exc.value == f"99999 {lab['unit']}"
    assert exc.accepted == "a β-hydroxybutyrate from 0 to 20 mmol/L"


def test_glucose_in_mg_dl_is_judged_in_mmol_l() -> None:
    # 1100 mg/dL = 1100 * 10 / 180.156 = 61.06 mmol/L > 60 mmol/L
    data = base()
    data["labs"] = [
        {"at": data["diary"][0]["at"], "analyte": "glucose", "value": 1100, "unit": "mg/dL"}
    ]
    assert refused(data).field == "labs[0].value"
    data["labs"][0]["value"] = 1080  # 59.95 mmol/L: accepted
    record_from_dict(data, today=TODAY)


def test_dose_1e308_is_refused() -> None:
    data = base()
    data["treatments"][0]["doses"][0]["amount"] = 1e308
    exc = refused(data)
    assert exc.field == "treatments[0].doses[0].amount"
    assert "from 0 to" in exc.accepted


def test_prednisolone_above_the_ukiss_maximum_is_flagged() -> None:
    data = base()
    t = data["treatments"][0]
    t["drug"] = "prednisolone"
    t["doses"] = [{"start": t["start"], "amount": 80, "unit": "mg/day"}]
    warnings = pl.record_warnings(record_from_dict(data, today=TODAY))
    assert any(w.field == "treatments[0].doses[0].amount" and "60" in w.text for w in warnings)


def test_birth_date_0001_is_refused() -> None:
    data = base()
    data["patient"]["birth_date"] = "0001-01-01"
    exc = refused(data)
    assert exc.field == "patient.birth_date"
    assert "1906-12-02" in exc.accepted  # 120 years before 2 Dec 2026


def test_empty_patient_id_is_refused() -> None:
    data = base()
    data["patient"]["id"] = ""
    assert refused(data).field == "patient.id"


def test_onset_outside_1_to_24_months_is_flagged() -> None:
    data = base()
    birth = date.fromisoformat(data["patient"]["birth_date"])
    data["patient"]["onset_date"] = birth.isoformat()
    warnings = pl.record_warnings(record_from_dict(data, today=TODAY))
    assert [w.field for w in warnings if w.field.startswith("patient")] == ["patient.onset_date"]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["growth"][0].__setitem__("length_cm", math.nan), "growth[0].length_cm"),
        (lambda d: d["growth"][0].__setitem__("weight_kg", math.inf), "growth[0].weight_kg"),
        (lambda d: d["patient"].__setitem__("name", "Ann\x00"), "patient.name"),
        (lambda d: d["patient"].__setitem__("name", "A" * 201), "patient.name"),
    ],
)
def test_nan_infinity_nul_and_long_names_are_refused(mutate: Any, field: str) -> None:
    data = base()
    mutate(data)
    assert refused(data).field == field


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, "1" * 5000, '{"a": NaN}', '{"a": -Infinity}', "{" * 40],
)
def test_hostile_json_text_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError):
        parse_json(text)
    with pytest.raises(InputError):
        record_from_json(text, today=TODAY)


def test_nesting_deeper_than_the_limit_is_refused_without_recursion() -> None:
    deep: Any = 1
    for _ in range(pl.MAX_DEPTH + 5):
        deep = {"a": deep}
    with pytest.raises(InputError) as info:
        pl.check_document(deep)
    assert "levels of nesting" in info.value.accepted


def test_vital_ranges_match_the_model_bounds() -> None:
    assert {k: r.hard for k, r in pl.VITAL_RANGES.items()} == {
        k: (float(lo), float(hi)) for k, (lo, hi) in VITAL_BOUNDS.items()
    }


def test_every_range_is_ordered_and_names_a_source() -> None:
    names = list(pl.all_ranges())
    assert len(names) >= 25
    for _, rng in names:
        assert rng.hard[0] < rng.hard[1]
        assert rng.source == pl.SETTING or rng.source.startswith("[")
        if rng.soft is not None:
            assert rng.hard[0] <= rng.soft[0] < rng.soft[1] <= rng.hard[1]
            assert rng.soft_source == pl.SETTING or rng.soft_source.startswith("[")


@settings(max_examples=50, deadline=None)
@given(
    value=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**40), max_value=10**40),
    ),
    name=st.sampled_from(["weight_kg", "length_cm", "head_circumference_cm"]),
)
def test_any_growth_value_is_accepted_inside_or_refused_cleanly(value: Any, name: str) -> None:
    data = base()
    data["growth"][0] = {"date": data["growth"][0]["date"], name: value}
    try:
        record = record_from_dict(data, today=TODAY)
    except InputError as exc:
        assert exc.field.startswith("growth[0]") or exc.field == "record"
        return
    stored = getattr(record.growth[0], name)
    low, high = pl.GROWTH_RANGES[name].hard
    assert low <= stored <= high


@settings(max_examples=50, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(),
        lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(), kids, max_size=3),
        max_leaves=20,
    )
)
def test_any_json_value_is_a_record_or_an_input_error(value: Any) -> None:
    try:
        record_from_dict(value, today=TODAY)
    except InputError:
        return
    raise AssertionError("a random value read as a record")


def test_a_document_copy_is_not_mutated_by_validation() -> None:
    data = base()
    before = copy.deepcopy(data)
    record_from_dict(data, today=TODAY)
    assert data == before


def test_a_duplicate_diary_entry_is_refused_naming_the_first() -> None:
    data = base()
    data["diary"].append(dict(data["diary"][0]))
    exc = refused(data)
    last = len(data["diary"]) - 1
    assert exc.field == f"diary[{last}]"
    assert "diary[0] has the same time, count and observer" in exc.accepted


def test_same_time_and_count_by_another_observer_is_kept() -> None:
    data = base()
    other = dict(data["diary"][0]) | {"observer": "someone else entirely"}
    data["diary"].append(other)
    record = record_from_dict(data, today=TODAY)
    assert len(record.diary) == len(data["diary"])
