"""The time-to-treatment measures (issue 23) by hand on a synthetic cohort built here: boundary
days (7 vs 8, 14 vs 15, 42 vs 43, EEG day 13/14/28/29), pending inside the window, not met
past it, excluded with the named reason; the clinic figure with its Wilson interval and the
k-anonymity rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from spasmcare.errors import InputError
from spasmcare.measures.pathway import (
    clinic_kpis,
    failure_to_next_treatment,
    mri_within_6_weeks,
    onset_to_standard_therapy,
    patient_kpis,
    response_eeg,
    urgent_referral_seen,
    wilson_interval,
)
from spasmcare.record.model import DietPeriod, Eeg, Patient, Record, Treatment
from spasmcare.record.pathway import Mri, Pathway, Referral, TreatmentFailure

ONSET = date(2026, 3, 1)
TODAY = date(2026, 11, 21)


def rec(
    onset: date | None = ONSET,
    treatments: tuple[Treatment, ...] = (),
    pathway: Pathway = Pathway(),
    eegs: tuple[Eeg, ...] = (),
    diets: tuple[DietPeriod, ...] = (),
) -> Record:
    return Record(
        patient=Patient("p", date(2025, 10, 1), "female", onset_date=onset),
        treatments=treatments,
        pathway=pathway,
        eegs=eegs,
        diet_periods=diets,
    )


def course(drug: str, days_after_onset: int, tid: str = "t1") -> Treatment:
    return Treatment(tid, drug, ONSET + timedelta(days=days_after_onset))


def d(n: int) -> date:
    return ONSET + timedelta(days=n)


# --- onset -> standard therapy <= 7 days --------------------------------------------------


@pytest.mark.parametrize(
    ("drug", "day", "status"),
    [
        ("prednisolone", 0, "met"),
        ("prednisolone", 7, "met"),
        ("Prednisolone oral solution", 8, "not-met"),
        ("vigabatrin", 7, "met"),
        ("Tetracosactide depot", 8, "not-met"),
        ("ACTH (Acthar Gel)", 3, "met"),
    ],
)
def test_onset_to_standard_therapy_boundary(drug: str, day: int, status: str) -> None:
    result = onset_to_standard_therapy(rec(treatments=(course(drug, day),)), TODAY)
    assert (result.status, result.days) == (status, day)


def test_onset_to_therapy_counts_only_hormone_or_vigabatrin() -> None:
    # topiramate on day 2 is not standard therapy; prednisolone on day 9 is: not met, 9 days
    r = rec(treatments=(course("topiramate", 2, "a"), course("prednisolone", 9, "b")))
    result = onset_to_standard_therapy(r, TODAY)
    assert (result.status, result.days, result.event) == ("not-met", 9, d(9))


def test_onset_to_therapy_pending_then_not_met_without_therapy() -> None:
    assert onset_to_standard_therapy(rec(), d(7)).status == "pending"
    assert onset_to_standard_therapy(rec(), d(7)).days == 7
    late = onset_to_standard_therapy(rec(), d(8))
    assert (late.status, late.days) == ("not-met", 8)


def test_onset_to_therapy_excluded_without_onset_date() -> None:
    result = onset_to_standard_therapy(
        rec(onset=None, treatments=(course("vigabatrin", 1),)), TODAY
    )
    assert (result.status, result.reason) == ("excluded", "no spasm onset date recorded")


# --- failed first treatment -> next <= 14 days --------------------------------------------


def failed(day: int, tid: str = "t1") -> Pathway:
    return Pathway(treatment_failures=(TreatmentFailure(tid, d(day)),))


@pytest.mark.parametrize(("next_day", "status"), [(30, "met"), (44, "met"), (45, "not-met")])
def test_failure_to_next_treatment_boundary(next_day: int, status: str) -> None:
    # first course day 2, failed day 30: next on day 44 = 14 days (met), day 45 = 15 (not met)
    r = rec(
        treatments=(course("prednisolone", 2), course("vigabatrin", next_day, "t2")),
        pathway=failed(30),
    )
    result = failure_to_next_treatment(r, TODAY)
    assert (result.status, result.days) == (status, next_day - 30)


def test_a_diet_started_after_failure_is_the_next_treatment() -> None:
    r = rec(
        treatments=(course("prednisolone", 2),),
        pathway=failed(30),
        diets=(DietPeriod("k1", "classic-kd", d(40)),),
    )
    result = failure_to_next_treatment(r, TODAY)
    assert (result.status, result.days) == ("met", 10)


def test_an_add_on_before_the_failure_is_not_the_next_treatment() -> None:
    r = rec(
        treatments=(course("prednisolone", 2), course("vigabatrin", 20, "t2")),
        pathway=failed(30),
    )
    assert failure_to_next_treatment(r, d(44)).status == "pending"
    assert failure_to_next_treatment(r, d(45)).status == "not-met"
    assert failure_to_next_treatment(r, d(45)).days == 15


def test_failure_of_either_drug_of_a_combination_course_counts() -> None:
    r = rec(
        treatments=(
            course("prednisolone", 2),
            course("vigabatrin", 2, "t2"),
            course("topiramate", 40, "t3"),
        ),
        pathway=failed(30, "t2"),
    )
    assert failure_to_next_treatment(r, TODAY).days == 10


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (rec(), "no treatment recorded"),
        (rec(treatments=(course("prednisolone", 2),)), "first treatment not recorded as failed"),
    ],
)
def test_failure_to_next_excluded(record: Record, reason: str) -> None:
    result = failure_to_next_treatment(record, TODAY)
    assert (result.status, result.reason) == ("excluded", reason)


# --- response EEG on days 14-28 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("eeg_days", "status", "days"),
    [
        ((14,), "met", 14),
        ((28,), "met", 28),
        ((13,), "not-met", None),
        ((29,), "not-met", None),
        ((13, 20), "met", 20),
    ],
)
def test_response_eeg_window(eeg_days: tuple[int, ...], status: str, days: int | None) -> None:
    start = 5  # first course on day 5 after onset
    r = rec(
        treatments=(course("vigabatrin", start),),
        eegs=tuple(Eeg(d(start + n)) for n in eeg_days),
    )
    result = response_eeg(r, TODAY)
    assert result.status == status
    if days is not None:
        assert result.days == days


def test_response_eeg_pending_until_day_28() -> None:
    r = rec(treatments=(course("vigabatrin", 0),))
    assert response_eeg(r, d(28)).status == "pending"
    assert response_eeg(r, d(29)).status == "not-met"
    assert response_eeg(rec(), TODAY).reason == "no treatment recorded"


# --- urgent referral seen <= 14 days (NICE QS211) ----------------------------------------


@pytest.mark.parametrize(("seen", "status"), [(14, "met"), (15, "not-met"), (0, "met")])
def test_urgent_referral_boundary(seen: int, status: str) -> None:
    p = Pathway(referral=Referral(d(1), "urgent"), first_seen=d(1 + seen))
    result = urgent_referral_seen(rec(pathway=p), TODAY)
    assert (result.status, result.days) == (status, seen)


def test_urgent_referral_pending_and_excluded() -> None:
    waiting = rec(pathway=Pathway(referral=Referral(d(1), "urgent")))
    assert urgent_referral_seen(waiting, d(15)).status == "pending"
    assert urgent_referral_seen(waiting, d(16)).status == "not-met"
    routine = rec(pathway=Pathway(referral=Referral(d(1), "routine"), first_seen=d(3)))
    assert urgent_referral_seen(routine, TODAY).reason == (
        "routine referral (the measure counts urgent)"
    )
    assert urgent_referral_seen(rec(), TODAY).reason == "no referral recorded"


# --- MRI within 6 weeks (Epilepsy12 KPI 5) -----------------------------------------------


@pytest.mark.parametrize(("done", "status"), [(42, "met"), (43, "not-met")])
def test_mri_boundary(done: int, status: str) -> None:
    p = Pathway(mri=Mri(requested=d(10), done=d(10 + done)))
    result = mri_within_6_weeks(rec(pathway=p), TODAY)
    assert (result.status, result.days) == (status, done)


def test_mri_pending_and_excluded() -> None:
    waiting = rec(pathway=Pathway(mri=Mri(requested=d(10))))
    assert mri_within_6_weeks(waiting, d(52)).status == "pending"
    assert mri_within_6_weeks(waiting, d(53)).status == "not-met"
    done_unrequested = rec(pathway=Pathway(mri=Mri(done=d(10))))
    assert mri_within_6_weeks(done_unrequested, TODAY).reason == "no MRI request recorded"


# --- clinic figure ------------------------------------------------------------------------


def test_wilson_interval_by_hand() -> None:
    # 3 of 10, z = 1.959964: centre = (0.3 + 0.192073) / 1.384146 = 0.355506;
    # half = 1.959964 / 1.384146 * sqrt(0.021 + 0.009604) = 0.247736
    low, high = wilson_interval(3, 10)
    assert low == pytest.approx(0.1078, abs=1e-4)
    assert high == pytest.approx(0.6032, abs=1e-4)
    assert wilson_interval(0, 5)[0] == 0.0


def test_clinic_figure_counts_and_k_rule() -> None:
    # 6 patients: onset->therapy on days 1, 7, 8, 20, none yet (pending: onset 3 days ago),
    # no onset date (excluded) -> met 2, not met 2, pending 1, excluded 1
    today = d(200)
    cohort = [
        rec(treatments=(course("prednisolone", 1),)),
        rec(treatments=(course("vigabatrin", 7),)),
        rec(treatments=(course("prednisolone", 8),)),
        rec(treatments=(course("prednisolone", 20),)),
        rec(onset=today - timedelta(days=3)),
        rec(onset=None),
    ]
    figure = clinic_kpis(cohort, today, k=4)[0]
    assert figure.kpi.id == "onset-to-standard-therapy-7d"
    assert (figure.met, figure.not_met, figure.pending) == (2, 2, 1)
    assert figure.excluded == {"no spasm onset date recorded": 1}
    out = figure.to_dict()
    assert (out["numerator"], out["denominator"], out["rate"]) == (2, 4, 0.5)
    assert (out["ci95_low"], out["ci95_high"]) == pytest.approx(wilson_interval(2, 4))
    withheld = clinic_kpis(cohort, today, k=5)[0].to_dict()
    assert withheld["released"] is False
    assert "numerator" not in withheld and "rate" not in withheld


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "5"])
def test_clinic_k_must_be_a_whole_number_of_children(k: object) -> None:
    # the same k rule as every other k-anonymous release (measures.deid.check_k): a fraction
    # or a yes/no is not a number of children
    with pytest.raises(InputError) as caught:
        clinic_kpis([], TODAY, k=k)  # type: ignore[arg-type]
    assert caught.value.field == "k"


def test_every_patient_gets_every_measure() -> None:
    results = patient_kpis(rec(), TODAY)
    assert [r.kpi for r in results] == [
        "onset-to-standard-therapy-7d",
        "urgent-referral-seen-14d",
        "mri-within-6-weeks",
        "response-eeg-day-14-28",
        "failure-to-next-treatment-14d",
    ]
    for r in results:
        assert r.status != "met"


def test_the_patient_report_carries_the_measures_with_days_counted() -> None:
    from spasmcare.report.data import ReportOptions, build_report

    r = rec(treatments=(course("prednisolone", 8),))
    report = build_report(r, ReportOptions(today=TODAY))
    first = report["pathway"]["kpis"][0]
    assert (first["kpi"], first["status"], first["days"]) == (
        "onset-to-standard-therapy-7d",
        "not-met",
        8,
    )
    assert first["definition"]["source"].startswith("[1]")
    assert [i["state"] for i in report["pathway"]["workup"]][:2] == ["to-do", "to-do"]
