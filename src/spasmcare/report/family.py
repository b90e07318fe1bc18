"""What a family's printout says: the treatments in force today and when to call the team.

Pure functions over a :class:`~spasmcare.record.Record` (and, when a course was planned with
:func:`spasmcare.therapy.plan_course`, its :class:`~spasmcare.therapy.CoursePlan`). The web app's
family pages render them; nothing here knows about the web.

Warning signs are written in plain words for parents, each with the source it comes from
(shown in small print). Only what the sources say is listed: a sign is never added from
general knowledge, and thresholds come from the configurable lab thresholds of
:mod:`spasmcare.measures.labs` (so a clinic's own settings reach the printout too).

References
----------
1. UK Infantile Spasms Trust (ukinfantilespasmstrust.org): never stop steroid treatment
   abruptly because of the risk of adrenal crisis; warning signs cold clammy skin, fast heart
   rate and breathing, poor feeding, dehydration (drug-protocols.md §1.6).
2. Royal Children's Hospital Melbourne, Clinical Practice Guideline "Infantile Spasms": on
   prednisolone, responses to infection including fever may be masked; newer version: "may
   mask signs of sepsis and increase the risk of adrenal crisis" (drug-protocols.md §1.5).
3. Shamir R, et al. Pediatr Infect Dis J 1993;12:913-6: 75 febrile episodes in 27 infants on
   ACTH or prednisone, bacteraemia in 4 (5.3 %) (drug-protocols.md §1.6). O'Callaghan FJK, et
   al. (ICISS) 2017: infection was the most common serious adverse event needing admission
   (drug-protocols.md §1.2).
4. Acthar Gel patient materials (dup15q.org; actharis.com): recent or planned live or
   live-attenuated vaccines, also of family members, are to be raised with the doctor
   (drug-protocols.md §1.6).
5. Ketone and glucose thresholds: :mod:`spasmcare.measures.labs` references 1 and 2 (NHS
   critical-care ketogenic guide: target BHB 2-5 mmol/L, above 5 hyperketosis symptoms,
   glucose at or below 2.5 mmol/L hypoglycaemia symptoms; NHS GGC inpatient and illness
   protocol: BHB above 6 mmol/L is high) (keto-therapy.md §2.3).
6. Nutrition in Infancy vol. 2, ch. 3 "Ketogenic diet as treatment option for infants"
   (fliphtml5 p. 66): each episode of vomiting or diarrhoea is compensated with 10 mL/kg oral
   rehydration solution (keto-therapy.md §2.2).
7. The record format (docs/RECORD_FORMAT.md): a dose is in force from its start until the next
   dose of the same treatment.
8. The treatment's protocol file (``spasmcare/therapy/protocols``): how many doses a day
   (``per_day`` of its phases), the product and its strength (``products``, each with its
   source, e.g. vigabatrin 50 mg/mL made-up powder, drug-protocols-evidence.md D-8) and the
   course maximum. The first listed product is the planner's default product too
   (:func:`spasmcare.therapy.plan_course`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from spasmcare.errors import InputError
from spasmcare.measures.labs import SRC_BHB, SRC_BHB_HIGH, SRC_GLUCOSE, LabThresholds
from spasmcare.plain import day_text
from spasmcare.record.model import DIET_LABELS, Dose, Record, Treatment
from spasmcare.record.side_effects import FAMILY_LABELS, GRADES, SideEffect
from spasmcare.therapy.dosing import daily_cap, measurable_volume, round_dose
from spasmcare.therapy.export import given_text

#: ``urgent``: get help now; ``call``: phone the team; ``tell``: let the team know;
#: ``advice``: a protocol's own advice, shown in its words.
Urgency = Literal["urgent", "call", "tell", "advice"]

#: Drug names (lower case, matched as words within the record's drug name) of hormonal
#: treatment: corticosteroids and ACTH, natural or synthetic [1, 2, 4].
HORMONAL_DRUGS: tuple[str, ...] = (
    "prednisolone",
    "prednisone",
    "methylprednisolone",
    "hydrocortisone",
    "dexamethasone",
    "acth",
    "corticotropin",
    "acthar",
    "tetracosactide",
    "cosyntropin",
    "synacthen",
)
#: Natural ACTH (the live-vaccine advice comes from the Acthar Gel materials) [4].
ACTH_DRUGS: tuple[str, ...] = ("acth", "corticotropin", "acthar")

SRC_UKIST = (
    "UK Infantile Spasms Trust: never stop steroids abruptly (adrenal crisis); signs cold clammy "
    "skin, fast heart rate and breathing, poor feeding, dehydration"
)
SRC_RCH = (
    "Royal Children's Hospital Melbourne CPG 'Infantile Spasms': prednisolone may mask signs of "
    "infection, including fever, and of sepsis, and increase the risk of adrenal crisis"
)
SRC_FEVER = (
    "Shamir 1993, Pediatr Infect Dis J 12:913-6: bacteraemia in 4 of 75 febrile episodes on ACTH "
    "or prednisone; ICISS 2017: infection the commonest serious adverse event"
)
SRC_VACCINES = (
    "Acthar (ACTH) patient materials: tell the doctor about recent or planned live vaccines, "
    "also of family members"
)
SRC_ILLNESS = (
    "Nutrition in Infancy vol. 2, ch. 3 (ketogenic diet for infants): each vomit or diarrhoea "
    "episode is replaced with 10 mL/kg oral rehydration solution"
)


def _words(name: str) -> set[str]:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in name.lower())
    return set(cleaned.split())


def is_hormonal(drug: str) -> bool:
    """Whether ``drug`` (a record drug name, e.g. "Prednisolone oral") is hormonal treatment."""
    return bool(_words(drug) & set(HORMONAL_DRUGS))


def is_acth(drug: str) -> bool:
    """Whether ``drug`` is natural ACTH (corticotropin)."""
    return bool(_words(drug) & set(ACTH_DRUGS))


def in_force(start: date, stop: date | None, on: date) -> bool:
    """Started on or before ``on`` and not stopped before it."""
    return start <= on and (stop is None or stop >= on)


def not_finished(start: date, stop: date | None, on: date) -> bool:
    """In force on ``on`` or planned to start later (the printout covers what is coming)."""
    return stop is None or stop >= on


def latest_weight(record: Record, on: date) -> tuple[float, date] | None:
    """(weight [kg], day weighed) of the last weight on record on or before ``on``."""
    weights = [(g.day, g.weight_kg) for g in record.growth if g.weight_kg and g.day <= on]
    if not weights:
        return None
    day, weight_kg = max(weights)
    return float(weight_kg), day


@dataclass(frozen=True)
class FamilyDose:
    """One dose of a treatment as a family gives it.

    ``time`` is the time on the schedule ("" when the record and its protocol do not say how
    the day's amount is split: then ``amount`` is the whole day's); ``amount`` is what the
    measured liquid gives [mg] when there is a volume (the syringe's mark), else the planned
    dose (or the record's amount and unit when it is not a mg dose); ``planned`` the dose
    before the syringe's mark; ``volume_ml`` the volume of ``product`` (None when no sourced
    strength is known: the team gives the volume).
    """

    time: str
    amount: float
    unit: str
    volume_ml: float | None = None
    product: str | None = None
    concentration: float | None = None
    planned: float | None = None
    per_day_known: bool = True

    def text(self) -> str:
        """ "750 mg = 15 mL of 50 mg/mL" (the time is said by :func:`doses_text`)."""
        if not self.per_day_known:
            shown = f"{self.amount:g} {self.unit}"
            return f"{shown} a day" if self.unit in ("mg", "units") else shown
        return given_text(self.amount, self.unit, self.volume_ml, self.concentration)


def doses_text(doses: Sequence[FamilyDose]) -> str:
    """Doses as families read them: "20 mg = 2 mL of 10 mg/mL at 08:00, 14:00, 20:00" (doses
    of one size share their times; "750 mg = 15 mL of 50 mg/mL at 08:00; 500 mg = 10 mL of
    50 mg/mL at 20:00" when they differ)."""
    groups: dict[str, list[str]] = {}
    for d in doses:
        groups.setdefault(d.text(), []).append(d.time)
    parts = []
    for shown, times in groups.items():
        named = [t for t in times if t]
        parts.append(f"{shown} at {', '.join(named)}" if named else shown)
    return "; ".join(parts)


def _protocol_course(treatment: Treatment, protocols_dir: str | Path | None) -> dict[str, Any]:
    """The course of ``treatment``'s drug in its protocol file (latest version), or {}."""
    if not treatment.protocol:
        return {}
    from spasmcare.therapy.protocol import load_protocol

    try:
        protocol = load_protocol(treatment.protocol, protocols_dir=protocols_dir)
    except InputError:
        return {}
    words = _words(treatment.drug)
    for course in protocol.courses:
        if set(str(course["drug"]).lower().split()) <= words:
            return course | {"time_slots": protocol.data.get("time_slots") or {}}
    return {}


def _per_day(course: Mapping[str, Any]) -> int | None:
    """The number of doses a day when every phase of the course says the same plain number."""
    counts = {p.get("per_day") for p in course.get("phases") or []}
    if len(counts) != 1:
        return None
    (n,) = counts
    return n if isinstance(n, int) and n > 0 else None


def family_doses(
    treatment: Treatment,
    dose: Dose,
    weight_kg: float | None,
    protocols_dir: str | Path | None = None,
) -> list[FamilyDose]:
    """Each dose of ``treatment`` on a day with the record dose ``dose`` in force [7, 8]: one
    per time of day when the protocol says how many a day, else one for the whole day.

    The amount of a weight-based dose (mg/kg/day) is worked out at ``weight_kg`` (the last
    weight on record); without a weight it stays as the record says. A volume is given only
    for a mg dose with a product of sourced strength in the protocol; otherwise the family
    is told that the team gives the volume (the page's words, never an invented strength).
    The one place the family pages turn a record dose (the one in force, from
    :func:`spasmcare.measures.status.dose_on`, as on every other page) into doses.
    """
    from spasmcare.therapy.schedule import DEFAULT_TIME_SLOTS, DOSE_STEP

    course = _protocol_course(treatment, protocols_dir)
    if dose.unit == "mg/kg/day" and weight_kg:
        daily_mg: float | None = dose.amount * weight_kg
    elif dose.unit == "mg/day":
        daily_mg = dose.amount
    else:
        daily_mg = None
    n = _per_day(course)
    slots = {int(k): list(v) for k, v in (course.get("time_slots") or {}).items()}
    times = (slots or DEFAULT_TIME_SLOTS).get(n or 0)
    if daily_mg is None:
        return [FamilyDose("", dose.amount, dose.unit, per_day_known=False)]
    if n is None or times is None:
        daily = round_dose(daily_mg, None, DOSE_STEP)
        return [FamilyDose("", daily, "mg", planned=daily, per_day_known=False)]
    cap = daily_cap(dict(course.get("maximum") or {}), weight_kg or 0.0, None, n)
    limit = cap / n if cap is not None else None
    per_dose = round_dose(daily_mg / n, limit, DOSE_STEP)
    products = [p for p in course.get("products") or [] if p.get("unit") == "mg/mL"]
    if not products or course.get("unit") != "mg":
        return [FamilyDose(t, per_dose, "mg", planned=per_dose) for t in times]
    first = products[0]
    concentration = float(first["concentration"])
    volume, _ = measurable_volume(per_dose, concentration, limit)
    gives = round(volume * concentration, 6)
    return [
        FamilyDose(t, gives, "mg", volume, str(first["name"]), concentration, per_dose)
        for t in times
    ]


@dataclass(frozen=True)
class WarningSign:
    """One thing to watch for: the sign in plain words, what to do, and where it comes from."""

    sign: str
    action: str
    urgency: Urgency
    source: str
    only_for: tuple[str, ...] = ()  # drug-name words this sign is limited to (empty: all)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sign": self.sign,
            "action": self.action,
            "urgency": self.urgency,
            "source": self.source,
        }


@dataclass(frozen=True)
class CallSection:
    """The warning signs of one treatment, and whether the child is on it (or it is planned)."""

    key: str
    title: str
    applies: bool
    signs: tuple[WarningSign, ...]
    because: tuple[str, ...] = field(default=())  # what in the record makes it apply

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "applies": self.applies,
            "because": list(self.because),
            "signs": [s.to_dict() for s in self.signs],
        }


def hormonal_signs() -> tuple[WarningSign, ...]:
    """Warning signs on prednisolone, ACTH or tetracosactide [1-4]."""
    return (
        WarningSign(
            sign=(
                "Signs of adrenal crisis: cold, clammy skin; a fast heartbeat or fast breathing; "
                "poor feeding; signs of dehydration."
            ),
            action=(
                "Get urgent help now and say which hormone treatment the baby is on. Never stop "
                "the medicine suddenly."
            ),
            urgency="urgent",
            source=SRC_UKIST,
        ),
        WarningSign(
            sign="A fever, or the baby seems unwell.",
            action=(
                "Call the team at once. The treatment can hide the usual signs of an infection "
                "(even fever) and of sepsis."
            ),
            urgency="call",
            source=f"{SRC_RCH}. {SRC_FEVER}",
        ),
        WarningSign(
            sign=(
                "On ACTH: a live vaccine is due or was just given (to the baby or to someone at "
                "home)."
            ),
            action="Tell the team before the vaccine.",
            urgency="tell",
            source=SRC_VACCINES,
            only_for=ACTH_DRUGS,
        ),
    )


def keto_signs(thresholds: LabThresholds | None = None) -> tuple[WarningSign, ...]:
    """Warning signs on a ketogenic diet, with the clinic's lab thresholds [5, 6]."""
    t = thresholds or LabThresholds()
    return (
        WarningSign(
            sign=(
                f"Low blood sugar: a blood glucose of {t.glucose_low_mmol_l:g} mmol/L or lower "
                "(hypoglycaemia)."
            ),
            action="Follow the low-sugar plan your team gave you, then call the team.",
            urgency="call",
            source=SRC_GLUCOSE,
        ),
        WarningSign(
            sign=(
                f"High ketones: blood ketones (β-hydroxybutyrate) above "
                f"{t.bhb_high_mmol_l:g} mmol/L."
            ),
            action="Follow the high-ketone plan your team gave you, then call the team.",
            urgency="call",
            source=SRC_BHB_HIGH,
        ),
        WarningSign(
            sign=(
                f"Blood ketones above {t.bhb_target_high_mmol_l:g} mmol/L (above the target "
                f"range of {t.bhb_target_low_mmol_l:g}-{t.bhb_target_high_mmol_l:g} mmol/L)."
            ),
            action="Tell the team the same day: too many ketones can cause symptoms.",
            urgency="tell",
            source=SRC_BHB,
        ),
        WarningSign(
            sign="Vomiting or diarrhoea, or the baby is ill and cannot take the diet.",
            action=(
                "Call the team: each episode loses fluid that needs replacing, and illness "
                "changes the diet. Ask them how much rehydration fluid your baby needs."
            ),
            urgency="call",
            source=SRC_ILLNESS,
        ),
    )


def family_advice(
    protocol_id: str, protocols_dir: str | Path | None = None
) -> list[tuple[str, list[str]]]:
    """The advice of a protocol a family may see: (text, source citations) of every item that
    needs no clinic confirmation or is confirmed at the protocol's default parameters. Items
    awaiting confirmation are left out, as on every family printout of a course plan."""
    from spasmcare.therapy.protocol import is_active, load_protocol, parameter_values

    protocol = load_protocol(protocol_id, protocols_dir=protocols_dir)
    values = parameter_values(protocol)
    out = []
    for item in protocol.data.get("advice") or []:
        detail = item.get("detail")
        if detail is not None and not is_active(protocol, detail, values):
            continue
        cited = [protocol.sources.get(key, key) for key in item.get("sources", [])]
        out.append((str(item["text"]), cited))
    return out


#: An evidence grade with its reference to drug-protocols-evidence.md, as protocol source
#: texts end ("... SECONDARY [evidence D-14]."): for the clinicians' pages only.
_GRADE_MARK = re.compile(
    r"\s*\b(?:FIRM(?: \(abstract\))?|SECONDARY|WEAK)\s*\[evidence [^\]]*\]\.?"
    r"|\s*\[evidence [^\]]*\]"
)


def family_source(text: str) -> str:
    """A source citation as a family reads it: without the evidence grade and its reference
    ("CDC ... discontinuation. SECONDARY [evidence D-14]." -> "CDC ... discontinuation.")."""
    return _GRADE_MARK.sub("", text).strip()


def _advice_signs(items: Sequence[tuple[str, Sequence[str]]]) -> tuple[WarningSign, ...]:
    return tuple(
        WarningSign(
            sign=text,
            action="",
            urgency="advice",
            source="; ".join(family_source(s) for s in sources),
        )
        for text, sources in items
    )


def call_the_team(
    record: Record,
    on: date,
    *,
    plan_advice: Mapping[str, Sequence[tuple[str, Sequence[str]]]] | None = None,
    keto_plan: bool = False,
    thresholds: LabThresholds | None = None,
    protocols_dir: str | Path | None = None,
) -> list[CallSection]:
    """The "when to call the team" sections for a child on ``on``.

    A section applies when a treatment it is about is in force on ``on`` or planned to start
    later (hormonal treatment; a diet period, or ``keto_plan`` when the app has saved a keto
    plan). Each current course with a protocol adds the protocol's family-visible advice:
    from ``plan_advice[treatment id]`` when the course was planned (the plan's own
    ``visible_advice(family=True)``), else from the protocol file (:func:`family_advice`).
    When no section applies, every general section is returned with ``applies=False``, so a
    printout made before treatment starts still lists the signs.

    Raises
    ------
    InputError
        A treatment names a protocol that cannot be found.
    """
    current = [t for t in record.treatments if not_finished(t.start, t.stop, on)]
    hormonal = [t for t in current if is_hormonal(t.drug)]
    acth = [t for t in current if is_acth(t.drug)]
    diets = [d for d in record.diet_periods if not_finished(d.start, d.stop, on)]

    signs = tuple(s for s in hormonal_signs() if not s.only_for or acth)
    sections = [
        CallSection(
            "hormonal",
            "On hormone treatment (prednisolone, ACTH or tetracosactide)",
            bool(hormonal),
            signs if hormonal else hormonal_signs(),
            tuple(f"{t.drug} from {day_text(t.start)}" for t in hormonal),
        ),
        CallSection(
            "keto",
            "On the ketogenic diet",
            bool(diets) or keto_plan,
            keto_signs(thresholds),
            tuple(f"{DIET_LABELS.get(d.diet, d.diet)} from {day_text(d.start)}" for d in diets)
            + (("keto plan saved by the dietitian",) if keto_plan and not diets else ()),
        ),
    ]
    seen = {s.sign for section in sections for s in section.signs}
    for t in current:
        items = (plan_advice or {}).get(t.id)
        if items is None and t.protocol:
            try:
                items = family_advice(t.protocol, protocols_dir)
            except InputError as exc:
                raise InputError(f"treatments[{t.id}].protocol", t.protocol, exc.accepted) from None
        fresh = [(text, src) for text, src in items or [] if text not in seen]
        seen |= {text for text, _ in fresh}
        if fresh:
            sections.append(
                CallSection(
                    f"course:{t.id}",
                    f"On {t.drug}",
                    True,
                    _advice_signs(fresh),
                    (f"{t.drug} from {day_text(t.start)}",),
                )
            )
    if not any(s.applies for s in sections):
        return sections
    return [s for s in sections if s.applies]


def side_effect_words(s: SideEffect) -> str:
    """A side effect of the diet as a family reads it (record ``side_effects[]``, issue 24):
    "being sick (vomiting) from 7 Dec 2026, moderate"."""
    text = f"{FAMILY_LABELS[s.effect]} from {day_text(s.onset)}"
    if s.resolved:
        text += f" to {day_text(s.resolved)}"
    if s.grade:
        text += ", " + GRADES[s.grade].split(":")[0]
    return text
