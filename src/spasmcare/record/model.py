"""The patient record: plain, immutable dataclasses with no behaviour beyond small helpers.

One :class:`Record` holds everything the response measures read: demographics, etiology, the
spasm diary and the days it covers, treatments, diet periods, EEGs, growth, labs, vital signs
(blood pressure, heart rate), adverse events and the doses ticked as given at home. Import and
export live in :mod:`spasmcare.record.io`; nothing here touches files.

A diary day counts as observed only when it is listed in ``recorded_days``: a day that is not
listed is *unknown*, never spasm-free, even when the diary has no entry on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from spasmcare.errors import InputError
from spasmcare.record.development import Development
from spasmcare.record.pathway import Pathway
from spasmcare.record.seizures import OtherSeizure
from spasmcare.record.side_effects import SideEffect

Sex = Literal["male", "female"]
EntryKind = Literal["cluster", "single"]

#: Etiology groups: the issue's list (TSC named apart because it changes first-line treatment)
#: plus the ILAE groups infectious and immune.
ETIOLOGY_CATEGORIES: tuple[str, ...] = (
    "tsc",
    "structural",
    "genetic",
    "metabolic",
    "infectious",
    "immune",
    "unknown",
)
#: How each etiology group reads (the web app's cohort tables and the report).
ETIOLOGY_LABELS: dict[str, str] = {
    "tsc": "tuberous sclerosis complex",
    "structural": "structural",
    "genetic": "genetic",
    "metabolic": "metabolic",
    "infectious": "infectious",
    "immune": "immune",
    "unknown": "unknown",
}

DIET_KINDS: tuple[str, ...] = ("classic-kd", "mct", "mad", "lgit", "other")
#: How each diet kind reads on a page.
DIET_LABELS: dict[str, str] = {
    "classic-kd": "classic ketogenic diet",
    "mct": "MCT ketogenic diet",
    "mad": "modified Atkins diet",
    "lgit": "low glycaemic index treatment",
    "other": "other diet",
}

#: The five Kramer hypsarrhythmia items, scored 0 to ``KRAMER_ITEM_MAX`` each, as later users
#: applied the scale (Kulandaivel K, et al. AES 2008 abstract 2.033; see spasmcare.measures.eeg).
KRAMER_ITEMS: tuple[str, ...] = (
    "disorganisation",
    "delta_slowing",
    "amplitude",
    "spikes",
    "other_abnormalities",
)
KRAMER_ITEM_MAX = 3
#: Kramer variant patterns, recorded present/absent and not scored (Kramer 1997).
KRAMER_VARIANTS: tuple[str, ...] = (
    "electrodecremental_discharges",
    "absent_normal_sleep_activity",
    "relative_normalisation",
    "hemihypsarrhythmia",
    "burst_suppression",
    "occipital_hypsarrhythmia",
    "interhemispheric_asymmetry",
    "interhemispheric_synchronisation",
)
# The record JSON Schema lists the same values; tests/record checks that they agree.


@dataclass(frozen=True)
class Patient:
    """Demographics. ``gestation_weeks``/``gestation_days``: completed weeks + days at birth."""

    id: str
    birth_date: date
    sex: Sex
    gestation_weeks: int = 40
    gestation_days: int = 0
    onset_date: date | None = None
    name: str | None = None


@dataclass(frozen=True)
class Etiology:
    category: str = "unknown"
    gene: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class DiaryEntry:
    """One observation: a cluster of ``spasms`` spasms, or a single spasm (``spasms == 1``)."""

    at: datetime
    kind: EntryKind
    spasms: int
    duration_min: float | None = None
    observer: str | None = None
    video: str | None = None
    note: str | None = None

    @property
    def day(self) -> date:
        return self.at.date()


@dataclass(frozen=True)
class Dose:
    """A dose in force from ``start`` until the next dose of the same treatment."""

    start: date
    amount: float
    unit: str
    note: str | None = None


@dataclass(frozen=True)
class Treatment:
    """A drug course. ``continues`` names the treatment this one continues (for example the
    prednisolone taper after tetracosactide), so it is not counted as a second treatment."""

    id: str
    drug: str
    start: date
    stop: date | None = None
    protocol: str | None = None
    continues: str | None = None
    doses: tuple[Dose, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class RatioReading:
    day: date
    ratio: float


@dataclass(frozen=True)
class DietPeriod:
    id: str
    diet: str
    start: date
    stop: date | None = None
    prescribed_ratio: float | None = None
    achieved: tuple[RatioReading, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Kramer:
    """Kramer hypsarrhythmia scale as recorded: item points, total and variant features."""

    items: dict[str, int] = field(default_factory=dict)
    total: int | None = None
    variants: dict[str, bool] = field(default_factory=dict)


def kramer_item_sum(items: Mapping[str, int], field: str = "kramer.items") -> int:
    """Sum of the five Kramer item scores; ``InputError`` naming ``field`` for an unknown or
    missing item or a score outside 0-3."""
    unknown = set(items) - set(KRAMER_ITEMS)
    if unknown:
        raise InputError(field, sorted(unknown)[0], "one of " + ", ".join(KRAMER_ITEMS))
    missing = [k for k in KRAMER_ITEMS if k not in items]
    if missing:
        raise InputError(f"{field}.{missing[0]}", None, "a score from 0 to 3 for every item")
    for name, value in items.items():
        if not (isinstance(value, int) and 0 <= value <= KRAMER_ITEM_MAX):
            raise InputError(f"{field}.{name}", value, "a whole number from 0 to 3")
    return sum(items.values())


@dataclass(frozen=True)
class Eeg:
    day: date
    hypsarrhythmia: bool | None = None
    kramer: Kramer | None = None
    based_grade: int | None = None
    report: str | None = None


@dataclass(frozen=True)
class GrowthMeasurement:
    day: date
    weight_kg: float | None = None
    length_cm: float | None = None
    head_circumference_cm: float | None = None


@dataclass(frozen=True)
class LabResult:
    """A lab value as entered and in the SI unit of its analyte (``value_si``/``unit_si``)."""

    at: datetime
    analyte: str
    value: float
    unit: str
    value_si: float
    unit_si: str
    name: str | None = None
    sample: str | None = None

    @property
    def day(self) -> date:
        return self.at.date()


@dataclass(frozen=True)
class VitalSign:
    """One blood-pressure reading [mmHg], with the heart rate [beats/min] when taken with it.

    The record accepts only values inside wide input-sanity bounds (see the JSON Schema and
    ``VITAL_BOUNDS``); those bounds reject typing errors and are not clinical thresholds.
    """

    at: datetime
    systolic_mmhg: float
    diastolic_mmhg: float
    heart_rate_bpm: float | None = None
    note: str | None = None

    @property
    def day(self) -> date:
        return self.at.date()


#: Input-sanity bounds (inclusive) of the vital signs, as (low, high) in the field's unit.
#: A software setting, not a clinical figure: wide enough that no reading of a living infant
#: is refused, narrow enough to catch a slipped digit (e.g. 1100 for 110). The JSON Schema
#: carries the same numbers; tests/record checks that they agree.
VITAL_BOUNDS: dict[str, tuple[float, float]] = {
    "systolic_mmhg": (20, 300),
    "diastolic_mmhg": (5, 250),
    "heart_rate_bpm": (20, 350),
}


@dataclass(frozen=True)
class AdverseEvent:
    day: date
    type: str
    grade: int | None = None
    treatment: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DoseGiven:
    """A family's (or the team's) note that one scheduled dose of a treatment was given.

    ``treatment`` is the id of a treatment of the record; ``time`` the dose's time on the
    schedule ("08:00"), None for a once-a-day medicine without a time; ``dose`` the dose as the
    schedule showed it when ticked ("10 mg = 1 mL of 10 mg/mL"), kept as text because it is what
    the family saw, not a prescription; ``given`` False records a dose that was not given.
    """

    day: date
    treatment: str
    given: bool = True
    time: str | None = None
    drug: str | None = None
    dose: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Record:
    patient: Patient
    etiology: Etiology = Etiology()
    diary: tuple[DiaryEntry, ...] = ()
    recorded_days: frozenset[date] = frozenset()
    treatments: tuple[Treatment, ...] = ()
    diet_periods: tuple[DietPeriod, ...] = ()
    eegs: tuple[Eeg, ...] = ()
    growth: tuple[GrowthMeasurement, ...] = ()
    labs: tuple[LabResult, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    schema_version: int = 1
    vitals: tuple[VitalSign, ...] = ()
    doses_given: tuple[DoseGiven, ...] = ()
    # --- care pathway (issue 23): referral, work-up, failures, overrides; see record.pathway
    pathway: Pathway = Pathway()
    # --- development (issue 25): see spasmcare.record.development ---
    development: Development | None = None
    # --- end development ---
    # --- other seizures (issue 23 item 6): not spasms, ILAE 2017 basic type; see record.seizures
    other_seizures: tuple[OtherSeizure, ...] = ()
    # --- end other seizures
    # --- issue 24 (diet over two years): side effects as structured entries -----------------
    side_effects: tuple[SideEffect, ...] = ()
    # --- end issue 24 ----------------------------------------------------------------------

    def treatment(self, treatment_id: str) -> Treatment | None:
        return next((t for t in self.treatments if t.id == treatment_id), None)

    def diet(self, diet_id: str) -> DietPeriod | None:
        return next((d for d in self.diet_periods if d.id == diet_id), None)
