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

The right patient: every Observation of the Bundle must name the patient whose record it goes
into, through its ``subject``: a reference to that patient (``Patient/<id>`` with the id the
FHIR export gives the record, :func:`~spasmcare.interop.fhir.resource_id`), a logical reference
whose ``identifier.value`` is the record's identifier, or a reference to a Patient resource of the
same Bundle (by ``fullUrl`` or ``Patient/<id>``) one of whose identifiers is the record's
identifier (a bundled Patient without identifiers names the patient its id names). A subject
that names anyone else (another patient, a patient that does not exist, a Group) or an
Observation with no subject ("names no patient") refuses the whole import, naming the entry and
what it names: an EHR result that does not say whose it is must not reach a child's record.
This holds for every Observation of the Bundle, also those that would not be imported, because a
Bundle that mixes patients is not the one the clinician meant to import. Identifiers are
compared by value (the identifier system is not required to match, since an EHR may send the
record's identifier under its own system).

Shape and values: the Bundle is parsed with the ``fhir.resources`` R4B ``Bundle`` model before
anything else is read, so any shape error (an ``entry`` that is not a list, a malformed date) is
one InputError naming the field (``entry[2].effectiveDateTime``). Numbers must be JSON
numbers (``"5.0"`` as text is refused), and every value passes the record's plausibility
registry (:mod:`spasmcare.record.plausibility`) as a web form's value does, first named by the
entry and then again by the record validator.

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
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from spasmcare.errors import InputError
from spasmcare.interop.fhir import BHB_LOINC_CHOICES, LOINC, UCUM, resource_id
from spasmcare.plain import day_text
from spasmcare.record import Record, plausibility, record_from_dict

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


def _where(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a field path named as the other messages of this module
    name an entry's fields: ``("entry", 2, "resource", "status")`` is ``entry[2].status``."""
    out = ""
    for i, part in enumerate(loc):
        if part == "root" or (part == "resource" and i == 2 and loc[0] == "entry"):
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "bundle"


def _shape(bundle: Any) -> list[dict[str, Any]]:
    """The Bundle's resources, after the whole Bundle passed the ``fhir.resources`` R4B models
    (imported lazily: the ``Bundle`` model, then each resource's own) and the record's checks of
    any JSON document; else one InputError naming the field."""
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise InputError(
            "bundle.resourceType",
            bundle.get("resourceType") if isinstance(bundle, Mapping) else type(bundle).__name__,
            "a FHIR Bundle",
        )
    try:
        plausibility.check_document(bundle)
    except InputError as exc:
        field = re.sub(r"^(entry\[\d+\])\.resource\b", r"\1", exc.field)
        raise InputError(field, exc.value, exc.accepted) from None
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    def refuse(exc: ValidationError, prefix: str) -> InputError:
        first = exc.errors()[0]
        loc = tuple(first.get("loc", ()))
        field = (prefix + _where(loc)) if loc else (prefix.rstrip(".") or "bundle")
        return InputError(field, first.get("input"), str(first.get("msg")))

    # The Bundle's own shape with the resources set aside (each is then parsed by its own
    # model: the same check, twice as fast as the Bundle model's resource-by-type lookup).
    entries = bundle.get("entry")
    outline = dict(bundle)
    if isinstance(entries, list):
        outline["entry"] = [
            {k: v for k, v in e.items() if k != "resource"} if isinstance(e, Mapping) else e
            for e in entries
        ]
    try:
        get_fhir_model_class("Bundle").model_validate(outline)
    except ValidationError as exc:
        raise refuse(exc, "") from None
    resources: list[dict[str, Any]] = []
    for i, e in enumerate(entries or []):
        resource = e.get("resource") or {}
        if not isinstance(resource, Mapping):
            raise InputError(f"entry[{i}].resource", resource, "a FHIR resource (a JSON object)")
        if resource:
            kind = resource.get("resourceType")
            try:
                model = get_fhir_model_class(str(kind))
            except (KeyError, ValueError):
                raise InputError(
                    f"entry[{i}].resourceType", kind, "a FHIR R4B resource type"
                ) from None
            try:
                model.model_validate(dict(resource))
            except ValidationError as exc:
                raise refuse(exc, f"entry[{i}].") from None
        resources.append(dict(resource))
    return resources


def _bundled_patients(bundle: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The Bundle's Patient resources by every name a reference may use for them: the entry's
    ``fullUrl``, ``Patient/<id>``, and the last two parts of an absolute fullUrl."""
    out: dict[str, Mapping[str, Any]] = {}
    for e in bundle.get("entry") or []:
        r = e.get("resource") or {}
        if r.get("resourceType") != "Patient":
            continue
        url = e.get("fullUrl")
        if url:
            out[url] = r
            parts = url.rstrip("/").split("/")
            if len(parts) >= 2 and parts[-2] == "Patient":
                out.setdefault("/".join(parts[-2:]), r)
        if r.get("id"):
            out.setdefault(f"Patient/{r['id']}", r)
    return out


def _patient_words(p: Mapping[str, Any]) -> str:
    values = [str(i.get("value")) for i in p.get("identifier") or [] if i.get("value")]
    if values:
        return "a Patient with identifier " + ", ".join(values)
    return f"a Patient without identifier (id {p.get('id') or 'none'})"


def _is_target(p: Mapping[str, Any], record_id: str, target_ref: str) -> bool:
    values = [i.get("value") for i in p.get("identifier") or [] if i.get("value")]
    if values:
        return record_id in values
    return f"Patient/{p.get('id')}" == target_ref


def check_subjects(
    resources: list[dict[str, Any]], patients: Mapping[str, Mapping[str, Any]], record_id: str
) -> None:
    """Refuse the import unless every Observation names the record's patient (see the module
    docstring); the InputError names the entry and what its subject names."""
    target_ref = f"Patient/{resource_id(record_id, 'Patient')}"
    accepted = (
        f"an Observation about this patient (subject {target_ref} or identifier {record_id}); "
        "nothing was imported"
    )
    for i, r in enumerate(resources):
        if r.get("resourceType") != "Observation":
            continue
        where = f"entry[{i}].subject"
        subject = r.get("subject") or {}
        ref, ident = subject.get("reference"), subject.get("identifier")
        if ref is None and ident is None:
            raise InputError(where, "names no patient", accepted)
        if ref is not None:
            bundled = patients.get(ref)
            if bundled is not None:
                if not _is_target(bundled, record_id, target_ref):
                    raise InputError(
                        f"{where}.reference", f"{ref} ({_patient_words(bundled)})", accepted
                    )
            elif ref != target_ref and not ref.endswith("/" + target_ref):
                raise InputError(f"{where}.reference", ref, accepted)
        if ident is not None and ident.get("value") != record_id:
            raise InputError(f"{where}.identifier.value", ident.get("value"), accepted)


def _number(quantity: Mapping[str, Any] | None, where: str) -> float:
    """``valueQuantity.value`` as a float: present and a JSON number (not text, not a boolean)."""
    if not quantity or quantity.get("value") is None:
        raise InputError(f"{where}.valueQuantity", None, "a measured value with its unit")
    raw = quantity["value"]
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InputError(f"{where}.valueQuantity.value", raw, "a JSON number (not text)")
    return float(raw)


def _not_read(r: Mapping[str, Any]) -> str | None:
    """Why the resource is not imported (listed, not an error), or None when it is read."""
    kind = r.get("resourceType")
    if kind != "Observation":
        return f"a {kind}, not an Observation"
    if _loinc(r) is None:
        text = r.get("code", {}).get("text") or "no LOINC code"
        return f"not a measure spasmcare reads ({text})"
    if r.get("status") not in FINAL_STATUSES:
        return f"status {r.get('status')}, not a final result"
    return None


@dataclass
class _Merge:
    """What the record holds already, and what the Bundle adds or leaves out."""

    growth_seen: dict[tuple[date, str], float]
    lab_seen: dict[tuple[datetime, str], float]
    new_growth: dict[date, dict[str, Any]] = field(default_factory=dict)
    new_labs: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, current: Record) -> _Merge:
        growth_seen: dict[tuple[date, str], float] = {}
        for g in current.growth:
            for name in ("weight_kg", "length_cm", "head_circumference_cm"):
                value = getattr(g, name)
                if value is not None:
                    growth_seen.setdefault((g.day, name), value)
        lab_seen = {(lab.at, lab.analyte): lab.value_si for lab in current.labs}
        return cls(growth_seen, lab_seen)

    def growth(self, where: str, name: str, value: float, unit: str, day: date) -> None:
        factors = MASS_TO_KG if name == "weight_kg" else LENGTH_TO_CM
        if unit not in factors:
            raise InputError(f"{where}.valueQuantity.code", unit, "one of " + ", ".join(factors))
        value = _times(value, factors[unit])
        plausibility.check_range(
            plausibility.GROWTH_RANGES[name], value, f"{where}.valueQuantity.value"
        )
        old = self.growth_seen.get((day, name))
        if old is not None:
            if not _same(old, value):
                raise InputError(
                    where,
                    value,
                    f"no second {WORDS[name]} on {day_text(day)} (the record has {old:g}); "
                    "correct one of them by hand",
                )
            reason = f"{WORDS[name]} on {day_text(day)} already in the record"
            self.skipped.append({"entry": where, "reason": reason})
            return
        self.growth_seen[(day, name)] = value
        self.new_growth.setdefault(day, {"date": day.isoformat()})[name] = value

    def lab(self, where: str, name: str, value: float, unit: str, moment: datetime) -> None:
        if unit not in LAB_UNITS:
            raise InputError(f"{where}.valueQuantity.code", unit, "one of " + ", ".join(LAB_UNITS))
        from spasmcare.record.units import to_si

        si, _ = to_si(name, value, LAB_UNITS[unit], where)
        plausibility.check_range(
            plausibility.LAB_RANGES_SI[name], si, f"{where}.valueQuantity.value"
        )
        old = self.lab_seen.get((moment, name))
        if old is not None:
            if not _same(old, si):
                raise InputError(
                    where,
                    value,
                    f"no second {WORDS[name]} result at {_moment_words(moment)}; "
                    "correct one of them by hand",
                )
            reason = f"{WORDS[name]} at {_moment_words(moment)} already in the record"
            self.skipped.append({"entry": where, "reason": reason})
            return
        self.lab_seen[(moment, name)] = si
        at = (
            moment.date().isoformat()
            if moment.time() == datetime.min.time()
            else moment.isoformat(timespec="minutes")
        )
        self.new_labs.append({"at": at, "analyte": name, "value": value, "unit": LAB_UNITS[unit]})


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
    resources = _shape(bundle)
    current = record_from_dict(record_doc, today=today)
    check_subjects(resources, _bundled_patients(bundle), current.patient.id)
    doc = copy.deepcopy(dict(record_doc))
    merge = _Merge.of(current)
    for i, r in enumerate(resources):
        where = f"entry[{i}]"
        reason = _not_read(r)
        if reason is not None:
            merge.skipped.append({"entry": where, "reason": reason})
            continue
        quantity = r.get("valueQuantity")
        value = _number(quantity, where)
        unit = _unit(quantity or {}) or "(none)"
        moment = _moment(r, where, time_zone)
        section, name = CODES[str(_loinc(r))]
        if section == "growth":
            merge.growth(where, name, value, unit, moment.date())
        else:
            merge.lab(where, name, value, unit, moment)
    new_growth, new_labs, skipped = merge.new_growth, merge.new_labs, merge.skipped
    added = [("growth", g) for _, g in sorted(new_growth.items())] + [("labs", x) for x in new_labs]
    for section, item in added:
        doc.setdefault(section, []).append(item)
    record = record_from_dict(doc, today=today)
    return ImportResult(record, doc, added, skipped)
