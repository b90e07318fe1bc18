"""Invariants over random infants, options and decisions (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.therapy import load_protocol, plan_course
from spasmcare.therapy.dosing import plausible_range

W_LO, W_HI = plausible_range("weight")
L_LO, L_HI = plausible_range("height")
IDS = [
    "prednisolone-high-dose",
    "prednisolone-weight-based",
    "tetracosactide-depot",
    "acth-high-dose",
    "acth-low-dose",
    "vigabatrin",
    "vigabatrin-rapid",
    "prednisolone-vigabatrin",
]
FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def infants(draw: st.DrawFn) -> dict[str, object]:
    return {
        "weight_kg": draw(st.floats(W_LO, W_HI)),
        "length_cm": draw(st.floats(L_LO, L_HI)),
        "start": date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 800))),
    }


@FAST
@given(pid=st.sampled_from(IDS), infant=infants(), answers=st.data())
def test_no_dose_exceeds_protocol_maximum(
    pid: str, infant: dict[str, object], answers: st.DataObject, confirmed_dir: Path
) -> None:
    protocol = load_protocol(pid, protocols_dir=confirmed_dir)
    decisions = {d["id"]: answers.draw(st.booleans()) for d in protocol.decisions}
    plan = plan_course(protocol, decisions=decisions, **infant)  # type: ignore[arg-type]
    w, bsa = plan.weight_kg, plan.bsa_m2
    for course in protocol.courses:
        drug, limit = course["drug"], course["maximum"]
        for day in plan.days:
            doses = [d for d in day.doses if d.drug == drug]
            total = sum(d.amount for d in doses)
            given_total = sum(d.measured if d.measured is not None else d.amount for d in doses)
            for amount in (total, given_total):
                if "mg_per_day" in limit:
                    assert amount <= limit["mg_per_day"] + 1e-6
                if "units_per_day" in limit:
                    assert amount <= limit["units_per_day"] + 1e-6
                if "mg_per_kg_per_day" in limit:
                    assert amount <= limit["mg_per_kg_per_day"] * w + 1e-6
                if "units_per_m2_per_day" in limit and bsa is not None:
                    assert amount <= limit["units_per_m2_per_day"] * bsa + 1e-6
            if "mg_per_dose" in limit:
                assert all(d.amount <= limit["mg_per_dose"] + 1e-9 for d in doses)
            assert all(d.volume_ml is None or d.volume_ml > 0 for d in doses)


@FAST
@given(infant=infants(), escalate=st.booleans())
def test_prednisolone_days_and_monotone_taper(
    infant: dict[str, object], escalate: bool, confirmed_dir: Path
) -> None:
    for pid in ("prednisolone-high-dose", "prednisolone-weight-based"):
        decisions = {"day7_spasms_continuing": escalate} if pid.endswith("high-dose") else {}
        plan = plan_course(pid, protocols_dir=confirmed_dir, decisions=decisions, **infant)  # type: ignore[arg-type]
        assert len(plan.days) == 29
        assert plan.days[0].date == infant["start"]
        assert plan.last_dose["prednisolone"] == infant["start"] + timedelta(days=28)  # type: ignore[operator]
        totals = [sum(d.amount for d in day.doses) for day in plan.days]
        taper = totals[13:]  # from the last full-dose day to the end
        assert all(a >= b - 1e-9 for a, b in zip(taper, taper[1:], strict=False))
        assert all(t > 0 for t in totals)


@FAST
@given(infant=infants(), step=st.sampled_from([25, 50]))
def test_vigabatrin_wean_monotone_and_length(
    infant: dict[str, object], step: int, confirmed_dir: Path
) -> None:
    p = load_protocol("vigabatrin", protocols_dir=confirmed_dir)
    params = {"titration_step_mg_per_kg_per_day": step}
    plan = plan_course(p, parameters=params, **infant)  # type: ignore[arg-type]
    start: date = infant["start"]  # type: ignore[assignment]
    # 3 months of treatment + 1 month wean: the plan ends the day before start + 4 months
    end = plan.days[-1].date
    assert end + timedelta(days=1) == _add_months(start, 4)
    per_kg = [sum(d.amount for d in day.doses) / plan.weight_kg for day in plan.days]
    peak = per_kg.index(max(per_kg))
    after = per_kg[peak:]
    assert all(a >= b - 1e-6 for a, b in zip(after, after[1:], strict=False))
    assert max(per_kg) <= 150 + 1e-6


def _add_months(d: date, months: int) -> date:
    from spasmcare.therapy.monitoring import add_months

    return add_months(d, months)
