"""Clinic pages about patients: list with alerts, dashboard, entries, history, import/export.

Every number shown comes from the domain (``spasmcare.report.build_report``,
``spasmcare.measures.alerts``); these views fetch rows, call it, and render.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from spasmcare.errors import InputError
from spasmcare.record.plausibility import record_warnings
from spasmcare.report import build_report, render_html
from spasmcare.report.charts import growth_svg, timeline_svg
from spasmcare.report.html import measure_text
from spasmcare.web.accounts.access import (
    CORRECT,
    CREATE,
    RETRACT,
    check_write,
    may_write,
    visible_patients,
)
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.accounts.models import Invitation
from spasmcare.web.accounts.views import token_hash
from spasmcare.web.base.qr import qr_svg
from spasmcare.web.clinic import audit, computed, pdfs, records
from spasmcare.web.clinic import clinic_settings as clinic
from spasmcare.web.clinic.forms import (
    ENTRY_FORMS,
    ImportForm,
    InvitationForm,
    PatientForm,
    RetractForm,
    show_error,
)
from spasmcare.web.clinic.models import (
    KIND_LABELS,
    Entry,
    Kind,
    Patient,
    Revision,
    User,
)
from spasmcare.web.clinic.uploads import json_upload
from spasmcare.web.courses import service as courses
from spasmcare.web.keto import diet_checks
from spasmcare.web.patients import development as development_panel
from spasmcare.web.patients import pathway_panel, summaries
from spasmcare.web.patients.entry_tables import entry_tables
from spasmcare.web.patients.measure_rows import measure_rows
from spasmcare.web.templatetags.clinic import item_names

DASHBOARD_KINDS = (
    Kind.TREATMENT,
    Kind.DIET,
    Kind.EEG,
    Kind.GROWTH,
    Kind.LAB,
    Kind.VITALS,
    Kind.ADVERSE,
    Kind.SIDE_EFFECT,  # issue 24
)
#: Days of doses ticked as given shown on the dashboard (today and the days before).
DOSE_DAYS = 7
#: Latest entries of each kind on the dashboard (all with ``?entries=all``).
DASHBOARD_ROWS = 8
CHARTS = {"timeline": timeline_svg, "growth": growth_svg}
#: Record fields the edit forms do not show (``docs/RECORD_FORMAT.md``): an edit keeps them as
#: they were instead of silently dropping them (a diary video, a diet's achieved ratios).
NOT_ON_FORM: dict[str, tuple[str, ...]] = {
    Kind.DIARY: ("video",),
    Kind.DIET: ("achieved", "note"),
}


def _keep_unshown(kind: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``new`` (what the form gave) with the stored fields the form does not show."""
    out = dict(new)
    for name in NOT_ON_FORM.get(kind, ()):
        if name in old and name not in out:
            out[name] = old[name]
    kramer = old.get("kramer")
    if kind == Kind.EEG and isinstance(kramer, dict):
        items = (out.get("kramer") or {}).get("items", {})
        if items == kramer.get("items", {}):
            out["kramer"] = kramer  # scores unchanged: keep the stated total and the variants
        elif kramer.get("variants"):
            out["kramer"] = {"items": items, "variants": kramer["variants"]}
    return out


#: Orders of the patient list (``?sort=``): most urgent alerts first by default.
LIST_SORTS = {"alerts": "most urgent first", "name": "name", "born": "youngest first"}


def patient_list(request: HttpRequest) -> HttpResponse:
    """The patient list with a search (name or record id), a filter (only patients with an
    alert) and an order."""
    found = visible_patients(_user(request)).select_related("team")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        found = found.filter(Q(name__icontains=query) | Q(record_id__icontains=query))
    settings_now = clinic.current()  # read once: the summaries and the banner both use it
    rows = summaries.patient_rows(list(found), settings_now)
    only_alerts = request.GET.get("alerts") == "1"
    if only_alerts:
        rows = [r for r in rows if r["alerts"] or r["problem"] or summaries.overdue(r)]
    sort = request.GET.get("sort", "alerts")
    if sort == "name":
        rows.sort(key=lambda r: r["patient"].name.lower())
    elif sort == "born":
        rows.sort(key=lambda r: r["patient"].birth_date, reverse=True)
    else:
        sort = "alerts"
    return render(
        request,
        "web/patient_list.html",
        {
            "rows": rows,
            "today": records.today(),
            "clinic_missing": clinic.missing(settings_now),
            "q": query,
            "only_alerts": only_alerts,
            "sort": sort,
            "sorts": LIST_SORTS,
        },
    )


def _teams(user: User) -> Any:
    return user.teams.all()


def patient_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    teams = list(_teams(user))
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = next((t for t in teams if str(t.pk) == request.POST.get("team")), None)
        if team is None:
            form.add_error(None, "Choose one of your care teams.")
        else:
            try:
                patient = audit.create_patient(form.fields_dict(), team, user)
            except InputError as exc:
                show_error(form, exc)
            else:
                messages.success(request, f"{patient.name} added.")
                return redirect("patient_dashboard", pid=patient.pk)
    return render(request, "web/patient_form.html", {"form": form, "teams": teams, "new": True})


def patient_edit(request: HttpRequest, pid: int) -> HttpResponse:
    patient = _patient(request)
    form = PatientForm(request.POST or None, initial=PatientForm.initial_for(patient))
    if request.method == "POST" and form.is_valid():
        try:
            audit.update_patient(
                patient, form.cleaned_data["version"] or 0, form.fields_dict(), _user(request)
            )
        except InputError as exc:
            show_error(form, exc)
        except audit.StaleEdit as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("patient_dashboard", pid=pid)
    return render(request, "web/patient_form.html", {"form": form, "patient": patient})


def _report(patient: Patient, settings_now: clinic.Clinic | None = None) -> dict[str, Any]:
    """The report, with the status the patient list stored (the same alerts, doses in force
    and checks due: :func:`spasmcare.measures.status.patient_status`), recomputed when that
    status changes (a new day, the clinic's limits, a confirmation) as well as the record."""
    status = summaries.status_for(patient, settings_now)
    return records.cached(
        patient,
        "report",
        lambda: build_report(records.load_record(patient), status=status),
        stamp=_status_stamp(patient, status),
    )


def _status_stamp(patient: Patient, status: dict[str, Any] | None) -> str:
    """What a view of the report depends on: the record (:func:`computed.data_stamp`) and the
    patient's status today (a new day, the clinic's limits, a confirmation change it)."""
    digest = hashlib.sha256(json.dumps(status, sort_keys=True, default=str).encode())
    return computed.data_stamp(patient, records.today()) + ":" + digest.hexdigest()[:16]


def dashboard(request: HttpRequest, pid: int) -> HttpResponse:
    patient = _patient(request)
    settings_now = clinic.current()  # read once: the status and the banner both use it
    try:
        report = _report(patient, settings_now)
    except InputError as exc:
        return render(request, "web/record_problem.html", {"patient": patient, "error": exc})
    first_dose_day = records.today() - timedelta(days=DOSE_DAYS - 1)
    # the patient in each branch of the OR, so SQLite finds every branch in an index on
    # (patient, kind, ...); with the patient outside the OR it read every entry of the patient
    # to test the kinds, a cost that grew with the diary (issue 21)
    found = list(
        Entry.objects.filter(
            Q(patient=patient, kind__in=DASHBOARD_KINDS)
            | Q(
                patient=patient,
                kind=Kind.DOSE_GIVEN,
                day__gte=first_dose_day,
                retracted_at__isnull=True,
            )
            | Q(patient=patient, kind__in=pathway_panel.KINDS, retracted_at__isnull=True)
        )
        .select_related("updated_by", "created_by")
        .order_by("-day", "-id")
    )
    pathway_parts = [e for e in found if e.kind in pathway_panel.KINDS]  # care pathway
    found = [e for e in found if e.kind not in pathway_panel.KINDS]
    entries = [e for e in found if e.kind != Kind.DOSE_GIVEN]
    ticks = [e for e in found if e.kind == Kind.DOSE_GIVEN]
    show_all = request.GET.get("entries") == "all"
    saved = courses.saved_decision_points(
        patient, [e for e in entries if e.kind == Kind.TREATMENT]
    )
    day7_answer = next(
        (p for p in saved if p.get("answer") is not None and p.get("day") == 7), None
    )
    measures = [
        m | {"text": _measure_words(m, day7_answer)}
        for m in report["measures"].values()
        if m["status"] != "not assessable" or m["key"] in summaries.HEADLINE_MEASURES
    ]
    context = {
        "patient": patient,
        "report": report,
        "measures": measures,
        # the measures' rows, rendered again only when what they show changes
        "measure_rows": measure_rows(measures),
        # the same status the patient list and the report read (alerts, doses in force)
        "alerts": report["alerts"],
        "status": report["status"],
        "clinic_missing": clinic.missing(settings_now),
        # the answer saved with the course, as the printout and the planner show it
        "saved_decisions": saved,
        # a recorded day-7 answer wins over the diary measure (which says what it rests on)
        "day7_answer": day7_answer,
        # the tables of entries, rendered again only when a row they show changes
        "entry_tables": entry_tables(
            request, patient, entries, DASHBOARD_KINDS, DASHBOARD_ROWS, show_all
        ),
        "show_all": show_all,
        "rows_shown": DASHBOARD_ROWS,
        "entry_base": f"/patients/{patient.pk}/entries/",
        "entry_forms": [(k, KIND_LABELS[k]) for k in ENTRY_FORMS],
        "recent_diary": Entry.objects.filter(
            patient=patient, kind=Kind.DIARY, retracted_at__isnull=True
        ).order_by("-day", "-id")[:10],
        "doses_given": _doses_given(ticks, _user(request)),
        # issue 25: the development panel (WHO windows, milestones, scores, other seizures)
        "development": development_panel.panel(patient, report, _user(request)),
        "dose_days": DOSE_DAYS,
        "version": patient.data_version,
        # issue 24: the diet's monitoring checks due or overdue
        "diet_checks": diet_checks.open_diet_checks(patient),
        "set_aside": records.set_aside(patient),
        # values outside their soft range, the diary's too (spasms in a cluster, on a day):
        # computed again for each data version, in this process only (cheaper than the shared
        # table's read and write, which the report and charts are worth)
        "warnings": computed.memo(
            ("warnings", patient.pk, computed.data_stamp(patient, records.today())),
            lambda: record_warnings(records.load_record(patient)),
        ),
        "pathway": pathway_panel.panel(patient, pathway_parts),  # care pathway (issue 23)
    }
    return render(request, "web/dashboard.html", context)


def _measure_words(m: dict[str, Any], day7_answer: dict[str, Any] | None) -> str:
    """The result of a measure in words; the day-7 measure beside an answer saved with the
    course says that the answer decides and what the diary measure rests on."""
    text = measure_text(m)
    if m["key"] == "spasms_continuing_day7" and day7_answer is not None:
        answer = "yes" if day7_answer["answer"] else "no"
        source = "not assessable from the diary" if m["status"] == "not assessable" else text
        return f"answered {answer} in the saved course (diary measure: {source})"
    return text


def _doses_given(ticks: list[Entry], user: User) -> list[dict[str, Any]]:
    """The doses ticked as given (or not given) in ``ticks`` (live ticks: of the last
    :data:`DOSE_DAYS` days, or of a course about to be retracted), newest first, as the family
    or the ward ticked them, with who ticked and whether ``user`` may retract the tick."""
    rows = []
    for e in ticks:
        by = e.created_by
        rows.append(
            {
                "entry": e,
                "day": e.day,
                "time": e.data.get("time") or "",
                "drug": e.data.get("drug") or e.data.get("treatment"),
                "dose": e.data.get("dose") or "",
                "given": bool(e.data.get("given")),
                "note": e.data.get("note") or "",
                "by": (
                    "imported"
                    if by is None
                    else (by.relationship or by.get_username())
                    + (f" ({by.get_role_display().lower()})" if by.role != "family" else "")
                ),
                "can_retract": may_write(user, RETRACT, Kind.DOSE_GIVEN, e.created_by_id),
            }
        )
    rows.sort(key=lambda r: (r["day"], r["time"]), reverse=True)
    return rows


def chart(request: HttpRequest, pid: int, name: str) -> HttpResponse:
    patient = _patient(request)
    if name not in CHARTS:
        raise Http404("no such chart")
    try:
        image = records.cached(patient, f"svg-{name}", lambda: CHARTS[name](_report(patient)))
    except InputError:
        raise Http404("the record cannot be read: see the dashboard") from None
    response = HttpResponse(image, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


def report(request: HttpRequest, pid: int) -> HttpResponse:
    patient = _patient(request)
    try:
        found = _report(patient)
        stamp = _status_stamp(patient, found["status"])
        html = records.cached(patient, "report-html", lambda: render_html(found), stamp=stamp)
    except InputError as exc:
        return render(request, "web/record_problem.html", {"patient": patient, "error": exc})
    return HttpResponse(html)


def report_pdf(request: HttpRequest, pid: int) -> HttpResponse:
    """The report as a PDF: the HTML of :func:`report`, laid out once per version of that
    HTML and day (:mod:`spasmcare.web.clinic.pdfs`); a record that cannot be read is shown as
    the page saying why."""
    patient = _patient(request)
    try:
        found = _report(patient)
        stamp = _status_stamp(patient, found["status"])
        html = records.cached(patient, "report-html", lambda: render_html(found), stamp=stamp)
    except InputError as exc:
        return render(request, "web/record_problem.html", {"patient": patient, "error": exc})
    return pdfs.pdf_response(patient, "report", html, f"{patient.record_id}.report.pdf")


def report_json(request: HttpRequest, pid: int) -> HttpResponse:
    """The report as JSON (``spasmcare report --json``'s document), with the same status as
    the dashboard and the patient list."""
    patient = _patient(request)
    try:
        found = _report(patient)
    except InputError as exc:
        return render(request, "web/record_problem.html", {"patient": patient, "error": exc})
    body = json.dumps(found, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{patient.record_id}.report.json"'
    return response


def record_export(request: HttpRequest, pid: int) -> HttpResponse:
    patient = _patient(request)
    body = json.dumps(records.export_dict(patient), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{patient.record_id}.json"'
    return response


def record_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["team"].queryset = _teams(user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = json_upload(upload, "a record file")
            patient = audit.import_record(
                data, form.cleaned_data["team"], user, prepare=summaries.compute_one
            )
        except InputError as exc:
            form.add_error("file", f"{exc.field}: {exc.value!r} is not accepted; {exc.accepted}")
        else:
            messages.success(request, f"Imported {patient.name}: nothing else was changed.")
            return redirect("patient_dashboard", pid=patient.pk)
    return render(request, "web/record_import.html", {"form": form})


def _entry(patient: Patient, eid: int) -> Entry:
    return get_object_or_404(Entry, pk=eid, patient=patient)


def entry_add(request: HttpRequest, pid: int, kind: str) -> HttpResponse:
    patient = _patient(request)
    if kind not in ENTRY_FORMS:
        raise Http404("no such entry kind")
    check_write(_user(request), CREATE, kind)
    # a new entry is most often about today: date fields start there
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    start = {"date": now.date(), "at": now}
    form = ENTRY_FORMS[kind](request.POST or None, initial=start)
    if request.method == "POST" and form.is_valid():
        try:
            item = form.to_item()
            audit.create_entry(patient, kind, item, _user(request))
        except InputError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"{KIND_LABELS[kind]} saved.")
            for text in records.item_warnings(patient, kind, item):
                messages.warning(request, text)
            return redirect("patient_dashboard", pid=pid)
    return render(
        request,
        "web/entry_form.html",
        {"form": form, "patient": patient, "title": f"Add: {KIND_LABELS[kind]}"},
    )


def entry_edit(request: HttpRequest, pid: int, eid: int) -> HttpResponse:
    patient = _patient(request)
    entry = _entry(patient, eid)
    if not entry.retracted_at and (part := development_panel.edit_part(entry)):  # issue 25
        return redirect(reverse("development_add", args=[pid, part]) + f"?entry={entry.pk}")
    if entry.kind not in ENTRY_FORMS or entry.retracted_at:
        messages.warning(request, "This entry is edited elsewhere or has been retracted.")
        return redirect("entry_history", pid=pid, eid=eid)
    check_write(_user(request), CORRECT, entry.kind, entry)
    cls = ENTRY_FORMS[entry.kind]
    initial = cls.initial_for(entry.data) | {"version": entry.version}
    form = cls(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = _keep_unshown(entry.kind, entry.data, form.to_item())
            audit.update_entry(entry, form.cleaned_data["version"] or 0, item, _user(request))
        except InputError as exc:
            show_error(form, exc)
        except audit.StaleEdit as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved; the previous version is kept in the history.")
            for text in records.item_warnings(patient, entry.kind, item):
                messages.warning(request, text)
            return redirect("patient_dashboard", pid=pid)
    return render(
        request,
        "web/entry_form.html",
        {
            "form": form,
            "patient": patient,
            "entry": entry,
            "title": f"Edit: {entry.get_kind_display()}",
        },
    )


def entry_retract(request: HttpRequest, pid: int, eid: int) -> HttpResponse:
    """Retract an entry (kept in the history with the reason). A drug course entered in error
    goes together with the doses ticked as given against it, which the page lists first."""
    patient = _patient(request)
    entry = _entry(patient, eid)
    user = _user(request)
    check_write(user, RETRACT, entry.kind, entry)
    ticks = records.ticks_of(entry) if entry.retracted_at is None else []
    for tick in ticks:
        check_write(user, RETRACT, Kind.DOSE_GIVEN, tick)
    form = RetractForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:  # a treatment takes its ticks with it; any other kind has none
            n = audit.retract_with_ticks(
                entry,
                form.cleaned_data["version"] or 0,
                form.cleaned_data["reason"],
                user,
                records.parse_versions(request.POST.get("ticks", "")),
            )
        except (InputError, audit.StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            with_ticks = (
                f" with the {n} dose{'s' if n != 1 else ''} ticked as given against it"
                if n
                else ""
            )
            messages.success(
                request, f"Retracted{with_ticks}; it stays in the history with your reason."
            )
            return redirect("patient_dashboard", pid=pid)
    return render(
        request,
        "web/entry_retract.html",
        {
            "form": form,
            "patient": patient,
            "entry": entry,
            "ticks": _doses_given(ticks, user),
            "tick_versions": records.versions_text(ticks),
        },
    )


def entry_history(request: HttpRequest, pid: int, eid: int) -> HttpResponse:
    patient = _patient(request)
    entry = _entry(patient, eid)
    revisions = entry.revisions.select_related("by").order_by("-version")
    return render(
        request,
        "web/history.html",
        {
            "patient": patient,
            "entry": entry,
            "revisions": revisions,
            "item_names": _item_names(patient),
        },
    )


def _item_names(patient: Patient) -> dict[str, str]:
    """Id -> name of the patient's courses and diet periods, for entries that name them."""
    named = Entry.objects.filter(patient=patient, kind__in=(Kind.TREATMENT, Kind.DIET))
    return item_names(e.data for e in named.only("data"))


def patient_history(request: HttpRequest, pid: int) -> HttpResponse:
    patient = _patient(request)
    revisions = (
        Revision.objects.filter(patient=patient)
        .select_related("by", "entry")
        .order_by("-at", "-id")[:200]
    )
    return render(
        request,
        "web/history.html",
        {"patient": patient, "revisions": revisions, "item_names": _item_names(patient)},
    )


@require_POST
def invitation_new(request: HttpRequest, pid: int) -> HttpResponse:
    """Make a one-time join link for a family member; shown once, stored only as a hash."""
    patient = _patient(request)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say who the link is for (mother, father, grandparent...).")
        return redirect("patient_dashboard", pid=pid)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            patient=patient,
            token_hash=token_hash(token),
            relationship=form.cleaned_data["relationship"],
            created_by=_user(request),
            expires_at=timezone.now() + timedelta(days=settings.SPASMCARE_INVITATION_DAYS),
        )
    link = request.build_absolute_uri(reverse("invitation_accept", args=[token]))
    return render(
        request,
        "web/invitation.html",
        {
            "patient": patient,
            "link": link,
            "days": settings.SPASMCARE_INVITATION_DAYS,
            "expires_at": invitation.expires_at,
            "relationship": form.cleaned_data["relationship"],
            "qr": qr_svg(link, f"QR code of the join link for {patient.name}'s family"),
        },
    )
