"""EHR Observations (a FHIR Bundle) into a patient's record, through the record validator.

:func:`import_observations` reads the Observation entries of a FHIR R4B Bundle (each one is
first parsed with the ``fhir.resources`` R4B model), keeps those with a known LOINC code, takes
their values to the record's units, and returns the record document with the new growth and
lab items added, checked by :func:`spasmcare.record.record_from_dict`, the one validator of
every input (so its rules, e.g. weight-for-age plausibility, apply to imported values too).

Codes read (interop-and-peers.md §2): body weight 29463-7, length 8306-3, head circumference
8287-5, glucose 15074-8 [mmol/L] and 2339-0 [mass/volume], blood beta-hydroxybutyrate
:data:`~spasmcare.interop.fhir.BHB_LOINC_CHOICES`. Other entries are listed as not imported,
with the reason; nothing is dropped silently.

Units are read from the UCUM code (``valueQuantity.code`` with system
``http://unitsofmeasure.org``), or from ``unit`` when there is no code, and converted by the
factors of :data:`LENGTH_TO_CM` and :data:`MASS_TO_KG`; lab values keep the unit they came in
(``mmol/L`` or ``mg/dL``) and the record converts mg/dL to mmol/L itself (glucose × 10 /
180.156 g/mol, :mod:`spasmcare.record.units`, Young 1987). An unknown unit is refused with the
entry named.

Duplicates: an Observation whose measure and date (growth) or analyte and time (labs) is
already in the record, or earlier in the same Bundle, with the same value is *not imported*
and listed as already present; with a different value the whole import is refused, because two
values for one moment need a person to decide. Only results with status ``final``,
``amended`` or ``corrected`` are imported.

Times: an offset in the EHR's dateTime is converted to ``time_zone`` when given; without it
the wall-clock time is kept as written (the record stores local times without a zone).

References
----------
1. UCUM, The Unified Code for Units of Measure (unitsofmeasure.org): g = 10^-3 kg; mm =
   10^-1 cm; m = 10^2 cm; [lb_av] = 0.45359237 kg and [in_i] = 2.54 cm exactly (international
   yard and pound, 1959).
2. HL7 FHIR R4 Observation.status value set: registered | preliminary | final | amended |
   corrected | cancelled | entered-in-error | unknown.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from spasmcare.errors import InputError
from spasmcare.interop.fhir import BHB_LOINC_CHOICES, LOINC, UCUM, validate_resources
from spasmcare.plain import day_text
from spasmcare.record import Record, record_from_dict

#: Length unit (UCUM) -> factor to cm [1].
LENGTH_TO_CM: Mapping[str, float] = {"cm": 1.0, "mm": 0.1, "m": 100.0, "[in_i]": 2.54}
#: Mass unit (UCUM) -> factor to kg [1].
MASS_TO_KG: Mapping[str, float] = {"kg": 1.0, "g": 0.001, "[lb_av]": 0.45359237}
#: Lab units accepted, UCUM code -> the record's unit text.
LAB_UNITS: Mapping[str, str] = {"mmol/L": "mmol/L", "mg/dL": "mg/dL"}

#: LOINC code -> (record section, field or analyte).
CODES: Mapping[str, tuple[str, str]] = {
    "29463-7": ("growth", "weight_kg"),
    "8306-3": ("growth", "length_cm"),
    "8287-5": ("growth", "head_circumference_cm"),
    "15074-8": ("labs", "glucose"),
    "2339-0": ("labs", "glucose"),
    **{code: ("labs", "bhb") for code in BHB_LOINC_CHOICES},
}
FINAL_STATUSES = ("final", "amended", "corrected")
#: How each measure reads in a message.
WORDS: Mapping[str, str] = {
    "weight_kg": "weight",
    "length_cm": "length",
    "head_circumference_cm": "head circumference",
    "glucose": "glucose",
    "bhb": "blood ketones (BHB)",
}


def _moment_words(moment: datetime) -> str:
    return day_text(moment.date()) + (
        f" {moment:%H:%M}" if moment.time() != datetime.min.time() else ""
    )


@dataclass(frozen=True)
class ImportResult:
    """The merged record, the new items, and what was not imported (with reasons)."""

    record: Record
    record_dict: dict[str, Any]
    added: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    not_imported: list[dict[str, str]] = field(default_factory=list)


def _loinc(resource: Mapping[str, Any]) -> str | None:
    for coding in resource.get("code", {}).get("coding", []) or []:
        if coding.get("system") == LOINC and coding.get("code") in CODES:
            return str(coding["code"])
    return None


def _unit(quantity: Mapping[str, Any]) -> str | None:
    if quantity.get("system") == UCUM and quantity.get("code"):
        return str(quantity["code"])
    unit = quantity.get("unit")
    return str(unit) if unit else None


def _moment(resource: Mapping[str, Any], where: str, time_zone: str | None) -> datetime:
    text = resource.get("effectiveDateTime") or resource.get("effectiveInstant")
    if not text:
        text = (resource.get("effectivePeriod") or {}).get("start")
    if not text:
        raise InputError(f"{where}.effectiveDateTime", None, "the date of the measurement")
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time())
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(
            f"{where}.effectiveDateTime", text, "a date YYYY-MM-DD or date-time"
        ) from exc
    if moment.tzinfo is not None and time_zone is not None:
        moment = moment.astimezone(ZoneInfo(time_zone))
    return moment.replace(tzinfo=None)


def _times(value: float, factor: float) -> float:
    """``value`` × ``factor`` computed on the decimal texts, so 6900 g × 0.001 is 6.9 kg and
    not 6.9000000000000004 (no rounding: the product of two decimals is exact)."""
    if factor == 1.0:
        return value
    return float(Decimal(repr(value)) * Decimal(repr(factor)))


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def import_observations(
    record_doc: Mapping[str, Any],
    bundle: Mapping[str, Any],
    today: date | None = None,
    time_zone: str | None = None,
) -> ImportResult:
    """``record_doc`` (a record JSON dict) with the Bundle's weight, length, head
    circumference, glucose and BHB Observations added; see the module docstring.

    Raises InputError naming the entry (``entry[3].valueQuantity.code``) for an invalid
    resource, a unit that cannot be converted, a conflicting duplicate, or any value the record
    validator refuses (then naming the record field, e.g. ``growth[5].weight_kg``).
    """
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise InputError(
            "bundle.resourceType",
            bundle.get("resourceType") if isinstance(bundle, Mapping) else bundle,
            "a FHIR Bundle",
        )
    current = record_from_dict(record_doc, today=today)
    doc = copy.deepcopy(dict(record_doc))
    entries = bundle.get("entry") or []
    resources = [e.get("resource") or {} for e in entries]
    for i, r in enumerate(resources):
        try:
            validate_resources([r])
        except InputError as exc:
            raise InputError(f"entry[{i}] {exc.field}", exc.value, exc.accepted) from exc
    growth_seen: dict[tuple[date, str], float] = {}
    for g in current.growth:
        for name in ("weight_kg", "length_cm", "head_circumference_cm"):
            value = getattr(g, name)
            if value is not None:
                growth_seen.setdefault((g.day, name), value)
    lab_seen: dict[tuple[datetime, str], float] = {
        (lab.at, lab.analyte): lab.value_si for lab in current.labs
    }
    new_growth: dict[date, dict[str, Any]] = {}
    new_labs: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for i, r in enumerate(resources):
        where = f"entry[{i}]"
        kind = r.get("resourceType")
        if kind != "Observation":
            skipped.append({"entry": where, "reason": f"a {kind}, not an Observation"})
            continue
        code = _loinc(r)
        if code is None:
            text = r.get("code", {}).get("text") or "no LOINC code"
            skipped.append({"entry": where, "reason": f"not a measure spasmcare reads ({text})"})
            continue
        if r.get("status") not in FINAL_STATUSES:
            skipped.append(
                {"entry": where, "reason": f"status {r.get('status')}, not a final result"}
            )
            continue
        quantity = r.get("valueQuantity")
        if not quantity or quantity.get("value") is None:
            raise InputError(f"{where}.valueQuantity", None, "a measured value with its unit")
        value = float(quantity["value"])
        unit = _unit(quantity) or "(none)"
        moment = _moment(r, where, time_zone)
        section, name = CODES[code]
        if section == "growth":
            factors = MASS_TO_KG if name == "weight_kg" else LENGTH_TO_CM
            if unit not in factors:
                raise InputError(
                    f"{where}.valueQuantity.code", unit, "one of " + ", ".join(factors)
                )
            value = _times(value, factors[unit])
            day = moment.date()
            old = growth_seen.get((day, name))
            if old is not None:
                if _same(old, value):
                    skipped.append(
                        {
                            "entry": where,
                            "reason": f"{WORDS[name]} on {day_text(day)} already in the record",
                        }
                    )
                    continue
                raise InputError(
                    where,
                    value,
                    f"no second {WORDS[name]} on {day_text(day)} (the record has {old:g}); "
                    "correct one of them by hand",
                )
            growth_seen[(day, name)] = value
            new_growth.setdefault(day, {"date": day.isoformat()})[name] = value
        else:
            if unit not in LAB_UNITS:
                raise InputError(
                    f"{where}.valueQuantity.code", unit, "one of " + ", ".join(LAB_UNITS)
                )
            from spasmcare.record.units import to_si

            si, _ = to_si(name, value, LAB_UNITS[unit], where)
            old = lab_seen.get((moment, name))
            if old is not None:
                if _same(old, si):
                    skipped.append(
                        {
                            "entry": where,
                            "reason": (
                                f"{WORDS[name]} at {_moment_words(moment)} already in the record"
                            ),
                        }
                    )
                    continue
                raise InputError(
                    where,
                    value,
                    f"no second {WORDS[name]} result at {_moment_words(moment)}; "
                    "correct one of them by hand",
                )
            lab_seen[(moment, name)] = si
            at = (
                moment.date().isoformat()
                if moment.time() == datetime.min.time()
                else moment.isoformat(timespec="minutes")
            )
            new_labs.append({"at": at, "analyte": name, "value": value, "unit": LAB_UNITS[unit]})
    added = [("growth", g) for _, g in sorted(new_growth.items())] + [("labs", x) for x in new_labs]
    for section, item in added:
        doc.setdefault(section, []).append(item)
    record = record_from_dict(doc, today=today)
    return ImportResult(record, doc, added, skipped)
