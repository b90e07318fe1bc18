"""Today's medicines and diet as the family's diary and printouts show them.

Planned courses give the plan's family version of today (:meth:`spasmcare.therapy.CoursePlan.
to_dict`, limited to the course's drugs); any other treatment in force gives the record's dose
in force as the family gives it (:func:`spasmcare.report.family.family_doses`, one row per time
of day); the saved keto plan gives the meals and feed that still pass its check
(:mod:`spasmcare.web.keto.plan`). The family diary (:mod:`spasmcare.web.family.views`) and the
course printouts (:mod:`spasmcare.web.courses.views`) both read it here, and a "Given" tap is
checked against the doses on today's schedule (:func:`schedule`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spasmcare.errors import InputError
from spasmcare.measures.status import dose_on
from spasmcare.record.model import DIET_LABELS
from spasmcare.report.family import (
    FamilyDose,
    doses_text,
    family_doses,
    in_force,
    latest_weight,
)
from spasmcare.therapy import CoursePlan
from spasmcare.therapy.export import family_product, plan_dose_given_text
from spasmcare.web.clinic import records, resilience
from spasmcare.web.clinic.forms import error_text
from spasmcare.web.clinic.models import Entry, Kind, Patient
from spasmcare.web.courses import service as courses
from spasmcare.web.keto import plan as keto_plan


def plan_day(plan: CoursePlan, drugs: list[str], on: date) -> dict[str, Any] | None:
    """The family version of one plan day, limited to ``drugs`` (None: not a course day)."""
    for day, plain in zip(plan.to_dict(family=True)["days"], plan.days, strict=True):
        if day["date"] == on.isoformat():
            doses = [
                d | {
                    "product": family_product(d.get("product")),
                    "text": plan_dose_given_text(d),
                    "given": plan_given(d),
                }
                for d in day["doses"]
                if d["drug"] in drugs
            ]
            # drugs whose dose today awaits the clinic: a medicine day, never "no dose"
            pending = sorted({p.drug for p in plain.pending if p.drug in drugs})
            return {"day": day["day"], "doses": doses, "notes": day["notes"], "pending": pending}
    return None


def plan_given(dose: dict[str, Any]) -> dict[str, Any]:
    """The numbers of one dose of a plan's family version as the family gives it (what
    :func:`spasmcare.therapy.export.plan_dose_given_text` says in English), for the page to
    write in the family's language: with a volume, the amount is what the measured volume
    gives."""
    unit = "mg" if dose.get("mg") is not None else "U"
    planned = dose.get("mg") if unit == "mg" else dose.get("units")
    measured = dose.get("measured_mg") if unit == "mg" else dose.get("measured_units")
    volume = dose.get("volume_ml")
    return {
        "amount": measured if volume is not None and measured is not None else planned,
        "unit": unit,
        "volume_ml": volume,
        "concentration": dose.get("concentration"),
        "per_day": True,
    }


def family_given(dose: FamilyDose) -> dict[str, Any]:
    """The numbers of a record dose as the family gives it (what
    :meth:`spasmcare.report.family.FamilyDose.text` says in English)."""
    return {
        "amount": dose.amount,
        "unit": dose.unit,
        "volume_ml": dose.volume_ml,
        "concentration": dose.concentration,
        "per_day": dose.per_day_known,
    }


def given_groups(doses: list[FamilyDose]) -> list[dict[str, Any]]:
    """Doses of one size with their times together (as
    :func:`spasmcare.report.family.doses_text` groups them), for the page to write."""
    groups: dict[str, dict[str, Any]] = {}
    for d in doses:
        group = groups.setdefault(d.text(), {"given": family_given(d), "times": []})
        group["times"].append(d.time)
    return list(groups.values())


def medicines(patient: Patient, on: date) -> dict[str, Any]:
    """Today's medicines (planned courses: the plan's family version; other treatments: the
    record's dose in force) and the saved keto plan's meals and feed.

    Computed once per state of what it is made of (the live drug courses, diet periods and keto
    plans, the patient's details, the day and the protocol files), so a diary tap, which
    changes none of them, does not compute it again.
    """
    rows = Entry.objects.filter(
        patient=patient,
        kind__in=[Kind.TREATMENT, Kind.DIET, Kind.KETO_PLAN, Kind.GROWTH],
        retracted_at__isnull=True,
    ).order_by("day", "id")
    # what it is made of, listed by id and version: the rows themselves (a keto plan is a
    # large document) are read only when the view is computed
    listed = list(rows.values_list("pk", "version"))
    entries: list[Entry] = []

    def build() -> dict[str, Any]:
        entries[:] = rows.all()
        if [(e.pk, e.version) for e in entries] != listed:
            raise _Moved  # written meanwhile: never kept under the older listing
        out: dict[str, Any] = {"courses": [], "others": [], "problems": [], "keto": None}
        record_items = [
            e for e in entries if e.kind in (Kind.TREATMENT, Kind.DIET, Kind.GROWTH)
        ]
        try:
            record, _ = resilience.read_entries(patient, record_items, on)
        except InputError as exc:
            out["problems"].append(error_text(exc))
            record = None
        running = (
            {t.id for t in record.treatments if in_force(t.start, t.stop, on)}
            if record is not None
            else None
        )
        saved = courses.saved_courses(entries)
        plans = courses.saved_plans(patient, saved) if saved else {}
        shown_ids: set[str] = set()
        for course in saved:
            plan = plans.get(course.group)
            if not isinstance(plan, CoursePlan):
                out["problems"].append(f"{course.group}: {plan}")
                shown_ids |= set(course.ids)  # its problem is shown instead of a dose
                continue
            if running is not None and not running & set(course.ids):
                continue  # stopped in the record: the plan's later days are not given
            today = plan_day(plan, course.drugs, on)
            if today is None:
                # the plan has no day today (it ended, or starts later) while the record
                # has the course running: the record's dose in force is shown below
                continue
            shown_ids |= set(course.ids)
            out["courses"].append(
                {
                    "group": course.group,
                    "title": plan.title,
                    "today": today,
                    "end": plan.end,
                    # which treatment of the record each drug's dose is (for the "given" tick)
                    "ids": {drug: str(e.data["id"]) for drug in course.drugs
                            if (e := course.entry_for(drug)) is not None},
                }
            )
        if record is not None:
            weighed = latest_weight(record, on)
            for t in record.treatments:
                if t.id in shown_ids or not in_force(t.start, t.stop, on):
                    continue
                out["others"].append(_record_doses(t, on, weighed))
            out["diets"] = [
                {
                    "label": DIET_LABELS.get(d.diet, d.diet),
                    "code": d.diet,
                    "prescribed_ratio": d.prescribed_ratio,
                }
                for d in record.diet_periods
                if in_force(d.start, d.stop, on)
            ]
        plans_keto = [e for e in entries if e.kind == Kind.KETO_PLAN]
        if plans_keto:
            out["keto"] = _keto_summary(plans_keto[-1])
        return out

    made_of = ",".join(f"{pk}v{version}" for pk, version in listed)
    try:
        value: dict[str, Any] = records.cached(
            patient,
            "family-today",
            build,
            on=on,
            # the day's doses come from the course plans, which follow the protocol files
            stamp=f"{on.isoformat()}:p{patient.version}:{courses.protocols_token()}:{made_of}",
        )
    except _Moved:
        return medicines(patient, on)  # listed again: the stamp names what is stored now
    return value


class _Moved(Exception):
    """A row of today's medicines was written between its listing and its reading."""


def record_doses_today(patient: Patient, on: date) -> list[dict[str, Any]]:
    """The record's doses in force on ``on`` of the treatments without a plan day then, as
    the family gives them (the "others" of today's medicines)."""
    return list(medicines(patient, on)["others"])


def _record_doses(
    treatment: Any, on: date, weighed: tuple[float, date] | None
) -> dict[str, Any]:
    """A treatment without a plan day today: the record's dose in force as the family gives
    it (:func:`spasmcare.report.family.family_doses`, one row per time of day)."""
    dose = dose_on(treatment, on)
    weight_kg = weighed[0] if weighed else None
    doses: list[FamilyDose] = []
    if dose is not None:
        try:
            doses = family_doses(treatment, dose, weight_kg, courses.protocols_dir())
        except InputError:  # an unusable protocol file: the record's words, split by the team
            doses = [FamilyDose("", dose.amount, dose.unit, per_day_known=False)]
    weight_based = dose is not None and dose.unit == "mg/kg/day" and weighed is not None
    return {
        "treatment": treatment,
        "dose": dose,
        "doses": [
            {"time": d.time, "text": d.text(), "dose": d, "product": d.product,
             "given": family_given(d)}
            for d in doses
        ],
        "line": doses_text(doses),
        "groups": given_groups(doses),
        "weight": (
            {"kg": f"{weighed[0]:g}", "day": weighed[1]} if weight_based and weighed else None
        ),
        "split_known": all(d.per_day_known for d in doses),
        "volume_known": bool(doses) and all(d.volume_ml is not None for d in doses),
    }


def _keto_summary(entry: Entry) -> dict[str, Any]:
    """The meals and feed of the saved keto plan as its printout shows them (the keto views
    re-check the saved amounts; nothing is solved again here)."""
    inputs, meals, feed = keto_plan.state_from_entry(entry)
    plan = keto_plan.compute(inputs, meals, feed, solve=False, assess_day=False)
    feed_plan = plan.feed.get("plan") if plan.feed.get("status") == "solved" else None
    return {
        # only meals that still pass the check against the prescription reach the family
        "meals": [
            {"name": m["name"], "rows": [r for r in m["rows"] if r["grams"]]}
            for m in plan.meals
            if m["rows"] and m["status"] in ("verified", "no target")
        ],
        "meals_to_check": [
            m["name"]
            for m in plan.meals
            if m["rows"] and m["status"] not in ("verified", "no target")
        ],
        "feed": feed_plan if feed_plan and plan.feed.get("verified") else None,
        "feed_problem": plan.feed.get("status") != "empty" and not plan.feed.get("verified"),
    }


def _amount_text(dose: dict[str, Any]) -> str:
    """One dose of the plan's family version as the phone shows it ("10 mg = 1 mL of
    10 mg/mL"), kept with a tick as what the family saw."""
    return str(dose.get("text") or plan_dose_given_text(dose))[:200]


def schedule(medicines: dict[str, Any]) -> list[dict[str, Any]]:
    """Today's doses that can be ticked, from today's medicines (the plan's family version, or
    the record's dose in force for a medicine without a plan): treatment id, time ("" for a
    medicine without a time on the schedule), drug and the dose as shown."""
    rows: list[dict[str, Any]] = []
    for c in medicines["courses"]:
        for d in c["today"]["doses"]:
            treatment = c.get("ids", {}).get(d["drug"])
            if treatment is not None:
                rows.append(
                    {"treatment": treatment, "time": d["time"] or "", "drug": d["drug"],
                     "dose": _amount_text(d)}
                )
    for o in medicines["others"]:
        t = o["treatment"]
        for d in o["doses"] or [{"time": "", "text": ""}]:
            rows.append({"treatment": t.id, "time": d["time"], "drug": t.drug,
                         "dose": d["text"][:200]})
    return rows
