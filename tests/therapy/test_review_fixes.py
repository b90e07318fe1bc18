"""Regression tests for the therapy code-review findings (one rule per behaviour)."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from spasmcare.cli import main
from spasmcare.errors import InputError
from spasmcare.growth import check_length_for_age
from spasmcare.therapy import confirm_detail, day7_decision_id, load_protocol, plan_course
from spasmcare.therapy.bsa import normalize_formula
from spasmcare.therapy.monitoring import add_months_exact, long_course_warning
from spasmcare.therapy.protocol import BUNDLED_DIR, TO_BE_CONFIRMED, validate_protocol

START = date(2025, 3, 3)


# ---------------------------------------------------------------- 1: derived doses


def test_taper_derived_from_unconfirmed_full_dose_is_pending(tmp_path: Path) -> None:
    # Only the taper shape is confirmed; the full dose (divided-doses) is not, so the taper,
    # which is a fraction of the full dose, must also wait for the clinic.
    p = load_protocol("prednisolone-weight-based")
    confirm_detail(p, "taper", "Dr T", tmp_path)
    plan = plan_course(
        "prednisolone-weight-based", weight_kg=7, start=START, protocols_dir=tmp_path
    )
    assert plan.version == 3  # bundled versions 1 and 2 exist
    assert all(not day.doses for day in plan.days)
    assert [day.day for day in plan.days if day.pending] == list(range(1, 30))
    # the taper days name the detail that actually blocks them
    assert {day.pending[0].detail for day in plan.days[14:]} == {"divided-doses"}


def test_wean_starts_from_the_capped_daily_dose(tmp_path: Path) -> None:
    # A vigabatrin course whose maximum (120 mg/kg/day) is below its 150 mg/kg/day target:
    # the wean must step down from the 120 given, not the 150 calculated.
    data = yaml.safe_load((BUNDLED_DIR / "vigabatrin.v1.yaml").read_text())
    data["courses"][0]["maximum"] = {"mg_per_kg_per_day": 120}
    data["version"] = 3  # a new number: bundled versions 1 and 2 exist
    (tmp_path / "vigabatrin.v3.yaml").write_text(yaml.safe_dump(data))
    p = load_protocol("vigabatrin", protocols_dir=tmp_path)
    confirm_detail(p, "wean", "Dr W", tmp_path)
    plan = plan_course("vigabatrin", weight_kg=5, start=START, protocols_dir=tmp_path)
    totals = [sum(d.amount for d in day.doses) / 5 for day in plan.days]
    assert max(totals) == pytest.approx(120)
    wean = [
        t
        for t, day in zip(totals, plan.days, strict=True)
        if any(d.phase == "wean" for d in day.doses)
    ]
    step = plan.parameters["wean_step_mg_per_kg_per_day"]
    # first wean level = 120 - step (hand: from the capped level)
    assert wean[0] == pytest.approx(120 - step, abs=0.01)


# ---------------------------------------------------------------- 2: schedules at load


def _weight_based() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (BUNDLED_DIR / "prednisolone-weight-based.v1.yaml").read_text()
    )
    return data


def test_monitoring_schedule_course_must_be_known() -> None:
    data = _weight_based()
    data["monitoring"][0]["schedule"]["course"] = "prednisolon"  # a typo
    with pytest.raises(InputError, match="prednisolon"):
        validate_protocol(data, "test")
    data["monitoring"][0]["schedule"]["course"] = "all"
    validate_protocol(data, "test")


def test_unknown_schedule_kind_fails_at_load() -> None:
    data = _weight_based()
    data["monitoring"][1]["schedule"] = {"on_dya": 14}
    with pytest.raises(InputError, match="schema"):
        validate_protocol(data, "test")
    data["monitoring"][1]["schedule"] = {"every_months": 3}  # no course
    with pytest.raises(InputError, match="schema"):
        validate_protocol(data, "test")


# ---------------------------------------------------------------- 3: family visibility


def test_visible_items_family_vs_clinic() -> None:
    plan = plan_course("prednisolone-high-dose", weight_kg=7, start=START)
    family = plan.visible_monitoring(family=True)
    assert family and all(m.confirmed for m in family)
    assert len(plan.visible_monitoring(family=False)) > len(family)
    advice = plan.visible_advice(family=False)
    gated = [a for a in advice if not a.confirmed]
    assert gated and all(a.display_text.endswith(f"({TO_BE_CONFIRMED})") for a in gated)
    assert all(a.confirmed for a in plan.visible_advice(family=True))


# ---------------------------------------------------------------- 4: day-7 decision


def test_day7_decision_id() -> None:
    assert day7_decision_id(load_protocol("prednisolone-high-dose")) == "day7_spasms_continuing"
    assert day7_decision_id(load_protocol("tetracosactide-depot")) == "day7_spasms_continuing"
    assert day7_decision_id(load_protocol("vigabatrin-rapid")) is None  # asked on day 4
    assert day7_decision_id(load_protocol("vigabatrin")) is None


def test_escalate_flag_is_an_alias_of_the_decision(capsys: pytest.CaptureFixture[str]) -> None:
    base = [
        "therapy",
        "plan",
        "--protocol",
        "tetracosactide-depot",
        "--weight-kg",
        "7",
        "--start",
        "2025-03-03",
        "--json",
    ]
    outs = []
    for extra in (["--escalate-at-day-7"], ["--decision", "day7_spasms_continuing=yes"]):
        with pytest.raises(SystemExit) as exc:
            main([*base, *extra])
        assert exc.value.code in (0, None)
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0]["days"] == outs[1]["days"]
    assert outs[0]["decision_points"][0]["answer"] is True


# ---------------------------------------------------------------- 5: field names


@pytest.mark.parametrize(
    ("args", "prefix"),
    [
        (["--age-months", "300"], "error: --age-months: 300.0 "),
        (["--birth-date", "2000-01-01"], "error: --birth-date: '2000-01-01 (302.0 months"),
        (["--product", "prednisolone=0"], "error: --product:"),
        (["--product", "cortisone=5"], "error: --product:"),
        (["--bsa-formula", "boyd"], "error: --bsa-formula:"),
    ],
)
def test_cli_field_names_in_months(
    args: list[str], prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    protocol = "acth-high-dose" if "--bsa-formula" in args else "prednisolone-high-dose"
    with pytest.raises(SystemExit) as exc:
        main(
            [
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
                *args,
            ]
        )
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(prefix), err
    assert "25.0" not in err  # never the age in years


def test_domain_age_error_is_in_months() -> None:
    with pytest.raises(InputError) as err:
        plan_course("vigabatrin", weight_kg=7, start=START, age_months=300)
    assert (err.value.field, err.value.value) == ("age_months", 300.0)


# ---------------------------------------------------------------- 6: length for age


def test_check_length_for_age() -> None:
    # WHO length-for-age, boys at 6 months: median about 67.6 cm -> no warning
    assert check_length_for_age(67.6, 6, "male").warnings == []
    with pytest.raises(InputError) as err:
        check_length_for_age(120, 6, "male")
    assert err.value.field == "length_cm" and "length-for-age" in err.value.accepted
    # -4 SD at 6 months (boys): between the warning (3) and rejection (5) lines
    from spasmcare.growth import value_at_sds

    short = value_at_sds("height", -4, 0.5, "male")
    assert check_length_for_age(short, 6, "male").warnings


# ---------------------------------------------------------------- 7: copied courses


def _without_sources(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _without_sources(v)
            for k, v in value.items()
            if k not in ("sources", "maximum_sources", "warn_sources", "source")
        }
    if isinstance(value, list):
        return [_without_sources(v) for v in value]
    return value


def test_combined_protocol_copies_match_their_originals() -> None:
    # version 1 of each; version 2 of the combination is ICISS and of prednisolone-high-dose
    # UKISS, which legitimately differ (ICISS escalation NOT FOUND, evidence D-4)
    combined = load_protocol("prednisolone-vigabatrin", 1)
    originals = {
        "prednisolone": load_protocol("prednisolone-high-dose", 1),
        "vigabatrin": load_protocol("vigabatrin-rapid", 1),
    }
    assert sorted(combined.drugs) == sorted(originals)
    for course in combined.courses:
        original = originals[course["drug"]]
        (source,) = [c for c in original.courses if c["drug"] == course["drug"]]
        assert _without_sources(course) == _without_sources(source)
    for kind in ("details", "parameters"):
        mine: dict[str, Any] = getattr(combined, kind)
        theirs: dict[str, Any] = {}
        for original in originals.values():
            theirs.update(getattr(original, kind))
        assert set(mine) == set(theirs), kind
        assert _without_sources(mine) == _without_sources(theirs), kind
    copied_decisions = [d for o in originals.values() for d in o.decisions]
    assert _without_sources(combined.decisions) == _without_sources(copied_decisions)


# ---------------------------------------------------------------- 8: detail status


def test_detail_status_follows_planning_values(confirmed_dir: Path) -> None:
    p = load_protocol("prednisolone-weight-based", protocols_dir=confirmed_dir)
    status = {d.detail: d for d in p.detail_status()}
    assert status["divided-doses"].confirmed and status["divided-doses"].confirmation
    values = {k: v["default"] for k, v in p.parameters.items()}
    changed = {d.detail: d for d in p.detail_status({**values, "doses_per_day": 4})}
    assert not changed["divided-doses"].confirmed
    assert changed["divided-doses"].confirmation is not None  # recorded, but value changed
    assert "  " not in status["taper"].what and "\n" not in status["taper"].what


# ---------------------------------------------------------------- 11: exact values


def test_domain_keeps_exact_values_json_rounds() -> None:
    plan = plan_course(
        "prednisolone-high-dose", weight_kg=7, start=START, products={"prednisolone": 3}
    )
    dose = plan.days[0].doses[0]
    assert dose.per_kg == 10 / 7  # exact, not 1.429
    assert dose.to_dict()["per_kg"] == 1.429
    # 10 mg / 3 mg/mL = 3.333 mL -> 3.3 mL on the 5 mL syringe -> 3.3 x 3 = 9.9 mg delivered
    assert dose.measured == pytest.approx(9.9) and dose.to_dict()["measured_mg"] == 9.9


# ---------------------------------------------------------------- 12: BSA wording


def test_bsa_spread_warning_uses_the_threshold() -> None:
    # 60 cm, 6 kg: the formulas differ by 11.3 % (> 5 %)
    plan = plan_course(
        "acth-high-dose", weight_kg=6, length_cm=60, start=START, bsa_formula="Gehan_George"
    )
    (warning,) = [w for w in plan.warnings if "BSA formulas differ" in w]
    assert "(more than 5%)" in warning and "gehan-george gives" in warning
    assert normalize_formula(" DuBois ") == "dubois"
    with pytest.raises(InputError) as err:
        normalize_formula("boyd", "bsa_formula")
    assert err.value.field == "bsa_formula"


# ---------------------------------------------------------------- 15: fractional months


def test_fractional_warn_after_months() -> None:
    # 6.5 months from 2025-03-03: 6 calendar months -> 2025-09-03, + 0.5 x 30.4375 = 15 days
    assert add_months_exact(START, 6.5) == date(2025, 9, 18)
    assert add_months_exact(START, 6) == date(2025, 9, 3)
    # a last dose on 2025-09-10 is past 6 months but not past 6.5 (the old int() said it was)
    assert long_course_warning("vigabatrin", START, date(2025, 9, 10), 6.5, ["x"]) is None
    assert long_course_warning("vigabatrin", START, date(2025, 9, 19), 6.5, ["x"])


def test_every_parameter_tied_to_a_cited_detail_cites_a_source() -> None:
    p = load_protocol("prednisolone-weight-based")
    assert p.parameters["doses_per_day"]["sources"] == ["droracle-3doses"]


def test_protocol_data_is_not_mutated_by_planning() -> None:
    p = load_protocol("prednisolone-high-dose")
    before = copy.deepcopy(p.data)
    plan_course(p, weight_kg=7, start=START)
    assert p.data == before
