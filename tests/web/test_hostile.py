"""Issue 11: no value, however absurd, breaks a page; regression test per reported case."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from spasmcare.web.models import Entry, Kind, Patient, Revision
from tests.web.conftest import example_record

PAGES = [
    "/patients/",
    "/patients/{pid}/",
    "/patients/{pid}/report/",
    "/patients/{pid}/history/",
    "/patients/{pid}/chart/timeline.svg",
    "/patients/{pid}/chart/growth.svg",
    "/patients/{pid}/print/all/",
    "/patients/{pid}/course/",
    "/patients/{pid}/keto/",
    "/patients/{pid}/record.json",
    "/cohort/",
]


def _store_raw(patient: Patient, kind: str, data: dict[str, Any]) -> Entry:
    """Write an entry as an older version (before plausibility) could have: unchecked."""
    entry = Entry.objects.create(
        patient=patient, kind=kind, day=data.get("date", "2026-03-01")[:10], data=data
    )
    Patient.objects.filter(pk=patient.pk).update(data_version=patient.data_version + 1)
    cache.clear()
    return entry


def _growth_day(patient: Patient) -> str:
    row = Entry.objects.filter(patient=patient, kind=Kind.GROWTH).order_by("-day")[0]
    return str(row.data["date"])


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (Kind.GROWTH, {"length_cm": 1e308}),
        (Kind.GROWTH, {"weight_kg": 1e308}),
        (Kind.DIARY, {"kind": "cluster", "spasms": 999999999999999999999999999999}),
    ],
)
def test_an_absurd_stored_entry_is_flagged_and_every_page_renders(
    client_as: Any, patient: Patient, kind: str, data: dict[str, Any]
) -> None:
    day = _growth_day(patient)
    item = {"date": day} | data if kind == Kind.GROWTH else {"at": f"{day}T09:00"} | data
    odd = _store_raw(patient, kind, item)
    patient.refresh_from_db()
    c = client_as("neurologist")
    for url in PAGES:
        response = c.get(url.format(pid=patient.pk))
        assert response.status_code in (200, 404), (url, response.status_code)
    dashboard = c.get(f"/patients/{patient.pk}/").content.decode()
    assert "Entries left out" in dashboard
    assert f"/entries/{odd.pk}/edit/" in dashboard and f"/entries/{odd.pk}/retract/" in dashboard
    assert "record problem" in c.get("/patients/").content.decode()
    # the rest of the record still counts: the example's UKISS answer is still shown
    assert "UKISS: no spasms on days 13 and 14" in dashboard
    family = client_as("family")
    for url in (f"/family/{patient.pk}/", "/family/"):
        assert family.get(url, follow=True).status_code == 200


def test_the_odd_entry_is_reachable_from_the_history_and_retracted(
    client_as: Any, patient: Patient
) -> None:
    odd = _store_raw(patient, Kind.GROWTH, {"date": _growth_day(patient), "length_cm": 1e308})
    Revision.objects.create(patient=patient, entry=odd, version=1, action="create", snapshot={})
    c = client_as("neurologist")
    history = c.get(f"/patients/{patient.pk}/history/").content.decode()
    assert f"/patients/{patient.pk}/entries/{odd.pk}/history/" in history
    entry_page = c.get(f"/patients/{patient.pk}/entries/{odd.pk}/history/").content.decode()
    assert f"/entries/{odd.pk}/retract/" in entry_page
    response = c.post(
        f"/patients/{patient.pk}/entries/{odd.pk}/retract/",
        {"version": 1, "reason": "typing error"},
    )
    assert response.status_code == 302
    cache.clear()
    assert "Entries left out" not in c.get(f"/patients/{patient.pk}/").content.decode()


def _add(c: Client, patient: Patient, kind: str, data: dict[str, Any]) -> Any:
    return c.post(f"/patients/{patient.pk}/add/{kind}/", data)


@pytest.mark.parametrize(
    ("kind", "data", "field_text"),
    [
        ("growth", {"date": "2026-05-01", "length_cm": "1e308"}, "a length from 20 to 250 cm"),
        ("growth", {"date": "2026-05-01", "weight_kg": "1e308"}, "a weight from 0.2 to 300 kg"),
        (
            "diary",
            {"at": "2026-05-01T10:00", "entry_kind": "cluster", "spasms": "9" * 30},
            "2^53",
        ),
        (
            "lab",
            {"at": "2026-05-01T10:00", "analyte": "bhb", "value": "99999", "unit": "mmol/L"},
            "from 0 to 20 mmol/L",
        ),
    ],
)
def test_absurd_values_are_refused_by_the_clinic_forms(
    client_as: Any, patient: Patient, kind: str, data: dict[str, Any], field_text: str
) -> None:
    before = Entry.objects.count()
    response = _add(client_as("nurse"), patient, kind, data)
    assert response.status_code == 200
    assert field_text in response.content.decode()
    assert Entry.objects.count() == before


def test_a_value_outside_the_soft_range_is_saved_with_a_warning(
    client_as: Any, patient: Patient
) -> None:
    c = client_as("nurse")
    response = _add(
        c,
        patient,
        "lab",
        {"at": "2026-05-01T10:00", "analyte": "bhb", "value": "7.5", "unit": "mmol/L"},
    )
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert "check this value" in page
    assert "above 6 mmol/L" in page


def test_a_duplicate_diary_entry_by_the_same_author_is_refused(
    client_as: Any, patient: Patient
) -> None:
    c = client_as("nurse")
    data = {"at": "2026-05-01T10:00", "entry_kind": "cluster", "spasms": "7"}
    assert _add(c, patient, "diary", data).status_code == 302
    before = Entry.objects.filter(kind=Kind.DIARY).count()
    again = _add(c, patient, "diary", data)
    assert again.status_code == 200
    assert "not already saved" in again.content.decode()
    assert Entry.objects.filter(kind=Kind.DIARY).count() == before


def _import(c: Client, team: Any, text: str | bytes, name: str = "r.json") -> Any:
    body = text.encode() if isinstance(text, str) else text
    upload = SimpleUploadedFile(name, body, content_type="application/json")
    return c.post("/patients/import/", {"file": upload, "team": team.pk})


def _record_text(mutate: Any) -> str:
    data = example_record()
    data["patient"]["id"] = "hostile-1"
    mutate(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    "text",
    [
        _record_text(lambda d: d["patient"].__setitem__("id", "")),
        _record_text(lambda d: d["patient"].__setitem__("birth_date", "0001-01-01")),
        _record_text(lambda d: d["patient"].__setitem__("name", "N" * 201)),
        _record_text(lambda d: d["patient"].__setitem__("name", "Nul\x00name")),
        _record_text(lambda d: d["diary"].extend([d["diary"][0]] * 50)),
        _record_text(lambda d: d["growth"][0].__setitem__("length_cm", 1e308)),
        _record_text(lambda d: d["treatments"][0]["doses"][0].__setitem__("amount", 1e308)),
        '{"a": ' * 50_000 + "1" + "}" * 50_000,
        '{"format": ' + "9" * 5000 + "}",
        _record_text(lambda d: None).replace('"spasms": 1', '"spasms": NaN', 1),
        _record_text(lambda d: None).replace('"spasms": 1', '"spasms": Infinity', 1),
    ],
)
def test_hostile_imports_are_refused_and_nothing_is_written(
    client_as: Any, patient: Patient, team: Any, text: str
) -> None:
    before = (Patient.objects.count(), Entry.objects.count())
    response = _import(client_as("neurologist"), team, text)
    assert response.status_code == 200
    assert "is not accepted" in response.content.decode()
    assert (Patient.objects.count(), Entry.objects.count()) == before


def test_a_huge_version_field_is_a_form_error_not_a_500(client_as: Any, patient: Patient) -> None:
    c = client_as("neurologist")
    form = c.get(f"/patients/{patient.pk}/edit/").content.decode()
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    for version in ("9" * 5000, "9" * 30, "-1"):
        response = c.post(f"/patients/{patient.pk}/edit/", fields | {"version": version})
        assert response.status_code == 200


def test_a_5000_digit_range_header_is_not_a_500(client_as: Any, patient: Patient) -> None:
    from tests.web.family.test_family import MP4_BYTES, log_cluster, upload

    family = client_as("family")
    entry = log_cluster(family, patient, 5)
    assert upload(family, patient, entry, "clip.mp4", MP4_BYTES).status_code == 302
    entry.refresh_from_db()
    url = f"/patients/{patient.pk}/videos/{entry.data['video'].split(':')[1]}/"
    response = family.get(url, HTTP_RANGE="bytes=" + "9" * 5000 + "-")
    assert response.status_code in (200, 206, 416)


def test_a_prescription_sent_as_a_list_is_a_400(client_as: Any, patient: Patient) -> None:
    c = client_as("dietitian")
    url = reverse("keto_solve", args=[patient.pk])
    for body in ('{"prescription": [1, 2]}', "[" * 100_000, '{"meal": ' * 10_000):
        response = c.post(url, body, content_type="application/json")
        assert response.status_code == 400


def test_editing_a_patient_shows_and_keeps_both_dates(client_as: Any, patient: Patient) -> None:
    assert patient.onset_date is not None
    c = client_as("neurologist")
    form = c.get(f"/patients/{patient.pk}/edit/").content.decode()
    assert f'value="{patient.birth_date.isoformat()}"' in form
    assert f'value="{patient.onset_date.isoformat()}"' in form
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    fields["sex"] = patient.sex
    fields["etiology_category"] = patient.etiology_category
    response = c.post(f"/patients/{patient.pk}/edit/", fields)
    assert response.status_code == 302
    onset = patient.onset_date
    patient.refresh_from_db()
    assert patient.onset_date == onset


def test_a_day_with_a_left_out_diary_entry_is_not_recorded(
    client_as: Any, patient: Patient
) -> None:
    """Leaving a cluster out must not make its day read as spasm-free."""
    from spasmcare.web.clinic import records

    day_row = Entry.objects.filter(patient=patient, kind=Kind.RECORDED_DAY).order_by("day")[0]
    day = day_row.day
    _store_raw(
        patient, Kind.DIARY, {"at": f"{day.isoformat()}T09:00", "kind": "cluster", "spasms": 10**30}
    )
    patient.refresh_from_db()
    record = records.load_record(patient)
    assert day not in record.recorded_days
