"""Side effects of the ketogenic diet as structured record entries (issue 24).

A record's ``side_effects`` list holds one entry per side effect: which one (a code of
:data:`EFFECTS`), its grade, onset and resolution dates, the action taken, who reported it
(clinician or family), the diet period it belongs to, and a note. Families enter the same
entries in plain words (:data:`FAMILY_LABELS`, read through :func:`spasmcare.plain.label`).

Grading scale: CTCAE v5.0 grades 1-5 [2] — the scale trials and pharmacovigilance use for
adverse events, with a general definition for every grade (so every effect of the list can be
graded the same way, including those without their own CTCAE term). The grade's general
meaning is stored here (:data:`GRADES`); the effect-specific CTCAE criteria are not reproduced
(the clinician grades). Grade 5 is death related to the adverse event.

References
----------
1. Seed 004: adverse effects of the long-term diet: vomiting, constipation, somnolence, weight
   loss, dyslipidaemia, acidosis, kidney stones, growth retardation. The issue adds
   hypoglycaemia and fracture (Radboud cohort: fractures 8.8 %, project reference
   care-pathway.md §4).
2. U.S. Department of Health and Human Services, NIH/NCI. Common Terminology Criteria for
   Adverse Events (CTCAE) v5.0, 27 Nov 2017: "Grade refers to the severity of the AE": grade 1
   mild (asymptomatic or mild symptoms; clinical or diagnostic observations only; intervention
   not indicated); 2 moderate (minimal, local or non-invasive intervention indicated; limiting
   age-appropriate instrumental ADL); 3 severe or medically significant but not immediately
   life-threatening (hospitalisation or prolongation of hospitalisation indicated; disabling;
   limiting self-care ADL); 4 life-threatening consequences (urgent intervention indicated);
   5 death related to AE.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from spasmcare.errors import InputError

#: The effects (code -> clinical label) [1].
EFFECTS: dict[str, str] = {
    "vomiting": "vomiting",
    "constipation": "constipation",
    "somnolence": "somnolence",
    "weight_loss": "weight loss",
    "dyslipidaemia": "dyslipidaemia",
    "acidosis": "acidosis",
    "kidney_stones": "kidney stones",
    "growth_retardation": "growth retardation",
    "hypoglycaemia": "hypoglycaemia",
    "fracture": "fracture",
}
#: How a family reads (and enters) each effect.
FAMILY_LABELS: dict[str, str] = {
    "vomiting": "being sick (vomiting)",
    "constipation": "hard or rare poos (constipation)",
    "somnolence": "very sleepy, hard to wake",
    "weight_loss": "losing weight",
    "dyslipidaemia": "high blood fats on a blood test",
    "acidosis": "too much acid in the blood (fast breathing, floppy)",
    "kidney_stones": "kidney stones (blood in the urine, pain when passing urine)",
    "growth_retardation": "not growing as expected",
    "hypoglycaemia": "low blood sugar (pale, sweaty, shaky, drowsy)",
    "fracture": "a broken bone",
}
#: CTCAE v5.0 grades, their general meaning [2].
GRADES: dict[int, str] = {
    1: "mild: mild or no symptoms; observation only; no treatment needed",
    2: "moderate: simple or local treatment needed; limits some everyday activities",
    3: "severe or medically significant: hospital stay needed; limits self-care",
    4: "life-threatening: urgent treatment needed",
    5: "death related to the side effect",
}
GRADE_SCALE = "CTCAE v5.0 (NIH/NCI 2017)"
#: Action taken (code -> words). A software vocabulary, not a clinical rule.
ACTIONS: dict[str, str] = {
    "none": "no action",
    "monitored": "watched more closely",
    "diet_adjusted": "diet adjusted (ratio, fluid or foods)",
    "supplement": "supplement or medicine added",
    "diet_paused": "diet paused",
    "diet_stopped": "diet stopped",
    "hospital": "treated in hospital",
}
REPORTERS: dict[str, str] = {"clinician": "clinician", "family": "family"}


@dataclass(frozen=True)
class SideEffect:
    """One side effect: ``effect`` a code of :data:`EFFECTS`, ``grade`` CTCAE v5.0 1-5 [2]."""

    effect: str
    onset: date
    reported_by: str
    grade: int | None = None
    resolved: date | None = None
    action: str | None = None
    diet: str | None = None
    note: str | None = None

    @property
    def day(self) -> date:
        return self.onset


#: The JSON Schema of one entry (the record schema's ``$defs/side_effect`` holds the same).
SCHEMA_DEF: dict[str, Any] = {
    "description": "A side effect of the diet (issue 24): effect code, CTCAE v5.0 grade 1-5, "
    "onset and resolution dates, action taken, who reported it (clinician or family), the diet "
    "period id, a note.",
    "type": "object",
    "required": ["effect", "onset", "reported_by"],
    "additionalProperties": False,
    "properties": {
        "effect": {"enum": list(EFFECTS)},
        "grade": {"type": "integer", "minimum": 1, "maximum": 5},
        "onset": {"$ref": "#/$defs/date"},
        "resolved": {"$ref": "#/$defs/date"},
        "action": {"enum": list(ACTIONS)},
        "reported_by": {"enum": list(REPORTERS)},
        "diet": {"$ref": "#/$defs/id"},
        "note": {"$ref": "#/$defs/text"},
    },
}


def read_side_effects(
    items: list[Mapping[str, Any]], day: Any, diet_ids: set[str]
) -> Iterator[SideEffect]:
    """The entries of a (schema-checked) ``side_effects`` list; ``day(text, field)`` reads a
    date as the record reader does. Checks of meaning: resolution not before onset, the diet
    id names a diet period of the record."""
    for i, x in enumerate(items):
        field = f"side_effects[{i}]"
        if x.get("effect") not in EFFECTS:
            raise InputError(f"{field}.effect", x.get("effect"), "one of " + ", ".join(EFFECTS))
        onset = day(x["onset"], f"{field}.onset")
        resolved = day(x["resolved"], f"{field}.resolved") if "resolved" in x else None
        if resolved is not None and resolved < onset:
            raise InputError(f"{field}.resolved", x["resolved"], f"on or after the onset {onset}")
        diet = x.get("diet")
        if diet is not None and diet not in diet_ids:
            ids = ", ".join(sorted(diet_ids)) or "(none in the record)"
            raise InputError(
                f"{field}.diet", diet, "the id of a diet period in this record: " + ids
            )
        yield SideEffect(
            effect=x["effect"],
            onset=onset,
            reported_by=x["reported_by"],
            grade=x.get("grade"),
            resolved=resolved,
            action=x.get("action"),
            diet=diet,
            note=x.get("note"),
        )


def write_side_effects(effects: tuple[SideEffect, ...]) -> list[dict[str, Any]]:
    """The entries as JSON items (keys without a value left out)."""
    out = []
    for s in effects:
        item = {
            "effect": s.effect,
            "grade": s.grade,
            "onset": s.onset.isoformat(),
            "resolved": s.resolved.isoformat() if s.resolved else None,
            "action": s.action,
            "reported_by": s.reported_by,
            "diet": s.diet,
            "note": s.note,
        }
        out.append({k: v for k, v in item.items() if v is not None})
    return out
