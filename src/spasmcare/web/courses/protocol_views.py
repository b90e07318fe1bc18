"""Protocol details the sources leave open, and the clinic lead's confirmations of them.

The page lists, for the latest version of each protocol (bundled, or the clinic's copy), every
detail the source material marks VERIFY or NOT FOUND (:meth:`Protocol.detail_status`), why it
is flagged and its sources, and who confirmed it. A paediatric neurologist confirms a detail
with :func:`spasmcare.therapy.confirm_detail`, which writes a new protocol version file into the
clinic's protocols directory (``settings.SPASMCARE_PROTOCOLS_DIR``) and never rewrites an
existing one: the files are the audit trail of confirmations (who, when, value, note, and the
version and hash each was derived from). Until a detail is confirmed, no plan uses it.

A confirmation form carries the protocol version it was shown with; when another version has
appeared since (someone confirmed in the meantime), it is refused like a stale edit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from spasmcare.errors import InputError
from spasmcare.therapy import TO_BE_CONFIRMED, Protocol, confirm_detail, list_protocols
from spasmcare.therapy.protocol import load_protocol
from spasmcare.web.courses import service as courses
from spasmcare.web.courses.confirm import confirmer


class ConfirmForm(forms.Form):
    """One detail's confirmation, as posted from the list page."""

    detail = forms.CharField(max_length=100)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    value = forms.CharField(max_length=100, required=False)
    note = forms.CharField(max_length=1000, required=False)

    def show_error(self, exc: InputError) -> None:
        """The domain's message beside the field it names (``--value`` → ``value``)."""
        name = exc.field.lstrip("-")
        text = f"{exc.value!r} is not accepted: {exc.accepted}."
        if name in ("value", "note"):
            self.add_error(name, text)
        else:
            self.add_error(None, f"{exc.field.lstrip('-')}: {text}")


def _detail_rows(
    protocol: Protocol, posted: tuple[str, ConfirmForm] | None
) -> list[dict[str, Any]]:
    """Each flagged detail with its status, sources, tied parameter and any refused form."""
    rows = []
    sources = protocol.sources
    parameters = protocol.parameters
    for status in protocol.detail_status():
        spec = protocol.details[status.detail]
        param = spec.get("parameter")
        form = posted[1] if posted and posted[0] == status.detail else None
        rows.append(
            {
                "status": status,
                "sources": [(key, sources.get(key, "")) for key in spec.get("sources") or []],
                "parameter": (param, parameters[param]) if param in parameters else None,
                "form": form,
            }
        )
    return rows


def _context(
    request: HttpRequest,
    posted: tuple[str, str, ConfirmForm] | None = None,
    problem: str | None = None,
) -> dict[str, Any]:
    """The page: every protocol's flagged details; ``posted`` is a refused confirmation
    (protocol id, detail, bound form) shown beside its detail, or atop its protocol."""
    rows: list[dict[str, Any]] = []
    try:
        found = list_protocols(courses.protocols_dir())
    except InputError as exc:
        found, problem = [], str(exc)
    # ``?protocol=<id>``: only that protocol (the course planner links straight to it)
    only = request.GET.get("protocol") or (posted[0] if posted else "")
    if only and any(p.id == only for p in found):
        found = [p for p in found if p.id == only]
    for protocol in found:
        mine = (posted[1], posted[2]) if posted and posted[0] == protocol.id else None
        details = _detail_rows(protocol, mine)
        shown = mine is not None and any(r["form"] is not None for r in details)
        rows.append(
            {
                "protocol": protocol,
                "details": details,
                "pending": sum(1 for r in details if not r["status"].active),
                "form": mine[1] if mine is not None and not shown else None,
            }
        )
    if posted and not any(r["protocol"].id == posted[0] for r in rows) and problem is None:
        errors = posted[2].non_field_errors()
        problem = " ".join(errors) if errors else f"protocol {posted[0]!r} not found"
    return {
        "rows": rows,
        "only": only if len(found) == 1 else "",
        "problem": problem,
        "by": confirmer(request),
        "to_be_confirmed": TO_BE_CONFIRMED,
    }


def protocol_details(request: HttpRequest) -> HttpResponse:
    """The flagged details of every protocol, their status, and confirmation forms."""
    return render(request, "web/protocols/list.html", _context(request))


@require_POST
def protocol_confirm(request: HttpRequest, protocol_id: str) -> HttpResponse:
    """Confirm one flagged detail (neurologist): a new protocol version in the clinic's
    directory; refused when the protocol changed since the page was opened."""
    form = ConfirmForm(request.POST)
    detail = request.POST.get("detail", "")
    if form.is_valid():
        detail = form.cleaned_data["detail"]
        try:
            protocol = load_protocol(protocol_id, protocols_dir=courses.protocols_dir())
        except InputError as exc:
            form.add_error(None, f"{exc.value!r} is not accepted: {exc.accepted}.")
            return render(
                request, "web/protocols/list.html", _context(request, (protocol_id, detail, form))
            )
        seen = form.cleaned_data["version"]
        if seen != protocol.version:
            form.add_error(
                None,
                f"{protocol.id} changed since you opened this page: you saw version {seen}, "
                f"the latest is version {protocol.version}. Nothing was saved; review the "
                "details below as they are now and confirm again if still needed.",
            )
        else:
            by = confirmer(request)
            try:
                new = confirm_detail(
                    protocol,
                    detail,
                    by,
                    courses.protocols_dir(),
                    value=form.cleaned_data["value"].strip() or None,
                    note=form.cleaned_data["note"].strip() or None,
                )
            except InputError as exc:
                form.show_error(exc)
            except FileExistsError:  # another confirmation wrote the next version first
                form.add_error(
                    None,
                    f"{protocol.id} changed while you were confirming (someone else confirmed "
                    "a detail). Nothing was saved; review the details below and confirm again.",
                )
            else:
                messages.success(
                    request,
                    f"{detail} of {protocol.title} confirmed by {by}: saved as version "
                    f"{new.version} ({new.path.name}); every earlier version is kept.",
                )
                where = f"?protocol={protocol.id}#{protocol.id}"
                return redirect(f"{reverse('protocol_details')}{where}")
    return render(
        request, "web/protocols/list.html", _context(request, (protocol_id, detail, form))
    )
