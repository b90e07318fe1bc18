"""A fictional demo clinic: deterministic synthetic patient records for the demo and benchmarks.

**Everything here is invented.** The infants, families, diaries, doses, EEGs, growth, labs and
events are made up by a seeded random generator so that the web app's ``make demo`` and its
performance benchmark have realistic-looking data to show. They are not clinical evidence,
describe no real patient, and must never be used to judge a treatment or a threshold. Every name
ends in "(fictional)" and every record id starts with ``demo-``.

The output depends only on ``today`` and ``seed`` (stdlib :class:`random.Random`, one generator
per infant): the same arguments give the same records, and every date lies on or before
``today``, so each record passes :func:`spasmcare.record.record_from_dict` with that ``today``.

Stories of :func:`demo_clinic` (14 infants, ``demo-0001`` … ``demo-0014``)
--------------------------------------------------------------------------
1. Prednisolone responder (unknown etiology).
2. Prednisolone raised to 60 mg/day on day 8, then responder; steroid hypertension (preterm,
   structural).
3. TSC: vigabatrin first line, responder, weaned after 3 months; visual monitoring planned.
4. TSC: vigabatrin partial response, classic ketogenic diet added (formula feeds), diet
   responder. **The family login's child** (``family=True``).
5. Tetracosactide depot responder, relapse, then vigabatrin (ICISS titration) responder.
6. High-dose ACTH responder with a febrile episode (congenital CMV).
7. Prednisolone with vigabatrin (ICISS combination) responder (preterm).
8. CDKL5: prednisolone and vigabatrin non-responder, then MCT diet, partial diet responder.
9. Metabolic: ACTH non-responder, then classic diet responder; one high ketone reading.
10. Focal cortical dysplasia: prednisolone and vigabatrin non-responder, modified Atkins diet
    without response; the family stopped logging 3-5 days ago (stale diary).
11. ARX: prednisolone and vigabatrin non-responder, then low glycaemic index treatment, partial
    diet responder.
12. Course in progress: prednisolone started 3-6 days ago, the day-7 decision is upcoming; the
    latest blood pressure (when the schema has vitals) is raised. Newly diagnosed, so its diary
    is only 2-3 weeks long, the one exception to 3-12 months.
13. Prednisolone responder, relapse, second prednisolone course responder; stale diary.
14. STXBP1: vigabatrin and ACTH non-responder, classic diet partial responder, weight
    faltering on the diet.

:func:`long_record` builds one infant with a daily diary over ``days`` days (2 years by
default) for the dashboard benchmark: prednisolone and vigabatrin failure, classic ketogenic
diet partial responder, a worsening treated with ACTH, a ratio increase, weekly ketones,
monthly growth.

Doses follow the bundled protocols in ``spasmcare/therapy/protocols/`` (the constants below
name the phase each number comes from; a test checks them against the YAML files). Flagged
protocol details (tapers, escalations) are shown as given, as if the fictional clinic had
confirmed them. Growth follows a chosen WHO z-score through :func:`spasmcare.growth.value_at_sds`
at the gestation-corrected age.

``DemoInfant.keto`` (ketogenic-diet infants only) holds the prescription inputs, named as the
keyword parameters of :mod:`spasmcare.keto.prescription` (and of ``build_prescription`` in
``spasmcare.cli.keto``, which takes the ratio as text)::

    diet         "classic" | "mct" | "mad" | "lgit"   (prescription function to call)
    age_months   float, chronological age at the latest growth measurement  } Patient(...)
    sex          "male" | "female"                                           }
    weight_kg    float, latest measured weight                              }
    length_cm    float, latest measured length                              }
    meals        int: 3 meals, or the number of feeds a day when feed is True
    feed         bool: True = formula feeds (infants under 12 months), False = meals
    ratio        float, classic only (classic(patient, ratio, ...))
    mct_percent  float, mct only;  carb_limit_g float, mad only;
    carb_g, gi_cutoff  float, lgit only

:func:`keto_prescription` turns the dict into a :class:`~spasmcare.keto.prescription.Prescription`.

Vitals (blood pressure, heart rate) are added only when the packaged record schema has a
``vitals`` section, so this module works with schemas with and without it.
"""

from __future__ import annotations

import calendar
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from spasmcare.errors import InputError
from spasmcare.growth import DAYS_PER_MONTH, Measure, Sex, corrected_age_years, value_at_sds
from spasmcare.record.io import FORMAT, SCHEMA_VERSION, load_schema

if TYPE_CHECKING:
    from spasmcare.keto.prescription import Prescription

__all__ = [
    "ACTH_HIGH_STEPS",
    "PRED_STEPS",
    "DemoInfant",
    "demo_clinic",
    "keto_prescription",
    "long_record",
    "vitals_supported",
]


@dataclass(frozen=True)
class DemoInfant:
    """One fictional infant of the demo clinic.

    Attributes
    ----------
    record : dict
        A schema-v1 record document (JSON-ready) that ``record_from_dict(record, today=today)``
        accepts.
    story : str
        One line for humans, e.g. ``"prednisolone responder"``.
    keto : dict or None
        Ketogenic-diet prescription inputs (see the module docstring), ``None`` when the infant
        never had a diet.
    family : bool
        True for exactly one infant of :func:`demo_clinic`: the demo ``family`` login's child.
    """

    record: dict[str, Any]
    story: str
    keto: dict[str, Any] | None
    family: bool


# --- doses from the bundled protocols (tests check them against the YAML files) -------------------

#: prednisolone-high-dose v1: (course day, mg/day) from which a daily dose applies. Days 1-14
#: "10 mg four times daily" = 40; taper days 15-19 "10 mg three times" = 30, days 20-24 twice = 20,
#: days 25-29 once = 10; stop after day 29.
PRED_STEPS: tuple[tuple[int, float], ...] = ((1, 40.0), (15, 30.0), (20, 20.0), (25, 10.0))
#: prednisolone-high-dose v1 detail day7-escalation: "20 mg three times daily" from day 8 = 60.
PRED_ESCALATED: tuple[int, float] = (8, 60.0)
PRED_LAST_DAY = 29
#: vigabatrin v1 (label titration): start 50 mg/kg/day, +50 every 3 days, target 150.
VGB_START, VGB_STEP, VGB_EVERY_DAYS, VGB_TARGET = 50.0, 50.0, 3, 150.0
#: vigabatrin-rapid v1 (ICISS): day 1 50, days 2-3 100, from day 4 100 or 150 (spasms after 72 h).
VGB_RAPID: tuple[tuple[int, float], ...] = ((1, 50.0), (2, 100.0))
VGB_RAPID_DAY4 = (100.0, 150.0)
#: vigabatrin protocols: treatment_months 3, wean_months 1, wean_step 25 mg/kg/day (defaults).
VGB_MONTHS, VGB_WEAN_MONTHS, VGB_WEAN_STEP = 3, 1, 25.0
#: Early stop of a failed vigabatrin course: the label's taper of 25-50 mg/kg/day every 3-4
#: days (Sabril label section 2.3, cited in the vigabatrin protocol); the larger step is used.
VGB_STOP_STEP, VGB_STOP_EVERY_DAYS = 50.0, 3
#: acth-high-dose v1: (course day, U/m2/day): 75 U/m2 twice daily days 1-14; taper 30 (15-17),
#: 15 (18-20), 10 (21-23) each morning; then 10 U/m2 every other morning on days 24, 26, 28.
ACTH_HIGH_STEPS: tuple[tuple[int, float], ...] = ((1, 150.0), (15, 30.0), (18, 15.0), (21, 10.0))
ACTH_ALTERNATE: tuple[int, float, int] = (24, 10.0, 28)  # from day, U/m2 per dose, last day
#: tetracosactide-depot v1: 0.5 mg IM on alternate days, days 1-13 (0.75 mg from day 9 when
#: escalated); then a reducing prednisolone course on days 15-28 (doses set by the clinic).
TETRA_MG, TETRA_ESCALATED_MG, TETRA_LAST_DAY = 0.5, 0.75, 13
TETRA_TAPER_DAYS = (15, 28)

# --- demo settings (made up for the demo; not clinical figures) -----------------------------------

#: Clock times a cluster may start (hour, minute): clusters often follow waking from sleep.
_SLOTS = (
    (5, 50),
    (6, 40),
    (8, 15),
    (10, 5),
    (11, 30),
    (13, 10),
    (15, 20),
    (16, 45),
    (18, 30),
    (19, 35),
    (21, 10),
)
_NOTES = (
    "on waking",
    "after a nap",
    "during a feed",
    "while unwell with a cold",
    "in the car seat",
)
_MAX_CLUSTERS = 6
#: Molar masses used to write some results in mg/dL, as the record format converts them back.
_MG_DL_PER_MMOL_L = {"bhb": 10.4105, "glucose": 18.0156, "total_cholesterol": 38.6654}


def _day(start: date, number: int) -> date:
    """The date of course day ``number`` (day 1 = ``start``)."""
    return start + timedelta(days=number - 1)


def _add_months(start: date, months: int) -> date:
    """Same day ``months`` later (clamped to the month's last day)."""
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _at(day: date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target[part]
        return _resolve(schema, target)
    return node


_VITAL_KEYS = frozenset({"at", "systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm", "note"})


def vitals_supported() -> frozenset[str] | None:
    """The vitals fields this generator may write, or ``None`` when the packaged record schema
    has no ``vitals`` section (or one whose required fields this generator does not know)."""
    schema = load_schema()
    prop = schema.get("properties", {}).get("vitals")
    if not isinstance(prop, Mapping):
        return None
    item = _resolve(schema, _resolve(schema, prop).get("items", {}))
    known = set(item.get("properties", {})) & _VITAL_KEYS
    required = set(item.get("required", []))
    if not required <= known or not {"at", "systolic_mmhg", "diastolic_mmhg"} <= known:
        return None
    return frozenset(known)


@dataclass
class _Course:
    """A hormonal course: the days of blood pressure and glucose checks."""

    tid: str
    start: date
    stop: date
    high_bp: tuple[date, date] | None = None


@dataclass
class _Case:
    """One infant under construction: a severity curve drives the diary; the story adds
    treatments, diets, EEGs, labs and events; :meth:`finish` writes the record."""

    rng: random.Random
    today: date
    pid: str
    name: str
    sex: Sex
    start: date  # first diary day
    end: date  # last diary day
    onset: date
    birth: date
    gestation: tuple[int, int]
    etiology: dict[str, Any]
    knots: list[tuple[date, float]] = field(default_factory=list)
    treatments: list[dict[str, Any]] = field(default_factory=list)
    diets: list[dict[str, Any]] = field(default_factory=list)
    eegs: list[dict[str, Any]] = field(default_factory=list)
    labs: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    courses: list[_Course] = field(default_factory=list)
    protected: list[tuple[date, date]] = field(default_factory=list)
    faltering_from: date | None = None
    growth_every: tuple[int, int] = (14, 42)
    gaps: int | None = None

    def __post_init__(self) -> None:
        r = self.rng
        self.clusters_base = r.randint(3, 5)
        self.spasms_base = r.uniform(7.0, 16.0)
        self.observers = ("mother", "father") if r.random() < 0.7 else ("mother", "grandmother")
        self.wz0 = r.uniform(-1.0, 0.9)
        self.lz0 = _clip(self.wz0 + r.uniform(-0.5, 0.5), -1.3, 1.3)
        self.hz0 = r.uniform(-1.2, 0.8)
        # Own streams for the diary and growth, so that they do not depend on how many draws
        # the story made before (a month's length changes the number of monthly labs).
        self.diary_rng = random.Random(r.getrandbits(64))
        self.growth_rng = random.Random(r.getrandbits(64))
        self.wz_wave = (r.uniform(0.04, 0.14), r.uniform(90.0, 200.0), r.uniform(0.0, 6.28))
        self.protected.append((self.start, self.start + timedelta(days=8)))
        self.protected.append((self.end - timedelta(days=3), self.end))

    # --- severity (1 = untreated spasms, 0 = spasm-free) ----------------------------------

    def knot(self, day: date, level: float) -> None:
        self.knots.append((day, level))

    def severity(self, day: date) -> float:
        points = sorted(self.knots)
        if not points or day <= points[0][0]:
            return points[0][1] if points else 1.0
        for (d0, s0), (d1, s1) in zip(points, points[1:], strict=False):
            if d0 <= day <= d1:
                span = (d1 - d0).days
                return s1 if span == 0 else s0 + (s1 - s0) * (day - d0).days / span
        return points[-1][1]

    def protect(self, first: date, last: date) -> None:
        self.protected.append((first, last))

    # --- treatments -------------------------------------------------------------------------

    def treatment(
        self,
        tid: str,
        drug: str,
        protocol: str | None,
        start: date,
        stop: date | None,
        doses: list[tuple[date, float, str, str | None]],
        note: str | None = None,
        continues: str | None = None,
    ) -> bool:
        """Add a treatment, keeping only what happened by ``today`` (a later stop is left open,
        later doses are dropped). Returns False when it starts after today."""
        if start > self.today:
            return False
        entry: dict[str, Any] = {"id": tid, "drug": drug}
        if protocol:
            entry["protocol"] = protocol
        entry["start"] = start.isoformat()
        if stop is not None and stop <= self.today:
            entry["stop"] = stop.isoformat()
        if continues:
            entry["continues"] = continues
        kept = []
        for day, amount, unit, why in doses:
            if day <= self.today:
                dose: dict[str, Any] = {"start": day.isoformat(), "amount": amount, "unit": unit}
                if why:
                    dose["note"] = why
                kept.append(dose)
        if kept:
            entry["doses"] = kept
        if note:
            entry["note"] = note
        self.treatments.append(entry)
        return True

    def glucose_checks(self, tid: str, start: date, stop: date) -> None:
        for n in (1, 8, 15):
            day = _day(start, n)
            if day <= min(stop, self.end):
                value = round(
                    self.rng.uniform(4.2, 5.4) if n == 1 else self.rng.uniform(4.6, 7.2), 1
                )
                self.lab(_at(day, 8, 30), "glucose", value, "mmol/L", "capillary")

    def prednisolone(
        self,
        tid: str,
        start: date,
        *,
        escalate: bool,
        protocol: str = "prednisolone-high-dose",
        high_bp: tuple[int, int] | None = None,
        note: str | None = None,
    ) -> None:
        doses: list[tuple[date, float, str, str | None]] = []
        for number, amount in PRED_STEPS:
            why = "taper" if number == PRED_STEPS[1][0] else None
            doses.append((_day(start, number), amount, "mg/day", why))
            if number == 1 and escalate:
                day, dose = PRED_ESCALATED
                doses.append((_day(start, day), dose, "mg/day", "spasms continuing on day 7"))
        stop = _day(start, PRED_LAST_DAY)
        if self.treatment(tid, "prednisolone", protocol, start, stop, doses, note):
            self._hormonal(tid, start, stop, high_bp)
        self.protect(start - timedelta(days=10), _day(start, 16))

    def _hormonal(self, tid: str, start: date, stop: date, high_bp: tuple[int, int] | None) -> None:
        bp = None if high_bp is None else (_day(start, high_bp[0]), _day(start, high_bp[1]))
        self.courses.append(_Course(tid, start, stop, bp))
        self.glucose_checks(tid, start, stop)

    def vigabatrin(
        self,
        tid: str,
        start: date,
        *,
        rapid: bool = False,
        protocol: str | None = None,
        wean: bool = True,
        stop_on: date | None = None,
        note: str | None = None,
    ) -> None:
        """Vigabatrin by the label titration (``rapid=False``) or the ICISS one; weaned after
        3 months (``wean``), or stopped early from ``stop_on`` (a failed course)."""
        doses: list[tuple[date, float, str, str | None]] = []
        if rapid:
            doses += [(_day(start, n), amount, "mg/kg/day", None) for n, amount in VGB_RAPID]
            continuing = self.severity(_day(start, 4)) > 0
            top = VGB_RAPID_DAY4[1] if continuing else VGB_RAPID_DAY4[0]
            if continuing:  # otherwise the day-2 dose stays in force
                doses.append((_day(start, 4), top, "mg/kg/day", "spasms continuing after 72 h"))
            protocol = protocol or "vigabatrin-rapid"
        else:
            level, number = VGB_START, 1
            while True:
                doses.append((_day(start, number), level, "mg/kg/day", None))
                if level >= VGB_TARGET:
                    break
                level, number = min(level + VGB_STEP, VGB_TARGET), number + VGB_EVERY_DAYS
            top = VGB_TARGET
            protocol = protocol or "vigabatrin"
        stop: date | None = None
        if stop_on is not None:
            level, day = top, stop_on
            while level - VGB_STOP_STEP > 0:
                level -= VGB_STOP_STEP
                why = (
                    "no substantial benefit: tapered off" if level == top - VGB_STOP_STEP else None
                )
                doses.append((day, level, "mg/kg/day", why))
                day += timedelta(days=VGB_STOP_EVERY_DAYS)
            stop = day - timedelta(days=1)
        elif wean:
            first = _add_months(start, VGB_MONTHS)
            stop = _add_months(start, VGB_MONTHS + VGB_WEAN_MONTHS) - timedelta(days=1)
            length = (stop - first).days + 1
            levels = []
            level = top - VGB_WEAN_STEP
            while level > 0:
                levels.append(level)
                level -= VGB_WEAN_STEP
            for i, amount in enumerate(levels):
                offset = math.ceil(i * length / len(levels))
                doses.append(
                    (
                        first + timedelta(days=offset),
                        amount,
                        "mg/kg/day",
                        "wean" if i == 0 else None,
                    )
                )
        self.treatment(tid, "vigabatrin", protocol, start, stop, doses, note)
        self.protect(start - timedelta(days=10), _day(start, 16))

    def acth(self, tid: str, start: date, *, high_bp: tuple[int, int] | None = None) -> None:
        doses: list[tuple[date, float, str, str | None]] = [
            (_day(start, n), amount, "IU/m2/day", "75 IU/m2 twice daily" if n == 1 else None)
            for n, amount in ACTH_HIGH_STEPS
        ]
        first, per_m2, last = ACTH_ALTERNATE
        weight, length = self.weight_kg(start), self.length_cm(start)
        from spasmcare.therapy.bsa import bsa_m2  # local: the therapy package is only for ACTH

        per_dose = round(per_m2 * bsa_m2(length, weight), 1)
        doses.append(
            (
                _day(start, first),
                per_dose,
                "IU",
                f"{per_m2:g} IU/m2 every other morning, days {first}-{last}",
            )
        )
        stop = _day(start, last)
        note = f"Dosed on {weight:.2f} kg and {length:.1f} cm (BSA by Mosteller)."
        if self.treatment(tid, "ACTH (Acthar Gel)", "acth-high-dose", start, stop, doses, note):
            self._hormonal(tid, start, stop, high_bp)
        self.protect(start - timedelta(days=10), _day(start, 16))

    def tetracosactide(self, tid: str, start: date, *, escalate: bool) -> None:
        doses: list[tuple[date, float, str, str | None]] = [
            (start, TETRA_MG, "mg every other day", "IM on days 1, 3, 5 ... 13")
        ]
        if escalate:
            doses.append(
                (
                    _day(start, 9),
                    TETRA_ESCALATED_MG,
                    "mg every other day",
                    "spasms continuing on day 7",
                )
            )
        stop = _day(start, TETRA_LAST_DAY)
        if self.treatment(tid, "tetracosactide depot", "tetracosactide-depot", start, stop, doses):
            first, last = TETRA_TAPER_DAYS
            self.treatment(
                f"{tid}-taper",
                "prednisolone",
                "tetracosactide-depot",
                _day(start, first),
                _day(start, last),
                [],
                "Reducing prednisolone over 2 weeks after tetracosactide; doses as set by the "
                "clinic (protocol detail prednisolone-taper).",
                continues=tid,
            )
            self._hormonal(tid, start, _day(start, last), None)
        self.protect(start - timedelta(days=10), _day(start, 16))

    # --- diets and their labs ---------------------------------------------------------------

    def diet(
        self,
        did: str,
        kind: str,
        start: date,
        *,
        ratio: float | None,
        achieved: tuple[float, float],
        stop: date | None = None,
        ramp: tuple[float, ...] = (),
        note: str | None = None,
    ) -> None:
        """A diet period; ``achieved`` = (mean, sd) of the ratio families reach after the
        ``ramp`` of daily ratios at the start."""
        last = min(stop or self.end, self.end)
        entry: dict[str, Any] = {"id": did, "diet": kind, "start": start.isoformat()}
        if stop is not None and stop <= self.today:
            entry["stop"] = stop.isoformat()
        if ratio is not None:
            entry["prescribed_ratio"] = ratio
        readings = []
        for i, value in enumerate(ramp):
            day = start + timedelta(days=i)
            if day <= last:
                readings.append({"date": day.isoformat(), "ratio": value})
        day = start + timedelta(days=max(len(ramp), 1) + 1)
        while day <= last:
            value = round(_clip(self.rng.gauss(*achieved), 0.5, 6.0), 2)
            readings.append({"date": day.isoformat(), "ratio": value})
            day += timedelta(days=self.rng.randint(3, 4))
        if readings:
            entry["achieved"] = readings
        if note:
            entry["note"] = note
        self.diets.append(entry)
        self.protect(start - timedelta(days=10), start + timedelta(days=6))

    def lab(
        self,
        at: str,
        analyte: str,
        value: float,
        unit: str,
        sample: str | None = None,
        name: str | None = None,
    ) -> None:
        entry: dict[str, Any] = {"at": at, "analyte": analyte}
        if name:
            entry["name"] = name
        entry.update({"value": value, "unit": unit})
        if sample:
            entry["sample"] = sample
        self.labs.append(entry)

    def _mg_dl(self, analyte: str, mmol_l: float, digits: int = 1) -> float:
        return round(mmol_l * _MG_DL_PER_MMOL_L[analyte], digits)

    def diet_labs(
        self,
        start: date,
        stop: date | None = None,
        *,
        hypo_day: int | None = None,
        high_day: int | None = None,
        above_days: tuple[int, ...] = (),
        low_day: int | None = None,
        ucacr_high: bool = False,
    ) -> None:
        """Baseline screen, ketones (daily at the start, then twice weekly, then weekly),
        glucose, monthly chemistry, lipids and urine calcium/creatinine every 3 months."""
        r = self.rng
        last = min(stop or self.end, self.end)
        base = start - timedelta(days=r.randint(2, 5))
        self.lab(_at(base, 9), "glucose", round(r.uniform(4.2, 5.3), 1), "mmol/L", "venous")
        self.lab(_at(base, 9), "bicarbonate", float(r.randint(21, 25)), "mmol/L")
        self.lab(_at(base, 9), "calcium", round(r.uniform(2.3, 2.6), 2), "mmol/L")
        self.lab(_at(base, 9), "total_cholesterol", round(r.uniform(3.2, 4.3), 1), "mmol/L")
        self.lab(_at(base, 9), "triglycerides", round(r.uniform(0.8, 1.4), 1), "mmol/L")
        self.lab(_at(base, 9), "other", float(r.randint(50, 95)), "nmol/L", name="25-OH vitamin D")
        self.lab(
            _at(base, 10, 30),
            "urine_calcium_creatinine_ratio",
            round(r.uniform(0.3, 1.0), 2),
            "mmol/mmol",
            "spot urine",
        )
        offsets = [0, 1, 2, 3, 4, 6]
        while offsets[-1] < 28:
            offsets.append(offsets[-1] + r.randint(3, 4))
        while start + timedelta(days=offsets[-1]) <= last:
            offsets.append(offsets[-1] + 7)
        special: dict[int, str] = {}  # offset -> "high" | "above" | "low"
        for wanted, kind in (
            [(high_day, "high")] + [(a, "above") for a in above_days] + [(low_day, "low")]
        ):
            if wanted is not None:
                special[min((o for o in offsets if o >= wanted), default=offsets[-1])] = kind
        for i, n in enumerate(offsets):
            day = start + timedelta(days=n)
            if day > last:
                break
            kind = special.get(n, "")
            if n == 0:
                value = r.uniform(0.3, 0.8)
            elif n == 1:
                value = r.uniform(1.0, 1.9)
            elif kind == "high":
                value = r.uniform(6.2, 6.8)
            elif kind == "above":
                value = r.uniform(5.2, 5.8)
            elif kind == "low":
                value = r.uniform(1.4, 1.8)
            else:
                value = _clip(r.gauss(3.6, 0.55), 2.1, 4.9)
            if i % 5 == 4:
                self.lab(_at(day, 7, 30), "bhb", self._mg_dl("bhb", value), "mg/dL", "venous")
            else:
                self.lab(_at(day, 7, 30), "bhb", round(value, 1), "mmol/L", "capillary")
            if kind == "high":
                self.event(
                    day,
                    "hyperketosis",
                    2,
                    None,
                    "Drowsy with fast breathing; juice given and ketones rechecked; "
                    "ratio reviewed with the dietitian.",
                )
        for n in range(5):
            day = start + timedelta(days=n)
            if day > last:
                break
            if n == hypo_day:
                self.lab(
                    _at(day, 6), "glucose", round(r.uniform(2.2, 2.4), 1), "mmol/L", "capillary"
                )
                self.event(
                    day,
                    "hypoglycaemia",
                    2,
                    None,
                    "Capillary glucose low during the diet start; treated with juice.",
                )
            elif n == 2:
                self.lab(
                    _at(day, 6),
                    "glucose",
                    self._mg_dl("glucose", r.uniform(3.3, 4.6), 0),
                    "mg/dL",
                    "capillary",
                )
            else:
                self.lab(
                    _at(day, 6), "glucose", round(r.uniform(3.3, 4.8), 1), "mmol/L", "capillary"
                )
        month = 1
        while (day := _add_months(start, month)) <= last:
            self.lab(_at(day, 9, 15), "glucose", round(r.uniform(3.5, 4.9), 1), "mmol/L", "venous")
            self.lab(_at(day, 9, 15), "bicarbonate", float(r.randint(18, 23)), "mmol/L")
            if month % 3 == 0:
                tc = r.uniform(4.4 + 0.1 * month / 3, 5.8 + 0.1 * month / 3)
                if month % 6 == 3:
                    self.lab(
                        _at(day, 9, 15),
                        "total_cholesterol",
                        self._mg_dl("total_cholesterol", tc, 0),
                        "mg/dL",
                    )
                else:
                    self.lab(_at(day, 9, 15), "total_cholesterol", round(tc, 1), "mmol/L")
                self.lab(_at(day, 9, 15), "triglycerides", round(r.uniform(1.1, 2.2), 1), "mmol/L")
                if ucacr_high and month == 3:
                    self.lab(
                        _at(day, 10),
                        "urine_calcium_creatinine_ratio",
                        round(r.uniform(2.0, 2.3), 2),
                        "mmol/mmol",
                        "spot urine",
                    )
                else:
                    cr = r.uniform(1.5, 3.0)
                    self.lab(
                        _at(day, 10),
                        "urine_calcium",
                        round(cr * r.uniform(0.3, 0.9), 2),
                        "mmol/L",
                        "spot urine",
                    )
                    self.lab(_at(day, 10), "urine_creatinine", round(cr, 2), "mmol/L", "spot urine")
            month += 1

    # --- EEG ------------------------------------------------------------------------------

    def eeg(self, day: date, report: str | None = None) -> None:
        """An EEG consistent with the severity on ``day`` (skipped after the diary's end)."""
        if day > self.end or day < self.birth:
            return
        r = self.rng
        level = self.severity(day)
        focal = self.etiology["category"] in ("tsc", "structural", "genetic")
        variants: dict[str, bool] = {}
        if level >= 0.5:
            items = {
                "disorganisation": r.randint(2, 3),
                "delta_slowing": r.randint(2, 3),
                "amplitude": r.randint(2, 3),
                "spikes": r.randint(2, 3),
                "other_abnormalities": r.randint(0, 2),
            }
            variants["electrodecremental_discharges"] = r.random() < 0.6
            if r.random() < 0.3:
                variants["absent_normal_sleep_activity"] = True
            if self.etiology["category"] in ("tsc", "structural"):
                variants["interhemispheric_asymmetry"] = True
                if r.random() < 0.4:
                    variants["hemihypsarrhythmia"] = True
            hyps, grade = True, (5 if r.random() < 0.65 else 4)
            text = "Hypsarrhythmia awake and asleep" + (
                "; a cluster of spasms with electrodecrements."
                if variants["electrodecremental_discharges"]
                else "."
            )
        elif level > 0.05:
            items = {
                "disorganisation": r.randint(1, 2),
                "delta_slowing": r.randint(1, 2),
                "amplitude": r.randint(0, 1),
                "spikes": r.randint(1, 2),
                "other_abnormalities": 0,
            }
            hyps, grade = False, 3
            text = "No hypsarrhythmia; multifocal spikes in sleep, under half of the record."
        else:
            items = {
                "disorganisation": r.randint(0, 1),
                "delta_slowing": r.randint(0, 1),
                "amplitude": 0,
                "spikes": 1 if focal else 0,
                "other_abnormalities": 0,
            }
            hyps, grade = False, (2 if focal else r.randint(0, 1))
            text = (
                "No hypsarrhythmia; occasional focal sharp waves."
                if focal
                else "No hypsarrhythmia; background normal for age."
            )
        kramer: dict[str, Any] = {"items": items}
        if r.random() < 0.5:
            kramer["total"] = sum(items.values())
        if variants:
            kramer["variants"] = variants
        self.eegs.append(
            {
                "date": day.isoformat(),
                "hypsarrhythmia": hyps,
                "kramer": kramer,
                "based_grade": grade,
                "report": report or text,
            }
        )

    def event(
        self, day: date, kind: str, grade: int | None, tid: str | None, note: str | None
    ) -> None:
        if day > self.end:
            return
        entry: dict[str, Any] = {"date": day.isoformat(), "type": kind}
        if grade is not None:
            entry["grade"] = grade
        if tid is not None and any(t["id"] == tid for t in self.treatments):
            entry["treatment"] = tid
        if note:
            entry["note"] = note
        self.events.append(entry)

    # --- growth along a WHO z-score ------------------------------------------------------

    def _age_years(self, day: date) -> float | None:
        weeks, days = self.gestation
        return corrected_age_years(self.birth, day, weeks, days)

    def weight_z(self, day: date) -> float:
        amp, period, phase = self.wz_wave
        z = self.wz0 + amp * math.sin(2 * math.pi * (day - self.birth).days / period + phase)
        for course in self.courses:  # steroid weight gain, fading over 3 weeks after the stop
            if course.start <= day:
                rise = min(1.0, (day - course.start).days / 14)
                fade = max(0.0, 1 - max(0, (day - course.stop).days) / 21)
                z += 0.25 * rise * fade
        if self.faltering_from is not None and day > self.faltering_from:
            z -= min(1.5, 1.5 * (day - self.faltering_from).days / 110)
        return _clip(z, -1.9, 1.9)

    def _value(self, measure: Measure, z: float, day: date) -> float:
        age = self._age_years(day)
        if age is None:
            raise InputError("day", day.isoformat(), "a day after the expected date of delivery")
        return value_at_sds(measure, z, age, self.sex)

    def weight_kg(self, day: date) -> float:
        return self._value("weight", self.weight_z(day), day)

    def length_cm(self, day: date) -> float:
        return self._value("height", self.lz0, day)

    # --- writing the record -------------------------------------------------------------------

    def _gap_days(self) -> set[date]:
        r = self.diary_rng
        span = (self.end - self.start).days + 1
        count = self.gaps if self.gaps is not None else 1 + span // 120
        missing: set[date] = set()
        for _ in range(count):
            for _attempt in range(40):
                first = self.start + timedelta(days=r.randint(0, span - 1))
                days = {first + timedelta(days=n) for n in range(r.randint(1, 3))}
                blocked = any(
                    a - timedelta(days=2) <= d <= b for d in days for a, b in self.protected
                )
                if not blocked and max(days) <= self.end and not days & missing:
                    missing |= days
                    break
        return missing

    def _diary(self, missing: set[date]) -> list[dict[str, Any]]:
        r = self.diary_rng
        entries = []
        day = self.start
        while day <= self.end:
            level = self.severity(day)
            if day not in missing and level > 0:
                # A day's expected clusters vary by a day factor, then round at random.
                x = level * self.clusters_base * r.lognormvariate(0, 0.25)
                n = int(x) + (1 if r.random() < x - int(x) else 0)
                n = min(n, _MAX_CLUSTERS)
                if level >= 0.5:
                    n = max(n, 1)
                slots = sorted(r.sample(range(len(_SLOTS)), n))
                for k, slot in enumerate(slots):
                    hour, minute = _SLOTS[slot]
                    minute += r.randint(-15, 15)
                    hour, minute = hour + minute // 60, minute % 60
                    size = self.spasms_base * (0.35 + 0.65 * level) * r.lognormvariate(0, 0.3)
                    spasms = int(_clip(round(size), 1, 40))
                    entry: dict[str, Any] = {"at": _at(day, hour, minute)}
                    if spasms == 1:
                        entry.update({"kind": "single", "spasms": 1})
                    else:
                        duration = round(max(0.2, spasms * r.uniform(0.3, 0.55)), 1)
                        entry.update(
                            {"kind": "cluster", "spasms": spasms, "duration_min": duration}
                        )
                    entry["observer"] = self.observers[0 if r.random() < 0.65 else 1]
                    if r.random() < 0.03:
                        entry["video"] = f"videos/{self.pid}/{day.isoformat()}-{k + 1}.mp4"
                    if r.random() < 0.02:
                        entry["note"] = r.choice(_NOTES)
                    entries.append(entry)
            day += timedelta(days=1)
        return entries

    def _growth(self) -> list[dict[str, Any]]:
        r = self.growth_rng
        rows: list[dict[str, Any]] = []
        day = max(self.birth + timedelta(days=1), self.start - timedelta(days=r.randint(0, 3)))
        last_length = 0.0
        while day <= self.end:
            weight = self._value("weight", self.weight_z(day) + r.gauss(0, 0.04), day)
            length = max(last_length, self._value("height", self.lz0 + r.gauss(0, 0.05), day))
            head = self._value("head_circumference", self.hz0 + r.gauss(0, 0.04), day)
            last_length = round(length, 1)
            rows.append(
                {
                    "date": day.isoformat(),
                    "weight_kg": round(weight, 2),
                    "length_cm": last_length,
                    "head_circumference_cm": round(head, 1),
                }
            )
            day += timedelta(days=r.randint(*self.growth_every))
        return rows

    def _vitals(self, growth: list[dict[str, Any]], keys: frozenset[str]) -> list[dict[str, Any]]:
        r = self.rng
        seen: dict[date, bool] = {}
        for course in self.courses:
            day = course.start
            while day <= min(course.stop, self.end):
                high = course.high_bp is not None and course.high_bp[0] <= day <= course.high_bp[1]
                seen[day] = seen.get(day, False) or high
                day += timedelta(days=3 if (day - course.start).days % 7 == 0 else 4)
            if course.stop > self.end >= course.start:  # a course running now: a recent check
                high = course.high_bp is not None and course.high_bp[0] <= self.end
                seen[self.end] = seen.get(self.end, False) or high
        for measured in growth:
            seen.setdefault(date.fromisoformat(measured["date"]), False)
        rows = []
        for day in sorted(seen):
            if seen[day]:
                systolic, diastolic = r.randint(112, 124), r.randint(68, 80)
            else:
                systolic, diastolic = r.randint(84, 102), r.randint(48, 64)
            row: dict[str, Any] = {
                "at": _at(day, 10, r.randint(0, 45)),
                "systolic_mmhg": systolic,
                "diastolic_mmhg": diastolic,
            }
            if "heart_rate_bpm" in keys:
                row["heart_rate_bpm"] = r.randint(105, 150)
            if seen[day] and "note" in keys:
                row["note"] = "Repeated after settling: still raised."
            rows.append(row)
        return rows

    def finish(
        self,
        story: str,
        *,
        keto: dict[str, Any] | None = None,
        family: bool = False,
        vitals: frozenset[str] | None = None,
    ) -> DemoInfant:
        missing = self._gap_days()
        days = [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]
        recorded = [d for d in days if d not in missing]
        growth = self._growth()
        patient: dict[str, Any] = {
            "id": self.pid,
            "name": f"{self.name} (fictional)",
            "birth_date": self.birth.isoformat(),
            "sex": self.sex,
            "gestation_weeks": self.gestation[0],
            "gestation_days": self.gestation[1],
            "onset_date": self.onset.isoformat(),
        }
        record: dict[str, Any] = {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "patient": patient,
            "etiology": self.etiology,
            "diary": self._diary(missing),
            "recorded_days": _ranges(recorded),
            "treatments": self.treatments,
            "diet_periods": self.diets,
            "eegs": sorted(self.eegs, key=lambda x: x["date"]),
            "growth": growth,
            "labs": sorted(self.labs, key=lambda x: x["at"]),
            "adverse_events": sorted(self.events, key=lambda x: x["date"]),
        }
        if vitals is not None:
            record["vitals"] = self._vitals(growth, vitals)
        if keto is not None:
            latest = growth[-1]
            day = date.fromisoformat(latest["date"])
            age = round((day - self.birth).days / DAYS_PER_MONTH, 1)
            feed = age < 12
            keto = {
                "diet": keto["diet"],
                "age_months": age,
                "sex": self.sex,
                "weight_kg": latest["weight_kg"],
                "length_cm": latest["length_cm"],
                "meals": self.rng.choice((5, 6)) if feed else 3,
                "feed": feed,
                **{k: v for k, v in keto.items() if k != "diet"},
            }
        return DemoInfant(record=record, story=story, keto=keto, family=family)


def _ranges(days: list[date]) -> list[Any]:
    """Sorted dates as the record writes them: single dates and inclusive ranges."""
    out: list[Any] = []
    i = 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and (days[j + 1] - days[j]).days == 1:
            j += 1
        if i == j:
            out.append(days[i].isoformat())
        else:
            out.append({"from": days[i].isoformat(), "to": days[j].isoformat()})
        i = j + 1
    return out


def _case(
    rng: random.Random,
    today: date,
    number: int,
    name: str,
    sex: Sex,
    etiology: dict[str, Any],
    *,
    onset_months: tuple[float, float],
    span_days: tuple[int, int],
    lag_days: tuple[int, int] = (1, 2),
    gestation: tuple[int, int] | None = None,
    pid: str | None = None,
) -> _Case:
    """Place an infant in time: the diary ends ``lag_days`` before today and spans
    ``span_days``; spasms began 5-14 days before the diary at ``onset_months`` of age."""
    end = today - timedelta(days=rng.randint(*lag_days))
    start = end - timedelta(days=rng.randint(*span_days) - 1)
    onset = start - timedelta(days=rng.randint(5, 14))
    birth = onset - timedelta(days=round(rng.uniform(*onset_months) * DAYS_PER_MONTH))
    if gestation is None:
        gestation = (rng.randint(38, 41), rng.randint(0, 6))
    return _Case(
        rng=rng,
        today=today,
        pid=pid or f"demo-{number:04d}",
        name=name,
        sex=sex,
        start=start,
        end=end,
        onset=onset,
        birth=birth,
        gestation=gestation,
        etiology=etiology,
    )


def _fictional(detail: str) -> str:
    return f"Fictional case. {detail}"


# --- the fourteen stories -------------------------------------------------------------------------

Story = Callable[[random.Random, date, frozenset[str] | None], DemoInfant]


def _ada(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        1,
        "Ada Example",
        "female",
        {
            "category": "unknown",
            "detail": _fictional("MRI brain, metabolic screen and epilepsy gene panel normal."),
        },
        onset_months=(4.5, 7.0),
        span_days=(120, 170),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    c.knot(c.start, 1.0)
    c.knot(t0 + timedelta(days=1), 0.85)
    c.knot(_day(t0, rng.randint(4, 6)), 0.0)
    c.prednisolone("pred1", t0, escalate=False)
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    c.event(
        _day(t0, rng.randint(3, 9)),
        "irritability",
        1,
        "pred1",
        "Unsettled and hungry on prednisolone; settled during the taper.",
    )
    return c.finish("prednisolone responder", vitals=vitals)


def _ben(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        2,
        "Ben Sample",
        "male",
        {
            "category": "structural",
            "detail": _fictional("Born at 34+2 weeks; periventricular leukomalacia on MRI."),
        },
        onset_months=(6.0, 8.0),
        span_days=(110, 180),
        gestation=(34, 2),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.9)
    c.knot(_day(t0, 7), 0.7)
    c.knot(_day(t0, 9), 0.55)
    c.knot(_day(t0, rng.randint(11, 12)), 0.0)
    c.prednisolone("pred1", t0, escalate=True, high_bp=(9, 21))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    c.event(
        _day(t0, 11),
        "hypertension",
        2,
        "pred1",
        "Blood pressure raised on two readings on 60 mg/day; checked twice weekly, no "
        "medicine started; settled during the taper.",
    )
    return c.finish(
        "prednisolone raised to 60 mg/day on day 8, then responder; steroid hypertension",
        vitals=vitals,
    )


def _cleo(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        3,
        "Cleo Demo",
        "female",
        {
            "category": "tsc",
            "gene": "TSC2",
            "detail": _fictional(
                "Cortical tubers and subependymal nodules on MRI; cardiac "
                "rhabdomyoma on echocardiogram."
            ),
        },
        onset_months=(3.5, 5.5),
        span_days=(150, 240),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 4), 0.85)
    c.knot(_day(t0, rng.randint(9, 12)), 0.0)
    c.vigabatrin(
        "vgb1",
        t0,
        note="First-line vigabatrin for tuberous sclerosis. Visual "
        "monitoring planned with ophthalmology (formal visual fields are not possible "
        "in an infant).",
    )
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    c.event(
        _day(t0, rng.randint(4, 8)),
        "drowsiness",
        1,
        "vgb1",
        "Sleepier for a few days while the dose went up.",
    )
    return c.finish("TSC: vigabatrin first line, responder", vitals=vitals)


def _dev(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        4,
        "Dev Placeholder",
        "male",
        {
            "category": "tsc",
            "gene": "TSC1",
            "detail": _fictional("Cortical tubers on MRI; hypomelanotic macules."),
        },
        onset_months=(4.0, 5.0),
        span_days=(150, 185),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    kd = t0 + timedelta(days=rng.randint(38, 45))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 10), 0.6)
    c.knot(kd - timedelta(days=1), 0.55)
    c.knot(kd + timedelta(days=rng.randint(18, 25)), 0.15)
    c.knot(kd + timedelta(days=rng.randint(40, 55)), 0.0)
    c.vigabatrin(
        "vgb1",
        t0,
        wean=False,
        note="First-line vigabatrin for tuberous sclerosis, continued with the diet. "
        "Visual monitoring planned with ophthalmology.",
    )
    c.diet(
        "kd1",
        "classic-kd",
        kd,
        ratio=3.0,
        achieved=(2.9, 0.08),
        ramp=(1.0, 2.0, 3.0),
        note="Started in hospital without fasting, ratio raised daily; KetoCal-based feeds.",
    )
    c.diet_labs(kd, hypo_day=2)
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(kd - timedelta(days=2))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    c.event(
        kd + timedelta(days=rng.randint(8, 14)),
        "constipation",
        1,
        None,
        "Eased with extra water in the feeds.",
    )
    return c.finish(
        "vigabatrin (TSC) partial response, then classic KD feeds: KD responder; family login",
        keto={"diet": "classic", "ratio": 3.0},
        family=True,
        vitals=vitals,
    )


def _eve(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        5,
        "Eve Example",
        "female",
        {"category": "unknown", "detail": _fictional("MRI normal; gene panel negative.")},
        onset_months=(5.0, 8.0),
        span_days=(170, 280),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    relapse = t0 + timedelta(days=rng.randint(60, 80))
    v = relapse + timedelta(days=rng.randint(8, 10))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.8)
    c.knot(_day(t0, rng.randint(5, 6)), 0.0)
    c.knot(relapse - timedelta(days=1), 0.0)
    c.knot(relapse + timedelta(days=3), 0.5)
    c.knot(relapse + timedelta(days=8), 0.6)
    c.knot(v, 0.55)
    c.knot(v + timedelta(days=rng.randint(6, 9)), 0.0)
    c.tetracosactide("tcd1", t0, escalate=False)
    c.vigabatrin(
        "vgb1", v, rapid=True, note="Second line after relapse. Visual monitoring planned."
    )
    c.protect(relapse - timedelta(days=2), relapse + timedelta(days=10))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(relapse + timedelta(days=5))
    c.eeg(_day(v, 14))
    c.eeg(v + timedelta(days=rng.randint(85, 95)))
    c.event(_day(t0, rng.randint(4, 10)), "irritability", 1, "tcd1", None)
    return c.finish("tetracosactide responder, relapse, then vigabatrin responder", vitals=vitals)


def _finn(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        6,
        "Finn Sample",
        "male",
        {
            "category": "infectious",
            "detail": _fictional(
                "Congenital cytomegalovirus; periventricular calcification "
                "on cranial ultrasound and MRI."
            ),
        },
        onset_months=(4.0, 7.0),
        span_days=(100, 170),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.8)
    c.knot(_day(t0, rng.randint(8, 10)), 0.0)
    c.acth("acth1", t0, high_bp=(6, 13))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    c.event(
        _day(t0, rng.randint(9, 12)),
        "fever",
        2,
        "acth1",
        "Fever on ACTH; admitted for 48 hours; blood culture negative.",
    )
    c.event(_day(t0, 7), "hypertension", 1, "acth1", "Mildly raised; rechecked twice weekly.")
    return c.finish("high-dose ACTH responder with a febrile episode", vitals=vitals)


def _gia(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        7,
        "Gia Demo",
        "female",
        {
            "category": "unknown",
            "detail": _fictional("Born at 32+3 weeks; MRI and gene panel normal."),
        },
        onset_months=(5.0, 8.0),
        span_days=(150, 260),
        gestation=(32, 3),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.6)
    c.knot(_day(t0, rng.randint(4, 6)), 0.0)
    c.prednisolone("pred1", t0, escalate=False, protocol="prednisolone-vigabatrin")
    c.vigabatrin(
        "vgb1",
        t0,
        rapid=True,
        protocol="prednisolone-vigabatrin",
        note="Given with prednisolone (ICISS combination). Visual monitoring planned.",
    )
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    return c.finish("prednisolone with vigabatrin (ICISS combination) responder", vitals=vitals)


def _hana(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        8,
        "Hana Placeholder",
        "female",
        {
            "category": "genetic",
            "gene": "CDKL5",
            "detail": _fictional("De novo CDKL5 variant on the epilepsy gene panel."),
        },
        onset_months=(3.2, 4.5),
        span_days=(200, 300),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    v = _day(t0, PRED_LAST_DAY + 2 + rng.randint(0, 2))
    kd = v + timedelta(days=rng.randint(35, 42))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 7), 0.85)
    c.knot(_day(t0, 14), 0.75)
    c.knot(_day(v, 10), 0.7)
    c.knot(kd, 0.75)
    c.knot(kd + timedelta(days=30), 0.3)
    c.knot(kd + timedelta(days=60), 0.2)
    c.prednisolone("pred1", t0, escalate=True)
    c.vigabatrin(
        "vgb1",
        v,
        stop_on=v + timedelta(days=rng.randint(24, 28)),
        note="Second line. Visual monitoring planned.",
    )
    mct_percent = 40.0
    rx = keto_prescription(
        {
            "diet": "mct",
            "mct_percent": mct_percent,
            "age_months": (kd - c.birth).days / DAYS_PER_MONTH,
            "sex": c.sex,
            "weight_kg": c.weight_kg(kd),
            "length_cm": c.length_cm(kd),
        }
    )
    ratio = round(rx.ratio or 1.5, 2)
    c.diet(
        "kd1",
        "mct",
        kd,
        ratio=ratio,
        achieved=(ratio - 0.1, 0.1),
        note="MCT (Liquigen) introduced over a week.",
    )
    c.diet_labs(kd, low_day=rng.randint(40, 60))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(v, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    c.event(
        kd + timedelta(days=rng.randint(2, 6)), "vomiting", 1, None, "While MCT was introduced."
    )
    return c.finish(
        "prednisolone and vigabatrin non-responder, then MCT diet: partial KD responder",
        keto={"diet": "mct", "mct_percent": mct_percent},
        vitals=vitals,
    )


def _ivo(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        9,
        "Ivo Example",
        "male",
        {
            "category": "metabolic",
            "detail": _fictional(
                "Born at 35+5 weeks. Raised lactate; pyruvate dehydrogenase "
                "deficiency under investigation by the metabolic team."
            ),
        },
        onset_months=(4.0, 6.5),
        span_days=(170, 260),
        gestation=(35, 5),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    kd = t0 + timedelta(days=rng.randint(30, 36))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 14), 0.8)
    c.knot(kd, 0.75)
    c.knot(kd + timedelta(days=rng.randint(20, 30)), 0.1)
    c.knot(kd + timedelta(days=rng.randint(45, 60)), 0.0)
    c.acth("acth1", t0)
    c.diet("kd1", "classic-kd", kd, ratio=3.0, achieved=(2.85, 0.1), ramp=(1.0, 2.0, 3.0))
    c.diet_labs(kd, high_day=rng.randint(12, 20), ucacr_high=True)
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    return c.finish(
        "ACTH non-responder, then classic KD responder; one high ketone reading",
        keto={"diet": "classic", "ratio": 3.0},
        vitals=vitals,
    )


def _jade(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        10,
        "Jade Sample",
        "female",
        {
            "category": "structural",
            "detail": _fictional(
                "Left frontal focal cortical dysplasia on MRI; referred for "
                "epilepsy surgery assessment."
            ),
        },
        onset_months=(10.5, 11.5),
        span_days=(200, 280),
        lag_days=(3, 5),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    v = _day(t0, PRED_LAST_DAY + 2 + rng.randint(0, 2))
    kd = v + timedelta(days=rng.randint(35, 42))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 7), 0.9)
    c.knot(_day(t0, 20), 0.8)
    c.knot(_day(v, 14), 0.75)
    c.knot(kd, 0.75)
    c.knot(kd + timedelta(days=30), 0.8)
    c.knot(kd + timedelta(days=90), 0.85)
    c.prednisolone("pred1", t0, escalate=True)
    c.vigabatrin(
        "vgb1",
        v,
        stop_on=v + timedelta(days=rng.randint(24, 28)),
        note="Second line. Visual monitoring planned.",
    )
    c.diet(
        "mad1",
        "mad",
        kd,
        ratio=None,
        achieved=(1.2, 0.15),
        note="Modified Atkins: 10 g carbohydrate a day; ratio estimated from food records.",
    )
    c.diet_labs(kd, above_days=(rng.randint(20, 40),))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    c.event(kd + timedelta(days=rng.randint(10, 20)), "constipation", 1, None, None)
    return c.finish(
        "prednisolone and vigabatrin non-responder, modified Atkins without response; stale diary",
        keto={"diet": "mad", "carb_limit_g": 10.0},
        vitals=vitals,
    )


def _kai(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        11,
        "Kai Demo",
        "male",
        {"category": "genetic", "gene": "ARX", "detail": _fictional("Hemizygous ARX variant.")},
        onset_months=(9.5, 11.0),
        span_days=(210, 300),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    v = _day(t0, PRED_LAST_DAY + 2 + rng.randint(0, 2))
    kd = v + timedelta(days=rng.randint(35, 42))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 7), 0.85)
    c.knot(_day(t0, 20), 0.75)
    c.knot(_day(v, 10), 0.7)
    c.knot(kd, 0.7)
    c.knot(kd + timedelta(days=30), 0.25)
    c.knot(kd + timedelta(days=60), 0.2)
    c.prednisolone("pred1", t0, escalate=True)
    c.vigabatrin(
        "vgb1",
        v,
        rapid=True,
        stop_on=v + timedelta(days=rng.randint(24, 28)),
        note="Second line. Visual monitoring planned.",
    )
    c.diet(
        "lgit1",
        "lgit",
        kd,
        ratio=None,
        achieved=(1.0, 0.12),
        note="Low glycaemic index treatment: 40 g carbohydrate a day from foods of GI < 50.",
    )
    c.diet_labs(kd)
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(v, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    return c.finish(
        "prednisolone and vigabatrin non-responder, then LGIT: partial KD responder",
        keto={"diet": "lgit", "carb_g": 40.0, "gi_cutoff": 50.0},
        vitals=vitals,
    )


def _lia(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    started = rng.randint(3, 6)
    t0 = today - timedelta(days=started)
    c = _case(
        rng,
        today,
        12,
        "Lia Placeholder",
        "female",
        {
            "category": "unknown",
            "detail": _fictional("Newly diagnosed; MRI booked, gene panel sent."),
        },
        onset_months=(4.0, 8.0),
        span_days=(started + 9, started + 12),
        lag_days=(1, 1),
    )
    c.gaps = 0
    c.knot(c.start, 1.0)
    c.knot(today, 0.8)
    c.prednisolone("pred1", t0, escalate=False, high_bp=(2, 14))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    return c.finish(
        f"course in progress: prednisolone started {started} days ago, day-7 decision "
        "upcoming; latest blood pressure raised",
        vitals=vitals,
    )


def _max(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        13,
        "Max Example",
        "male",
        {"category": "unknown", "detail": _fictional("MRI normal.")},
        onset_months=(5.0, 9.0),
        span_days=(140, 220),
        lag_days=(3, 5),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    relapse = t0 + timedelta(days=rng.randint(55, 70))
    t1 = relapse + timedelta(days=rng.randint(8, 10))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.7)
    c.knot(_day(t0, rng.randint(4, 6)), 0.0)
    c.knot(relapse - timedelta(days=1), 0.0)
    c.knot(relapse + timedelta(days=2), 0.5)
    c.knot(relapse + timedelta(days=7), 0.55)
    c.knot(t1 + timedelta(days=1), 0.5)
    c.knot(_day(t1, 5), 0.0)
    c.prednisolone("pred1", t0, escalate=False)
    c.prednisolone("pred2", t1, escalate=False, note="Second course for a relapse.")
    c.protect(relapse - timedelta(days=2), relapse + timedelta(days=10))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(relapse + timedelta(days=4))
    c.eeg(_day(t1, 14))
    return c.finish(
        "prednisolone responder, relapse, second prednisolone course responder; stale diary",
        vitals=vitals,
    )


def _nia(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        14,
        "Nia Sample",
        "female",
        {"category": "genetic", "gene": "STXBP1", "detail": _fictional("De novo STXBP1 variant.")},
        onset_months=(3.5, 5.0),
        span_days=(220, 330),
    )
    c.wz0 = rng.uniform(0.0, 0.3)
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    a = t0 + timedelta(days=rng.randint(33, 37))
    kd = _day(a, ACTH_ALTERNATE[2] + rng.randint(3, 7))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 14), 0.85)
    c.knot(_day(a, 14), 0.7)
    c.knot(kd, 0.7)
    c.knot(kd + timedelta(days=30), 0.3)
    c.knot(kd + timedelta(days=60), 0.15)
    c.faltering_from = kd + timedelta(days=10)
    c.vigabatrin(
        "vgb1",
        t0,
        stop_on=t0 + timedelta(days=rng.randint(24, 28)),
        note="First line. Visual monitoring planned.",
    )
    c.acth("acth1", a)
    c.diet("kd1", "classic-kd", kd, ratio=3.0, achieved=(2.8, 0.12), ramp=(1.0, 2.0, 3.0))
    c.diet_labs(kd, above_days=(rng.randint(15, 30), rng.randint(50, 70)))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(a, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    c.event(
        kd + timedelta(days=rng.randint(60, 80)),
        "poor weight gain",
        2,
        None,
        "Weight crossing down the centiles on the diet; energy reviewed with the dietitian.",
    )
    return c.finish(
        "vigabatrin and ACTH non-responder, then classic KD: partial KD responder; "
        "faltering weight",
        keto={"diet": "classic", "ratio": 3.0},
        vitals=vitals,
    )


STORIES: tuple[Story, ...] = (
    _ada,
    _ben,
    _cleo,
    _dev,
    _eve,
    _finn,
    _gia,
    _hana,
    _ivo,
    _jade,
    _kai,
    _lia,
    _max,
    _nia,
)


def demo_clinic(today: date, seed: int = 2026) -> list[DemoInfant]:
    """The fictional demo clinic: 14 infants whose records end on or before ``today``.

    Deterministic for a given (``today``, ``seed``); see the module docstring for the stories.
    Exactly one infant has ``family=True``.
    """
    vitals = vitals_supported()
    return [
        story(random.Random(seed * 1000 + n), today, vitals)
        for n, story in enumerate(STORIES, start=1)
    ]


#: Bounds of ``long_record(days=...)``: at least two weeks, at most three years of diary (the
#: infant stays inside the WHO growth reference).
LONG_DAYS_RANGE = (14, 3 * 365)


def long_record(today: date, days: int = 730, seed: int = 7) -> DemoInfant:
    """One fictional infant with a daily diary over ``days`` days ending yesterday (2 years by
    default): prednisolone and vigabatrin failure, classic ketogenic diet partial responder,
    worsening treated with ACTH, a ratio increase, weekly ketones, monthly growth, EEGs every
    3 months.

    Events that would fall after the diary's end are left out, so any ``days`` in
    :data:`LONG_DAYS_RANGE` gives a valid record. Raises :class:`InputError` for other values.
    """
    lo, hi = LONG_DAYS_RANGE
    if isinstance(days, bool) or not isinstance(days, int) or not lo <= days <= hi:
        raise InputError("days", days, f"a whole number of days from {lo} to {hi}")
    rng = random.Random(seed)
    c = _case(
        rng,
        today,
        0,
        "Otto Longwood",
        "male",
        {"category": "genetic", "gene": "SCN8A", "detail": _fictional("De novo SCN8A variant.")},
        onset_months=(5.0, 5.0),
        span_days=(days, days),
        lag_days=(1, 1),
        gestation=(39, 3),
        pid="demo-long",
    )
    c.gaps = 3
    c.growth_every = (28, 31)
    s = c.start
    t0 = s + timedelta(days=8)
    v = _day(t0, PRED_LAST_DAY + 2)
    kd = v + timedelta(days=40)
    relapse = s + timedelta(days=300)
    a = relapse + timedelta(days=10)
    ratio_up = s + timedelta(days=500)
    for day, level in (
        (s, 1.0),
        (_day(t0, 7), 0.85),
        (_day(t0, 20), 0.7),
        (_day(v, 14), 0.55),
        (kd, 0.55),
        (kd + timedelta(days=35), 0.3),
        (relapse - timedelta(days=1), 0.3),
        (relapse + timedelta(days=4), 0.6),
        (a, 0.6),
        (_day(a, 10), 0.2),
        (ratio_up - timedelta(days=10), 0.2),
        (ratio_up - timedelta(days=3), 0.4),
        (ratio_up + timedelta(days=25), 0.25),
    ):
        c.knot(day, level)
    c.prednisolone("pred1", t0, escalate=True)
    c.eeg(t0 - timedelta(days=2))
    c.eeg(_day(t0, 14))
    if v <= c.end:
        c.vigabatrin(
            "vgb1",
            v,
            stop_on=v + timedelta(days=30),
            note="Second line. Visual monitoring planned.",
        )
        c.eeg(_day(v, 14))
    keto: dict[str, Any] | None = None
    if kd <= c.end:
        first_stop = ratio_up - timedelta(days=1) if ratio_up <= c.end else None
        c.diet(
            "kd1",
            "classic-kd",
            kd,
            ratio=3.0,
            achieved=(2.9, 0.08),
            ramp=(1.0, 2.0, 3.0),
            stop=first_stop,
        )
        keto = {"diet": "classic", "ratio": 3.0}
        if first_stop is not None:
            c.diet(
                "kd2",
                "classic-kd",
                ratio_up,
                ratio=3.5,
                achieved=(3.35, 0.1),
                note="Ratio raised for breakthrough spasms.",
            )
            keto = {"diet": "classic", "ratio": 3.5}
        c.diet_labs(kd, high_day=45, low_day=200)
        month = 3
        while (day := _add_months(kd, month)) <= c.end:
            c.eeg(day)
            month += 3
    if a <= c.end:
        c.acth("acth1", a, high_bp=(8, 15))
        c.protect(relapse - timedelta(days=2), relapse + timedelta(days=10))
        c.eeg(relapse + timedelta(days=5))
        c.event(_day(a, 9), "hypertension", 1, "acth1", "Rechecked twice weekly; settled.")
    story = (
        "daily diary over 2 years: prednisolone and vigabatrin non-responder, classic KD "
        "partial responder, worsening treated with ACTH, ratio raised"
        if days >= 600
        else f"daily diary over {days} days (shortened long record)"
    )
    return c.finish(story, keto=keto, vitals=vitals_supported())


def keto_prescription(keto: Mapping[str, Any]) -> Prescription:
    """The prescription for a :attr:`DemoInfant.keto` dict (the default energy, protein and
    fluid rules of :mod:`spasmcare.keto.prescription`)."""
    from spasmcare.keto import prescription as rx  # local: keto is not needed to build records

    patient = rx.Patient(
        keto["age_months"], keto["weight_kg"], keto.get("sex"), keto.get("length_cm")
    )
    meals = int(keto.get("meals", 3))
    diet = keto["diet"]
    if diet == "classic":
        return rx.classic(patient, float(keto["ratio"]), meals=meals)
    if diet == "mct":
        return rx.mct(
            patient, mct_percent=keto.get("mct_percent", rx.MCT_PERCENT_DEFAULT), meals=meals
        )
    if diet == "mad":
        return rx.mad(
            patient, carb_limit_g=keto.get("carb_limit_g", rx.MAD_CARB_G_DEFAULT), meals=meals
        )
    if diet == "lgit":
        return rx.lgit(
            patient,
            carb_g=keto.get("carb_g", rx.LGIT_CARB_G_DEFAULT),
            gi_cutoff=keto.get("gi_cutoff", rx.LGIT_GI_CUTOFF_DEFAULT),
            meals=meals,
        )
    raise InputError("keto.diet", diet, "one of classic, mct, mad, lgit")
