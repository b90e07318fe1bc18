"""The patient record: model (plain dataclasses), JSON Schema v1, import/export, lab units.

Import with :func:`record_from_json` / :func:`record_from_dict` (all-or-nothing, raising
:class:`spasmcare.errors.InputError` naming the entry and field) and export with
:func:`record_to_json` / :func:`record_to_dict`. No file, web or database access here.
"""

from spasmcare.record.io import (
    FORMAT,
    SCHEMA_VERSION,
    load_schema,
    parse_json,
    record_from_dict,
    record_from_json,
    record_from_stored,
    record_to_dict,
    record_to_json,
    validate_record_dict,
)
from spasmcare.record.model import (
    AdverseEvent,
    DiaryEntry,
    DietPeriod,
    Dose,
    DoseGiven,
    Eeg,
    Etiology,
    GrowthMeasurement,
    Kramer,
    LabResult,
    Patient,
    RatioReading,
    Record,
    Treatment,
    VitalSign,
)

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "AdverseEvent",
    "DiaryEntry",
    "DietPeriod",
    "Dose",
    "DoseGiven",
    "Eeg",
    "Etiology",
    "GrowthMeasurement",
    "Kramer",
    "LabResult",
    "Patient",
    "RatioReading",
    "Record",
    "Treatment",
    "VitalSign",
    "load_schema",
    "parse_json",
    "record_from_dict",
    "record_from_json",
    "record_from_stored",
    "record_to_dict",
    "record_to_json",
    "validate_record_dict",
]
