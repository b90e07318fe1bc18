"""The arithmetic of one course plan: which phase runs on a day and the doses it gives.

:class:`Planner` is internal to :func:`spasmcare.therapy.schedule.plan_course`: it resolves a
protocol's phases for one infant (weight, body-surface area, answers, parameters, products) into
the doses of each day, capped at the course maximum and measured in the product's volume.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from spasmcare.errors import InputError
from spasmcare.therapy.dosing import Syringe, daily_cap, measurable_volume, round_dose
from spasmcare.therapy.monitoring import add_months
from spasmcare.therapy.plan import Dose, Pending
from spasmcare.therapy.products import Product, check_volume
from spasmcare.therapy.protocol import (
    NOT_GRADED,
    Protocol,
    is_active,
    is_confirmed,
    resolve,
    shown_grade,
)

#: Clock times of the doses by number of doses a day. A scheduling convenience, not a
#: clinical figure: a protocol may give its own ``time_slots`` and families shift them.
DEFAULT_TIME_SLOTS: dict[int, list[str]] = {
    1: ["08:00"],
    2: ["08:00", "20:00"],
    3: ["08:00", "14:00", "20:00"],
    4: ["08:00", "12:00", "16:00", "20:00"],
}

#: Doses are calculated to this step [mg or U] before the product volume is measured.
DOSE_STEP = 0.01


class Planner:
    """The arithmetic of one plan (kept out of the public API)."""

    def __init__(
        self,
        protocol: Protocol,
        values: dict[str, Any],
        answers: dict[str, bool],
        start: date,
        weight_kg: float,
        bsa: float | None,
        products: dict[str, Product],
        syringes: Sequence[Syringe],
    ) -> None:
        self.protocol = protocol
        self.values = values
        self.answers = answers
        self.start = start
        self.weight_kg = weight_kg
        self.bsa = bsa
        self.products = products
        self.syringes = syringes
        slots = protocol.data.get("time_slots") or {}
        self.slots = {int(k): list(v) for k, v in slots.items()} or DEFAULT_TIME_SLOTS
        self._given_cache: dict[tuple[str, str, int], float | None] = {}

    # ---- values
    def num(self, value: Any) -> Any:
        return resolve(value, self.values)

    def day_number(self, spec: Any) -> int:
        if isinstance(spec, int):
            return spec
        months = spec["months"]
        parts = months if isinstance(months, list) else [months]
        total = sum(int(self.values[p]) if isinstance(p, str) else int(p) for p in parts)
        return (add_months(self.start, total) - self.start).days + int(spec.get("plus", 0))

    def per_day(self, phase: dict[str, Any]) -> int:
        n = int(self.num(phase["per_day"]))
        if n not in self.slots:
            raise InputError(
                "protocol file", str(self.protocol.path), f"time slots for {n} doses a day"
            )
        return n

    def confirmed(self, detail: str | None) -> bool:
        """Whether a plan uses ``detail``: graded FIRM/SECONDARY or confirmed by the clinic."""
        return detail is None or is_active(self.protocol, detail, self.values)

    def grade_of(self, phase: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        """(grade, source keys) shown beside a phase's doses: its detail's, else its own."""
        detail = phase.get("detail")
        if detail is not None:
            spec = self.protocol.details[detail]
            keys = tuple(spec.get("sources") or phase.get("sources") or ())
            return shown_grade(self.protocol, detail, self.values), keys
        return str(phase.get("grade") or NOT_GRADED), tuple(phase.get("sources") or ())

    def confirmed_by(self, detail: str | None) -> tuple[bool, str | None]:
        """Whether an item tied to ``detail`` may be used, and who confirmed it (if so)."""
        return detail_confirmed_by(self.protocol, detail, self.values)

    def cap(self, course: dict[str, Any], phase: dict[str, Any]) -> float | None:
        """The course maximum [mg/day or U/day] for this infant on a phase's dosing."""
        return daily_cap(course["maximum"], self.weight_kg, self.bsa, self.per_day(phase))

    # ---- phases
    def phase_range(self, phase: dict[str, Any]) -> tuple[int, int]:
        return self.day_number(phase["from_day"]), self.day_number(phase["to_day"])

    def applies(self, phase: dict[str, Any]) -> bool:
        for key, wanted in (phase.get("when") or {}).items():
            if self.answers[key] != wanted:
                return False
        for key, wanted in (phase.get("when_parameters") or {}).items():
            if self.values[key] != wanted:
                return False
        return True

    def phase_on(self, course: dict[str, Any], day: int) -> dict[str, Any] | None:
        found = []
        for phase in course["phases"]:
            if not self.applies(phase):
                continue
            lo, hi = self.phase_range(phase)
            every = int(phase.get("every", 1))
            if lo <= day <= hi and (day - lo) % every == 0:
                found.append(phase)
        if len(found) > 1:
            names = ", ".join(repr(p["name"]) for p in found)
            raise InputError(
                "protocol file",
                str(self.protocol.path),
                f"one phase per day for {course['drug']}; day {day} matches {names}",
            )
        return found[0] if found else None

    def last_day(self, course: dict[str, Any]) -> int:
        ends = [self.phase_range(p)[1] for p in course["phases"] if self.applies(p)]
        return max(ends, default=0)

    def given_daily(self, course: dict[str, Any], day: int) -> float | None:
        """The daily amount [mg/day or U/day] given on ``day``, capped at the course maximum;
        None when no phase runs that day, its detail is unconfirmed, or its dose derives from
        an amount that is itself not given (a phase derived from an unconfirmed phase)."""
        phase = self.phase_on(course, day)
        return None if phase is None else self.given_in(course, phase, day)

    def given_in(self, course: dict[str, Any], phase: dict[str, Any], day: int) -> float | None:
        """:meth:`given_daily` for a named phase (also one not on the plan, for a reference)."""
        key = (course["drug"], phase["name"], day)
        if key not in self._given_cache:
            self._given_cache[key] = None
            if self.confirmed(phase.get("detail")):
                raw = self.daily(course, phase, day)
                if raw is not None:
                    cap = self.cap(course, phase)
                    self._given_cache[key] = raw if cap is None else min(raw, cap)
        return self._given_cache[key]

    def source_phase(self, course: dict[str, Any], phase: dict[str, Any]) -> dict[str, Any] | None:
        """The phase whose given amount a derived dose (fraction, wean) starts from."""
        dose = phase["dose"] or {}
        if "fraction_of_phase" in dose:
            wanted = dose["fraction_of_phase"]["phase"]
            return next(p for p in course["phases"] if p["name"] == wanted)
        if "wean" in dose:
            return self.phase_on(course, self.phase_range(phase)[0] - 1)
        return None

    def daily(self, course: dict[str, Any], phase: dict[str, Any], day: int) -> float | None:
        """The daily amount [mg/day or U/day] of a phase on a day, before the cap; None when it
        derives from an amount that is not given."""
        dose = phase["dose"]
        if dose is None:
            return None
        n = self.per_day(phase)
        ((kind, spec),) = dose.items()
        w, bsa = self.weight_kg, self.bsa
        if kind in ("mg", "units"):
            return float(self.num(spec)) * n
        if kind in ("mg_per_day", "units_per_day"):
            return float(self.num(spec))
        if kind == "mg_per_kg_per_day":
            return float(self.num(spec)) * w
        if kind in ("units_per_m2", "units_per_m2_per_day"):
            if bsa is None:
                raise InputError("length_cm", None, "a length in cm (the dose is per m²)")
            per = float(self.num(spec)) * bsa
            return per * n if kind == "units_per_m2" else per
        if kind == "fraction_of_phase":
            ref = self.source_phase(course, phase)
            assert ref is not None  # checked at load (validate_protocol)
            full = self.given_in(course, ref, self.phase_range(ref)[0])
            return None if full is None else full * float(spec["fraction"])
        if kind == "titrate":
            lo, _ = self.phase_range(phase)
            steps = (day - lo) // int(spec["every_days"])
            level = float(self.num(spec["start_mg_per_kg_per_day"])) + steps * float(
                self.num(spec["step_mg_per_kg_per_day"])
            )
            return min(level, float(self.num(spec["target_mg_per_kg_per_day"]))) * w
        if kind == "wean":
            lo, hi = self.phase_range(phase)
            before = self.given_daily(course, lo - 1)
            if before is None:
                return None
            previous = before / w
            step = float(self.num(spec["step_mg_per_kg_per_day"]))
            levels = []
            level = previous - step
            while level > 1e-9:
                levels.append(level)
                level -= step
            if not levels:
                return None
            length = hi - lo + 1
            index = min((day - lo) * len(levels) // length, len(levels) - 1)
            return levels[index] * w
        raise InputError("protocol file", str(self.protocol.path), f"a known dose kind, not {kind}")

    def planned_daily(
        self, course: dict[str, Any], phase: dict[str, Any], day: int
    ) -> float | None:
        """The daily amount a phase plans for ``day`` whatever awaits the clinic (capped at the
        course maximum); None when it derives from an amount that is not known."""
        raw = self.daily(course, phase, day)
        if raw is None:
            return None
        cap = self.cap(course, phase)
        return raw if cap is None else min(raw, cap)

    def blocking_detail(self, course: dict[str, Any], phase: dict[str, Any]) -> str:
        """The flagged detail that keeps a phase's dose from being given."""
        current: dict[str, Any] | None = phase
        seen: list[dict[str, Any]] = []
        while current is not None and not any(current is p for p in seen):
            if not self.confirmed(current.get("detail")):
                return str(current["detail"])
            seen.append(current)
            current = self.source_phase(course, current)
        return str(phase.get("detail") or phase["name"])

    def doses_on(self, course: dict[str, Any], day: int) -> tuple[list[Dose], Pending | None, str]:
        phase = self.phase_on(course, day)
        if phase is None:
            return [], None, ""
        drug = course["drug"]
        detail = phase.get("detail")
        amount = self.given_in(course, phase, day)
        if amount is None:  # unconfirmed, or derived from an unconfirmed phase
            blocking = self.blocking_detail(course, phase)
            known = blocking in self.protocol.details
            grade = shown_grade(self.protocol, blocking, self.values) if known else NOT_GRADED
            if grade not in ("NOT FOUND", NOT_GRADED):
                grade = f"{grade}, value changed at planning"
            planned = self.planned_daily(course, phase, day)
            return [], Pending(drug, blocking, phase["name"], grade, planned), ""
        unit = course["unit"]
        raw = self.daily(course, phase, day)
        cap = self.cap(course, phase)
        note = ""
        if cap is not None and raw is not None and raw > cap + 1e-9:
            note = (
                f"{drug}: calculated {raw:.2f} {unit}/day capped at the protocol maximum "
                f"{cap:.2f} {unit}/day"
            )
        n = self.per_day(phase)
        per_dose_limit = cap / n if cap is not None else None
        per_dose = round_dose(amount / n, per_dose_limit, DOSE_STEP)
        product = self.products.get(drug)
        volume = None
        if product is not None:
            volume, syringe = measurable_volume(
                per_dose, product.concentration, per_dose_limit, self.syringes
            )
            check_volume(per_dose, volume, product, syringe.step_ml, drug)
        grade, grade_sources = self.grade_of(phase)
        doses = [
            Dose(
                drug=drug,
                time=time,
                route=course["route"],
                unit=unit,
                amount=per_dose,
                per_kg=per_dose / self.weight_kg if unit == "mg" else None,
                per_m2=per_dose / self.bsa if unit == "U" and self.bsa else None,
                volume_ml=volume,
                product=product.name if product else None,
                concentration=product.concentration if product else None,
                phase=phase["name"],
                detail=detail,
                measured=None
                if volume is None or product is None
                else volume * product.concentration,
                grade=grade,
                grade_sources=grade_sources,
            )
            for time in self.slots[n]
        ]
        return doses, None, note


def detail_confirmed_by(
    protocol: Protocol, detail: str | None, values: Mapping[str, Any]
) -> tuple[bool, str | None]:
    """(may the item tied to ``detail`` be used, who confirmed it) for a plan's values."""
    if detail is None:
        return True, None
    if not is_active(protocol, detail, values):
        return False, None
    if not is_confirmed(protocol, detail, values):
        return True, None
    conf = protocol.confirmation(detail)
    return True, conf.label if conf else None
