"""The plausible range of every clinical quantity the record holds, in one place.

Each quantity has a *hard* range and, where one is known, a *soft* range:

- outside the hard range a value is refused (:class:`~spasmcare.errors.InputError` naming the
  field, the value and the range), so nothing stored can later break a page or a calculation;
- outside the soft range a value is saved, with a "check this value" warning
  (:func:`record_warnings`).

The record validator (:func:`spasmcare.record.record_from_dict`) applies the hard ranges, so the
web forms, the JSON import and the CLI share them. Every number below is either sourced (the
reference number in brackets) or named as a **software setting**: an input-sanity bound chosen
wide enough that no reading of a living child is refused and narrow enough to catch a slipped
digit or a unit mix-up (99999 for 9.9). A software setting is not a clinical threshold; a clinic
may change it here.

Growth is judged by age, against the WHO 2006 standards through :mod:`spasmcare.growth`:
beyond ±5 SD is refused, beyond ±3 SD is flagged [1, 2]. Where the WHO standard does not cover
the age (beyond 5 years, or before the expected date of delivery of a preterm baby) only the
absolute bounds apply.

References
----------
1. WHO Multicentre Growth Reference Study Group. WHO Child Growth Standards. Geneva: WHO, 2006
   (weight-, length- and head circumference-for-age; via rcpchgrowth, see spasmcare.growth).
2. WHO/UNICEF. Recommendations for data collection, analysis and reporting on anthropometric
   indicators in children under 5 years old. Geneva, 2019: z-scores beyond ±5 are flagged as
   biologically implausible; ±3 SD marks severe deviation.
3. NHS Greater Glasgow and Clyde. Ketogenic diet: inpatient and illness protocol: high ketones
   are a blood β-hydroxybutyrate above 6 mmol/L, treated and rechecked
   (``shared/reference/keto-therapy.md`` §2.3).
4. NHS Ketogenic Guide for General Critical Care (adapted from Nottingham): blood glucose at or
   below 2.5 mmol/L gives hypoglycaemia symptoms (keto-therapy.md §2.3).
5. Zuberi SM, et al. ILAE classification and definition of epilepsy syndromes with onset in
   neonates and infants. Epilepsia 2022;63:1349-97: infantile epileptic spasms syndrome has its
   onset at 1-24 months of age (drug-protocols.md, ILAE 2022 IESS criteria).
6. Lux AL, et al. (UKISS). Lancet 2004;364:1773-8, with the doses used in the trial as
   summarised in drug-protocols.md §1.1: prednisolone 40-60 mg/day, tetracosactide depot
   0.5-0.75 mg (40-60 IU) on alternate days, vigabatrin 100-150 mg/kg/day.
7. Bray T. RFC 8259, The JavaScript Object Notation (JSON) Data Interchange Format, 2017, §6:
   integers within [-(2**53)+1, (2**53)-1] are interoperable between implementations.
8. PostgreSQL documentation, Character Types: the character with code zero (NUL) cannot be
   stored in a text column.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from spasmcare.errors import InputError
from spasmcare.growth import SEXES, corrected_age_years, sds, value_at_sds
from spasmcare.record.model import Record

SETTING = "software setting"


@dataclass(frozen=True)
class Range:
    """The hard (refuse) and soft (warn) range of one quantity, inclusive, in ``unit``.

    ``soft`` is ``None`` when no sourced or set warning range exists. ``source`` is the
    reference number(s) of the module, or ``"software setting"``.
    """

    label: str
    unit: str
    hard: tuple[float, float]
    soft: tuple[float, float] | None = None
    source: str = SETTING
    soft_source: str = SETTING

    def words(self) -> str:
        low, high = self.hard
        return f"a {self.label} from {low:g} to {high:g} {self.unit}".rstrip()


@dataclass(frozen=True)
class ValueWarning:
    """A value saved but outside its soft range: ``field`` as in an InputError."""

    field: str
    value: Any
    text: str

    def __str__(self) -> str:
        return f"check this value: {self.field} = {self.value!r}: {self.text}"


# --- Lab results, in the SI unit of each analyte (spasmcare.record.units) ---------------------

#: Hard bounds are software settings (input sanity); soft bounds cite their source.
LAB_RANGES_SI: dict[str, Range] = {
    "bhb": Range(
        "β-hydroxybutyrate",
        "mmol/L",
        (0, 20),
        (0, 6),
        soft_source="[3] NHS GGC ketogenic diet protocol",
    ),
    "glucose": Range(
        "glucose",
        "mmol/L",
        (0, 60),
        (2.5, 60),
        soft_source="[4] NHS ketogenic guide, critical care",
    ),
    "bicarbonate": Range("bicarbonate", "mmol/L", (0, 80)),
    "venous_ph": Range("venous pH", "", (6.3, 8.0)),
    "calcium": Range("calcium", "mmol/L", (0, 10)),
    "creatinine": Range("creatinine", "µmol/L", (0, 5000)),
    "total_cholesterol": Range("total cholesterol", "mmol/L", (0, 60)),
    "ldl_cholesterol": Range("LDL cholesterol", "mmol/L", (0, 60)),
    "hdl_cholesterol": Range("HDL cholesterol", "mmol/L", (0, 20)),
    "triglycerides": Range("triglycerides", "mmol/L", (0, 150)),
    "urine_calcium": Range("urine calcium", "mmol/L", (0, 100)),
    "urine_creatinine": Range("urine creatinine", "mmol/L", (0, 200)),
    "urine_calcium_creatinine_ratio": Range("urine calcium/creatinine ratio", "mmol/mmol", (0, 50)),
    "alt": Range("ALT", "U/L", (0, 10000)),
    "sodium": Range("sodium", "mmol/L", (80, 200)),
    "urine_ketones": Range("urine ketones", "mmol/L", (0, 30)),
}
#: A lab of analyte "other" is stored as entered, in its own unit: only a sanity bound.
OTHER_LAB = Range("value", "", (0, 1e9))

# --- Spasm diary --------------------------------------------------------------------------------

#: Spasms in one cluster (software setting; soft: a count worth confirming with the family).
SPASMS_PER_CLUSTER = Range("number of spasms in one cluster", "spasms", (1, 1000), (1, 300))
#: Spasms recorded on one calendar day, all entries together (software setting).
SPASMS_PER_DAY = Range("number of spasms on one day", "spasms", (0, 5000), (0, 1000))

# --- Vital signs (the same numbers as record.model.VITAL_BOUNDS and the JSON Schema) ----------

VITAL_RANGES: dict[str, Range] = {
    "systolic_mmhg": Range("systolic pressure", "mmHg", (20, 300)),
    "diastolic_mmhg": Range("diastolic pressure", "mmHg", (5, 250)),
    "heart_rate_bpm": Range("heart rate", "/min", (20, 350)),
}

# --- Drug doses ---------------------------------------------------------------------------------

#: Hard bound of a dose amount by its unit (software setting; well above any first-line dose).
DOSE_RANGES: dict[str, Range] = {
    "mg/day": Range("dose", "mg/day", (0, 10000)),
    "mg/kg/day": Range("dose", "mg/kg/day", (0, 1000)),
    "IU/day": Range("dose", "IU/day", (0, 1000)),
    "IU/m2/day": Range("dose", "IU/m2/day", (0, 2000)),
    "mg": Range("dose", "mg", (0, 10000)),
    "IU": Range("dose", "IU", (0, 1000)),
    "mg every other day": Range("dose", "mg every other day", (0, 10000)),
}
#: Highest dose used in UKISS by (drug, unit): above it the dose is saved with a warning [6].
DOSE_SOFT_MAX: dict[tuple[str, str], float] = {
    ("prednisolone", "mg/day"): 60.0,
    ("vigabatrin", "mg/kg/day"): 150.0,
    ("tetracosactide", "mg"): 0.75,
    ("tetracosactide", "mg every other day"): 0.75,
    ("tetracosactide", "IU"): 60.0,
}

# --- Growth ---------------------------------------------------------------------------------------

#: |SDS| beyond which a measurement is refused / flagged [1, 2].
GROWTH_HARD_SDS = 5.0
GROWTH_SOFT_SDS = 3.0
#: Absolute bounds for any age, checked first (software setting).
GROWTH_RANGES: dict[str, Range] = {
    "weight_kg": Range("weight", "kg", (0.2, 300)),
    "length_cm": Range("length", "cm", (20, 250)),
    "head_circumference_cm": Range("head circumference", "cm", (15, 80)),
}
_GROWTH_MEASURE = {
    "weight_kg": "weight",
    "length_cm": "height",
    "head_circumference_cm": "head_circumference",
}

# --- Dates and ages -------------------------------------------------------------------------------

#: Oldest accepted patient age [years] (software setting: a birth date further back is a typo).
MAX_AGE_YEARS = 120
#: Age at onset of IESS [months]: outside it the onset date is saved with a warning [5].
ONSET_AGE_MONTHS = (1.0, 24.0)

# --- Any value of a JSON document -----------------------------------------------------------------

#: Largest integer magnitude accepted anywhere in a record [7].
MAX_SAFE_INTEGER = 2**53 - 1
#: Smallest magnitude of a non-zero number accepted anywhere in a record: the smallest normal
#: IEEE 754 double (software setting). A smaller one (such as 1e-320) is stored with fewer
#: significant digits than written, so it is not the value that was typed or sent.
MIN_NORMAL = sys.float_info.min
#: Deepest nesting of a record document (software setting; the record format needs 5 levels).
MAX_DEPTH = 32
#: Longest patient name [characters] (software setting, the clinic database's column).
MAX_NAME_CHARS = 200


def check_range(rng: Range, value: Any, field: str) -> float:
    """``value`` as a float inside ``rng.hard``, else an InputError naming the range."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(field, value, rng.words()) from None
    low, high = rng.hard
    if not (math.isfinite(number) and low <= number <= high) or 0 < abs(number) < MIN_NORMAL:
        raise InputError(field, value, rng.words())
    return number


def soft_text(rng: Range, value: float) -> str | None:
    """Why ``value`` is outside the soft range, or ``None`` when inside it (or none is set)."""
    if rng.soft is None:
        return None
    low, high = rng.soft
    if value < low:
        return f"{rng.label} below {low:g} {rng.unit} ({rng.soft_source})"
    if value > high:
        return f"{rng.label} above {high:g} {rng.unit} ({rng.soft_source})"
    return None


#: Where a value sits in a document, kept as a chain and spelled out only for an error (a
#: record holds thousands of values and almost never an error): ``None`` for the document,
#: ``(parent, key)`` for a mapping's value, ``(parent, index, None)`` for a list's item.
_Link = tuple[Any, ...] | None


def _where(link: _Link) -> str:
    """The field name of a value (``record``, ``diary[3].spasms``), each step spelled as the
    walk always spelled it: a key right below the document is the key alone."""
    steps: list[tuple[Any, ...]] = []
    while link is not None:
        steps.append(link)
        link = link[0]
    where = "record"
    for step in reversed(steps):
        if len(step) == 3:
            where = f"{where}[{step[1]}]"
        else:
            where = f"{where}.{step[1]}" if where != "record" else str(step[1])
    return where


def check_document(data: Any) -> None:
    """Refuse what no record holds, anywhere in a parsed JSON document: NaN or Infinity,
    non-zero numbers smaller than ``MIN_NORMAL``, integers beyond ±(2**53 - 1) [7], text with a
    NUL character [8] and nesting deeper than ``MAX_DEPTH``. Walks without recursion, so no
    document can exhaust the stack; the types JSON makes are told apart first, and a value's
    field name is spelled out only for its error."""
    stack: list[tuple[Any, _Link, int]] = [(data, None, 0)]
    push, pop = stack.append, stack.pop
    while stack:
        value, link, depth = pop()
        if depth > MAX_DEPTH:
            raise InputError(
                _where(link), "(nested data)", f"at most {MAX_DEPTH} levels of nesting"
            )
        kind = type(value)
        if kind is str:
            if "\x00" in value:
                _check_value(value, link)
        elif kind is dict:
            _push_items(value, link, depth, push)
        elif kind is list:
            for i, item in enumerate(value):
                push((item, (link, i, None), depth + 1))
        elif kind is int:
            if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
                _check_value(value, link)
        elif kind is float:
            if not (math.isfinite(value) and (value == 0 or abs(value) >= MIN_NORMAL)):
                _check_value(value, link)
        elif kind is not bool and value is not None:
            _check_other(value, link, depth, push)


def _push_items(value: dict[Any, Any], link: _Link, depth: int, push: Any) -> None:
    for key, item in value.items():
        if isinstance(key, str) and "\x00" in key:
            raise InputError(_where(link), key.replace("\x00", "\\0")[:80], "names without NUL")
        push((item, (link, key), depth + 1))


def _check_value(value: Any, link: _Link) -> None:
    """Raise the error of one value, if it has one (the checks of :func:`check_document`, in
    the order they always ran)."""
    where = _where(link)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(where, str(value), "a finite number (not NaN or Infinity)")
    if isinstance(value, float) and 0 < abs(value) < MIN_NORMAL:
        raise InputError(
            where, repr(value), f"0 or a number of magnitude at least {MIN_NORMAL:.4g}"
        )
    if isinstance(value, int) and abs(value) > MAX_SAFE_INTEGER:
        raise InputError(
            where, f"a {len(str(abs(value)))}-digit number", "a whole number below 2^53"
        )
    if isinstance(value, str) and "\x00" in value:
        raise InputError(where, value.replace("\x00", "\\0")[:80], "text without NUL")


def _check_other(value: Any, link: _Link, depth: int, push: Any) -> None:
    """A value of a type JSON does not make (a subclass, a caller's tuple): the same checks."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, float | int | str):
        _check_value(value, link)
    if isinstance(value, dict):
        _push_items(value, link, depth, push)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            push((item, (link, i, None), depth + 1))


def check_birth_date(birth: date, today: date, field: str) -> None:
    """Refuse a birth date more than ``MAX_AGE_YEARS`` before ``today`` (software setting)."""
    earliest = _years_before(today, MAX_AGE_YEARS)
    if birth < earliest:
        raise InputError(
            field,
            birth.isoformat(),
            f"a birth date on or after {earliest.isoformat()} (at most {MAX_AGE_YEARS} years ago)",
        )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def onset_warning(birth: date, onset: date, field: str) -> ValueWarning | None:
    """A warning when the onset age is outside 1-24 months, the ILAE 2022 IESS window [5]."""
    months = (onset - birth).days / (365.25 / 12)
    low, high = ONSET_AGE_MONTHS
    if low <= months <= high:
        return None
    return ValueWarning(
        field,
        onset.isoformat(),
        f"spasms began at {months:.1f} months; IESS begins at {low:g}-{high:g} months [ILAE 2022]",
    )


def growth_limits(
    name: str, value: float, age_years: float | None, sex: str | None, field: str
) -> str | None:
    """Refuse a measurement outside the absolute bounds or beyond ±5 SD of WHO for the age
    [1, 2]; return a warning text beyond ±3 SD, else ``None``. ``name`` is ``weight_kg``,
    ``length_cm`` or ``head_circumference_cm``; with ``sex`` unknown both sexes are tried and
    the nearer score is used."""
    rng = GROWTH_RANGES[name]
    number = check_range(rng, value, field)
    if age_years is None:
        return None
    measure = _GROWTH_MEASURE[name]
    sexes = [sex] if sex in SEXES else list(SEXES)
    scores: dict[str, float] = {}
    for s in sexes:
        try:
            z = sds(measure, number, age_years, s)  # type: ignore[arg-type]
        except (InputError, ArithmeticError, ValueError):
            return None  # the WHO standard does not cover this age: absolute bounds only
        if math.isfinite(z):
            scores[s] = z
    if not scores:
        raise InputError(field, value, rng.words())
    nearest = min(scores.values(), key=abs)
    if abs(nearest) > GROWTH_HARD_SDS:
        try:
            lo = max(value_at_sds(measure, -GROWTH_HARD_SDS, age_years, s) for s in scores)  # type: ignore[arg-type]
            hi = min(value_at_sds(measure, GROWTH_HARD_SDS, age_years, s) for s in scores)  # type: ignore[arg-type]
            span = f" ({lo:.1f}-{hi:.1f} {rng.unit})"
        except (InputError, ArithmeticError, ValueError):
            span = ""
        raise InputError(
            field,
            value,
            f"a {rng.label} within ±{GROWTH_HARD_SDS:g} SD of WHO for the age "
            f"{age_years * 12:.1f} months{span}; got {nearest:+.1f} SD",
        )
    if abs(nearest) > GROWTH_SOFT_SDS:
        return f"{rng.label} {number:g} {rng.unit} is {nearest:+.1f} SD for age (WHO): beyond ±3 SD"
    return None


def dose_warning(drug: str, amount: float, unit: str) -> str | None:
    """A warning when a dose is above the highest used in UKISS for the drug and unit [6]."""
    top = DOSE_SOFT_MAX.get((drug.strip().lower(), unit))
    if top is None or amount <= top:
        return None
    return f"{amount:g} {unit} of {drug} is above the highest UKISS dose ({top:g} {unit}) [UKISS]"


def spasms_by_day(record: Record) -> dict[date, int]:
    """Total spasms recorded on each calendar day."""
    out: dict[date, int] = {}
    for e in record.diary:
        out[e.day] = out.get(e.day, 0) + e.spasms
    return out


def record_warnings(record: Record) -> list[ValueWarning]:
    """Every value of a (valid) record that is outside its soft range, in record order, each
    naming its field as the validator would (``growth[2].length_cm``)."""
    out: list[ValueWarning] = []
    p = record.patient
    if p.onset_date is not None:
        w = onset_warning(p.birth_date, p.onset_date, "patient.onset_date")
        if w:
            out.append(w)
    for i, e in enumerate(record.diary):
        text = soft_text(SPASMS_PER_CLUSTER, e.spasms)
        if text:
            out.append(ValueWarning(f"diary[{i}].spasms", e.spasms, text))
    for day, total in sorted(spasms_by_day(record).items()):
        text = soft_text(SPASMS_PER_DAY, total)
        if text:
            out.append(ValueWarning(f"diary ({day.isoformat()})", total, text))
    for i, t in enumerate(record.treatments):
        for j, d in enumerate(t.doses):
            text = dose_warning(t.drug, d.amount, d.unit)
            if text:
                out.append(ValueWarning(f"treatments[{i}].doses[{j}].amount", d.amount, text))
    for i, g in enumerate(record.growth):
        age = corrected_age_years(p.birth_date, g.day, p.gestation_weeks, p.gestation_days)
        for name in GROWTH_RANGES:
            value = getattr(g, name)
            if value is None:
                continue
            try:
                text = growth_limits(name, value, age, p.sex, f"growth[{i}].{name}")
            except InputError as exc:
                text = exc.accepted
            if text:
                out.append(ValueWarning(f"growth[{i}].{name}", value, text))
    for i, x in enumerate(record.labs):
        rng = LAB_RANGES_SI.get(x.analyte)
        text = soft_text(rng, x.value_si) if rng else None
        if text:
            out.append(ValueWarning(f"labs[{i}].value", x.value, f"{text} (entered {x.unit})"))
    return out


def all_ranges() -> Iterator[tuple[str, Range]]:
    """Every named range, for documentation and the consistency tests."""
    for key, rng in LAB_RANGES_SI.items():
        yield f"labs.{key}", rng
    yield "labs.other", OTHER_LAB
    yield "diary.spasms", SPASMS_PER_CLUSTER
    yield "diary.spasms_per_day", SPASMS_PER_DAY
    for key, rng in VITAL_RANGES.items():
        yield f"vitals.{key}", rng
    for key, rng in DOSE_RANGES.items():
        yield f"doses.{key}", rng
    for key, rng in GROWTH_RANGES.items():
        yield f"growth.{key}", rng
