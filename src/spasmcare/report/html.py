"""One self-contained HTML page from :func:`spasmcare.report.data.build_report`.

Charts are SVG written inline (:mod:`spasmcare.report.charts`); styles are inline; no script,
font or CDN is loaded, so the file opens offline and prints on A4.
"""

from __future__ import annotations

from html import escape
from typing import Any

from spasmcare.errors import InputError
from spasmcare.measures.labs import UNSOURCED_ALERTS
from spasmcare.plain import code_words, when_text, words
from spasmcare.record.model import DIET_LABELS, ETIOLOGY_LABELS
from spasmcare.report import svg
from spasmcare.report.charts import (
    adherence_svg,
    growth_svg,
    has_growth,
    has_timeline,
    timeline_svg,
)
from spasmcare.report.data import DIET_KEYS, TREATMENT_KEYS, measure_text

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:24px auto;
max-width:1100px;color:#1c2833;font-size:14px;line-height:1.4}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;border-bottom:2px solid #d5d8dc;
padding-bottom:3px;margin-top:28px}h3{font-size:15px;margin:16px 0 6px}
.meta{color:#566573}.box{border:1px solid #d5d8dc;border-radius:6px;padding:10px 14px;margin:10px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{border-bottom:1px solid #e5e8e8;padding:4px 6px;text-align:left;vertical-align:top}
td:first-child{white-space:nowrap}
th{background:#f4f6f7;font-size:12px;text-transform:uppercase;letter-spacing:.02em}
td.src,span.src{color:#7f8c8d;font-size:11px}.num{text-align:right;white-space:nowrap}
.chip{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;
white-space:nowrap}.met{background:#d4efdf;color:#145a32}.notmet{background:#fadbd8;color:#78281f}
.na{background:#eaecee;color:#424949}.measured{background:#d6eaf8;color:#1b4f72}
.urgent{border-left:5px solid #c0392b;background:#fdedec}.review{border-left:5px solid #d68910;
background:#fef5e7}.info{border-left:5px solid #5d6d7e;background:#f4f6f7}
.alert{padding:6px 10px;margin:4px 0}.small{font-size:12px}img{max-width:100%}
figure.chart{margin:8px 0}figure.chart svg{max-width:100%;height:auto}
.summary td{border:none;padding:2px 10px 2px 0}
.mt td:nth-child(1){width:27%;white-space:normal}time{white-space:nowrap}
.mt td:nth-child(3){width:24%}
.mt td:nth-child(4){width:15%}footer{margin-top:30px;color:#7f8c8d;font-size:11px}
@media print{body{margin:0;font-size:11px}h2{page-break-after:avoid}}
"""

#: Chip colour by the measure's ``favourable`` (its polarity lives on MeasureResult).
FAVOURABLE_CLASS: dict[bool | None, str] = {True: "met", False: "notmet"}


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _t(value: Any) -> str:
    """Free text for people (a reason, a message): escaped, ISO dates, review marks and codes
    in it as people write them (:func:`spasmcare.plain.words`)."""
    return escape(words(value))


class _Html(str):
    """A table cell that is already HTML (not escaped again)."""


def _day(value: Any) -> _Html:
    """``<time datetime="2026-05-22">22 May 2026</time>``: the date as people write it, the
    ISO date (or date-time) kept for machines in the attribute; "" for no date."""
    if value in (None, ""):
        return _Html("")
    iso = str(value)
    shown = when_text(iso) or iso
    return _Html(f'<time datetime="{escape(iso)}">{escape(shown)}</time>')


def _diet(code: Any) -> str:
    return DIET_LABELS.get(str(code), str(code))


def _protocols() -> dict[str, dict[int, str]]:
    """Protocol titles by id and version (bundled and the clinic's); empty when the protocols
    cannot be read (the report then shows the protocol id). The protocols are kept per process
    under their files' names, sizes and times
    (:func:`spasmcare.therapy.protocol.version_titles`)."""
    from spasmcare.therapy.protocol import version_titles

    try:
        return version_titles()
    except (InputError, OSError):
        return {}


def _protocol(titles: dict[str, dict[int, str]], pid: Any, version: Any = None) -> str:
    """A protocol by its title (the given version, else the newest), its id in the tooltip."""
    if not pid:
        return "—"
    by = titles.get(str(pid), {})
    title = by.get(version) if isinstance(version, int) else None
    title = title or (by[max(by)] if by else None)
    if title is None:
        return _e(pid)
    tip = f"{pid} v{version}" if isinstance(version, int) else str(pid)
    return f'<span title="{_e(tip)}">{_e(title)}</span>'


def _chart(image: str | None) -> str:
    """An SVG chart inline (it carries its own title and description), scaled to the page."""
    return "" if image is None else f'<figure class="chart">{svg.inline(image)}</figure>'


def _chip(m: dict[str, Any]) -> str:
    """Green for good news, red for bad news, neutral for a number or an answer to act on."""
    css = FAVOURABLE_CLASS.get(m.get("favourable")) or (
        "na" if m["status"] == "not assessable" else "measured"
    )
    return f'<span class="chip {css}">{_t(measure_text(m))}</span>'


def _window(m: dict[str, Any]) -> str:
    w = m.get("window")
    return f"{_day(w['from'])} → {_day(w['to'])}" if w else ""


def _measure_table(measures: dict[str, Any], keys: tuple[str, ...]) -> str:
    rows = []
    for key in keys:
        m = measures.get(key)
        if m is None:
            continue
        rows.append(
            f"<tr data-measure='{_e(key)}'><td><b>{_t(m['label'])}</b></td>"
            f"<td>{_chip(m)}</td><td class='small'>{_t(m['reason'])}</td>"
            f"<td class='small'>{_window(m)}<br>{m['days_used_count']} day(s) used</td>"
            f"<td class='src'>{_t(m['source'])}</td></tr>"
        )
    return (
        "<table class='mt'><tr><th>Definition</th><th>Result</th><th>Why</th>"
        "<th>Window / days</th><th>Source</th></tr>" + "".join(rows) + "</table>"
    )


def _table(headers: list[str], rows: list[list[Any]], num: set[int] | None = None) -> str:
    num = num or set()
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='{'num' if i in num else ''}'>{c if isinstance(c, _Html) else _t(c)}</td>"
            for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(value: Any, digits: int = 2, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _header(r: dict[str, Any]) -> str:
    p, e, d = r["patient"], r["etiology"], r["diary"]
    if p["age_months_at_last_diary_day"] is None:
        age = "no diary entries yet"
    else:
        age = f"{p['age_months_at_last_diary_day']} months at the last diary day" + (
            f" (corrected {p['corrected_age_months_at_last_diary_day']} months)"
            if p["preterm"] and p["corrected_age_months_at_last_diary_day"] is not None
            else ""
        )
    etiology = (
        ETIOLOGY_LABELS.get(e["category"], e["category"])
        + (f" — {e['gene']}" if e["gene"] else "")
        + (f". {e['detail']}" if e["detail"] else "")
    )
    return (
        f"<h1>Infantile spasms report — {_e(p['name'] or p['id'])}</h1>"
        f"<div class='meta'>Record {_e(p['id'])} · {_e(p['sex'])} · born {_day(p['birth_date'])} "
        f"at {_e(p['gestation'])} weeks"
        f"{' (preterm: growth uses corrected age)' if p['preterm'] else ''}"
        f" · {_e(age)} · spasm onset {_day(p['onset_date']) or 'not recorded'}</div>"
        f"<div class='meta'>Etiology: {_t(etiology)}</div>"
        f"<div class='meta'>{_diary_line(d)}</div>"
    )


def _diary_line(d: dict[str, Any]) -> str:
    """The diary summary; a patient with no diary days reads "no entries yet", never "→ :" or
    "( %)"."""
    if not d["days_in_span"] or d["first_day"] is None:
        return "Diary: no entries yet."
    coverage = f" ({_e(d['coverage_percent'])} %)" if d["coverage_percent"] is not None else ""
    return (
        f"Diary {_day(d['first_day'])} → {_day(d['last_day'])}: "
        f"{d['recorded_days']} of {d['days_in_span']} days recorded{coverage}, "
        f"{d['entries']} entries, {d['spasms_total']} spasms. "
        "Unrecorded days are unknown, never counted as spasm-free."
    )


def _summary(r: dict[str, Any]) -> str:
    m = r["measures"]
    keys = (
        "ukiss_response",
        "electroclinical_response_day14",
        "iciss_response",
        "nisc_treatment_failure_free_day60",
        "relapse",
        "kd_responder_3m",
    )
    cells = "".join(
        f"<tr data-measure='{_e(k)}'><td>{_t(m[k]['label'])}</td><td>{_chip(m[k])}</td></tr>"
        for k in keys
    )
    index = next((t for t in r["treatments"] if t["id"] == r["index_treatment"]), None)
    title = (
        f"First-line course judged: {_e(index['drug'])} from "
        f"{_day(index['start'])}"
        if index
        else "No treatment recorded"
    )
    return f"<div class='box'><b>{title}</b><table class='summary'>{cells}</table></div>"


def _alert_rows(alerts: list[dict[str, Any]]) -> str:
    out = []
    for a in alerts:
        action = f"<br><b>Action:</b> {_t(a['action'])}" if a.get("action") else ""
        out.append(
            f"<div class='alert {_e(a['severity'])}' data-alert='{_e(a['kind'])}'>"
            f"<b>{_e(a['severity'].upper())}</b> "
            f"{_day(str(a['at'])[:16]) if a['at'] else ''} — {_t(a['message'])}{action}"
            f" <span class='src'>[{_t(a['source'])}]</span></div>"
        )
    return "".join(out)


def _alerts(r: dict[str, Any]) -> str:
    """Today's alerts: the patient list's and the dashboard's (the same status)."""
    status = r["status"]
    when = f"<p class='small'>As of {_day(status['on'])}.</p>"
    if not r["alerts"]:
        return when + "<p>No alerts.</p>"
    return when + _alert_rows(r["alerts"])


def _in_force(r: dict[str, Any]) -> str:
    """The courses with the dose in force, the course day and the stop; the checks coming."""
    status = r["status"]
    rows = [
        f"<li data-course='{_e(c['treatment'])}'>{_t(c['text'])}"
        + (
            f" — next: {c['next_change']['amount']:g} {_e(c['next_change']['unit'])} from "
            f"{_day(c['next_change']['start'])}"
            if c["next_change"] and c["state"] == "in force"
            else ""
        )
        + "</li>"
        for c in status["courses"]
    ]
    rows += [f"<li>{_e(d['label'])} from {_day(d['start'])}</li>" for d in status["diets"]]
    checks = "".join(f"<li>{_t(c['what'])}: {_day(c['due'])}</li>" for c in status["next_checks"])
    body = f"<ul>{''.join(rows)}</ul>" if rows else "<p>No drug course or diet recorded.</p>"
    if checks:
        body += f"<p class='small'>Next checks due:</p><ul class='small'>{checks}</ul>"
    return body


def _blood_pressure(r: dict[str, Any]) -> str:
    bp = r["status"]["blood_pressure"]
    sys_limit, dia_limit = bp["systolic_limit_mmhg"], bp["diastolic_limit_mmhg"]
    if sys_limit is None or dia_limit is None:
        limits = (
            "The clinic's blood-pressure limits are not set (the sources give no infant "
            "threshold): readings are not checked against a limit."
        )
    else:
        limits = f"Clinic limits: above {sys_limit:g}/{dia_limit:g} mmHg raises an alert."
    rows = [
        [
            _day(v["at"]),
            f"{v['systolic_mmhg']:g}/{v['diastolic_mmhg']:g} mmHg",
            "" if v["heart_rate_bpm"] is None else f"{v['heart_rate_bpm']:g}/min",
        ]
        for v in bp["readings"]
    ]
    table = (
        _table(["Time", "Blood pressure", "Heart rate"], rows)
        if rows
        else f"<p>No reading in the last {bp['window_days']} days.</p>"
    )
    return f"<p class='small'>{_e(limits)}</p>" + table


def _findings(r: dict[str, Any]) -> str:
    """Out-of-range results and flags of every date: history, not today's alerts."""
    if not r.get("findings"):
        return "<p>No out-of-range result or flag recorded.</p>"
    return _alert_rows(r["findings"])


def _day7(r: dict[str, Any], titles: dict[str, dict[int, str]]) -> str:
    d7 = r["day7_decision"]
    m = d7["measure"]
    saved = next((p for p in r["status"].get("decisions", []) if p.get("day") == 7), None)
    if saved is not None:
        # the answer recorded with the course decides; the diary measure says what it rests on
        answer = "yes" if saved["answer"] else "no"
        return (
            f"<p id='day7'><b>{_t(saved['question'])}</b> answered <b>{answer}</b> in the saved "
            f"course: {_t(saved['effect'])}<br><span class='small'>The diary measure "
            f"({_t(m['label'])}): {_chip(m)} {_t(m['reason'])}</span></p>"
        )
    text = f"<p><b>{_t(m['label'])}</b> {_chip(m)} <span class='small'>{_t(m['reason'])}</span>"
    plan = d7.get("replan")
    if plan and plan.get("available"):
        days = "; ".join(
            f"day {x['day']} ({_day(x['date'])}): "
            + _t(f"{x['total_mg']:g} mg" if x["total_mg"] else ", ".join(x["pending"]) or "no dose")
            for x in plan["days"]
        )
        answer = {True: "yes", False: "no"}.get(plan["answer"], "unknown")
        text += (
            f"<br>Re-planned with protocol <b>"
            f"{_protocol(titles, plan['protocol'], plan['version'])}</b> "
            f"(version {_e(plan['version'])}) at {_e(plan['weight_kg'])} kg, answer "
            f"<b>{answer}</b>: {days}. Course ends {_day(plan['end'])}."
        )
        for point in plan["decision_points"]:
            text += (
                f"<br><span class='small'>{_t(point['question'])} → {_t(point['effect'])}</span>"
            )
    elif plan:
        text += f"<br><span class='small'>Re-plan not available: {_t(plan['reason'])}</span>"
    return text + "</p>"


def _treatment_sections(r: dict[str, Any], titles: dict[str, dict[int, str]]) -> str:
    out = []
    for t in r["treatments"]:
        doses = ", ".join(
            f"{d['amount']:g} {_e(d['unit'])} from {_day(d['start'])}" for d in t["doses"]
        )
        head = (
            f"{_e(t['drug'])}, protocol {_protocol(titles, t['protocol'])}, "
            f"{_day(t['start'])} → {_day(t['stop']) or 'ongoing'}"
        )
        if t["continues"]:
            earlier = _e(_course_name(r, t["continues"]))
            out.append(f"<p class='small'>{head}: continues {earlier}</p>")
            continue
        is_index = t["id"] == r["index_treatment"]
        body = f"<p class='small'>Doses: {doses or 'not recorded'}</p>" + _measure_table(
            t["measures"], TREATMENT_KEYS
        )
        out.append(
            f"<details{' open' if is_index else ''}><summary><b>{head}</b>"
            f"{' — first-line course' if is_index else ''}</summary>{body}</details>"
        )
    return "".join(out)


def _course_name(r: dict[str, Any], treatment_id: Any) -> str:
    """A course by its drug and start ("prednisolone from 1 Jun 2026"), never its id."""
    t = next((t for t in r["treatments"] if t["id"] == treatment_id), None)
    if t is None:
        return "an earlier course"
    return f"{t['drug']} from {when_text(str(t['start'])) or t['start']}"


def _diet_sections(r: dict[str, Any]) -> str:
    out = []
    for d in r["diets"]:
        out.append(
            f"<h3>{_e(_diet(d['diet']))} from {_day(d['start'])} → "
            f"{_day(d['stop']) or 'ongoing'}, prescribed ratio "
            f"{_e(d['prescribed_ratio'])}:1</h3>" + _measure_table(d["measures"], DIET_KEYS)
        )
    if r["diets"]:
        caveat = r["diets"][0]["measures"]["adherence_bhb_vs_spasms"]["details"].get("caveat", "")
        out.append(f"<p class='small'><b>Caveat:</b> {_t(caveat)}</p>")
        out.append(_chart(adherence_svg(r)))
    return "".join(out) or "<p>No diet period recorded.</p>"


def _eeg(r: dict[str, Any]) -> str:
    rows = []
    for e in r["eeg"]:
        items = ", ".join(f"{code_words(k)} {v}" for k, v in e["kramer_items"].items())
        hyps = {True: "yes", False: "no", None: "not stated"}[e["hypsarrhythmia"]]
        rows.append(
            [
                _day(e["date"]),
                hyps,
                "—" if e["kramer_total"] is None else f"{e['kramer_total']} ({items})",
                "—" if e["based_grade"] is None else f"{e['based_grade']}: {e['based_label']}",
                "; ".join(code_words(v) for v in e["kramer_variants"]) or "—",
                e["report"] or "",
                "; ".join(e["flags"]) or "—",
            ]
        )
    if not rows:
        return "<p>No EEG recorded.</p>"
    opts = r["options"]["eeg"]
    note = (
        f"<p class='src'>Kramer items 0-3 each; maximum accepted {opts['kramer_max_total']} "
        f"(15 vs 16 disputed); better-outcome group ≤ {opts['kramer_favourable_max']} "
        "(Kramer 1997). BASED grades per Mytinger 2021. Point definitions per item: NOT "
        "FOUND in the reference — score per your EEG department.</p>"
    )
    return (
        _table(
            ["Date", "Hyps", "Kramer total (items)", "BASED", "Variants", "Report", "Flags"], rows
        )
        + note
    )


def _timeline(r: dict[str, Any]) -> str:
    if not has_timeline(r):
        return "<p>No entries yet: the timeline shows from the first diary day, course or EEG.</p>"
    return _chart(timeline_svg(r))


def _growth(r: dict[str, Any]) -> str:
    g = r["growth"]
    rows = [
        [
            _day(x["date"]),
            _fmt(x["age_years"] * 12, 1),
            _fmt(
                x["corrected_age_years"] * 12 if x["corrected_age_years"] is not None else None, 1
            ),
            f"{_fmt(x['weight_kg'])} ({_fmt(x['weight_sds'], signed=True)})",
            f"{_fmt(x['length_cm'], 1)} ({_fmt(x['height_sds'], signed=True)})",
            f"{_fmt(x['head_circumference_cm'], 1)} "
            f"({_fmt(x['head_circumference_sds'], signed=True)})",
            f"{_fmt(x['bmi_kg_m2'], 1)} ({_fmt(x['bmi_sds'], signed=True)})",
        ]
        for x in g["rows"]
    ]
    flags = "".join(
        f"<div class='alert review small'>{_day(f['date'])}: {_t(f['message'])} "
        f"<span class='src'>[{_t(f['source'])}]</span></div>"
        for f in g["flags"]
    )
    if not g["rows"]:
        return "<p>No growth measurements yet.</p>"
    return (
        (_chart(growth_svg(r)) if has_growth(r) else "")
        + _table(
            [
                "Date",
                "Age [mo]",
                "Corrected [mo]",
                "Weight kg (SDS)",
                "Length cm (SDS)",
                "Head circ. cm (SDS)",
                "BMI (SDS)",
            ],
            rows,
            num={1, 2},
        )
        + "<p class='src'>z-scores (SDS) against "
        + _e(g["reference"].upper())
        + " via rcpchgrowth; no z-score before term-equivalent age (preterm chart "
        "needed).</p>" + (flags or "<p>No growth flags.</p>")
    )


def _labs(r: dict[str, Any]) -> str:
    rows = [
        [
            _day(x["at"]),
            x["label"],
            f"{x['value']:g} {x['unit']}",
            f"{x['value_si']:g} {x['unit_si']}",
            x["note"] or "",
        ]
        for x in r["labs"]["rows"]
    ]
    limits = r["options"]["labs"]
    extra = "".join(
        f"<li>{_e(label)}: no sourced cut-off; the clinic can set its own</li>"
        for name, label in UNSOURCED_ALERTS.items()
        if limits.get(name) is None
    )
    table = (
        _table(["Time", "Test", "As entered", "SI", "Note"], rows)
        if rows
        else "<p>No lab results yet.</p>"
    )
    return table + (
        f"<p class='small'>Not alerted (no sourced cut-off):</p><ul class='small'>{extra}</ul>"
        if extra
        else ""
    )


# --- development (issue 25): the report's plain development section ------------------------

_WHO_STATUS_WORDS = {
    "achieved": "achieved",
    "in-window": "not yet (inside its window)",
    "before-window": "not yet expected",
    "review-due": "developmental review due",
    "not-recorded": "not recorded",
}


def _development(r: dict[str, Any]) -> str:
    """Development: at diagnosis, the six WHO milestones against their windows on corrected
    age, CDC milestones and instrument scores as entered, and the review prompts (a prompt for
    an assessment, never a diagnosis)."""
    d = r.get("development")
    if not d:
        return "<p>No development section in this report.</p>"
    age = f"{d['corrected_age_months']:.1f} months"
    if d["age_corrected"]:
        age += (
            f" corrected ({d['age_months']:.1f} months from birth, "
            f"{d['weeks_early']:g} weeks early)"
        )
    parts = [f"<p>Age on {_day(d['on'])}: {_e(age)}.</p>"]
    at = d["at_diagnosis"]
    if at is not None:
        achieved = ", ".join(m["label"] for m in at["milestones_achieved"]) or "none recorded"
        parts.append(
            f"<p>At diagnosis: {_e(at['course_label'])}. Milestones achieved then: "
            f"{_e(achieved)}.</p>"
        )
    else:
        parts.append("<p>Development at diagnosis not recorded.</p>")
    if not d["milestones_tracked"]:
        parts.append("<p>No milestones recorded yet: no review prompt is raised.</p>")
    if d["review_due"]:
        items = "".join(f"<li>{_t(x['message'])}</li>" for x in d["review_due"])
        parts.append(f"<ul class='alerts'>{items}</ul>")
    rows = [
        [
            w["label"],
            f"{w['window_start_months']:g}–{w['window_end_months']:g} months",
            _WHO_STATUS_WORDS.get(w["status"], w["status"]),
            _day(w["achieved_on"]),
            "" if w["corrected_age_achieved_months"] is None
            else f"{w['corrected_age_achieved_months']:.1f}",
            ("confirmed by " + w["confirmed_by"]) if w["confirmed_by"]
            else (f"reported by {w['reported_by']}" if w["reported_by"] else ""),
        ]
        for w in d["who"]
    ]
    parts.append(
        _table(
            ["WHO milestone", "Window (1st–99th percentile)", "Status", "Achieved",
             "Corrected age then (months)", "Confirmation"],
            rows,
        )
    )
    if d["cdc"]:
        parts.append(
            _table(
                ["CDC milestone (own words)", "Visit age", "Status", "Date", "Confirmation"],
                [
                    [
                        c["label"], f"{c['visit_months']} months",
                        "achieved" if c["status"] == "achieved" else "not yet",
                        _day(c["date"]),
                        ("confirmed by " + c["confirmed_by"]) if c["confirmed_by"]
                        else f"reported by {c['reported_by']}",
                    ]
                    for c in d["cdc"]
                ],
            )
        )
    if d["assessments"]:
        rows = []
        for a in d["assessments"]:
            for sc in a["scores"]:
                score = "" if sc["score"] is None else f"{sc['score']:g}"
                rows.append(
                    [a["instrument_label"], _day(a["date"]),
                     f"{a['corrected_age_months']:.1f}", sc["label"], score,
                     sc["asq_cutoff_label"] or ""]
                )
        parts.append(
            _table(
                ["Instrument", "Date", "Corrected age (months)", "Score", "Value",
                 "ASQ-3 cut-off (as reported)"],
                rows,
                {2, 4},
            )
        )
    else:
        parts.append("<p>No instrument scores recorded.</p>")
    parts.append(f"<p class='small'>{_e(d['note'])} Sources: {_e(d['source'])}.</p>")
    return "".join(parts)


def render_html(report: dict[str, Any]) -> str:
    """The report page (``str``) from the dict of :func:`~spasmcare.report.data.build_report`."""
    r = report
    titles = _protocols()
    events = (
        _table(
            ["Date", "Type", "Grade", "Treatment", "Note"],
            [
                [
                    _day(a["date"]),
                    code_words(a["type"]),
                    a["grade"] or "",
                    _course_name(r, a["treatment"]) if a["treatment"] else "",
                    a["note"] or "",
                ]
                for a in r["adverse_events"]
            ],
        )
        if r["adverse_events"]
        else "<p>No adverse events recorded.</p>"
    )
    title = _e(r["patient"]["name"] or r["patient"]["id"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>spasmcare report — {title}</title><style>{CSS}</style></head><body>
{_header(r)}
{_summary(r)}
<section id="alerts"><h2>Alerts</h2>{_alerts(r)}</section>
<section id="in-force"><h2>In force today</h2>{_in_force(r)}</section>
<section id="blood-pressure"><h2>Blood pressure</h2>{_blood_pressure(r)}</section>
<h2>Timeline</h2>{_timeline(r)}
<h2>Drug courses and response</h2>{_day7(r, titles)}{_treatment_sections(r, titles)}
<h2>Diet</h2>{_diet_sections(r)}
<h2>EEG</h2>{_eeg(r)}
<h2>Growth</h2>{_growth(r)}
<h2>Labs</h2>{_labs(r)}
<section id="development"><h2>Development</h2>{_development(r)}</section>
<h2>Findings of every date (history, not alerts)</h2>{_findings(r)}
<h2>Adverse events</h2>{events}
<footer>spasmcare report format {r["report_version"]}, record schema v{r["record_schema_version"]}.
Every measure says which recorded days it rests on; thresholds and windows are configurable
(options in the JSON output). This report supports, and never replaces, the clinical team.
</footer></body></html>
"""
