"""The sections of a record as JSON items (format version 1): the writer half of
:mod:`spasmcare.record.io`, one function per section, keys without a value left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from spasmcare.record.model import (
    AdverseEvent,
    DiaryEntry,
    DietPeriod,
    DoseGiven,
    Eeg,
    GrowthMeasurement,
    LabResult,
    Treatment,
    VitalSign,
)


def day_ranges(days: Iterable[date]) -> list[Any]:
    """``recorded_days`` items: a lone day as "YYYY-MM-DD", a run of consecutive days as
    ``{"from": ..., "to": ...}``, in date order."""
    out: list[Any] = []
    ordered = sorted(days)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] - ordered[j] == timedelta(days=1):
            j += 1
        if i == j:
            out.append(ordered[i].isoformat())
        else:
            out.append({"from": ordered[i].isoformat(), "to": ordered[j].isoformat()})
        i = j + 1
    return out


def drop_none(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without its keys whose value is ``None``, ``[]`` or ``{}``."""
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def moment_text(value: datetime) -> str:
    """A date-time as the record format writes it: minutes, seconds only when there are any."""
    return value.isoformat(timespec="minutes") if value.second == 0 else value.isoformat()


def diary_items(diary: tuple[DiaryEntry, ...]) -> list[dict[str, Any]]:
    return [
        drop_none(
            {
                "at": moment_text(e.at),
                "kind": e.kind,
                "spasms": e.spasms,
                "duration_min": e.duration_min,
                "observer": e.observer,
                "video": e.video,
                "note": e.note,
            }
        )
        for e in diary
    ]


def treatment_items(treatments: tuple[Treatment, ...]) -> list[dict[str, Any]]:
    return [
        drop_none(
            {
                "id": t.id,
                "drug": t.drug,
                "protocol": t.protocol,
                "start": t.start.isoformat(),
                "stop": t.stop.isoformat() if t.stop else None,
                "continues": t.continues,
                "doses": [
                    drop_none(
                        {
                            "start": d.start.isoformat(),
                            "amount": d.amount,
                            "unit": d.unit,
                            "note": d.note,
                        }
                    )
                    for d in t.doses
                ],
                "note": t.note,
            }
        )
        for t in treatments
    ]


def diet_items(diets: tuple[DietPeriod, ...]) -> list[dict[str, Any]]:
    return [
        drop_none(
            {
                "id": d.id,
                "diet": d.diet,
                "start": d.start.isoformat(),
                "stop": d.stop.isoformat() if d.stop else None,
                "prescribed_ratio": d.prescribed_ratio,
                "achieved": [{"date": r.day.isoformat(), "ratio": r.ratio} for r in d.achieved],
                "note": d.note,
            }
        )
        for d in diets
    ]


def eeg_items(eegs: tuple[Eeg, ...]) -> list[dict[str, Any]]:
    return [
        drop_none(
            {
                "date": x.day.isoformat(),
                "hypsarrhythmia": x.hypsarrhythmia,
                "kramer": drop_none(
                    {
                        "items": x.kramer.items,
                        "total": x.kramer.total,
                        "variants": x.kramer.variants,
                    }
                )
                if x.kramer
                else None,
                "based_grade": x.based_grade,
                "report": x.report,
            }
        )
        for x in eegs
    ]


def growth_items(growth: tuple[GrowthMeasurement, ...]) -> list[dict[str, Any]]:
    return [
        drop_none(
            {
                "date": g.day.isoformat(),
                "weight_kg": g.weight_kg,
                "length_cm": g.length_cm,
                "head_circumference_cm": g.head_circumference_cm,
            }
        )
        for g in growth
    ]


def lab_items(labs: tuple[LabResult, ...]) -> list[dict[str, Any]]:
    return [
        drop_none(
            {
                "at": moment_text(x.at),
                "analyte": x.analyte,
                "name": x.name,
                "value": x.value,
                "unit": x.unit,
                "sample": x.sample,
            }
        )
        for x in labs
    ]


def vital_items(vitals: tuple[VitalSign, ...]) -> list[dict[str, Any]]:
    return [
        drop_none(
            {
                "at": moment_text(v.at),
                "systolic_mmhg": v.systolic_mmhg,
                "diastolic_mmhg": v.diastolic_mmhg,
                "heart_rate_bpm": v.heart_rate_bpm,
                "note": v.note,
            }
        )
        for v in vitals
    ]


def adverse_event_items(events: tuple[AdverseEvent, ...]) -> list[dict[str, Any]]:
    return [
        drop_none(
            {
                "date": a.day.isoformat(),
                "type": a.type,
                "grade": a.grade,
                "treatment": a.treatment,
                "note": a.note,
            }
        )
        for a in events
    ]


def dose_given_items(doses: tuple[DoseGiven, ...]) -> list[dict[str, Any]]:
    return [
        drop_none(
            {
                "date": g.day.isoformat(),
                "time": g.time,
                "treatment": g.treatment,
                "drug": g.drug,
                "dose": g.dose,
                "given": g.given,
                "note": g.note,
            }
        )
        for g in doses
    ]
