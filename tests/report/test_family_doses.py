"""A record dose as a family gives it (issue 19): mg and mL per dose at each time, never
"150 mg/kg/day" and one tick for a twice-daily drug. Expected values are worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.record.model import Dose, GrowthMeasurement, Patient, Record, Treatment
from spasmcare.report.family import FamilyDose, doses_text, family_doses, latest_weight

DAY = date(2026, 12, 7)
VIGABATRIN = Treatment("vgb1", "vigabatrin", date(2026, 7, 23), protocol="vigabatrin")


def test_twice_daily_vigabatrin_in_mg_and_ml_at_each_time() -> None:
    # 100 mg/kg/day x 7.5 kg = 750 mg/day; every phase of the vigabatrin protocol gives it
    # twice a day (08:00, 20:00): 375 mg a dose; the protocol's first product is 50 mg/mL
    # (sourced: the Sabril solution, evidence D-8): 375 / 50 = 7.5 mL, a mark of the 20 mL
    # syringe, so exactly 375 mg = 7.5 mL
    doses = family_doses(VIGABATRIN, Dose(DAY, 100, "mg/kg/day"), 7.5)
    assert [(d.time, d.amount, d.volume_ml, d.concentration) for d in doses] == [
        ("08:00", 375, 7.5, 50),
        ("20:00", 375, 7.5, 50),
    ]
    assert doses_text(doses) == "375 mg = 7.5 mL of 50 mg/mL at 08:00, 20:00"


def test_the_amount_is_what_the_measured_volume_gives() -> None:
    # 150 mg/kg/day x 7.3 kg = 1095 mg/day, 547.5 mg a dose (= the maximum) = 10.95 mL; the
    # 20 mL syringe's mark above, 11 mL, gives 550 mg > maximum, so 10.5 mL = 525 mg
    (first, _) = family_doses(VIGABATRIN, Dose(DAY, 150, "mg/kg/day"), 7.3)
    assert (first.planned, first.volume_ml, first.amount) == (547.5, 10.5, 525)
    assert first.text() == "525 mg = 10.5 mL of 50 mg/mL"


def test_a_daily_amount_whose_split_is_not_known_is_one_dose_a_day() -> None:
    # the prednisolone protocol's phases are 4, 3, 2 and 1 doses a day: the record's 40 mg/day
    # alone does not say which, so the family sees the day's amount and the team splits it
    pred = Treatment("p1", "prednisolone", DAY, protocol="prednisolone-high-dose")
    (dose,) = family_doses(pred, Dose(DAY, 40, "mg/day"), 7.3)
    assert (dose.time, dose.amount, dose.volume_ml, dose.per_day_known) == ("", 40, None, False)
    assert doses_text([dose]) == "40 mg a day"


def test_without_a_weight_or_protocol_nothing_is_invented() -> None:
    # no weight: mg/kg/day cannot become mg; no protocol: no split, no strength
    (dose,) = family_doses(VIGABATRIN, Dose(DAY, 150, "mg/kg/day"), None)
    assert (dose.amount, dose.unit, dose.volume_ml) == (150, "mg/kg/day", None)
    other = Treatment("x1", "levetiracetam", DAY)
    (dose,) = family_doses(other, Dose(DAY, 30, "mg/day"), 7.3)
    assert (dose.amount, dose.time, dose.volume_ml) == (30, "", None)
    # an unknown protocol id is not a crash of the family page
    lost = Treatment("x2", "vigabatrin", DAY, protocol="no-such-protocol")
    (dose,) = family_doses(lost, Dose(DAY, 100, "mg/kg/day"), 7.5)
    assert (dose.amount, dose.volume_ml) == (750, None)


def test_doses_of_different_sizes_keep_their_own_times() -> None:
    doses = [
        FamilyDose("08:00", 20, "mg", 2, None, 10),
        FamilyDose("14:00", 20, "mg", 2, None, 10),
        FamilyDose("20:00", 10, "mg", 1, None, 10),
    ]
    assert doses_text(doses) == (
        "20 mg = 2 mL of 10 mg/mL at 08:00, 14:00; 10 mg = 1 mL of 10 mg/mL at 20:00"
    )


def test_latest_weight_is_the_last_on_or_before_the_day() -> None:
    record = Record(
        patient=Patient("p", date(2026, 1, 12), "female"),
        growth=(
            GrowthMeasurement(date(2026, 11, 9), weight_kg=7.3),
            GrowthMeasurement(date(2026, 10, 12), weight_kg=7.15),
            GrowthMeasurement(date(2026, 12, 20), weight_kg=7.6),
            GrowthMeasurement(date(2026, 11, 30), length_cm=67.5),
        ),
    )
    assert latest_weight(record, DAY) == (pytest.approx(7.3), date(2026, 11, 9))
    assert latest_weight(record, date(2026, 1, 1)) is None


def test_a_source_on_a_family_sheet_carries_no_evidence_grade() -> None:
    from spasmcare.report.family import family_advice, family_source

    cited = "CDC via immunize.org: wait at least 1 month. SECONDARY [evidence D-14]."
    assert family_source(cited) == "CDC via immunize.org: wait at least 1 month."
    assert family_source("Lux 2004 FIRM (abstract) [evidence D-1]") == "Lux 2004"
    assert family_source("UKIST leaflet") == "UKIST leaflet"
    # the prednisolone protocol's family advice cites the CDC and CHOP with grades
    graded = [s for _, sources in family_advice("prednisolone-high-dose") for s in sources]
    assert any("SECONDARY [evidence D-14]" in s for s in graded)
    assert not any("SECONDARY" in family_source(s) for s in graded)


@given(
    weight_kg=st.floats(2.0, 20.0, allow_nan=False),
    mg_per_kg_per_day=st.sampled_from([50.0, 100.0, 150.0, 200.0]),
)
@settings(max_examples=60, deadline=None)
def test_record_doses_are_two_a_day_on_marks_and_never_above_the_maximum(
    weight_kg: float, mg_per_kg_per_day: float
) -> None:
    # vigabatrin: per_day 2 in every phase, 50 mg/mL, maximum 150 mg/kg/day (Sabril label)
    doses = family_doses(VIGABATRIN, Dose(DAY, mg_per_kg_per_day, "mg/kg/day"), weight_kg)
    assert [d.time for d in doses] == ["08:00", "20:00"]
    for d in doses:
        assert d.volume_ml is not None
        assert d.amount == pytest.approx(d.volume_ml * 50)  # what the measured volume gives
    assert sum(d.amount for d in doses) <= 150 * weight_kg + 1e-6
