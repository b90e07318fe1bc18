"""Protocol files: schema, sources, versioning, clinic copies and the confirmation gate."""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from spasmcare.errors import InputError
from spasmcare.therapy import confirm_detail, list_protocols, load_protocol, plan_course
from spasmcare.therapy.protocol import BUNDLED_DIR, TO_BE_CONFIRMED, validate_protocol

REQUIRED = {
    "prednisolone-high-dose",
    "prednisolone-weight-based",
    "tetracosactide-depot",
    "acth-high-dose",
    "acth-low-dose",
    "vigabatrin",
    "vigabatrin-rapid",
    "prednisolone-vigabatrin",
}


def test_all_required_protocols_bundled_and_valid() -> None:
    found = {p.id: p for p in list_protocols()}
    assert REQUIRED <= set(found)
    for p in found.values():
        assert p.origin == "bundled" and p.version >= 1
        assert p.sources, p.id
        assert p.confirmations == []  # bundled files never carry confirmations


def test_flagged_details_present_where_reference_says_verify() -> None:
    # reference: escalation split NOT FOUND, ACTH taper VERIFY, low-dose basis conflict,
    # ICISS vigabatrin titration VERIFY, REMS vision schedule VERIFY, taper after tetracosactide
    expected = {
        "prednisolone-high-dose": {"day7-escalation", "monitoring-frequency", "gi-protection"},
        "acth-high-dose": {"taper"},
        "acth-low-dose": {"dose-basis", "taper"},
        "vigabatrin-rapid": {"rapid-titration", "wean", "vision-follow-up"},
        "tetracosactide-depot": {"prednisolone-taper", "day7-escalation"},
    }
    for pid, keys in expected.items():
        assert keys <= set(load_protocol(pid).details), pid


def test_tetracosactide_stays_in_mg() -> None:
    p = load_protocol("tetracosactide-depot")
    assert p.courses[0]["unit"] == "mg"
    assert "IU" not in str(p.courses[0]["phases"])


def test_schema_rejects_bad_protocol() -> None:
    data = yaml.safe_load((BUNDLED_DIR / "prednisolone-high-dose.v1.yaml").read_text())
    data["courses"][0]["phases"][0]["sources"] = ["no-such-source"]
    with pytest.raises(InputError, match="unknown source"):
        validate_protocol(data, "test")
    data = yaml.safe_load((BUNDLED_DIR / "prednisolone-high-dose.v1.yaml").read_text())
    data["courses"][0]["unit"] = "IU"
    with pytest.raises(InputError, match="schema"):
        validate_protocol(data, "test")


def test_unknown_protocol_and_version() -> None:
    with pytest.raises(InputError) as err:
        load_protocol("cortisone")
    assert err.value.field == "--protocol"
    with pytest.raises(InputError):
        load_protocol("vigabatrin", version=99)


def test_confirm_writes_new_version_and_never_rewrites(tmp_path: Path) -> None:
    bundled = BUNDLED_DIR / "prednisolone-high-dose.v1.yaml"
    before = hashlib.sha256(bundled.read_bytes()).hexdigest()
    p1 = load_protocol("prednisolone-high-dose")
    p2 = confirm_detail(p1, "day7-escalation", "Dr A", tmp_path)
    p3 = confirm_detail(p2, "gi-protection", "Dr B", tmp_path, note="omeprazole per clinic")
    # bundled versions 1 and 2 exist, so the clinic's confirmations are versions 3 and 4
    assert (p2.version, p3.version) == (3, 4)
    assert hashlib.sha256(bundled.read_bytes()).hexdigest() == before
    v2_bytes = p2.path.read_bytes()
    assert p3.data["derived_from"] == {"version": 3, "sha256": p2.sha256, "origin": "clinic"}
    assert [c.detail for c in p3.confirmations] == ["day7-escalation", "gi-protection"]
    assert p2.path.read_bytes() == v2_bytes
    # the latest is picked by default; an earlier version is still loadable for a running course
    assert load_protocol("prednisolone-high-dose", protocols_dir=tmp_path).version == 4
    old = load_protocol("prednisolone-high-dose", 3, tmp_path, expect_sha256=p2.sha256)
    assert old.confirmation("gi-protection") is None
    with pytest.raises(InputError, match="sha256|hash"):
        load_protocol("prednisolone-high-dose", 3, tmp_path, expect_sha256=p3.sha256)


def test_clinic_file_cannot_reuse_bundled_version(tmp_path: Path) -> None:
    text = (BUNDLED_DIR / "vigabatrin.v1.yaml").read_text().replace("3 months", "three months")
    (tmp_path / "vigabatrin.v1.yaml").write_text(text)
    with pytest.raises(InputError, match="never rewritten"):
        load_protocol("vigabatrin", protocols_dir=tmp_path)


def test_clinic_edited_copy_with_written_taper_can_be_confirmed(tmp_path: Path) -> None:
    # a clinic copies the file with a new version, writes its taper doses, then confirms
    data = yaml.safe_load((BUNDLED_DIR / "tetracosactide-depot.v1.yaml").read_text())
    data["version"] = 3  # a new number: bundled versions 1 and 2 exist
    phase = data["courses"][1]["phases"][0]
    phase["dose"] = {"mg": 5}
    phase["per_day"] = 1
    (tmp_path / "tetracosactide-depot.v3.yaml").write_text(yaml.safe_dump(data))
    p = load_protocol("tetracosactide-depot", protocols_dir=tmp_path)
    with pytest.raises(InputError):
        confirm_detail(
            load_protocol("tetracosactide-depot", 1), "prednisolone-taper", "X", tmp_path
        )
    p = confirm_detail(p, "prednisolone-taper", "Dr C", tmp_path)
    plan = plan_course(p, weight_kg=7, start=date(2025, 3, 3))
    assert [d.amount for d in plan.days[14].doses] == [5]
    assert plan.confirmed_details[0]["by"] == "Dr C"


def test_confirmation_errors(tmp_path: Path) -> None:
    p = load_protocol("acth-low-dose")
    with pytest.raises(InputError) as err:
        confirm_detail(p, "no-such-detail", "Dr A", tmp_path)
    assert err.value.field == "--detail"
    with pytest.raises(InputError) as err:
        confirm_detail(p, "dose-basis", "Dr A", tmp_path, value="per-week")
    assert err.value.field == "--value"
    with pytest.raises(InputError) as err:
        confirm_detail(p, "gi-protection", "Dr A", tmp_path, value="x")
    assert err.value.field == "--value"
    with pytest.raises(InputError) as err:
        confirm_detail(p, "gi-protection", " ", tmp_path)
    assert err.value.field == "--by"
    with pytest.raises(InputError) as err:
        confirm_detail(p, "gi-protection", "Dr A", None)
    assert err.value.field == "--protocols-dir"
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_environment_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(BUNDLED_DIR / "vigabatrin.v1.yaml", tmp_path / "vigabatrin.v1.yaml")
    p = confirm_detail(load_protocol("vigabatrin"), "wean", "Dr E", tmp_path)
    monkeypatch.setenv("SPASMCARE_PROTOCOLS_DIR", str(tmp_path))
    assert load_protocol("vigabatrin").version == p.version


def test_family_view_has_nothing_unconfirmed() -> None:
    # version 1 (no grades): the escalation waits for the clinic, as before the evidence update
    plan = plan_course(
        load_protocol("prednisolone-high-dose", 1),
        weight_kg=7,
        start=date(2025, 3, 3),
        decisions={"day7_spasms_continuing": True},
    )
    family = plan.to_dict(family=True)
    text = str(family)
    assert TO_BE_CONFIRMED not in text
    # the unconfirmed escalation (20 mg doses from day 8) is absent: only the confirmed 10 mg
    # doses of days 1-7 (4 a day) remain, and days 8-29 have no dose at all
    doses = [d for day in family["days"] for d in day["doses"]]
    assert [d["mg"] for d in doses] == [10] * 28
    assert all(not day["doses"] for day in family["days"][7:])
    assert "warnings" not in family and "unconfirmed_details" not in family
    assert all(m.get("confirmed", True) for m in family["monitoring"])
    assert not any(re.search("Stomach protection", a["text"]) for a in family["advice"])
    clinician = plan.to_dict()
    assert TO_BE_CONFIRMED in str(clinician["days"][7]["notes"])
