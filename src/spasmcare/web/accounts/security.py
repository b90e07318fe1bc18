"""Security plumbing of the clinic app (software settings, no clinical content).

- :func:`client_address`: the address a request came from. ``X-Forwarded-For`` is believed
  only when the direct peer is one of ``SPASMCARE_TRUSTED_PROXIES`` (the clinic's own reverse
  proxy); anyone else could write any address into that header.
- :func:`login_wait_seconds`: sign-in throttling per (user name, client address) with waits that
  double with every further failure, so an attacker elsewhere cannot lock a clinician out, and
  a per-address ceiling that spares people who have signed in from that address before.
- :class:`SecurityHeadersMiddleware`: Content-Security-Policy (scripts from the app's own
  static files only, no inline script) and ``Cache-Control: no-store`` on every page that is
  not a static file.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# --- client address ------------------------------------------------------------------------


def _networks(spec: str | Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    return [ipaddress.ip_network(i.strip(), strict=False) for i in items if i.strip()]


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or, when that is a trusted proxy, the nearest
    ``X-Forwarded-For`` hop that is not itself a trusted proxy."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = _networks(settings.SPASMCARE_TRUSTED_PROXIES)
    peer = _ip(remote)
    if not trusted or peer is None or not any(peer in n for n in trusted):
        return remote[:64]
    hops = [h for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            break  # a forged or broken header: fall back to the proxy's own address
        if not any(ip in n for n in trusted):
            return str(ip)[:64]
    return remote[:64]


# --- sign-in throttling --------------------------------------------------------------------


def _wait(failures: int, last: object, limit: int) -> int:
    """Seconds still to wait after ``failures`` (>= ``limit``) with the latest at ``last``."""
    if failures < limit or last is None:
        return 0
    step = settings.SPASMCARE_LOGIN_FIRST_WAIT_SECONDS * 2 ** min(failures - limit, 20)
    step = min(step, settings.SPASMCARE_LOGIN_MAX_WAIT_SECONDS)
    assert hasattr(last, "__add__")
    left = (last + timedelta(seconds=step)) - timezone.now()  # type: ignore[operator]
    return max(0, int(left.total_seconds() + 0.999))


def login_wait_seconds(username: str, address: str, exclude: int | None = None) -> int:
    """How long sign-ins for ``username`` from ``address`` must wait (0: check the password).

    ``exclude``: the caller's own attempt, already counted as a failure before its password is
    checked (so attempts sent in parallel cannot all pass the limit).

    - Per (user name, address): ``SPASMCARE_LOGIN_MAX_FAILURES`` failures within the window
      are free; then each further attempt waits ``SPASMCARE_LOGIN_FIRST_WAIT_SECONDS``, doubling
      after each failure up to ``SPASMCARE_LOGIN_MAX_WAIT_SECONDS``. Failures from other
      addresses never make this user wait here.
    - Per address, over all user names (password spraying):
      ``SPASMCARE_LOGIN_ADDRESS_MAX_FAILURES`` failures start the same doubling wait, except
      for a user name that has signed in from this address before.
    """
    from spasmcare.web.accounts.models import LoginEvent, LoginFailure

    name = username.lower()
    since = timezone.now() - timedelta(seconds=settings.SPASMCARE_LOGIN_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    if exclude is not None:
        recent = recent.exclude(pk=exclude)
    pair = recent.filter(username=name, address=address)
    wait = _wait(
        pair.count(),
        pair.order_by("-at").values_list("at", flat=True).first(),
        settings.SPASMCARE_LOGIN_MAX_FAILURES,
    )
    if wait:
        return wait
    everyone = recent.filter(address=address)
    limit = settings.SPASMCARE_LOGIN_ADDRESS_MAX_FAILURES
    count = everyone.count()
    if count < limit:
        return 0
    known = LoginEvent.objects.filter(
        username=name, address=address, outcome=LoginEvent.Outcome.SIGNED_IN
    ).exists()
    if known:
        return 0
    return _wait(count, everyone.order_by("-at").values_list("at", flat=True).first(), limit)


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


# --- response headers ----------------------------------------------------------------------

#: Scripts only from the app's own static files: no inline script, no event-handler attribute,
#: no CDN. Styles allow ``style`` attributes (layout only); images may be the report's inline
#: charts (data: URLs); nothing may frame the app.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class SecurityHeadersMiddleware:
    """Set CSP and ``Cache-Control: no-store`` (every app page and download: patient data must
    not stay in a shared computer's browser cache). HSTS with ``includeSubDomains`` is sent by
    Django's ``SecurityMiddleware`` (``SECURE_HSTS_INCLUDE_SUBDOMAINS``) when HTTPS is on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        static = "/" + settings.STATIC_URL.lstrip("/")
        if not request.path.startswith(static):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
