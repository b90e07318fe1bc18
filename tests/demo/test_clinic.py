"""The fictional demo clinic (spasmcare.demo): every record imports, the stories
are what they say (checked with the response measures), doses match the bundled protocols,
keto inputs are accepted by the prescription functions, output is deterministic."""

from __future__ import annotations

import copy
import inspect
import re
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import spasmcare.demo as syn
from spasmcare.demo import DemoInfant, demo_clinic, keto_prescription, long_record
from spasmcare.demo import writer as demo_writer
from spasmcare.errors import InputError
from spasmcare.growth import corrected_age_years, sds
from spasmcare.keto import prescription as rx
from spasmcare.measures.growth import growth_flags
from spasmcare.measures.labs import lab_alerts
from spasmcare.measures.response import (
    index_treatment,
    kd_responder,
    spasms_continuing_day7,
    ukiss_response,
)
from spasmcare.record import Record, load_schema, record_from_dict
from spasmcare.therapy import list_protocols, load_protocol

TODAY = date(2026, 11, 21)
OTHER = date(2028, 2, 29)  # a leap day, in another year and season
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def generated() -> dict[date, list[DemoInfant]]:
    return {today: demo_clinic(today) for today in (TODAY, OTHER)}


@pytest.fixture(scope="module", params=[TODAY, OTHER], ids=str)
def clinic(
    request: pytest.FixtureRequest, generated: dict[date, list[DemoInfant]]
) -> tuple[date, list[tuple[DemoInfant, Record]]]:
    # The import check itself: a record refused by record_from_dict errors every test below.
    today: date = request.param
    return today, [(i, record_from_dict(i.record, today=today)) for i in generated[today]]


@pytest.fixture(scope="module")
def long_one() -> tuple[DemoInfant, Record]:
    infant = long_record(TODAY)
    return infant, record_from_dict(infant.record, today=TODAY)


def first_clause(story: str) -> str:
    return story.split(";")[0]


def recorded(record: Record) -> list[date]:
    return sorted(record.recorded_days)


def all_dates(value: Any) -> list[date]:
    """Every date or date-time string anywhere in a JSON-ready value."""
    if isinstance(value, dict):
        return [d for v in value.values() for d in all_dates(v)]
    if isinstance(value, list):
        return [d for v in value for d in all_dates(v)]
    if isinstance(value, str) and DATE.match(value):
        return [date.fromisoformat(value[:10])]
    return []


# --- the clinic as a whole ------------------------------------------------------------------------


def test_fourteen_fictional_infants_one_family(clinic: Any) -> None:
    _, infants = clinic
    assert len(infants) == 14
    assert [i.family for i, _ in infants].count(True) == 1
    ids = [r.patient.id for _, r in infants]
    assert ids == [f"demo-{n:04d}" for n in range(1, 15)]
    for _, record in infants:
        assert record.patient.name is not None and record.patient.name.endswith("(fictional)")
        assert record.etiology.detail is not None
        assert record.etiology.detail.startswith("Fictional case.")
    # The family's child is followed now: diary up to yesterday or the day before.
    family = next(r for i, r in infants if i.family)
    assert (clinic[0] - recorded(family)[-1]).days <= 2


def test_no_date_after_today_and_onset_at_3_to_12_months(clinic: Any) -> None:
    today, infants = clinic
    for infant, record in infants:
        assert max(all_dates(infant.record)) <= today
        onset = record.patient.onset_date
        assert onset is not None
        months = (onset - record.patient.birth_date).days / (365.25 / 12)
        assert 3.0 <= months <= 12.0, (record.patient.id, months)


def test_variety_of_sex_gestation_and_etiology(clinic: Any) -> None:
    _, infants = clinic
    records = [r for _, r in infants]
    assert {r.patient.sex for r in records} == {"male", "female"}
    preterm = [r for r in records if r.patient.gestation_weeks < 37]
    assert 2 <= len(preterm) <= 4
    categories = {r.etiology.category for r in records}
    assert {"tsc", "structural", "genetic", "metabolic", "unknown"} <= categories
    genes = {r.etiology.gene for r in records if r.etiology.category == "genetic"}
    assert None not in genes and len(genes) >= 2


def test_deterministic_and_seeded(generated: dict[date, list[DemoInfant]]) -> None:
    first = generated[TODAY]
    assert demo_clinic(TODAY) == first
    assert long_record(TODAY) == long_record(TODAY)
    assert demo_clinic(TODAY, seed=5) != first
    assert long_record(TODAY, seed=8) != long_record(TODAY)
    # Another day gives the same clinic shifted in time.
    later, shift = generated[OTHER], OTHER - TODAY
    assert [i.story for i in later] == [i.story for i in first]
    for a, b in zip(first, later, strict=True):
        born = date.fromisoformat(a.record["patient"]["birth_date"])
        assert b.record["patient"]["birth_date"] == (born + shift).isoformat()
        assert len(a.record["diary"]) == len(b.record["diary"])


def test_diary_spans_3_to_12_months_with_gaps_ending_recently(clinic: Any) -> None:
    today, infants = clinic
    stale = 0
    for infant, record in infants:
        days = recorded(record)
        span = (days[-1] - days[0]).days + 1
        lag = (today - days[-1]).days
        if "in progress" in infant.story:
            # Newly diagnosed: the one diary shorter than 3 months, but a full baseline week.
            start = index_treatment(record)
            assert start is not None
            assert len([d for d in days if d < start.start]) >= 7
            assert lag == 1
            continue
        assert 91 <= span <= 366, (record.patient.id, span)
        assert span - len(days) >= 1, "a few unrecorded days"
        if "stale diary" in infant.story:
            stale += 1
            assert 3 <= lag <= 5
        else:
            assert 1 <= lag <= 2
        assert all(e.day in record.recorded_days for e in record.diary)
    assert stale == 2


def test_untreated_clusters_look_like_spasms(clinic: Any) -> None:
    _, infants = clinic
    for _, record in infants:
        first = index_treatment(record)
        assert first is not None
        before = [e for e in record.diary if e.day < first.start]
        per_day: dict[date, int] = {}
        for e in before:
            per_day[e.day] = per_day.get(e.day, 0) + 1
        assert max(per_day.values()) <= 6
        mean_size = sum(e.spasms for e in before) / len(before)
        assert 5 <= mean_size <= 30, (record.patient.id, mean_size)


def test_stories_cover_the_demo_cases(clinic: Any) -> None:
    _, infants = clinic
    stories = [i.story for i, _ in infants]
    text = " | ".join(stories)
    for word in (
        "responder",
        "non-responder",
        "TSC: vigabatrin",
        "KD",
        "in progress",
        "stale diary",
        "relapse",
        "ACTH",
        "tetracosactide",
        "combination",
        "faltering",
    ):
        assert word in text, word
    assert 5 <= sum(1 for _, r in infants if r.diet_periods) <= 6


# --- the stories agree with the measures ----------------------------------------------------------


def test_first_line_outcome_matches_story(clinic: Any) -> None:
    today, infants = clinic
    for infant, record in infants:
        index = index_treatment(record)
        assert index is not None
        head = first_clause(infant.story)
        ukiss = ukiss_response(record, index)
        if "in progress" in head:
            day7 = spasms_continuing_day7(record, index)
            assert day7.status == "not assessable"
            assert index.start + timedelta(days=6) >= today  # day 7 is today or later
            assert index.stop is None and 3 <= (today - index.start).days <= 6
        elif "non-responder" in head or "partial response" in head:
            assert ukiss.status == "not met", (record.patient.id, ukiss.reason)
        else:
            assert "responder" in head
            assert ukiss.status == "met", (record.patient.id, ukiss.reason)


def test_prednisolone_escalated_exactly_when_spasms_continue_on_day_7(clinic: Any) -> None:
    _, infants = clinic
    escalated = 0
    for _, record in infants:
        for course in record.treatments:
            if course.drug != "prednisolone" or not course.doses:
                continue
            day7 = spasms_continuing_day7(record, course)
            sixty = any(d.amount == 60 for d in course.doses)
            if day7.status == "not assessable":
                assert not sixty
                continue
            assert sixty == (day7.value is True), (record.patient.id, course.id)
            escalated += sixty
    assert escalated >= 2


def test_diet_outcome_matches_story(clinic: Any) -> None:
    _, infants = clinic
    for infant, record in infants:
        if not record.diet_periods:
            assert infant.keto is None
            continue
        result = kd_responder(record, record.diet_periods[0], 3)
        if "without response" in infant.story:
            assert result.status == "not met", result.reason
        else:
            assert "KD responder" in infant.story
            assert result.status == "met", (record.patient.id, result.reason)


def test_eegs_follow_the_story(clinic: Any) -> None:
    _, infants = clinic
    for infant, record in infants:
        index = index_treatment(record)
        assert index is not None
        baseline = [x for x in record.eegs if x.day < index.start]
        assert baseline, record.patient.id
        b = baseline[-1]
        assert b.hypsarrhythmia is True and b.based_grade is not None and b.based_grade >= 4
        assert b.kramer is not None and len(b.kramer.items) == 5
        day14 = [x for x in record.eegs if 12 <= (x.day - index.start).days <= 15]
        if "in progress" in infant.story:
            continue
        assert day14, record.patient.id
        head = first_clause(infant.story)
        responded = "non-responder" not in head and "partial response" not in head
        assert day14[0].hypsarrhythmia is (not responded), record.patient.id


def test_growth_on_centiles_and_one_faltering(clinic: Any) -> None:
    _, infants = clinic
    faltering = []
    for infant, record in infants:
        p = record.patient
        previous = None
        for g in record.growth:
            age = corrected_age_years(p.birth_date, g.day, p.gestation_weeks, p.gestation_days)
            assert age is not None and g.weight_kg is not None
            assert abs(sds("weight", g.weight_kg, age, p.sex)) <= 2.0, (p.id, g.day)
            if previous is not None:
                assert 14 <= (g.day - previous).days <= 42
            previous = g.day
        flags = [f["kind"] for f in growth_flags(record)]
        assert "faltering_low" not in flags and "excess_gain" not in flags
        if "faltering_fall" in flags:
            faltering.append(infant.story)
    assert len(faltering) == 1 and "faltering weight" in faltering[0]


def test_labs_mostly_in_target_with_some_alerts(clinic: Any) -> None:
    _, infants = clinic
    kinds: set[str] = set()
    for _, record in infants:
        kinds |= {a.kind for a in lab_alerts(record)}
        for diet in record.diet_periods:
            bhb = [
                x.value_si
                for x in record.labs
                if x.analyte == "bhb" and (x.at.date() - diet.start).days >= 2
            ]
            assert len(bhb) >= 10
            in_target = [v for v in bhb if 2.0 <= v <= 5.0]
            assert len(in_target) >= 0.85 * len(bhb)
            analytes = {x.analyte for x in record.labs}
            assert {"glucose", "total_cholesterol", "triglycerides"} <= analytes
            assert analytes & {"urine_calcium_creatinine_ratio", "urine_calcium"}
    assert {"bhb_high", "bhb_above_target", "bhb_below_target", "glucose_low"} <= kinds


def test_adverse_events_and_vigabatrin_visual_note(clinic: Any) -> None:
    _, infants = clinic
    types = {a.type for _, r in infants for a in r.adverse_events}
    assert {"hypertension", "irritability", "fever"} <= types
    for _, record in infants:
        for t in record.treatments:
            if t.drug == "vigabatrin":
                assert t.note is not None and "Visual monitoring planned" in t.note


# --- doses come from the bundled protocols --------------------------------------------------------


def test_treatment_protocols_exist(clinic: Any) -> None:
    _, infants = clinic
    known = {p.id for p in list_protocols()}
    used = {t.protocol for _, r in infants for t in r.treatments}
    assert used <= known
    assert {
        "prednisolone-high-dose",
        "vigabatrin",
        "vigabatrin-rapid",
        "acth-high-dose",
        "tetracosactide-depot",
        "prednisolone-vigabatrin",
    } <= used


def phases(protocol_id: str) -> list[dict[str, Any]]:
    return list(load_protocol(protocol_id).data["courses"][0]["phases"])


def test_prednisolone_and_acth_doses_match_protocol_files() -> None:
    # prednisolone-high-dose v1: 10 mg x 4 = 40 mg/day from day 1; escalated 20 mg x 3 = 60 from
    # day 8; tapers 10 mg x 3 = 30 (day 15), x 2 = 20 (day 20), x 1 = 10 (day 25..29).
    daily = {}
    for ph in phases("prednisolone-high-dose"):
        if ph.get("when", {}).get("day7_spasms_continuing") is True and ph["from_day"] == 8:
            assert (8, ph["dose"]["mg"] * ph["per_day"]) == syn.PRED_ESCALATED
        elif ph.get("when", {}).get("day7_spasms_continuing") is not True:
            daily.setdefault(ph["from_day"], ph["dose"]["mg"] * ph["per_day"])
        assert ph["to_day"] <= syn.PRED_LAST_DAY
    expected = {n: a for n, a in syn.PRED_STEPS}
    assert {n: daily[n] for n in expected} == expected
    # acth-high-dose v1: 75 U/m2 x 2 on days 1-14, then 30, 15, 10 each morning, 10 every 2 days.
    acth = phases("acth-high-dose")
    steps = {
        ph["from_day"]: ph["dose"]["units_per_m2"] * ph["per_day"]
        for ph in acth
        if "every" not in ph
    }
    assert steps == dict(syn.ACTH_HIGH_STEPS)
    alternate = next(ph for ph in acth if "every" in ph)
    assert (alternate["from_day"], alternate["dose"]["units_per_m2"]) == syn.ACTH_ALTERNATE[:2]
    assert alternate["to_day"] >= syn.ACTH_ALTERNATE[2]


def test_vigabatrin_and_tetracosactide_doses_match_protocol_files() -> None:
    label = load_protocol("vigabatrin")
    titrate = phases("vigabatrin")[0]["dose"]["titrate"]
    params = label.parameters
    assert titrate["start_mg_per_kg_per_day"] == syn.VGB_START
    assert titrate["every_days"] == syn.VGB_EVERY_DAYS
    assert params["titration_step_mg_per_kg_per_day"]["default"] == syn.VGB_STEP
    assert params["target_mg_per_kg_per_day"]["default"] == syn.VGB_TARGET
    assert params["treatment_months"]["default"] == syn.VGB_MONTHS
    assert params["wean_months"]["default"] == syn.VGB_WEAN_MONTHS
    assert params["wean_step_mg_per_kg_per_day"]["default"] == syn.VGB_WEAN_STEP
    rapid = {
        (ph["from_day"], ph["dose"]["mg_per_kg_per_day"])
        for ph in phases("vigabatrin-rapid")
        if isinstance(ph["dose"].get("mg_per_kg_per_day"), int | float)
    }
    assert set(syn.VGB_RAPID) <= rapid
    assert {(4, a) for a in syn.VGB_RAPID_DAY4} <= rapid
    # the synthetic clinic follows version 1 (2-week tail, Osborne 2023); version 2 has the
    # UKISS 15-day tail (evidence D-5)
    tetra = load_protocol("tetracosactide-depot", 1).data["courses"]
    mg = {ph["dose"]["mg"] for ph in tetra[0]["phases"]}
    assert mg == {syn.TETRA_MG, syn.TETRA_ESCALATED_MG}
    assert max(ph["to_day"] for ph in tetra[0]["phases"]) == syn.TETRA_LAST_DAY
    taper = tetra[1]["phases"][0]
    assert (taper["from_day"], taper["to_day"]) == syn.TETRA_TAPER_DAYS


def test_vigabatrin_course_shapes(clinic: Any) -> None:
    _, infants = clinic
    for _, record in infants:
        for t in record.treatments:
            if t.drug != "vigabatrin":
                continue
            amounts = [d.amount for d in t.doses]
            assert all(d.unit == "mg/kg/day" for d in t.doses)
            assert amounts[0] == 50 and max(amounts) <= 150
            if t.stop is not None:  # weaned or tapered off: the last doses fall
                top = amounts.index(max(amounts))
                assert amounts[top:] == sorted(amounts[top:], reverse=True)


# --- ketogenic prescriptions ----------------------------------------------------------------------


DIET_FUNCTIONS = {"classic": rx.classic, "mct": rx.mct, "mad": rx.mad, "lgit": rx.lgit}


def test_keto_inputs_accepted_by_prescription_functions(clinic: Any) -> None:
    _, infants = clinic
    diets = set()
    for infant, record in infants:
        keto = infant.keto
        if keto is None:
            continue
        diet = keto["diet"]
        diets.add(diet)
        func = DIET_FUNCTIONS[diet]
        patient_keys = {"age_months", "weight_kg", "sex", "length_cm"}
        params = set(inspect.signature(func).parameters) - {"patient"}
        assert set(keto) - {"diet", "feed"} <= patient_keys | params, diet
        patient = rx.Patient(**{k: keto[k] for k in patient_keys})
        extra = {k: v for k, v in keto.items() if k in params and k != "ratio"}
        result = (
            func(patient, keto["ratio"], **extra) if diet == "classic" else func(patient, **extra)
        )
        assert result.diet == diet
        assert result.to_dict() == keto_prescription(keto).to_dict()
        assert keto["feed"] == (keto["age_months"] < 12)
        assert keto["meals"] in ((5, 6) if keto["feed"] else (3,))
        latest = record.growth[-1]
        assert (keto["weight_kg"], keto["length_cm"]) == (latest.weight_kg, latest.length_cm)
        if diet == "classic":
            assert keto["ratio"] == record.diet_periods[-1].prescribed_ratio
            assert result.kcal is not None and result.carb_g is not None and result.carb_g > 0
    assert diets == {"classic", "mct", "mad", "lgit"}


def test_keto_prescription_refuses_an_unknown_diet() -> None:
    with pytest.raises(InputError) as err:
        keto_prescription({"diet": "paleo", "age_months": 9.0, "weight_kg": 8.0})
    assert err.value.field == "keto.diet"


# --- vitals, before and after the schema has them -------------------------------------------------


def schema_with_vitals() -> dict[str, Any]:
    schema = copy.deepcopy(load_schema())
    schema["$defs"]["vital"] = {
        "type": "object",
        "required": ["at", "systolic_mmhg", "diastolic_mmhg"],
        "additionalProperties": False,
        "properties": {
            "at": {"$ref": "#/$defs/datetime"},
            "systolic_mmhg": {"type": "integer", "minimum": 1},
            "diastolic_mmhg": {"type": "integer", "minimum": 1},
            "heart_rate_bpm": {"type": "integer", "minimum": 1},
        },
    }
    schema["properties"]["vitals"] = {"type": "array", "items": {"$ref": "#/$defs/vital"}}
    return schema


def test_vitals_only_when_the_schema_has_them(
    monkeypatch: pytest.MonkeyPatch, generated: dict[date, list[DemoInfant]]
) -> None:
    present = "vitals" in load_schema()["properties"]
    assert all(("vitals" in i.record) == present for i in generated[TODAY])
    schema = schema_with_vitals()
    monkeypatch.setattr(demo_writer, "load_schema", lambda: copy.deepcopy(schema))
    assert syn.vitals_supported() == {"at", "systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm"}
    validator = Draft202012Validator(schema)
    clinic = demo_clinic(TODAY)
    for infant in clinic:
        validator.validate(infant.record)
        vitals = infant.record["vitals"]
        assert vitals and all(v["systolic_mmhg"] > v["diastolic_mmhg"] for v in vitals)
        assert max(all_dates(vitals)) < TODAY
    ben = next(i for i in clinic if "hypertension" in i.story)
    high = [v for v in ben.record["vitals"] if v["systolic_mmhg"] >= 110]
    event = next(a for a in ben.record["adverse_events"] if a["type"] == "hypertension")
    assert any(v["at"][:10] <= event["date"] for v in high)
    # The course in progress: the latest check (yesterday) is raised, so the alert shows.
    lia = next(i for i in clinic if "in progress" in i.story)
    latest = max(lia.record["vitals"], key=lambda v: v["at"])
    assert latest["at"][:10] == (TODAY - timedelta(days=1)).isoformat()
    assert latest["systolic_mmhg"] >= 110
    # A vitals section whose required fields are unknown here is left alone.
    strange = copy.deepcopy(schema)
    strange["$defs"]["vital"]["required"].append("cuff_size")
    strange["$defs"]["vital"]["properties"]["cuff_size"] = {"type": "string"}
    monkeypatch.setattr(demo_writer, "load_schema", lambda: copy.deepcopy(strange))
    assert syn.vitals_supported() is None


# --- the long record for the benchmark ------------------------------------------------------------


def test_long_record_two_years_of_daily_diary(long_one: Any) -> None:
    infant, record = long_one
    days = recorded(record)
    assert len(days) >= 700
    assert (TODAY - days[-1]).days == 1 and (days[-1] - days[0]).days + 1 == 730
    assert len(record.diary) >= 500
    onset = record.patient.onset_date
    assert onset is not None and 4.5 <= (onset - record.patient.birth_date).days / 30.44 <= 5.5
    assert len([t for t in record.treatments if t.continues is None]) >= 3
    assert [d.prescribed_ratio for d in record.diet_periods] == [3.0, 3.5]
    bhb = [x for x in record.labs if x.analyte == "bhb"]
    assert len(bhb) >= 90  # about weekly over the diet
    assert 23 <= len(record.growth) <= 27  # monthly
    assert infant.keto is not None and infant.keto["ratio"] == 3.5
    assert infant.record["patient"]["name"].endswith("(fictional)")


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    days=st.integers(min_value=syn.LONG_DAYS_RANGE[0], max_value=syn.LONG_DAYS_RANGE[1]),
    offset=st.integers(min_value=0, max_value=3000),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_long_record_valid_for_any_length(days: int, offset: int, seed: int) -> None:
    today = date(2024, 1, 1) + timedelta(days=offset)
    infant = long_record(today, days=days, seed=seed)
    record = record_from_dict(infant.record, today=today)
    assert len(record.recorded_days) >= days - 9  # at most 3 gaps of up to 3 days
    assert max(all_dates(infant.record)) <= today


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**31), offset=st.integers(0, 5000))
def test_any_seed_and_day_gives_valid_records(seed: int, offset: int) -> None:
    today = date(2023, 1, 1) + timedelta(days=offset)
    for infant in demo_clinic(today, seed=seed):
        record_from_dict(infant.record, today=today)


@pytest.mark.parametrize("days", [13, 3 * 365 + 1, 30.0, True])
def test_long_record_refuses_bad_lengths(days: Any) -> None:
    with pytest.raises(InputError) as err:
        long_record(TODAY, days=days)
    assert err.value.field == "days"
