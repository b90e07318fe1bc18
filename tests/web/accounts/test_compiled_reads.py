"""The reads compiled once per process (issue 21) find what the ORM's querysets find.

:class:`spasmcare.web.base.compiled.Compiled` runs the ORM's own SQL with the request's values
in the markers' places; these tests compare it with the queryset, row for row and value for
value (types included: SQLite returns dates and JSON as text, which the ORM converts).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from spasmcare.web.accounts.access import visible_patient, visible_patients
from spasmcare.web.accounts.backends import BACKEND, DJANGO_BACKEND, ModelBackend
from spasmcare.web.accounts.sessions import SessionStore
from spasmcare.web.base.compiled import Compiled
from spasmcare.web.clinic import audit
from spasmcare.web.models import CareTeam, Patient, User

from ..conftest import example_record


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.fixture
def crowd(users: dict[str, User], patient: Patient, other_team: CareTeam) -> dict[str, Any]:
    """Patients of two teams (one retracted) and users inside and outside each."""
    record = example_record()
    record["patient"]["id"] = "other-team-infant"
    elsewhere = audit.import_record(record, other_team, None)
    record = example_record()
    record["patient"]["id"] = "retracted-infant"
    gone = audit.import_record(record, patient.team, None)
    Patient.objects.filter(pk=gone.pk).update(retracted_at=timezone.now())
    both = User.objects.create(username="two-teams", role="dietitian")
    both.teams.add(patient.team, other_team)
    lone = User.objects.create(username="no-child", role="family")
    other_family = User.objects.create(username="other-family", role="family")
    other_family.children.add(elsewhere, gone)
    people = [*users.values(), both, lone, other_family]
    ids = [patient.pk, elsewhere.pk, gone.pk, 10**6]
    return {"people": people, "ids": ids}


@pytest.mark.django_db
def test_visible_patient_is_the_querysets_patient_for_every_user_and_id(
    crowd: dict[str, Any],
) -> None:
    seen = 0
    for user in crowd["people"]:
        for pid in crowd["ids"]:
            expected = visible_patients(user).filter(pk=pid).first()
            if expected is None:
                with pytest.raises(Http404):
                    visible_patient(user, pid)
                continue
            found = visible_patient(user, pid)
            assert _fields(found) == _fields(expected)
            assert {k: type(v) for k, v in _fields(found).items()} == {
                k: type(v) for k, v in _fields(expected).items()
            }
            assert found._state.adding is False and found._state.db == "default"
            seen += 1
    # the nurse, neurologist, dietitian, two-team dietitian and the family see the first
    # patient; the two-team dietitian and the other family see the other team's; nobody sees
    # the retracted one, the child-less family, the researcher or the administrator none
    assert seen == 7


@pytest.mark.django_db
def test_a_compiled_read_is_one_query_and_its_instance_saves_like_any(patient: Patient) -> None:
    read: Compiled[Patient] = Compiled(lambda pid: Patient.objects.filter(pk=pid), (-1,))
    with CaptureQueriesContext(connection) as queries:
        (found,) = read.rows(patient.pk)
    assert len(queries) == 1
    assert read.rows(10**6) == []
    found.name = "Renamed"
    found.save(update_fields=["name"])
    assert Patient.objects.get(pk=patient.pk).name == "Renamed"


@pytest.mark.django_db
def test_compiled_refuses_what_it_cannot_read_faithfully(patient: Patient) -> None:
    with pytest.raises(ValueError, match="plain model queries"):
        Compiled(lambda pid: Patient.objects.select_related("team").filter(pk=pid), (-1,)).rows(1)
    with pytest.raises(ValueError, match="each marker"):  # a marker the query drops
        Compiled(lambda pid: Patient.objects.filter(pk=patient.pk), (-1,)).rows(1)


@pytest.mark.django_db
def test_the_session_store_reads_a_live_session_and_not_an_expired_one(
    client_as: Any, users: dict[str, User], patient: Patient
) -> None:
    client = client_as("family")
    assert client.get(f"/family/{patient.pk}/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(f"/family/{patient.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_signing_out_ends_the_session_for_the_next_request(
    client_as: Any, patient: Patient
) -> None:
    client = client_as("nurse")
    cookie = client.cookies["sessionid"].value
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    assert client.post("/logout/").status_code == 302
    client.cookies["sessionid"] = cookie  # a copy of the old cookie, replayed
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_the_backend_finds_the_querysets_user_and_refuses_an_inactive_one(
    users: dict[str, User],
) -> None:
    backend = ModelBackend()
    for user in users.values():
        found = backend.get_user(user.pk)
        assert found is not None and _fields(found) == _fields(User.objects.get(pk=user.pk))
    assert backend.get_user(10**6) is None
    User.objects.filter(pk=users["nurse"].pk).update(is_active=False)
    assert backend.get_user(users["nurse"].pk) is None


@pytest.mark.django_db
def test_a_session_signed_in_before_the_apps_backend_stays_signed_in(
    users: dict[str, User], patient: Patient
) -> None:
    """Sessions written by earlier versions name Django's backend (no one is signed out)."""
    client = Client()
    client.force_login(users["nurse"], backend=DJANGO_BACKEND)
    stored = SessionStore(client.cookies["sessionid"].value)
    assert stored.load()[BACKEND_SESSION_KEY] == BACKEND
    assert Session.objects.get().get_decoded()[BACKEND_SESSION_KEY] == DJANGO_BACKEND
    assert client.get(f"/patients/{patient.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_diary_links_to_the_other_child_only_for_a_family_of_two(
    client_as: Any, users: dict[str, User], patient: Patient
) -> None:
    family = client_as("family")
    assert "other child" not in family.get(f"/family/{patient.pk}/").content.decode()
    record = example_record()
    record["patient"]["id"] = "sibling"
    users["family"].children.add(audit.import_record(record, patient.team, None))
    assert "other child" in family.get(f"/family/{patient.pk}/").content.decode()


@pytest.mark.django_db
def test_a_compiled_read_with_days_finds_what_the_orm_finds(patient: Patient) -> None:
    """Days reach SQLite as text: the request's day is adapted as the marker was."""
    from datetime import date

    from django.db.models import Q

    from spasmcare.web.family import development as family_development
    from spasmcare.web.family import reads
    from spasmcare.web.models import Entry, Kind

    days = sorted({e.day for e in Entry.objects.filter(patient=patient)})
    assert len(days) > 5
    for first, last in [(days[0], days[-1]), (days[2], days[4]), (days[3], days[3])]:
        week = Entry.objects.filter(
            Q(
                patient=patient,
                kind__in=[Kind.DIARY, Kind.RECORDED_DAY, Kind.DOSE_GIVEN]
                + list(family_development.WEEK_KINDS),
                day__gte=first,
                day__lte=last,
            )
            | Q(family_development.week_filter(), patient=patient),
            retracted_at__isnull=True,
        ).order_by("day", "id")
        found = reads.week_entries(patient, first, last)
        assert [_fields(e) for e in found] == [_fields(e) for e in week] and found
    marked = list(Entry.objects.filter(patient=patient, kind=Kind.RECORDED_DAY).order_by("day"))
    assert marked
    for entry in marked[:3]:
        found_day = reads.recorded(patient, entry.day)
        assert found_day is not None and found_day.pk == entry.pk
    assert reads.recorded(patient, date(1999, 1, 1)) is None
