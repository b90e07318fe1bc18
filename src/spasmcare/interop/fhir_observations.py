"""The Observations of the record export (:mod:`spasmcare.interop.fhir`): growth (weight, length,
head circumference) and the WHO weight-for-length, labs, spasms per recorded diary day, EEG
findings and the ketogenic ratios achieved. :class:`ObservationBuilder` is the base of the
export's builder, which adds the other resource types. The mapping, codes and references are
described (and numbered) in :mod:`spasmcare.interop.fhir`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from spasmcare.growth import centile
from spasmcare.growth.weight_for_length import weight_for_length
from spasmcare.interop.fhir_codes import (
    BHB_LOINC_CHOICES,
    CODE_SYSTEM,
    GLUCOSE,
    HEAD,
    LENGTH,
    LOINC,
    UCUM_OF_UNIT,
    WEIGHT,
    WEIGHT_FOR_LENGTH,
    FhirOptions,
    _category,
    _concept,
    _quantity,
    _when,
    resource_id,
)
from spasmcare.record.model import Record


class ObservationBuilder:
    """The record's Observations; :class:`spasmcare.interop.fhir._Builder` adds the rest."""

    def __init__(self, record: Record, options: FhirOptions) -> None:
        self.record = record
        self.options = options
        self.pid = record.patient.id
        self.patient_id = resource_id(self.pid, "Patient")
        self.subject = {"reference": f"Patient/{self.patient_id}"}

    def rid(self, kind: str, key: str = "") -> str:
        return resource_id(self.pid, kind, key)

    def observation(
        self,
        key: str,
        category: tuple[str, str],
        code: dict[str, Any],
        when: str,
        **value: Any,
    ) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "id": self.rid("Observation", key),
            "status": "final",
            "category": _category(*category),
            "code": code,
            "subject": self.subject,
            "effectiveDateTime": when,
            **value,
        }

    def growth(self) -> Iterable[dict[str, Any]]:
        vital = ("vital-signs", "Vital Signs")
        for g in self.record.growth:
            day = g.day.isoformat()
            for name, value, (code, display), unit in (
                ("weight", g.weight_kg, WEIGHT, "kg"),
                ("length", g.length_cm, LENGTH, "cm"),
                ("head", g.head_circumference_cm, HEAD, "cm"),
            ):
                if value is not None:
                    yield self.observation(
                        f"{name}/{day}",
                        vital,
                        _concept(LOINC, code, display),
                        day,
                        valueQuantity=_quantity(value, unit, unit),
                    )
            wfl = self.weight_for_length(g.day, g.weight_kg, g.length_cm)
            if wfl is not None:
                yield wfl

    def weight_for_length(
        self, day: date, weight_kg: float | None, length_cm: float | None
    ) -> dict[str, Any] | None:
        """The WHO weight-for-length of one growth entry (issue 24), or None without one."""
        p = self.record.patient
        z = weight_for_length(weight_kg, length_cm, p.sex, p.birth_date, day)["z"]
        if z is None:
            return None
        return self.observation(
            f"wfl/{day.isoformat()}",
            ("vital-signs", "Vital Signs"),
            _concept(LOINC, *WEIGHT_FOR_LENGTH),
            day.isoformat(),
            valueQuantity=_quantity(centile(z), "%", "%"),
            component=[
                _part(
                    "weight-for-length-z",
                    "Weight-for-length z",
                    valueQuantity=_quantity(z, "SD", "{SD}"),
                )
            ],
        )

    def lab_code(self, analyte: str, name: str | None) -> dict[str, Any]:
        if analyte == "glucose":
            return _concept(LOINC, *GLUCOSE)
        if analyte == "bhb":
            code = self.options.bhb_loinc
            return _concept(LOINC, code, BHB_LOINC_CHOICES[code])
        from spasmcare.record.units import ANALYTES

        label = name or (ANALYTES[analyte].label if analyte in ANALYTES else analyte)
        return _concept(CODE_SYSTEM, f"lab-{analyte}", label, text=name or label)

    def labs(self) -> Iterable[dict[str, Any]]:
        seen: Counter[str] = Counter()
        for lab in self.record.labs:
            key = f"{lab.analyte}/{lab.at.isoformat()}/{lab.name or ''}"
            seen[key] += 1
            value: dict[str, Any] = {
                "valueQuantity": _quantity(lab.value_si, lab.unit_si, UCUM_OF_UNIT.get(lab.unit_si))
            }
            if lab.sample:
                value["specimen"] = {"display": lab.sample}
            yield self.observation(
                f"lab/{key}/{seen[key]}",
                ("laboratory", "Laboratory"),
                self.lab_code(lab.analyte, lab.name),
                _when(lab.at, self.options),
                **value,
            )

    def spasm_days(self) -> Iterable[dict[str, Any]]:
        counts: Counter[date] = Counter()
        for entry in self.record.diary:
            counts[entry.day] += entry.spasms
        code = _concept(
            CODE_SYSTEM, "spasms-per-day", "Epileptic spasms counted in the day (diary)"
        )
        for day in sorted(self.record.recorded_days):
            yield self.observation(
                f"spasms/{day.isoformat()}",
                ("survey", "Survey"),
                code,
                day.isoformat(),
                valueQuantity=_quantity(counts.get(day, 0), "spasms/day", "/d"),
            )

    def eegs(self) -> Iterable[dict[str, Any]]:
        seen: Counter[date] = Counter()
        for eeg in self.record.eegs:
            seen[eeg.day] += 1
            parts: list[dict[str, Any]] = []
            if eeg.hypsarrhythmia is not None:
                parts.append(
                    _part("eeg-hypsarrhythmia", "Hypsarrhythmia", valueBoolean=eeg.hypsarrhythmia)
                )
            if eeg.kramer is not None:
                for item, points in eeg.kramer.items.items():
                    parts.append(
                        _part(f"kramer-{item}", f"Kramer item: {item}", valueInteger=points)
                    )
                if eeg.kramer.total is not None:
                    total = eeg.kramer.total
                    parts.append(_part("kramer-total", "Kramer total score", valueInteger=total))
                for variant, present in eeg.kramer.variants.items():
                    code, words = f"kramer-variant-{variant}", f"Kramer: {variant}"
                    parts.append(_part(code, words, valueBoolean=present))
            if eeg.based_grade is not None:
                parts.append(_part("based-grade", "BASED grade", valueInteger=eeg.based_grade))
            extra: dict[str, Any] = {}
            if parts:
                extra["component"] = parts
            if eeg.report:
                extra["note"] = [{"text": eeg.report}]
            if not parts:
                extra["dataAbsentReason"] = {"text": "no scored findings recorded"}
            yield self.observation(
                f"eeg/{eeg.day.isoformat()}/{seen[eeg.day]}",
                ("procedure", "Procedure"),
                _concept(CODE_SYSTEM, "eeg-findings", "EEG findings (infantile spasms)"),
                eeg.day.isoformat(),
                **extra,
            )

    def ratios(self) -> Iterable[dict[str, Any]]:
        code = _concept(
            CODE_SYSTEM,
            "ketogenic-ratio-achieved",
            "Ketogenic ratio achieved (fat : protein + carbohydrate by weight)",
        )
        for d in self.record.diet_periods:
            for reading in d.achieved:
                yield self.observation(
                    f"ratio/{d.id}/{reading.day.isoformat()}",
                    ("survey", "Survey"),
                    code,
                    reading.day.isoformat(),
                    valueRatio=_ratio(reading.ratio),
                )


def _part(code: str, display: str, **value: Any) -> dict[str, Any]:
    """One Observation component under a local code of :data:`CODE_SYSTEM`."""
    return {"code": _concept(CODE_SYSTEM, code, display), **value}


def _ratio(ratio: float) -> dict[str, Any]:
    """``ratio``:1 as g fat per g protein + carbohydrate."""
    return {
        "numerator": _quantity(ratio, "g fat", "g"),
        "denominator": _quantity(1, "g protein + carbohydrate", "g"),
    }
