"""First-line proposals and referral flags from a versioned, sourced rule table (issue 23).

The table is a YAML file named ``<id>.v<version>.yaml`` (bundled: ``pathway_tables/``). As for
the drug protocols (:mod:`spasmcare.therapy.protocol`), a released version is never rewritten:
a clinic copies it into its own directory with :func:`copy_for_clinic` (a new file with a
higher version, created exclusively, so no existing file is overwritten), edits the copy, and
the newest version there is used. A clinic file may not reuse a bundled id and version.

Every rule names its source (a key of the table's ``sources``) and grade. The table is checked
on load, including the safety rule that a first-line rule for tuberous sclerosis complex
proposes vigabatrin first [1]: an edited table that breaks it is refused, so no TSC record is
ever proposed a first line without vigabatrin.

:func:`propose` is pure: the record, the clinic's chosen guideline (a key of the table's
``guidelines``: NICE NG217, AAN/CNS, Japan) and today give a proposal, which is advice; when
the record holds an override of that proposal (``pathway.overrides``, with its reason) the
proposal carries it. Flags: "surgery referral criteria met" (under 24 months with focal onset
[2], or a resectable MRI lesion at any age [3]) and "genetics next" (MRI found no cause and no
genetic test is requested [4]).

References (the table's ``sources`` hold the full text)
----------
1. UKISS, Arch Dis Child 2005: TSC excluded because vigabatrin is the first choice.
2. RCPCH Epilepsy12 surgery-referral criteria: under 24 months with focality of onset.
3. ILAE paediatric surgery subcommission: an MRI lesion amenable to resection.
4. Wirrell et al., Epilepsia 2015 (NISC): MRI first, then genetics, metabolic selectively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from spasmcare.errors import InputError
from spasmcare.record.model import Record
from spasmcare.record.pathway import ProposalOverride
from spasmcare.therapy.protocol import FILENAME, GRADES

BUNDLED_DIR = Path(str(resources.files("spasmcare.therapy") / "pathway_tables"))
TABLE_ID = "first-line"


@dataclass(frozen=True)
class RuleTable:
    data: dict[str, Any]
    path: str

    @property
    def version(self) -> int:
        return int(self.data["version"])

    @property
    def guidelines(self) -> dict[str, str]:
        return dict(self.data["guidelines"])

    def source(self, key: str) -> str:
        return str(self.data["sources"][key])


def _check(data: Any, where: str) -> None:
    """Shape and safety checks of a table; InputError naming the file and entry."""
    if not isinstance(data, dict):
        raise InputError(where, None, "a YAML mapping with id, version, sources, rules")
    for key in ("id", "version", "sources", "guidelines", "first_line", "flags"):
        if key not in data:
            raise InputError(f"{where}: {key}", None, "a value: this key is required")
    sources = data["sources"]
    for kind in ("first_line", "flags"):
        for i, rule in enumerate(data[kind]):
            at = f"{where}: {kind}[{i}]"
            if rule.get("source") not in sources:
                raise InputError(f"{at}.source", rule.get("source"), "a key of sources")
            if rule.get("grade") not in GRADES:
                raise InputError(f"{at}.grade", rule.get("grade"), "one of " + ", ".join(GRADES))
            if kind == "first_line":
                _check_first_line(rule, data["guidelines"], at)
    tsc_any = [r for r in data["first_line"] if "tsc" in r.get("etiology", [])]
    if not any(r["guideline"] == "any" for r in tsc_any):
        raise InputError(f"{where}: first_line", None, "a TSC rule for every guideline (any)")


def _check_first_line(rule: dict[str, Any], guidelines: dict[str, str], at: str) -> None:
    if rule.get("guideline") != "any" and rule.get("guideline") not in guidelines:
        raise InputError(f"{at}.guideline", rule.get("guideline"), "any or a guideline key")
    options = rule.get("options") or []
    if not options:
        raise InputError(f"{at}.options", None, "at least one option")
    if "tsc" in rule.get("etiology", []) and "vigabatrin" not in str(options[0]).lower():
        raise InputError(
            f"{at}.options", options[0], "vigabatrin first for tuberous sclerosis complex [1]"
        )


@lru_cache(maxsize=16)
def _read(path: str) -> RuleTable:
    p = Path(path)
    match = FILENAME.match(p.name)
    if not match:
        raise InputError("rule table", p.name, "a file named <id>.v<version>.yaml")
    try:
        data = yaml.safe_load(p.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError("rule table", p.name, f"a readable YAML file ({exc})") from exc
    _check(data, p.name)
    if data["id"] != match["id"] or int(data["version"]) != int(match["version"]):
        raise InputError(f"{p.name}: version", data["version"], "the id and version of the name")
    return RuleTable(data, str(p))


def _files(directory: Path) -> list[Path]:
    return sorted(
        (p for p in directory.glob(f"{TABLE_ID}.v*.yaml") if FILENAME.match(p.name)),
        key=lambda p: int(FILENAME.match(p.name)["version"]),  # type: ignore[index]
    )


def load_table(clinic_dir: Path | None = None) -> RuleTable:
    """The newest table of the clinic's directory when it has one, else the newest bundled."""
    bundled = {p.name: p for p in _files(BUNDLED_DIR)}
    if clinic_dir is not None:
        if not clinic_dir.is_dir():
            raise InputError("--rules-dir", str(clinic_dir), "a directory of rule tables")
        own = _files(clinic_dir)
        for p in own:
            same = bundled.get(p.name)
            if same is not None and same.read_bytes() != p.read_bytes():
                raise InputError(
                    p.name, "edited", "a new version number: a release is not rewritten"
                )
        if own:
            return _read(str(own[-1]))
    return _read(str(list(bundled.values())[-1]))


def copy_for_clinic(clinic_dir: Path, table: RuleTable | None = None) -> Path:
    """Copy ``table`` (default: the newest in use) as the next version into ``clinic_dir``;
    the new file is created exclusively, never overwriting one."""
    table = table or load_table(clinic_dir if clinic_dir.is_dir() else None)
    clinic_dir.mkdir(parents=True, exist_ok=True)
    text = Path(table.path).read_text("utf-8")
    version = table.version + 1
    text = re.sub(r"(?m)^version: \d+$", f"version: {version}", text, count=1)
    target = clinic_dir / f"{TABLE_ID}.v{version}.yaml"
    try:
        with target.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError as exc:
        raise InputError("--rules-dir", str(target), "a version not yet in the directory") from exc
    return target


# --- proposals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    rule: str
    options: tuple[str, ...]
    text: str
    source: str
    grade: str
    override: ProposalOverride | None = None

    def to_dict(self) -> dict[str, Any]:
        o = self.override
        return {
            "rule": self.rule,
            "options": list(self.options),
            "text": self.text,
            "source": self.source,
            "grade": self.grade,
            "advice": True,
            "override": {
                "date": o.day.isoformat(),
                "chosen": o.chosen,
                "reason": o.reason,
                "by": o.by,
            }
            if o
            else None,
        }


@dataclass(frozen=True)
class Flag:
    id: str
    text: str
    because: str
    source: str
    grade: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "because": self.because,
            "source": self.source,
            "grade": self.grade,
        }


def propose(record: Record, guideline: str, table: RuleTable) -> Proposal:
    """The first-line proposal for ``record`` under ``guideline`` (the first matching rule:
    a rule with ``etiology`` matches those categories; one without matches any other)."""
    if guideline not in table.guidelines:
        raise InputError("guideline", guideline, "one of " + ", ".join(table.guidelines))
    category = record.etiology.category
    for rule in table.data["first_line"]:
        etiologies = rule.get("etiology")
        if rule["guideline"] not in ("any", guideline):
            continue
        if etiologies is not None and category not in etiologies:
            continue
        overrides = [o for o in record.pathway.overrides if o.proposal == rule["id"]]
        return Proposal(
            rule=rule["id"],
            options=tuple(str(x) for x in rule["options"]),
            text=str(rule["text"]),
            source=table.source(rule["source"]),
            grade=str(rule["grade"]),
            override=max(overrides, key=lambda o: o.day) if overrides else None,
        )
    raise InputError("guideline", guideline, "a guideline with a rule for every etiology")


def age_months(birth: date, today: date) -> int:
    """Completed months of age on ``today``."""
    months = (today.year - birth.year) * 12 + today.month - birth.month
    return months - (1 if today.day < birth.day else 0)


def flags(record: Record, today: date, table: RuleTable) -> list[Flag]:
    """The referral flags the record meets on ``today``."""
    out = []
    p = record.pathway
    for rule in table.data["flags"]:
        because = None
        if rule["id"] == "surgery-referral":
            months = age_months(record.patient.birth_date, today)
            if p.focal_onset and months < int(rule["under_months"]):
                because = f"focal onset at {months} months of age"
            elif p.mri is not None and p.mri.resectable_lesion:
                because = "a resectable lesion on MRI"
        elif rule["id"] == "genetics-next":
            if p.mri is not None and p.mri.finding == "non-diagnostic" and not p.genetic_tests:
                because = "the MRI found no cause and no genetic test is recorded"
        if because:
            out.append(
                Flag(rule["id"], rule["text"], because, table.source(rule["source"]), rule["grade"])
            )
    return out
