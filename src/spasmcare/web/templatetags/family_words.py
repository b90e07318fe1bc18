"""Doses in the family's language: numbers from data in the locale's format, words from the
catalogue, never a number inside a translated sentence.

``{% dose_given d.given %}`` renders one dose as a family gives it ("20 mg = 2 mL of
10 mg/mL"; Spanish "20 mg = 2 mL de 10 mg/mL", each number written the locale's way, "2,5 mL"),
from the amounts the domain computed (:func:`spasmcare.therapy.export.given_text` says the
same in English, for the record). On a right-to-left page each quantity is wrapped
``dir="ltr"`` so it reads "20 mg", never "mg 20" (a left-to-right page needs no wrapping).
Drug and product names are never translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import (
    get_language_bidi,
    gettext,
    pgettext,
    pgettext_lazy,
)

from spasmcare.therapy.export import number

register = template.Library()

#: Routes of the protocols, in the family's words (an unknown route is shown as written).
ROUTES = {
    "oral": pgettext_lazy("route", "by mouth"),
    "intramuscular": pgettext_lazy("route", "injection into a muscle"),
    "subcutaneous": pgettext_lazy("route", "injection under the skin"),
}


def quantity(value: Any, unit: str) -> SafeString:
    """One number and its unit, the number in the locale's format (at most 2 decimals, no
    trailing zeros), kept left to right."""
    if not get_language_bidi():
        return format_html("{} {}", local_number(value), unit)
    return format_html('<span class="qty" dir="ltr">{} {}</span>', local_number(value), unit)


@register.filter
def local_number(value: Any) -> str:
    """A dose or volume as the English sheet rounds it (at most 2 decimals, no trailing
    zeros: :func:`spasmcare.therapy.export.number`), written with the locale's decimal sign."""
    if value is None or value == "":
        return ""
    return number_format(Decimal(number(float(value))), use_l10n=True)


def _unit(unit: str) -> str:
    return pgettext("dose unit", "units") if unit in ("U", "units") else unit


@register.simple_tag
def dose_given(given: Mapping[str, Any] | None, times: Sequence[str] = ()) -> str:
    """One dose (``amount``, ``unit``, ``volume_ml``, ``concentration``, ``per_day``) as the
    family gives it, with its times when given."""
    if not given:
        return ""
    unit = str(given.get("unit") or "")
    amount = quantity(given.get("amount"), _unit(unit))
    volume = given.get("volume_ml")
    strength = given.get("concentration")
    if not given.get("per_day", True):
        text = (
            format_html(gettext("{amount} a day"), amount=amount)
            if unit in ("mg", "units", "U")
            else amount
        )
    elif volume is None:
        text = amount
    elif strength is None:
        text = format_html(
            gettext("{amount} = {volume}"), amount=amount, volume=quantity(volume, "mL")
        )
    else:
        per = "mg/mL" if unit == "mg" else "U/mL"
        text = format_html(
            gettext("{amount} = {volume} of {strength}"),
            amount=amount,
            volume=quantity(volume, "mL"),
            strength=quantity(strength, per),
        )
    named = [t for t in times if t]
    if named:
        clock = format_html("{}", ", ".join(named))
        if get_language_bidi():
            clock = format_html('<span dir="ltr">{}</span>', clock)
        return format_html(gettext("{dose} at {times}"), dose=text, times=clock)
    return text


@register.filter
def route_words(route: Any) -> str:
    """A protocol's route in the family's words."""
    return str(ROUTES.get(str(route), route or ""))


@register.simple_tag(takes_context=True)
def pdf_url(context: Any) -> str:
    """The PDF of the printout being shown (``…/print/call/`` -> ``…/print/call.pdf``, its
    query kept); "" on any other page."""
    request = context.get("request")
    path = getattr(request, "path", "")
    if not path.endswith("/") or "/print/" not in path:
        return ""
    query = request.GET.urlencode() if request is not None else ""
    return path[:-1] + ".pdf" + (f"?{query}" if query else "")


@register.filter
def qty(value: Any, unit: str) -> SafeString:
    """``{{ 10.5|qty:"mL" }}``: a number from data and its unit, the locale's way, left to
    right."""
    return quantity(value, _unit(unit))


@register.filter
def iso_day(value: Any) -> Any:
    """An ISO date text of the record ("2026-12-01") as a date, for ``|date`` to write in the
    page's language; anything else as it is."""
    from datetime import date

    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return value


#: The diets, in the family's words (record codes and the planner's codes).
DIETS = {
    "classic-kd": pgettext_lazy("diet", "classic ketogenic diet"),
    "classic": pgettext_lazy("diet", "classic ketogenic diet"),
    "mct": pgettext_lazy("diet", "MCT ketogenic diet"),
    "mad": pgettext_lazy("diet", "modified Atkins diet"),
    "lgit": pgettext_lazy("diet", "low glycaemic index treatment"),
    "other": pgettext_lazy("diet", "other diet"),
}


@register.filter
def diet_words(code: Any) -> str:
    """A diet's code in the family's words ("" for an unknown code)."""
    return str(DIETS.get(str(code), ""))


#: The sourced warning signs of "When to call the team" (spasmcare.report.family) that hold no
#: number, in the family's words. A text not listed here (a sign with the clinic's lab
#: thresholds in it, a protocol's advice, or a sign whose English changed) is shown as the
#: domain wrote it and marked English; :func:`call_known` says which.
def gettext_noop(text: str) -> str:
    """``text`` marked for the catalogue (the extractor knows this name), not translated here:
    it is read at import time, before any language is active."""
    return text


CALL_WORDS = frozenset(
    {
        gettext_noop(
            "Signs of adrenal crisis: cold, clammy skin; a fast heartbeat or fast breathing; poor "
            "feeding; signs of dehydration."
        ),
        gettext_noop(
            "Get urgent help now and say which hormone treatment the baby is on. Never stop the "
            "medicine suddenly."
        ),
        gettext_noop("A fever, or the baby seems unwell."),
        gettext_noop(
            "Call the team at once. The treatment can hide the usual signs of an infection (even "
            "fever) and of sepsis."
        ),
        gettext_noop(
            "On ACTH: a live vaccine is due or was just given (to the baby or to someone at home)."
        ),
        gettext_noop("Tell the team before the vaccine."),
        gettext_noop("Follow the low-sugar plan your team gave you, then call the team."),
        gettext_noop("Follow the high-ketone plan your team gave you, then call the team."),
        gettext_noop("Tell the team the same day: too many ketones can cause symptoms."),
        gettext_noop("Vomiting or diarrhoea, or the baby is ill and cannot take the diet."),
        gettext_noop(
            "Call the team: each episode loses fluid that needs replacing, and illness changes the "
            "diet. Ask them how much rehydration fluid your baby needs."
        ),
        gettext_noop("On hormone treatment (prednisolone, ACTH or tetracosactide)"),
        gettext_noop("On the ketogenic diet"),
    }
)


@register.filter
def call_known(text: Any) -> bool:
    """Whether a warning sign's text is in the catalogue (else it is shown in English)."""
    return str(text) in CALL_WORDS


@register.filter
def call_words(text: Any) -> str:
    """A warning sign's text in the family's language when the catalogue has it."""
    return gettext(str(text)) if str(text) in CALL_WORDS else str(text)
