"""Entry forms of the development panel (issue 25): the development at diagnosis, a milestone
a clinician observed, and the scores of a licensed instrument as the clinician reports them.

A form only parses what was typed into a record item (``to_item``); whether the item is
acceptable is decided by the record validator (:mod:`spasmcare.record.development`, through
:mod:`spasmcare.web.clinic.audit`). The instruments are licensed: the forms name the scores
(composite, domains) and never hold an item, a question or a scoring table; nothing here
derives a score or an ASQ-3 band — the clinician enters both.
"""

from __future__ import annotations

from typing import Any

from django import forms

from spasmcare.errors import InputError
from spasmcare.measures.development import milestone_ids, milestone_label
from spasmcare.record.development import (
    ASQ_BAND_LABELS,
    COURSE_LABELS,
    INSTRUMENT_LABELS,
    INSTRUMENT_SCORES,
    SCORE_LABELS,
)
from spasmcare.web.clinic.forms import DATE, show_error

#: Every milestone the record accepts, by its label (the six WHO ones first).
MILESTONE_CHOICES = [(mid, milestone_label(mid)) for mid in milestone_ids()]


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v not in (None, "", [], {})}


class _Versioned(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )


class BaselineForm(_Versioned):
    """Development at diagnosis: regression or plateau at onset (ILAE 2022) and the milestones
    the child had then."""

    course = forms.ChoiceField(
        choices=list(COURSE_LABELS.items()), label="Development at onset of spasms"
    )
    date = forms.DateField(widget=DATE, required=False, label="Assessed on")
    milestones_achieved = forms.MultipleChoiceField(
        choices=MILESTONE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Milestones achieved at diagnosis",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        return _clean(
            {
                "course": c["course"],
                "date": c["date"].isoformat() if c.get("date") else None,
                "milestones_achieved": list(c.get("milestones_achieved") or []),
                "note": c.get("note"),
            }
        )

    @staticmethod
    def initial_for(item: dict[str, Any]) -> dict[str, Any]:
        return dict(item)


class MilestoneForm(_Versioned):
    """A milestone a clinician observed (reached on a date, or not yet as of a date)."""

    milestone = forms.ChoiceField(choices=MILESTONE_CHOICES)
    status = forms.ChoiceField(choices=[("achieved", "achieved on"), ("not-yet", "not yet as of")])
    date = forms.DateField(widget=DATE)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    @staticmethod
    def initial_for(item: dict[str, Any]) -> dict[str, Any]:
        return dict(item)

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        return _clean(
            {
                "milestone": c["milestone"],
                "status": c["status"],
                "date": c["date"].isoformat(),
                "reported_by": "clinician",
                "note": c.get("note"),
            }
        )


class AssessmentForm(_Versioned):
    """Scores of one instrument as entered (subclasses name the instrument)."""

    instrument = ""
    date = forms.DateField(widget=DATE, label="Assessed on")
    edition = forms.CharField(max_length=20, required=False, help_text="e.g. II or 3")
    assessed_by = forms.CharField(max_length=200, required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in INSTRUMENT_SCORES[self.instrument]:
            self.fields[name] = forms.FloatField(
                required=False, label=f"{SCORE_LABELS[name].capitalize()} score"
            )
        if self.instrument == "asq-3":
            self.fields["questionnaire_months"] = forms.IntegerField(
                required=False, label="Questionnaire age interval (months)"
            )
            for name in INSTRUMENT_SCORES[self.instrument]:
                self.fields[f"{name}_band"] = forms.ChoiceField(
                    required=False,
                    label=f"{SCORE_LABELS[name].capitalize()}: as the clinician reports it",
                    choices=[("", "not reported"), *ASQ_BAND_LABELS.items()],
                )

    @staticmethod
    def initial_for(item: dict[str, Any]) -> dict[str, Any]:
        """The stored item as the form's fields (scores by name, bands as ``<name>_band``)."""
        out = {k: v for k, v in item.items() if k not in ("scores", "asq_cutoff")}
        out |= dict(item.get("scores") or {})
        out |= {f"{k}_band": v for k, v in (item.get("asq_cutoff") or {}).items()}
        return out

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        names = INSTRUMENT_SCORES[self.instrument]
        return _clean(
            {
                "instrument": self.instrument,
                "date": c["date"].isoformat(),
                "edition": c.get("edition"),
                "questionnaire_months": c.get("questionnaire_months"),
                "scores": {n: _number(c[n]) for n in names if c.get(n) is not None},
                "asq_cutoff": {
                    n: c[f"{n}_band"] for n in names if c.get(f"{n}_band")
                },
                "assessed_by": c.get("assessed_by"),
                "note": c.get("note"),
            }
        )


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


class VinelandForm(AssessmentForm):
    instrument = "vineland"


class BayleyForm(AssessmentForm):
    instrument = "bayley-3"


class AsqForm(AssessmentForm):
    instrument = "asq-3"


#: The part of the panel's URL -> its form and title.
FORMS: dict[str, tuple[type[forms.Form], str]] = {
    "baseline": (BaselineForm, "Development at diagnosis"),
    "milestone": (MilestoneForm, "Milestone observed"),
    "vineland": (VinelandForm, INSTRUMENT_LABELS["vineland"] + ": scores"),
    "bayley-3": (BayleyForm, INSTRUMENT_LABELS["bayley-3"] + ": scores"),
    "asq-3": (AsqForm, INSTRUMENT_LABELS["asq-3"] + ": scores"),
}


def show(form: forms.Form, exc: InputError) -> None:
    """A validator's error beside the field it names: ``development.at_diagnosis.date`` ->
    ``date``, ``scores.composite`` -> ``composite``, ``asq_cutoff.motor`` -> ``motor_band``."""
    parts = exc.field.replace("[", ".").split(".")
    name = parts[-1]
    if len(parts) > 1 and parts[-2] == "asq_cutoff":
        name = f"{name}_band"
    if name not in form.fields:
        name = exc.field
    show_error(form, InputError(name, exc.value, exc.accepted))
