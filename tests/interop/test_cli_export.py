"""``spasmcare export fhir|redcap`` end to end, in-process."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from spasmcare.demo import demo_clinic
from spasmcare.interop.bulk import read_ndjson
from spasmcare.interop.fhir import validate_resources
from tests.conftest import run_cli

TODAY = date(2026, 12, 2)
DAY = ["--today", TODAY.isoformat()]


@pytest.fixture(scope="module")
def record_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("records")
    for infant in demo_clinic(TODAY)[:4]:
        (d / f"{infant.record['patient']['id']}.json").write_text(json.dumps(infant.record))
    return d


def test_single_bundle_to_stdout(capsys: pytest.CaptureFixture[str], record_dir: Path) -> None:
    code, out, err = run_cli(capsys, "export", "fhir", str(record_dir / "demo-0001.json"), *DAY)
    assert code == 0, err
    bundle = json.loads(out)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert bundle["entry"][0]["resource"]["identifier"][0]["value"] == "demo-0001"
    assert validate_resources([bundle]) == 1


def test_single_bundle_to_file(
    capsys: pytest.CaptureFixture[str], record_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "b.json"
    code, out, err = run_cli(
        capsys,
        "export",
        "fhir",
        str(record_dir / "demo-0002.json"),
        "--out",
        str(target),
        "--no-name",
        *DAY,
        "--json",
    )
    assert code == 0, err
    summary = json.loads(out)
    bundle = json.loads(target.read_text())
    assert summary["resources"] == len(bundle["entry"])
    assert "name" not in bundle["entry"][0]["resource"]


def test_bulk_ndjson(capsys: pytest.CaptureFixture[str], record_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "bulk"
    code, out, err = run_cli(
        capsys, "export", "fhir", "--ndjson", str(target), "--dir", str(record_dir), *DAY, "--json"
    )
    assert code == 0, err
    manifest = json.loads(out)
    assert manifest == json.loads((target / "manifest.json").read_text())
    assert manifest["requiresAccessToken"] is False and manifest["error"] == []
    by_type = {item["type"]: item for item in manifest["output"]}
    assert by_type["Patient"]["count"] == 4
    for item in manifest["output"]:
        resources = list(read_ndjson(target / item["url"]))
        assert len(resources) == item["count"]
        assert {r["resourceType"] for r in resources} == {item["type"]}
    assert not list(target.glob("*.part"))


def test_bulk_bad_record_leaves_nothing(
    capsys: pytest.CaptureFixture[str], record_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    data = json.loads((record_dir / "demo-0001.json").read_text())
    data["growth"][0]["weight_kg"] = -1
    bad.write_text(json.dumps(data))
    target = tmp_path / "bulk"
    code, out, err = run_cli(
        capsys,
        "export",
        "fhir",
        "--ndjson",
        str(target),
        str(record_dir / "demo-0001.json"),
        str(bad),
        *DAY,
    )
    assert code == 2
    assert "bad.json" in err and "growth[0].weight_kg" in err and len(err.strip().splitlines()) == 1
    assert list(target.iterdir()) == []


def test_single_needs_one_record(capsys: pytest.CaptureFixture[str], record_dir: Path) -> None:
    code, _, err = run_cli(capsys, "export", "fhir", "--dir", str(record_dir), *DAY)
    assert code == 2 and "exactly one record" in err
    code, _, err = run_cli(capsys, "export", "fhir", str(record_dir / "x.json"), "--bhb-loinc", "1")
    assert code == 2 and "bhb_loinc" in err


def test_redcap(capsys: pytest.CaptureFixture[str], record_dir: Path, tmp_path: Path) -> None:
    salt = tmp_path / "salt"
    salt.write_text("a-salt-that-is-long-enough\n")
    out_dir = tmp_path / "rc"
    code, out, err = run_cli(
        capsys,
        "export",
        "redcap",
        "--dir",
        str(record_dir),
        "--out",
        str(out_dir),
        "--salt-file",
        str(salt),
        "--k",
        "1",
        *DAY,
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["records"] == 4
    with (out_dir / "redcap_dictionary.csv").open() as f:
        dictionary = list(csv.reader(f))
    with (out_dir / "redcap_import.csv").open() as f:
        data = list(csv.reader(f))
    assert len(dictionary[0]) == 18
    assert data[0] == [row[0] for row in dictionary[1:]]
    assert len(data) == 5
    # at the default k = 5, four records form no releasable group: nothing leaves
    code, out, err = run_cli(
        capsys, "export", "redcap", "--dir", str(record_dir), "--out", str(tmp_path / "k5"),
        "--salt-file", str(salt), *DAY, "--json",
    )
    assert code == 0, err
    assert json.loads(out)["records"] == 0
    salt.write_text("short")
    code, _, err = run_cli(
        capsys,
        "export",
        "redcap",
        "--dir",
        str(record_dir),
        "--out",
        str(out_dir),
        "--salt-file",
        str(salt),
        *DAY,
    )
    assert code == 2 and "salt" in err


def test_fhir_resources_not_imported_at_start_up() -> None:
    """The FHIR models load only when an export or import runs (CLI start-up stays light)."""
    import subprocess
    import sys

    code = (
        "import sys, spasmcare.cli, spasmcare.cli.export, spasmcare.cli.imports, "
        "spasmcare.interop.fhir, spasmcare.interop.bulk, spasmcare.interop.redcap; "
        "print(sorted(m for m in sys.modules if m.startswith('fhir')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
