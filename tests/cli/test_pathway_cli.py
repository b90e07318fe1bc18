"""``spasmcare cohort kpis`` and ``spasmcare pathway propose`` (issue 23)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, run_json
from tests.record.test_pathway_io import with_pathway


def write_cohort(tmp_path: Path, n: int) -> Path:
    for i in range(n):
        data = with_pathway()
        data["patient"]["id"] = f"p{i}"
        (tmp_path / f"p{i}.json").write_text(json.dumps(data))
    return tmp_path


def test_cohort_kpis_json_releases_at_k(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # 5 identical records: urgent referral 20 Apr, seen 28 Apr = 8 days (met); MRI requested
    # 29 Apr, done 20 May = 21 days (met); onset 15 Apr, prednisolone 4 May = 19 days (not met)
    out = run_json(
        capsys, "cohort", "kpis", str(write_cohort(tmp_path, 5)), "--today", "2026-11-21"
    )
    by_id = {f["id"]: f for f in out["kpis"]}
    assert out["records"] == 5
    assert (
        by_id["urgent-referral-seen-14d"]["numerator"],
        by_id["urgent-referral-seen-14d"]["denominator"],
    ) == (5, 5)
    assert by_id["onset-to-standard-therapy-7d"]["numerator"] == 0
    assert by_id["mri-within-6-weeks"]["rate"] == 1.0
    small = run_json(capsys, "cohort", "kpis", str(tmp_path), "--today", "2026-11-21", "--k", "6")
    assert all(not f["released"] for f in small["kpis"])


def test_cohort_kpis_bad_directory_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_cli(capsys, "cohort", "kpis", str(tmp_path / "nope"))
    assert code == 2 and "DIR" in err


def test_pathway_propose_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(with_pathway()))
    out = run_json(
        capsys,
        "pathway",
        "propose",
        str(path),
        "--guideline",
        "nice-ng217",
        "--today",
        "2026-11-21",
    )
    assert out["proposal"]["rule"] == "nice-ng217.non-tsc"
    assert out["proposal"]["override"]["reason"] == "family preference after discussion"
    assert [f["id"] for f in out["flags"]] == []  # a genetic test is recorded
    assert out["workup"][0]["id"] == "tsc-examination"
    code, _, err = run_cli(capsys, "pathway", "propose", str(path), "--guideline", "who")
    assert code == 2 and "guideline" in err


def test_cohort_kpis_writes_measure_reports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "records").mkdir()
    records = write_cohort(tmp_path / "records", 5)
    out_file = tmp_path / "measures.json"
    out = run_json(
        capsys,
        "cohort",
        "kpis",
        str(records),
        "--today",
        "2026-11-21",
        "--fhir",
        str(out_file),
        "--since",
        "2026-01-01",
    )
    bundle = json.loads(out_file.read_text())
    assert out["fhir"] == str(out_file)
    reports = [e["resource"] for e in bundle["entry"]]
    # all five measures count the 5 records (no EEG, no next treatment: not met): released
    assert {r["measure"].rsplit("/", 1)[1] for r in reports} == {
        "onset-to-standard-therapy-7d",
        "urgent-referral-seen-14d",
        "mri-within-6-weeks",
        "response-eeg-day-14-28",
        "failure-to-next-treatment-14d",
    }
    code, _, err = run_cli(capsys, "cohort", "kpis", str(records), "--fhir", str(out_file))
    assert code == 2 and "--since" in err


def test_copy_rules_then_propose_reads_the_clinic_copy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    out = run_json(capsys, "pathway", "copy-rules", "--rules-dir", str(rules))
    assert out["file"].endswith("first-line.v2.yaml")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(with_pathway()))
    proposal = run_json(
        capsys, "pathway", "propose", str(path), "--guideline", "japan", "--rules-dir", str(rules)
    )
    assert proposal["rule_table"] == {"id": "first-line", "version": 2}
    code, _, err = run_cli(capsys, "pathway", "copy-rules", "--rules-dir", str(rules))
    assert code == 0  # v3 from v2: a new file each time, never an overwrite
    assert (rules / "first-line.v3.yaml").exists()
