"""The doses the demo clinic gives, read from the bundled protocols through ``spasmcare.therapy``.

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.

No dose is restated here. The fixed-dose courses (prednisolone, tetracosactide) are planned
with :func:`spasmcare.therapy.plan_course` and grouped into steps with
:func:`spasmcare.therapy.course_record.dose_steps`; a flagged detail (the day-7 escalation, a
taper) is given with the amount the plan holds for it (``Pending.planned_daily``), as if the
fictional clinic had confirmed it. The demo records keep vigabatrin in mg/kg/day and ACTH in
U/m²/day, units a plan (which doses one weight and body-surface area) does not give, so those
numbers are read from the protocol's phases and parameters as loaded by
:func:`spasmcare.therapy.load_protocol`. The demo follows version 1 of each protocol (pinned,
so a new protocol version does not change the demo).
"""

from __future__ import annotations

from typing import Any

from spasmcare.therapy.course_record import dose_steps
from spasmcare.therapy.protocol import Protocol, load_protocol
from spasmcare.therapy.schedule import CoursePlan, plan_course

#: The protocol version the demo clinic follows.
VERSION = 1
#: A weight [kg] to plan the fixed-dose courses with (their doses do not depend on it; a demo
#: setting, not a clinical figure).
_PLANNING_WEIGHT_KG = 7.0


def _protocol(protocol_id: str) -> Protocol:
    return load_protocol(protocol_id, VERSION)


def _plan(protocol: Protocol, continuing: bool) -> CoursePlan:
    answers = {d["id"]: continuing for d in protocol.decisions}
    return plan_course(
        protocol, weight_kg=_PLANNING_WEIGHT_KG, start="2026-01-01", decisions=answers
    )


def _day_of(plan: CoursePlan, drug: str) -> int:
    """The course day of ``drug``'s last dose."""
    return (plan.last_dose[drug] - plan.start).days + 1


def _planned(plan: CoursePlan, drug: str) -> list[tuple[int, float | None]]:
    """(course day, daily amount awaiting the clinic) of ``drug``'s pending days."""
    return [(d.day, p.planned_daily) for d in plan.days for p in d.pending if p.drug == drug]


def _steps(plan: CoursePlan, drug: str) -> tuple[tuple[int, float], ...]:
    return tuple(((s.first - plan.start).days + 1, float(s.amount)) for s in dose_steps(plan, drug))


def _phases(protocol: Protocol, course: int = 0) -> list[dict[str, Any]]:
    return list(protocol.courses[course]["phases"])


def _default(protocol: Protocol, name: str) -> Any:
    return protocol.parameters[name]["default"]


# --- prednisolone-high-dose v1: 40 mg/day, tapered 30, 20, 10; 60 mg/day from day 8 if escalated
_pred = _protocol("prednisolone-high-dose")
_pred_plan = _plan(_pred, continuing=False)
#: (course day, mg/day) from which a daily dose applies.
PRED_STEPS: tuple[tuple[int, float], ...] = _steps(_pred_plan, "prednisolone")
PRED_LAST_DAY: int = _day_of(_pred_plan, "prednisolone")
_day8, _escalated = _planned(_plan(_pred, continuing=True), "prednisolone")[0]
assert _escalated is not None  # the escalation has a planned amount (a fixed dose)
#: The day-7 escalation (detail day7-escalation): (course day, mg/day).
PRED_ESCALATED: tuple[int, float] = (_day8, float(_escalated))

# --- vigabatrin v1 (label titration) and vigabatrin-rapid v1 (ICISS), in mg/kg/day
_vgb = _protocol("vigabatrin")
_titrate = _phases(_vgb)[0]["dose"]["titrate"]
VGB_START = float(_titrate["start_mg_per_kg_per_day"])
VGB_EVERY_DAYS = int(_titrate["every_days"])
VGB_STEP = float(_default(_vgb, "titration_step_mg_per_kg_per_day"))
VGB_TARGET = float(_default(_vgb, "target_mg_per_kg_per_day"))
VGB_MONTHS = int(_default(_vgb, "treatment_months"))
VGB_WEAN_MONTHS = int(_default(_vgb, "wean_months"))
VGB_WEAN_STEP = float(_default(_vgb, "wean_step_mg_per_kg_per_day"))
_rapid = [
    (int(ph["from_day"]), float(ph["dose"]["mg_per_kg_per_day"]))
    for ph in _phases(_protocol("vigabatrin-rapid"))
    if isinstance(ph["dose"].get("mg_per_kg_per_day"), int | float)
]
#: Days 1-3 of the rapid titration: (course day, mg/kg/day).
VGB_RAPID: tuple[tuple[int, float], ...] = tuple(sorted(p for p in _rapid if p[0] < 4))
#: From day 4: (spasms stopped, spasms continuing after 72 h) [mg/kg/day].
VGB_RAPID_DAY4: tuple[float, ...] = tuple(sorted(a for d, a in _rapid if d == 4))
#: Early stop of a failed vigabatrin course: the label's taper of 25-50 mg/kg/day every 3-4
#: days (Sabril label section 2.3, cited in the vigabatrin protocol, in words only); the larger
#: step is used.
VGB_STOP_STEP, VGB_STOP_EVERY_DAYS = 50.0, 3

# --- acth-high-dose v1, in U/m2: 75 twice daily, tapered 30, 15, 10, then 10 every other morning
_acth = _phases(_protocol("acth-high-dose"))
#: (course day, U/m2/day) from which a daily dose applies.
ACTH_HIGH_STEPS: tuple[tuple[int, float], ...] = tuple(
    (int(ph["from_day"]), float(ph["dose"]["units_per_m2"] * ph["per_day"]))
    for ph in _acth
    if "every" not in ph
)
_alt = next(ph for ph in _acth if "every" in ph)
_alt_last = _alt["from_day"] + (_alt["to_day"] - _alt["from_day"]) // _alt["every"] * _alt["every"]
#: The alternate-day tail: (from day, U/m2 per dose, last dose day).
ACTH_ALTERNATE: tuple[int, float, int] = (
    int(_alt["from_day"]),
    float(_alt["dose"]["units_per_m2"]),
    int(_alt_last),
)

# --- tetracosactide-depot v1: 0.5 mg on alternate days (0.75 mg from day 9 if escalated), then
# a reducing prednisolone course whose doses the clinic sets
_tetra = _protocol("tetracosactide-depot")
_tetra_plan = _plan(_tetra, continuing=False)
_tetra_drug = _tetra.courses[0]["drug"]
TETRA_MG = _steps(_tetra_plan, _tetra_drug)[0][1]
TETRA_LAST_DAY: int = _day_of(_tetra_plan, _tetra_drug)
_escalation_day, _escalation = _planned(_plan(_tetra, continuing=True), _tetra_drug)[0]
assert _escalation is not None
#: The day-7 escalation (detail day7-escalation): from this course day, this dose [mg].
TETRA_ESCALATED_DAY: int = _escalation_day
TETRA_ESCALATED_MG = float(_escalation)
_taper_days = [day for day, _ in _planned(_tetra_plan, _tetra.courses[1]["drug"])]
TETRA_TAPER_DAYS: tuple[int, int] = (min(_taper_days), max(_taper_days))
