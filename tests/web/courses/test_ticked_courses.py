"""A course a family has ticked doses of is never a dead end for the neurologist.

* Re-planning it with a protocol that drops its drug ends the drug's treatment (its ``stop``
  the day before the new plan starts, or the last ticked day if later) instead of retracting
  it: the doses were given, the ticks stay valid and on the dashboard, the record reads.
* Retracting it as entered in error retracts the ticks entered against it in the same
  transaction, each audited with a reason naming the course, after a confirmation page that
  lists them.
* Nothing is half-written when a step is refused (a stale version, a tick added meanwhile).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from spasmcare.record import record_from_dict
from spasmcare.therapy import confirm_detail, load_protocol
from spasmcare.web.clinic import audit, record_rows, records
from spasmcare.web.models import Entry, Kind, Patient, Revision, User
from tests.web.courses.test_course import WHEN, text
from tests.web.courses.test_doses_given import start_prednisolone, tick, ticks


@pytest.fixture(autouse=True)
def vigabatrin_confirmed(tmp_path: Path, settings: Any) -> None:
    """The clinic has confirmed every detail of the vigabatrin protocol (its wean), so a
    vigabatrin course can be saved."""
    directory = tmp_path / "protocols"
    directory.mkdir()
    p = load_protocol("vigabatrin", protocols_dir=directory)
    for key in sorted(p.details):
        p = confirm_detail(p, key, "Dr Test, consultant", directory, at=WHEN)
    settings.SPASMCARE_PROTOCOLS_DIR = str(directory)


@pytest.fixture
def family(client_as: Any) -> Client:
    c: Client = client_as("family")
    return c


def treatment(patient: Patient, tid: str) -> Entry:
    return Entry.objects.get(patient=patient, kind=Kind.TREATMENT, data__id=tid)


def replan(client: Client, patient: Patient, group: str, **extra: str) -> Any:
    """Re-plan course ``group`` as vigabatrin (no prednisolone) starting today."""
    form = {
        "course": group,
        "protocol": "vigabatrin",
        "weight_kg": "6",
        "start": records.today().isoformat(),
        **extra,
    }
    return client.post(f"/patients/{patient.pk}/course/save/", form)


def reads(patient: Patient) -> Any:
    return record_from_dict(record_rows.record_dict(patient), today=records.today())


def dose_section(client: Client, patient: Patient) -> str:
    dash = client.get(f"/patients/{patient.pk}/").content.decode()
    section = dash[dash.index('id="doses-given"') :]
    return section[: section.index("</section>")]


# --- re-plan -----------------------------------------------------------------------------


def test_replan_after_a_tick_ends_the_ticked_drug_and_the_record_reads(
    family: Client, client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    group = start_prednisolone(client_as, patient, days_ago=2)
    tick(family, patient, group, "08:00")
    neuro = client_as("neurologist")
    response = replan(neuro, patient, group)
    assert response.status_code == 302, text(response)[:3000]
    today = records.today()

    # the prednisolone course was given: ended (today, the last ticked day), not retracted
    pred = treatment(patient, group)
    assert pred.retracted_at is None
    assert pred.data["stop"] == today.isoformat()
    assert all(d["start"] <= today.isoformat() for d in pred.data.get("doses", []))
    # no longer a drug of the planner's course; what it was planned as is kept
    assert "planner" not in pred.extra
    assert pred.extra["ended_by_replan"]["planned_as"]["protocol"] == "prednisolone-high-dose"
    assert pred.extra["ended_by_replan"]["protocol"].startswith("vigabatrin")
    (rev,) = Revision.objects.filter(entry=pred, action="update")
    assert rev.by == users["neurologist"] and rev.snapshot["data"]["stop"] == today.isoformat()

    # the new course is saved with its own id
    new = response["Location"].split("course=")[-1]
    assert new != group and treatment(patient, new).data["drug"] == "vigabatrin"
    assert treatment(patient, new).extra["planner"]["group"] == new

    # the tick is still live, the record reads, and the team sees the tick
    (given,) = ticks(patient)
    assert given.data["treatment"] == group
    record = reads(patient)
    assert [g.treatment for g in record.doses_given] == [group]
    assert record.treatment(group).stop == today
    section = dose_section(client_as("nurse"), patient)
    assert "prednisolone" in section and "08:00" in section and "given" in section

    # the neurologist is told in words; the planner and the dashboard open
    page = neuro.get(response["Location"])
    assert page.status_code == 200
    shown = text(page)
    assert f"Course {new} updated" in shown
    assert f"Prednisolone ({group}) ended on {today.day} {today:%b %Y}" in shown
    assert neuro.get(f"/patients/{patient.pk}/").status_code == 200


def test_replan_after_an_earlier_tick_ends_the_day_before_the_new_plan(
    client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    group = start_prednisolone(client_as, patient, days_ago=3)
    today = records.today()
    two_days_ago = today - timedelta(days=2)
    audit.create_entry(
        patient,
        Kind.DOSE_GIVEN,
        {"date": two_days_ago.isoformat(), "treatment": group, "drug": "prednisolone",
         "given": True, "time": "08:00"},
        users["family"],
    )
    response = replan(client_as("neurologist"), patient, group)
    assert response.status_code == 302, text(response)[:3000]
    pred = treatment(patient, group)
    yesterday = today - timedelta(days=1)
    assert pred.retracted_at is None and pred.data["stop"] == yesterday.isoformat()
    assert reads(patient).treatment(group).stop == yesterday
    assert len(ticks(patient)) == 1


def test_replan_without_ticks_still_retracts_the_dropped_drug(
    client_as: Any, patient: Patient
) -> None:
    group = start_prednisolone(client_as, patient, days_ago=2)
    response = replan(client_as("neurologist"), patient, group)
    assert response.status_code == 302
    pred = treatment(patient, group)
    assert pred.retracted_at is not None and "which has no prednisolone" in (
        pred.retraction_reason
    )
    reads(patient)


def test_a_stale_replan_after_a_tick_writes_nothing(
    family: Client, client_as: Any, patient: Patient
) -> None:
    group = start_prednisolone(client_as, patient, days_ago=2)
    tick(family, patient, group, "08:00")
    pred = treatment(patient, group)
    seen = f"{pred.pk}:{pred.version}"
    # someone saves the course after the planner was opened
    audit.update_entry(pred, pred.version, pred.data | {"note": "checked"}, pred.updated_by)
    before = list(Entry.objects.filter(patient=patient).values_list("pk", "version"))
    revisions = Revision.objects.filter(patient=patient).count()

    response = replan(client_as("neurologist"), patient, group, versions=seen)
    assert response.status_code == 200
    assert "after you opened it" in text(response)
    # nothing half-written: no new course, the prednisolone entry as it was, the tick live
    assert list(Entry.objects.filter(patient=patient).values_list("pk", "version")) == before
    assert Revision.objects.filter(patient=patient).count() == revisions
    pred.refresh_from_db()
    # as it was: the whole plan's stop (day 29, started 2 days ago), not ended by the re-plan
    # (issue 19: a saved course keeps its planned stop; before, it had none until it ended)
    planned_stop = (records.today() + timedelta(days=26)).isoformat()
    assert "planner" in pred.extra and pred.data.get("stop") == planned_stop
    assert len(ticks(patient)) == 1


# --- retract a course entered in error ---------------------------------------------------


def retract_url(patient: Patient, entry: Entry) -> str:
    return f"/patients/{patient.pk}/entries/{entry.pk}/retract/"


def ticked_course(client_as: Any, family: Client, patient: Patient) -> tuple[str, Entry]:
    """A prednisolone course saved through the planner with its 08:00 dose ticked as given:
    the course id and its treatment entry."""
    group = start_prednisolone(client_as, patient)
    tick(family, patient, group, "08:00")
    return group, treatment(patient, group)


def listed(patient: Patient) -> str:
    """The live ticks as a retract page lists them ("id:version,...")."""
    return ",".join(f"{t.pk}:{t.version}" for t in ticks(patient))


def test_retracting_a_course_in_error_takes_its_ticks_after_saying_so(
    family: Client, client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    group, course = ticked_course(client_as, family, patient)
    tick(family, patient, group, "12:00", given="no")
    neuro = client_as("neurologist")

    page = neuro.get(retract_url(patient, course))
    shown = text(page)
    assert "2 doses ticked as given go with it" in shown
    assert "08:00" in shown and "12:00" in shown and "not given" in shown
    assert "Retract with 2 ticks" in shown
    shown_ticks = listed(patient)
    assert f'name="ticks" value="{shown_ticks}"' in page.content.decode()

    response = neuro.post(
        retract_url(patient, course),
        {"version": course.version, "reason": "wrong patient", "ticks": shown_ticks},
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.retracted_at is not None and course.retraction_reason == "wrong patient"
    retracted = Entry.objects.filter(patient=patient, kind=Kind.DOSE_GIVEN)
    assert retracted.count() == 2
    for t in retracted:
        assert t.retracted_at is not None and t.retracted_by == users["neurologist"]
        assert t.retraction_reason == (
            f"entered against course {group} (prednisolone), retracted as: wrong patient"
        )
        assert Revision.objects.filter(entry=t, action="retract").count() == 1
    assert ticks(patient) == []
    assert reads(patient).treatment(group) is None
    followed = neuro.get(f"/patients/{patient.pk}/")
    assert "Retracted with the 2 doses ticked as given against it" in text(followed)
    assert "08:00" not in dose_section(neuro, patient)


def test_a_tick_added_after_the_page_was_opened_retracts_nothing(
    family: Client, client_as: Any, patient: Patient
) -> None:
    group, course = ticked_course(client_as, family, patient)
    shown_ticks = listed(patient)
    tick(family, patient, group, "12:00")  # ticked while the neurologist reads the page
    response = client_as("neurologist").post(
        retract_url(patient, course),
        {"version": course.version, "reason": "wrong patient", "ticks": shown_ticks},
    )
    assert response.status_code == 200
    shown = text(response)
    assert "nothing was retracted" in shown and "2 doses ticked as given go with it" in shown
    course.refresh_from_db()
    assert course.retracted_at is None and len(ticks(patient)) == 2


def test_a_stale_course_version_retracts_no_tick(
    family: Client, client_as: Any, patient: Patient
) -> None:
    group, course = ticked_course(client_as, family, patient)
    shown_ticks = listed(patient)
    seen = course.version
    audit.update_entry(course, seen, course.data | {"note": "checked"}, course.updated_by)
    response = client_as("neurologist").post(
        retract_url(patient, course),
        {"version": seen, "reason": "wrong patient", "ticks": shown_ticks},
    )
    assert response.status_code == 200 and "after you opened it" in text(response)
    course.refresh_from_db()
    assert course.retracted_at is None
    (still,) = ticks(patient)
    assert Revision.objects.filter(entry=still, action="retract").count() == 0


def test_only_the_neurologist_retracts_a_course_and_its_ticks(
    family: Client, client_as: Any, patient: Patient
) -> None:
    _, course = ticked_course(client_as, family, patient)
    for role in ("nurse", "dietitian"):
        assert client_as(role).get(retract_url(patient, course)).status_code == 403
    assert len(ticks(patient)) == 1


def test_the_planner_ended_course_is_shown_as_another_treatment(
    family: Client, client_as: Any, patient: Patient
) -> None:
    group = start_prednisolone(client_as, patient, days_ago=2)
    tick(family, patient, group, "08:00")
    neuro = client_as("neurologist")
    new = replan(neuro, patient, group)["Location"].split("course=")[-1]
    page = neuro.get(f"/patients/{patient.pk}/course/?course={new}")
    assert page.status_code == 200
    # a later re-plan of the new course leaves the ended prednisolone alone
    again = replan(neuro, patient, new, weight_kg="6.5")
    assert again.status_code == 302, text(again)[:3000]
    pred = treatment(patient, group)
    assert pred.retracted_at is None and pred.data["stop"] == records.today().isoformat()
    reads(patient)
