"""The weaning plan's form (issue 24): the schedule (a named default of
:data:`spasmcare.keto.weaning.SCHEDULES`), the first day, where the ratio (or carbohydrate)
starts and ends, the day's energy and protein, the meals and the foods each step's meal is
solved from. It only parses; whether the numbers are acceptable is the domain's
(:class:`spasmcare.keto.weaning.WeaningRequest`), its message shown beside the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from spasmcare.errors import InputError
from spasmcare.keto.weaning import SCHEDULES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Schedule code -> how the dietitian reads it (its source is shown beside the choice).
SCHEDULE_LABELS: dict[str, str] = {
    "after-1-year": "after a year or more on the classic diet: ratio down every 2 weeks",
    "short-trial": "after a short trial of the classic diet: ratio down every few days",
    "mad-lgit": "modified Atkins or low-GI diet: carbohydrate up every 2 weeks",
}
#: Domain field names (the command line's options) -> the form's fields.
FIELD_OF: dict[str, str] = {
    "--schedule": "schedule",
    "--from": "start",
    "--to": "to",
    "--kcal": "kcal",
    "--protein-g": "protein_g",
    "--meals": "meals",
    "--step": "step",
    "--interval-days": "interval_days",
    "--spasms-returned": "spasms_returned",
    "foods": "foods",
}


def form_error(exc: InputError) -> InputError:
    """A domain error named by the form's field."""
    return InputError(FIELD_OF.get(exc.field, exc.field), exc.value, exc.accepted)


class WeaningForm(forms.Form):
    schedule = forms.ChoiceField(
        choices=[(k, SCHEDULE_LABELS.get(k, k)) for k in SCHEDULES],
        error_messages={
            "invalid_choice": "%(value)s is not accepted: one of the schedules listed."
        },
    )
    start_day = forms.DateField(widget=DATE, label="First day of weaning")
    start = forms.FloatField(
        label="From (ratio, or carbohydrate g a day)",
        help_text="the ratio now (classic), or the carbohydrate allowance now (MAD/LGIT)",
    )
    to = forms.FloatField(
        label="To (ratio, or carbohydrate g a day)",
        help_text="where the plan ends: the team's choice (no source gives it)",
    )
    kcal = forms.FloatField(label="Energy [kcal a day]")
    protein_g = forms.FloatField(label="Protein [g a day]")
    meals = forms.IntegerField(label="Meals a day", initial=3)
    step = forms.FloatField(required=False, label="Step", help_text="empty: the schedule's")
    interval_days = forms.IntegerField(
        required=False, label="Days per step", help_text="empty: the schedule's"
    )
    foods = forms.CharField(
        widget=forms.TextInput(attrs={"size": 60}),
        label="Foods of each meal",
        help_text="food table ids separated by commas (the saved meal's foods are filled in)",
        max_length=400,
    )

    def inputs(self) -> dict[str, Any]:
        """The plan's inputs as stored (JSON-ready; dates ISO)."""
        c = self.cleaned_data
        start_day: date = c["start_day"]
        foods = [f.strip() for f in c["foods"].replace(",", "\n").splitlines() if f.strip()]
        out: dict[str, Any] = {
            "schedule": c["schedule"],
            "start": start_day.isoformat(),
            "from": c["start"],
            "to": c["to"],
            "kcal": c["kcal"],
            "protein_g": c["protein_g"],
            "meals": c["meals"],
            "foods": foods,
        }
        for name in ("step", "interval_days"):
            if c.get(name) is not None:
                out[name] = c[name]
        return out

    @staticmethod
    def initial_for(inputs: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in inputs.items() if k not in ("from", "start", "foods")}
        if "from" in inputs:
            out["start"] = inputs["from"]
        if "start" in inputs:
            out["start_day"] = inputs["start"]
        out["foods"] = ", ".join(inputs.get("foods") or [])
        return out


class ReplanForm(forms.Form):
    """The day spasms came back: the saved plan is re-planned from it."""

    spasms_returned = forms.DateField(widget=DATE, label="Spasms came back on")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
