"""The family diary's other seizures and milestone ticks (issue 25; issue 23 item 6).

- **Another kind of seizure, in two taps**: "Another kind of seizure" opens the seizure types
  (a ``<details>`` element, no JavaScript), and one tap on a type saves a record
  ``other_seizures[]`` item (``at`` = local time now, the ILAE 2017 basic type [1], ``observer``
  = the user's relationship or first name) through :mod:`spasmcare.web.clinic.audit`. It does
  not mark the day as watched for spasms: the spasm measures stay about spasms. A one-time
  ``nonce`` saves a double tap once; "Undo" retracts the user's own seizure logged today.
- **Milestone ticks**: each of the six WHO gross-motor milestones not yet recorded as reached
  [2] has "today" and "not yet"; a tap saves a record ``development.milestones[]`` item
  reported by the family, which a clinician confirms on the dashboard.

The words a family reads are plain and marked for translation; the codes are the record's.

References
----------
1. Fisher RS, Cross JH, French JA, et al. Operational classification of seizure types by the
   International League Against Epilepsy. Epilepsia 2017;58(4):522-530.
2. WHO Multicentre Growth Reference Study Group. WHO Motor Development Study: windows of
   achievement for six gross motor development milestones. Acta Paediatr Suppl
   2006;450:86-95 (the milestones as :mod:`spasmcare.measures.development` lists them).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spasmcare.errors import InputError
from spasmcare.measures.development import WHO_WINDOWS
from spasmcare.record.seizures import SEIZURE_TYPES
from spasmcare.web.accounts.access import CREATE, RETRACT, check_write, may_write
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit, computed
from spasmcare.web.clinic.forms import error_text
from spasmcare.web.clinic.models import Entry, Kind, Patient, User

#: The ILAE 2017 basic types [1] as a family says them (code -> words), in the order shown.
SEIZURE_WORDS: dict[str, Any] = {
    "focal": gettext_lazy("Focal: one side or one part of the body"),
    "tonic": gettext_lazy("Stiffening (tonic)"),
    "tonic-clonic": gettext_lazy("Stiffening then jerking (tonic–clonic)"),
    "myoclonic": gettext_lazy("Sudden single jerks (myoclonic)"),
    "atonic": gettext_lazy("Sudden floppiness or drop (atonic)"),
    "absence": gettext_lazy("Staring, not responding (absence)"),
    "unknown": gettext_lazy("Not sure what kind"),
}
#: The six WHO milestones [2] as a family says them (id -> words).
MILESTONE_WORDS: dict[str, Any] = {
    "who-sitting-without-support": gettext_lazy("Sits without support"),
    "who-standing-with-assistance": gettext_lazy("Stands holding on"),
    "who-hands-and-knees-crawling": gettext_lazy("Crawls on hands and knees"),
    "who-walking-with-assistance": gettext_lazy("Walks holding on"),
    "who-standing-alone": gettext_lazy("Stands alone"),
    "who-walking-alone": gettext_lazy("Walks alone"),
}
UNDO_REASON = "entered by mistake"
assert set(SEIZURE_WORDS) == set(SEIZURE_TYPES)
assert set(MILESTONE_WORDS) == {w.id for w in WHO_WINDOWS}


class OtherSeizureForm(forms.Form):
    """Tap 2: the seizure type (a button's value)."""

    type = forms.ChoiceField(choices=[(c, c) for c in SEIZURE_TYPES])
    nonce = forms.CharField(required=False, max_length=64)


class MilestoneTickForm(forms.Form):
    """A milestone: reached today, or not yet."""

    milestone = forms.ChoiceField(choices=[(w.id, w.id) for w in WHO_WINDOWS])
    status = forms.ChoiceField(choices=[("achieved", "today"), ("not-yet", "not yet")])


class UndoSeizureForm(forms.Form):
    entry = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1)


def _diary_url(patient: Patient, anchor: str = "other-seizure") -> str:
    return reverse("family_diary", args=[patient.pk]) + f"#{anchor}"


def _observer(user: User) -> str:
    return (user.relationship or user.first_name or "").strip()[:200]


def _live(patient: Patient, kind: str) -> Any:
    return Entry.objects.filter(patient=patient, kind=kind, retracted_at__isnull=True)


#: Kinds the diary page reads for this module in its week's query (:func:`week_filter`).
WEEK_KINDS = (Kind.OTHER_SEIZURE,)
ALL_TIME_KINDS = (Kind.MILESTONE, Kind.DEVELOPMENT_BASELINE)


def week_filter() -> Q:
    """What the diary's query of the week adds for this module: every live milestone and
    development at diagnosis, whatever its day (the week's kinds it lists itself)."""
    return Q(kind__in=ALL_TIME_KINDS)


def _summary(entries: list[Entry], today: date) -> dict[str, Any]:
    seizures, reached = [], set()
    for e in sorted(entries, key=lambda x: x.pk):
        if e.kind == Kind.OTHER_SEIZURE and e.day == today:
            seizures.append(
                {"pk": e.pk, "version": e.version, "by": e.created_by_id, "data": e.data}
            )
        elif e.kind == Kind.MILESTONE and e.data.get("status") == "achieved":
            reached.add(e.data.get("milestone"))
        elif e.kind == Kind.DEVELOPMENT_BASELINE:
            at = e.data.get("at_diagnosis") or {}
            reached |= set(at.get("milestones_achieved", []))
    return {"seizures": seizures, "reached": sorted(str(m) for m in reached)}


def _key(patient: Patient, today: date) -> tuple[Any, ...]:
    return ("family-development", patient.pk, patient.data_version, today.isoformat())


def remember(patient: Patient, today: date, entries: list[Entry]) -> None:
    """Keep what the page shows from the entries the diary's week query read (its live
    entries of :data:`WEEK_KINDS` in the week and of :data:`ALL_TIME_KINDS`), so
    :func:`context` needs no query of its own."""
    mine = [e for e in entries if e.kind in WEEK_KINDS or e.kind in ALL_TIME_KINDS]
    computed.memo(_key(patient, today), lambda: _summary(mine, today))


def _stored(patient: Patient, today: date) -> dict[str, Any]:
    """Today's other seizures and the milestones reached, kept per process under the
    patient's data version (every write raises it) and the day; one query when not kept."""

    def build() -> dict[str, Any]:
        rows = Entry.objects.filter(
            Q(kind=Kind.OTHER_SEIZURE, day=today) | week_filter(),
            patient=patient,
            retracted_at__isnull=True,
        ).only("kind", "day", "data", "version", "created_by_id")
        return _summary(list(rows), today)

    return computed.memo(_key(patient, today), build)


def context(patient: Patient, user: User, today: date) -> dict[str, Any]:
    """What the diary page shows of other seizures and milestones (no query once the
    patient's data version has been read in this process)."""
    stored = _stored(patient, today)
    reached = set(stored["reached"])
    return {
        "types": [(code, SEIZURE_WORDS[code]) for code in SEIZURE_TYPES],
        "today": [
            {
                "entry": {"pk": s["pk"], "version": s["version"]},
                "time": str(s["data"].get("at", ""))[11:16],
                "words": SEIZURE_WORDS.get(s["data"].get("type"), s["data"].get("type")),
                "observer": s["data"].get("observer", ""),
                "own": s["by"] == user.pk,
            }
            for s in stored["seizures"]
        ],
        "can_log": may_write(user, CREATE, Kind.OTHER_SEIZURE),
        "can_undo": may_write(user, RETRACT, Kind.OTHER_SEIZURE, user.pk),
        "milestones": [
            {"id": w.id, "words": MILESTONE_WORDS[w.id]}
            for w in WHO_WINDOWS
            if w.id not in reached
        ],
        "can_tick": may_write(user, CREATE, Kind.MILESTONE),
    }


def log_other_seizure(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Tap 2 of "Another kind of seizure": save it now, with its type."""
    form = OtherSeizureForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Seizure type: %(value)r is not accepted: tap one of the kinds shown.")
            % {"value": request.POST.get("type")},
        )
        return redirect(_diary_url(patient))
    user = _user(request)
    check_write(user, CREATE, Kind.OTHER_SEIZURE)
    code = form.cleaned_data["type"]
    nonce = form.cleaned_data.get("nonce") or ""
    now = timezone.localtime()
    item: dict[str, Any] = {"at": now.strftime("%Y-%m-%dT%H:%M"), "type": code}
    if observer := _observer(user):
        item["observer"] = observer
    words = SEIZURE_WORDS[code]
    try:
        with transaction.atomic():
            audit.lock_patient(patient)
            if nonce and _live(patient, Kind.OTHER_SEIZURE).filter(
                day=now.date(), extra__nonce=nonce
            ).exists():
                messages.info(request, _("Already saved: %(what)s.") % {"what": words})
                return redirect(_diary_url(patient))
            audit.create_entry(
                patient,
                Kind.OTHER_SEIZURE,
                item,
                user,
                extra={"via": "family diary", "nonce": nonce},
            )
    except InputError as exc:
        messages.error(request, _("Nothing was saved.") + " " + error_text(exc))
        return redirect(_diary_url(patient))
    messages.success(
        request,
        _("Saved: another kind of seizure (%(what)s) at %(time)s.")
        % {"what": words, "time": f"{now:%H:%M}"},
    )
    return redirect(_diary_url(patient))


def undo_other_seizure(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Retract the user's own seizure of another kind logged today (kept in the history)."""
    form = UndoSeizureForm(request.POST)
    user = _user(request)
    target = (
        _live(patient, Kind.OTHER_SEIZURE)
        .filter(pk=form.cleaned_data["entry"], created_by=user)
        .first()
        if form.is_valid()
        else None
    )
    if target is None:
        messages.error(request, _("Undo: that seizure is not yours to undo, or was undone."))
        return redirect(_diary_url(patient))
    check_write(user, RETRACT, Kind.OTHER_SEIZURE, target)
    try:
        audit.retract_entry(target, form.cleaned_data["version"], UNDO_REASON, user)
    except (InputError, audit.StaleEdit) as exc:
        messages.error(request, _("Nothing was undone.") + f" {exc}")
        return redirect(_diary_url(patient))
    messages.success(request, _("Undone (kept in the history as 'entered by mistake')."))
    return redirect(_diary_url(patient))


def tick_milestone(request: HttpRequest, patient: Patient) -> HttpResponse:
    """A milestone reached today, or not yet: saved as reported by the family, for a
    clinician to confirm."""
    check_write(_user(request), CREATE, Kind.MILESTONE)
    form = MilestoneTickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Milestone: not accepted; tap 'today' or 'not yet'."))
        return redirect(_diary_url(patient, "milestones"))
    milestone, status = form.cleaned_data["milestone"], form.cleaned_data["status"]
    today = timezone.localdate()
    item = {
        "milestone": milestone,
        "status": status,
        "date": today.isoformat(),
        "reported_by": "family",
    }
    words = MILESTONE_WORDS[milestone]
    try:
        with transaction.atomic():
            audit.lock_patient(patient)
            # a double tap (or two phones) saves the same tick once
            if any(e.data == item for e in _live(patient, Kind.MILESTONE).filter(day=today)):
                messages.info(request, _("Already saved: %(what)s.") % {"what": words})
                return redirect(_diary_url(patient, "milestones"))
            audit.create_entry(
                patient, Kind.MILESTONE, item, _user(request), extra={"via": "family"}
            )
    except InputError as exc:
        messages.error(request, _("Nothing was saved.") + " " + error_text(exc))
        return redirect(_diary_url(patient, "milestones"))
    text = (
        _("Saved: %(what)s, today. The team will confirm it.")
        if status == "achieved"
        else _("Saved: %(what)s, not yet. Tap 'today' on the day it happens.")
    )
    messages.success(request, text % {"what": words})
    return redirect(_diary_url(patient, "milestones"))


#: The diary's actions added by this module (action -> handler), merged into the diary's own.
ACTIONS = {
    "other_seizure": log_other_seizure,
    "other_seizure_undo": undo_other_seizure,
    "milestone": tick_milestone,
}
