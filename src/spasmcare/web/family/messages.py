"""The diary's messages after "No spasms today" (or yesterday), in the family's language: one
sentence per case, so each language words it whole (never "today" put into a sentence)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.utils.formats import date_format
from django.utils.translation import gettext


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
