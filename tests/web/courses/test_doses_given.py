"""A family ticks today's medicine dose as given on the phone diary (issue 12): the tick is a
record ``doses_given`` item written through the audit trail, seen by the team on the
dashboard, undone by the family when tapped by mistake, and refused to those who do not give
medicines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.record import record_from_dict
from spasmcare.web.clinic import audit, record_rows, records
from spasmcare.web.models import CareTeam, Entry, Kind, Patient, Revision, User
from spasmcare.web.patients import summaries
from tests.web.conftest import example_record
from tests.web.courses.test_course import text
from tests.web.family.test_family import diary_url, live, log_url, medicines_section


def start_prednisolone(client_as: Any, patient: Patient, days_ago: int = 2) -> str:
    """The neurologist saves a prednisolone course (high dose, 6 kg) that started
    ``days_ago`` days ago: 10 mg four times a day at 08:00 12:00 16:00 20:00 on days 1-14."""
    start = (records.today() - timedelta(days=days_ago)).isoformat()
    response = client_as("neurologist").post(
        f"/patients/{patient.pk}/course/save/",
        {"protocol": "prednisolone-high-dose", "weight_kg": "6", "start": start},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"].split("course=")[-1])


def tick(client: Client, patient: Patient, treatment: str, time: str, given: str = "yes") -> Any:
    return client.post(
        log_url(patient),
        {"action": "dose", "treatment": treatment, "time": time, "given": given},
    )


def ticks(patient: Patient) -> list[Entry]:
    return live(patient, Kind.DOSE_GIVEN)


@pytest.fixture
def family(client_as: Any) -> Client:
    c: Client = client_as("family")
    return c


def test_family_ticks_sees_and_undoes_a_dose(
    family: Client, client_as: Any, patient: Patient, users: dict[str, User]
) -> None:
    group = start_prednisolone(client_as, patient)
    section = medicines_section(family, patient)
    assert 'name="action" value="dose"' in section and "08:00" in section
    assert f'name="treatment" value="{group}"' in section
    version = Patient.objects.get(pk=patient.pk).data_version

    response = tick(family, patient, group, "08:00")
    assert response.status_code == 302 and response["Location"].endswith("#medicines")
    (entry,) = ticks(patient)
    today = records.today().isoformat()
    assert entry.data == {
        "date": today,
        "treatment": group,
        "drug": "prednisolone",
        "given": True,
        "time": "08:00",
        "dose": entry.data["dose"],
    }
    assert entry.data["dose"].startswith("10 mg")  # the dose as the schedule showed it
    assert entry.created_by == users["family"]
    # audited, and the data version moved on (cached pages and summaries are rebuilt)
    (rev,) = Revision.objects.filter(entry=entry)
    assert rev.action == "create" and rev.by == users["family"]
    assert Patient.objects.get(pk=patient.pk).data_version > version

    # the family sees the tick, with who ticked and an Undo
    page = family.get(diary_url(patient))
    section = medicines_section(family, patient)
    assert "✓ given" in section and "mother," in section
    assert 'value="dose_undo"' in section
    assert "Ticked: prednisolone 08:00 given." in page.content.decode()
    # the 12:00 dose is still to tick
    assert 'aria-label="prednisolone 12:00: given"' in section

    # the team sees it on the dashboard, in plain words
    dash = client_as("nurse").get(f"/patients/{patient.pk}/").content.decode()
    doses = dash[dash.index('id="doses-given"') :]
    doses = doses[: doses.index("</section>")]
    assert "prednisolone" in doses and "08:00" in doses and "given" in doses
    assert "mother" in doses and today not in doses  # no ISO date on the page

    # the tick is in the record the team exports
    exported = client_as("nurse").get(f"/patients/{patient.pk}/record.json").json()
    assert exported["doses_given"] == [entry.data]

    # undo: retracted "entered by mistake", kept in the history, the dose can be ticked again
    response = family.post(
        log_url(patient), {"action": "dose_undo", "entry": entry.pk, "version": entry.version}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.retracted_at is not None and entry.retraction_reason == "entered by mistake"
    assert Revision.objects.filter(entry=entry, action="retract").count() == 1
    assert ticks(patient) == []
    section = medicines_section(family, patient)
    assert "✓ given" not in section and 'aria-label="prednisolone 08:00: given"' in section
    exported = client_as("nurse").get(f"/patients/{patient.pk}/record.json").json()
    assert "doses_given" not in exported


def test_a_double_tap_ticks_once_and_not_given_is_recorded(
    family: Client, client_as: Any, patient: Patient
) -> None:
    group = start_prednisolone(client_as, patient)
    tick(family, patient, group, "08:00")
    again = tick(family, patient, group, "08:00")
    assert again.status_code == 302
    assert len(ticks(patient)) == 1
    page = family.get(diary_url(patient)).content.decode()
    assert "Already ticked: prednisolone 08:00." in page
    tick(family, patient, group, "12:00", given="no")
    missed = ticks(patient)[-1]
    assert missed.data["given"] is False and missed.data["time"] == "12:00"
    assert "✗ not given" in medicines_section(family, patient)


def test_a_dose_not_on_todays_schedule_is_not_ticked(
    family: Client, client_as: Any, patient: Patient
) -> None:
    group = start_prednisolone(client_as, patient)
    tick(family, patient, group, "03:00")
    tick(family, patient, "nosuch", "08:00")
    response = tick(family, patient, group, "8 o'clock")
    assert ticks(patient) == []
    page = text(family.get(response["Location"]))
    assert (
        "Nothing was ticked. Time: \"8 o'clock\" is not accepted: a time of the schedule "
        "written HH:MM (00:00 to 23:59), or none."
    ) in page
    assert "Nothing was ticked: that dose is not on today's schedule any more." in page


def test_a_twice_daily_medicine_without_a_plan_is_ticked_at_each_time(
    family: Client, patient: Patient
) -> None:
    # the example's vigabatrin (vgb1) runs without a saved plan at 150 mg/kg/day; its protocol
    # gives it twice a day in every phase, so the day has two doses, 08:00 and 20:00, each
    # ticked on its own (issue 19: one tick a day for a twice-daily drug); the record item is
    # the same doses_given format as a planned course's tick (treatment, time, drug, dose)
    section = medicines_section(family, patient)
    assert section.count('name="treatment" value="vgb1"') == 2
    tick(family, patient, "vgb1", "08:00")
    tick(family, patient, "vgb1", "20:00")
    entries = ticks(patient)
    assert sorted(e.data["time"] for e in entries) == ["08:00", "20:00"]
    # 7.3 kg x 150 / 2 = 547.5 mg = 10.95 mL of 50 mg/mL -> 10.5 mL (mark not above the
    # maximum) = 525 mg
    assert {e.data["dose"] for e in entries} == {"525 mg = 10.5 mL of 50 mg/mL"}
    assert {e.data["drug"] for e in entries} == {"vigabatrin"}
    # a whole-day tick is not on the schedule any more
    tick(family, patient, "vgb1", "")
    assert len(ticks(patient)) == 2
    record_from_dict(records.export_dict(patient))  # the record stays valid


def test_a_medicine_without_a_known_split_is_ticked_once_a_day(
    family: Client, patient: Patient, users: dict[str, User]
) -> None:
    # a treatment without a protocol: the record says 30 mg/day, nothing says how often, so
    # one whole-day dose with its tick and no time (the doses_given item without "time")
    item = {"id": "lev1", "drug": "levetiracetam", "start": records.today().isoformat(),
            "doses": [{"start": records.today().isoformat(), "amount": 30, "unit": "mg/day"}]}
    audit.create_entry(patient, Kind.TREATMENT, item, users["neurologist"])
    section = medicines_section(family, patient)
    assert section.count('name="treatment" value="lev1"') == 1
    assert "30 mg a day" in section and "Your team tells you how to split" in section
    tick(family, patient, "lev1", "")
    (entry,) = ticks(patient)
    assert entry.data["treatment"] == "lev1" and "time" not in entry.data
    assert entry.data["dose"] == "30 mg a day"


def test_the_audit_trail_refuses_a_second_live_tick_of_the_same_dose(
    patient: Patient, users: dict[str, User]
) -> None:
    """Below the diary's "Already ticked": any writer (an import, the ward) is refused a
    second live tick of the same date, time and treatment; another time, or a tick whose
    twin was undone, is written."""
    nurse = users["nurse"]
    item = {"date": records.today().isoformat(), "treatment": "vgb1", "given": True}
    first = audit.create_entry(patient, Kind.DOSE_GIVEN, item, nurse)
    with pytest.raises(InputError) as err:
        audit.create_entry(patient, Kind.DOSE_GIVEN, dict(item), nurse)
    assert err.value.field == "time" and "not already ticked" in err.value.accepted
    audit.create_entry(patient, Kind.DOSE_GIVEN, item | {"time": "08:00"}, nurse)
    audit.retract_entry(first, first.version, "entered by mistake", nurse)
    audit.create_entry(patient, Kind.DOSE_GIVEN, dict(item), nurse)
    assert len(ticks(patient)) == 2


def test_a_dietitian_cannot_tick_a_dose(
    client_as: Any, patient: Patient
) -> None:
    group = start_prednisolone(client_as, patient)
    dietitian = client_as("dietitian")
    response = tick(dietitian, patient, group, "08:00")
    assert response.status_code == 403
    assert "does not add a dose ticked as given" in response.content.decode()
    assert ticks(patient) == []
    # nor do they see tick buttons on the diary page
    assert 'value="dose"' not in medicines_section(dietitian, patient)


def test_another_familys_child_is_not_found(
    client_as: Any, patient: Patient, other_team: CareTeam
) -> None:
    group = start_prednisolone(client_as, patient)
    data = example_record()
    data["patient"]["id"] = "other-0002"
    other_child = audit.import_record(data, other_team, None)
    stranger = User.objects.create(username="other-parent", role="family")
    stranger.children.add(other_child)
    c = Client()
    c.force_login(stranger)
    assert tick(c, patient, group, "08:00").status_code == 404
    assert c.get(diary_url(patient)).status_code == 404
    assert ticks(patient) == []


def test_a_family_cannot_undo_the_nurses_tick_but_the_nurse_can_retract_theirs(
    family: Client, client_as: Any, patient: Patient
) -> None:
    group = start_prednisolone(client_as, patient)
    nurse = client_as("nurse")
    tick(nurse, patient, group, "08:00")
    (by_nurse,) = ticks(patient)
    section = medicines_section(family, patient)
    assert "✓ given" in section and "dose_undo" not in section  # not theirs to undo
    response = family.post(
        log_url(patient), {"action": "dose_undo", "entry": by_nurse.pk, "version": 1}
    )
    assert response.status_code == 403
    assert ticks(patient) == [by_nurse]
    # the family's own tick: the nurse (the medicine discipline) may retract it on the record
    tick(family, patient, group, "12:00")
    mine = ticks(patient)[-1]
    url = f"/patients/{patient.pk}/entries/{mine.pk}/retract/"
    assert client_as("dietitian").post(url, {"version": 1, "reason": "x"}).status_code == 403
    assert nurse.post(url, {"version": 1, "reason": "ticked twice"}).status_code == 302
    mine.refresh_from_db()
    assert mine.retracted_at is not None


def test_a_course_with_ticks_is_not_retracted_from_under_them(
    family: Client, client_as: Any, patient: Patient
) -> None:
    # a retraction that does not list the ticks going with it (see test_ticked_courses for
    # the page that does) leaves the course and its ticks as they were
    group = start_prednisolone(client_as, patient)
    tick(family, patient, group, "08:00")
    course = Entry.objects.get(patient=patient, kind=Kind.TREATMENT, data__id=group)
    response = client_as("neurologist").post(
        f"/patients/{patient.pk}/entries/{course.pk}/retract/",
        {"version": course.version, "reason": "wrong patient"},
    )
    assert response.status_code == 200
    assert "nothing was retracted" in response.content.decode()
    course.refresh_from_db()
    assert course.retracted_at is None and len(ticks(patient)) == 1
    # the record's own rule still holds underneath: the course alone cannot go
    with pytest.raises(InputError, match="another entry refers to the one being retracted"):
        audit.retract_entry(course, course.version, "wrong patient", course.updated_by)


def test_the_record_with_ticks_reads_and_the_patient_list_is_rebuilt(
    family: Client, client_as: Any, patient: Patient
) -> None:
    group = start_prednisolone(client_as, patient)
    summaries.patient_rows([patient])
    before = summaries.PatientSummary.objects.get(patient=patient).data_version
    tick(family, patient, group, "08:00")
    patient.refresh_from_db()
    assert patient.data_version > before
    summaries.patient_rows([patient])
    assert summaries.PatientSummary.objects.get(patient=patient).data_version == (
        patient.data_version
    )
    record = record_from_dict(record_rows.record_dict(patient), today=records.today())
    (given,) = record.doses_given
    assert given.treatment == group and given.given and given.time == "08:00"


# --- property: any sequence of taps -------------------------------------------------------

_TAPS = st.lists(
    st.tuples(
        st.sampled_from(["dose", "dose_undo"]),
        st.sampled_from(["08:00", "12:00", "16:00", "20:00", "03:00"]),
        st.sampled_from(["yes", "no"]),
    ),
    max_size=8,
)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(taps=_TAPS)
def test_property_any_taps_keep_one_live_tick_per_dose_all_audited(
    taps: list[tuple[str, str, str]], client_as: Any, patient: Patient
) -> None:
    """Whatever the family taps (ticks, not-given, undo, in any order, a time off the
    schedule), each of today's doses has at most one live tick, every tick and undo is one
    revision, and the record still reads."""
    if not Entry.objects.filter(patient=patient, kind=Kind.TREATMENT, data__id="pred2").exists():
        assert start_prednisolone(client_as, patient) == "pred2"
    old = Entry.objects.filter(patient=patient, kind=Kind.DOSE_GIVEN)
    Revision.objects.filter(entry__in=old).delete()
    old.delete()
    family = client_as("family")
    for action, time, given_ in taps:
        if action == "dose":
            assert tick(family, patient, "pred2", time, given_).status_code == 302
            continue
        mine = ticks(patient)
        if mine:
            target = next((e for e in mine if e.data.get("time") == time), mine[-1])
            response = family.post(
                log_url(patient),
                {"action": "dose_undo", "entry": target.pk, "version": target.version},
            )
            assert response.status_code == 302
    live_ticks = ticks(patient)
    keys = [(e.data["treatment"], e.data.get("time")) for e in live_ticks]
    assert len(keys) == len(set(keys))
    assert all(e.data.get("time") != "03:00" for e in live_ticks)  # not on the schedule
    every = Entry.objects.filter(patient=patient, kind=Kind.DOSE_GIVEN)
    retracted = every.filter(retracted_at__isnull=False).count()
    revisions = Revision.objects.filter(entry__in=every)
    assert revisions.filter(action="create").count() == every.count()
    assert revisions.filter(action="retract").count() == retracted
    record = record_from_dict(record_rows.record_dict(patient), today=records.today())
    assert len(record.doses_given) == len(live_ticks)
