"""The weaning plan and the infant feeding modes in the keto room (issue 24), through the
Django test client: every printed weaning step and every feed day re-analysed here from the
foods' compositions in the food table, independently of the solver (ratio ± 0.02, energy
± 1 %); saving, re-planning, printing for the family; bad input named."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from spasmcare.foods import default_table
from spasmcare.web.models import Entry, Kind, Patient

BUTTER, EGG, CREAM, STRAWBERRY = "01001", "01129", "01053", "09316"
#: SR28 "Milk, human, mature, fluid": 1 fl oz = 30.8 g (SR28's own household measure).
MILK_G_PER_ML = 30.8 / 29.5735


def _grams_macros(food_id: str, amount: float, unit: str = "g") -> tuple[float, float, float]:
    """(fat, protein, carbohydrate) [g] of an amount, from the food table's composition."""
    food = default_table().get(food_id)
    if unit == "ml" and food.per_100ml:
        values = food.per_100ml
    elif unit == "ml":
        assert food_id == "01107"
        values, amount = food.per_100g, amount * MILK_G_PER_ML
    else:
        values = food.per_100g
    return tuple(  # type: ignore[return-value]
        (values.get(k) or 0.0) * amount / 100 for k in ("fat_g", "protein_g", "carb_g")
    )


def _ratio_kcal(parts: list[tuple[str, float, str]]) -> tuple[float, float]:
    fat = protein = carb = 0.0
    for food_id, amount, unit in parts:
        f, p, c = _grams_macros(food_id, amount, unit)
        fat, protein, carb = fat + f, protein + p, carb + c
    return fat / (protein + carb), 9 * fat + 4 * protein + 4 * carb


def _weaning_post(**changes: Any) -> dict[str, Any]:
    return {
        "schedule": "after-1-year",
        "start_day": "2027-01-04",
        "start": "3",
        "to": "2",
        "kcal": "900",
        "protein_g": "15",
        "meals": "3",
        "foods": "\n".join([BUTTER, EGG, CREAM, STRAWBERRY]),
    } | changes


@pytest.fixture
def dietitian(client_as: Any) -> Client:
    c: Client = client_as("dietitian")
    return c


def _printed_steps(page: str) -> list[list[str]]:
    """The printed weaning table's rows (cells as text)."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_weaning_plan_saved_printed_and_every_step_reanalysed(
    dietitian: Client, client_as: Any, patient: Patient
) -> None:
    url = f"/patients/{patient.pk}/keto/weaning/"
    assert dietitian.get(url).status_code == 200
    preview = dietitian.post(url, _weaning_post())
    assert preview.status_code == 200 and "not saved" in preview.content.decode()
    saved = dietitian.post(url + "save/", _weaning_post() | {"action": "save"})
    assert saved.status_code == 302
    entry = Entry.objects.get(patient=patient, kind=Kind.KETO_WEANING)
    assert entry.data["foods"] == [BUTTER, EGG, CREAM, STRAWBERRY]
    family = client_as("family")
    sheet = family.get(f"/patients/{patient.pk}/print/weaning/").content.decode()
    steps = _printed_steps(sheet)
    # 3:1 to 2:1 by 0.5 every 14 days from Mon 4 Jan 2027 (by hand): 4-17 Jan at 2.5,
    # 18-31 Jan at 2.0, ketones checked on each step's last day
    assert [s[:3] for s in steps] == [
        ["1", "4 Jan 2027 to 17 Jan 2027", "ratio 2.5:1"],
        ["2", "18 Jan 2027 to 31 Jan 2027", "ratio 2:1"],
    ]
    assert [s[4] for s in steps] == [
        "check ketones on 17 Jan 2027",
        "check ketones on 31 Jan 2027",
    ]
    names = {default_table().get(i).name: i for i in (BUTTER, EGG, CREAM, STRAWBERRY)}
    for step, ratio in zip(steps, (2.5, 2.0), strict=True):
        # the printed meal: "Butter, salted 12 g, Egg, whole, ... 30 g, ..." (names hold commas)
        parts = []
        for name, food_id in names.items():
            for grams in re.findall(re.escape(name) + r" ([0-9.]+) g", step[3]):
                parts.append((food_id, float(grams), "g"))
        printed = len(re.findall(r" [0-9.]+ g(?:, |$)", step[3]))
        assert parts and len(parts) == printed, step
        got_ratio, got_kcal = _ratio_kcal(parts)
        assert abs(got_ratio - ratio) <= 0.02
        assert abs(got_kcal - 900 / 3) <= 0.01 * 900 / 3
    everything = family.get(f"/patients/{patient.pk}/print/all/").content.decode()
    assert "Coming off the diet" in everything


def test_weaning_replanned_when_spasms_return(dietitian: Client, patient: Patient) -> None:
    url = f"/patients/{patient.pk}/keto/weaning/"
    dietitian.post(url + "save/", _weaning_post() | {"action": "save"})
    entry = Entry.objects.get(patient=patient, kind=Kind.KETO_WEANING)
    response = dietitian.post(
        url + "save/",
        {"action": "replan", "spasms_returned": "2027-01-20", "version": entry.version},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.data["spasms_returned"] == "2027-01-20" and entry.version == 2
    page = dietitian.get(url).content.decode()
    # step 2 (from 18 Jan) was in force: cut at 19 Jan; from 20 Jan back to step 1's 2.5:1
    assert "18 Jan 2027 to 19 Jan 2027" in page
    assert "back to ratio 2.5:1: weaning paused until the team plans again" in page
    assert "Spasms came back on 20 Jan 2027" in page


def test_weaning_bad_input_names_the_field_and_saves_nothing(
    dietitian: Client, client_as: Any, patient: Patient
) -> None:
    url = f"/patients/{patient.pk}/keto/weaning/"
    response = dietitian.post(url, _weaning_post(step="0.75"))
    assert response.status_code == 400
    assert "0.75 is not accepted: for after-1-year: from 0.25 to 0.5" in html.unescape(
        response.content.decode()
    )
    response = dietitian.post(url, _weaning_post(foods="99999"))
    assert response.status_code == 400 and "&#x27;99999&#x27; is not accepted" in (
        response.content.decode()
    )
    # numbers and days far outside any plan: named, with the range accepted (no overflow)
    response = dietitian.post(url, _weaning_post(kcal="1e300"))
    assert response.status_code == 400
    assert "1e+300 is not accepted: energy from 0 to 10000 kcal" in response.content.decode()
    response = dietitian.post(url, _weaning_post(start_day="9999-12-31"))
    assert response.status_code == 400
    assert "31 Dec 9999" in html.unescape(response.content.decode())
    # a step without a meal from these foods (1.5:1) is not saved, and says which
    response = dietitian.post(url + "save/", _weaning_post(to="1.5") | {"action": "save"})
    assert response.status_code == 400 and "step 3 has none" in response.content.decode()
    # only the dietitian saves
    assert client_as("nurse").post(url + "save/", _weaning_post()).status_code == 403
    assert not Entry.objects.filter(patient=patient, kind=Kind.KETO_WEANING).exists()


def _feeding_post(**changes: Any) -> dict[str, Any]:
    return {
        "mode": "ebm",
        "ratio": "3",
        "kcal": "700",
        "volume_ml": "780",
        "feeds": "6",
        "formula": "ketocal-4-1-powder\nliquigen:liquid",
        "breast_milk_ml_per_feed": "30",
    } | changes


def _page_days(page: str) -> list[list[tuple[str, float, str]]]:
    return [
        [(f, float(a), u) for f, a, u in re.findall(
            r'data-food="([^"]+)" data-amount="([^"]+)" data-unit="([^"]+)"', day)]
        for day in re.findall(r'<p class="small" data-day="\d+">(.*?)</p>', page)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "changes", "ratio", "days"),
    [
        ("ebm", {}, 3.0, 1),
        ("breastfeed", {"ratio": "4", "breast_milk_ml_per_feed": "20"}, 4.0, 1),
        (
            "solids",
            {"ratio": "4", "breast_milk_ml_per_feed": "", "solids": "03012\n03002\n03007"},
            4.0,
            3,
        ),
    ],
)
def test_every_feed_day_reanalysed(
    dietitian: Client, patient: Patient, mode: str, changes: dict[str, Any], ratio: float,
    days: int,
) -> None:  # fmt: skip
    url = f"/patients/{patient.pk}/keto/feeding/"
    page = dietitian.post(url, _feeding_post(mode=mode, **changes)).content.decode()
    found = _page_days(page)
    assert len(found) == days
    for parts in found:
        got_ratio, got_kcal = _ratio_kcal(parts)
        assert abs(got_ratio - ratio) <= 0.02
        assert abs(got_kcal - 700) <= 7
        if mode == "ebm":  # the mother's 30 mL a feed kept: 180 mL a day
            assert ("01107", 180.0, "ml") in parts


def test_feeding_saved_and_printed_per_feed_in_ml(
    dietitian: Client, client_as: Any, patient: Patient
) -> None:
    url = f"/patients/{patient.pk}/keto/feeding/"
    response = dietitian.post(url + "save/", _feeding_post(mode="breastfeed", ratio="4",
                                                           breast_milk_ml_per_feed="20"))
    assert response.status_code == 302
    sheet = client_as("family").get(f"/patients/{patient.pk}/print/feeding/").content.decode()
    # (780 − 6 × 20) / 6 = 110 mL a bottle after about 20 mL at the breast (by hand)
    assert sheet.count("breastfeed (about 20 mL), then") == 6
    assert sheet.count("<td>110 mL</td>") == 6


def test_feeding_refused_when_breast_milk_cannot_fit(dietitian: Client, patient: Patient) -> None:
    url = f"/patients/{patient.pk}/keto/feeding/"
    # 6 × 60 mL brings 29.7 g protein + carbohydrate; 3:1 at 700 kcal allows 22.6 g
    response = dietitian.post(url + "save/", _feeding_post(breast_milk_ml_per_feed="60"))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "allows 22.6 g of protein + carbohydrate" in page and "Would solve" in page
    assert not Entry.objects.filter(patient=patient, kind=Kind.KETO_FEEDING).exists()
    response = dietitian.post(url, _feeding_post(volume_ml="1e308"))
    assert response.status_code == 400
    assert "volume from 0 to 10000 mL/day" in response.content.decode()
    response = dietitian.post(url, _feeding_post(mode="tube"))
    assert response.status_code == 400
    assert "tube is not accepted: one of the modes listed." in response.content.decode()
