"""Protocol details confirmed on the course planner itself (issue 19: a plan finished on one
page).

:func:`confirmable` lists the details that keep days of a plan from a dose; :func:`confirm_first`
confirms the ones ticked on the posted planner form through
:func:`spasmcare.web.courses.service.confirm_inline` (the same
:func:`spasmcare.therapy.confirm_detail`
as the protocol details page: a new protocol version file naming who and when, never a
rewrite), and returns the form's data with the new version, so the plan is re-made with the
confirmation and the values the neurologist typed are kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, QueryDict

from spasmcare.errors import InputError
from spasmcare.therapy import CoursePlan, Protocol
from spasmcare.web.accounts.access import current_user
from spasmcare.web.courses import service as courses


def confirmer(request: HttpRequest) -> str:
    """Who confirms: the signed-in user's full name (else user name) and role (the protocol
    details page and the planner write the same)."""
    user = current_user(request)
    return f"{user.get_full_name() or user.get_username()}, {user.get_role_display()}"


def confirmable(plan: CoursePlan, protocol: Protocol) -> list[dict[str, Any]]:
    """The details that keep days of the plan from a dose, to confirm on the planner itself:
    what each says, its grade and why it is flagged, with its sources."""
    waiting = sorted({p.detail for d in plan.days for p in d.pending})
    rows = []
    for detail in waiting:
        spec = protocol.details.get(detail)
        if spec is None:
            continue
        rows.append(
            {
                "detail": detail,
                "what": str(spec.get("what", "")),
                "why": str(spec.get("why", "")),
                "grade": str(spec.get("grade", "")),
                "sources": list(spec.get("sources") or []),
            }
        )
    return rows


def confirm_first(request: HttpRequest) -> QueryDict:
    """The posted form, after confirming the details ticked on it (``confirm_detail``): the
    same data with the new protocol version, so the plan is re-made with the confirmations
    and the neurologist's values are kept. Refused confirmations leave a message and the data
    as posted (nothing confirmed)."""
    data = request.POST
    details = [d for d in data.getlist("confirm_detail") if d]
    if not details:
        return data
    version = data.get("version", "")
    try:
        protocol = courses.confirm_inline(
            data.get("protocol", ""),
            int(version) if version.isdigit() else -1,
            details,
            confirmer(request),
            {k: v for k, v in data.items() if k.startswith("param_")},
            data.get("confirm_note", "").strip()[:1000],
        )
    except InputError as exc:
        messages.error(request, f"Not confirmed: {exc.value!r} is not accepted: {exc.accepted}.")
        return data
    messages.success(
        request,
        f"{', '.join(details)} of {protocol.title} confirmed by {confirmer(request)}: "
        f"saved as version {protocol.version} ({protocol.path.name}); every earlier version is "
        "kept.",
    )
    out = data.copy()
    out["version"] = str(protocol.version)
    out.setlist("confirm_detail", [])
    return out
