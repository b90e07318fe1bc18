"""The repository is self-contained: a clone into an empty folder, with nothing beside it (no
``../shared``), rebuilds the food table and passes the SR28 fidelity tests.

The clone holds what is committed (``git clone`` of this checkout), so an input that only one
machine has beside the repository cannot come back unnoticed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _clone(tmp_path: Path) -> Path:
    if shutil.which("git") is None or not (REPO_ROOT / ".git").exists():
        pytest.fail("this test clones the checkout: run the suite from a git clone, with git")
    empty = tmp_path / "empty"
    empty.mkdir()
    clone = empty / "spasmcare"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(clone)],
        check=True,
        capture_output=True,
    )
    assert sorted(p.name for p in empty.iterdir()) == ["spasmcare"]  # nothing beside it
    return clone


def _env(clone: Path) -> dict[str, str]:
    """This interpreter with the clone's sources first, and no pointer to another SR28 copy."""
    env = {k: v for k, v in os.environ.items() if k != "SPASMCARE_SR28"}
    env["PYTHONPATH"] = str(clone / "src")
    return env


def test_fresh_clone_builds_the_food_table_and_passes_the_fidelity_tests(tmp_path: Path) -> None:
    clone = _clone(tmp_path)
    out = tmp_path / "sr28.json.gz"
    build = subprocess.run(  # what `make foods-data` runs, from the clone's root
        [sys.executable, "-c", "from spasmcare.cli import main; main()",
         "foods", "build", "--sr28", "data/usda-sr28", "--out", str(out), "--json"],
        cwd=clone, env=_env(clone), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert '"foods": 8789' in build.stdout
    assert out.read_bytes() == (clone / "src/spasmcare/foods/data/sr28.json.gz").read_bytes()

    # the full build was just compared with the committed table: the fidelity tests need not
    # build it a second time
    fidelity = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
         "tests/foods/test_foods_sr28.py", "-k", "not committed_file_equals_a_fresh_full_build"],
        cwd=clone, env=_env(clone), capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert fidelity.returncode == 0, fidelity.stdout[-3000:]
    summary = fidelity.stdout.strip().splitlines()[-1]
    # none failed, skipped or errored; only the build above deselected
    assert re.fullmatch(r"\d+ passed, 1 deselected in .*", summary), summary
