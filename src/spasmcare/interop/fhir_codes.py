"""FHIR codes, settings and value helpers of the record export (:mod:`spasmcare.interop.fhir`).

References are numbered as in :mod:`spasmcare.interop.fhir`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spasmcare.errors import InputError

#: The FHIR version the resources follow (R4B, 4.3.0).
FHIR_VERSION = "4.3.0"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
#: spasmcare's own code system and extensions (documented in docs/MULTICENTRE.md).
CODE_SYSTEM = "https://spasmcare.org/fhir/CodeSystem/spasmcare"
EXT_ETIOLOGY = "https://spasmcare.org/fhir/StructureDefinition/iess-etiology"
EXT_KETOGENIC_RATIO = "https://spasmcare.org/fhir/StructureDefinition/ketogenic-ratio"
EXT_CTCAE_GRADE = "https://spasmcare.org/fhir/StructureDefinition/ctcae-v5-grade"
EXT_RESOLVED = "https://spasmcare.org/fhir/StructureDefinition/resolved-date"
EXT_ACTION = "https://spasmcare.org/fhir/StructureDefinition/action-taken"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"

WEST_SYNDROME = ("28055006", "West syndrome")
WEIGHT = ("29463-7", "Body weight")
LENGTH = ("8306-3", "Body height --lying")
HEAD = ("8287-5", "Head Occipital-frontal circumference")
WEIGHT_FOR_LENGTH = ("77606-2", "Weight-for-length Per age and sex")
GLUCOSE = ("15074-8", "Glucose [Moles/volume] in Blood")

#: Candidate LOINC codes for blood beta-hydroxybutyrate [1]: sources disagree.
BHB_LOINC_CHOICES: Mapping[str, str] = {
    "66441-7": "Beta hydroxybutyrate [Moles/volume] in Blood by Test strip",
    "104816-4": "Beta hydroxybutyrate [Moles/volume] in Blood",
    "53061-8": "Ketones [Moles/volume] in Blood",
}
#: Default: 66441-7, the point-of-care strip meter. Ketones on the ketogenic diet are checked
#: mostly at home and on the ward with a finger-prick meter, which is what this code names
#: (a laboratory catalogue and OMOP concept 40769111 carry the same name) [1]. A clinic whose
#: values come from the laboratory analyser sets 104816-4 instead.
DEFAULT_BHB_LOINC = "66441-7"
#: A software setting, not a real server: clinics set their own FHIR base URL.
DEFAULT_BASE_URL = "https://spasmcare.invalid/fhir"
DEFAULT_IDENTIFIER_SYSTEM = "https://spasmcare.org/fhir/NamingSystem/record-id"

#: UCUM codes of the record's SI lab units.
UCUM_OF_UNIT: Mapping[str, str] = {
    "mmol/L": "mmol/L",
    "µmol/L": "umol/L",
    "umol/L": "umol/L",
    "pH": "[pH]",
    "mmol/mmol": "mmol/mmol",
}

#: Record dose unit -> (unit shown, UCUM code of the amount, a rate per day?, every other day?).
_DOSE_UNITS: Mapping[str, tuple[str, str, bool, bool]] = {
    "mg/day": ("mg", "mg", True, False),
    "mg/kg/day": ("mg/kg", "mg/kg", True, False),
    "IU/day": ("IU", "[iU]", True, False),
    "IU/m2/day": ("IU/m2", "[iU]/m2", True, False),
    "mg": ("mg", "mg", False, False),
    "IU": ("IU", "[iU]", False, False),
    "mg every other day": ("mg", "mg", False, True),
}

_NAMESPACE = uuid.UUID("6f1c1f8e-3c2a-5b8e-9a55-5a5a5ca7e015")
_NAMESPACE_SHA1 = hashlib.sha1(_NAMESPACE.bytes, usedforsecurity=False)


@dataclass(frozen=True)
class FhirOptions:
    """Settings of the FHIR export.

    Attributes
    ----------
    bhb_loinc : str
        LOINC code of blood beta-hydroxybutyrate, one of :data:`BHB_LOINC_CHOICES`
        (default :data:`DEFAULT_BHB_LOINC`, justified there).
    time_zone : str or None
        IANA time zone of the record's local times; ``None`` exports dates only.
    base_url : str
        The FHIR base URL of the clinic's server, for the Bundle's ``fullUrl`` values.
    identifier_system : str
        The system of the Patient identifier that carries the record id.
    include_name : bool
        Put the patient's name in ``Patient.name`` (False for a pseudonymised export).
    today : date or None
        The day a course's status is read for (:func:`spasmcare.measures.status.course_state`:
        a saved course keeps its planned stop, so a stop date alone does not make it
        completed); ``None``: the system date.
    """

    bhb_loinc: str = DEFAULT_BHB_LOINC
    time_zone: str | None = None
    base_url: str = DEFAULT_BASE_URL
    identifier_system: str = DEFAULT_IDENTIFIER_SYSTEM
    include_name: bool = True
    today: date | None = None

    def __post_init__(self) -> None:
        if self.bhb_loinc not in BHB_LOINC_CHOICES:
            raise InputError("bhb_loinc", self.bhb_loinc, "one of " + ", ".join(BHB_LOINC_CHOICES))
        if self.time_zone is not None:
            try:
                ZoneInfo(self.time_zone)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise InputError(
                    "time_zone", self.time_zone, "an IANA time zone such as Europe/London"
                ) from exc
        if not self.base_url.startswith(("http://", "https://")):
            raise InputError("base_url", self.base_url, "an http:// or https:// URL")


DEFAULT_FHIR = FhirOptions()


@dataclass(frozen=True)
class DietTargets:
    """Daily targets of a diet period, when the clinic has them (from a keto plan).

    ``feeds_per_day`` and ``feed_volume_ml`` describe infant formula feeds: the order is then
    an ``enteralFormula`` named ``formula`` (e.g. the product); otherwise an oral diet with
    nutrient amounts. Amounts are per day [g/day, kcal/day, mL/day].
    """

    kcal: float | None = None
    fat_g: float | None = None
    protein_g: float | None = None
    carb_g: float | None = None
    fluid_ml: float | None = None
    feeds_per_day: int | None = None
    feed_volume_ml: float | None = None
    formula: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def resource_id(record_id: str, kind: str, key: str = "") -> str:
    """A stable UUID 5 id for item ``kind``/``key`` of the record ``record_id``: the text of
    ``uuid.uuid5(_NAMESPACE, ...)`` (RFC 4122 §4.3: SHA-1 of namespace + name, version 5,
    variant bits), computed without building a UUID object (a bulk export makes millions)."""
    h = _NAMESPACE_SHA1.copy()
    h.update(f"{record_id}\x1f{kind}\x1f{key}".encode())
    x = h.hexdigest()
    variant = "89ab"[int(x[16], 16) & 3]
    return f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{variant}{x[17:20]}-{x[20:32]}"


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _concept(
    system: str, code: str, display: str | None = None, text: str | None = None
) -> dict[str, Any]:
    return {"coding": [_coding(system, code, display)], "text": text or display or code}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [_coding(OBS_CATEGORY, code, display)]}]


def _quantity(value: float, unit: str, ucum: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value, "unit": unit}
    if ucum is not None:
        out["system"] = UCUM
        out["code"] = ucum
    return out


def _when(moment: datetime | date, options: FhirOptions) -> str:
    """A FHIR dateTime: the date alone without a time zone, the zoned time with one."""
    if isinstance(moment, datetime):
        if options.time_zone is None:
            return moment.date().isoformat()
        return moment.replace(tzinfo=ZoneInfo(options.time_zone)).isoformat()
    return moment.isoformat()


def _number(value: float) -> str:
    return f"{value:g}"
