"""Protocol details page: flagged details, the neurologist's confirmation, stale and bad posts.

Expected values are read by hand from ``therapy/protocols/prednisolone-high-dose.v2.yaml`` (the
graded version, bundled next to version 1): detail ``day7-escalation`` (SECONDARY, evidence
D-2/D-3, source ukiss-adc2005) is 20 mg three times a day = 60 mg/day on days 8-14 when spasms
continue at day 7, used without a confirmation; detail ``taper-after-escalation`` (NOT FOUND,
D-5) waits for the clinic; detail
``monitoring-frequency`` is tied to parameter ``checks_per_week`` (default 2, allowed 1 to 7
checks per week). With day 1 = Wednesday 2026-07-01, day 8 = 2026-07-08 and day 14 =
Tuesday 2026-07-14; 20 mg for 6 kg is 3.33 mg/kg.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from spasmcare.therapy import load_protocol
from spasmcare.web.models import Patient

PRED = "prednisolone-high-dose"
LIST = "/protocols/"
CONFIRM = f"/protocols/{PRED}/confirm/"


def text(response: Any) -> str:
    """The page as plain text: tags removed, entities decoded, white space collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def detail_text(response: Any, detail: str) -> str:
    """The plain text of one detail's block on the page."""
    body = response.content.decode()
    match = re.search(rf'<article[^>]*id="{PRED}--{detail}".*?</article>', body, flags=re.S)
    assert match, detail
    return text(type("R", (), {"content": match.group(0).encode()})())


@pytest.fixture
def clinic_dir(tmp_path: Path, settings: Any) -> Path:
    directory = tmp_path / "clinic-protocols"
    directory.mkdir()
    settings.SPASMCARE_PROTOCOLS_DIR = str(directory)
    return directory


def test_list_shows_day7_escalation_to_be_confirmed(
    client_as: Any, clinic_dir: Path, django_assert_max_num_queries: Any
) -> None:
    client = client_as("nurse")
    with django_assert_max_num_queries(3):
        response = client.get(LIST)
    assert response.status_code == 200
    block = detail_text(response, "day7-escalation")
    # SECONDARY (evidence D-2, D-3): used without a confirmation, with its grade and source
    assert "day7-escalation used: SECONDARY SECONDARY" in block
    assert "prednisolone 20 mg three times daily (60 mg/day) in the second week" in block
    assert "ukiss-adc2005 Treatment of infantile spasms, Arch Dis Child 2005" in block
    waiting = detail_text(response, "taper-after-escalation")
    assert "taper-after-escalation to be confirmed NOT FOUND" in waiting
    # tied to a parameter: its default and allowed range are shown
    monitoring = detail_text(response, "monitoring-frequency")
    assert (
        # issue 19: the parameter in words, not its code name checks_per_week
        "Tied to the setting “checks per week”: default 2 checks per week ; "
        "allowed: 1 to 7 checks per week"
    ) in monitoring
    # a nurse looks but has no confirm button
    assert "Confirm as" not in block
    assert "A paediatric neurologist confirms details" in text(response)


def test_neurologist_confirms_then_the_plan_uses_60_mg(
    client_as: Any, patient: Patient, clinic_dir: Path
) -> None:
    neuro = client_as("neurologist")
    page = neuro.get(LIST)
    # users' first names are their role labels in the fixtures
    assert "Confirm as Paediatric neurologist, Paediatric neurologist" in text(page)
    response = neuro.post(
        CONFIRM,
        {"detail": "day7-escalation", "version": "2", "note": "agreed at clinic meeting"},
    )
    assert response.status_code == 302
    # straight back to the one protocol (not the whole wall of protocols)
    assert response["Location"] == f"{LIST}?protocol={PRED}#{PRED}"
    # a new version file in the clinic's directory (3: bundled 1 and 2 exist), bundled untouched
    files = sorted(p.name for p in clinic_dir.iterdir())
    assert files == [f"{PRED}.v3.yaml"]
    data = yaml.safe_load((clinic_dir / f"{PRED}.v3.yaml").read_text())
    bundled = load_protocol(PRED, version=2, protocols_dir=clinic_dir)
    assert data["version"] == 3
    assert data["derived_from"] == {"version": 2, "sha256": bundled.sha256, "origin": "bundled"}
    [confirmation] = data["confirmations"]
    assert confirmation["detail"] == "day7-escalation"
    assert confirmation["by"] == "Paediatric neurologist, Paediatric neurologist"
    assert confirmation["value"] is None and confirmation["note"] == "agreed at clinic meeting"
    # the list now shows it confirmed, by whom, from the clinic's version 3
    page = neuro.get(LIST)
    block = detail_text(page, "day7-escalation")
    assert "day7-escalation confirmed" in block
    assert "Confirmed by Paediatric neurologist, Paediatric neurologist on " in block
    assert "agreed at clinic meeting" in block and "Confirm as" not in block
    # issue 19: the protocol by its title (above); its file name stays, for the audit trail
    assert f"Version 3 (clinic, {PRED}.v3.yaml)" in text(page)
    # a course planned afterwards with spasms continuing at day 7: 20 mg × 3 = 60 mg/day
    planned = text(
        client_as("nurse").get(
            f"/patients/{patient.pk}/course/",
            {
                "protocol": PRED,
                "weight_kg": "6",
                "start": "2026-07-01",
                "decision_day7_spasms_continuing": "yes",
            },
        )
    )
    assert "prednisolone-high-dose version 3 (clinic)" in planned
    assert "Wed 8 Jul 2026 Tue 14 Jul 2026 7 prednisolone 60 mg/day 20 mg × 3" in planned
    assert (
        "8 8 Jul 2026 prednisolone 20 mg 3.33 mg/kg clinic-confirmed (ukiss-adc2005) "
        "08:00 14:00 20:00"
    ) in planned


def test_confirm_a_parameter_value(client_as: Any, clinic_dir: Path) -> None:
    neuro = client_as("neurologist")
    bad = neuro.post(CONFIRM, {"detail": "monitoring-frequency", "version": "2", "value": "9"})
    assert bad.status_code == 200
    block = detail_text(bad, "monitoring-frequency")
    assert "value: 'checks_per_week=9' is not accepted: checks_per_week from 1 to 7." in block
    assert list(clinic_dir.iterdir()) == []
    neuro.post(CONFIRM, {"detail": "monitoring-frequency", "version": "2", "value": "3"})
    new = load_protocol(PRED, protocols_dir=clinic_dir)
    assert new.version == 3
    assert new.parameters["checks_per_week"]["default"] == 3
    confirmation = new.confirmation("monitoring-frequency")
    assert confirmation is not None and confirmation.value == 3


def test_nurse_cannot_confirm(client_as: Any, clinic_dir: Path) -> None:
    response = client_as("nurse").post(CONFIRM, {"detail": "day7-escalation", "version": "2"})
    assert response.status_code == 403
    assert list(clinic_dir.iterdir()) == []


def test_stale_version_is_refused(client_as: Any, clinic_dir: Path) -> None:
    neuro = client_as("neurologist")
    neuro.post(CONFIRM, {"detail": "gi-protection", "version": "2"})
    assert [p.name for p in clinic_dir.iterdir()] == [f"{PRED}.v3.yaml"]
    # a page opened before that confirmation still carries version 2
    response = neuro.post(CONFIRM, {"detail": "day7-escalation", "version": "2"})
    assert response.status_code == 200
    block = detail_text(response, "day7-escalation")
    assert (
        "prednisolone-high-dose changed since you opened this page: you saw version 2, the "
        "latest is version 3. Nothing was saved" in block
    )
    assert sorted(p.name for p in clinic_dir.iterdir()) == [f"{PRED}.v3.yaml"]
    # the refreshed form carries version 3 and goes through
    assert 'name="version" value="3"' in response.content.decode()
    neuro.post(CONFIRM, {"detail": "day7-escalation", "version": "3"})
    latest = load_protocol(PRED, protocols_dir=clinic_dir)
    assert latest.version == 4
    assert {c.detail for c in latest.confirmations} == {"gi-protection", "day7-escalation"}


def test_unknown_detail_shows_the_domain_message(client_as: Any, clinic_dir: Path) -> None:
    response = client_as("neurologist").post(CONFIRM, {"detail": "no-such-detail", "version": "2"})
    assert response.status_code == 200
    assert (
        "detail: 'no-such-detail' is not accepted: a flagged detail of this protocol: "
        "day7-escalation, gi-protection, live-vaccine-deferral, monitoring-frequency, "
        "taper-after-escalation."
    ) in text(response)
    assert "Traceback" not in response.content.decode()
    assert list(clinic_dir.iterdir()) == []


def test_unknown_protocol_is_named(client_as: Any, clinic_dir: Path) -> None:
    response = client_as("neurologist").post(
        "/protocols/no-such-protocol/confirm/", {"detail": "x", "version": "1"}
    )
    assert response.status_code == 200
    assert "'no-such-protocol' is not accepted: one of acth-high-dose" in text(response)
    assert list(clinic_dir.iterdir()) == []


def test_one_protocol_at_a_time(client_as: Any) -> None:
    page = client_as("neurologist").get(f"{LIST}?protocol={PRED}")
    rows = page.context["rows"]
    assert [r["protocol"].id for r in rows] == [PRED]
    assert "Show every protocol" in page.content.decode()
    everything = client_as("neurologist").get(LIST).context["rows"]
    assert len(everything) > 1
