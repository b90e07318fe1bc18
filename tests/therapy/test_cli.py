"""The ``spasmcare therapy`` commands: JSON shape, .ics file, confirm, bad input exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from spasmcare.cli import main
from spasmcare.therapy import list_protocols, load_protocol


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def test_protocols_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["therapy", "protocols", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert {"acth-high-dose", "vigabatrin-rapid"} <= {p["id"] for p in data}


@pytest.mark.parametrize("protocol", sorted(p.id for p in list_protocols()))
def test_every_protocol_plans_from_cli(
    protocol: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ics = tmp_path / "c.ics"
    args = [
        "therapy",
        "plan",
        "--protocol",
        protocol,
        "--weight-kg",
        "7",
        "--length-cm",
        "66",
        "--start",
        "2025-03-03",
        "--json",
        "--ics",
        str(ics),
    ]
    code, out, _ = run(args, capsys)
    assert code == 0
    data = json.loads(out)
    # the default version is the newest bundled one (graded files, evidence update 2026)
    assert data["protocol"] == protocol
    assert data["version"] == load_protocol(protocol).version
    assert data["days"][0]["day"] == 1 and data["days"][0]["date"] == "2025-03-03"
    for day in data["days"]:
        for dose in day["doses"]:
            assert ("mg" in dose) != ("units" in dose)
            assert {"drug", "volume_ml", "time"} <= set(dose)
    # a body-surface area only where a dose is per m² (Hrachovy low-dose ACTH is in U/day)
    per_m2 = any(
        phase["dose"] and next(iter(phase["dose"])).startswith("units_per_m2")
        for course in load_protocol(protocol).courses
        for phase in course["phases"]
    )
    assert ("bsa_m2" in data) == per_m2
    assert per_m2 == (protocol.startswith("acth") and protocol != "acth-hrachovy-low-dose")
    assert {"monitoring", "warnings", "sources", "decision_points"} <= set(data)
    Calendar.from_ical(ics.read_bytes())
    # the human table renders too
    code, out, _ = run(args[:-3] + ["--family"], capsys)
    assert code == 0 and "Family version" in out


def test_plan_escalation_flag_and_units(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "therapy",
            "plan",
            "--protocol",
            "acth-high-dose",
            "--weight-kg",
            "8",
            "--length-cm",
            "72",
            "--start",
            "2025-03-03",
            "--json",
        ],
        capsys,
    )
    dose = json.loads(out)["days"][0]["doses"][0]
    # 75 U/m² x 0.4 m² = 30 U
    assert dose["units"] == 30 and dose["per_m2"] == 75 and "mg" not in dose
    code, out, _ = run(
        [
            "therapy",
            "plan",
            "--protocol",
            "prednisolone-high-dose",
            "--weight-kg",
            "7",
            "--start",
            "2025-03-03",
            "--escalate-at-day-7",
            "--json",
        ],
        capsys,
    )
    data = json.loads(out)
    assert data["decision_points"][0]["answer"] is True
    # version 2 (evidence D-2, D-3): UKISS 20 mg three times daily in week 2 is SECONDARY, so
    # active by default with its grade; the tail after escalation is NOT FOUND (D-5) and waits
    day8 = data["days"][7]["doses"]
    assert [d["mg"] for d in day8] == [20, 20, 20]
    assert {d["grade"] for d in day8} == {"SECONDARY"}
    assert "ukiss-adc2005" in day8[0]["grade_sources"]
    assert data["days"][14]["doses"] == []
    assert data["days"][14]["pending"][0]["detail"] == "taper-after-escalation"


def test_confirm_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "therapy",
            "confirm",
            "--protocol",
            "prednisolone-high-dose",
            "--detail",
            "day7-escalation",
            "--by",
            "Dr A",
            "--protocols-dir",
            str(tmp_path),
            "--json",
        ],
        capsys,
    )
    # bundled versions 1 and 2 exist: the confirmation is version 3 in the clinic directory
    assert code == 0 and json.loads(out)["version"] == 3
    code, out, _ = run(
        [
            "therapy",
            "plan",
            "--protocol",
            "prednisolone-high-dose",
            "--weight-kg",
            "7",
            "--start",
            "2025-03-03",
            "--escalate-at-day-7",
            "--protocols-dir",
            str(tmp_path),
            "--json",
        ],
        capsys,
    )
    data = json.loads(out)
    assert data["version"] == 3
    assert [d["mg"] for d in data["days"][7]["doses"]] == [20, 20, 20]
    assert {d["grade"] for d in data["days"][7]["doses"]} == {"clinic-confirmed"}
    assert data["confirmed_details"][0]["by"] == "Dr A"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (
            ["--protocol", "acth-high-dose", "--weight-kg", "7", "--start", "2025-03-03"],
            "--length-cm",
        ),
        (["--protocol", "vigabatrin", "--weight-kg", "70", "--start", "2025-03-03"], "--weight-kg"),
        (
            ["--protocol", "vigabatrin", "--weight-kg", "seven", "--start", "2025-03-03"],
            "--weight-kg",
        ),
        (
            [
                "--protocol",
                "vigabatrin",
                "--weight-kg",
                "7",
                "--age-months",
                "6",
                "--start",
                "2025-03-03",
            ],
            None,
        ),
        (
            [
                "--protocol",
                "vigabatrin",
                "--weight-kg",
                "25",
                "--age-months",
                "6",
                "--start",
                "2025-03-03",
            ],
            "--weight-kg",
        ),
        (["--protocol", "cortisone", "--weight-kg", "7", "--start", "2025-03-03"], "--protocol"),
        (["--protocol", "vigabatrin", "--weight-kg", "7", "--start", "3 March"], "--start"),
        (
            [
                "--protocol",
                "vigabatrin",
                "--weight-kg",
                "7",
                "--start",
                "2025-03-03",
                "--escalate-at-day-7",
            ],
            "--escalate-at-day-7",
        ),
        (
            [
                "--protocol",
                "vigabatrin",
                "--weight-kg",
                "7",
                "--start",
                "2025-03-03",
                "--set",
                "target_mg_per_kg_per_day=200",
            ],
            "--set",
        ),
        (
            [
                "--protocol",
                "acth-high-dose",
                "--weight-kg",
                "7",
                "--length-cm",
                "300",
                "--start",
                "2025-03-03",
            ],
            "--length-cm",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], field: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["therapy", "plan", *args, "--json"], capsys)
    if field is None:  # a control case: plausible for age, so it plans
        assert code == 0 and json.loads(out)["weight_kg"] == 7
        return
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}:")
    assert "Traceback" not in err
