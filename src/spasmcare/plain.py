"""Values as people read them: dates written the way this app writes them ("7 Jun 2026",
"7 Jun 2026 09:30"), stored codes as words.

The one place for it: the HTML report (:mod:`spasmcare.report.html`), the web app's display
filters (``plain_dates``, ``entry_text`` in ``spasmcare.web.templatetags.clinic``), the alert
messages (:mod:`spasmcare.measures.alerts`) and the FHIR texts (:mod:`spasmcare.interop.fhir`,
:mod:`spasmcare.interop.fhir_import`) call these.
Machine-readable outputs (JSON, CSV, ``datetime=""`` attributes) keep ISO dates.

The vocabulary
--------------
:func:`label` gives every stored code its words: diets and etiologies
(:mod:`spasmcare.record.model`), lab tests (:mod:`spasmcare.record.lab_catalogue`), drug
protocols by their titles (:mod:`spasmcare.therapy`), the ketogenic planner's rules and
references (:data:`CODE_LABELS`), and any other snake_case code in words. :func:`words` makes a
whole sentence read as words: dates, the source material's review marks ("VERIFY", "[D]",
"(issue 4)") and the codes in it. "NOT FOUND" stays: it is an evidence grade, shown beside
FIRM and SECONDARY and explained where grades are shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?")
_ISO_IN_TEXT = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?\b")
_CODE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
_KEBAB_CODE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")
_DAY_N = re.compile(r"\bday(\d+)\b")


def day_text(day: date) -> str:
    """A date as people write it: "7 Jun 2026" (a date-time: "7 Jun 2026 09:30")."""
    out = f"{day.day} {day:%b %Y}"
    return f"{out} {day:%H:%M}" if isinstance(day, datetime) else out


def when_text(text: str) -> str | None:
    """An ISO date or date-time string as people write it ("2 Dec 2026", "2 Dec 2026 09:00");
    ``None`` when ``text`` is not one."""
    found = _ISO_DAY.match(text)
    if found is None or len(text) > 32:
        return None
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    out = day_text(day)
    return f"{out} {found[4]}" if found[4] else out


def plain_dates(text: object) -> str:
    """A sentence with every ISO date or date-time in it written as people write dates
    ("spasms on 2026-06-07" -> "spasms on 7 Jun 2026"); the rest of the text is unchanged."""
    if text is None:
        return ""
    return _ISO_IN_TEXT.sub(lambda m: when_text(m.group(0)) or m.group(0), str(text))


def is_code(text: str) -> bool:
    """True for a stored snake_case code ("urine_calcium_creatinine_ratio")."""
    return _CODE.match(text) is not None


#: Abbreviations inside stored codes, as people write them ("lgit_carb_g" -> "LGIT carb").
ABBREVIATIONS: Mapping[str, str] = {
    "lgit": "LGIT", "mct": "MCT", "mad": "MAD", "kd": "KD", "gi": "GI", "bhb": "BHB",
    "eeg": "EEG", "bsa": "BSA", "bp": "BP",
    "tsc": "TSC", "mri": "MRI",  # the care pathway's field names (issue 23)
}  # fmt: skip


def code_words(code: str) -> str:
    """A stored code in words: "electrodecremental_discharges" -> "electrodecremental
    discharges", abbreviations in capitals ("lgit_carb" -> "LGIT carb")."""
    return " ".join(ABBREVIATIONS.get(w, w) for w in code.split("_"))


#: Codes of the planners' rules and references as people read them (the diet and etiology
#: codes, lab tests and protocols are labelled where they are defined; see :func:`label`).
CODE_LABELS: Mapping[str, str] = {
    # fluid rules (spasmcare.keto.fluids)
    "ml-per-kcal": "1 mL per kcal",
    "ml-per-kg": "mL per kg by age",
    "holliday-segar": "Holliday-Segar (1957)",
    # protein references (spasmcare.keto.protein)
    "iom": "US Dietary Reference Intakes (IOM)",
    "who-2007": "WHO/FAO/UNU 2007",
    # energy equations (spasmcare.keto.energy)
    "iom-eer": "US DRI estimated energy requirement",
    "fao-2004": "FAO/WHO/UNU 2004",
    "schofield": "Schofield 1985",
    "compass-kd": "Compass 2013 ketogenic diet allowance",
    # carbohydrate bases (spasmcare.keto)
    "net": "net (available) carbohydrate",
    "total": "total carbohydrate",
    # short codes people have seen on screen
    "bhb": "β-hydroxybutyrate",
    "tsc": "tuberous sclerosis complex",
    "perc": "PERC",
    # the source material's review marks, as words
    "VERIFY": "to be checked",
}


@cache
def _vocabulary() -> dict[str, str]:
    """Every code with its label (built once; the domain modules are read lazily so that
    importing this module stays cheap and imports nothing)."""
    from spasmcare.record.lab_catalogue import CATALOGUE
    from spasmcare.record.model import DIET_LABELS, ETIOLOGY_LABELS

    out = dict(CODE_LABELS)
    out |= {k: t.label for k, t in CATALOGUE.items()}
    # "other" is both an etiology and a diet: it stays the word "other"
    out |= {k: v for k, v in (ETIOLOGY_LABELS | DIET_LABELS).items() if k != "other"}
    # issue 24: side effects and the actions taken (a family's sentence:
    # report.family.side_effect_words)
    from spasmcare.record.side_effects import ACTIONS, EFFECTS

    out |= {k: v for k, v in (EFFECTS | ACTIONS).items() if "_" in k and k not in out}
    # issue 23: the care pathway's codes ("non-diagnostic" -> "no cause found", "vus")
    from spasmcare.record.pathway import PATHWAY_LABELS

    out |= {k: v for k, v in PATHWAY_LABELS.items() if ("-" in k or k == "vus") and k not in out}
    try:
        from spasmcare.foods.specialty import load_specialty

        # specialty products by name ("ketocal-3-1-powder" -> "KetoCal 3:1 powder (Nutricia)")
        out |= {f.id: f.name for f in load_specialty() if "-" in f.id}
    except Exception:  # the food list must not stop any page from reading
        pass
    try:
        from spasmcare.therapy.protocol import list_protocols

        # the title up to its details: "High-dose oral prednisolone, UKISS"
        out |= {p.id: p.title.split(" (")[0] for p in list_protocols()}
    except Exception:  # a broken protocol file must not stop any page from reading
        pass
    return out


def label(code: object) -> str:
    """A stored code as people read it ("classic-kd" -> "classic ketogenic diet",
    "prednisolone-high-dose" -> the protocol's title, "checks_per_week" -> "checks per
    week"); text that is not a code is returned unchanged."""
    text = "" if code is None else str(code)
    found = _vocabulary().get(text)
    if found is not None:
        return found
    if is_code(text) or _KEBAB_CODE.match(text):
        return _DAY_N.sub(r"day \1", text.replace("-", " ").replace("_", " "))
    return text


_MARKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s*\(issue \d+\)"), ""),
    (re.compile(r"\s*\[D\]"), " (computed)"),
    (re.compile(r"\bVERIFY\b:?"), "to be checked"),
)
_BACKTICKED = re.compile(r"`([^`\s]+)`")
_SNAKE = re.compile(r"(?<![\w/.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/])")
_KEBAB = re.compile(r"(?<![\w/.@-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w/@-])")
_SHORT = re.compile(r"(?<![\w/.-])(?:bhb|tsc|iom)(?![\w/-])")


def words(text: object) -> str:
    """A sentence as people read it: ISO dates as "7 Dec 2026", the source material's review
    marks in words, and stored codes (snake_case, the vocabulary's kebab-case codes,
    `backticked` names) by their labels. Other text is unchanged."""
    if text is None:
        return ""
    out = plain_dates(text)
    for pattern, replacement in _MARKS:
        out = pattern.sub(replacement, out)
    vocabulary = _vocabulary()
    out = _BACKTICKED.sub(lambda m: label(m.group(1)), out)
    out = _SNAKE.sub(lambda m: label(m.group(0)), out)
    out = _KEBAB.sub(lambda m: vocabulary.get(m.group(0), m.group(0)), out)
    return _SHORT.sub(lambda m: vocabulary[m.group(0)], out)
