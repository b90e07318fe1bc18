"""The demo infant written as a schema-v1 record: diary, growth, vitals, the keto inputs.

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
Vitals (blood pressure, heart rate) are added only when the packaged record schema has a
``vitals`` section, so the generator works with schemas with and without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from spasmcare.demo.base import CaseBase, DemoInfant, _at, _clip
from spasmcare.growth import DAYS_PER_MONTH
from spasmcare.record.io import FORMAT, SCHEMA_VERSION, load_schema

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


class Writer(CaseBase):
    """The record of a demo infant."""

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
