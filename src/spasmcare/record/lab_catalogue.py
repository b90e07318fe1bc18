"""The lab catalogue: every test a clinician can record, as one data entry each.

An entry names the test as people read it, its LOINC code where one is sourced here [1-3], the
units accepted (chosen from a list, never typed), the SI unit the record converts to
(:mod:`spasmcare.record.units`, which holds the conversions) and the input-sanity range
(:mod:`spasmcare.record.plausibility`). The record keeps storing what was entered
(``analyte``, ``value``, ``unit``), so every existing record reads as before.

LOINC codes are given only where a source is cited; the others are ``None`` (a code may exist,
but none is sourced here, and a wrong code is worse than none). Blood β-hydroxybutyrate has
candidate codes that sources disagree on: the FHIR export chooses among them
(:data:`spasmcare.interop.fhir.BHB_LOINC_CHOICES`). Urine ketones by strip are recorded as a
number (acetoacetate); LOINC's strip code 2514-8 is for presence (an ordinal answer), so it is
not given to a number.

References
----------
1. LOINC 15074-8 "Glucose [Moles/volume] in Blood" (Regenstrief Institute; as used by the FHIR
   export, :mod:`spasmcare.interop.fhir`).
2. LOINC 1742-6 "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma"
   (Regenstrief Institute; listed in the CMS dQM ALT value set, expansion from LOINC 2.82).
3. LOINC 2951-2 "Sodium [Moles/volume] in Serum or Plasma" (Regenstrief Institute; HL7 US
   Core serum sodium example, LOINC#2951-2).
4. LOINC 2514-8 "Ketones [Presence] in Urine by Test strip" (HL7 US Core urine ketone
   example): an ordinal presence code, so not used for a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from spasmcare.errors import InputError
from spasmcare.record.plausibility import LAB_RANGES_SI, Range
from spasmcare.record.units import ANALYTES, OTHER


@dataclass(frozen=True)
class LabTest:
    """One test of the catalogue."""

    key: str  # the record's ``analyte`` code
    label: str  # as people read it
    loinc: str | None  # sourced LOINC code, or None
    units: tuple[str, ...]  # accepted units, the SI unit first
    unit_si: str
    range_si: Range  # input-sanity range in the SI unit


#: Sourced LOINC codes by analyte [1-3].
LOINC: dict[str, str] = {"glucose": "15074-8", "alt": "1742-6", "sodium": "2951-2"}


def _test(key: str) -> LabTest:
    spec = ANALYTES[key]
    units = (spec.unit_si, *(u for u in spec.factors if u != spec.unit_si))
    return LabTest(key, spec.label, LOINC.get(key), units, spec.unit_si, LAB_RANGES_SI[key])


#: Every catalogued test, in the order the form lists them.
CATALOGUE: dict[str, LabTest] = {key: _test(key) for key in ANALYTES}

#: Label of the catalogue's "any other test" (recorded with its own name and unit).
OTHER_LABEL = "other test (name and unit as reported)"


def analyte_label(key: str) -> str:
    """A record's ``analyte`` code as people read it (the code itself if unknown)."""
    if key == OTHER:
        return "other test"
    test = CATALOGUE.get(key)
    return test.label if test else key


def check_unit(key: str, unit: str, field: str = "unit") -> None:
    """Refuse a unit the test does not accept, naming the test and the units it accepts."""
    if key == OTHER:
        return
    test = CATALOGUE.get(key)
    if test is None:
        raise InputError("analyte", key, "one of " + ", ".join([*CATALOGUE, OTHER]))
    if unit not in test.units:
        raise InputError(field, unit, f"for {test.label}: one of " + ", ".join(test.units))
