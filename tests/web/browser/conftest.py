"""Browser tests: Playwright for Python driving Debian's Chromium, headless, against the app
served by pytest-django's live server. Screenshots go to ``test-artifacts/screenshots/``.

Without ``/usr/bin/chromium`` the tests are skipped with the install command, unless
``SPASMCARE_REQUIRE_BROWSER=1`` (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD

# Playwright's sync API keeps an event loop in the test thread; the ORM calls that fixtures make
# there are ordinary synchronous ones (Django documents this switch for exactly this case).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _one_request_at_a_time() -> None:
    """The live server answers one request at a time. With the test database in memory, every
    request thread of Django's live server shares the test's one SQLite connection, so a
    page's image loading while a second browser context signs in ran two transactions on one
    connection: a savepoint popped by the other thread, then every later test's database
    flush refused ("table is locked"). The served app (gunicorn) gives each thread its own
    connection; only this test server shares one."""
    from django.core.servers.basehttp import ServerHandler

    if getattr(ServerHandler, "_spasmcare_serial", False):
        return
    lock = threading.Lock()
    run = ServerHandler.run

    def serial(self: Any, application: Any) -> None:
        # one request's handling (the app and the response), not the connection's idle wait
        with lock:
            run(self, application)

    ServerHandler.run = serial  # type: ignore[method-assign]
    ServerHandler._spasmcare_serial = True  # type: ignore[attr-defined]


_one_request_at_a_time()

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


MISSING = "Debian's chromium is needed for the browser tests: apt-get install chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without the browser, mark these tests skipped with the install command (CI sets
    SPASMCARE_REQUIRE_BROWSER=1, and there a missing browser fails the run instead)."""
    if os.path.exists(CHROMIUM) or os.environ.get("SPASMCARE_REQUIRE_BROWSER") == "1":
        return
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def web(settings: Any, live_server: Any) -> str:
    """The live server's address, with cookies usable over its plain loopback HTTP."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return str(live_server.url)


@pytest.fixture
def shot() -> Callable[[Any, str], None]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def signed_in(browser: Any, web: str, users: Any) -> Callable[..., Any]:
    """``signed_in("nurse", phone=False)`` -> a Playwright page signed in through the form."""
    contexts = []

    def make(role: str, phone: bool = False) -> Any:
        context = browser.new_context(
            viewport=PHONE if phone else {"width": 1280, "height": 900},
            is_mobile=phone,
            has_touch=phone,
            accept_downloads=True,
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{web}/login/")
        page.fill("#id_username", role)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    yield make
    for c in contexts:
        c.close()
