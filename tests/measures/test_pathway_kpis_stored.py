"""The clinic's time-to-treatment figures from stored per-patient results (issue 23): the web
app keeps each patient's results as JSON with its summary; the clinic figure made from them
is the one made from the records."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from spasmcare.measures.pathway import (
    KpiResult,
    clinic_kpis,
    clinic_kpis_of_results,
    patient_kpis,
)
from spasmcare.record.pathway import Mri, Pathway, Referral, TreatmentFailure
from tests.measures.test_pathway_kpis import course, d, rec

days = st.integers(min_value=0, max_value=60)


@given(
    start=st.lists(st.one_of(st.none(), days), min_size=1, max_size=6),
    seen=days,
    mri=days,
    k=st.integers(min_value=1, max_value=4),
)
def test_stored_results_give_the_same_clinic_figures(
    start: list[int | None], seen: int, mri: int, k: int
) -> None:
    today = d(45)
    cohort = []
    for i, day in enumerate(start):
        pathway = Pathway(
            referral=Referral(d(1), "urgent" if i % 2 else "routine"),
            first_seen=d(1 + seen) if d(1 + seen) <= today else None,
            mri=Mri(requested=d(2), done=d(2 + mri) if d(2 + mri) <= today else None),
            treatment_failures=(TreatmentFailure("t1", d(day + 3)),)
            if day is not None and i % 3 == 0 and d(day + 3) <= today
            else (),
        )
        treatments = (course("prednisolone", day),) if day is not None else ()
        if day is not None and i % 3 == 0:
            treatments += (course("vigabatrin", day + 10, "t2"),)
        cohort.append(rec(treatments=treatments, pathway=pathway))
    stored = [
        json.loads(json.dumps([r.to_dict() for r in patient_kpis(x, today)])) for x in cohort
    ]
    again = clinic_kpis_of_results(([KpiResult.from_dict(r) for r in s] for s in stored), k)
    assert [f.to_dict() for f in again] == [f.to_dict() for f in clinic_kpis(cohort, today, k)]


def test_a_result_reads_back_as_written() -> None:
    today = d(30)
    record = rec(treatments=(course("prednisolone", 7),))
    for result in patient_kpis(record, today + timedelta(days=1)):
        assert KpiResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
