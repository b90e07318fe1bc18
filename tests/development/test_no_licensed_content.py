"""No licensed instrument content in the repository (issue 25).

Vineland, Bayley-III and ASQ-3 are licensed instruments: spasmcare stores the scores a
clinician enters and never their items or scoring tables (publishers' notices; ASQ-3 (c)
Brookes). This test greps every tracked text file for the tell-tale signs that such content
slipped in, and fails naming the file and line:

1. ASQ-3 item answers: the questionnaire's three answer choices written together
   ("yes", "sometimes", "not yet") in one line, as an item table would hold them, or ASQ
   item point values (10 / 5 / 0 points) beside those words.
2. A scoring table: a line naming ASQ, Bayley, Vineland or a monitoring zone with
   "cutoff"/"cut-off" and three or more numbers after it (ASQ cut-off and monitoring-zone
   tables list a number per domain per age), or a raw-score to scaled/standard-score
   conversion ("raw score" next to "scaled score" or "standard score" with numbers).
3. Item numbering of these instruments: "item 1" to "item 30" within a line naming ASQ,
   Bayley or Vineland.

It looks only at lines that name an instrument or a scoring concept, so ordinary code (dates,
doses) does not match. This file describes the patterns and is skipped.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT_SUFFIXES = {".py", ".md", ".json", ".html", ".txt", ".csv", ".toml", ".yml", ".yaml", ".js"}

ANSWER_CHOICES = re.compile(r"\byes\b.{0,40}\bsometimes\b.{0,40}\bnot yet\b", re.IGNORECASE)
ITEM_POINTS = re.compile(r"\b(10|5|0)\s*points?\b.{0,60}\b(sometimes|not yet)\b", re.IGNORECASE)
CUTOFF_TABLE = re.compile(
    r"\b(asq|bayley|vineland|monitoring zone)\b[^\n]{0,60}cut-?offs?\b[^\n]{0,40}?"
    r"(\d+(\.\d+)?[^\d\n]{1,6}){3,}",
    re.IGNORECASE,
)
CONVERSION = re.compile(
    r"raw\s+scores?\b[^\n]{0,80}\b(scaled|standard)\s+scores?\b[^\n]{0,40}\d", re.IGNORECASE
)
ITEM_NUMBER = re.compile(
    r"\b(asq|bayley|vineland)\b[^\n]{0,80}\bitem\s+(\d|[12]\d|30)\b", re.IGNORECASE
)
PATTERNS = {
    "ASQ answer choices": ANSWER_CHOICES,
    "ASQ item points": ITEM_POINTS,
    "cut-off table": CUTOFF_TABLE,
    "raw-to-standard conversion": CONVERSION,
    "instrument item numbering": ITEM_NUMBER,
}


def tracked_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return [ROOT / p for p in out if p and Path(p).suffix in TEXT_SUFFIXES]


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return path.name


def findings(paths: list[Path]) -> list[str]:
    me = Path(__file__).resolve()
    found = []
    for path in paths:
        if path.resolve() == me or not path.is_file():
            continue
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for name, pattern in PATTERNS.items():
                if pattern.search(line):
                    found.append(f"{_shown(path)}:{number}: {name}")
    return found


def test_no_item_text_or_scoring_table_in_the_repository() -> None:
    assert findings(tracked_files()) == []


def test_the_patterns_catch_planted_content(tmp_path: Path) -> None:
    planted = tmp_path / "planted.md"
    planted.write_text(
        "| answer | Yes | Sometimes | Not yet |\n"
        "ASQ-3 12 month cutoff: 15.64 21.49 18.15 27.32 21.73\n"
        "Bayley raw score 34 -> scaled score 9\n"
        "Vineland item 12: uses the toilet\n",
        encoding="utf-8",
    )
    hits = [h.split(": ", 1)[1] for h in findings([planted])]
    assert hits == [
        "ASQ answer choices",
        "cut-off table",
        "raw-to-standard conversion",
        "instrument item numbering",
    ]
