"""What a family reads and prints is true and complete (issue 19), in a real browser.

Before issue 19 the family's phone showed the example's vigabatrin as "150 mg/kg/day" with one
tick a day for a twice-daily drug, and the medicine tables of the printouts were 1,029-1,180 px
wide where A4 portrait prints about 703 px.
"""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.web.models import Entry, Kind, Patient, User
from tests.web.browser.test_role_tasks import NARROW, family_on_narrow_phone
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

#: A4 is 210 mm wide; the print CSS sets 12 mm margins: 186 mm = 186 / 25.4 x 96 = 703 px.
A4_CONTENT_PX = 703

#: Every element's right edge, and the page's scroll width, against the page width.
TOO_WIDE = """(limit) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > limit + 1 || r.left < -1) {
      out.push(`${el.tagName.toLowerCase()}.${el.className || ''} ${Math.round(r.width)} px`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, wide: out.slice(0, 8)};
}"""


def test_family_gives_twice_daily_vigabatrin_in_mg_and_ml_and_ticks_both_doses(
    browser: Any, web: str, patient: Patient, users: dict[str, User], signed_in: Any, shot: Any
) -> None:
    """The example's vigabatrin runs without a plan at 150 mg/kg/day; at the last weight,
    7.3 kg, that is 547.5 mg twice a day = 10.95 mL of 50 mg/mL, which the 20 mL syringe
    (0.5 mL marks) measures as 10.5 mL (11 mL would give 550 mg, above the 547.5 mg maximum):
    525 mg = 10.5 mL at 08:00 and at 20:00, each ticked on its own."""
    with family_on_narrow_phone(browser, web) as page:
        page.goto(f"{web}/family/{patient.pk}/")
        vigabatrin = page.locator("#medicines li.fam-dose", has_text="vigabatrin")
        assert vigabatrin.count() == 2
        assert "150 mg/kg/day" not in page.inner_text("#medicines")
        assert "7.3 kg (weighed 9 Nov 2026)" in page.inner_text("#medicines")
        for time in ("08:00", "20:00"):
            dose = vigabatrin.filter(has_text=time)
            assert "525 mg = 10.5 mL of 50 mg/mL" in dose.inner_text()
            with page.expect_navigation():
                dose.get_by_role("button", name=f"vigabatrin {time}: given").tap()
            assert "✓ given" in vigabatrin.filter(has_text=time).inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        shot(page, "issue19-family-vigabatrin-two-ticks-360")
    ticks = Entry.objects.filter(patient=patient, kind=Kind.DOSE_GIVEN, retracted_at__isnull=True)
    assert sorted((t.data["treatment"], t.data["time"]) for t in ticks) == [
        ("vgb1", "08:00"),
        ("vgb1", "20:00"),
    ]
    assert {t.data["dose"] for t in ticks} == {"525 mg = 10.5 mL of 50 mg/mL"}

    nurse = signed_in("nurse")
    nurse.goto(f"{web}/patients/{patient.pk}/")
    given = nurse.locator("#doses-given").inner_text()
    assert "vigabatrin" in given and "08:00" in given and "20:00" in given
    assert "525 mg = 10.5 mL" in given


def test_every_family_printout_fits_a4_portrait(
    browser: Any, web: str, patient: Patient, users: dict[str, User], client_as: Any, shot: Any
) -> None:
    """A prednisolone course (the check-up sheet of a steroid course), the planned vigabatrin
    and a saved keto plan, and the demo clinic's formula-fed infant with its saved feed: each
    printout, printed (print media) at A4's width, has no element wider than the page."""
    from spasmcare.web.clinic import clinic_settings as clinic
    from spasmcare.web.operations.demo_keto import demo_keto_plan
    from tests.web.courses.test_doses_given import start_prednisolone
    from tests.web.family.test_family import plan_the_vigabatrin
    from tests.web.keto.test_keto import _save

    plan_the_vigabatrin(patient, users["neurologist"])
    start_prednisolone(client_as, patient)
    assert _save(client_as("dietitian"), patient).status_code == 302
    clinic.save({"phone": "01632 960123", "out_of_hours_phone": "01632 960456"}, None)
    fed = _formula_fed_demo_infant(patient, users)
    demo_keto_plan(fed[0], fed[1], users["neurologist"])
    context = browser.new_context(viewport={"width": A4_CONTENT_PX, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{web}/login/")
        page.fill("#id_username", "family")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.emulate_media(media="print")
        for name in ("medicines", "monitoring", "meals", "call", "all"):
            page.goto(f"{web}/patients/{patient.pk}/print/{name}/")
            assert page.locator("main").inner_text().strip()
            found = page.evaluate(TOO_WIDE, A4_CONTENT_PX)
            assert found["scroll"] <= A4_CONTENT_PX, (name, found)
            assert found["wide"] == [], (name, found)
        # the infant feed sheet the family prints (the feed the demo's dietitian saved)
        for name in ("feed", "all"):
            page.goto(f"{web}/patients/{fed[0].pk}/print/{name}/")
            assert "Make up to a total of" in page.inner_text("main"), name
            found = page.evaluate(TOO_WIDE, A4_CONTENT_PX)
            assert found["scroll"] <= A4_CONTENT_PX, ("feed " + name, found)
            assert found["wide"] == [], ("feed " + name, found)
        shot(page, "issue19-print-feed-all-a4")
        # the check-up sheet of the steroid course lists the BP, glucose and weight checks
        page.goto(f"{web}/patients/{patient.pk}/print/monitoring/")
        checks = page.inner_text("main")
        assert "Blood pressure, blood or urine glucose and weight" in checks
        assert "your team will tell you how often" in checks
        page.goto(f"{web}/patients/{patient.pk}/print/all/")
        text = page.inner_text("main")
        for internal in ("evidence:", "FIRM", "SECONDARY", "given at planning", "2026-"):
            assert internal not in text, internal
        shot(page, "issue19-print-all-a4")
    finally:
        context.close()


def _formula_fed_demo_infant(patient: Patient, users: dict[str, User]) -> tuple[Patient, Any]:
    """The demo clinic's formula-fed infant on a ketogenic diet, imported into the test
    patient's team, the family login's child (its feed is saved by the demo's keto hook)."""
    from spasmcare.demo import demo_clinic
    from spasmcare.web.clinic import audit, records

    infant = next(
        i for i in demo_clinic(records.today()) if i.family and (i.keto or {}).get("feed")
    )
    fed = audit.import_record(infant.record, patient.team, users["admin"])
    users["family"].children.add(fed)
    return fed, infant
