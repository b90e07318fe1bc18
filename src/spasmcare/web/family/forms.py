"""Forms of the family diary: one small form per tap.

Each form parses what the phone sent; whether a diary item is acceptable is decided by the
record validator (through :mod:`spasmcare.web.clinic.audit`). Messages name the field, the value and
what is accepted, in the family's words.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

#: The number buttons shown after "Cluster now" (a convenience of the page, not a clinical
#: scale); "30+" opens a number input.
COUNT_BUTTONS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25)
MORE_FROM = 30


class ClusterForm(forms.Form):
    """Tap 2: the number of spasms (a button's value, or the number typed after "30+")."""

    spasms = forms.IntegerField(required=False, min_value=1)
    spasms_more = forms.IntegerField(required=False, min_value=1)
    nonce = forms.CharField(required=False, max_length=64)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        count = data.get("spasms") or data.get("spasms_more")
        if not self.errors and not count:
            raise forms.ValidationError(
                gettext(
                    "Number of spasms: nothing was chosen; tap a number, or type a whole number "
                    "of %(least)d or more."
                )
                % {"least": 1}
            )
        data["count"] = count
        return data


class DayForm(forms.Form):
    """ "No spasms today" (or yesterday, for a night seen but logged in the morning)."""

    day = forms.ChoiceField(choices=[("today", "today"), ("yesterday", "yesterday")])

    def the_day(self, today: date) -> date:
        return today - timedelta(days=1) if self.cleaned_data["day"] == "yesterday" else today


# --- widgets written out directly ---------------------------------------------------------
# The diary page (every page a tap returns to) shows the last entry's forms; Django renders
# each widget through four small templates (input, attrs, ...), 1.2 ms of the page's 11 ms
# (issue 21). These write the same elements (name, value, attributes) in Python.


def _attrs(context: dict[str, Any]) -> SafeString:
    """The attributes in their order, as Django's ``attrs.html`` writes them (True: the name
    alone, False: left out)."""
    parts = []
    for name, value in context["widget"]["attrs"].items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False:
            parts.append(format_html(' {}="{}"', name, value))
    return SafeString("".join(parts))


class _DirectInput:
    """``<input type name value attrs>`` as Django's ``input.html`` writes it."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        context = self.get_context(name, value, attrs)  # type: ignore[attr-defined]
        widget = context["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        kind, name = widget["type"], widget["name"]
        return format_html('<input type="{}" name="{}"{}{}>', kind, name, shown, _attrs(context))


class HiddenInput(_DirectInput, forms.HiddenInput):
    pass


class TimeInput(_DirectInput, forms.TimeInput):
    pass


class NumberInput(_DirectInput, forms.NumberInput):
    pass


class Textarea(forms.Textarea):
    """``<textarea>`` as Django's ``textarea.html`` writes it."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        return format_html(
            "<textarea name=\"{}\"{}>\n{}</textarea>",
            widget["name"],
            _attrs(context),
            widget["value"] or "",
        )


class EntryRefForm(forms.Form):
    """Which entry a follow-up tap is about, and the version the page showed."""

    entry = forms.IntegerField(widget=HiddenInput)
    version = forms.IntegerField(widget=HiddenInput)


class DetailsForm(EntryRefForm):
    """Optional details of the last entry: when it began, how long it lasted, a note."""

    started = forms.TimeField(
        required=False,
        label=gettext_lazy("Began at"),
        widget=TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_min = forms.FloatField(
        required=False,
        label=gettext_lazy("Lasted [minutes]"),
        widget=NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=Textarea(
            attrs={"rows": 2, "placeholder": gettext_lazy("e.g. on waking, after a feed")}
        ),
    )

    def item(self, current: dict[str, Any], now: datetime) -> dict[str, Any]:
        """The entry's record item with the details applied (the time keeps the entry's day)."""
        c = self.cleaned_data
        out = dict(current)
        started: time | None = c.get("started")
        if started is not None:
            day = datetime.fromisoformat(current["at"]).date()
            out["at"] = datetime.combine(day, started).strftime("%Y-%m-%dT%H:%M")
            if day == now.date() and started > now.time():
                self.add_error(
                    "started",
                    gettext("%(value)s is not accepted: a time not later than now (%(now)s).")
                    % {"value": f"{started:%H:%M}", "now": f"{now:%H:%M}"},
                )
        for key in ("duration_min", "note"):
            value = c.get(key)
            if value in (None, ""):
                out.pop(key, None)
            else:
                out[key] = value
        return out


class VideoForm(EntryRefForm):
    """A short video of the last entry, recorded on the phone."""

    video = forms.FileField(
        label=gettext_lazy("Video"),
        widget=forms.ClearableFileInput(attrs={"accept": "video/*", "capture": "environment"}),
    )


class DoseForm(forms.Form):
    """A tap on "Given" (or "Not given") beside one of today's doses: which dose is named by
    its treatment and schedule time; what it was (drug, amount) is taken from today's schedule
    on the server, never from the form."""

    treatment = forms.RegexField(regex=r"^[A-Za-z0-9_.-]{1,64}$", max_length=64)
    time = forms.RegexField(regex=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", required=False)
    given = forms.ChoiceField(choices=[("yes", "given"), ("no", "not given")], required=False)

    #: What each field accepts, for the message when a post is refused.
    ACCEPTED = {
        "treatment": "the id of one of today's medicines (1-64 letters, digits, '_', '.', '-')",
        "time": "a time of the schedule written HH:MM (00:00 to 23:59), or none",
        "given": "'yes' (given) or 'no' (not given)",
    }

    def is_given(self) -> bool:
        return self.cleaned_data.get("given") != "no"

    def problem(self) -> str:
        """The first refused field, its value and what it accepts, in one sentence."""
        name = next(iter(self.errors), "treatment")
        value = self.data.get(name, "")
        return f"{name.capitalize()}: {value!r} is not accepted: {self.ACCEPTED.get(name, '')}."


# --- issue 24: a side effect of the diet, in the family's words ------------------------------


class SideEffectForm(forms.Form):
    """A side effect of the diet as a family tells it: what they saw (the record's effects in
    plain words, :data:`spasmcare.record.side_effects.FAMILY_LABELS`), when it began, whether
    it has stopped, a note. No grade: the team grades it."""

    effect = forms.ChoiceField(
        choices=[],
        widget=forms.RadioSelect,
        label="What did you notice?",
        error_messages={
            "required": "What did you notice: nothing was chosen; choose one from the list.",
            "invalid_choice": "What did you notice: %(value)s is not accepted; choose one from "
            "the list.",
        },
    )
    onset = forms.DateField(
        label="When did it start?",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "When did it start: nothing was given; a date such as today.",
            "invalid": "When did it start: this is not accepted; a date such as today.",
        },
    )
    resolved = forms.DateField(
        required=False,
        label="If it has stopped: when?",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "When it stopped: this is not accepted; a date, or empty."},
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        label="Anything else the team should know",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from spasmcare.record.side_effects import FAMILY_LABELS

        super().__init__(*args, **kwargs)
        field = self.fields["effect"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(FAMILY_LABELS.items())

    def clean(self) -> dict[str, Any]:
        from spasmcare.plain import day_text

        c = super().clean() or {}
        onset, resolved = c.get("onset"), c.get("resolved")
        if onset and resolved and resolved < onset:
            self.add_error(
                "resolved",
                f"When it stopped: {day_text(resolved)} is not accepted; a day on or after it "
                f"started ({day_text(onset)}).",
            )
        return c

    def item(self) -> dict[str, Any]:
        """The record item (``reported_by`` family, no grade)."""
        c = self.cleaned_data
        out: dict[str, Any] = {
            "effect": c["effect"],
            "onset": c["onset"].isoformat(),
            "reported_by": "family",
        }
        if c.get("resolved"):
            out["resolved"] = c["resolved"].isoformat()
        if c.get("note"):
            out["note"] = c["note"]
        return out
