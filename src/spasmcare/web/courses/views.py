"""Drug-course planner: preview (any clinician), save (neurologist), monitoring ticks, and the
family's printable medicine and monitoring pages.

Every dose, date, decision, warning and monitoring item comes from :mod:`spasmcare.therapy`
(``plan_course``, ``table_rows``, ``course_record``); the day-7 answer from
:func:`spasmcare.measures.response.spasms_continuing_day7`. These views fetch rows, call the
domain, and render. Writes go through :mod:`spasmcare.web.clinic.audit`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from spasmcare.errors import InputError
from spasmcare.plain import day_text, words
from spasmcare.record import Record
from spasmcare.report.html import measure_text
from spasmcare.therapy import TO_BE_CONFIRMED, CoursePlan, Protocol, day7_decision_id, table_rows
from spasmcare.therapy.course_record import drugs, ended_item, record_treatment
from spasmcare.therapy.monitoring import family_checks
from spasmcare.therapy.protocol import all_versions, default_version
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit, records
from spasmcare.web.clinic.models import Entry, Kind, Patient
from spasmcare.web.courses import confirm as course_confirm
from spasmcare.web.courses import family_today
from spasmcare.web.courses import service as courses
from spasmcare.web.courses.forms import PlannerForm, TickForm
from spasmcare.web.courses.offer import planner_offer
from spasmcare.web.courses.service import SavedCourse

#: Short course-id prefixes of the drugs of the bundled protocols (others: first letters).
ID_PREFIX = {
    "prednisolone": "pred",
    "vigabatrin": "vgb",
    "tetracosactide depot": "tcs",
    "acth (acthar gel)": "acth",
}
PRINT_PAGES = ("medicines", "monitoring")




def _entries(patient: Patient) -> list[Entry]:
    """The patient's live treatments and monitoring checks (one query)."""
    return list(
        Entry.objects.filter(
            patient=patient,
            retracted_at__isnull=True,
            kind__in=[Kind.TREATMENT, Kind.MONITORING],
        ).select_related("updated_by")
    )


def _record(patient: Patient) -> tuple[Record | None, str | None]:
    try:
        return records.load_record(patient), None
    except InputError as exc:
        return None, str(exc)


class Planner:
    """Everything the planner page shows for one request (GET preview or POST save)."""

    def __init__(self, request: HttpRequest, data: QueryDict) -> None:
        self.request = request
        self.patient = _patient(request)
        self.today = records.today()
        self.entries = _entries(self.patient)
        self.saved = courses.saved_courses(self.entries)
        self.record, self.record_problem = _record(self.patient)
        self.problem: str | None = None
        self.protocols: list[Protocol] = []
        self.versions: dict[str, dict[int, Protocol]] = {}
        try:
            self.versions = all_versions(courses.protocols_dir())
            self.protocols = [v[default_version(v)] for _, v in sorted(self.versions.items())]
        except InputError as exc:
            self.problem = str(exc)
        # care pathway (issue 23): second-line protocols only after a recorded failure
        self.offer = planner_offer(self.protocols, self.record)
        self.protocols = sorted(self.offer.first_line + self.offer.second_line, key=lambda p: p.id)
        self.course = self._course(data.get("course", ""))
        self.protocol = self._protocol(data)
        self.form: PlannerForm | None = None
        self.plan: CoursePlan | None = None
        if self.protocol is not None:
            self.form = self._form(data)
            self.plan = self._plan()

    # --- inputs
    def _course(self, group: str) -> SavedCourse | None:
        if not group:
            return None
        found = next((c for c in self.saved if c.group == group), None)
        if found is None:
            raise Http404("no such saved course")
        return found

    def _protocol(self, data: QueryDict) -> Protocol | None:
        pid = data.get("protocol") or (self.course.inputs.protocol if self.course else "")
        if not pid:
            return None
        if pid not in self.versions:
            self.problem = (
                f"protocol {pid!r} is not accepted: one of {', '.join(sorted(self.versions))}"
            )
            return None
        if pid not in self.offer.ids and not (self.course and self.course.inputs.protocol == pid):
            self.problem = f"{pid!r} is not offered: {self.offer.reason}"  # issue 23
            return None
        by_version = self.versions[pid]
        wanted = data.get("version", "")
        if data.get("for_protocol", pid) != pid:
            wanted = ""  # the protocol was changed on the form: its version field was another's
        if wanted.isdigit() and int(wanted) in by_version:
            return by_version[int(wanted)]
        if self.course and self.course.inputs.protocol == pid:
            if self.course.inputs.version in by_version:
                return by_version[self.course.inputs.version]
        return by_version[default_version(by_version)]

    def _form(self, data: QueryDict) -> PlannerForm:
        assert self.protocol is not None
        weight, length, _ = courses.latest_weight(self.record)
        same = self.course
        if same is not None and same.inputs.protocol != self.protocol.id:
            same = None
        values = PlannerForm.initial_for(
            self.protocol, same.inputs if same else None, weight, length, self.today
        )
        names = set(values) | {"course", "versions", "weight_kg", "length_cm"}
        names |= {f"product_{i}" for i in range(len(self.protocol.courses))}
        for key in data:
            if key in names and key not in ("protocol", "version"):
                values[key] = data.get(key, "")
        values["protocol"] = self.protocol.id
        values["version"] = str(self.protocol.version)
        values["course"] = self.course.group if self.course else ""
        values["versions"] = data.get("versions") or (
            records.versions_text(self.course.entries) if self.course else ""
        )
        listed = self.protocols  # a saved course's protocol stays choosable (issue 23)
        if self.protocol.id not in {p.id for p in listed}:
            listed = [*listed, self.protocol]
        return PlannerForm(
            values,
            listed,
            self.protocol,
            sorted(self.versions[self.protocol.id]),
        )

    def _plan(self) -> CoursePlan | None:
        assert self.form is not None
        if not self.form.is_valid():
            return None
        try:
            return courses.build_plan(
                self.patient, self.form.inputs(), courses.weights_of(self.record)
            )
        except InputError as exc:
            self.form.show_error(exc)
            return None

    # --- what the page shows
    def context(self) -> dict[str, Any]:
        ctx: dict[str, Any] = {
            "patient": self.patient,
            "today": self.today,
            "saved": self.saved,
            "other_treatments": [
                e for e in self.entries
                if e.kind == Kind.TREATMENT and "planner" not in (e.extra or {})
            ],
            "protocols": self.protocols,
            "protocol": self.protocol,
            "course": self.course,
            "form": self.form,
            "plan": self.plan,
            "problem": self.problem,
            "record_problem": self.record_problem,
            "to_be_confirmed": TO_BE_CONFIRMED,
            "offer": self.offer,  # care pathway (issue 23)
        }
        weight, _, weighed = courses.latest_weight(self.record)
        if weight is not None:
            ctx["weight_from"] = (weight, weighed)
        if self.plan is not None and self.protocol is not None:
            ctx.update(_plan_context(self.plan, _phase_sources(self.protocol)))
            ctx["day7"] = self._day7()
            ctx["can_save"], ctx["save_blocked"] = self._save_state()
            ctx["confirmable"] = course_confirm.confirmable(self.plan, self.protocol)
        if self.course is not None:
            ctx.update(self._saved_context(self.course))
        return ctx

    def _save_state(self) -> tuple[bool, str]:
        assert self.plan is not None
        pending = _pending_text(self.plan)
        if pending:
            return False, pending
        if self.plan.start > self.today:
            return False, (
                f"The course starts on {day_text(self.plan.start)}, after today: the record "
                "keeps courses that have begun, so save it on or after its first day."
            )
        return True, ""

    def _day7(self) -> dict[str, Any] | None:
        assert self.plan is not None and self.protocol is not None and self.form is not None
        try:
            decision = day7_decision_id(self.protocol)
        except InputError as exc:
            return {"problem": str(exc)}
        if decision is None:
            return None
        point = next(p for p in self.plan.decision_points if p.id == decision)
        out: dict[str, Any] = {"decision": decision, "point": point}
        if point.planned_as is not True:
            inputs = self.form.inputs().with_answer(decision, True)
            try:
                plan = courses.build_plan(self.patient, inputs)
                out["if_yes"] = _steps_after(plan, point.day, _phase_sources(self.protocol))
            except InputError as exc:
                out["problem"] = str(exc)
        return out

    def _saved_context(self, course: SavedCourse) -> dict[str, Any]:
        plans = courses.saved_plans(self.patient, self.saved)
        saved_plan = plans.get(course.group)
        ctx: dict[str, Any] = {"saved_plan_problem": None, "checklist": []}
        if not isinstance(saved_plan, CoursePlan):
            ctx["saved_plan_problem"] = saved_plan
            return ctx
        ctx["checklist"] = courses.checklist(
            course, saved_plan, courses.ticks(self.entries), self.today
        )
        review = courses.day7_review(self.patient, course, self.record)
        if review is not None and review.get("plan") is not None:
            point = next(
                (p for p in review["plan"].decision_points if p.id == review["decision"]), None
            )
            review["point"] = point
            day = point.day if point else 7
            sources = _phase_sources(courses.load(course.inputs))
            review["steps"] = _steps_after(review["plan"], day, sources)
            if review["answer"] is not True:
                review["steps_if_yes"] = _steps_after(review["plan_if_yes"], day, sources)
            if review["measure"]:
                review["text"] = measure_text(review["measure"])
            if isinstance(review["answer"], bool):
                query = QueryDict(mutable=True)
                query.update(
                    {
                        "course": course.group,
                        f"decision_{review['decision']}": "yes" if review["answer"] else "no",
                    }
                )
                review["use_answer"] = f"?{query.urlencode()}#plan"
        ctx["review"] = review
        ctx["recorded_up_to"] = _record_lag(course, saved_plan, self.today)
        return ctx


def _phase_sources(protocol: Protocol) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for course in protocol.courses:
        for phase in course["phases"]:
            key = (str(course["drug"]), str(phase["name"]))
            out.setdefault(key, [])
            out[key] += [s for s in phase.get("sources", []) if s not in out[key]]
    return out


def _pending_text(plan: CoursePlan) -> str:
    """Which days await the clinic, in words (empty when none)."""
    spans: dict[tuple[str, str], list[int]] = {}
    for day in plan.days:
        for p in day.pending:
            spans.setdefault((p.drug, p.detail), []).append(day.day)
    if not spans:
        return ""
    parts = [
        f"{drug} on days {min(d)}-{max(d)} ({detail})" for (drug, detail), d in spans.items()
    ]
    return (
        "The dose of " + "; ".join(parts) + f" is {TO_BE_CONFIRMED}: a course is saved only when "
        "every dose is known. A neurologist confirms the detail here (below) or on the protocol "
        "details page, or plans other options."
    )


def _steps_after(
    plan: CoursePlan, day: int, sources: dict[tuple[str, str], list[str]]
) -> list[dict[str, Any]]:
    """The dose steps that run after course day ``day`` (0: all), and the runs of days whose
    dose awaits the clinic, in date order, each with the sources of its protocol phase."""
    after = plan.start + timedelta(days=day)
    rows: list[dict[str, Any]] = []
    for drug, steps in courses.steps_by_drug(plan):
        for s in steps:
            if s.last >= after:
                rows.append(
                    {"drug": drug, "from": s.first, "to": s.last, "step": s, "detail": None,
                     "phase": s.phase}
                )
    open_runs: dict[tuple[str, str, str], dict[str, Any]] = {}
    for d in plan.days:
        if d.date < after:
            continue
        for p in d.pending:
            key = (p.drug, p.detail, p.phase)
            run = open_runs.get(key)
            if run is not None and run["to"] + timedelta(days=1) == d.date:
                run["to"] = d.date
                continue
            run = {"drug": p.drug, "from": d.date, "to": d.date, "step": None,
                   "detail": p.detail, "phase": p.phase}
            open_runs[key] = run
            rows.append(run)
    for row in rows:
        row["days"] = (row["to"] - row["from"]).days + 1
        row["sources"] = sources.get((row["drug"], row["phase"]), [])
    rows.sort(key=lambda r: (r["from"], r["drug"]))
    return rows


def _plan_context(
    plan: CoursePlan, sources: dict[tuple[str, str], list[str]]
) -> dict[str, Any]:
    rows = [
        {**row, "pending": TO_BE_CONFIRMED in row["dose"]}
        for row in table_rows(plan, family=False, grouped=True)
    ]
    return {
        "rows": rows,
        "glance": _steps_after(plan, 0, sources),
        "advice": plan.visible_advice(family=False),
        "monitoring": plan.monitoring,
    }


def _record_lag(course: SavedCourse, plan: CoursePlan, today: date) -> list[str]:
    """Courses whose saved record item is not the whole plan (saved before a course kept its
    whole plan: its later dose changes, taper or stop are missing)."""
    lag = []
    for entry in course.entries:
        drug = str(entry.data["drug"])
        try:
            item = record_treatment(plan, drug, str(entry.data["id"]))
        except InputError:
            continue
        if item is not None and (
            _dose_changes(item) != _dose_changes(entry.data)
            or item.get("stop") != entry.data.get("stop")
        ):
            lag.append(str(entry.data["id"]))
    return lag


def _dose_changes(item: dict[str, Any]) -> list[tuple[str, float, str]]:
    """(start, amount, unit) of each dose change of a record treatment item: what was given
    and from when. A note (the plan's phase name, or one written by hand) is not a change."""
    return [
        (str(d.get("start")), float(d.get("amount") or 0), str(d.get("unit")))
        for d in item.get("doses") or []
    ]


def planner(request: HttpRequest, pid: int) -> HttpResponse:
    """The planner: GET parameters preview a plan (nothing is saved)."""
    state = Planner(request, request.GET)
    return render(request, "web/course/planner.html", state.context())


def _new_id(drug: str, taken: set[str]) -> str:
    prefix = ID_PREFIX.get(drug.lower()) or "".join(ch for ch in drug.lower() if ch.isalnum())[:4]
    n = 1
    while f"{prefix or 'course'}{n}" in taken:
        n += 1
    new = f"{prefix or 'course'}{n}"
    taken.add(new)
    return new


def _write(
    state: Planner,
    plan: CoursePlan,
    versions: dict[int, int],
    ended: list[tuple[str, str, date]],
) -> str:
    """Create or update the course's treatment entries (one transaction); return its course
    id. A drug the new plan drops is retracted, unless doses of it were given: then its
    treatment is ended (appended to ``ended`` as drug, treatment id, last day)."""
    assert state.form is not None
    patient, user, today = state.patient, _user(state.request), state.today
    inputs = state.form.inputs().to_dict()
    course = state.course
    taken = {
        str(i)
        for i in Entry.objects.filter(patient=patient, kind=Kind.TREATMENT).values_list(
            "data__id", flat=True
        )
    }
    names = drugs(plan)
    with transaction.atomic():
        mine = course.entries if course else []
        existing = {str(e.extra["planner"].get("drug")): e for e in mine}
        ids = {
            drug: str(existing[drug].data["id"]) if drug in existing else _new_id(drug, taken)
            for drug in names
        }
        group = course.group if course and course.group in ids.values() else ids[names[0]]
        first_day = {drug: _first_day(plan, drug) for drug in names}
        for drug in names:
            continues = group if ids[drug] != group and first_day[drug] > plan.start else None
            # the whole plan of a drug that has begun: every dose change, the taper and the stop
            # (planned dates may be ahead of today); a drug that starts after today is added
            # when the course is saved on or after its first day (a record course has begun)
            if first_day[drug] > today:
                continue
            item = record_treatment(plan, drug, ids[drug], continues=continues)
            if item is None:
                continue
            extra = {"planner": inputs | {"drug": drug, "group": group}}
            if drug in existing:
                entry = existing[drug]
                audit.update_entry(entry, versions.get(entry.pk, 0), item, user, extra=extra)
            else:
                audit.create_entry(patient, Kind.TREATMENT, item, user, extra=extra)
        dropped = {drug: e for drug, e in existing.items() if drug not in names}
        kept = courses.ended_by_replan(patient, list(dropped.values()))
        for drug, entry in dropped.items():
            tid = str(entry.data["id"])
            if tid in kept:
                # doses of it were given (ticked, or an adverse event names it): the course
                # ended, it did not vanish; it leaves the planner's course, ended
                item = ended_item(entry.data, plan.start, kept[tid])
                extra = courses.detached(entry.extra, group, plan.protocol_id)
                audit.update_entry(entry, versions.get(entry.pk, 0), item, user, extra=extra)
                ended.append((drug, tid, date.fromisoformat(item["stop"])))
        for drug, entry in dropped.items():
            if str(entry.data["id"]) not in kept:
                audit.retract_entry(
                    entry,
                    versions.get(entry.pk, 0),
                    f"re-planned as course {group} with protocol {plan.protocol_id}, which has "
                    f"no {drug}",
                    user,
                )
    return group


def _first_day(plan: CoursePlan, drug: str) -> date:
    for day in plan.days:
        if any(d.drug == drug for d in day.doses) or any(p.drug == drug for p in day.pending):
            return day.date
    return plan.start


@require_POST
def save(request: HttpRequest, pid: int) -> HttpResponse:
    """Save the planned course (neurologist): new treatment entries, or an update of the
    course being edited, refused when someone saved it since the form was opened. Details
    ticked on the form are confirmed first (as on the protocol details page), so a plan is
    finished on one page."""
    state = Planner(request, course_confirm.confirm_first(request))
    form, plan = state.form, state.plan
    if form is not None and plan is not None:
        can, why = state._save_state()
        if not can:
            form.add_error(None, why)
        else:
            ended: list[tuple[str, str, date]] = []
            try:
                group = _write(
                    state, plan, records.parse_versions(form.cleaned_data["versions"]), ended
                )
            except InputError as exc:
                form.show_error(exc)
            except audit.StaleEdit as exc:
                form.add_error(None, str(exc))
            else:
                verb = "updated" if state.course else "saved"
                messages.success(
                    request, f"Course {group} {verb}; every earlier version is kept in the history."
                )
                for drug, tid, last in ended:
                    messages.info(
                        request,
                        f"{drug.capitalize()} ({tid}) ended on {day_text(last)}: doses of it were "
                        "given, so it stays in the record (no longer part of this course).",
                    )
                url = reverse("course_planner", args=[pid])
                return redirect(f"{url}?course={group}")
    elif state.protocol is None:
        messages.error(request, state.problem or "Choose a protocol first.")
        return redirect("course_planner", pid=pid)
    return render(request, "web/course/planner.html", state.context())


@require_POST
def monitoring_tick(request: HttpRequest, pid: int) -> HttpResponse:
    """Record a monitoring check as done (a ``monitoring`` entry, through the audit trail)."""
    patient = _patient(request)
    form = TickForm(request.POST)
    url = reverse("course_planner", args=[pid])
    if not form.is_valid():
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, f"Not recorded: {problems}")
        return redirect(url)
    c = form.cleaned_data
    entries = _entries(patient)
    course = next((s for s in courses.saved_courses(entries) if s.group == c["treatment"]), None)
    if course is None:
        messages.error(request, "Not recorded: that course is not a saved course of this child.")
        return redirect(url)
    back = f"{url}?course={course.group}#monitoring"
    plan = courses.saved_plans(patient, courses.saved_courses(entries)).get(course.group)
    today = records.today()
    rows = courses.checklist(course, plan, courses.ticks(entries), today) if isinstance(
        plan, CoursePlan
    ) else []
    row = next(
        (r for r in rows if r["key"] == c["item"] and r["item"].date == c["due"]), None
    )
    if row is None or not row["item"].confirmed:
        messages.error(
            request,
            f"Not recorded: {words(c['item'])!r} due {day_text(c['due'])} is not a confirmed "
            f"check of the course {course.name}.",
        )
    elif row["tick"] is not None:
        messages.warning(request, f"{row['item'].what} was already ticked.")
    elif c["done"] > today:
        messages.error(
            request,
            f"Not recorded: done on {day_text(c['done'])} is not accepted: a date on or "
            f"before today ({day_text(today)}).",
        )
    else:
        data: dict[str, Any] = {
            "treatment": course.group,
            "item": row["key"],
            "due": row["item"].date.isoformat(),
            "done": c["done"].isoformat(),
        }
        if c.get("value"):
            data["value"] = c["value"]
        audit.create_entry(
            patient, Kind.MONITORING, data, _user(request),
            extra={"what": row["item"].what, "by": _user(request).get_username()},
        )
        messages.success(request, f"{row['item'].what}: done on {day_text(c['done'])}.")
    return redirect(back)


# --- printable family pages --------------------------------------------------------------


def printable(request: HttpRequest, patient: Patient, page: str) -> HttpResponse:
    """The family's printable ``medicines`` or ``monitoring`` page of a saved course (the one
    named by ``?course=``, else the latest). Only family-visible content: nothing the clinic
    has not confirmed."""
    if page not in PRINT_PAGES:
        raise Http404("no such page")
    entries = _entries(patient)
    saved = courses.saved_courses(entries)
    wanted = request.GET.get("course", "")
    course = next((c for c in saved if c.group == wanted), None) if wanted else (
        saved[-1] if saved else None
    )
    if wanted and course is None:
        raise Http404("no such course")
    ctx: dict[str, Any] = {"patient": patient, "course": course, "page": page}
    if course is None and page == "medicines":
        # no course planned here: the record's doses in force, as the family gives them
        ctx["record_doses"] = family_today.record_doses_today(patient, records.today())
    if course is not None:
        plan = courses.saved_plans(patient, saved).get(course.group)
        if isinstance(plan, CoursePlan):
            family = plan.to_dict(family=True)
            ctx["family"] = family
            ctx["plan"] = plan
            awaiting = {
                d.date.isoformat(): sorted({p.drug for p in d.pending})
                for d in plan.days
                if d.pending
            }
            ctx["runs"] = courses.family_runs(family, awaiting)
            today = records.today()
            if plan.end < today:
                # the plan ended but the record keeps a drug of it going (no stop, or a later
                # one): this sheet is not today's dose
                ctx["still_given"] = [
                    str(e.data["drug"])
                    for e in course.entries
                    if not e.data.get("stop") or str(e.data["stop"]) >= today.isoformat()
                ]
                ids = {str(e.data["id"]) for e in course.entries}
                ctx["record_doses"] = [
                    o for o in family_today.record_doses_today(patient, today)
                    if o["treatment"].id in ids
                ]
            ctx["advice"] = plan.visible_advice(family=True)
            done = courses.ticks(entries)
            ctx["checks"] = [
                {
                    "item": c,
                    "tick": done.get((course.group, courses.item_key(c.what), c.date.isoformat()))
                    if c.date is not None
                    else None,
                }
                for c in family_checks(plan.monitoring)
            ]
        else:
            ctx["problem"] = gettext("The course plan cannot be shown; please ask the clinic.")
    return render(request, f"web/course/print_{page}.html", ctx)
