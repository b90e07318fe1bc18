"""The diary's parts a tap does not change are rendered once per what they show (issue 21):
the count pad, other seizures and milestones, the printouts and the language form. A kept
part carries slots for the request's CSRF token and the page's nonce, filled in every page:
the forms post with the request's own token (the test client enforces CSRF here) and the
nonce of that page. Counted by renders, never by time."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from spasmcare.web.family import fragments
from spasmcare.web.models import Kind, Patient
from tests.web.family.test_family import diary_url, live, log_url, nonce_of

PARTS = (
    "web/family/_count_pad.html",
    "web/family/_development.html",
    "web/family/_print_links.html",
    "web/family/_language_form.html",
)


def _tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)


def test_a_tap_renders_no_part_again_and_every_slot_is_filled(
    client_as: Any, patient: Patient
) -> None:
    family: Client = client_as("family")
    family.get(diary_url(patient))
    fragments.counts.clear()
    html = family.get(diary_url(patient)).content.decode()
    nonce = nonce_of(html)
    response = family.post(log_url(patient), {"action": "cluster", "spasms": "4", "nonce": nonce})
    assert response.status_code == 302
    after = family.get(diary_url(patient)).content.decode()
    assert sum(fragments.counts[p] for p in PARTS) == 0  # nothing rendered again
    for page in (html, after):
        assert fragments.CSRF_SLOT not in page and fragments.NONCE_SLOT not in page
        # every nonce of a page is that page's own, and differs between pages
        assert len(set(re.findall(r'name="nonce" value="([^"]+)"', page))) == 1
    assert nonce_of(after) != nonce
    tokens = _tokens(after)  # the parts' forms and the page's own each carry a token
    assert len(tokens) >= 4 and all(len(t) == 64 for t in tokens)


def test_the_kept_forms_post_with_the_requests_token(client_as: Any, patient: Patient) -> None:
    client_as("family")  # the family's login exists
    family = Client(enforce_csrf_checks=True)
    family.force_login(_family_user(patient))
    html = family.get(diary_url(patient)).content.decode()
    # the token of the kept "another kind of seizure" form, as the phone posts it
    part = html[html.index('id="other-seizure"') :]
    token = _tokens(part)[0]
    response = family.post(
        log_url(patient),
        {
            "action": "other_seizure",
            "type": "tonic",
            "nonce": nonce_of(html),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert len(live(patient, Kind.OTHER_SEIZURE)) == 1
    # a page without the token is refused, so the check is on
    refused = family.post(log_url(patient), {"action": "other_seizure", "type": "tonic"})
    assert refused.status_code == 403


def test_a_milestone_tick_renders_that_part_again(client_as: Any, patient: Patient) -> None:
    family: Client = client_as("family")
    html = family.get(diary_url(patient)).content.decode()
    fragments.counts.clear()
    milestone = re.search(r'name="milestone" value="([^"]+)"', html)
    assert milestone
    response = family.post(
        log_url(patient),
        {"action": "milestone", "milestone": milestone.group(1), "status": "achieved"},
    )
    assert response.status_code == 302
    after = family.get(diary_url(patient)).content.decode()
    assert fragments.counts["web/family/_development.html"] == 1
    assert f'value="{milestone.group(1)}"' not in after  # the reached milestone is gone
    assert fragments.counts["web/family/_count_pad.html"] == 0


def _family_user(patient: Patient) -> Any:
    from spasmcare.web.models import User

    return User.objects.filter(role="family", children=patient).first()
