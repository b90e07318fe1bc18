"""Entry forms of the care pathway (issue 23): the pathway dates, genetic and metabolic tests,
the day a course was judged to have failed, and an override of a first-line proposal.

A form only parses what was typed into the record's ``pathway`` items (``to_item``) and back
(``initial_for``); whether the item is acceptable is decided by the record validator (through
:mod:`spasmcare.web.clinic.audit`), whose message is shown beside the field it names, with the
value and what is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from spasmcare.errors import InputError
from spasmcare.plain import words
from spasmcare.record.pathway import (
    GENETIC_RESULTS,
    GENETIC_TEST_TYPES,
    METABOLIC_RESULTS,
    MRI_FINDINGS,
    PATHWAY_LABELS,
    PYRIDOXINE_RESPONSES,
    REFERRAL_URGENCIES,
    VARIANT_CLASSES,
)
from spasmcare.web.clinic.forms import DATE, VersionedForm
from spasmcare.web.clinic.models import Kind

YES_NO = [("", "not recorded"), ("yes", "yes"), ("no", "no")]


def _choices(codes: tuple[str, ...], blank: str | None = "not recorded") -> list[tuple[str, str]]:
    first = [("", blank)] if blank is not None else []
    return first + [(c, PATHWAY_LABELS[c]) for c in codes]


class DayField(forms.DateField):
    """A date; a value that is not one is refused naming the value and what is accepted."""

    widget = DATE

    def to_python(self, value: Any) -> date | None:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                f"{str(value)[:40]!r} is not accepted: a date (day, month and year)"
            ) from None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _text(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _drop(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, "", {})}


class PathwayForm(VersionedForm):
    """Where each validator field lands: ``pathway.mri.done`` -> ``mri_done``."""

    kind = ""
    FIELD_OF: dict[str, str] = {}
    #: The record item of the cleaned form; each form of a pathway part defines it.
    to_item: Callable[[], dict[str, Any]]

    def show_error(self, exc: InputError) -> None:
        """The validator's message beside its field: field, value and what is accepted."""
        field = exc.field
        name = self.FIELD_OF.get(field) or field.rsplit(".", 1)[-1]
        if exc.value is None:
            text = f"Needed: {words(exc.accepted)}."
        else:
            text = f"{words(exc.value)!r} is not accepted: {words(exc.accepted)}."
        if name in self.fields:
            self.add_error(name, text)
        else:
            self.add_error(None, f"{words(field.replace('_', ' '))}: {text}")


class DatesForm(PathwayForm):
    """The single-valued dates of the pathway (one entry; the latest saved wins)."""

    kind = Kind.PATHWAY
    referral_urgency = forms.ChoiceField(
        choices=_choices(REFERRAL_URGENCIES), required=False, label="Referral"
    )
    referral_date = DayField(required=False, label="Referred on")
    first_seen = DayField(required=False, label="First seen by the epilepsy service on")
    diagnostic_eeg = DayField(required=False, label="Diagnostic EEG on")
    mri_requested = DayField(required=False, label="MRI requested on")
    mri_done = DayField(required=False, label="MRI done on")
    mri_finding = forms.ChoiceField(
        choices=_choices(MRI_FINDINGS), required=False, label="MRI result"
    )
    mri_resectable = forms.ChoiceField(
        choices=YES_NO, required=False, label="A lesion that looks resectable"
    )
    tsc_date = DayField(required=False, label="TSC history and skin examination on")
    tsc_signs = forms.ChoiceField(choices=YES_NO, required=False, label="Signs of TSC found")
    pyridoxine_start = DayField(required=False, label="Pyridoxine trial started on")
    pyridoxine_response = forms.ChoiceField(
        choices=_choices(PYRIDOXINE_RESPONSES), required=False, label="Pyridoxine response"
    )
    focal_onset = forms.ChoiceField(choices=YES_NO, required=False, label="Focal features at onset")

    FIELD_OF = {
        "pathway.referral.date": "referral_date",
        "pathway.referral.urgency": "referral_urgency",
        "pathway.referral": "referral_date",
        "pathway.first_seen": "first_seen",
        "pathway.diagnostic_eeg": "diagnostic_eeg",
        "pathway.mri.requested": "mri_requested",
        "pathway.mri.done": "mri_done",
        "pathway.mri.finding": "mri_finding",
        "pathway.mri.resectable_lesion": "mri_resectable",
        "pathway.tsc_examination.date": "tsc_date",
        "pathway.tsc_examination.signs": "tsc_signs",
        "pathway.tsc_examination": "tsc_date",
        "pathway.pyridoxine_trial.start": "pyridoxine_start",
        "pathway.pyridoxine_trial.response": "pyridoxine_response",
        "pathway.pyridoxine_trial": "pyridoxine_start",
        "pathway.focal_onset": "focal_onset",
    }

    def clean(self) -> dict[str, Any]:
        c = super().clean()
        pairs = (
            ("referral_urgency", "referral_date", "the referral's date with its urgency"),
            ("referral_date", "referral_urgency", "urgent or routine with the referral's date"),
            ("tsc_signs", "tsc_date", "the date of the examination its finding reports"),
            ("tsc_date", "tsc_signs", "whether signs of TSC were found (yes or no)"),
            ("pyridoxine_response", "pyridoxine_start", "the day the trial started"),
        )
        for given, needed, accepted in pairs:
            if c.get(given) and not c.get(needed) and needed not in self.errors:
                self.add_error(needed, f"Needed: {accepted}.")
        return c

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        referral = (
            {"date": _iso(c["referral_date"]), "urgency": c["referral_urgency"]}
            if c.get("referral_date")
            else None
        )
        mri = _drop(
            {
                "requested": _iso(c.get("mri_requested")),
                "done": _iso(c.get("mri_done")),
                "finding": c.get("mri_finding"),
                "resectable_lesion": _yes_no(c.get("mri_resectable", "")),
            }
        )
        tsc = (
            {"date": _iso(c["tsc_date"]), "signs": _yes_no(c["tsc_signs"])}
            if c.get("tsc_date")
            else None
        )
        pyridoxine = (
            _drop({"start": _iso(c["pyridoxine_start"]), "response": c.get("pyridoxine_response")})
            if c.get("pyridoxine_start")
            else None
        )
        return _drop(
            {
                "referral": referral,
                "first_seen": _iso(c.get("first_seen")),
                "diagnostic_eeg": _iso(c.get("diagnostic_eeg")),
                "mri": mri or None,
                "tsc_examination": tsc,
                "pyridoxine_trial": pyridoxine,
                "focal_onset": _yes_no(c.get("focal_onset", "")),
            }
        )

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        referral = item.get("referral") or {}
        mri = item.get("mri") or {}
        tsc = item.get("tsc_examination") or {}
        pyr = item.get("pyridoxine_trial") or {}
        return {
            "referral_urgency": referral.get("urgency", ""),
            "referral_date": referral.get("date"),
            "first_seen": item.get("first_seen"),
            "diagnostic_eeg": item.get("diagnostic_eeg"),
            "mri_requested": mri.get("requested"),
            "mri_done": mri.get("done"),
            "mri_finding": mri.get("finding", ""),
            "mri_resectable": _text(mri.get("resectable_lesion")),
            "tsc_date": tsc.get("date"),
            "tsc_signs": _text(tsc.get("signs")),
            "pyridoxine_start": pyr.get("start"),
            "pyridoxine_response": pyr.get("response", ""),
            "focal_onset": _text(item.get("focal_onset")),
        }


class GeneticForm(PathwayForm):
    kind = Kind.PATHWAY_GENETIC
    type = forms.ChoiceField(choices=_choices(GENETIC_TEST_TYPES, None), label="Test")
    requested = DayField(required=False, label="Requested on")
    resulted = DayField(required=False, label="Result on")
    result = forms.ChoiceField(choices=_choices(GENETIC_RESULTS), required=False)
    gene = forms.CharField(max_length=40, required=False)
    variant = forms.CharField(max_length=120, required=False)
    classification = forms.ChoiceField(
        choices=_choices(VARIANT_CLASSES), required=False, label="Variant classification"
    )

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        return _drop(
            {
                "type": c["type"],
                "requested": _iso(c.get("requested")),
                "resulted": _iso(c.get("resulted")),
                "result": c.get("result"),
                "gene": (c.get("gene") or "").strip(),
                "variant": (c.get("variant") or "").strip(),
                "classification": c.get("classification"),
            }
        )

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        return dict(item)


class MetabolicForm(PathwayForm):
    kind = Kind.PATHWAY_METABOLIC
    name = forms.CharField(max_length=120, label="Test", help_text="e.g. plasma amino acids")
    requested = DayField(required=False, label="Requested on")
    resulted = DayField(required=False, label="Result on")
    result = forms.ChoiceField(choices=_choices(METABOLIC_RESULTS), required=False)

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        return _drop(
            {
                "name": c["name"].strip(),
                "requested": _iso(c.get("requested")),
                "resulted": _iso(c.get("resulted")),
                "result": c.get("result"),
            }
        )

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        return dict(item)


class FailureForm(PathwayForm):
    """The day the team judged a course to have failed."""

    kind = Kind.PATHWAY_FAILURE
    treatment = forms.ChoiceField(label="Course")
    date = DayField(label="Judged to have failed on")
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, courses: list[tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["treatment"].choices = courses or []

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        note = (c.get("note") or "").strip()
        return _drop({"treatment": c["treatment"], "date": _iso(c["date"]), "note": note})

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        return dict(item)


class OverrideForm(forms.Form):
    """An override of a first-line proposal: the reason is required."""

    proposal = forms.CharField(max_length=80, widget=forms.HiddenInput)
    chosen = forms.CharField(max_length=120, required=False, label="Chosen instead")
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason",
        error_messages={"required": "Needed: the reason for the override, in words."},
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise ValidationError("Needed: the reason for the override, in words.")
        return reason


LIST_FORMS: dict[str, type[PathwayForm]] = {
    f.kind: f for f in (GeneticForm, MetabolicForm, FailureForm)
}
