"""Forms and request parsing of the keto planner.

Reads what the dietitian typed (the prescription inputs, each meal's foods and grams, the
infant feed's ingredients) into plain data, and maps it onto the domain calls of
:mod:`spasmcare.keto`. Every default shown comes from the domain's named defaults; nothing
clinical is decided here. A domain ``InputError`` names a CLI-style field (``--weight-kg``):
:func:`form_field_error` renames it to the form field it belongs to, so the message appears
beside the input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms

from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH, parse_sex
from spasmcare.keto import energy as energy_mod
from spasmcare.keto import fluids as fluids_mod
from spasmcare.keto import initiation as init_mod
from spasmcare.keto import prescription as rx_mod
from spasmcare.keto import protein as protein_mod
from spasmcare.keto.completeness import Supplement, parse_supplement
from spasmcare.keto.medication import Medication, parse_medication
from spasmcare.keto.menus import DEFAULT_MAX_PER_FOOD
from spasmcare.keto.ratio import CARB_BASES, DEFAULT_CARBS, parse_ratio
from spasmcare.keto.solver import RESOLUTIONS_G
from spasmcare.plain import label
from spasmcare.record import Record
from spasmcare.web.clinic.forms import error_text
from spasmcare.web.keto import supplements as keto_supplements

DIET_LABELS = {
    "classic": "Classic ketogenic (dietary units)",
    "mct": "MCT ketogenic",
    "mad": "Modified Atkins",
    "lgit": "Low glycaemic index treatment",
}
#: How the family printout names the diet.
FAMILY_DIET_LABELS = {
    "classic": "Classic ketogenic diet",
    "mct": "MCT ketogenic diet",
    "mad": "Modified Atkins diet",
    "lgit": "Low glycaemic index treatment",
}
#: Diet of the planner -> diet of a record diet period.
RECORD_DIET = {"classic": "classic-kd", "mct": "mct", "mad": "mad", "lgit": "lgit"}

#: Most food rows read per meal or feed (a guard against oversized posts, not a clinical number).
MAX_ROWS = 40
#: Feeds per day offered when none is saved: the CLI's default (``keto feed --feeds``); a
#: starting value for the dietitian to change.
FEEDS_PER_DAY_START = 6

#: Domain field names (CLI flags) -> planner form fields.
FIELD_OF: dict[str, str] = {
    "--age-months": "age_months",
    "--weight-kg": "weight_kg",
    "weight_kg": "weight_kg",
    "--length-cm": "length_cm",
    "--sex": "sex",
    "--ratio": "ratio",
    "--start-ratio": "ratio",
    "--kcal": "energy_value",
    "--kcal-per-kg": "energy_value",
    "--energy-equation": "energy_equation",
    "--energy-percent": "energy_percent",
    "protein": "protein_value",
    "--protein-g": "protein_value",
    "--protein-g-per-kg": "protein_value",
    "--protein-g-per-kg and --protein-g": "protein_value",
    "--protein-reference": "protein_reference",
    "--meals": "meals",
    "--fluid-rule": "fluid_rule",
    "--mct-percent": "mct_percent",
    "--carb-percent": "carb_percent",
    "--carb-limit-g": "carb_limit_g",
    "--fat-g": "fat_target_g",
    "--carb-g": "lgit_carb_g",
    "--gi-cutoff": "gi_cutoff",
    "--initiation": "initiation",
    "--days-per-step": "days_per_step",
    "--medication": "medications",
    "--med-carb-g": "medications",
    "--supplement": "supplements",
    "--max-per-food": "menu_max_per_food",
}


def form_field_error(exc: InputError) -> InputError:
    """The same error, named by the planner's form field."""
    return InputError(FIELD_OF.get(exc.field, exc.field), exc.value, exc.accepted)


def _choices(values: Any) -> list[tuple[str, str]]:
    """Stored codes as choices people read (the vocabulary of :mod:`spasmcare.plain`)."""
    return [(str(v), label(v)) for v in values]


#: Rows of the medicines form (a page layout setting).
MEDICINE_ROWS = 4
MEDICINE_PARTS = ("name", "carb_mg", "per_day")


class PrescriptionForm(forms.Form):
    """The prescription inputs; ``cleaned_data`` is what a saved plan keeps."""

    diet = forms.ChoiceField(choices=list(DIET_LABELS.items()), initial="classic")
    ratio = forms.CharField(max_length=12, required=False, help_text="classic only: 3, 3.5 or 3:1")
    age_months = forms.FloatField(label="Age [months]")
    weight_kg = forms.FloatField(label="Weight [kg]")
    length_cm = forms.FloatField(label="Length [cm]", required=False)
    sex = forms.ChoiceField(
        choices=[("", "not given"), ("female", "female"), ("male", "male")], required=False
    )
    energy_method = forms.ChoiceField(
        label="Energy set by",
        choices=[
            ("equation", "an equation × %"),
            ("kcal", "kcal/day"),
            ("kcal_per_kg", "kcal/kg/day"),
        ],
        initial="equation",
    )
    energy_equation = forms.ChoiceField(
        label="Energy equation",
        choices=[(k, e.description) for k, e in energy_mod.ENERGY_EQUATIONS.items()],
        initial=energy_mod.DEFAULT_ENERGY_EQUATION,
    )
    energy_percent = forms.FloatField(label="% of the equation", initial=100.0)
    energy_value = forms.FloatField(
        label="Energy [kcal/day or kcal/kg/day]", required=False, help_text="for those methods"
    )
    protein_method = forms.ChoiceField(
        label="Protein set by",
        choices=[
            ("reference", "reference intake for age"),
            ("g_per_kg", "g/kg/day"),
            ("g_per_day", "g/day"),
        ],
        initial="reference",
    )
    protein_reference = forms.ChoiceField(
        choices=_choices(protein_mod.PROTEIN_REFERENCES),
        initial=protein_mod.DEFAULT_PROTEIN_REFERENCE,
    )
    protein_value = forms.FloatField(
        label="Protein [g/kg/day or g/day]", required=False, help_text="for those methods"
    )
    protein_max_g_per_kg = forms.FloatField(
        label="Protein upper limit for feeds [g/kg/day]",
        required=False,
        min_value=0.01,
        help_text="a clinic setting: blank for none (no reference gives a maximum)",
    )
    meals = forms.IntegerField(label="Meals per day", initial=3)
    carbs = forms.ChoiceField(
        label="Carbohydrate counted as", choices=_choices(CARB_BASES), initial=DEFAULT_CARBS
    )
    fluid_rule = forms.ChoiceField(
        choices=[("", "the diet's default")] + _choices(fluids_mod.FLUID_RULES), required=False
    )
    mct_percent = forms.FloatField(
        label="MCT [% of energy]", initial=rx_mod.MCT_PERCENT_DEFAULT, help_text="MCT diet"
    )
    carb_percent = forms.FloatField(
        label="Carbohydrate [% of energy]",
        initial=rx_mod.MCT_CARB_PERCENT_DEFAULT,
        help_text="MCT diet",
    )
    carb_limit_g = forms.FloatField(
        label="Carbohydrate limit [g/day]", initial=rx_mod.MAD_CARB_G_DEFAULT, help_text="MAD"
    )
    fat_target_g = forms.FloatField(
        label="Fat target [g/day]", required=False, help_text="MAD, optional"
    )
    lgit_carb_g = forms.FloatField(
        label="Carbohydrate [g/day]", initial=rx_mod.LGIT_CARB_G_DEFAULT, help_text="LGIT"
    )
    gi_cutoff = forms.FloatField(
        label="Glycaemic index below", initial=rx_mod.LGIT_GI_CUTOFF_DEFAULT, help_text="LGIT"
    )
    lgit_energy = forms.BooleanField(
        label="Set an energy target", required=False, help_text="LGIT: fat 60 % of energy"
    )
    initiation = forms.ChoiceField(
        label="Gradual start", choices=_choices(init_mod.MODES), initial="ratio"
    )
    days_per_step = forms.IntegerField(label="Days per step", initial=1)
    resolution = forms.TypedChoiceField(
        label="Scale step [g]",
        choices=[(str(r), f"{r:g} g") for r in RESOLUTIONS_G],
        coerce=float,
        initial=str(RESOLUTIONS_G[0]),
    )
    #: The medicines as stored lines ``NAME:carb_mg=MG:per_day=DOSES`` (saved plans, the
    #: command line); the page edits them in the rows ``med{k}_*`` below and never shows this.
    medications = forms.CharField(label="Medicines carrying carbohydrate", required=False)
    #: The supplements as stored lines (saved plans, the command line's ``--supplement``); the
    #: page edits them in the supplement rows (:mod:`spasmcare.web.keto.supplements`) and never
    #: shows this.
    supplements = forms.CharField(label="Supplements given", required=False)
    stone_risk = forms.BooleanField(label="Kidney stones are a risk", required=False)
    cannot_chew = forms.BooleanField(label="Cannot chew (infant)", required=False)
    menu_max_per_food = forms.IntegerField(
        label="7-day menu: most meals per food", initial=DEFAULT_MAX_PER_FOOD
    )

    data: Mapping[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._show_stored_medicines()
        #: True when stored supplement lines could not be shown in the rows: the page keeps
        #: them (a hidden field) and shows why, rather than dropping them.
        self.supplements_kept = False
        filled = keto_supplements.posted_rows(self.data) if self.is_bound else {}
        if self.is_bound and not filled and str(self.data.get("supplements") or "").strip():
            stored = keto_supplements.rows_from_text(self.data.get("supplements"))
            if stored is None:
                self.supplements_kept = True
            else:
                filled = stored
                self.data = dict(self.data.items()) | stored
        self._supplements_given = keto_supplements.add_fields(self, filled)

    def _show_stored_medicines(self) -> None:
        if self.is_bound and not any(
            str(self.data.get(f"med{k}_{p}") or "").strip()
            for k in range(MEDICINE_ROWS)
            for p in MEDICINE_PARTS
        ):
            # stored lines (a saved plan, the command line): shown in the rows
            data = dict(self.data.items())
            try:
                meds = [
                    parse_medication(line, "medications")
                    for line in _lines(data.get("medications"))
                ]
            except InputError:
                meds = []
            if 0 < len(meds) <= MEDICINE_ROWS:
                for k, m in enumerate(meds):
                    data[f"med{k}_name"] = m.name
                    data[f"med{k}_carb_mg"] = f"{m.carb_mg_per_unit:g}"
                    data[f"med{k}_per_day"] = f"{m.units_per_day:g}"
                self.data = data

    @property
    def medicine_rows(self) -> list[tuple[Any, Any, Any]]:
        """The medicine rows' bound fields (name, carbohydrate per dose, doses a day)."""
        return [
            (self[f"med{k}_name"], self[f"med{k}_carb_mg"], self[f"med{k}_per_day"])
            for k in range(MEDICINE_ROWS)
        ]

    @property
    def supplement_rows(self) -> list[keto_supplements.SupplementRow]:
        """The supplement rows' bound fields: filled ones, then a blank one to add another."""
        return keto_supplements.page_rows(self)

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        self._clean_medicines(c)
        keto_supplements.clean_rows(self, c, self._supplements_given)
        return c

    def _clean_medicines(self, c: dict[str, Any]) -> None:
        given = [
            k
            for k in range(MEDICINE_ROWS)
            if any(
                f"med{k}_{p}" in self.data and str(self.data.get(f"med{k}_{p}") or "").strip()
                for p in MEDICINE_PARTS
            )
        ]
        if not given:
            return
        lines = []
        for k in given:
            name = (c.get(f"med{k}_name") or "").strip()
            carb, per_day = c.get(f"med{k}_carb_mg"), c.get(f"med{k}_per_day")
            if f"med{k}_carb_mg" in self.errors or f"med{k}_per_day" in self.errors:
                continue
            if not name:
                self.add_error(f"med{k}_name", "Give the medicine's name.")
            elif ":" in name:
                self.add_error(f"med{k}_name", f"{name!r}: a name without ':' is accepted.")
            if carb is None:
                self.add_error(
                    f"med{k}_carb_mg",
                    "Give the carbohydrate in one dose [mg], from the label or the pharmacist.",
                )
            if per_day is None:
                self.add_error(f"med{k}_per_day", "Give how many doses a day.")
            if name and ":" not in name and carb is not None and per_day is not None:
                try:
                    Medication(name, carb, per_day)
                except InputError as exc:
                    self.add_error(f"med{k}_name", f"{exc.value}: {exc.accepted} is accepted.")
                    continue
                lines.append(f"{name}:carb_mg={carb:g}:per_day={per_day:g}")
        c["medications"] = "\n".join(lines)

    def inputs(self) -> dict[str, Any]:
        """The cleaned inputs as JSON-ready data (what ``data["prescription"]`` keeps): the
        declared fields; the supplement rows are kept as their stored lines (``supplements``)."""
        return {name: self.cleaned_data.get(name) for name in self.base_fields}


for _k in range(MEDICINE_ROWS):
    # the medicine rows, declared after the class so that their number is one setting
    PrescriptionForm.base_fields[f"med{_k}_name"] = forms.CharField(
        label="Medicine", required=False, max_length=80
    )
    PrescriptionForm.base_fields[f"med{_k}_carb_mg"] = forms.FloatField(
        label="Carbohydrate per dose [mg]", required=False, min_value=0
    )
    PrescriptionForm.base_fields[f"med{_k}_per_day"] = forms.FloatField(
        label="Doses a day", required=False, min_value=0
    )


def default_inputs() -> dict[str, Any]:
    """Every field's starting value (the domain's named defaults)."""
    out: dict[str, Any] = {}
    for name, f in PrescriptionForm.base_fields.items():
        out[name] = f.initial if f.initial is not None else ""
    out["lgit_energy"] = False
    out["stone_risk"] = False
    out["cannot_chew"] = False
    return out


@dataclass(frozen=True)
class Prefill:
    """What the record says about the child for the prescription."""

    age_months: float
    sex: str
    weight_kg: float | None
    length_cm: float | None
    growth_date: date | None
    open_diet: Any  # the record's open diet period, if any


def age_months(birth: date, on: date) -> float:
    """Chronological age [months] at ``on``, in the growth package's month (365.25 / 12 days)."""
    return (on - birth).days / DAYS_PER_MONTH


def prefill_from(record: Record | None, birth: date, sex: str, on: date) -> Prefill:
    weight = length = None
    weight_day: date | None = None
    open_diet = None
    if record is not None:
        for g in sorted(record.growth, key=lambda g: g.day):
            if g.day > on:
                continue
            if g.weight_kg is not None:
                weight, weight_day = g.weight_kg, g.day
            if g.length_cm is not None:
                length = g.length_cm
        for d in record.diet_periods:
            if d.start <= on and (d.stop is None or d.stop >= on):
                open_diet = d
    return Prefill(age_months(birth, on), sex, weight, length, weight_day, open_diet)


def prefilled_inputs(pre: Prefill) -> dict[str, Any]:
    """Defaults with the child's age, sex, latest weight and length and the diet on record."""
    out = default_inputs()
    out["age_months"] = round(pre.age_months, 1)
    out["sex"] = pre.sex
    out["weight_kg"] = pre.weight_kg if pre.weight_kg is not None else ""
    out["length_cm"] = pre.length_cm if pre.length_cm is not None else ""
    d = pre.open_diet
    if d is not None:
        diet = {v: k for k, v in RECORD_DIET.items()}.get(d.diet)
        if diet:
            out["diet"] = diet
        if d.prescribed_ratio is not None:
            out["ratio"] = f"{d.prescribed_ratio:g}"
    return out


def _need(value: float | None, name: str, accepted: str) -> float:
    if value is None:
        raise InputError(name, None, accepted)
    return value


def build_prescription(c: Mapping[str, Any]) -> rx_mod.Prescription:
    """The domain prescription for cleaned inputs ``c`` (errors named by form field)."""
    try:
        return _build(c)
    except InputError as exc:
        raise form_field_error(exc) from None


def _build(c: Mapping[str, Any]) -> rx_mod.Prescription:
    diet = c["diet"]
    patient = rx_mod.Patient(
        c["age_months"], c["weight_kg"], parse_sex(c.get("sex") or None, "sex"), c.get("length_cm")
    )
    method = c["energy_method"]
    value = c.get("energy_value")
    if method != "equation":
        value = _need(value, "energy_value", f"a number of {method.replace('_per_', '/')}")
    energy = rx_mod.EnergySpec(
        kcal=value if method == "kcal" else None,
        kcal_per_kg=value if method == "kcal_per_kg" else None,
        equation=c["energy_equation"] if method == "equation" else None,
        percent=c["energy_percent"],
    )
    pmethod = c["protein_method"]
    pvalue = c.get("protein_value")
    if pmethod != "reference":
        pvalue = _need(pvalue, "protein_value", f"protein in {pmethod.replace('_per_', '/')}")
    protein = rx_mod.ProteinSpec(
        g_per_kg=pvalue if pmethod == "g_per_kg" else None,
        g_per_day=pvalue if pmethod == "g_per_day" else None,
        reference=c["protein_reference"],
    )
    fluid: dict[str, Any] = {"fluid_rule": c["fluid_rule"]} if c.get("fluid_rule") else {}
    meals, carbs = c["meals"], c["carbs"]
    if diet == "classic":
        return rx_mod.classic(
            patient,
            parse_ratio(c.get("ratio") or "", "ratio"),
            energy,
            protein,
            meals=meals,
            carbs=carbs,
            **fluid,
        )
    if diet == "mct":
        return rx_mod.mct(
            patient,
            energy,
            protein,
            mct_percent=c["mct_percent"],
            carb_percent=c["carb_percent"],
            meals=meals,
            carbs=carbs,
            **fluid,
        )
    if diet == "mad":
        return rx_mod.mad(
            patient,
            carb_limit_g=c["carb_limit_g"],
            fat_target_g=c.get("fat_target_g"),
            meals=meals,
            carbs=carbs,
            **fluid,
        )
    return rx_mod.lgit(
        patient,
        energy if c.get("lgit_energy") else None,
        protein,
        carb_g=c["lgit_carb_g"],
        gi_cutoff=c["gi_cutoff"],
        meals=meals,
        carbs=carbs,
        **fluid,
    )


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def medications_of(c: Mapping[str, Any]) -> list[Medication]:
    try:
        return [parse_medication(line, "medications") for line in _lines(c.get("medications"))]
    except InputError as exc:
        raise form_field_error(exc) from None


def supplements_of(c: Mapping[str, Any]) -> list[Supplement]:
    try:
        return [parse_supplement(line, "supplements") for line in _lines(c.get("supplements"))]
    except InputError as exc:
        raise form_field_error(exc) from None


# --- meals and feed ------------------------------------------------------------------------


@dataclass
class MealState:
    """One meal as the designer holds it: foods with grams (None = let the solver choose)."""

    name: str
    items: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    swap: tuple[str, str] | None = None  # (old food id, new food id)
    force: bool = False  # solve even if the amounts already meet the target

    def to_data(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "items": [
                {"food": i["food"], "grams": i["grams"], "locked": bool(i["locked"])}
                for i in self.items
            ],
        }


def parse_grams(text: Any, where: str) -> float | None:
    """Grams typed or sent: blank = none; otherwise a finite number of 0 or more."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(
            where, text, "a number of grams, 0 or more (blank: let the solver choose)"
        ) from None
    if not math.isfinite(value) or value < 0:
        raise InputError(where, text, "a number of grams, 0 or more (blank: let the solver choose)")
    return value


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "on", "true", "yes")
    return bool(value)


def meal_from_data(doc: Any, name: str) -> MealState:
    """A meal from saved or JSON data: ``{"name", "items": [{"food", "grams", "locked"}]}``."""
    if not isinstance(doc, Mapping):
        raise InputError("meal", doc, "an object with a list of items")
    rows = doc.get("items") or []
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise InputError("items", "(list)", f"a list of at most {MAX_ROWS} foods")
    meal = MealState(str(doc.get("name") or name)[:60])
    for k, row in enumerate(rows):
        if not isinstance(row, Mapping) or not str(row.get("food") or "").strip():
            raise InputError(f"items[{k}]", row, "a food id with its grams")
        meal.items.append(
            {
                "food": str(row["food"]).strip(),
                "grams": parse_grams(row.get("grams"), f"grams of {row['food']}"),
                "locked": _truthy(row.get("locked")),
            }
        )
    return meal


def meals_from_post(post: Mapping[str, Any], count: int) -> list[MealState]:
    """Meals from the planner form: rows ``m{i}_{j}_food``, ``_grams``, ``_lock``."""
    meals = []
    for i in range(count):
        meal = MealState(str(post.get(f"m{i}_name") or f"meal {i + 1}")[:60])
        for j in range(MAX_ROWS):
            food = str(post.get(f"m{i}_{j}_food") or "").strip()
            if not food:
                continue
            try:
                grams = parse_grams(post.get(f"m{i}_{j}_grams"), f"grams of {food}")
            except InputError as exc:
                meal.error = error_text(exc)
                grams = None
            meal.items.append(
                {"food": food, "grams": grams, "locked": _truthy(post.get(f"m{i}_{j}_lock"))}
            )
        meals.append(meal)
    return meals


def fit_meals(meals: list[MealState], names: list[str]) -> list[MealState]:
    """As many meals as the prescription has (extra meals dropped, missing ones empty)."""
    out = meals[: len(names)]
    for name in names[len(out) :]:
        out.append(MealState(name))
    return out


@dataclass
class FeedState:
    """The infant feed as the planner holds it."""

    feeds: int = FEEDS_PER_DAY_START
    volume_ml: float | None = None  # None: the prescription's fluid allowance
    batch: str = "day"
    #: False (formula-led, the default): the feed meets ratio and energy, and the protein the
    #: formula brings is checked against the age minimum; True: protein held to the
    #: prescription's grams as well.
    match_protein: bool = False
    ingredients: list[dict[str, Any]] = field(default_factory=list)
    day: list[dict[str, Any]] = field(default_factory=list)  # solved amounts (saved)
    error: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.ingredients)

    def to_data(self) -> dict[str, Any] | None:
        if not self.ingredients:
            return None
        return {
            "feeds": self.feeds,
            "volume_ml": self.volume_ml,
            "batch": self.batch,
            "match_protein": self.match_protein,
            "ingredients": self.ingredients,
            "day": self.day,
        }


def _number(text: Any, where: str, accepted: str, integer: bool = False) -> float | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(where, text, accepted) from None
    if not math.isfinite(value) or (integer and value != int(value)):
        raise InputError(where, text, accepted)
    return value


def feed_from_data(doc: Any) -> FeedState:
    if not isinstance(doc, Mapping):
        return FeedState()
    feed = FeedState(
        feeds=int(doc.get("feeds") or FEEDS_PER_DAY_START),
        volume_ml=doc.get("volume_ml"),
        batch=str(doc.get("batch") or "day"),
        match_protein=bool(doc.get("match_protein")),
        ingredients=[dict(i) for i in doc.get("ingredients") or []],
        day=[dict(i) for i in doc.get("day") or []],
    )
    return feed


def feed_from_post(post: Mapping[str, Any]) -> FeedState:
    """The feed part of the planner form (errors kept on the state, shown in its card)."""
    feed = FeedState()
    try:
        feeds = _number(post.get("feed_feeds"), "feeds per day", "a whole number", integer=True)
        feed.feeds = int(feeds) if feeds is not None else FEEDS_PER_DAY_START
        feed.volume_ml = _number(
            post.get("feed_volume_ml"),
            "volume per day",
            "a volume in mL (blank: the fluid allowance)",
        )
        feed.batch = "feed" if post.get("feed_batch") == "feed" else "day"
        feed.match_protein = _truthy(post.get("feed_protein"))
        for j in range(MAX_ROWS):
            food = str(post.get(f"f{j}_food") or "").strip()
            if not food:
                continue
            kind = "liquid" if post.get(f"f{j}_kind") == "liquid" else "powder"
            fixed = _number(
                post.get(f"f{j}_fixed"), f"fixed amount of {food}", "an amount per day, 0 or more"
            )
            feed.ingredients.append({"food": food, "kind": kind, "fixed_per_day": fixed})
    except InputError as exc:
        feed.error = error_text(exc)
    return feed
