"""Bulk NDJSON export: sampled model check, the de-identified release (issue 20 #10, issue 21),
and the fast UUID 5 resource ids."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.demo import demo_clinic
from spasmcare.errors import InputError
from spasmcare.interop import bulk
from spasmcare.interop.bulk import MANIFEST, read_ndjson, write_ndjson
from spasmcare.interop.deid_fhir import MAX_SHIFT_DAYS, date_shift_days
from spasmcare.interop.fhir import record_resources, resource_id
from spasmcare.interop.fhir_codes import _NAMESPACE
from spasmcare.measures.cohort import pseudonym
from spasmcare.record import record_from_dict

TODAY = date(2026, 12, 2)
SALT = "a-test-salt-of-enough-length"
FREE_TEXT = {"text", "note", "display", "valueString", "instruction", "baseFormulaProductName"}


@pytest.fixture(scope="module")
def records() -> list:
    return [record_from_dict(i.record, today=TODAY) for i in demo_clinic(TODAY)]


def keys_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def strings_in(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return [value] if isinstance(value, str) else []


def exported(directory: Path) -> list[dict[str, Any]]:
    manifest = json.loads((directory / MANIFEST).read_text())
    return [r for item in manifest["output"] for r in read_ndjson(directory / item["url"])]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20), st.text(max_size=8), st.text(max_size=20))
def test_resource_id_is_the_uuid5_of_the_item(record_id: str, kind: str, key: str) -> None:
    expected = uuid.uuid5(_NAMESPACE, f"{record_id}\x1f{kind}\x1f{key}")
    assert resource_id(record_id, kind, key) == str(expected)


def test_identified_export_is_unchanged_by_the_fast_path(records, tmp_path: Path) -> None:
    write_ndjson([(r.patient.id, r) for r in records[:3]], tmp_path, check_every=1)
    direct = [res for r in records[:3] for res in record_resources(r)]
    assert sorted(exported(tmp_path), key=lambda r: r["id"]) == sorted(
        direct, key=lambda r: r["id"]
    )


def _with_invalid(monkeypatch: pytest.MonkeyPatch, position: int) -> None:
    original = bulk.record_resources

    def spoiled(record, options, targets):  # noqa: ANN001, ANN202
        resources = original(record, options, targets)
        observations = [i for i, r in enumerate(resources) if r["resourceType"] == "Observation"]
        resources[observations[position]] = {
            **resources[observations[position]],
            "effectiveDateTime": "not a date",
        }
        return resources

    monkeypatch.setattr(bulk, "record_resources", spoiled)


def test_checking_every_resource_catches_an_invalid_one(
    records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_invalid(monkeypatch, 5)  # not the first Observation, not a 100th
    with pytest.raises(InputError, match="Observation/.*effectiveDateTime"):
        write_ndjson([("patient one", records[0])], tmp_path, check_every=1)
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    # the sampled check looks at the first of each type and every 100th only
    write_ndjson([("patient one", records[0])], tmp_path, check_every=100)
    # and catches it where its sample falls (the first Observation)
    _with_invalid(monkeypatch, 0)
    with pytest.raises(InputError, match="patient one: Observation/"):
        write_ndjson([("patient one", records[0])], tmp_path / "b", check_every=100)


def test_check_every_is_named_in_its_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="check_every"):
        write_ndjson([], tmp_path, check_every=-1)


def test_deidentified_ndjson_has_no_name_birth_date_or_free_text(
    records, tmp_path: Path
) -> None:
    manifest = write_ndjson(
        [(r.patient.id, r) for r in records], tmp_path, check_every=1, deidentify_salt=SALT
    )
    assert manifest["extension"]["spasmcare"]["deidentified"] is True
    resources = exported(tmp_path)
    keys = keys_in(resources)
    assert not keys & ({"name", "birthDate", "identifier"} | FREE_TEXT)
    text = "\n".join(p.read_text() for p in tmp_path.glob("*.ndjson"))
    for r in records:
        assert r.patient.id not in text
        if r.patient.name:
            assert r.patient.name not in text
        for t in r.treatments:
            assert f'"{t.drug}"' not in text or t.drug in {"prednisolone", "vigabatrin"}
    # the Patient id is the cohort key; every reference resolves inside the export
    patients = [r for r in resources if r["resourceType"] == "Patient"]
    assert {p["id"] for p in patients} == {pseudonym(r.patient.id, SALT) for r in records}
    assert all(set(p) <= {"resourceType", "id", "gender"} for p in patients)
    ids = {f"{r['resourceType']}/{r['id']}" for r in resources}
    ids_kinds = set(bulk.RESOURCE_TYPES)
    refs = {
        s for r in resources for s in strings_in(r) if "/" in s and s.split("/")[0] in ids_kinds
    }
    assert refs and refs <= ids


def test_dates_move_by_one_shift_per_patient(records, tmp_path: Path) -> None:
    record = records[0]
    shift = date_shift_days(record.patient.id, SALT)
    assert shift != 0 and -MAX_SHIFT_DAYS <= shift <= MAX_SHIFT_DAYS
    write_ndjson([("one", record)], tmp_path, check_every=0, deidentify_salt=SALT)
    (condition,) = read_ndjson(tmp_path / "Condition.ndjson")
    assert record.patient.onset_date is not None
    onset = date.fromordinal(record.patient.onset_date.toordinal() + shift)
    assert condition["onsetDateTime"] == onset.isoformat()
