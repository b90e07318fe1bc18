"""Issue 11: every CLI error is one line and exit code 2, and no input gives a traceback.

Regression cases from the issue, then a hypothesis fuzz of every command: each option gets a
hostile or ordinary value; the run must end with exit 0, or with exit 2 and one line on stderr,
and a command that fails writes none of its output files.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.cli import SUBCOMMANDS, load_command
from tests.conftest import run_cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "iess-synthetic-infant.json"
LONG_NAME = "a" * 5000


def _one_line_error(code: int, err: str) -> None:
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err


@pytest.fixture
def hostile_files(tmp_path: Path) -> dict[str, Path]:
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    big = tmp_path / "big.json"
    big.write_text('{"format": ' + "9" * 5000 + "}")
    data = json.loads(EXAMPLE.read_text())
    data["growth"][0]["length_cm"] = 1e308
    absurd = tmp_path / "absurd.json"
    absurd.write_text(json.dumps(data))
    return {"nested": nested, "big": big, "absurd": absurd}


@pytest.mark.parametrize(
    "args",
    [
        ["therapy", "protocols", "--protocols-dir", f"/tmp/{LONG_NAME}"],
        ["foods", "build", "--sr28", f"/tmp/{LONG_NAME}", "--out", "/nonexistent/x.gz"],
        [
            "therapy",
            "plan",
            "--protocol",
            "prednisolone-high-dose",
            "--weight-kg",
            "8",
            "--start",
            "9999-12-31",
        ],
        ["keto", "prescribe", "--ratio", "abc"],
        ["keto", "meal", "--xyz"],
        ["keto", "meal", "--food", "01109", "--ratio", "9" * 5000, "--kcal", "300"],
        ["foods", "search", "milk", "--limit", "9" * 5000],
        ["record", "validate", f"/tmp/{LONG_NAME}"],
        ["foods"],
    ],
)
def test_reported_cases_are_one_line_exit_2(capsys: Any, args: list[str]) -> None:
    code, _, err = run_cli(capsys, *args)
    _one_line_error(code, err)


@pytest.mark.parametrize("name", ["nested", "big", "absurd"])
def test_hostile_record_files_are_one_line(
    capsys: Any, hostile_files: dict[str, Path], name: str, tmp_path: Path
) -> None:
    for args in (
        ["record", "validate", str(hostile_files[name])],
        ["report", str(hostile_files[name]), "--html", str(tmp_path / "r.html")],
    ):
        code, _, err = run_cli(capsys, *args)
        _one_line_error(code, err)
        assert not (tmp_path / "r.html").exists()


def test_report_html_works_on_every_file_validate_accepts(capsys: Any, tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "record", "validate", str(EXAMPLE))
    assert code == 0, err
    out = tmp_path / "r.html"
    code, _, err = run_cli(capsys, "report", str(EXAMPLE), "--html", str(out))
    assert code == 0, err
    assert out.read_text().startswith("<!")


def test_usage_error_names_the_option_and_the_value(capsys: Any) -> None:
    code, _, err = run_cli(capsys, "foods", "search", "milk", "--limit", "many")
    _one_line_error(code, err)
    assert "--limit" in err and "many" in err


# --------------------------------------------------------------------------- fuzz


def _leaves(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    subs = getattr(command, "commands", None)
    if subs:
        for name, sub in subs.items():
            yield from _leaves(sub, [*path, name])
    else:
        yield path, command


LEAVES = [
    (" ".join(path), command)
    for name, _, _ in SUBCOMMANDS
    for path, command in _leaves(load_command(name), [name])
]
#: Options that name an output path: always given, inside the run's own folder.
OUTPUTS = {"--out", "--ics", "--html", "--protocols-dir"}
VALUES = [
    "",
    "abc",
    "0",
    "3",
    "8",
    "-1",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "9" * 30,
    "9" * 5000,
    "2026-01-01",
    "0001-01-01",
    "9999-12-31",
    "3:1",
    "01109",
    "prednisolone-high-dose",
    "female",
    "x=1",
    "\x00",
    "é" * 300,
    "{NESTED}",
    "{BIG}",
    "{EXAMPLE}",
    "{LONG}",
]
#: Counters for the closing note of issue 11 (inputs tried, tracebacks seen).
TRIED: dict[str, int] = {"runs": 0, "tracebacks": 0}


def _value(text: str, folder: Path) -> str:
    return {
        "{NESTED}": str(folder / "nested.json"),
        "{BIG}": str(folder / "big.json"),
        "{EXAMPLE}": str(EXAMPLE),
        "{LONG}": str(folder / LONG_NAME),
    }.get(text, text)


@pytest.mark.parametrize(("name", "command"), LEAVES, ids=[n for n, _ in LEAVES])
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzz_every_command(capsys: Any, name: str, command: Any, data: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "nested.json").write_text("[" * 50_000 + "]" * 50_000)
        (folder / "big.json").write_text('{"a": ' + "9" * 5000 + "}")
        args = name.split()
        outputs: list[Path] = []
        for param in command.params:
            opts = [o for o in param.opts if o.startswith("--")]
            if param.param_type_name == "argument":
                args.append(_value(data.draw(st.sampled_from(VALUES)), folder))
                continue
            if not opts:
                continue
            opt = opts[0]
            if opt in OUTPUTS:
                target = folder / "out" / opt.strip("-")
                if opt == "--protocols-dir":
                    target.mkdir(parents=True)
                else:
                    outputs.append(target)
                args += [opt, str(target)]
                continue
            if not (param.required or data.draw(st.booleans())):
                continue
            if getattr(param, "is_flag", False):
                args.append(opt)
            else:
                args += [opt, _value(data.draw(st.sampled_from(VALUES)), folder)]
        here = os.getcwd()
        os.chdir(folder)
        try:
            code, _, err = run_cli(capsys, *args)
        finally:
            os.chdir(here)
        TRIED["runs"] += 1
        TRIED["tracebacks"] += "Traceback" in err
        assert "Traceback" not in err, (args, err)
        assert code in (0, 2), (args, code, err)
        if code == 2:
            lines = [line for line in err.splitlines() if line.strip()]
            assert len(lines) == 1 and lines[0].startswith("error: "), (args, err)
            for path in outputs:
                assert not path.exists(), (args, path)
