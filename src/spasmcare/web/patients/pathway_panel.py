"""The dashboard's care-pathway panel (issue 23): one service call, everything in words.

:func:`panel` reads the patient's record and asks the domain for the time-to-treatment
measures (:mod:`spasmcare.measures.pathway`), the etiology work-up checklist in NISC's order
(:mod:`spasmcare.measures.workup`), the referral flags and the first-line proposal of the rule
table (:mod:`spasmcare.therapy.pathway_rules`) with the neurologist's recorded decision.
Nothing clinical is computed here: the domain's results are put into sentences.

The clinic's chosen guideline is the setting ``SPASMCARE_PATHWAY_GUIDELINE``; unset, the
proposal of every guideline of the table is shown (no guideline is chosen for the clinic).
A proposal is advice: accepting or overriding it (with a reason) is an audited entry, and
nothing is prescribed from it (:func:`accept`, :func:`override`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from spasmcare.errors import InputError
from spasmcare.measures.pathway import KPIS, KpiResult, patient_kpis
from spasmcare.measures.workup import LABELS as WORKUP_LABELS
from spasmcare.measures.workup import workup_checklist
from spasmcare.plain import day_text, words
from spasmcare.record.model import Record
from spasmcare.record.pathway import PATHWAY_LABELS
from spasmcare.therapy.pathway_rules import RuleTable, flags, load_table, propose
from spasmcare.web.clinic import audit, pathway_rows, records
from spasmcare.web.clinic.models import Entry, Kind, Patient, User

#: How each state reads on the page.
KPI_STATES = {"met": "met", "not-met": "not met", "pending": "pending", "excluded": "not counted"}
WORKUP_STATES = {
    "done": "done",
    "pending": "pending",
    "to-do": "to do",
    "not-indicated": "not indicated",
}


def rule_table() -> RuleTable:
    """The clinic's rule table (its own copy when ``SPASMCARE_PATHWAY_RULES_DIR`` is set)."""
    folder = getattr(settings, "SPASMCARE_PATHWAY_RULES_DIR", None)
    return load_table(Path(folder) if folder else None)


def guidelines(table: RuleTable) -> list[str]:
    """The guidelines whose proposals are shown: the clinic's choice, or every one."""
    chosen = getattr(settings, "SPASMCARE_PATHWAY_GUIDELINE", None)
    return [chosen] if chosen else list(table.guidelines)


def kpi_words(result: KpiResult, window_days: int) -> str:
    """One measure's result for one patient in words, with the days counted."""
    if result.status == "excluded":
        return f"not counted: {result.reason}"
    assert result.start is not None and result.days is not None
    day_word = "day" if result.days == 1 else "days"
    since = f"from {day_text(result.start)}"
    if result.event is not None:
        return (
            f"{KPI_STATES[result.status]}: {result.days} {day_word} "
            f"({since} to {day_text(result.event)}; the window is {window_days} days)"
        )
    if result.status == "pending":
        return (
            f"pending: {result.days} {day_word} counted so far ({since}), "
            f"inside the {window_days}-day window"
        )
    return (
        f"not met: {result.days} {day_word} counted ({since}) and nothing recorded yet; "
        f"the window was {window_days} days"
    )


def _kpis(record: Record, today: date) -> list[dict[str, Any]]:
    results = {r.kpi: r for r in patient_kpis(record, today)}
    return [
        {
            "title": kpi.title,
            "state": results[kpi.id].status,
            "state_text": KPI_STATES[results[kpi.id].status],
            "text": kpi_words(results[kpi.id], kpi.window_days),
            "numerator": kpi.numerator,
            "source": kpi.source,
        }
        for kpi, _ in KPIS
    ]


@dataclass(frozen=True)
class Decision:
    """The neurologist's latest recorded answer to one proposal."""

    accepted: bool
    day: date
    text: str


def _decision(rule: str, answers: list[Entry]) -> Decision | None:
    """The latest answer to proposal ``rule`` (an acceptance or an override with its reason),
    the later written winning on the same day."""
    found = [e for e in answers if e.data.get("proposal") == rule]
    if not found:
        return None
    last = max(found, key=lambda e: (e.day, e.pk))
    d = last.data
    by = f" by {d['by']}" if d.get("by") else ""
    if last.kind == Kind.PATHWAY_ACCEPT:
        return Decision(True, last.day, f"Accepted on {day_text(last.day)}{by}")
    chosen = f"chose {d['chosen']}; " if d.get("chosen") else ""
    return Decision(
        False, last.day, f"Overridden on {day_text(last.day)}{by}: {chosen}{d.get('reason')}"
    )


def _proposals(record: Record, table: RuleTable, answers: list[Entry]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for guideline in guidelines(table):
        p = propose(record, guideline, table)
        if p.rule in out:
            out[p.rule]["guidelines"].append(table.guidelines[guideline])
            continue
        out[p.rule] = {
            "rule": p.rule,
            "guidelines": [table.guidelines[guideline]],
            "text": p.text,
            "options": list(p.options),
            "source": p.source,
            "grade": p.grade,
            "decision": _decision(p.rule, answers),
        }
    return list(out.values())


def _parts(entries: list[Entry], record: Record) -> dict[str, list[dict[str, Any]]]:
    """The live list parts of the section, each with its words, for edit and retract links."""
    drugs = {t.id: f"{t.drug} from {day_text(t.start)}" for t in record.treatments}
    out: dict[str, list[dict[str, Any]]] = {"genetic": [], "metabolic": [], "failures": []}
    for e in sorted(entries, key=lambda e: e.pk):
        d = e.data
        if e.kind == Kind.PATHWAY_GENETIC:
            bits = [PATHWAY_LABELS.get(d.get("type", ""), "test")]
            bits += [f"requested {words(d['requested'])}"] if d.get("requested") else []
            bits += [f"resulted {words(d['resulted'])}"] if d.get("resulted") else []
            bits += [PATHWAY_LABELS[d["result"]]] if d.get("result") else []
            bits += [" ".join(filter(None, (d.get("gene"), d.get("variant"))))] if d.get(
                "gene"
            ) else []
            bits += [PATHWAY_LABELS[d["classification"]]] if d.get("classification") else []
            out["genetic"].append({"entry": e, "text": ", ".join(bits)})
        elif e.kind == Kind.PATHWAY_METABOLIC:
            bits = [str(d.get("name", ""))]
            bits += [f"requested {words(d['requested'])}"] if d.get("requested") else []
            bits += [f"resulted {words(d['resulted'])}"] if d.get("resulted") else []
            bits += [PATHWAY_LABELS[d["result"]]] if d.get("result") else []
            out["metabolic"].append({"entry": e, "text": ", ".join(bits)})
        elif e.kind == Kind.PATHWAY_FAILURE:
            course = drugs.get(str(d.get("treatment")), "a course no longer in the record")
            note = f" ({d['note']})" if d.get("note") else ""
            text = f"{course}: judged failed on {words(d.get('date'))}{note}"
            out["failures"].append({"entry": e, "text": text})
    return out


#: The entry kinds the panel shows (the dashboard reads them with its other entries).
KINDS: frozenset[str] = pathway_rows.KINDS | {Kind.PATHWAY_ACCEPT}


def panel(patient: Patient, entries: list[Entry]) -> dict[str, Any]:
    """Everything the dashboard's care-pathway panel shows, in words, from the patient's
    record and their live ``entries`` of :data:`KINDS` (``problem``: the record or the rule
    table does not read; the rest of the dashboard still shows)."""
    today = records.today()
    try:
        record = records.load_record(patient, today)
        table = rule_table()
    except InputError as exc:
        return {"problem": words(str(exc))}
    entries = [e for e in entries if e.kind in KINDS and e.retracted_at is None]
    answers = [e for e in entries if e.kind in (Kind.PATHWAY_ACCEPT, Kind.PATHWAY_OVERRIDE)]
    uses_trial = bool(getattr(settings, "SPASMCARE_PYRIDOXINE_TRIAL", False))
    return {
        "kpis": _kpis(record, today),
        "workup": [
            {
                "label": WORKUP_LABELS[item.id],
                "state": item.state,
                "state_text": WORKUP_STATES[item.state],
                "detail": words(item.detail),
            }
            for item in workup_checklist(record, clinic_uses_pyridoxine_trial=uses_trial)
        ],
        "workup_order": "NISC's order (MRI first, then genetics, metabolic tests selectively)",
        "flags": [f.to_dict() for f in flags(record, today, table)],
        "proposals": _proposals(record, table, answers),
        "table_version": table.version,
        "parts": _parts(entries, record),
        "dates_entry": pathway_rows.single(entries),
        "has_courses": bool(record.treatments),
        # courses not yet recorded as failed, each with a link to record it
        "unfailed": [
            (t.id, f"{t.drug} from {day_text(t.start)}")
            for t in record.treatments
            if t.continues is None and record.pathway.failed_on(t.id) is None
        ],
    }


def proposal_text(rule: str) -> str | None:
    """A proposal of the clinic's table in words with its source (None: no such rule)."""
    try:
        table = rule_table()
    except InputError:
        return None
    found = next((r for r in table.data["first_line"] if str(r["id"]) == rule), None)
    if found is None:
        return None
    options = "; ".join(str(o) for o in found["options"])
    return (
        f"{found['text']} Options: {options}. Source: {table.source(found['source'])} "
        f"({found['grade']})"
    )


def _rule_ids(table: RuleTable) -> set[str]:
    return {str(r["id"]) for r in table.data["first_line"]}


def accept(patient: Patient, proposal: str, user: User) -> Entry:
    """Record that the neurologist accepted the proposal ``proposal`` (a rule id of the
    clinic's table) today: an audited entry of the app's own; nothing is prescribed."""
    table = rule_table()
    if proposal not in _rule_ids(table):
        raise InputError("proposal", proposal, "a proposal of the clinic's rule table")
    data = {"date": records.today().isoformat(), "proposal": proposal, "by": _name(user)}
    return audit.create_entry(patient, Kind.PATHWAY_ACCEPT, data, user)


def override(
    patient: Patient, proposal: str, reason: str, chosen: str, user: User
) -> Entry:
    """Record an override of ``proposal`` with its reason (blank refused by the record
    validator) and what was chosen instead, in the record's ``pathway.overrides``."""
    table = rule_table()
    if proposal not in _rule_ids(table):
        raise InputError("proposal", proposal, "a proposal of the clinic's rule table")
    data = {
        "date": records.today().isoformat(),
        "proposal": proposal,
        "reason": reason,
        "by": _name(user),
    }
    if chosen.strip():
        data["chosen"] = chosen.strip()
    return audit.create_entry(patient, Kind.PATHWAY_OVERRIDE, data, user)


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()
