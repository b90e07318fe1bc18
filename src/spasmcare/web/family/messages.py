"""The diary's messages, in the family's language: one whole sentence per case, so each
language words it whole (never "today" or "given" put into another sentence), numbers and
times passed in as placeholders."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext


def not_on_schedule() -> str:
    return gettext(
        "Nothing was ticked: that dose is not on today's schedule any more. The page now "
        "shows today's schedule."
    )


def day_unmarked() -> str:
    return gettext(
        "The day is no longer marked as watched: tap “No spasms today” if you watched and "
        "saw none."
    )


def ticked(what: str, given: bool) -> tuple[int, str]:
    """After a "Given" (or "Not given") tap: the level and the sentence."""
    if given:
        return messages.SUCCESS, gettext("Ticked: %(what)s given.") % {"what": what}
    text = gettext("Noted: %(what)s not given. If you are unsure what to do, call the team.")
    return messages.WARNING, text % {"what": what}


def tick_undone(what: str) -> str:
    text = gettext("Undone: the tick of %(what)s (kept in the history as entered by mistake).")
    return text % {"what": what}


def spasms_what(count: int) -> str:
    """ "a single spasm" or "a cluster of 5 spasms" (the count as a placeholder)."""
    if count == 1:
        return gettext("a single spasm")
    text = ngettext("a cluster of %(count)d spasm", "a cluster of %(count)d spasms", count)
    return text % {"count": count}


def undone(spasms: int, time: str) -> str:
    text = ngettext(
        "Undone: %(spasms)d spasm at %(time)s (kept in the history as entered by mistake).",
        "Undone: %(spasms)d spasms at %(time)s (kept in the history as entered by mistake).",
        spasms,
    )
    return text % {"spasms": spasms, "time": time}


def refused(value: str, accepted: str, field: str = "action") -> str:
    """A refused value: "Action: 'x' is not accepted: …" (no field: the sentence alone)."""
    if field:
        text = gettext("Action: %(value)s is not accepted: %(accepted)s.")
    else:
        text = gettext("%(value)s is not accepted: %(accepted)s.")
    return text % {"value": value, "accepted": accepted}


def day_marked(spasms: int, is_today: bool, made: bool, day: date) -> tuple[int, str]:
    """The message level and text after marking ``day`` watched: ``spasms`` logged that day,
    whether the day is today, whether this tap marked it (else it already was)."""
    shown = {"spasms": spasms, "day": date_format(day, gettext("D j M"))}
    if spasms:
        text = (
            gettext(
                "Spasms are logged today (%(spasms)d), so today is not spasm-free; it is "
                "marked as watched. Use Undo if one of them was a mistake."
            )
            if is_today
            else gettext(
                "Spasms are logged yesterday (%(spasms)d), so yesterday is not spasm-free; it "
                "is marked as watched. Use Undo if one of them was a mistake."
            )
        )
        return messages.WARNING, text % shown
    if not made:
        return messages.INFO, (
            gettext("Already marked: today is a watched day (no spasms so far).")
            if is_today
            else gettext("Already marked: yesterday is a watched day (no spasms so far).")
        )
    text = (
        gettext("Marked: no spasms seen today (%(day)s).")
        if is_today
        else gettext("Marked: no spasms seen yesterday (%(day)s).")
    )
    return messages.SUCCESS, text % shown
