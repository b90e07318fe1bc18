"""A side-effect AdverseEvent written by :func:`side_effect_resource` and read back
into a record ``side_effects`` item (issue 24), for the record validator to check.

Only the AdverseEvents spasmcare writes are read: the event coded ``side-effect-<code>`` in
spasmcare's code system; the CTCAE grade, resolution date and action taken in its extensions.
Anything else is an InputError naming the element. The item goes through
:func:`spasmcare.record.record_from_dict` like every other input; this module checks shape,
not meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spasmcare.errors import InputError
from spasmcare.interop.fhir_codes import (
    AE_OUTCOME,
    CODE_SYSTEM,
    EXT_ACTION,
    EXT_CTCAE_GRADE,
    EXT_RESOLVED,
    _coding,
    _concept,
)
from spasmcare.record.side_effects import ACTIONS, EFFECTS, REPORTERS, SideEffect

_PREFIX = "side-effect-"


def side_effect_item(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The record item of one AdverseEvent written by spasmcare."""
    if resource.get("resourceType") != "AdverseEvent":
        raise InputError("resourceType", resource.get("resourceType"), "AdverseEvent")
    codings = resource.get("event", {}).get("coding", [])
    code = next(
        (
            c["code"][len(_PREFIX) :]
            for c in codings
            if c.get("system") == CODE_SYSTEM and str(c.get("code", "")).startswith(_PREFIX)
        ),
        None,
    )
    if code is None:
        raise InputError("AdverseEvent.event", codings, f"a {CODE_SYSTEM} side-effect code")
    item: dict[str, Any] = {"effect": code, "onset": resource.get("date", "")[:10]}
    for ext in resource.get("extension", []):
        if ext.get("url") == EXT_CTCAE_GRADE:
            item["grade"] = ext.get("valueInteger")
        elif ext.get("url") == EXT_RESOLVED:
            item["resolved"] = ext.get("valueDate")
        elif ext.get("url") == EXT_ACTION:
            item["action"] = str(ext.get("valueCoding", {}).get("code", "")).removeprefix("action-")
    reporter = resource.get("recorder", {}).get("display")
    by_label = {label: code for code, label in REPORTERS.items()}
    if reporter not in by_label:
        raise InputError("AdverseEvent.recorder.display", reporter, ", ".join(by_label))
    item["reported_by"] = by_label[reporter]
    for entity in resource.get("suspectEntity", []):
        display = entity.get("instance", {}).get("display", "")
        if display.startswith("diet period "):
            item["diet"] = display[len("diet period ") :]
    return item


def side_effect_resource(se: SideEffect, rid: str, subject: dict[str, Any]) -> dict[str, Any]:
    """A record side effect as a FHIR R4B AdverseEvent (its codes and extensions are
    spasmcare's own, documented in docs/MULTICENTRE.md)."""
    ext = []
    if se.grade is not None:
        ext.append({"url": EXT_CTCAE_GRADE, "valueInteger": se.grade})
    if se.resolved is not None:
        ext.append({"url": EXT_RESOLVED, "valueDate": se.resolved.isoformat()})
    outcome = ("resolved", "Resolved") if se.resolved else ("ongoing", "Ongoing")
    out: dict[str, Any] = {
        "resourceType": "AdverseEvent",
        "id": rid,
        "actuality": "actual",
        "event": _concept(CODE_SYSTEM, f"side-effect-{se.effect}", EFFECTS[se.effect]),
        "subject": subject,
        "date": se.onset.isoformat(),
        "outcome": _concept(AE_OUTCOME, *outcome),
        "recorder": {"display": REPORTERS[se.reported_by]},
    }
    if ext:
        out["extension"] = ext
    if se.diet is not None:
        out["suspectEntity"] = [{"instance": {"display": f"diet period {se.diet}"}}]
    if se.action is not None:
        action = _coding(CODE_SYSTEM, f"action-{se.action}", ACTIONS[se.action])
        out.setdefault("extension", []).append({"url": EXT_ACTION, "valueCoding": action})
    return out
