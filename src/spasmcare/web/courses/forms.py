"""Forms of the drug-course planner: the planner inputs and a monitoring tick.

The planner form is made for one protocol: its options (``parameters`` of the protocol file,
with their declared range or choices), its decisions and a product strength per drug become
fields. The form only parses what was typed; the protocol and the plan check it
(:func:`spasmcare.therapy.plan_course`) and their ``InputError`` is shown beside the field it
names (:func:`field_for`).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django import forms

from spasmcare.errors import InputError
from spasmcare.therapy import FORMULAS, Protocol
from spasmcare.therapy.protocol import detail_grade
from spasmcare.web.clinic.forms import DATE
from spasmcare.web.courses.service import Inputs

ANSWERS = [("", "not yet answered"), ("yes", "yes"), ("no", "no")]


class NumberField(forms.FloatField):
    """A number whose error names the value typed and what is accepted."""

    def __init__(self, *args: Any, accepted: str = "a number", **kwargs: Any) -> None:
        self.accepted = accepted
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> float | None:
        if value in self.empty_values:
            return None
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise forms.ValidationError(f"{value!r} is not accepted: {self.accepted}.")
        return number

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


def _answer(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text)


def _answer_text(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class PlannerForm(forms.Form):
    """Inputs of one plan of ``protocol``; ``versions`` are the versions known for it."""

    protocol = forms.ChoiceField(label="Protocol")
    version = forms.TypedChoiceField(coerce=int, label="Protocol version")
    start = forms.DateField(widget=DATE, label="Day 1 of the course")
    weight_kg = NumberField(
        label="Weight [kg]",
        accepted="a weight in kg, e.g. 6.2",
        error_messages={"required": "Enter the planning weight in kg, e.g. 6.2."},
    )
    length_cm = NumberField(
        label="Length [cm]",
        required=False,
        accepted="a length in cm, e.g. 62",
        error_messages={"required": "Enter the length in cm, e.g. 62: the doses are per m²."},
    )
    #: The saved course being edited (its course id) and the entry versions the user saw.
    course = forms.CharField(widget=forms.HiddenInput, required=False)
    versions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: Any,
        protocols: list[Protocol],
        protocol: Protocol,
        versions: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.protocol_obj = protocol
        self.fields["protocol"].choices = [
            (p.id, f"{p.title} ({p.id}, v{p.version})") for p in protocols
        ]
        self.fields["version"].choices = [
            (v, f"version {v}" + (" (latest)" if v == max(versions) else "")) for v in versions
        ]
        if protocol.uses_bsa():
            self.fields["length_cm"].required = True
            self.fields["length_cm"].help_text = "needed: the protocol doses per m² of body surface"
            self.fields["bsa_formula"] = forms.ChoiceField(
                choices=[(f, f) for f in FORMULAS], initial="mosteller", label="BSA formula"
            )
        else:
            self.fields["length_cm"].help_text = "optional here: checked against WHO for age"
        for name, spec in protocol.parameters.items():
            unit = spec.get("unit", "")
            label = f"{name.replace('_', ' ')} [{unit}]" if unit else name.replace("_", " ")
            help_parts = [str(spec.get("why", ""))]
            if spec.get("sources"):
                help_parts.append("sources: " + ", ".join(spec["sources"]))
            tied = spec.get("detail")
            if tied:
                help_parts.append(
                    f"tied to the detail {tied} ({detail_grade(protocol, tied)}): a value other "
                    "than the confirmed one is not confirmed"
                )
            help_text = " · ".join(p for p in help_parts if p)
            if "choices" in spec:
                self.fields[f"param_{name}"] = forms.TypedChoiceField(
                    choices=[(str(c), str(c)) for c in spec["choices"]],
                    coerce=str,
                    initial=str(spec["default"]),
                    label=label,
                    help_text=help_text,
                )
            else:
                lo, hi = spec.get("minimum"), spec.get("maximum")
                self.fields[f"param_{name}"] = NumberField(
                    initial=spec["default"],
                    label=label,
                    help_text=help_text,
                    accepted=f"a number from {lo} to {hi}",
                )
        for d in protocol.decisions:
            planned = "yes" if d["assume"] else "no"
            self.fields[f"decision_{d['id']}"] = forms.ChoiceField(
                choices=ANSWERS,
                required=False,
                label=f"Day {d['day']}: {d['question']}",
                help_text=f"unanswered decisions are planned as '{planned}'",
            )
        for i, course in enumerate(protocol.courses):
            unit = "mg/mL" if course["unit"] == "mg" else "U/mL"
            products = course.get("products") or []
            default = (
                f"default: {products[0]['name']}"
                if products
                else "the protocol names no product: without a strength, no volumes"
            )
            self.fields[f"product_{i}"] = NumberField(
                required=False,
                label=f"{course['drug']}: product strength [{unit}]",
                help_text=default,
                accepted=f"a strength in {unit} above 0",
            )

    # --- the fields in groups, for the template
    def option_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if n.startswith("param_")]

    def decision_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if n.startswith("decision_")]

    def product_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if n.startswith("product_")]

    def inputs(self) -> Inputs:
        """The planner inputs (after ``is_valid()``)."""
        c = self.cleaned_data
        p = self.protocol_obj
        parameters: dict[str, Any] = {}
        for name, spec in p.parameters.items():
            value = c.get(f"param_{name}")
            if value is None or value == "":
                continue
            if "choices" in spec:
                value = next((x for x in spec["choices"] if str(x) == str(value)), value)
            parameters[name] = value
        products: dict[str, float] = {}
        for i, course in enumerate(p.courses):
            strength = c.get(f"product_{i}")
            if strength is not None:
                products[str(course["drug"])] = strength
        return Inputs(
            protocol=p.id,
            version=p.version,
            sha256=p.sha256,
            start=c["start"],
            weight_kg=c["weight_kg"],
            length_cm=c.get("length_cm"),
            bsa_formula=c.get("bsa_formula") or "mosteller",
            parameters=parameters,
            decisions={
                d["id"]: _answer(c.get(f"decision_{d['id']}") or "") for d in p.decisions
            },
            products=products,
        )

    @staticmethod
    def initial_for(
        protocol: Protocol, inputs: Inputs | None, weight: float | None, length: float | None,
        today: date,
    ) -> dict[str, Any]:
        """Field values to start from: a saved course's inputs, else the record's latest
        weight and length, today, and the protocol's defaults."""
        out: dict[str, Any] = {
            "protocol": protocol.id,
            "version": str(protocol.version),
            "start": today.isoformat(),
            "weight_kg": "" if weight is None else f"{weight:g}",
            "length_cm": "" if length is None else f"{length:g}",
            "bsa_formula": "mosteller",
        }
        for name, spec in protocol.parameters.items():
            out[f"param_{name}"] = str(spec["default"])
        for d in protocol.decisions:
            out[f"decision_{d['id']}"] = ""
        if inputs is not None:
            out.update(
                {
                    "version": str(inputs.version),
                    "start": inputs.start.isoformat(),
                    "weight_kg": f"{inputs.weight_kg:g}",
                    "length_cm": "" if inputs.length_cm is None else f"{inputs.length_cm:g}",
                    "bsa_formula": inputs.bsa_formula,
                }
            )
            for name, value in inputs.parameters.items():
                out[f"param_{name}"] = str(value)
            for key, answer in inputs.decisions.items():
                out[f"decision_{key}"] = _answer_text(answer)
            for i, course in enumerate(protocol.courses):
                if course["drug"] in inputs.products:
                    out[f"product_{i}"] = f"{inputs.products[course['drug']]:g}"
        return out

    def show_error(self, exc: InputError) -> None:
        """Put a domain ``InputError`` beside the field it names (see :func:`field_for`)."""
        name = field_for(exc, self.protocol_obj)
        text = f"{exc.value!r} is not accepted: {exc.accepted}."
        if name in self.fields:
            self.add_error(name, text)
        else:
            self.add_error(None, f"{exc.field}: {text}")


def field_for(exc: InputError, protocol: Protocol) -> str:
    """The planner field an ``InputError`` of the therapy package is about."""
    f = exc.field
    if f == "--set":
        return f"param_{str(exc.value).split('=')[0]}"
    if f == "products":
        drug = str(exc.value).split("=")[0]
        for i, course in enumerate(protocol.courses):
            if str(course["drug"]).lower() == drug.lower():
                return f"product_{i}"
    if f in ("--protocol",):
        return "protocol"
    if f in ("--version", "sha256"):
        return "version"
    if f == "age_months":
        return "start"
    return {"weight_kg": "weight_kg", "length_cm": "length_cm", "start": "start"}.get(
        f, "bsa_formula" if f == "bsa_formula" else f
    )


class TickForm(forms.Form):
    """A monitoring check done."""

    treatment = forms.CharField(max_length=64)
    item = forms.CharField(max_length=80)
    due = forms.DateField()
    done = forms.DateField(widget=DATE, label="Done on")
    value = forms.CharField(max_length=200, required=False, label="Result (optional)")
