"""FHIR Observations from an EHR into a record: units, codes, duplicates, validator."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.interop import fhir
from spasmcare.interop.fhir_import import import_observations
from spasmcare.record import record_from_dict
from tests.conftest import run_cli
from tests.interop.test_fhir import TODAY, small_record

#: How the Observations below name the record's patient (small_record's id p_1), as the FHIR
#: export of that record does.
TARGET = {"reference": f"Patient/{fhir.resource_id('p_1', 'Patient')}"}


def obs(
    code: str,
    value: Any,
    unit: str,
    when: str,
    status: str = "final",
    subject: dict[str, Any] | None = TARGET,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "Observation",
        "status": status,
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "effectiveDateTime": when,
        "valueQuantity": {
            "value": value,
            "unit": unit,
            "system": "http://unitsofmeasure.org",
            "code": unit,
        },
    }
    if subject is not None:
        out["subject"] = subject
    return out


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }


def test_units_converted_and_items_added() -> None:
    b = bundle(
        {"resourceType": "Patient", "id": "ehr1"},
        obs("29463-7", 6900, "g", "2026-10-01"),
        obs("8306-3", 645, "mm", "2026-10-01"),
        obs("8287-5", 42.0, "cm", "2026-10-01"),
        obs("2339-0", 81, "mg/dL", "2026-11-20T09:15:00+01:00"),
        obs("66441-7", 2.5, "mmol/L", "2026-11-21"),
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"text": "Sodium"},
            "subject": TARGET,
        },
        obs("29463-7", 7.0, "kg", "2026-10-02", status="preliminary"),
    )
    result = import_observations(small_record(), b, today=TODAY)
    growth = {g.day: g for g in result.record.growth}
    g = growth[date(2026, 10, 1)]
    assert g.weight_kg == pytest.approx(6.9)  # 6900 g × 0.001
    assert g.length_cm == pytest.approx(64.5)  # 645 mm × 0.1
    assert g.head_circumference_cm == 42.0
    glucose = [
        x for x in result.record.labs if x.analyte == "glucose" and x.day == date(2026, 11, 20)
    ]
    # 81 mg/dL × 10 / 180.156 g/mol (record.units) = 4.4961 mmol/L; time kept as written
    assert glucose[0].value_si == pytest.approx(4.49610, abs=1e-4)
    assert glucose[0].at.hour == 9 and glucose[0].at.minute == 15
    assert [
        x.value for x in result.record.labs if x.analyte == "bhb" and x.day == date(2026, 11, 21)
    ] == [2.5]
    assert [s for s, _ in result.added] == ["growth", "labs", "labs"]
    reasons = [n["entry"] for n in result.not_imported]
    assert reasons == ["entry[0]", "entry[6]", "entry[7]"]


def test_time_zone_conversion() -> None:
    b = bundle(obs("15074-8", 5.0, "mmol/L", "2026-11-20T09:15:00+01:00"))
    result = import_observations(small_record(), b, today=TODAY, time_zone="Europe/London")
    (lab,) = [x for x in result.record.labs if x.day == date(2026, 11, 20)]
    assert (lab.at.hour, lab.at.minute) == (8, 15)


def test_identical_duplicate_not_imported_and_conflict_refused() -> None:
    same = bundle(obs("29463-7", 6.4, "kg", "2026-08-25"))
    result = import_observations(small_record(), same, today=TODAY)
    assert result.added == [] and "already in the record" in result.not_imported[0]["reason"]
    twice = bundle(obs("29463-7", 7.0, "kg", "2026-10-01"), obs("29463-7", 7000, "g", "2026-10-01"))
    result = import_observations(small_record(), twice, today=TODAY)
    assert len(result.added) == 1 and len(result.not_imported) == 1
    conflict = bundle(obs("29463-7", 6.6, "kg", "2026-08-25"))
    with pytest.raises(InputError, match=r"entry\[0\].*no second weight on 25 Aug 2026"):
        import_observations(small_record(), conflict, today=TODAY)
    lab_conflict = bundle(obs("15074-8", 6.0, "mmol/L", "2026-11-10T08:30:00+00:00"))
    # the record's glucose at that time is 90 mg/dL = 4.996 mmol/L
    with pytest.raises(InputError, match="no second glucose"):
        import_observations(small_record(), lab_conflict, today=TODAY)


def test_bad_units_and_values_refused() -> None:
    with pytest.raises(InputError, match=r"entry\[0\].valueQuantity.code"):
        import_observations(
            small_record(), bundle(obs("29463-7", 15, "[stone]", "2026-10-01")), today=TODAY
        )
    with pytest.raises(InputError, match=r"entry\[0\].valueQuantity.code"):
        import_observations(
            small_record(), bundle(obs("15074-8", 5, "g/L", "2026-10-01")), today=TODAY
        )
    # 69 000 g = 69 kg for a 7-month-old: the record validator's weight-for-age check refuses it
    with pytest.raises(InputError, match=r"growth\[\d+\].weight_kg"):
        import_observations(
            small_record(), bundle(obs("29463-7", 69000, "g", "2026-10-01")), today=TODAY
        )
    # a date in the future: the validator again
    with pytest.raises(InputError, match=r"growth\[\d+\].date"):
        import_observations(
            small_record(), bundle(obs("29463-7", 7, "kg", "2027-01-01")), today=TODAY
        )
    with pytest.raises(InputError, match="Bundle"):
        import_observations(small_record(), {"resourceType": "Observation"}, today=TODAY)
    bad = obs("29463-7", 7, "kg", "2026-10-01T10:00")  # a time without a zone is not FHIR
    with pytest.raises(InputError, match=r"entry\[0\]"):
        import_observations(small_record(), bundle(bad), today=TODAY)


def test_input_document_is_not_changed() -> None:
    doc = small_record()
    before = copy.deepcopy(doc)
    import_observations(doc, bundle(obs("29463-7", 7, "kg", "2026-10-01")), today=TODAY)
    assert doc == before


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(5.0, 9.0), min_size=1, max_size=5))
def test_export_then_import_round_trip(weights: list[float]) -> None:
    """Weights exported as FHIR by spasmcare come back with the same values."""
    source = small_record()
    source["growth"] = [
        {"date": f"2026-10-{i + 1:02d}", "weight_kg": round(w, 3)} for i, w in enumerate(weights)
    ]
    exported = fhir.record_bundle(record_from_dict(source, today=TODAY), validate=False)
    target = small_record()
    target["growth"] = []
    result = import_observations(target, exported, today=TODAY)
    assert sorted(g.weight_kg for g in result.record.growth if g.weight_kg is not None) == sorted(
        round(w, 3) for w in weights
    )


def test_cli_import(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rec = tmp_path / "r.json"
    rec.write_text(json.dumps(small_record()))
    bnd = tmp_path / "b.json"
    bnd.write_text(json.dumps(bundle(obs("29463-7", 6900, "g", "2026-10-01"))))
    out = tmp_path / "merged.json"
    code, stdout, err = run_cli(
        capsys,
        "import",
        "fhir",
        str(bnd),
        "--into",
        str(rec),
        "--out",
        str(out),
        "--today",
        TODAY.isoformat(),
        "--json",
    )
    assert code == 0, err
    assert json.loads(stdout)["added"] == 1
    merged = json.loads(out.read_text())
    assert {"date": "2026-10-01", "weight_kg": 6.9} in merged["growth"]
    assert json.loads(rec.read_text()) == small_record()  # --out given: the source is untouched
    bnd.write_text(json.dumps(bundle(obs("29463-7", 6.6, "kg", "2026-08-25"))))
    code, _, err = run_cli(
        capsys, "import", "fhir", str(bnd), "--into", str(rec), "--today", TODAY.isoformat()
    )
    assert code == 2 and "no second weight" in err and len(err.strip().splitlines()) == 1
    assert json.loads(rec.read_text()) == small_record()


# --- issue 20: every Observation names the record's patient; shape; values -----------------

OTHER_UUID = fhir.resource_id("p_2", "Patient")


def patient_entry(url: str, pid: str | None, ident: str | None) -> dict[str, Any]:
    r: dict[str, Any] = {"resourceType": "Patient"}
    if pid:
        r["id"] = pid
    if ident:
        r["identifier"] = [{"system": "https://ehr.example/mrn", "value": ident}]
    return {"fullUrl": url, "resource": r}


def weight(subject: dict[str, Any] | None, day: str = "2026-10-01") -> dict[str, Any]:
    return obs("29463-7", 7.0, "kg", day, subject=subject)


@pytest.mark.parametrize(
    ("subject", "extra", "named"),
    [
        ({"reference": f"Patient/{OTHER_UUID}"}, [], f"Patient/{OTHER_UUID}"),
        ({"identifier": {"value": "p_2"}}, [], "p_2"),
        (
            {"reference": "urn:uuid:b"},
            [patient_entry("urn:uuid:b", None, "p_2")],
            "a Patient with identifier p_2",
        ),
        (
            {"reference": "Patient/ehr-9"},
            [patient_entry("https://ehr.example/fhir/Patient/ehr-9", "ehr-9", "p_2")],
            "a Patient with identifier p_2",
        ),
        ({"reference": "Patient/does-not-exist"}, [], "Patient/does-not-exist"),
        ({"reference": "Group/ward-3"}, [], "Group/ward-3"),
        (None, [], "names no patient"),
        ({"display": "Baby A"}, [], "names no patient"),
        # a reference to the target and an identifier of someone else: refused
        ({**TARGET, "identifier": {"value": "p_2"}}, [], "p_2"),
    ],
)
def test_observation_of_another_patient_refuses_the_whole_import(
    subject: dict[str, Any] | None, extra: list[dict[str, Any]], named: str
) -> None:
    b = bundle(weight(TARGET), weight(subject, "2026-10-02"))
    b["entry"] += extra
    with pytest.raises(InputError) as caught:
        import_observations(small_record(), b, today=TODAY)
    assert caught.value.field.startswith("entry[1].subject")
    assert named in str(caught.value.value)
    assert "nothing was imported" in caught.value.accepted


def test_observation_that_is_not_imported_must_name_the_patient_too() -> None:
    other = {"reference": f"Patient/{OTHER_UUID}"}
    sodium = {"resourceType": "Observation", "status": "final", "code": {"text": "Na"}}
    with pytest.raises(InputError, match=r"entry\[1\].subject"):
        import_observations(
            small_record(), bundle(weight(TARGET), {**sodium, "subject": other}), today=TODAY
        )


@pytest.mark.parametrize(
    ("subject", "extra"),
    [
        (TARGET, []),
        ({"identifier": {"system": "https://ehr.example/mrn", "value": "p_1"}}, []),
        ({"reference": "urn:uuid:a"}, [patient_entry("urn:uuid:a", None, "p_1")]),
        (
            {"reference": "Patient/ehr-1"},
            [patient_entry("https://ehr.example/fhir/Patient/ehr-1", "ehr-1", "p_1")],
        ),
        ({**TARGET, "identifier": {"value": "p_1"}}, []),
    ],
)
def test_observation_naming_the_patient_is_imported(
    subject: dict[str, Any], extra: list[dict[str, Any]]
) -> None:
    b = bundle(weight(subject))
    b["entry"] += extra
    result = import_observations(small_record(), b, today=TODAY)
    assert result.added == [("growth", {"date": "2026-10-01", "weight_kg": 7.0})]


SUBJECTS = st.sampled_from(
    [
        "target-ref",
        "target-id",
        "target-patient",
        "other-ref",
        "other-id",
        "other-patient",
        "nobody",
        "missing",
    ]
)


def _subject(kind: str, i: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    if kind == "target-ref":
        return TARGET, []
    if kind == "target-id":
        return {"identifier": {"value": "p_1"}}, []
    if kind == "target-patient":
        return {"reference": f"urn:uuid:t{i}"}, [patient_entry(f"urn:uuid:t{i}", None, "p_1")]
    if kind == "other-ref":
        return {"reference": f"Patient/{OTHER_UUID}"}, []
    if kind == "other-id":
        return {"identifier": {"value": "p_2"}}, []
    if kind == "other-patient":
        return {"reference": f"urn:uuid:o{i}"}, [patient_entry(f"urn:uuid:o{i}", None, "p_2")]
    if kind == "nobody":
        return {"reference": f"Patient/nobody-{i}"}, []
    return None, []


@settings(max_examples=60, deadline=None)
@given(st.lists(SUBJECTS, min_size=1, max_size=6))
def test_no_bundle_adds_an_item_to_a_patient_it_does_not_name(kinds: list[str]) -> None:
    """Whatever the mix of subjects, an import either adds only Observations that name p_1
    or is refused whole, naming the first Observation that does not."""
    observations: list[dict[str, Any]] = []
    patients: list[dict[str, Any]] = []
    for i, kind in enumerate(kinds):
        subject, extra = _subject(kind, i)
        observations.append(weight(subject, f"2026-10-{i + 1:02d}"))
        patients += extra
    b = bundle(*observations)
    b["entry"] += patients
    foreign = [i for i, k in enumerate(kinds) if not k.startswith("target")]
    if foreign:
        with pytest.raises(InputError) as caught:
            import_observations(small_record(), b, today=TODAY)
        assert caught.value.field.startswith(f"entry[{foreign[0]}].subject")
    else:
        result = import_observations(small_record(), b, today=TODAY)
        assert len(result.added) == len(kinds)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"resourceType": "Bundle", "type": "collection", "entry": {"resource": {}}}, "entry"),
        ({"resourceType": "Bundle", "type": "collection", "entry": [5]}, "entry[0]"),
        ({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": 5}]}, "entry[0]"),
        (
            {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [{"resource": {"resourceType": "Nonsense"}}],
            },
            "entry[0].resourceType",
        ),
        ({"resourceType": "Bundle", "entry": []}, "type"),
        (["not", "a", "bundle"], "bundle.resourceType"),
    ],
)
def test_bundle_shape_errors_are_one_input_error(data: Any, field: str) -> None:
    with pytest.raises(InputError) as caught:
        import_observations(small_record(), data, today=TODAY)
    assert caught.value.field.startswith(field)


def test_values_must_be_numbers_and_plausible() -> None:
    with pytest.raises(InputError, match=r"entry\[0\].valueQuantity.value.*JSON number"):
        import_observations(
            small_record(), bundle(obs("15074-8", "5.0", "mmol/L", "2026-10-01")), today=TODAY
        )
    with pytest.raises(InputError, match=r"entry\[0\].valueQuantity.value"):
        import_observations(
            small_record(), bundle(obs("15074-8", True, "mmol/L", "2026-10-01")), today=TODAY
        )
    # 1e-320 cannot be held by a double as written (a subnormal number): refused
    with pytest.raises(InputError, match=r"entry\[0\].valueQuantity.value"):
        import_observations(
            small_record(), bundle(obs("15074-8", 1e-320, "mmol/L", "2026-10-01")), today=TODAY
        )
    # glucose hard range 0-60 mmol/L (plausibility.LAB_RANGES_SI): 61 is refused, by entry
    with pytest.raises(InputError, match=r"entry\[0\].valueQuantity.value.*0 to 60 mmol/L"):
        import_observations(
            small_record(), bundle(obs("15074-8", 61, "mmol/L", "2026-10-01")), today=TODAY
        )
    # weight hard range 0.2-300 kg: 100 g = 0.1 kg is refused before the age check
    with pytest.raises(InputError, match=r"entry\[0\].valueQuantity.value.*0.2 to 300 kg"):
        import_observations(
            small_record(), bundle(obs("29463-7", 100, "g", "2026-10-01")), today=TODAY
        )


def test_cli_refuses_bundle_with_entry_object_and_other_patient(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rec = tmp_path / "r.json"
    rec.write_text(json.dumps(small_record()))
    bnd = tmp_path / "b.json"
    for data, words in [
        ({"resourceType": "Bundle", "type": "collection", "entry": {"resource": {}}}, "entry"),
        (bundle(weight({"identifier": {"value": "p_2"}})), "entry[0].subject"),
    ]:
        bnd.write_text(json.dumps(data))
        code, _, err = run_cli(
            capsys, "import", "fhir", str(bnd), "--into", str(rec), "--today", TODAY.isoformat()
        )
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
        assert json.loads(rec.read_text()) == small_record()
