"""EEG scores, lab conversions and alerts, growth z-scores and flags, diet responders and
adherence — expectations worked out by hand from the cited definitions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from spasmcare.errors import InputError
from spasmcare.growth import corrected_age_years, sds, value_at_sds
from spasmcare.measures.adherence import adherence_correlation
from spasmcare.measures.eeg import (
    EegOptions,
    based_grade,
    kd_hypsarrhythmia_score_3m,
    kramer_favourable,
    kramer_total,
)
from spasmcare.measures.growth import growth_flags, growth_rows
from spasmcare.measures.labs import LabThresholds, lab_alerts, ucacr_upper, urine_ca_cr_ratios
from spasmcare.measures.response import ResponseOptions, kd_responder
from spasmcare.record.model import (
    DietPeriod,
    Eeg,
    GrowthMeasurement,
    Kramer,
    LabResult,
    Patient,
    RatioReading,
    Record,
)
from spasmcare.record.units import mg_dl_to_mmol_l, to_si
from tests.measures.builders import START, build, day, days

ITEMS = ("disorganisation", "delta_slowing", "amplitude", "spikes", "other_abnormalities")


# --- EEG -------------------------------------------------------------------------------------


def test_kramer_total_and_favourable_cut_off() -> None:
    assert kramer_total(dict(zip(ITEMS, (3, 3, 2, 2, 0), strict=True))) == 10
    assert kramer_favourable(10)  # Kramer abstract: total <= 10 went with better outcome
    assert not kramer_favourable(10, EegOptions(kramer_favourable_max=9))  # PNB "< 10"
    with pytest.raises(InputError):
        kramer_total(dict(zip(ITEMS, (4, 0, 0, 0, 0), strict=True)))
    with pytest.raises(InputError):
        kramer_favourable(16, EegOptions(kramer_max_total=15))
    with pytest.raises(InputError):
        EegOptions(kramer_max_total=20)


@pytest.mark.parametrize(
    ("features", "grade"),
    [
        ({"spike_foci": 0}, 0),
        ({"spike_foci": 0, "non_epileptiform_abnormality": True}, 1),
        ({"spike_foci": 2}, 2),  # < 3 foci, no high amp
        ({"spike_foci": 3}, 3),  # >= 3 foci < 50 %, no amp
        ({"spike_foci": 1, "high_amplitude_channels": 2}, 3),  # < 3 foci + high amp
        ({"spike_foci": 4, "high_amplitude_channels": 1}, 4),  # >= 3 foci + high amp
        ({"spike_foci": 2, "grouped_multifocal_or_attenuations": True}, 4),
        ({"spike_foci": 3, "spike_bins_half_or_more": True}, 5),  # >= 3 foci in >= 50 %
    ],
)
def test_based_grade_table(features: dict[str, object], grade: int) -> None:
    assert based_grade(**features) == grade  # type: ignore[arg-type]


def _kd_record(eeg_day: date, total: int) -> tuple[Record, DietPeriod]:
    diet = DietPeriod(id="kd", diet="classic-kd", start=date(2026, 1, 10))
    return build({}, diets=[diet], eegs=[Eeg(day=eeg_day, kramer=Kramer(total=total))]), diet


def test_kd_hypsarrhythmia_flag_at_3_months() -> None:
    # 3 months after 10 Jan = 10 Apr. Score 8 (>= 8, Zhang 2019) -> flag; 7 -> no flag.
    rec, diet = _kd_record(date(2026, 4, 12), 8)
    assert kd_hypsarrhythmia_score_3m(rec, diet).status == "met"
    rec, diet = _kd_record(date(2026, 4, 12), 7)
    assert kd_hypsarrhythmia_score_3m(rec, diet).status == "not met"
    # 20 days from the 3-month date is beyond the 14-day tolerance.
    rec, diet = _kd_record(date(2026, 4, 30), 12)
    assert kd_hypsarrhythmia_score_3m(rec, diet).status == "not assessable"


# --- labs ------------------------------------------------------------------------------------


def test_unit_conversions_by_molar_mass() -> None:
    # glucose 45 mg/dL x 10 / 180.156 = 2.4978 mmol/L; cholesterol 232 x 10 / 386.654 = 6.000
    assert to_si("glucose", 45, "mg/dL", "x")[0] == pytest.approx(2.4978, abs=1e-4)
    assert to_si("total_cholesterol", 232, "mg/dL", "x")[0] == pytest.approx(6.000, abs=1e-3)
    # Sargent 1993 prints 0.86 mg/mg = 2.42 mmol/mmol: 0.86 x 113.12 / 40.078 = 2.427.
    assert to_si("urine_calcium_creatinine_ratio", 0.86, "mg/mg", "x")[0] == pytest.approx(
        2.42, abs=0.01
    )
    assert to_si("bicarbonate", 18, "mEq/L", "x") == (18, "mmol/L")
    assert mg_dl_to_mmol_l(104.105, 104.105) == pytest.approx(10.0)
    with pytest.raises(InputError) as err:
        to_si("glucose", 4, "g/L", "labs[2]")
    assert err.value.field == "labs[2].unit"


def _lab(when: date, analyte: str, value: float, unit: str = "mmol/L") -> LabResult:
    si, unit_si = to_si(analyte, value, unit, "x")
    return LabResult(
        at=datetime.combine(when, datetime.min.time()),
        analyte=analyte,
        value=value,
        unit=unit,
        value_si=si,
        unit_si=unit_si,
    )


def _labs_record(*labs: LabResult, diet_start: date | None = None) -> Record:
    diets = (DietPeriod(id="kd", diet="classic-kd", start=diet_start),) if diet_start else ()
    return Record(
        patient=Patient(id="t", birth_date=date(2025, 10, 1), sex="male"),
        labs=labs,
        diet_periods=diets,
    )


def test_ketone_and_glucose_alerts() -> None:
    d0 = date(2026, 3, 1)
    rec = _labs_record(
        _lab(d0 + timedelta(5), "bhb", 6.4),  # > 6 -> urgent high
        _lab(d0 + timedelta(6), "bhb", 5.5),  # > 5, <= 6 -> above target
        _lab(d0 + timedelta(7), "bhb", 1.5),  # < 2 on diet day 7 -> below target
        _lab(d0 + timedelta(1), "bhb", 1.0),  # diet day 1: inside the 2-day grace
        _lab(d0 - timedelta(3), "bhb", 0.2),  # before the diet: no target applies
        _lab(d0 + timedelta(8), "glucose", 45, "mg/dL"),  # 2.498 <= 2.5 -> urgent
        _lab(d0 + timedelta(9), "glucose", 2.6),  # above 2.5 -> nothing
        diet_start=d0,
    )
    kinds = [a.kind for a in lab_alerts(rec)]
    assert sorted(kinds) == sorted(
        ["bhb_high", "bhb_above_target", "bhb_below_target", "glucose_low"]
    )


def test_unconfigured_acidosis_and_configured() -> None:
    rec = _labs_record(_lab(date(2026, 3, 1), "bicarbonate", 15))
    assert lab_alerts(rec) == []  # no sourced cut-off: never alerted by default
    alerts = lab_alerts(rec, LabThresholds(bicarbonate_low_mmol_l=18))
    assert [a.kind for a in alerts] == ["acidosis"]


def test_hypercalciuria_by_age_band() -> None:
    # Sargent 1993 95th centiles: < 7 months 2.42; 7-18 months 1.69 mmol/mmol.
    assert ucacr_upper(5) == 2.42 and ucacr_upper(10) == 1.69 and ucacr_upper(100) is None
    born = date(2025, 10, 1)
    at5 = born + timedelta(days=152)  # 5.0 months
    at10 = born + timedelta(days=305)  # 10.0 months
    rec = _labs_record(
        _lab(at5, "urine_calcium_creatinine_ratio", 2.4, "mmol/mmol"),  # < 2.42
        _lab(at10, "urine_calcium_creatinine_ratio", 1.7, "mmol/mmol"),
    )  # > 1.69
    assert [a.at.date() for a in lab_alerts(rec)] == [at10]


def test_ratio_computed_from_urine_calcium_and_creatinine() -> None:
    when = date(2026, 3, 1)
    rec = _labs_record(_lab(when, "urine_calcium", 2.1), _lab(when, "urine_creatinine", 1.0))
    ratios = urine_ca_cr_ratios(rec)
    assert len(ratios) == 1 and ratios[0].value_si == pytest.approx(2.1)


# --- growth ----------------------------------------------------------------------------------


def test_corrected_age_for_preterm_baby() -> None:
    born = date(2026, 1, 1)
    # Born at 32+0: 280 - 224 = 56 days early. On day 59 the corrected age is 3 days.
    assert corrected_age_years(born, born + timedelta(59), 32, 0) == pytest.approx(3 / 365.25)
    assert corrected_age_years(born, born + timedelta(30), 32, 0) is None  # before EDD
    # Term (39+0) uses chronological age; after 2 years correction stops.
    assert corrected_age_years(born, born + timedelta(100), 39, 0) == pytest.approx(100 / 365.25)
    assert corrected_age_years(born, born + timedelta(800), 30, 0) == pytest.approx(800 / 365.25)


def test_preterm_z_scores_use_corrected_age() -> None:
    # 35+2 weeks: 280 - 247 = 33 days early. 6 kg at 150 days is judged at 117 days.
    born = date(2026, 1, 1)
    rec = Record(
        patient=Patient(
            id="p", birth_date=born, sex="female", gestation_weeks=35, gestation_days=2
        ),
        growth=(
            GrowthMeasurement(day=born + timedelta(150), weight_kg=6.0, head_circumference_cm=40.0),
        ),
    )
    row = growth_rows(rec)[0]
    assert row["weight_sds"] == pytest.approx(sds("weight", 6.0, 117 / 365.25, "female"), abs=0.01)
    assert row["weight_sds"] > round(sds("weight", 6.0, 150 / 365.25, "female"), 2)
    assert row["head_circumference_sds"] is not None  # rcpchgrowth's "ofc"


def test_faltering_and_excess_gain_flags() -> None:
    rec = Record(
        patient=Patient(id="p", birth_date=date(2025, 1, 1), sex="male"),
        diet_periods=(DietPeriod(id="kd", diet="classic-kd", start=date(2025, 6, 1)),),
    )

    def row(d: date, w: float | None) -> dict[str, object]:
        return {"date": d, "weight_sds": w, "height_sds": None, "head_circumference_sds": None}

    # +0.5 -> -0.6: fall 1.1 > 1 SD; then -2.1 < -2 SD (and fall 2.6).
    flags = growth_flags(
        rec, [row(date(2025, 3, 1), 0.5), row(date(2025, 4, 1), -0.6), row(date(2025, 5, 1), -2.1)]
    )
    kinds = [(f["kind"], f["date"].month) for f in flags]
    assert ("faltering_fall", 4) in kinds and ("faltering_low", 5) in kinds
    # A fall of exactly 1.0 is not "more than 1 SD".
    assert growth_flags(rec, [row(date(2025, 3, 1), 0.5), row(date(2025, 4, 1), -0.5)]) == []
    # During the diet (from 1 Jun): -0.2 at start -> +1.0 = rise 1.2 > 1 -> excess gain.
    flags = growth_flags(rec, [row(date(2025, 6, 1), -0.2), row(date(2025, 8, 1), 1.0)])
    assert [f["kind"] for f in flags] == ["excess_gain"]


def test_low_flag_decided_before_rounding() -> None:
    # A weight at z = -2.004 is below -2 SD, though it shows as -2.00 (2 decimals).
    born = date(2025, 1, 1)
    on = born + timedelta(200)
    weight = value_at_sds("weight", -2.004, 200 / 365.25, "male")
    rec = Record(
        patient=Patient(id="p", birth_date=born, sex="male"),
        growth=(GrowthMeasurement(day=on, weight_kg=weight),),
    )
    assert growth_rows(rec)[0]["weight_sds"] == -2.0
    flags = growth_flags(rec)
    assert [(f["kind"], f["measure"]) for f in flags] == [("faltering_low", "weight")]
    assert flags[0]["sds"] == -2.0


# --- ketogenic diet responders and adherence ---------------------------------------------------


def _diet_record(follow_per_day: int, months_of_diary: int = 2) -> tuple[Record, DietPeriod]:
    # Baseline: 10 spasms/day on the 7 days before the diet (day -6..0); diet starts day 1.
    diet = DietPeriod(id="kd", diet="classic-kd", start=START)
    last = 31 * months_of_diary
    counts = {n: 10 for n in range(-6, 1)} | {n: follow_per_day for n in days(1, last)}
    return build(counts, recorded=list(range(-6, last + 1)), diets=[diet]), diet


def test_kd_responder_bands() -> None:
    # 10 -> 4 spasms/day: reduction 60 % -> >= 50 % responder, not >= 90 %.
    rec, diet = _diet_record(4)
    r = kd_responder(rec, diet, 1)
    assert r.status == "met" and r.value == pytest.approx(60.0)
    assert (r.details["responder_90"], r.details["spasm_free_100"]) == (False, False)
    # 10 -> 6: 40 % -> not a responder.
    assert kd_responder(_diet_record(6)[0], diet, 1).status == "not met"
    # 10 -> 0: 100 %, all three bands.
    r = kd_responder(_diet_record(0)[0], diet, 1)
    assert r.details["responder_90"] and r.details["spasm_free_100"]
    # 3 months is after the diary (2 months) -> not assessable.
    assert kd_responder(rec, diet, 3).status == "not assessable"


def test_kd_responder_exactly_50_percent() -> None:
    # Baseline 4 spasms over 7 recorded days (4/7 = 0.571.. per day); follow-up 2 spasms over
    # the 7 days before the 1-month date (2/7): reduction = 100 x (4/7 - 2/7) / (4/7) = 50 %,
    # which is ">= 50 %". Rounding the baseline to 0.571 first would give 49.96 %.
    diet = DietPeriod(id="kd", diet="classic-kd", start=START)
    one_month = date(2026, 4, 2)  # START 2 Mar + 1 month; follow-up = 27 Mar .. 2 Apr
    first_follow = (one_month - START).days + 1 - 6  # treatment-day number of 27 Mar (26)
    counts = {-6: 1, -4: 1, -2: 1, 0: 1, first_follow: 1, first_follow + 3: 1}
    rec = build(counts, recorded=list(range(-6, 40)), diets=[diet])
    r = kd_responder(rec, diet, 1)
    assert r.value == pytest.approx(50.0)
    assert r.status == "met" and r.details["responder_50"] is True
    assert r.to_dict()["value"] == 50.0 and r.details["baseline_spasms_per_day"] == 0.571


def test_kd_responder_diet_stopped() -> None:
    rec, _ = _diet_record(4)
    stopped = DietPeriod(id="kd", diet="classic-kd", start=START, stop=day(20))
    assert kd_responder(rec, stopped, 1).status == "not assessable"
    r = kd_responder(rec, stopped, 1, diet_stopped="non-responder")
    assert r.status == "not met"


def test_kd_responder_calendar_mode_missing_day() -> None:
    rec, diet = _diet_record(4)
    one_month = date(2026, 4, 2)  # START 2 Mar + 1 month
    gap = Record(**{**rec.__dict__, "recorded_days": rec.recorded_days - {one_month}})
    assert kd_responder(gap, diet, 1).status == "met"  # recorded mode takes 7 other days
    r = kd_responder(gap, diet, 1, ResponseOptions(baseline_mode="calendar"))
    assert r.status == "not assessable"


def test_adherence_correlation() -> None:
    # BHB rises 1..8 while spasms fall 8..1 over 8 recorded diet days: Spearman rho = -1.
    diet = DietPeriod(
        id="kd",
        diet="classic-kd",
        start=START,
        achieved=tuple(RatioReading(day(n), 2.0 + n / 10) for n in days(1, 8)),
    )
    counts = {n: 9 - n for n in days(1, 8)}
    base = build(counts, recorded=days(1, 8), diets=[diet])
    labs = tuple(
        LabResult(
            at=datetime.combine(day(n), datetime.min.time()),
            analyte="bhb",
            value=float(n),
            unit="mmol/L",
            value_si=float(n),
            unit_si="mmol/L",
        )
        for n in days(1, 8)
    )
    rec = Record(**{**base.__dict__, "labs": labs})
    r = adherence_correlation(rec, diet, "bhb")
    assert r.value == pytest.approx(-1.0) and r.details["n"] == 8
    assert "not cause" in r.details["caveat"]
    assert adherence_correlation(rec, diet, "ratio").value == pytest.approx(-1.0)
    # Unrecorded days drop out: with 3 recorded days there are fewer than 7 pairs.
    few = Record(**{**rec.__dict__, "recorded_days": frozenset(day(n) for n in (1, 2, 3))})
    assert adherence_correlation(few, diet, "bhb").status == "not assessable"
