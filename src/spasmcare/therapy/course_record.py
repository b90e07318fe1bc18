"""A planned course as dose steps and as items of the patient record.

:func:`dose_steps` reads a :class:`~spasmcare.therapy.schedule.CoursePlan` day by day and
returns, for each drug, the runs of days on which the same amount is given (the taper steps);
:func:`record_treatment` writes one drug's steps as a ``treatments[]`` item of the patient
record (``docs/RECORD_FORMAT.md``), each step a dose change "in force until the next dose".

Nothing here is a clinical figure: the amounts are the plan's own (no rounding), only grouped.
A day whose dose awaits the clinic's confirmation has no amount, so a drug with such a day has
no record item (:func:`record_treatment` refuses it).

Units of the record
-------------------
A drug dosed in mg is recorded in ``mg/day`` (the day's total), or ``mg every other day``
(the amount of one dose day) when the doses fall on alternate days. A drug dosed in units is
recorded in ``IU/day``, or ``IU`` (one dose day) with the note "every other day": the record
has no alternate-day unit for units, and the protocol units of corticotropin are counted as
international units by the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.therapy.schedule import CoursePlan, PlanDay

#: The note of a step of days without a dose in the middle of a course.
NO_DOSE = "no dose"
EVERY_OTHER_DAY = "every other day"


@dataclass(frozen=True)
class DoseStep:
    """A run of course days on which one drug is given the same way.

    ``amount`` is the day's total [mg or U] (for alternate days: the total of one dose day);
    ``per_dose`` the amount of each dose, given at ``times``; ``phase`` the protocol phase of
    the first day. A step of ``amount`` 0 is a gap without doses inside the course.
    """

    drug: str
    first: date
    last: date
    amount: float
    unit: str  # "mg" or "U", as the protocol doses the drug
    per_dose: float
    times: tuple[str, ...]
    every_other_day: bool
    phase: str

    @property
    def days(self) -> int:
        """Calendar days from ``first`` to ``last``, both included."""
        return (self.last - self.first).days + 1

    @property
    def record_unit(self) -> str:
        """The unit of the record's dose change (see the module notes)."""
        if self.unit == "mg":
            return "mg every other day" if self.every_other_day else "mg/day"
        return "IU" if self.every_other_day else "IU/day"

    def to_dict(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "amount": self.amount,
            "unit": self.unit,
            "record_unit": self.record_unit,
            "per_dose": self.per_dose,
            "times": list(self.times),
            "every_other_day": self.every_other_day,
            "phase": self.phase,
        }


def _given(day: PlanDay, drug: str) -> tuple[float, str, float, tuple[str, ...], str] | None:
    """(total, unit, per-dose amount, times, phase) of ``drug`` on ``day``; None without a dose.

    A day whose doses differ from each other gives the first dose as ``per_dose``.
    """
    doses = sorted((d for d in day.doses if d.drug == drug), key=lambda d: d.time)
    if not doses:
        return None
    total = sum(d.amount for d in doses)
    return total, doses[0].unit, doses[0].amount, tuple(d.time for d in doses), doses[0].phase


def drugs(plan: CoursePlan) -> list[str]:
    """The drugs of a plan, in the order their course starts (then by name)."""
    first: dict[str, int] = {}
    for day in plan.days:
        for name in [d.drug for d in day.doses] + [p.drug for p in day.pending]:
            first.setdefault(name, day.day)
    return sorted(first, key=lambda name: (first[name], name))


def dose_steps(plan: CoursePlan, drug: str) -> list[DoseStep]:
    """The taper steps of one drug: runs of days with the same daily amount.

    Days are read from the drug's first dose to its last. A dose day whose neighbour two days
    away has the same amount, with a day off between, is an alternate-day dose; a run of them
    is one ``every_other_day`` step (its last day is the day off after its last dose, when that
    day is inside the course). Days off that belong to no such run make a step of amount 0
    (:data:`NO_DOSE`); days awaiting the clinic's confirmation have no amount and make no step.
    """
    days = plan.days
    info = [_given(d, drug) for d in days]
    dosed = [i for i, g in enumerate(info) if g is not None]
    if not dosed:
        return []
    pending = {i for i, d in enumerate(days) if any(p.drug == drug for p in d.pending)}
    first, last = dosed[0], dosed[-1]

    def total(k: int) -> float | None:
        g = info[k] if first <= k <= last else None
        return None if g is None else g[0]

    def off(k: int) -> bool:
        return first <= k <= last and info[k] is None and k not in pending

    def same(a: int, b: int) -> bool:
        return total(a) is not None and total(a) == total(b)

    alternate = [
        info[k] is not None
        and ((off(k + 1) and same(k, k + 2)) or (off(k - 1) and same(k, k - 2)))
        for k in range(len(days))
    ]
    steps: list[DoseStep] = []
    i = first
    while i <= last:
        g = info[i]
        if g is None:
            j = i
            while j + 1 <= last and info[j + 1] is None:
                j += 1
            if steps and not any(k in pending for k in range(i, j + 1)):
                unit = steps[-1].unit
                steps.append(
                    DoseStep(drug, days[i].date, days[j].date, 0.0, unit, 0.0, (), False, NO_DOSE)
                )
            i = j + 1
            continue
        amount, unit, per_dose, times, phase = g
        j = i
        if alternate[i]:
            while j + 2 <= last and off(j + 1) and same(j, j + 2) and alternate[j + 2]:
                j += 2
            end = j + 1 if off(j + 1) else j
        else:
            while j + 1 <= last and same(j, j + 1) and not alternate[j + 1]:
                j += 1
            end = j
        prev = steps[-1] if steps else None
        if (
            prev is not None
            and prev.amount == amount
            and prev.every_other_day == alternate[i]
            and prev.last + timedelta(days=1) == days[i].date
        ):
            steps[-1] = DoseStep(
                drug, prev.first, days[end].date, amount, unit, prev.per_dose, prev.times,
                prev.every_other_day, prev.phase,
            )
        else:
            steps.append(
                DoseStep(
                    drug, days[i].date, days[end].date, amount, unit, per_dose, times,
                    alternate[i], phase,
                )
            )
        i = end + 1
    return steps


def record_treatment(
    plan: CoursePlan,
    drug: str,
    course_id: str,
    *,
    until: date | None = None,
    continues: str | None = None,
) -> dict[str, Any] | None:
    """One drug of a plan as a record ``treatments[]`` item, as known on ``until``.

    The item has the plan's protocol, the drug's first course day as ``start``, one dose change
    per :func:`dose_steps` step that has begun by ``until`` (amount in the record unit of
    :attr:`DoseStep.record_unit`, the step's phase as note), and ``stop`` = the last dose when
    that is on or before ``until``. With ``until`` None the whole course is written.

    Returns
    -------
    dict or None
        None when the drug's course starts after ``until`` (nothing given yet).

    Raises
    ------
    InputError
        ``drug`` is not in the plan, or some day of it awaits the clinic's confirmation (the
        record needs an amount for every dose change).
    """
    names = drugs(plan)
    if drug not in names:
        raise InputError("drug", drug, "a drug of the plan: " + ", ".join(names))
    waiting = [d for d in plan.days for p in d.pending if p.drug == drug]
    if waiting:
        details = sorted({p.detail for d in waiting for p in d.pending if p.drug == drug})
        raise InputError(
            "plan",
            f"{drug}: days {waiting[0].day}-{waiting[-1].day}",
            "a plan whose every dose is known: the dose on those days is to be confirmed by the "
            f"clinic ({', '.join(details)})",
        )
    steps = dose_steps(plan, drug)
    start = steps[0].first
    if until is not None and start > until:
        return None
    doses = []
    for step in steps:
        if until is not None and step.first > until:
            break
        note = step.phase
        if step.every_other_day and step.unit != "mg":
            note = f"{note} ({EVERY_OTHER_DAY})"
        doses.append(
            {
                "start": step.first.isoformat(),
                "amount": step.amount,
                "unit": step.record_unit,
                "note": note,
            }
        )
    item: dict[str, Any] = {
        "id": course_id,
        "drug": drug,
        "protocol": plan.protocol_id,
        "start": start.isoformat(),
    }
    last_dose = plan.last_dose.get(drug)
    if last_dose is not None and (until is None or last_dose <= until):
        item["stop"] = last_dose.isoformat()
    if continues is not None:
        item["continues"] = continues
    item["doses"] = doses
    return item


def ended_item(data: dict[str, Any], new_start: date, last_given: date | None) -> dict[str, Any]:
    """A treatment item ended because a re-plan starting on ``new_start`` drops its drug,
    while what was given of it stays in the record: ``stop`` (the last day given, inclusive)
    is the day before the new plan starts, or the last day a dose was ticked as given
    (``last_given``) if later, never before its own start nor after a stop it already has;
    dose changes that would begin after that day (never given) are left out."""
    start = date.fromisoformat(str(data["start"]))
    end = max(new_start - timedelta(days=1), start, last_given or start)
    if data.get("stop"):
        end = min(end, date.fromisoformat(str(data["stop"])))
    item = dict(data)
    item["stop"] = end.isoformat()
    if "doses" in data:
        item["doses"] = [
            d for d in data["doses"] or [] if date.fromisoformat(str(d["start"])) <= end
        ]
    return item
