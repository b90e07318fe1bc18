"""The keto planner's supplements: rows in words (a name, nutrients from a list, amounts a
day), stored exactly as the old typed syntax was (issue 19: "NAME:calcium_mg=600" on screen)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from spasmcare.web.keto import views as keto_views
from spasmcare.web.models import Entry, Kind, Patient
from tests.web.keto.test_keto import BUTTER, EGG, STRAWBERRY, domain_meal, form_post, meal_rows
from tests.web.keto.test_keto import prescription as inputs
from tests.web.test_visible_words import PATTERNS, visible_text

#: Two supplements as the old box took them (one a line) ...
OLD_TEXT = "calcium:calcium_mg=600,vitamin_d_ug=10\nmultivitamin drops:iron_mg=7,zinc_mg=2.5"
#: ... and the same supplements in the rows.
ROWS = {
    "sup0_name": "calcium",
    "sup0_0_nutrient": "calcium_mg",
    "sup0_0_amount": "600",
    "sup0_1_nutrient": "vitamin_d_ug",
    "sup0_1_amount": "10",
    "sup1_name": "multivitamin drops",
    "sup1_0_nutrient": "iron_mg",
    "sup1_0_amount": "7",
    "sup1_1_nutrient": "zinc_mg",
    "sup1_1_amount": "2.5",
}


def _save(client: Any, patient: Patient, version: int, **extra: str) -> Any:
    solution = domain_meal([BUTTER, EGG, STRAWBERRY])
    rows = [(i.food_id, i.grams, False) for i in solution.items]
    post = form_post(plan_version=version, action="save", **meal_rows(0, rows)) | extra
    return client.post(reverse("keto_save", args=[patient.pk]), post)


def test_rows_store_exactly_what_the_typed_syntax_stored(client_as: Any, patient: Patient) -> None:
    client = client_as("dietitian")
    assert _save(client, patient, 0, supplements=OLD_TEXT).status_code == 302
    entry = Entry.objects.get(patient=patient, kind=Kind.KETO_PLAN)
    by_text = dict(entry.data["prescription"])
    assert by_text["supplements"] == OLD_TEXT
    assert _save(client, patient, 1, **ROWS).status_code == 302
    entry.refresh_from_db()
    assert entry.version == 2
    # the same supplements give the same stored prescription, and no row field is stored
    assert entry.data["prescription"] == by_text
    assert not [k for k in entry.data["prescription"] if re.match(r"sup\d", k)]
    # the saved plan reads back into the rows, and the day counts the supplements:
    # calcium 600 mg and iron 7 mg come from the supplements
    page = client.get(reverse("keto_planner", args=[patient.pk]))
    form = page.context["form"]
    assert {k: str(form[k].value()) for k in ROWS} == ROWS
    day = page.context["plan"].completeness[0]["report"]
    given = {r["nutrient"]: r["from_supplements"] for r in day["rows"]}
    assert given["calcium_mg"] == pytest.approx(600.0)
    assert given["vitamin_d_ug"] == pytest.approx(10.0)
    assert given["iron_mg"] == pytest.approx(7.0)
    assert given["zinc_mg"] == pytest.approx(2.5)


def test_a_stored_line_shows_in_rows_and_is_kept_when_saved_again() -> None:
    form = keto_views.PrescriptionForm(data=inputs(supplements=OLD_TEXT))
    assert form.is_valid(), form.errors
    assert form.inputs()["supplements"] == OLD_TEXT
    rows = form.supplement_rows
    # two supplements, then the blank "add another supplement" row
    assert [r.blank for r in rows] == [False, False, True]
    assert rows[0].name.value() == "calcium"
    assert [(n.value(), a.value()) for n, a in rows[0].nutrients[:2]] == [
        ("calcium_mg", "600"),
        ("vitamin_d_ug", "10"),
    ]
    # blank nutrient rows under each supplement, for another nutrient
    assert len(rows[0].nutrients) == 4 and rows[0].nutrients[2][0].value() in (None, "")
    # rows emptied (the page posts the rows, never the stored lines): no supplement
    form = keto_views.PrescriptionForm(data=inputs(supplements="", sup0_name=""))
    assert form.is_valid(), form.errors
    assert form.inputs()["supplements"] == ""


def test_the_planner_shows_nutrients_in_words_and_no_code_syntax(
    client_as: Any, patient: Patient
) -> None:
    client = client_as("dietitian")
    html = client.get(reverse("keto_planner", args=[patient.pk])).content.decode()
    assert 'name="sup0_name"' in html and 'name="sup0_0_nutrient"' in html
    assert '<option value="calcium_mg">Calcium [mg]</option>' in html
    assert '<option value="vitamin_d_ug">Vitamin D (D2 + D3) [µg]</option>' in html
    assert "Add another supplement" not in html  # the first blank row is "Supplement"
    # with supplements entered (and a saved plan read back): no code syntax anywhere visible
    assert _save(client, patient, 0, **ROWS).status_code == 302
    html = client.get(reverse("keto_planner", args=[patient.pk])).content.decode()
    assert "Add another supplement" in html
    text = visible_text(html)
    assert "calcium_mg" not in text and "NAME:" not in text and "=600" not in text
    for kind in ("nutrient code", "snake_case code"):
        assert not PATTERNS[kind].search(text), (kind, PATTERNS[kind].search(text))


def _errors(client: Any, patient: Patient, **rows: str) -> tuple[int, dict[str, list[str]]]:
    response = client.post(reverse("keto_solve", args=[patient.pk]), form_post(**rows))
    return response.status_code, {k: list(v) for k, v in response.context["form"].errors.items()}


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        ("-5", "from 0 to 100000 mg"),
        ("200000", "from 0 to 100000 mg"),
        ("six hundred", "from 0 to 100000 mg"),
        ("inf", "from 0 to 100000 mg"),
        ("", "give the amount a day in mg"),
    ],
)
def test_a_bad_amount_is_refused_naming_field_value_and_range(
    client_as: Any, patient: Patient, amount: str, why: str
) -> None:
    client = client_as("dietitian")
    status, errors = _errors(
        client,
        patient,
        sup0_name="Calcium tablets",
        sup0_0_nutrient="calcium_mg",
        sup0_0_amount=amount,
    )
    assert status == 200
    text = " ".join(errors["sup0_0_amount"])
    assert "Supplement 1 (Calcium tablets), Calcium [mg]" in text
    assert why in text
    if amount:
        assert f"“{amount}” is not accepted" in text
    # nothing is saved with it
    assert (
        _save(
            client,
            patient,
            0,
            sup0_name="Calcium tablets",
            sup0_0_nutrient="calcium_mg",
            sup0_0_amount=amount,
        ).status_code
        == 400
    )
    assert not Entry.objects.filter(patient=patient, kind=Kind.KETO_PLAN).exists()


def test_a_nutrient_not_on_the_list_is_refused_naming_what_is_accepted(
    client_as: Any, patient: Patient
) -> None:
    client = client_as("dietitian")
    _, errors = _errors(
        client, patient, sup0_name="calcium", sup0_0_nutrient="calcium", sup0_0_amount="600"
    )
    text = " ".join(errors["sup0_0_nutrient"])
    assert "Supplement 1, nutrient 1: “calcium” is not accepted" in text
    assert "one of the nutrients listed (Calcium, Iron," in text and "Folate (DFE))" in text
    # an amount without its nutrient, a nutrient given twice, a row without a name or nutrient
    _, errors = _errors(client, patient, sup0_name="calcium", sup0_0_amount="600")
    assert "choose the nutrient that “600” is the amount of" in " ".join(errors["sup0_0_nutrient"])
    _, errors = _errors(
        client,
        patient,
        sup0_name="calcium",
        sup0_0_nutrient="calcium_mg",
        sup0_0_amount="600",
        sup0_1_nutrient="calcium_mg",
        sup0_1_amount="100",
    )
    assert "Calcium [mg] is given twice" in " ".join(errors["sup0_1_nutrient"])
    _, errors = _errors(client, patient, sup0_0_nutrient="calcium_mg", sup0_0_amount="600")
    assert "Supplement 1: give its name" in " ".join(errors["sup0_name"])
    _, errors = _errors(client, patient, sup1_name="calcium")
    assert "choose at least one nutrient" in " ".join(errors["sup1_name"])
    _, errors = _errors(
        client, patient, sup0_name="a:b", sup0_0_nutrient="calcium_mg", sup0_0_amount="6"
    )
    assert "“a:b” is not accepted: a name without “:”" in " ".join(errors["sup0_name"])


def test_rows_beyond_the_page_are_ignored_and_a_line_that_does_not_read_is_kept(
    client_as: Any, patient: Patient
) -> None:
    client = client_as("dietitian")
    response = client.post(
        reverse("keto_solve", args=[patient.pk]),
        form_post(sup999_name="x", sup0_999_amount="1", **{"sup0_0_nutrient": ""}),
    )
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert len(response.context["form"].supplement_rows) == 1
    # a stored line that does not read (an old plan): kept in the page, with the reason shown
    form = keto_views.PrescriptionForm(data=inputs(supplements="calcium:calcium=600"))
    assert form.supplements_kept and form.is_valid()
    assert form.inputs()["supplements"] == "calcium:calcium=600"
    html = client.post(
        reverse("keto_solve", args=[patient.pk]), form_post(supplements="calcium:calcium=600")
    ).content.decode()
    assert 'type="hidden" name="supplements" value="calcium:calcium=600"' in html
    assert "could not be shown in the rows" in html


def test_the_live_meal_solve_takes_the_rows_as_the_page_sends_them(
    client_as: Any, patient: Patient
) -> None:
    # keto.js sends every prescription field of the page, the supplement rows among them
    items = [{"food": f, "grams": None, "locked": False} for f in (BUTTER, EGG, STRAWBERRY)]
    body = {"prescription": inputs(**ROWS), "meal": {"index": 0, "items": items}}
    url = reverse("keto_solve", args=[patient.pk])
    client = client_as("dietitian")
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "solved"
    body["prescription"] = inputs(**(ROWS | {"sup0_0_amount": "-1"}))
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "“-1” is not accepted" in response.json()["reason"]
