"""``spasmcare report`` in the terminal (issue 19): plain words, dates as "1 Jun 2026", "—" for
a missing value; no ISO dates, measure keys, record ids or "None"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.conftest import run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"


def _terminal(capsys: Any, monkeypatch: Any, path: Path = EXAMPLE) -> str:
    monkeypatch.setenv("COLUMNS", "240")
    code, out, err = run_cli(capsys, "report", str(path), "--today", "2026-12-07")
    assert code == 0, err
    return out


def test_terminal_report_reads_as_words(capsys: Any, monkeypatch: Any) -> None:
    out = _terminal(capsys, monkeypatch)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", out), re.findall(r".*\d{4}-\d{2}-\d{2}.*", out)
    assert "None" not in out and "True" not in out and "False" not in out
    for code in ("ukiss_response", "kd_responder_3m", "spasms_continuing_day7", "pred1", "kd1",
                 "vgb1", "classic-kd"):
        assert code not in out, code
    # the example: born 12 Jan 2026, prednisolone from 1 Jun 2026, classic KD from 10 Aug 2026
    assert "born 12 Jan 2026" in out
    assert "first-line: prednisolone from 1 Jun 2026" in out
    assert "diet: classic ketogenic diet from 10 Aug 2026" in out
    assert "UKISS: no spasms on days 13 and 14" in out
    assert "relapse on 20 Jul 2026" in out
    # the first urgent alert: glucose at 06:00 on 13 Aug 2026
    assert "13 Aug 2026 06:00" in out
    # NISC: the second treatment by its name, not its record id
    assert "second treatment vigabatrin started on day 53 (23 Jul 2026)" in out


def test_a_missing_value_reads_as_a_dash(capsys: Any, monkeypatch: Any) -> None:
    out = _terminal(capsys, monkeypatch)
    # the baseline measures have no reason: the "why" cell reads "—", never "None" or blank
    assert re.search(r"Baseline spasms/day \(7 recorded days before 1 Jun 2026\).*│ — ", out)
