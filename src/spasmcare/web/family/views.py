"""The family's phone diary and diary videos.

Diary rule: a day counts as observed (a ``recorded_day`` entry) when the family logs anything
on it or taps "No spasms today"; only an observed day without spasms counts as spasm-free in
the response measures (``docs/RECORD_FORMAT.md``: a day not listed is unknown, never
spasm-free). The ``recorded_day`` entry is created once per day, under a lock on the patient
row, so two taps (or two phones) never make two.

Logging a cluster takes two taps: "Cluster now" opens the number buttons (a ``<details>``
element: no JavaScript needed) and the number posts at once. Entries are record ``diary`` items
written through :mod:`spasmcare.web.clinic.audit` (``at`` = local time now, ``kind`` cluster, or
single for one spasm, ``observer`` = the user's relationship or first name). A form carries a
one-time ``nonce``: the same post sent twice (a double tap, a phone resending on a poor
network) is saved once. "Undo" retracts the user's own last entry with the reason "entered by
mistake"; it stays in the history.

Today's doses (the same schedule as "Today's medicines") each carry a "Given" and a "Not
given" button: a tap writes a record ``doses_given`` item (date, schedule time, treatment,
drug and the dose as shown) through :mod:`spasmcare.web.clinic.audit`, once per dose; "Undo" beside
a
tick retracts the user's own tick ("entered by mistake"). The schedule is re-read on the server
when the tap arrives, so only a dose on today's schedule is ticked.

Counts per day come from :class:`spasmcare.measures.diary.DiaryView` over the week's entries,
and today's medicines from :mod:`spasmcare.web.courses.family_today` (the saved course plans' family
version, or the record's dose in force, and the saved keto plan's meals and feed). The family's
printouts are :mod:`spasmcare.web.family.print_views`.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from spasmcare.errors import InputError
from spasmcare.measures.diary import DayCount, DiaryView
from spasmcare.web.accounts import languages
from spasmcare.web.accounts.access import CREATE, RETRACT, check_write, may_write, visible_patients
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit, records, resilience, uploads
from spasmcare.web.clinic.forms import error_text, show_error
from spasmcare.web.clinic.models import Entry, Kind, Patient, User, Video
from spasmcare.web.courses import family_today
from spasmcare.web.family import development as family_development
from spasmcare.web.family import fragments, reads
from spasmcare.web.family import messages as family_messages
from spasmcare.web.family.forms import (
    COUNT_BUTTONS,
    MORE_FROM,
    ClusterForm,
    DayForm,
    DetailsForm,
    DoseForm,
    EntryRefForm,
    VideoForm,
)
from spasmcare.web.family.messages import day_marked

#: Reason given to an entry retracted by "Undo".
UNDO_REASON = "entered by mistake"
#: Days shown in the bar strip (today and the six before).
STRIP_DAYS = 7
VIDEO_PREFIX = "video:"




def _form_errors(form: Any) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = (
            form.fields[name].label or name.replace("_", " ").capitalize()
            if name in form.fields
            else ""
        )
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label and name != "__all__" else text)
    return " ".join(parts)


def _diary_url(patient: Patient, anchor: str = "") -> str:
    return reverse("family_diary", args=[patient.pk]) + (f"#{anchor}" if anchor else "")


# --------------------------------------------------------------------------- home


def home(request: HttpRequest) -> HttpResponse:
    """A family member's landing page: the diary of their child, or a choice of children."""
    children = list(visible_patients(_user(request)).order_by("name"))
    if len(children) == 1:
        return redirect("family_diary", pid=children[0].pk)
    return render(request, "web/family/choose.html", {"children": children})


# --------------------------------------------------------------------------- diary page


def _time_of(entry: Entry) -> str:
    return str(entry.data.get("at", ""))[11:16]


def _video_key(entry: Entry) -> str | None:
    """The key of a video stored by the app (``video:<uuid>``); None for any other reference
    (an imported record may name a file kept elsewhere)."""
    ref = str(entry.data.get("video") or "")
    if not ref.startswith(VIDEO_PREFIX):
        return None
    try:
        return str(uuid.UUID(ref[len(VIDEO_PREFIX) :]))
    except ValueError:
        return None


def _entry_row(patient: Patient, entry: Entry) -> dict[str, Any]:
    key = _video_key(entry)
    return {
        "entry": entry,
        "time": _time_of(entry),
        "day": entry.day,
        "kind": entry.data.get("kind"),
        "spasms": entry.data.get("spasms"),
        "observer": entry.data.get("observer", ""),
        "duration_min": entry.data.get("duration_min"),
        "note": entry.data.get("note", ""),
        "video_url": reverse("video", args=[patient.pk, key]) if key else None,
    }


def _week(
    patient: Patient, today: date
) -> tuple[list[Entry], list[Entry], list[DayCount], str | None]:
    """The week's live diary and recorded-day entries, today's live doses ticked as given
    (read in the same query) and the domain's count for each day."""
    first = today - timedelta(days=STRIP_DAYS - 1)
    found = reads.week_entries(patient, first, today)
    family_development.remember(patient, today, found)  # issue 25: no query of its own
    rows = [e for e in found if e.kind in (Kind.DIARY, Kind.RECORDED_DAY)]
    ticks = [e for e in found if e.kind == Kind.DOSE_GIVEN and e.day == today]
    # who ticked today's doses, in one query; not joined to the week's every row (issue 21)
    prefetch_related_objects(ticks, "created_by")
    try:
        week, _ = resilience.read_entries(patient, rows, today)
    except InputError as exc:
        return rows, ticks, [], error_text(exc)
    return rows, ticks, list(DiaryView(week).days(first, today)), None


def _today_row(patient: Patient, entry: Entry) -> dict[str, Any]:
    """A row of today's list, with what was seen in words (made here, not by template tags: a
    busy day's list is long, and it is on every page a tap returns to)."""
    row = _entry_row(patient, entry)
    row["what"] = fragments.what_was_seen(row["kind"], row["spasms"])
    return row


def _strip_day(count: DayCount, top: int) -> dict[str, Any]:
    """One day of the week's strip, its words made here rather than by template tags (the
    strip is on every diary page a tap returns to)."""
    unknown = count.state == "unknown"
    words = gettext("not marked") if unknown else fragments.spasms_in_words(count.spasms)
    long, short = fragments.day_names(count.day)
    return {
        "count": count,
        "state": slugify(count.state),
        "title": f"{long}: {words}",
        "number": "?" if unknown else (0 if count.state == "spasm-free" else count.spasms),
        "height": round(100 * count.spasms / top) if top else 0,
        "label": short,
    }


def _diary_context(
    request: HttpRequest, patient: Patient, forms: dict[str, Any] | None = None
) -> dict[str, Any]:
    user = _user(request)
    today = records.today()
    rows, tick_rows, days, problem = _week(patient, today)
    own_last = reads.own_last(patient, user)
    today_rows = [
        _today_row(patient, e) for e in rows if e.kind == Kind.DIARY and e.day == today
    ]
    top = max((d.spasms for d in days), default=0)
    strip = [_strip_day(d, top) for d in days]
    by_day = {d.day: d for d in days}
    nonce = secrets.token_urlsafe(12)
    forms = forms or {}
    last = _entry_row(patient, own_last) if own_last is not None else None
    if own_last is not None and "details" not in forms:
        at = datetime.fromisoformat(own_last.data["at"])
        forms["details"] = DetailsForm(
            initial={
                "entry": own_last.pk,
                "version": own_last.version,
                "started": at.time(),
                "duration_min": own_last.data.get("duration_min"),
                "note": own_last.data.get("note", ""),
            }
        )
    if own_last is not None and "video" not in forms:
        forms["video"] = VideoForm(initial={"entry": own_last.pk, "version": own_last.version})
    log_url = reverse("family_log", args=[patient.pk])  # one reverse for the page's forms
    development = family_development.context(patient, user, today)  # issue 25
    words = languages.diary_context(user, patient)
    return {
        "patient": patient,
        "today": today,
        "today_count": by_day.get(today),
        "yesterday": by_day.get(today - timedelta(days=1)),
        "today_rows": today_rows,
        "today_items": fragments.today_items(today_rows),  # its items, made in Python
        "strip": strip,
        "problem": problem,
        "last": last,
        "forms": forms,
        "nonce": nonce,
        "log_url": log_url,
        "counts": COUNT_BUTTONS,
        "more_from": MORE_FROM,
        "medicines": _with_ticks(
            patient, family_today.medicines(patient, today), today, user, tick_rows
        ),
        "several_children": user.role == "family" and reads.several_children(user),
        # the family's own phone keeps taps made without signal (issue 26); not a clinician's
        "offline_user": user.pk if user.role == "family" else None,
        "development": development,
        # the parts a tap does not change, each rendered once per what it shows
        "parts": fragments.diary_parts(request, patient.pk, log_url, development, words),
        **words,
    }


def _render_diary(
    request: HttpRequest, patient: Patient, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    context = _diary_context(request, patient, forms)
    html = render_to_string("web/family/diary.html", context, request=request)
    return HttpResponse(fragments.fill(html, request, context["nonce"]), status=status)


def diary(request: HttpRequest, pid: int) -> HttpResponse:
    """The phone diary of one child: log, today's list, the week's strip, today's medicines.

    Diary rule: a day counts as observed when the family logs anything on it or taps "No
    spasms today" (one ``recorded_day`` entry per day); only then does a day without spasms
    count as spasm-free in the measures.
    """
    return _render_diary(request, _patient(request))


# --------------------------------------------------------------------------- doses given


def _ticks_today(
    patient: Patient, today: date, rows: list[Entry] | None = None
) -> dict[tuple[str, str], Entry]:
    """Today's live ticks (``rows``, else read) by (treatment, schedule time)."""
    if rows is None:
        rows = list(
            Entry.objects.filter(
                patient=patient, kind=Kind.DOSE_GIVEN, day=today, retracted_at__isnull=True
            )
            .select_related("created_by")
            .order_by("id")
        )
    return {(str(e.data.get("treatment")), str(e.data.get("time") or "")): e for e in rows}


def _who(entry: Entry) -> str:
    user = entry.created_by
    if user is None:
        return gettext("imported")
    return _observer(user) or user.get_username()


def _tick_view(entry: Entry | None, user: User) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "entry": entry,
        "given": bool(entry.data.get("given")),
        "by": _who(entry),
        "at": timezone.localtime(entry.created_at).strftime("%H:%M"),
        "can_undo": may_write(user, RETRACT, Kind.DOSE_GIVEN, entry.created_by_id),
    }


def _with_ticks(
    patient: Patient, medicines: dict[str, Any], today: date, user: User, rows: list[Entry]
) -> dict[str, Any]:
    """Today's medicines with each dose's tick (``rows``: today's live ticks) as a copy: the
    cached value is not changed."""
    ticks = _ticks_today(patient, today, rows)
    can_tick = may_write(user, CREATE, Kind.DOSE_GIVEN)
    out = dict(medicines)
    out["can_tick"] = can_tick
    out["courses"] = []
    for c in medicines["courses"]:
        doses = []
        for d in c["today"]["doses"]:
            treatment = c.get("ids", {}).get(d["drug"])
            tick = ticks.get((treatment, d["time"] or "")) if treatment else None
            doses.append(d | {"treatment": treatment, "tick": _tick_view(tick, user)})
        out["courses"].append(c | {"today": c["today"] | {"doses": doses}})
    out["others"] = [
        o | {
            "tick": _tick_view(ticks.get((o["treatment"].id, "")), user),
            "doses": [
                d | {"tick": _tick_view(ticks.get((o["treatment"].id, d["time"])), user)}
                for d in o["doses"]
            ],
        }
        for o in medicines["others"]
    ]
    return out


def _dose(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Tick one of today's doses as given (or not given): a ``dose_given`` record item written
    through the audit trail, once per dose."""
    user = _user(request)
    check_write(user, CREATE, Kind.DOSE_GIVEN)
    form = DoseForm(request.POST)
    back = _diary_url(patient, "medicines")
    if not form.is_valid():
        messages.error(request, gettext("Nothing was ticked.") + f" {form.problem()}")
        return redirect(back)
    today = records.today()
    treatment, time = form.cleaned_data["treatment"], form.cleaned_data.get("time") or ""
    row = next(
        (
            r
            for r in family_today.schedule(family_today.medicines(patient, today))
            if r["treatment"] == treatment and r["time"] == time
        ),
        None,
    )
    if row is None:
        messages.error(request, family_messages.not_on_schedule())
        return redirect(back)
    given = form.is_given()
    item: dict[str, Any] = {
        "date": today.isoformat(),
        "treatment": treatment,
        "drug": row["drug"],
        "given": given,
    }
    if time:
        item["time"] = time
    if row["dose"]:
        item["dose"] = row["dose"]
    what = f"{row['drug']}{' ' + time if time else ''}"
    try:
        with audit.one_write(patient):  # one lock, one version raise
            if (treatment, time) in _ticks_today(patient, today):
                messages.info(request, gettext("Already ticked: %(what)s.") % {"what": what})
                return redirect(back)
            audit.create_entry(
                patient, Kind.DOSE_GIVEN, item, user, extra={"via": "family diary"}
            )
    except InputError as exc:
        messages.error(request, gettext("Nothing was ticked.") + f" {error_text(exc)}")
        return redirect(back)
    messages.add_message(request, *family_messages.ticked(what, given))
    return redirect(back)


def _dose_undo(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Undo a tick made by mistake: it is retracted ("entered by mistake") and stays in the
    history; a family member undoes their own ticks only."""
    back = _diary_url(patient, "medicines")
    form = EntryRefForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Undo: the page was out of date; nothing was changed."))
        return redirect(back)
    target = Entry.objects.filter(
        pk=form.cleaned_data["entry"], patient=patient, kind=Kind.DOSE_GIVEN
    ).first()
    if target is None:
        raise Http404("no such tick")
    check_write(_user(request), RETRACT, Kind.DOSE_GIVEN, target)
    if target.retracted_at is not None:
        messages.info(request, gettext("That tick was already undone."))
        return redirect(back)
    try:
        audit.retract_entry(target, form.cleaned_data["version"], UNDO_REASON, _user(request))
    except (InputError, audit.StaleEdit) as exc:
        messages.error(request, gettext("Nothing was undone.") + f" {exc}")
        return redirect(back)
    time = target.data.get("time")
    what = f"{target.data.get('drug')}{' ' + time if time else ''}"
    messages.success(request, family_messages.tick_undone(what))
    return redirect(back)


# --------------------------------------------------------------------------- writes


def _mark_day(patient: Patient, day: date, user: User) -> Entry | None:
    """Mark ``day`` observed unless it already is (call under
    :func:`spasmcare.web.clinic.audit.one_write`); the new entry, or None when the day was
    already
    marked."""
    if reads.recorded(patient, day) is not None:
        return None
    return audit.create_entry(
        patient, Kind.RECORDED_DAY, {"date": day.isoformat()}, user, extra={"via": "family diary"}
    )


def _observer(user: User) -> str:
    return (user.relationship or user.first_name or "").strip()[:200]


def _log_cluster(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = ClusterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(_diary_url(patient))
    user = _user(request)
    count: int = form.cleaned_data["count"]
    nonce: str = form.cleaned_data.get("nonce") or ""
    now = timezone.localtime()
    item: dict[str, Any] = {
        "at": now.strftime("%Y-%m-%dT%H:%M"),
        "kind": "single" if count == 1 else "cluster",
        "spasms": count,
    }
    if observer := _observer(user):
        item["observer"] = observer
    what = family_messages.spasms_what(count)
    try:
        with audit.one_write(patient):  # one lock, one version raise
            if nonce and Entry.objects.filter(
                patient=patient, kind=Kind.DIARY, day=now.date(), extra__nonce=nonce
            ).exists():
                messages.info(request, gettext("Already saved: %(what)s.") % {"what": what})
                return redirect(_diary_url(patient, "last"))
            made = _mark_day(patient, now.date(), user)
            audit.create_entry(
                patient,
                Kind.DIARY,
                item,
                user,
                extra={
                    "via": "family diary",
                    "nonce": nonce,
                    "made_day": made.pk if made else None,
                },
            )
    except InputError as exc:
        messages.error(request, gettext("Nothing was saved.") + f" {error_text(exc)}")
        return redirect(_diary_url(patient))
    messages.success(
        request, gettext("Saved: %(what)s at %(time)s.") % {"what": what, "time": f"{now:%H:%M}"}
    )
    return redirect(_diary_url(patient, "last"))


def _log_none(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = DayForm(request.POST)
    if not form.is_valid():
        day = request.POST.get("day")
        text = gettext("Day: %(value)s is not accepted: today or yesterday.")
        messages.error(request, text % {"value": repr(day)})
        return redirect(_diary_url(patient))
    day = form.the_day(records.today())
    is_today = day == records.today()
    try:
        with audit.one_write(patient):  # one lock, one version raise
            spasms = sum(
                int(e.data.get("spasms", 0))
                for e in Entry.objects.filter(
                    patient=patient, kind=Kind.DIARY, day=day, retracted_at__isnull=True
                )
            )
            made = _mark_day(patient, day, _user(request))
    except InputError as exc:
        messages.error(request, gettext("Nothing was saved.") + f" {error_text(exc)}")
        return redirect(_diary_url(patient))
    level, text = day_marked(spasms, is_today, made is not None, day)
    messages.add_message(request, level, text)
    return redirect(_diary_url(patient))


def _own_target(request: HttpRequest, patient: Patient, form: EntryRefForm) -> Entry | None:
    """The user's own last entry if the form names it; else None with a message."""
    target = reads.own_last(patient, _user(request))
    if target is None or target.pk != form.cleaned_data["entry"]:
        messages.error(
            request,
            gettext(
                "That entry is not your last one any more (or was undone): nothing was "
                "changed. The page now shows your last entry."
            ),
        )
        return None
    return target


def _undo(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = EntryRefForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Undo: the page was out of date; nothing was changed."))
        return redirect(_diary_url(patient))
    target = _own_target(request, patient, form)
    if target is None:
        return redirect(_diary_url(patient))
    user = _user(request)
    day_note = ""
    try:
        with audit.one_write(patient):  # one lock, one version raise
            audit.retract_entry(target, form.cleaned_data["version"], UNDO_REASON, user)
            made = target.extra.get("made_day") if isinstance(target.extra, dict) else None
            others = Entry.objects.filter(
                patient=patient, kind=Kind.DIARY, day=target.day, retracted_at__isnull=True
            ).exists()
            day_entry = (
                Entry.objects.filter(
                    pk=made, patient=patient, kind=Kind.RECORDED_DAY, retracted_at__isnull=True
                ).first()
                if made
                else None
            )
            if day_entry is not None and not others:
                reason = f"{UNDO_REASON} (marked by the undone entry)"
                audit.retract_entry(day_entry, day_entry.version, reason, user)
                day_note = " " + family_messages.day_unmarked()
    except (InputError, audit.StaleEdit) as exc:
        messages.error(request, gettext("Nothing was undone.") + f" {exc}")
        return redirect(_diary_url(patient))
    spasms = int(target.data.get("spasms") or 0)
    messages.success(request, family_messages.undone(spasms, _time_of(target)) + day_note)
    return redirect(_diary_url(patient))


def _details(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = DetailsForm(request.POST)
    if not form.is_valid():
        return _render_diary(request, patient, {"details": form}, status=400)
    target = _own_target(request, patient, form)
    if target is None:
        return redirect(_diary_url(patient))
    item = form.item(target.data, timezone.localtime().replace(tzinfo=None))
    if not form.errors:
        try:
            audit.update_entry(target, form.cleaned_data["version"], item, _user(request))
        except InputError as exc:
            show_error(form, exc)
        except audit.StaleEdit as exc:
            form.add_error(None, str(exc))
    if form.errors:
        return _render_diary(request, patient, {"details": form}, status=400)
    messages.success(request, gettext("Details saved for %(time)s.") % {"time": _time_of(target)})
    return redirect(_diary_url(patient, "last"))


LOG_ACTIONS = {
    "cluster": _log_cluster,
    "none": _log_none,
    "undo": _undo,
    "details": _details,
    "dose": _dose,
    "dose_undo": _dose_undo,
    **family_development.ACTIONS,  # issue 25: other seizures, milestone ticks
}


@require_POST
def log(request: HttpRequest, pid: int) -> HttpResponse:
    """Every tap of the diary page posts here with an ``action``."""
    patient = _patient(request)
    action = request.POST.get("action", "")
    handler = LOG_ACTIONS.get(action)
    if handler is None:
        messages.error(request, family_messages.refused(repr(action), ", ".join(LOG_ACTIONS)))
        return redirect(_diary_url(patient))
    return handler(request, patient)


@require_POST
def video_upload(request: HttpRequest, pid: int) -> HttpResponse:
    """Attach a short video to the user's own last entry (type checked by its first bytes)."""
    patient = _patient(request)
    form = VideoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_diary(request, patient, {"video": form}, status=400)
    target = _own_target(request, patient, form)
    if target is None:
        return redirect(_diary_url(patient))
    upload = form.cleaned_data["video"]
    try:
        uploads.check_video(upload)
    except InputError as exc:
        form.add_error("video", family_messages.refused(exc.value, exc.accepted, "").strip())
        return _render_diary(request, patient, {"video": form}, status=400)
    video: Video | None = None
    try:
        with transaction.atomic():
            video = uploads.store_video(patient, upload, _user(request))
            item = dict(target.data) | {"video": f"{VIDEO_PREFIX}{video.key}"}
            audit.update_entry(target, form.cleaned_data["version"], item, _user(request))
    except (InputError, audit.StaleEdit) as exc:
        if video is not None:
            uploads.discard_file(video)
        form.add_error(None, gettext("The video was not saved.") + f" {exc}")
        return _render_diary(request, patient, {"video": form}, status=400)
    messages.success(
        request, gettext("Video saved with the entry of %(time)s.") % {"time": _time_of(target)}
    )
    return redirect(_diary_url(patient, "last"))


def video_too_large(request: HttpRequest, exc: InputError, pid: int) -> HttpResponse:
    """The diary with the video form saying why an upload was refused: too large, known from
    its declared length before the body was read (:mod:`spasmcare.web.accounts.body_limit`, which
    sets
    the 413 status). Reads nothing of the request's body."""
    patient = _patient(request)
    text = gettext("The video was not saved: %(value)s is not accepted; %(accepted)s.")
    text %= {"value": exc.value, "accepted": exc.accepted}
    context = _diary_context(request, patient, None)
    shown = context["forms"].get("video")
    if shown is None:
        messages.error(request, text)
    else:
        form = VideoForm({"entry": shown.initial["entry"], "version": shown.initial["version"]}, {})
        form.is_valid()
        form.errors.clear()
        form.add_error("video", text)
        context["forms"]["video"] = form
    return render(request, "web/family/diary.html", context, status=413)


def video(request: HttpRequest, pid: int, key: Any) -> HttpResponseBase:
    """A diary video, streamed inline to those who may see the child (never a public URL)."""
    found = get_object_or_404(Video, patient=_patient(request), key=key)
    return uploads.serve_video(request, found)
