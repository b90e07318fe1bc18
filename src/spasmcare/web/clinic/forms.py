"""Forms for patients and record entries.

A form only parses what was typed into a record item (``to_item``) and back (``initial_for``);
whether the item is acceptable is decided by the record validator in ``spasmcare.record``
(through :mod:`spasmcare.web.clinic.audit`), and its message is shown beside the field it names.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from spasmcare.errors import InputError
from spasmcare.record.lab_catalogue import CATALOGUE, OTHER_LABEL, check_unit
from spasmcare.record.model import DIET_LABELS, ETIOLOGY_CATEGORIES, ETIOLOGY_LABELS, KRAMER_ITEMS
from spasmcare.record.units import OTHER
from spasmcare.web.clinic.models import Kind, Patient

#: A date input sends and shows ISO yyyy-mm-dd whatever the locale; a value in another format
#: would show as blank and be lost on save.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def error_text(exc: InputError) -> str:
    """An input error as one sentence for a page: the field, the value and what is accepted."""
    return f"{exc.field}: {exc.value!r} is not accepted: {exc.accepted}."


def show_error(form: forms.Form, exc: InputError) -> None:
    """Put a domain ``InputError`` beside the form field it names (or on top of the form)."""
    name = exc.field.split(".")[0].split("[")[0]
    if name == "__all__":  # the whole item: its stored form is no help to the reader
        form.add_error(None, f"Not saved: {exc.accepted}.")
        return
    if exc.value is None or (isinstance(exc.value, str) and not exc.value.strip()):
        text = f"Needed: {exc.accepted}."
    else:
        text = f"{exc.value!r} is not accepted: {exc.accepted}."
    if name in form.fields:
        form.add_error(name, text)
    else:
        form.add_error(None, f"{exc.field.replace('_', ' ')}: {text}")


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def _iso_or_value(value: Any) -> Any:
    return _iso(value) if isinstance(value, date | datetime) else value


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v not in (None, "")}


class VersionedForm(forms.Form):
    """Carries the version the user saw, for optimistic concurrency."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )


class PatientForm(VersionedForm):
    record_id = forms.CharField(max_length=64, label="Record id", help_text="the clinic's id")
    name = forms.CharField(max_length=200)
    birth_date = forms.DateField(widget=DATE)
    sex = forms.ChoiceField(choices=[("female", "Female"), ("male", "Male")])
    gestation_weeks = forms.IntegerField(initial=40, help_text="completed weeks at birth")
    gestation_days = forms.IntegerField(initial=0)
    onset_date = forms.DateField(widget=DATE, required=False, label="Spasms began on")
    etiology_category = forms.ChoiceField(
        choices=[(c, ETIOLOGY_LABELS[c]) for c in ETIOLOGY_CATEGORIES],
        initial="unknown",
        label="Etiology",
    )
    etiology_gene = forms.CharField(max_length=80, required=False, label="Gene")
    etiology_detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def fields_dict(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d.pop("version", None)
        d["etiology_gene"] = d.get("etiology_gene") or ""
        d["etiology_detail"] = d.get("etiology_detail") or ""
        return d

    @staticmethod
    def initial_for(p: Patient) -> dict[str, Any]:
        names = PatientForm.base_fields
        return {n: getattr(p, n) for n in names if n != "version"} | {"version": p.version}


class EntryForm(VersionedForm):
    kind: str = ""

    def to_item(self) -> dict[str, Any]:
        """The record item: every field by its own name (dates as ISO text), empty ones left
        out. Forms whose field names differ from the record's override this."""
        c = self.cleaned_data
        return _clean(
            {name: _iso_or_value(c.get(name)) for name in self.fields if name != "version"}
        )

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        return dict(item)


class DiaryForm(EntryForm):
    kind = Kind.DIARY
    at = forms.DateTimeField(widget=DATETIME, label="When")
    entry_kind = forms.ChoiceField(
        choices=[("cluster", "Cluster"), ("single", "Single spasm")], label="Kind"
    )
    spasms = forms.IntegerField(min_value=1, label="Spasms")
    duration_min = forms.FloatField(required=False, label="Duration [min]")
    observer = forms.CharField(required=False, max_length=40)
    note = forms.CharField(required=False, max_length=500)

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        return _clean(
            {
                "at": _iso(c["at"]),
                "kind": c["entry_kind"],
                "spasms": c["spasms"],
                "duration_min": c.get("duration_min"),
                "observer": c.get("observer"),
                "note": c.get("note"),
            }
        )

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        return dict(item) | {"entry_kind": item.get("kind")}


class GrowthForm(EntryForm):
    kind = Kind.GROWTH
    date = forms.DateField(widget=DATE)
    weight_kg = forms.FloatField(required=False, label="Weight [kg]")
    length_cm = forms.FloatField(required=False, label="Length [cm]")
    head_circumference_cm = forms.FloatField(required=False, label="Head circumference [cm]")


#: The unit choice for a test outside the catalogue (its unit is typed in ``unit_other``).
OTHER_UNIT = "other"


def _unit_choices() -> list[tuple[str, Any]]:
    """The accepted units grouped by test (the catalogue), then the "other test" choice."""
    groups: list[tuple[str, Any]] = [("", "choose the unit")]
    groups += [(t.label, [(u, u) for u in t.units]) for t in CATALOGUE.values()]
    return groups + [(OTHER_LABEL, [(OTHER_UNIT, "as reported (type it below)")])]


class LabForm(EntryForm):
    """A lab result: the test from the catalogue, the unit from that test's list
    (:mod:`spasmcare.record.lab_catalogue`); any other test with its own name and unit."""

    kind = Kind.LAB
    at = forms.DateTimeField(widget=DATETIME, label="Sampled at")
    analyte = forms.ChoiceField(
        label="Test",
        choices=[(k, t.label) for k, t in CATALOGUE.items()] + [(OTHER, OTHER_LABEL)],
        error_messages={
            "invalid_choice": "%(value)s is not accepted: choose a test from the list."
        },
    )
    value = forms.FloatField()
    # a select of the catalogue's units; checked against the chosen test's list in clean()
    unit = forms.CharField(
        widget=forms.Select(choices=_unit_choices()), validators=[MaxLengthValidator(20)]
    )
    unit_other = forms.CharField(
        required=False, max_length=20, label="Unit of another test", help_text="as reported"
    )
    sample = forms.CharField(required=False, max_length=40, help_text="capillary, venous...")
    name = forms.CharField(required=False, max_length=80, help_text="for another test")

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        analyte, unit = c.get("analyte"), c.get("unit")
        if analyte is None or unit is None:
            return c
        if analyte == OTHER:
            if unit != OTHER_UNIT:
                c["unit_other"] = c.get("unit_other") or unit
            if not c.get("unit_other"):
                self.add_error("unit_other", "Needed: the unit as the laboratory reported it.")
            return c
        try:
            check_unit(analyte, unit)
        except InputError as exc:
            show_error(self, exc)
        return c

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        other = c["analyte"] == OTHER
        return _clean(
            {
                "at": _iso(c["at"]),
                "analyte": c["analyte"],
                "value": c["value"],
                "unit": c.get("unit_other") if other else c["unit"],
                "sample": c.get("sample"),
                "name": c.get("name"),
            }
        )

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        if item.get("analyte") == OTHER:
            return dict(item) | {"unit": OTHER_UNIT, "unit_other": item.get("unit")}
        return dict(item)


class VitalsForm(EntryForm):
    kind = Kind.VITALS
    at = forms.DateTimeField(widget=DATETIME, label="Measured at")
    systolic_mmhg = forms.FloatField(label="Systolic [mmHg]")
    diastolic_mmhg = forms.FloatField(label="Diastolic [mmHg]")
    heart_rate_bpm = forms.FloatField(required=False, label="Heart rate [/min]")
    note = forms.CharField(required=False, max_length=200)


class EegForm(EntryForm):
    kind = Kind.EEG
    date = forms.DateField(widget=DATE)
    hypsarrhythmia = forms.TypedChoiceField(
        choices=[("", "not stated"), ("true", "present"), ("false", "absent")],
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )
    based_grade = forms.IntegerField(required=False, label="BASED grade (0-5)")
    report = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in KRAMER_ITEMS:
            self.fields[f"kramer_{item}"] = forms.IntegerField(
                required=False, label=f"Kramer: {item.replace('_', ' ')} (0-3)"
            )

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        items = {i: c[f"kramer_{i}"] for i in KRAMER_ITEMS if c.get(f"kramer_{i}") is not None}
        out = _clean(
            {
                "date": _iso(c["date"]),
                "hypsarrhythmia": c.get("hypsarrhythmia"),
                "based_grade": c.get("based_grade"),
                "report": c.get("report"),
            }
        )
        if items:
            out["kramer"] = {"items": items}
        return out

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        out = dict(item)
        if item.get("hypsarrhythmia") is not None:
            out["hypsarrhythmia"] = "true" if item["hypsarrhythmia"] else "false"
        for k, v in (item.get("kramer") or {}).get("items", {}).items():
            out[f"kramer_{k}"] = v
        return out


class AdverseForm(EntryForm):
    kind = Kind.ADVERSE
    date = forms.DateField(widget=DATE)
    type = forms.CharField(max_length=80, help_text="e.g. hypertension, hypoglycaemia")
    grade = forms.IntegerField(required=False, help_text="CTCAE grade 1-5")
    treatment = forms.CharField(required=False, max_length=40, help_text="course id")
    note = forms.CharField(required=False, max_length=500)


class DietForm(EntryForm):
    kind = Kind.DIET
    id = forms.CharField(
        max_length=40,
        label="Short name",
        help_text="letters and digits, unique in the record; other entries refer to it",
    )
    diet = forms.ChoiceField(
        choices=[(d, DIET_LABELS.get(d, d)) for d in ("classic-kd", "mct", "mad", "lgit", "other")]
    )
    start = forms.DateField(widget=DATE)
    stop = forms.DateField(widget=DATE, required=False)
    prescribed_ratio = forms.FloatField(required=False)

    def to_item(self) -> dict[str, Any]:
        c = self.cleaned_data
        return _clean(
            {
                "id": c["id"],
                "diet": c["diet"],
                "start": _iso(c["start"]),
                "stop": _iso(c.get("stop")),
                "prescribed_ratio": c.get("prescribed_ratio"),
            }
        )


class RecordedDayForm(EntryForm):
    kind = Kind.RECORDED_DAY
    date = forms.DateField(widget=DATE, help_text="a day on which the diary was kept")

    def to_item(self) -> dict[str, Any]:
        return {"date": _iso(self.cleaned_data["date"])}


# --- issue 24: a side effect of the diet ----------------------------------------------------


def _side_effect_choices() -> dict[str, list[tuple[Any, str]]]:
    from spasmcare.record.side_effects import ACTIONS, EFFECTS, GRADES

    return {
        "effect": list(EFFECTS.items()),
        "grade": [(g, f"{g} — {text}") for g, text in GRADES.items()],
        "action": [("", "not stated"), *ACTIONS.items()],
    }


class SideEffectForm(EntryForm):
    """A side effect of the diet (record ``side_effects[]``): the effect, its CTCAE v5.0 grade
    (:data:`spasmcare.record.side_effects.GRADE_SCALE`), onset and resolution dates, the action
    taken. Entered by a clinician here; a family's entry (in plain words, ungraded) keeps its
    ``reported_by`` when a clinician grades or corrects it."""

    kind = Kind.SIDE_EFFECT
    effect = forms.ChoiceField(
        choices=_side_effect_choices()["effect"],
        label="Side effect",
        error_messages={
            "invalid_choice": "%(value)s is not accepted: one of the side effects listed."
        },
    )
    grade = forms.TypedChoiceField(
        choices=_side_effect_choices()["grade"],
        coerce=int,
        label="Grade (CTCAE v5.0)",
        error_messages={
            "invalid_choice": "%(value)s is not accepted: a CTCAE v5.0 grade, 1 to 5.",
            "required": "Needed: a CTCAE v5.0 grade, 1 to 5.",
        },
    )
    onset = forms.DateField(widget=DATE, label="Began on")
    resolved = forms.DateField(widget=DATE, required=False, label="Resolved on")
    action = forms.ChoiceField(
        choices=_side_effect_choices()["action"],
        required=False,
        label="Action taken",
        error_messages={
            "invalid_choice": "%(value)s is not accepted: one of the actions listed."
        },
    )
    note = forms.CharField(required=False, max_length=500)
    reported_by = forms.ChoiceField(
        choices=[("clinician", "clinician"), ("family", "family")],
        widget=forms.HiddenInput,
        initial="clinician",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        from spasmcare.plain import day_text

        c = super().clean() or {}
        onset, resolved = c.get("onset"), c.get("resolved")
        if onset and resolved and resolved < onset:
            self.add_error(
                "resolved",
                f"{day_text(resolved)} is not accepted: a day on or after the onset "
                f"({day_text(onset)}).",
            )
        return c

    def to_item(self) -> dict[str, Any]:
        item = super().to_item()
        item["reported_by"] = item.get("reported_by") or "clinician"
        return item


#: Entry kinds a clinician can add or edit by form (drug courses: the course planner;
#: keto plans: the keto planner).
ENTRY_FORMS: dict[str, type[EntryForm]] = {
    f.kind: f
    for f in (
        DiaryForm,
        GrowthForm,
        LabForm,
        VitalsForm,
        EegForm,
        AdverseForm,
        DietForm,
        RecordedDayForm,
        SideEffectForm,  # issue 24
    )
}


class RetractForm(VersionedForm):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(help_text="a spasmcare-record JSON file (format version 1)")
    team = forms.ModelChoiceField(queryset=None, empty_label=None)


class InvitationForm(forms.Form):
    relationship = forms.CharField(max_length=40, help_text="mother, father, grandparent...")
