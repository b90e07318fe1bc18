"""Drug courses of a patient as the planner saved them: plans, monitoring status, confirmations.

A course saved by the planner is one ``treatment`` entry per drug of the protocol (a
combination protocol gives several, all starting on the same day). Each entry keeps, in
``extra["planner"]``, everything :func:`spasmcare.therapy.plan_course` needs to re-make the
plan exactly (protocol id, version and SHA-256, start, weight, length, options, answers,
product strengths), plus ``drug`` (which drug of the plan the entry is) and ``group`` (the
course id of the first drug, which names the whole course).

A re-plan whose protocol drops a drug retracts that drug's entry, unless other live entries
name it as given (a dose ticked as given, an adverse event): the doses were given, so the entry
is ended instead (:func:`ended_by_replan` says which,
:func:`spasmcare.therapy.course_record.ended_item` how) and leaves the course, its planner
inputs kept under ``extra["ended_by_replan"]`` (:func:`detached`).

A monitoring check done is a ``monitoring`` entry with ``data = {"treatment": group, "item":
key, "due": date the plan gives the check, "done": date, "value": optional text}``.

Nothing here computes a clinical result: plans come from :mod:`spasmcare.therapy`, the day-7
answer from :func:`spasmcare.measures.response.spasms_continuing_day7`. Functions that take
``entries`` use the rows given (the patient's live entries of every kind) and make no query of
their own; a rebuilt plan is kept per process under its inputs (:func:`saved_plans`).

The family's medicine calendar (:func:`family_runs`) groups the plan's family days given the
same way into one row, each dose in the family's words (:func:`spasmcare.therapy.export.
given_text`).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from spasmcare.errors import InputError
from spasmcare.plain import day_text
from spasmcare.record import Record
from spasmcare.report.family import latest_weight as family_weight
from spasmcare.therapy import CoursePlan, Protocol, day7_decision_id, load_protocol, plan_course
from spasmcare.therapy.course_record import dose_steps, drugs
from spasmcare.therapy.dosing import mark_note
from spasmcare.therapy.export import family_product, given_text
from spasmcare.therapy.monitoring import MonitoringItem
from spasmcare.therapy.schedule import FAMILY_PENDING
from spasmcare.web.clinic import computed, records
from spasmcare.web.clinic.models import Entry, Kind, Patient

PLANNER = "planner"


def protocols_dir() -> str | None:
    """The clinic's protocols directory: setting ``SPASMCARE_PROTOCOLS_DIR`` (default
    ``DATA_DIR/protocols``) if set, else the therapy package's own default (the environment
    variable of the same name)."""
    value = getattr(settings, "SPASMCARE_PROTOCOLS_DIR", None)
    return str(value) if value else None


@dataclass
class Inputs:
    """What the planner was given: enough to re-make the plan exactly."""

    protocol: str
    version: int
    start: date
    weight_kg: float
    length_cm: float | None = None
    bsa_formula: str = "mosteller"
    parameters: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, bool | None] = field(default_factory=dict)
    products: dict[str, float] = field(default_factory=dict)
    sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "version": self.version,
            "sha256": self.sha256,
            "start": self.start.isoformat(),
            "weight_kg": self.weight_kg,
            "length_cm": self.length_cm,
            "bsa_formula": self.bsa_formula,
            "parameters": dict(self.parameters),
            "decisions": dict(self.decisions),
            "products": dict(self.products),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Inputs:
        return cls(
            protocol=str(d["protocol"]),
            version=int(d["version"]),
            sha256=d.get("sha256"),
            start=date.fromisoformat(str(d["start"])),
            weight_kg=float(d["weight_kg"]),
            length_cm=None if d.get("length_cm") is None else float(d["length_cm"]),
            bsa_formula=str(d.get("bsa_formula") or "mosteller"),
            parameters=dict(d.get("parameters") or {}),
            decisions=dict(d.get("decisions") or {}),
            products={k: float(v) for k, v in (d.get("products") or {}).items()},
        )

    def with_answer(self, decision: str, answer: bool | None) -> Inputs:
        """The same inputs with one decision answered (None: back to unanswered)."""
        return Inputs(
            **{**self.__dict__, "decisions": {**self.decisions, decision: answer}}
        )


def load(inputs: Inputs) -> Protocol:
    """The protocol version the inputs name (and, when they recorded one, the same file)."""
    return load_protocol(
        inputs.protocol, inputs.version, protocols_dir(), expect_sha256=inputs.sha256
    )


def build_plan(
    patient: Patient, inputs: Inputs, weights: dict[date, float] | None = None
) -> CoursePlan:
    """The plan of the inputs, checked against the patient's age and sex (WHO references).

    Raises InputError (field named as the planner form names it: ``start`` for a start before
    the birth date).
    """
    protocol = load(inputs)
    try:
        return plan_course(
            protocol,
            weight_kg=inputs.weight_kg,
            start=inputs.start,
            length_cm=inputs.length_cm,
            decisions=inputs.decisions,
            parameters=inputs.parameters,
            bsa_formula=inputs.bsa_formula,
            products=inputs.products,
            birth_date=patient.birth_date,
            sex=patient.sex,
            weights=weights,
            protocols_dir=protocols_dir(),
        )
    except InputError as exc:
        if exc.field == "birth_date":
            raise InputError(
                "start",
                inputs.start.isoformat(),
                f"a date after the birth date ({patient.birth_date.isoformat()})",
            ) from None
        raise


@dataclass
class SavedCourse:
    """A course saved by the planner: its treatment entries (one per drug) and inputs."""

    group: str
    inputs: Inputs
    entries: list[Entry]

    @property
    def ids(self) -> list[str]:
        return [str(e.data["id"]) for e in self.entries]

    @property
    def drugs(self) -> list[str]:
        return [str(e.data["drug"]) for e in self.entries]

    @property
    def name(self) -> str:
        """The course as people name it: its drugs and start ("prednisolone from 1 Jun
        2026"), never its record id."""
        return f"{' and '.join(self.drugs)} from {day_text(self.inputs.start)}"

    def entry_for(self, drug: str) -> Entry | None:
        return next((e for e in self.entries if e.extra[PLANNER].get("drug") == drug), None)


def saved_courses(entries: list[Entry]) -> list[SavedCourse]:
    """The planner's courses among ``entries`` (live entries), oldest start first."""
    groups: dict[str, SavedCourse] = {}
    for e in entries:
        if e.kind != Kind.TREATMENT or not isinstance(e.extra, dict):
            continue
        planner = e.extra.get(PLANNER)
        if not isinstance(planner, dict):
            continue
        group = str(planner.get("group") or e.data["id"])
        if group not in groups:
            groups[group] = SavedCourse(group, Inputs.from_dict(planner), [])
        groups[group].entries.append(e)
    out = list(groups.values())
    for course in out:
        course.entries.sort(key=lambda e: (str(e.data["start"]), e.data["id"] != course.group))
    out.sort(key=lambda c: (c.inputs.start, c.group))
    return out


_reading = threading.local()


@contextmanager
def reading_plans() -> Iterator[None]:
    """Within the block, :func:`saved_plans` hands every caller the same copy of a plan
    instead of a fresh copy each (a plan is a large object: the summary after each write asks
    for the same plans four times). Only for code that reads the plans, never changes them."""
    outer = getattr(_reading, "plans", None)
    _reading.plans = {} if outer is None else outer
    try:
        yield
    finally:
        _reading.plans = outer


def saved_plans(patient: Patient, courses: list[SavedCourse]) -> dict[str, CoursePlan | str]:
    """Each saved course's plan (or why it cannot be re-made). A plan depends only on the
    course's inputs, the patient's birth date and sex and the protocol files, so it is kept
    per process under exactly those (:func:`spasmcare.web.clinic.computed.memo`): a diary tap or a
    lab result does not re-make it. See :func:`reading_plans`."""

    def build(course: SavedCourse) -> CoursePlan | str:
        try:
            return build_plan(patient, course.inputs)
        except InputError as exc:
            return str(exc)

    shared: dict[Any, CoursePlan | str] | None = getattr(_reading, "plans", None)
    if shared is None:
        token = protocols_token()
    else:  # the protocols directory read once in the block too
        if "token" not in shared:
            shared["token"] = protocols_token()
        token = str(shared["token"])
    out: dict[str, CoursePlan | str] = {}
    for course in courses:
        key = ("course-plan", token, repr(course.inputs), patient.birth_date, patient.sex)
        if shared is not None and key in shared:
            out[course.group] = shared[key]
            continue
        out[course.group] = computed.memo(key, lambda course=course: build(course))  # type: ignore[misc]
        if shared is not None:
            shared[key] = out[course.group]
    return out


def referred(patient: Patient, ids: list[str]) -> dict[str, date | None]:
    """Which of the treatments ``ids`` other live entries name as what was given: a dose
    ticked as given (``dose_given``) or an adverse event. Treatment id -> the last day a dose
    of it was ticked (None: named by adverse events only). One query."""
    out: dict[str, date | None] = {}
    if not ids:
        return out
    for kind, treatment, day in Entry.objects.filter(
        patient=patient,
        kind__in=[Kind.DOSE_GIVEN, Kind.ADVERSE],
        retracted_at__isnull=True,
        data__treatment__in=ids,
    ).values_list("kind", "data__treatment", "day"):
        key = str(treatment)
        last = out.get(key)
        if kind == Kind.DOSE_GIVEN and (last is None or day > last):
            out[key] = day
        else:
            out.setdefault(key, None)
    return out


def ended_by_replan(patient: Patient, dropped: list[Entry]) -> dict[str, date | None]:
    """Of the treatments a re-plan drops, those it ends rather than retracts: those other live
    entries name as given (:func:`referred`), and every dropped course one of them
    ``continues`` (it was given before it). Treatment id -> the last day a dose of it was
    ticked (None: none was), for :func:`spasmcare.therapy.course_record.ended_item`. One query."""
    given = referred(patient, [str(e.data["id"]) for e in dropped])
    by_id = {str(e.data["id"]): e for e in dropped}
    kept = {i for i in given if i in by_id}
    todo = list(kept)
    while todo:
        before = by_id[todo.pop()].data.get("continues")
        if before is not None and str(before) in by_id and str(before) not in kept:
            kept.add(str(before))
            todo.append(str(before))
    return {i: given.get(i) for i in kept}


def detached(extra: dict[str, Any], group: str, protocol: str) -> dict[str, Any]:
    """The ``extra`` of a treatment ended by a re-plan: no longer a drug of the planner's
    course (so the course's inputs and plan are the new protocol's alone), with what it was
    planned as and which re-plan ended it kept under ``"ended_by_replan"``."""
    out = {k: v for k, v in extra.items() if k != PLANNER}
    out["ended_by_replan"] = {
        "course": group,
        "protocol": protocol,
        "planned_as": extra.get(PLANNER),
    }
    return out


def item_key(what: str) -> str:
    """The stable key of a monitoring item (its text, slugified)."""
    return slugify(what)[:80] or "check"


def ticks(entries: list[Entry]) -> dict[tuple[str, str, str], Entry]:
    """Monitoring checks done, by (course, item key, planned date)."""
    out: dict[tuple[str, str, str], Entry] = {}
    for e in entries:
        if e.kind == Kind.MONITORING:
            d = e.data
            out[(str(d.get("treatment")), str(d.get("item")), str(d.get("due")))] = e
    return out


def due_date(item: MonitoringItem) -> date:
    """The date by which a check is due: the end of its window, else its date."""
    return item.until or item.date


def checklist(
    course: SavedCourse, plan: CoursePlan, done: dict[tuple[str, str, str], Entry], on: date
) -> list[dict[str, Any]]:
    """The monitoring items of a saved course with their status on ``on``.

    Status: ``done`` (ticked), ``to be confirmed`` (schedule awaits the clinic: no due date),
    ``overdue`` (due before ``on``), ``due`` (its window has opened), ``upcoming``.
    """
    rows = []
    for m in plan.monitoring:
        key = item_key(m.what)
        tick = done.get((course.group, key, m.date.isoformat()))
        due = due_date(m)
        if tick is not None:
            status = "done"
        elif not m.confirmed:
            status = "to be confirmed"
        elif due < on:
            status = "overdue"
        elif m.date <= on:
            status = "due"
        else:
            status = "upcoming"
        rows.append(
            {"item": m, "key": key, "due": due, "status": status, "tick": tick}
        )
    return rows


def _check_rows(
    patient: Patient, entries: list[Entry], on: date
) -> Iterator[tuple[SavedCourse, dict[str, Any]]]:
    """Each monitoring check of the patient's saved courses with its status on ``on``."""
    courses = saved_courses(entries)
    if not courses:
        return
    plans = saved_plans(patient, courses)
    done = ticks(entries)
    for course in courses:
        plan = plans.get(course.group)
        if isinstance(plan, CoursePlan):
            for row in checklist(course, plan, done, on):
                yield course, row


def monitoring_overdue(patient: Patient, entries: list[Entry], on: date) -> list[Any]:
    """``(label, due date)`` of each monitoring check of the patient's saved courses that was
    due before ``on`` and has no ``monitoring`` entry ticking it; the label names the course
    in words.

    Checks whose schedule awaits the clinic's confirmation have no due date and are left out.
    """
    out = [
        (f"{row['item'].what} ({course.name})", row["due"])
        for course, row in _check_rows(patient, entries, on)
        if row["status"] == "overdue"
    ]
    return sorted(out, key=lambda x: (x[1], x[0]))


def next_checks(patient: Patient, entries: list[Entry], on: date, limit: int = 3) -> list[Any]:
    """``(label, due date)`` of the next monitoring checks of the patient's saved courses that
    are due or coming on or after ``on`` and not ticked, earliest first (at most ``limit``)."""
    out = [
        (str(row["item"].what), max(row["item"].date, on))
        for _, row in _check_rows(patient, entries, on)
        if row["status"] in ("due", "upcoming")
    ]
    return sorted(out, key=lambda x: (x[1], x[0]))[:limit]


def saved_decision_points(
    patient: Patient, entries: list[Entry], *, all_live: bool = False
) -> list[dict[str, Any]]:
    """The decision points of the newest saved course whose plan has an answered decision
    (the plan's own ``decision_points``: question, answer, planned_as, effect), so the
    dashboard states the answer the neurologist saved, as the printout does. Empty when no
    saved course has an answer. ``all_live``: ``entries`` are live ones already (read without
    their retraction field)."""
    live = entries if all_live else [e for e in entries if e.retracted_at is None]
    courses = saved_courses(live)
    if not courses:
        return []
    plans = saved_plans(patient, courses)
    for course in reversed(courses):
        plan = plans.get(course.group)
        if not isinstance(plan, CoursePlan):
            continue
        # as the plan's document writes them (CoursePlan.to_dict), without writing the rest
        points: list[dict[str, Any]] = [d.to_dict() for d in plan.decision_points]
        if any(p.get("answer") is not None for p in points):
            return [p | {"title": plan.title} for p in points]
    return []


def protocols_token() -> str:
    """A token that changes whenever the clinic's protocols directory changes (a detail
    confirmed, a new version written), so cached plans and summaries are rebuilt."""
    folder = protocols_dir()
    if not folder or not os.path.isdir(folder):
        return "0"
    stamps = sorted(
        (entry.name, entry.stat().st_mtime_ns) for entry in os.scandir(folder) if entry.is_file()
    )
    return hashlib.sha256(repr(stamps).encode()).hexdigest()[:12]


def confirmations_pending(
    patient: Patient, entries: list[Entry], on: date | None = None
) -> list[Any]:
    """Per saved course, not yet ended, with protocol details the clinic has not confirmed:
    ``(course id, [detail ids], protocol id)``, the order
    :func:`spasmcare.measures.alerts.patient_alerts` reads."""
    courses = saved_courses(entries)
    if not courses:
        return []
    plans = saved_plans(patient, courses)
    today = on or records.today()
    out: list[tuple[str, list[str], str]] = []
    for course in courses:
        plan = plans.get(course.group)
        if not isinstance(plan, CoursePlan) or plan.end < today:
            continue  # a finished course needs no confirmation any more
        if plan.unconfirmed_details and course.entries:
            details = [str(d["detail"]) for d in plan.unconfirmed_details]
            # the first live course of the group (its first drug unless that was retracted)
            out.append((str(course.entries[0].data["id"]), details, plan.protocol_id))
    return out


def confirm_inline(
    protocol_id: str,
    seen_version: int,
    details: list[str],
    by: str,
    values: dict[str, Any],
    note: str | None = None,
) -> Protocol:
    """Confirm ``details`` of the protocol the planner form shows, from the form itself, exactly
    as the protocol details page does (:func:`spasmcare.therapy.confirm_detail`: one new
    version file per detail in the clinic's directory, who and when, never a rewrite).

    ``seen_version``: the version the form was made with; a later version (someone confirmed
    meanwhile) is refused like a stale edit, nothing written. ``values``: the form's parameter
    values (``param_<name>``) so a detail tied to a parameter is confirmed with the value the
    plan uses. Returns the newest version.

    Raises
    ------
    InputError
        A stale version, an unknown detail, or a value the protocol refuses.
    """
    from spasmcare.therapy import confirm_detail

    protocol = load_protocol(protocol_id, protocols_dir=protocols_dir())
    if protocol.version != seen_version:
        raise InputError(
            "version",
            seen_version,
            f"the latest version of {protocol.id} ({protocol.version}): it changed since you "
            "opened this page; nothing was confirmed or saved, review the plan as it is now",
        )
    for detail in details:
        if detail not in protocol.details:
            raise InputError(
                "confirm_detail", detail, "a flagged detail of " + protocol.id
            )
        param = protocol.details[detail].get("parameter")
        value = values.get(f"param_{param}") if param else None
        try:
            protocol = confirm_detail(
                protocol, detail, by, protocols_dir(), value=value or None, note=note or None
            )
        except FileExistsError:
            raise InputError(
                "version",
                seen_version,
                f"the latest version of {protocol.id}: someone else confirmed a detail while "
                "you were confirming; review the plan and confirm again",
            ) from None
    return protocol


def latest_weight(record: Record | None) -> tuple[float | None, float | None, date | None]:
    """The latest weight [kg] and length [cm] of the record, and the weight's date."""
    if record is None:
        return None, None, None
    weighed = family_weight(record, date.max)  # the one "last weight" rule of every page
    lengths = sorted((g for g in record.growth if g.length_cm is not None), key=lambda g: g.day)
    return (
        weighed[0] if weighed else None,
        lengths[-1].length_cm if lengths else None,
        weighed[1] if weighed else None,
    )


def weights_of(record: Record | None) -> dict[date, float]:
    """Weights measured, by date (the plan warns when they differ from the planning weight)."""
    if record is None:
        return {}
    return {g.day: g.weight_kg for g in record.growth if g.weight_kg is not None}


def day7_review(
    patient: Patient, course: SavedCourse, record: Record | None
) -> dict[str, Any] | None:
    """The day-7 decision of a saved course: the diary's answer (with the days it rests on)
    and the plan re-made with that answer. None when the protocol has no day-7 decision."""
    try:
        decision = day7_decision_id(load(course.inputs))
    except InputError as exc:
        return {"problem": str(exc)}
    if decision is None:
        return None
    out: dict[str, Any] = {"decision": decision, "measure": None, "answer": None}
    treatment = record.treatment(course.group) if record is not None else None
    if record is not None and treatment is not None:
        from spasmcare.measures.response import spasms_continuing_day7

        result = spasms_continuing_day7(record, treatment)
        out["measure"] = result.to_dict()
        out["answer"] = result.value if isinstance(result.value, bool) else None
    out["saved_answer"] = course.inputs.decisions.get(decision)
    answer = out["answer"]
    try:
        out["plan"] = build_plan(patient, course.inputs.with_answer(decision, answer))
        out["plan_if_yes"] = (
            out["plan"]
            if answer is True
            else build_plan(patient, course.inputs.with_answer(decision, True))
        )
    except InputError as exc:
        out["problem"] = str(exc)
    return out


def steps_by_drug(plan: CoursePlan) -> list[tuple[str, list[Any]]]:
    """The plan's dose steps, drug by drug (see :func:`spasmcare.therapy.course_record`)."""
    return [(drug, dose_steps(plan, drug)) for drug in drugs(plan)]


def family_runs(
    family: dict[str, Any], pending: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """Consecutive days given the same way, as one row (the family's calendar).

    ``pending`` maps a date (ISO) to the drugs whose dose that day awaits the clinic (the
    plan's ``pending``); such days are still medicine days, never "no medicine", and
    consecutive ones with the same drugs make one row like any other run."""
    pending = pending or {}
    runs: list[dict[str, Any]] = []
    for day in family["days"]:
        doses = [
            (
                d["drug"],
                d.get("mg", d.get("units")),
                "mg" if "mg" in d else "units",
                d["volume_ml"],
                d["route"],
                family_product(d["product"]),
                d.get("measured_mg", d.get("measured_units")),
                d.get("grade", ""),
                d.get("concentration"),
            )
            for d in day["doses"]
        ]
        groups: dict[tuple[Any, ...], list[str]] = {}
        for key, d in zip(doses, day["doses"], strict=True):
            groups.setdefault(key, []).append(d["time"])
        content = tuple(sorted((k, tuple(v)) for k, v in groups.items()))
        notes = tuple(day["notes"])
        awaiting = tuple(pending.get(day["date"], ()))
        # a note about one day (a review, the last dose) keeps its day on a row of its own;
        # the "ask the clinic" note of days awaiting the clinic is the same every such day
        same_every_day = not notes or (
            bool(awaiting) and all(n.endswith(FAMILY_PENDING) for n in notes)
        )
        when = date.fromisoformat(day["date"])
        last = runs[-1] if runs else None
        if (
            last
            and last["content"] == content
            and last["notes"] == notes
            and last["pending"] == awaiting
            and same_every_day
            and last["to"] + timedelta(days=1) == when
        ):
            last["to"] = when
            last["days"] += 1
            continue
        runs.append(
            {
                "from": when,
                "to": when,
                "days": 1,
                "content": content,
                "notes": notes,
                "pending": awaiting,
                "other_notes": [n for n in notes if not n.endswith(FAMILY_PENDING)],
                "doses": [
                    {
                        "drug": k[0],
                        "amount": k[1],
                        "unit": k[2],
                        "ml": k[3],
                        "route": k[4],
                        "product": k[5],
                        # what the measured liquid holds, when the syringe mark differs
                        # from the dose (therapy.dosing.measurable_volume)
                        "gives": k[6] if k[6] is not None and k[6] != k[1] else None,
                        "grade": k[7],
                        "concentration": k[8],
                        "times": times,
                        # the family's words: "20 mg = 2 mL of 10 mg/mL at 08:00, 14:00"
                        "text": given_text(
                            k[6] if k[3] is not None and k[6] is not None else k[1],
                            "U" if k[2] == "units" else k[2],
                            k[3],
                            k[8],
                            times,
                        ),
                        "mark_note": mark_note(
                            k[1], "U" if k[2] == "units" else k[2], k[3], k[8]
                        ) if k[3] is not None and k[8] else "",
                        # the same numbers, for a page in the family's language
                        "given": {
                            "amount": k[6] if k[3] is not None and k[6] is not None else k[1],
                            "unit": "U" if k[2] == "units" else k[2],
                            "volume_ml": k[3],
                            "concentration": k[8],
                            "per_day": True,
                        },
                        "mark": {
                            "planned": k[1],
                            "unit": "U" if k[2] == "units" else k[2],
                            "planned_ml": round(k[1] / k[8], 3),
                            "volume_ml": k[3],
                        } if k[3] is not None and k[8] and mark_note(
                            k[1], "U" if k[2] == "units" else k[2], k[3], k[8]
                        ) else None,
                    }
                    for k, times in content
                ],
            }
        )
    return runs
