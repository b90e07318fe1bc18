"""Everything the report shows, as one JSON-ready ``dict`` with stable keys.

``build_report(record)["measures"]`` holds every measure under the name of its definition
(``ukiss_response``, ``iciss_response``, ``kd_responder_3m``, ...), each with ``status``,
``value``, ``window``, ``days_used``, ``reason`` and ``source``. The keys are always present:
a measure that cannot be computed (no treatment, no diet) is ``not assessable`` with a reason.

``alerts`` and ``status`` are :func:`spasmcare.measures.status.patient_status`: the same alerts,
doses in force and checks due as the patient list and the dashboard (the clinic app passes the
status it stored; the CLI computes it for ``ReportOptions.today``). Out-of-range results and
flags of every date (labs, growth, EEG) are history, under ``findings``, never alerts.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH, PRETERM_BEFORE_WEEKS, corrected_age_years
from spasmcare.jsonable import jsonable
from spasmcare.keto.monitoring import DEFAULT_MONITORING, MonitoringSettings, record_checks
from spasmcare.measures.adherence import (
    AdherenceOptions,
    Marker,
    adherence_correlation,
    adherence_rows,
)
from spasmcare.measures.alerts import DEFAULT_ALERT_SETTINGS, AlertSettings
from spasmcare.measures.development import development_summary
from spasmcare.measures.diary import DiaryView, MeasureResult
from spasmcare.measures.eeg import DEFAULT_EEG, EegOptions, eeg_rows, kd_hypsarrhythmia_score_3m
from spasmcare.measures.growth import (
    DEFAULT_GROWTH,
    GrowthOptions,
    growth_flags,
    growth_points,
    rounded_rows,
)
from spasmcare.measures.labs import (
    DEFAULT_LABS,
    LabThresholds,
    lab_alerts,
    lab_rows,
    not_configured,
)
from spasmcare.measures.other_seizures import first_other_seizure_after_cessation
from spasmcare.measures.pathway import pathway_report
from spasmcare.measures.response import (
    DEFAULT,
    ResponseOptions,
    diet_measures,
    index_treatment,
    time_to_spasm_cessation,
    treatment_measures,
)
from spasmcare.measures.status import patient_status
from spasmcare.plain import plain_dates
from spasmcare.record.model import DietPeriod, Record, Treatment
from spasmcare.record.side_effects import GRADE_SCALE, write_side_effects
from spasmcare.report.family import side_effect_words

REPORT_FORMAT = "spasmcare-report"
REPORT_VERSION = 1

TREATMENT_KEYS = (
    "baseline_spasms_per_day",
    "spasms_continuing_day7",
    "percent_change_days_8_14",
    "ukiss_response",
    "spasm_free_48h_day14",
    "elterman_response",
    "electroclinical_response_day14",
    "electroclinical_remission_28d",
    "iciss_response",
    "nisc_sustained_response",
    "nisc_treatment_failure_free_day60",
    "mytinger_remission_28d",
    "spasm_free_3m",
    "time_to_spasm_cessation",
    "relapse",
)
#: Measures of the index course computed beside its per-treatment ones (issue 23 item 6).
AFTER_CESSATION_KEYS = ("first_other_seizure_after_cessation",)
DIET_KEYS = (
    "kd_baseline_spasms_per_day",
    "kd_responder_1m",
    "kd_responder_3m",
    "kd_responder_6m",
    "kd_responder_12m",
    "kd_hypsarrhythmia_score_3m",
    "adherence_bhb_vs_spasms",
    "adherence_ratio_vs_spasms",
)
#: Every key of ``report["measures"]``, in display order.
MEASURE_KEYS = TREATMENT_KEYS + AFTER_CESSATION_KEYS + DIET_KEYS


@dataclass(frozen=True)
class ReportOptions:
    """All configurable choices, with their defaults (see each options class)."""

    response: ResponseOptions = DEFAULT
    eeg: EegOptions = DEFAULT_EEG
    growth: GrowthOptions = DEFAULT_GROWTH
    labs: LabThresholds = DEFAULT_LABS
    adherence: AdherenceOptions = field(default_factory=AdherenceOptions)
    treatment_id: str | None = None
    diet_id: str | None = None
    #: The day the status (alerts, doses in force) is for; None: the system date.
    today: date | None = None
    alerts: AlertSettings = DEFAULT_ALERT_SETTINGS
    #: The diet's monitoring schedule (clinic settings; :mod:`spasmcare.keto.monitoring`).
    monitoring: MonitoringSettings = DEFAULT_MONITORING


def _missing(key: str, why: str) -> dict[str, Any]:
    return MeasureResult(
        key=key,
        label=key.replace("_", " "),
        status="not assessable",
        value=None,
        source="",
        reason=why,
    ).to_dict()


def _weight_on(record: Record, day: date) -> float | None:
    weights = [
        g
        for g in sorted(record.growth, key=lambda g: g.day)
        if g.weight_kg is not None and g.day <= day
    ]
    return weights[-1].weight_kg if weights else None


#: Re-plans of a course with its day-7 answer kept per process (least recently used dropped
#: beyond this): each is a whole course plan made from the protocol files, and a diary tap
#: changes the report without changing the re-plan. A software setting.
REPLANS_KEPT = 256
_replans: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_replans_lock = threading.Lock()


def protocol_files() -> tuple[Any, ...]:
    """Names, sizes and modification times of the protocol files a re-plan may read (bundled,
    then the clinic's directory): a re-plan is kept only while they are unchanged."""
    from spasmcare.therapy.protocol import BUNDLED_DIR, resolve_protocols_dir

    folders = [BUNDLED_DIR]
    clinic = resolve_protocols_dir(None)
    if clinic is not None:
        folders.append(clinic)
    out = []
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            st = path.stat()
            out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


def day7_replan(record: Record, treatment: Treatment, answer: bool | None) -> dict[str, Any]:
    """Re-plan the course through :func:`spasmcare.therapy.plan_course` with the diary's
    answer to its day-7 decision; ``available: False`` with the reason when it cannot. Kept
    per process under everything it depends on (protocol, weight, start, answer, birth date,
    sex and the protocol files: :data:`REPLANS_KEPT`)."""
    if not treatment.protocol:
        return {"available": False, "reason": "the treatment names no protocol"}
    weight = _weight_on(record, treatment.start)
    if weight is None:
        return {"available": False, "reason": "no weight on or before the start"}
    p = record.patient
    try:
        files = protocol_files()
    except (InputError, OSError):
        return _replan(record, treatment, answer, weight)  # says why when it cannot
    key = (treatment.protocol, weight, treatment.start, answer, p.birth_date, p.sex, files)
    with _replans_lock:
        found = _replans.get(key)
        if found is not None:
            _replans.move_to_end(key)
    if found is None:
        found = _replan(record, treatment, answer, weight)
        with _replans_lock:
            _replans[key] = found
            while len(_replans) > REPLANS_KEPT:
                _replans.popitem(last=False)
    return copy.deepcopy(found)  # the caller's report may be changed; the kept one never


def _replan(
    record: Record, treatment: Treatment, answer: bool | None, weight: float
) -> dict[str, Any]:
    assert treatment.protocol is not None
    try:
        from spasmcare.therapy import day7_decision_id, load_protocol, plan_course

        protocol = load_protocol(treatment.protocol)
        decision = day7_decision_id(protocol)
        if decision is None:
            return {
                "available": False,
                "reason": f"protocol {treatment.protocol} has no day-7 decision",
            }
        plan = plan_course(
            protocol,
            weight_kg=weight,
            start=treatment.start,
            decisions={decision: answer},
            birth_date=record.patient.birth_date,
            sex=record.patient.sex,
        )
    except InputError as exc:
        return {"available": False, "reason": str(exc)}
    data = plan.to_dict()
    after = [d for d in data["days"] if d["day"] in (8, 9, 15)]
    return {
        "available": True,
        "protocol": data["protocol"],
        "version": data["version"],
        "weight_kg": weight,
        "decision": decision,
        "answer": answer,
        "decision_points": data["decision_points"],
        "days": [
            {
                "day": d["day"],
                "date": d["date"],
                "total_mg": round(sum(x["mg"] or 0 for x in d["doses"]), 2),
                "notes": d["notes"],
                "pending": [p["dose"] for p in d["pending"]],
            }
            for d in after
        ],
        "end": data["end"],
        "warnings": data["warnings"],
    }


def build_report(
    record: Record, options: ReportOptions | None = None, status: dict[str, Any] | None = None
) -> dict[str, Any]:
    """All measures, tables and alerts of one record as a JSON-ready dict (stable keys).

    ``status``: the patient's :func:`~spasmcare.measures.status.patient_status` as the caller
    computed it (the clinic app, with its monitoring checks and confirmations); None computes
    it from the record for ``options.today`` with ``options.alerts``."""
    o = options or ReportOptions()
    if status is None:
        status = patient_status(record, o.today or date.today(), settings=o.alerts)
    view = DiaryView(record)
    index = index_treatment(record, o.treatment_id)
    measures: dict[str, Any] = {}
    index_results: dict[str, MeasureResult] = {}
    treatments = _treatment_blocks(record, view, o, index, measures, index_results)
    # --- other seizures (issue 23 item 6): the first one after the index course's cessation
    if index is not None:
        cessation = index_results.get("time_to_spasm_cessation") or time_to_spasm_cessation(
            view, index, o.response
        )
        other = first_other_seizure_after_cessation(record, index, o.response, cessation)
        measures[other.key] = other.to_dict()
    # --- end other seizures
    for key in TREATMENT_KEYS + AFTER_CESSATION_KEYS:
        measures.setdefault(key, _missing(key, "no treatment in the record"))

    day7: dict[str, Any] = {"measure": measures["spasms_continuing_day7"]}
    if index is not None:
        day7["replan"] = day7_replan(record, index, measures["spasms_continuing_day7"]["value"])

    diet = _index_diet(record, o)
    diets = _diet_blocks(record, view, o, diet, measures)
    for key in DIET_KEYS:
        measures.setdefault(key, _missing(key, "no diet period in the record"))

    points = growth_points(record, o.growth)
    grows = rounded_rows(points)
    gflags = growth_flags(record, points, o.growth)
    rel = measures["relapse"]
    relapse_on = (
        date.fromisoformat(str(rel["value"])) if rel["status"] == "met" and rel["value"] else None
    )
    eegs = eeg_rows(record, o.eeg, relapse_on)
    alerts = _findings(record, o, measures, gflags, eegs)
    daily = _daily_rows(view)
    recorded_n = sum(1 for d in daily if d["recorded"])
    report = {
        "format": REPORT_FORMAT,
        "report_version": REPORT_VERSION,
        "record_schema_version": record.schema_version,
        "patient": _patient_block(record, view.last),
        "etiology": {
            "category": record.etiology.category,
            "gene": record.etiology.gene,
            "detail": record.etiology.detail,
        },
        "diary": {
            "first_day": view.first,
            "last_day": view.last,
            "days_in_span": len(daily),
            "recorded_days": recorded_n,
            "coverage_percent": round(100 * recorded_n / len(daily), 1) if daily else None,
            "entries": len(record.diary),
            "spasms_total": sum(e.spasms for e in record.diary),
        },
        "index_treatment": index.id if index else None,
        "index_diet": diet.id if diet else None,
        "measures": {k: measures[k] for k in MEASURE_KEYS},
        "day7_decision": day7,
        "treatments": treatments,
        "diets": diets,
        "eeg": eegs,
        "growth": {"reference": o.growth.reference, "rows": grows, "flags": gflags},
        "labs": {"rows": lab_rows(record), "not_configured": not_configured(o.labs)},
        "alerts": status["alerts"],
        "status": status,
        "findings": alerts,
        "adverse_events": [
            {
                "date": a.day,
                "type": a.type,
                "grade": a.grade,
                "treatment": a.treatment,
                "note": a.note,
            }
            for a in sorted(record.adverse_events, key=lambda a: a.day)
        ],
        "spasms_per_day": None,  # JSON-ready already: put in below, not walked again
        **_pathway_sections(record, o),
        "options": {
            "response": asdict(o.response),
            "eeg": asdict(o.eeg),
            "growth": asdict(o.growth),
            "labs": asdict(o.labs),
            "adherence": asdict(o.adherence),
        },
    }
    plain: dict[str, Any] = jsonable(report)
    plain["spasms_per_day"] = daily
    return plain


def _pathway_sections(record: Record, o: ReportOptions) -> dict[str, Any]:
    """The report's sections on the pathway around the first course, each read from its own
    domain module: development (issue 25), the diet's dated checks and side effects (issue 24)
    and the time-to-treatment measures with the days counted (issue 23)."""
    today = o.today or date.today()
    return {
        "development": development_summary(record, today),
        "diet_monitoring": record_checks(record, today, o.monitoring, o.labs),
        "side_effects": [
            {**item, "family_words": side_effect_words(se), "grade_scale": GRADE_SCALE}
            for se, item in zip(
                record.side_effects, write_side_effects(record.side_effects), strict=True
            )
        ],
        "pathway": pathway_report(record, today),
    }


def _patient_block(record: Record, last: date | None) -> dict[str, Any]:
    """Who the report is about, with the age (and corrected age) on the last diary day."""
    p = record.patient
    age_now = corrected = None
    if last is not None:
        age_now = round((last - p.birth_date).days / DAYS_PER_MONTH, 1)
        c = corrected_age_years(p.birth_date, last, p.gestation_weeks, p.gestation_days)
        corrected = round(c * 12, 1) if c is not None else None
    return {
        "id": p.id,
        "name": p.name,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "gestation": f"{p.gestation_weeks}+{p.gestation_days}",
        "preterm": p.gestation_weeks < PRETERM_BEFORE_WEEKS,
        "onset_date": p.onset_date,
        "age_months_at_last_diary_day": age_now,
        "corrected_age_months_at_last_diary_day": corrected,
    }


def _treatment_blocks(
    record: Record,
    view: DiaryView,
    o: ReportOptions,
    index: Treatment | None,
    measures: dict[str, Any],
    index_results: dict[str, MeasureResult],
) -> list[dict[str, Any]]:
    """Each treatment with its measures; the index treatment's measures go into ``measures``
    (and, as results, into ``index_results``: the report reads its cessation again)."""
    treatments = []
    for t in sorted(record.treatments, key=lambda t: (t.start, t.id)):
        results = treatment_measures(view, t, o.response, o.eeg) if t.continues is None else {}
        block: dict[str, Any] = {
            "id": t.id,
            "drug": t.drug,
            "protocol": t.protocol,
            "start": t.start,
            "stop": t.stop,
            "continues": t.continues,
            "doses": [
                {"start": d.start, "amount": d.amount, "unit": d.unit, "note": d.note}
                for d in t.doses
            ],
            "measures": {k: v.to_dict() for k, v in results.items()},
        }
        treatments.append(block)
        if index is not None and t.id == index.id:
            measures.update(block["measures"])
            index_results.update(results)
    return treatments


def _index_diet(record: Record, o: ReportOptions) -> DietPeriod | None:
    """The diet period judged: the one named in the options, else the first."""
    diet = (
        record.diet(o.diet_id)
        if o.diet_id
        else (
            sorted(record.diet_periods, key=lambda d: d.start)[0] if record.diet_periods else None
        )
    )
    if o.diet_id and diet is None:
        raise InputError(
            "diet",
            o.diet_id,
            "the id of a diet period in the record: "
            + ", ".join(d.id for d in record.diet_periods),
        )
    return diet


def _diet_blocks(
    record: Record,
    view: DiaryView,
    o: ReportOptions,
    diet: DietPeriod | None,
    measures: dict[str, Any],
) -> list[dict[str, Any]]:
    """Each diet period with its measures and adherence; the index diet's measures go into
    ``measures``."""
    diets = []
    for d in sorted(record.diet_periods, key=lambda d: d.start):
        results = diet_measures(view, d, o.response)
        results["kd_hypsarrhythmia_score_3m"] = kd_hypsarrhythmia_score_3m(record, d, o.eeg)
        markers: tuple[Marker, ...] = ("bhb", "ratio")
        for marker in markers:
            r = adherence_correlation(view, d, marker, o.adherence)
            results[r.key] = r
        dblock: dict[str, Any] = {
            "id": d.id,
            "diet": d.diet,
            "start": d.start,
            "stop": d.stop,
            "prescribed_ratio": d.prescribed_ratio,
            "measures": {k: v.to_dict() for k, v in results.items()},
            "adherence": adherence_rows(view, d),
        }
        diets.append(dblock)
        if diet is not None and d.id == diet.id:
            measures.update(dblock["measures"])
    return diets


def _findings(
    record: Record,
    o: ReportOptions,
    measures: dict[str, Any],
    gflags: list[dict[str, Any]],
    eegs: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Every out-of-range result and flag of the record, of any date (history, not alerts),
    most severe first."""
    alerts_lab = lab_alerts(record, o.labs)
    # every out-of-range result and flag of the record, of any date: history, not alerts
    alerts: list[dict[str, Any]] = [a.to_dict() for a in alerts_lab]
    latest_flag = {(f["kind"], f["measure"]): f for f in gflags}  # latest of each kind
    alerts += [
        {
            "kind": f["kind"],
            "severity": "review",
            "at": f["date"],
            "message": f["message"],
            "action": "Review growth and nutrition with the team.",
            "source": f["source"],
        }
        for f in latest_flag.values()
    ]
    for row in eegs:
        alerts += [
            {
                "kind": "eeg",
                "severity": "info",
                "at": row["date"],
                "message": msg,
                "action": "",
                "source": "EEG scores",
            }
            for msg in row["flags"]
        ]
    kd_flag = measures["kd_hypsarrhythmia_score_3m"]
    if kd_flag["status"] == "met":
        alerts.append(
            {
                "kind": "kd_hypsarrhythmia_3m",
                "severity": "review",
                "at": kd_flag["details"].get("eeg_date"),
                "message": kd_flag["reason"],
                "action": "Poor outcome on the diet likely: consider alternatives.",
                "source": kd_flag["source"],
            }
        )
    order = {"urgent": 0, "review": 1, "info": 2}
    alerts.sort(key=lambda a: (order.get(a["severity"], 3), str(a["at"])))

    return alerts


def _daily_rows(view: DiaryView) -> list[dict[str, Any]]:
    """Spasms per diary day, recorded or not, JSON-ready (as :func:`jsonable` makes them: a
    2-year diary has 730 rows, which the report does not walk a second time)."""
    daily = []
    if view.first and view.last:
        daily = [
            {
                "date": d.day.isoformat(),
                "recorded": d.recorded,
                "spasms": jsonable(d.spasms),
                "clusters": d.clusters,
            }
            for d in view.days(view.first, view.last)
        ]
    return daily


def measure_text(m: dict[str, Any]) -> str:
    """A measure result in a few words for display (the one wording, shared with the web app)."""
    value, status, key = m["value"], m["status"], m["key"]
    if status == "not assessable":
        return "not assessable"
    if key.startswith("kd_responder"):
        d = m["details"]
        bands = [
            name
            for name, ok in (
                ("≥ 50 %", d.get("responder_50")),
                ("≥ 90 %", d.get("responder_90")),
                ("100 %", d.get("spasm_free_100")),
            )
            if ok
        ]
        return f"{value:.0f} % reduction" + (f" ({', '.join(bands)})" if bands else "")
    if key == "relapse":
        return f"relapse on {plain_dates(value)}" if status == "met" else "no relapse"
    if key == "spasms_continuing_day7":
        return "yes, continuing" if value else "no, spasm-free"
    if key == "time_to_spasm_cessation":
        return f"day {value}" if value is not None else "not reached"
    if key == "kd_hypsarrhythmia_score_3m":
        return f"score {value}: {'FLAG' if status == 'met' else 'no flag'}"
    if key.endswith("percent_change_days_8_14"):
        return f"{value:+.0f} %"
    if key.startswith("adherence_"):
        return f"rho {value:+.2f}"
    if key.endswith("spasms_per_day"):
        return f"{value:.1f} spasms/day"
    return {"met": "met", "not met": "not met"}.get(status, str(value))
