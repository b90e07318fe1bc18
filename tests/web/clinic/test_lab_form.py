"""The lab form (issue 19): the test from the catalogue, the unit from that test's list; ALT,
sodium and urine ketones can be recorded; a unit the test does not take is refused with a
message naming the field, the value and the units accepted."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.record.lab_catalogue import CATALOGUE, LOINC, analyte_label, check_unit
from spasmcare.record.units import to_si
from spasmcare.web.models import Entry, Patient


def _post(client_as: Any, patient: Patient, **form: str) -> Any:
    data = {"at": "2026-11-01T08:00", "value": "1", "unit": "mmol/L"} | form
    return client_as("nurse").post(f"/patients/{patient.pk}/add/lab/", data)


def _latest(patient: Patient) -> dict[str, Any]:
    entry = Entry.objects.filter(patient=patient, kind="lab").order_by("-id").first()
    assert entry is not None
    data: dict[str, Any] = entry.data
    return data


@pytest.mark.parametrize(
    ("analyte", "value", "unit"),
    [("alt", "35", "U/L"), ("sodium", "138", "mmol/L"), ("urine_ketones", "4", "mmol/L"),
     ("alt", "0.6", "µkat/L"), ("sodium", "138", "mEq/L"), ("urine_ketones", "40", "mg/dL")],
)  # fmt: skip
def test_new_tests_are_recorded(
    client_as: Any, patient: Patient, analyte: str, value: str, unit: str
) -> None:
    r = _post(client_as, patient, analyte=analyte, value=value, unit=unit)
    assert r.status_code == 302, r.content.decode()[:1500]
    assert _latest(patient) == {
        "at": "2026-11-01T08:00", "analyte": analyte, "value": float(value), "unit": unit
    }  # fmt: skip


def test_conversions_to_the_si_unit() -> None:
    # 1 µkat = 60 U (1 U = 1 µmol/min, 1 kat = 1 mol/s): 0.6 µkat/L = 36 U/L
    assert to_si("alt", 0.6, "µkat/L", "labs[0]") == pytest.approx((36.0, "U/L"))
    # sodium is monovalent: 138 mEq/L = 138 mmol/L
    assert to_si("sodium", 138, "mEq/L", "labs[0]") == (138.0, "mmol/L")
    # acetoacetate 102.089 g/mol: 40 mg/dL = 400 mg/L / 102.089 = 3.918 mmol/L
    si, unit = to_si("urine_ketones", 40, "mg/dL", "labs[0]")
    assert (round(si, 3), unit) == (3.918, "mmol/L")


def test_the_form_lists_tests_and_each_tests_units(client_as: Any, patient: Patient) -> None:
    page = client_as("nurse").get(f"/patients/{patient.pk}/add/lab/").content.decode()
    for label in ("ALT (alanine aminotransferase)", "sodium (serum)",
                  "urine ketones (strip, acetoacetate)", "β-hydroxybutyrate (blood)"):
        assert f">{label}</option>" in page, label
    # the units are a list grouped by test, never a free-text box
    assert '<select name="unit"' in page
    assert '<optgroup label="ALT (alanine aminotransferase)">' in page
    assert '<option value="µkat/L">µkat/L</option>' in page
    assert 'type="text" name="unit"' not in page


def test_a_unit_the_test_does_not_take_is_refused(client_as: Any, patient: Patient) -> None:
    before = Entry.objects.filter(patient=patient, kind="lab").count()
    r = _post(client_as, patient, analyte="sodium", value="138", unit="mg/dL")
    assert r.status_code == 200
    page = r.content.decode()
    assert "&#x27;mg/dL&#x27; is not accepted: for sodium (serum): one of mmol/L, mEq/L." in page
    r = _post(client_as, patient, analyte="alt", value="35", unit="IU/mL")
    assert (
        "&#x27;IU/mL&#x27; is not accepted: for ALT (alanine aminotransferase): one of U/L, "
        "µkat/L." in r.content.decode()
    )
    assert Entry.objects.filter(patient=patient, kind="lab").count() == before


def test_another_test_keeps_its_own_name_and_unit(client_as: Any, patient: Patient) -> None:
    r = _post(client_as, patient, analyte="other", value="12", unit="other",
              unit_other="µg/L", name="ferritin")  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:1500]
    assert _latest(patient) == {"at": "2026-11-01T08:00", "analyte": "other", "value": 12.0,
                                "unit": "µg/L", "name": "ferritin"}  # fmt: skip
    r = _post(client_as, patient, analyte="other", value="12", unit="other", name="ferritin")
    assert "Needed: the unit as the laboratory reported it." in r.content.decode()


def test_existing_records_read_and_edit_as_before(client_as: Any, patient: Patient) -> None:
    # the example record's labs (bhb, glucose, urine Ca/Cr ...) open in the new form unchanged
    entry = Entry.objects.filter(patient=patient, kind="lab").order_by("id").first()
    assert entry is not None
    page = client_as("nurse").get(f"/patients/{patient.pk}/entries/{entry.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{entry.data["unit"]}" selected>' in html


def test_catalogue_entries() -> None:
    assert LOINC == {"glucose": "15074-8", "alt": "1742-6", "sodium": "2951-2"}
    for key, test in CATALOGUE.items():
        assert test.units[0] == test.unit_si, key
        for unit in test.units:
            check_unit(key, unit)
            to_si(key, 1.0, unit, "labs[0]")
        assert test.range_si.hard[0] < test.range_si.hard[1]
    assert analyte_label("bhb") == "β-hydroxybutyrate (blood)"
