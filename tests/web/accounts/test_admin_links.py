"""The administrator's way around (issue 19): the admin site links to Clinic settings, the
clinic site links back, and Django's "View site" no longer loops to /admin/."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client


def _admin(users: Any) -> Client:
    c = Client()
    c.force_login(users["admin"])
    return c


def test_admin_index_links_to_clinic_settings(users: Any) -> None:
    page = _admin(users).get("/admin/").content.decode()
    assert re.search(r'<a href="/clinic/">Clinic settings</a>', page)


def test_view_site_goes_to_a_page_that_is_not_the_admin_site(users: Any) -> None:
    c = _admin(users)
    page = c.get("/admin/").content.decode()
    view_site = re.search(r'<a href="([^"]+)">View site</a>', page)
    assert view_site is not None
    target = view_site.group(1)
    assert target == "/clinic/"
    # the page opens for the administrator, without a redirect back to /admin/
    response = c.get(target)
    assert response.status_code == 200
    assert "<h1>Clinic settings</h1>" in response.content.decode()


def test_clinic_settings_links_back_to_the_admin_site(users: Any) -> None:
    page = _admin(users).get("/clinic/").content.decode()
    assert '<a href="/admin/">Users &amp; teams</a>' in page
    assert '<a href="/clinic/">Clinic settings</a>' in page
