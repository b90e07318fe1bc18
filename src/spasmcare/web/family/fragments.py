"""Parts of the family diary page that a tap does not change, rendered once per what they show.

Every tap returns to the diary page, so the page is the app's most frequent; its count pad,
"another kind of seizure" and milestone forms, printout links and language form are the same
from one tap to the next, yet each page put their words and links together again (about a
fifth of the page's CPU, issue 21). Each part is rendered from its own template once per
language and what it shows (:func:`kept`, in the process's memory,
:func:`spasmcare.web.clinic.computed.memo`) and put into the page as HTML.

The parts hold forms, and a form's CSRF token and the page's nonce are the request's own: a
kept part holds slots for them (:data:`CSRF_SLOT`, :data:`NONCE_SLOT`), filled in the whole
page (:func:`fill`). The slots are random per process, so no text a family typed can hold one.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from spasmcare.web.clinic import computed
from spasmcare.web.family.forms import COUNT_BUTTONS, MORE_FROM

_SLOT = secrets.token_hex(12)
#: Written where a kept part's forms carry the CSRF token.
CSRF_SLOT = f"csrf-slot-{_SLOT}"
#: Written where a kept part's forms carry the page's nonce.
NONCE_SLOT = f"nonce-slot-{_SLOT}"

T = TypeVar("T")

#: Renders of the parts in this process (tests count them: what a tap renders again).
counts: Counter[str] = Counter()


def kept(template: str, context: dict[str, Any]) -> SafeString:
    """``template`` rendered with ``context`` (JSON-like values; the slots added as
    ``csrf_slot`` and ``nonce``), from memory when the same part was rendered before in this
    language (:func:`spasmcare.web.clinic.computed.rendered_html`)."""

    def render() -> str:
        counts[template] += 1
        return render_to_string(template, context | {"csrf_slot": CSRF_SLOT, "nonce": NONCE_SLOT})

    return computed.rendered_html(f"diary-part:{template}", context, render)


def fill(html: str, request: HttpRequest, nonce: str) -> str:
    """The page with the request's CSRF token and the page's nonce in every slot."""
    return html.replace(CSRF_SLOT, get_token(request)).replace(NONCE_SLOT, nonce)


def diary_parts(
    request: HttpRequest,
    patient_pk: int,
    log_url: str,
    development: dict[str, Any],
    words: dict[str, Any],
) -> dict[str, SafeString]:
    """The diary's parts a tap does not change: the count pad, other seizures and milestones
    (issue 25), the printouts and the language form."""
    language_form = {
        "languages": words.get("languages"),
        "language_now": words.get("language_now"),
        "next": request.get_full_path(),
    }
    return {
        "count_pad": kept(
            "web/family/_count_pad.html",
            {"log_url": log_url, "counts": COUNT_BUTTONS, "more_from": MORE_FROM},
        ),
        "development": kept(
            "web/family/_development.html", {"log_url": log_url, "development": development}
        ),
        "print_links": kept("web/family/_print_links.html", {"patient_pk": patient_pk}),
        "language_form": kept("web/family/_language_form.html", language_form),
    }


# --- today's list: a row per entry, on every page a tap returns to ---------------------------

#: Words the diary page makes again and again (what was seen, the strip's day names), by the
#: page's language and what they name; the same few phrases all day.
_PHRASES: dict[tuple[Any, ...], Any] = {}
#: Most phrases kept (a bound on memory; counts, days and languages are few).
PHRASES = 4096


def _phrase(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    full = (get_language(), *key)
    found: T | None = _PHRASES.get(full)
    if found is None:
        found = make()
        if len(_PHRASES) < PHRASES:
            _PHRASES[full] = found
    return found


def spasms_in_words(spasms: Any) -> str:
    """A count of spasms in the page's language: "1 spasm", "3 spasms"."""
    return _phrase(
        ("spasms", spasms),
        lambda: ngettext("%(spasms)s spasm", "%(spasms)s spasms", spasms or 0) % {"spasms": spasms},
    )


def what_was_seen(kind: Any, spasms: Any) -> str:
    """What a diary row saw, in the page's language: "single spasm", or "3 spasms" for a
    cluster."""
    if kind == "single":
        return _phrase(("single",), lambda: gettext("single spasm"))
    return spasms_in_words(spasms)


def day_names(day: date) -> tuple[str, str]:
    """A day as the strip names it: "Mon 7 Dec" (its title) and "Mon" (under its bar), in the
    page's language; the same seven days all week."""
    return _phrase(
        ("day", day), lambda: (date_format(day, gettext("D j M")), date_format(day, "D"))
    )


def today_items(rows: list[dict[str, Any]]) -> SafeString:
    """The items of today's list (``<li>`` each), as the diary template wrote them: made here
    because a busy day's list is long and every tap returns to it (issue 21). The same HTML as
    the template's loop (``tests/web/family/test_today_items.py`` compares them)."""
    video = gettext("video")
    out = []
    for r in rows:
        duration = (
            format_html(' · <span dir="ltr">{} min</span>', floatformat(r["duration_min"], "-1"))
            if r["duration_min"]
            else ""
        )
        link = format_html('<a href="{}">{}</a>', r["video_url"], video) if r["video_url"] else ""
        out.append(
            format_html(
                '    <li><span class="fam-time" dir="ltr">{}</span>\n'
                "      <span>{}{}</span>\n"
                '      <span class="muted small">{}</span>\n'
                "      {}</li>\n",
                r["time"],
                r["what"],
                duration,
                r["observer"],
                link,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped by format_html
