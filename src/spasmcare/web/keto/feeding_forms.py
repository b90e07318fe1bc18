"""The infant feeding mode's form (issue 24): the mode (breastfeeds then a measured keto
bottle, expressed breast milk in the formula, or solids week by week), the prescription (ratio,
energy, the day's fluid, feeds a day), the formula, the mother's breast-milk volume per feed
(fixed where she sets it) and the baby foods. It only parses; the domain
(:class:`spasmcare.keto.feeding_modes.FeedingRequest`) decides what is acceptable and its
message is shown beside the field."""

from __future__ import annotations

from typing import Any

from django import forms

from spasmcare.errors import InputError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MODE_LABELS: dict[str, str] = {
    "breastfeed": "breastfeeds, each followed by a measured bottle of keto formula",
    "ebm": "expressed breast milk mixed into the formula",
    "solids": "solids introduced week by week (baby foods)",
}
#: Domain field names (the command line's options) -> the form's fields.
FIELD_OF: dict[str, str] = {
    "mode": "mode",
    "--ratio": "ratio",
    "--kcal": "kcal",
    "--volume-ml": "volume_ml",
    "--feeds": "feeds",
    "--formula": "formula",
    "--breast-milk-ml": "breast_milk_ml_per_feed",
    "--solid": "solids",
    "--solid-portion-g": "solid_portion_g_per_day",
    "--weeks": "weeks",
    "--start": "start",
    "--weight-kg": "weight_kg",
    "--age-months": "age_months",
}


def form_error(exc: InputError) -> InputError:
    """A domain error named by the form's field."""
    return InputError(FIELD_OF.get(exc.field, exc.field), exc.value, exc.accepted)


def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.replace(",", "\n").splitlines() if x.strip()]


class FeedingForm(forms.Form):
    mode = forms.ChoiceField(
        choices=list(MODE_LABELS.items()),
        label="Feeding mode",
        error_messages={"invalid_choice": "%(value)s is not accepted: one of the modes listed."},
    )
    ratio = forms.FloatField(label="Ratio (:1)")
    kcal = forms.FloatField(label="Energy [kcal a day]")
    volume_ml = forms.FloatField(
        label="Fluid [mL a day]", help_text="breast milk and bottles together"
    )
    feeds = forms.IntegerField(label="Feeds a day", initial=6)
    formula = forms.CharField(
        widget=forms.TextInput(attrs={"size": 60}),
        max_length=300,
        label="Formula and modules",
        help_text="food table ids separated by commas; a liquid with “:liquid” after its id",
    )
    breast_milk_ml_per_feed = forms.IntegerField(
        required=False,
        min_value=0,
        label="Breast milk per feed [mL]",
        help_text="the mother's volume, kept as she sets it",
    )
    solids = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
        max_length=300,
        label="Baby foods, one new a week",
        help_text="food table ids of the group “Baby Foods”, separated by commas, in the order "
        "they start",
    )
    solid_portion_g_per_day = forms.IntegerField(
        required=False,
        label="Each solid [g a day]",
        help_text="clinic setting, not from a source (empty: 10 g)",
    )
    weeks = forms.IntegerField(
        required=False, label="Weeks of solids", help_text="clinic setting (empty: 4)"
    )
    start = forms.DateField(widget=DATE, required=False, label="First day of week 1")
    weight_kg = forms.FloatField(
        required=False, label="Weight [kg]", help_text="to check protein for age"
    )
    age_months = forms.FloatField(required=False, label="Age [months]")

    def inputs(self) -> dict[str, Any]:
        """The inputs as stored (JSON-ready; dates ISO); empty ones left out."""
        c = self.cleaned_data
        formula = []
        for spec in _lines(c["formula"]):
            food, _, kind = spec.partition(":")
            formula.append({"food": food.strip(), "kind": kind.strip() or "powder"})
        out: dict[str, Any] = {
            "mode": c["mode"],
            "ratio": c["ratio"],
            "kcal": c["kcal"],
            "volume_ml": c["volume_ml"],
            "feeds": c["feeds"],
            "formula": formula,
            "breast_milk_ml_per_feed": c.get("breast_milk_ml_per_feed") or 0,
            "solids": _lines(c.get("solids") or ""),
        }
        for name in ("solid_portion_g_per_day", "weeks", "weight_kg", "age_months"):
            if c.get(name) is not None:
                out[name] = c[name]
        if c.get("start"):
            out["start"] = c["start"].isoformat()
        return out

    @staticmethod
    def initial_for(inputs: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in inputs.items() if k not in ("formula", "solids")}
        out["formula"] = ", ".join(
            f["food"] + (":liquid" if f.get("kind") == "liquid" else "")
            for f in inputs.get("formula") or []
        )
        out["solids"] = ", ".join(inputs.get("solids") or [])
        return out
