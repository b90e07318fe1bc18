"""Time-to-treatment measures of the care pathway (issue 23), per patient and per clinic.

Each measure is a small pure function of one record and ``today`` with a stable id, a written
numerator and denominator and its source. A patient's result is one of:

- ``met``: the event happened inside the window (``days`` = days from the start event to it);
- ``not-met``: the event happened after the window, or has not happened and the window has
  passed (``days`` = days counted so far);
- ``pending``: no event yet and still inside the window (``days`` = days counted so far); a
  pending patient is neither met nor failed and is left out of the clinic's denominator;
- ``excluded``: a date the measure needs is missing (``reason`` says which); the patient
  leaves the denominator with that reason and never counts as met.

Days are calendar days from the start event (day 0) to the event: a window of 7 days is met
on day 7 and not met on day 8. The clinic's figure is met / (met + not met) with the 95 %
Wilson score interval [6], released only when the denominator holds at least ``k`` children
(the k-anonymity rule of :mod:`spasmcare.measures.deid` [7]: no group smaller than ``k`` is
shown); otherwise its counts are withheld.

"First standard therapy" is a treatment whose drug is a hormone (prednisolone,
ACTH/tetracosactide) or vigabatrin by :data:`spasmcare.measures.cohort.DRUG_CLASSES`. The
first treatment is the one the response measures judge
(:func:`spasmcare.measures.response.index_treatment`) with the treatments started with it;
"the next treatment" is any other drug course (not a continuation) or diet period started on
or after the day the first was judged to have failed (an add-on started before that day is not
counted as the next treatment).

References
----------
1. ASSIST study (Epilepsia 2017, PMID 29144248; AES 2016 abstract): 29 % of infants reached
   effective treatment within 1 week of onset. Treating within one week of onset is expert
   advice (AES press material 2024-12-09), not a guideline number (care-pathway.md §1,
   SECONDARY).
2. Mytinger JR, et al. 2019 (PMC9078213): after failure of the first treatment the second
   started within 14 days in 21 % (care-pathway.md §1, FIRM).
3. National Infantile Spasms Consortium (NISC) abstracts: response EEG 2-4 weeks after the
   start of treatment (care-pathway.md §1, SECONDARY).
4. NICE quality standard QS211 (Epilepsies in children, young people and adults), statement
   2: children meeting the criteria for urgent referral are seen by tertiary services within
   2 weeks; NICE NG217 1.3 (care-pathway.md §1, FIRM).
5. RCPCH Epilepsy12 audit, KPI 5: MRI within 6 weeks of request (rcpch-audit-engine
   ``documentation/docs/home/aims-and-kpis.md``; care-pathway.md §1, FIRM).
6. Wilson EB. Probable inference, the law of succession, and statistical inference. J Am
   Stat Assoc 1927;22(158):209-212; recommended for proportions by Newcombe RG. Stat Med
   1998;17(8):857-872.
7. Sweeney L. k-anonymity: a model for protecting privacy. Int J Uncertain Fuzziness Knowl
   Based Syst 2002;10(5):557-570 (as applied in spasmcare.measures.deid).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist
from typing import Any

from spasmcare.errors import InputError
from spasmcare.measures.cohort import DRUG_CLASSES, drug_word
from spasmcare.measures.deid import DEFAULT_K, check_k
from spasmcare.measures.response import index_treatment
from spasmcare.record.model import Record, Treatment

STATUSES: tuple[str, ...] = ("met", "not-met", "pending", "excluded")
#: Drug classes counted as first standard therapy (hormone or vigabatrin) [1].
STANDARD_CLASSES: frozenset[str] = frozenset({"prednisolone", "acth", "vigabatrin"})


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    numerator: str
    denominator: str
    window_days: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "window_days": self.window_days,
            "source": self.source,
        }


@dataclass(frozen=True)
class KpiResult:
    kpi: str
    status: str  # one of STATUSES
    days: int | None = None
    start: date | None = None
    event: date | None = None
    reason: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> KpiResult:
        """The result :meth:`to_dict` wrote (a stored per-patient summary)."""
        return cls(
            kpi=str(d["kpi"]),
            status=str(d["status"]),
            days=d.get("days"),
            start=date.fromisoformat(d["start"]) if d.get("start") else None,
            event=date.fromisoformat(d["event"]) if d.get("event") else None,
            reason=d.get("reason"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kpi": self.kpi,
            "status": self.status,
            "days": self.days,
            "start": self.start.isoformat() if self.start else None,
            "event": self.event.isoformat() if self.event else None,
            "reason": self.reason,
        }


ONSET_TO_THERAPY = Kpi(
    "onset-to-standard-therapy-7d",
    "Standard therapy within 7 days of spasm onset",
    "patients whose first hormone or vigabatrin course started 0-7 days after spasm onset",
    "patients with a recorded spasm onset whose window has closed or who have started "
    "standard therapy",
    7,
    "[1] ASSIST; expert advice, not a guideline number",
)
FAILURE_TO_NEXT = Kpi(
    "failure-to-next-treatment-14d",
    "Next treatment within 14 days of a failed first treatment",
    "patients whose next treatment started 0-14 days after the first was judged to have failed",
    "patients whose first treatment is recorded as failed (window closed or next started)",
    14,
    "[2] Mytinger 2019",
)
RESPONSE_EEG = Kpi(
    "response-eeg-day-14-28",
    "Response EEG on days 14-28 of the first course",
    "patients with an EEG 14-28 days after the start of their first treatment",
    "patients with a first treatment whose day 28 has passed or who had that EEG",
    28,
    "[3] NISC",
)
URGENT_REFERRAL = Kpi(
    "urgent-referral-seen-14d",
    "Urgent referral seen within 2 weeks",
    "urgently referred patients first seen by the epilepsy service 0-14 days after referral",
    "urgently referred patients whose window has closed or who have been seen",
    14,
    "[4] NICE QS211 statement 2",
)
MRI_WITHIN_6_WEEKS = Kpi(
    "mri-within-6-weeks",
    "MRI within 6 weeks of request",
    "patients whose MRI was done 0-42 days after it was requested",
    "patients with an MRI request whose window has closed or whose MRI was done",
    42,
    "[5] Epilepsy12 KPI 5",
)


def _window(
    kpi: Kpi, start: date | None, event: date | None, today: date, missing: str
) -> KpiResult:
    """The result of a "start -> event within ``kpi.window_days``" measure."""
    if start is None:
        return KpiResult(kpi.id, "excluded", reason=missing)
    if event is not None:
        days = (event - start).days
        status = "met" if days <= kpi.window_days else "not-met"
        return KpiResult(kpi.id, status, days, start, event)
    days = (today - start).days
    status = "pending" if days <= kpi.window_days else "not-met"
    return KpiResult(kpi.id, status, days, start)


def _is_standard(t: Treatment) -> bool:
    return DRUG_CLASSES.get(drug_word(t.drug)) in STANDARD_CLASSES


def onset_to_standard_therapy(record: Record, today: date) -> KpiResult:
    """Onset -> first hormone or vigabatrin course ≤ 7 days [1]."""
    onset = record.patient.onset_date
    starts = sorted(t.start for t in record.treatments if _is_standard(t))
    first = starts[0] if starts else None
    if onset is not None and first is not None and first < onset:
        return KpiResult(
            ONSET_TO_THERAPY.id,
            "excluded",
            reason="standard therapy recorded before the spasm onset date (check the dates)",
        )
    return _window(ONSET_TO_THERAPY, onset, first, today, "no spasm onset date recorded")


def _first_course(record: Record) -> tuple[Treatment, ...]:
    index = index_treatment(record)
    if index is None:
        return ()
    return tuple(t for t in record.treatments if t.continues is None and t.start == index.start)


def failure_to_next_treatment(record: Record, today: date) -> KpiResult:
    """First treatment judged failed -> next treatment ≤ 14 days [2]."""
    course = _first_course(record)
    if not course:
        return KpiResult(FAILURE_TO_NEXT.id, "excluded", reason="no treatment recorded")
    ids = {t.id for t in course}
    failures = [f.day for f in record.pathway.treatment_failures if f.treatment in ids]
    failed = min(failures) if failures else None
    nexts = [
        t.start
        for t in record.treatments
        if t.id not in ids and t.continues is None and failed is not None and t.start >= failed
    ]
    nexts += [d.start for d in record.diet_periods if failed is not None and d.start >= failed]
    return _window(
        FAILURE_TO_NEXT,
        failed,
        min(nexts) if nexts else None,
        today,
        "first treatment not recorded as failed",
    )


def response_eeg(record: Record, today: date) -> KpiResult:
    """An EEG 14-28 days after the start of the first treatment [3]."""
    index = index_treatment(record)
    if index is None:
        return KpiResult(RESPONSE_EEG.id, "excluded", reason="no treatment recorded")
    start = index.start
    low = 14
    inside = sorted(e.day for e in record.eegs if low <= (e.day - start).days <= 28)
    if inside:
        return KpiResult(RESPONSE_EEG.id, "met", (inside[0] - start).days, start, inside[0])
    return _window(RESPONSE_EEG, start, None, today, "")


def urgent_referral_seen(record: Record, today: date) -> KpiResult:
    """Urgent referral -> first seen by the epilepsy service ≤ 14 days [4]."""
    referral = record.pathway.referral
    if referral is None:
        return KpiResult(URGENT_REFERRAL.id, "excluded", reason="no referral recorded")
    if referral.urgency != "urgent":
        return KpiResult(
            URGENT_REFERRAL.id, "excluded", reason="routine referral (the measure counts urgent)"
        )
    return _window(URGENT_REFERRAL, referral.day, record.pathway.first_seen, today, "")


def mri_within_6_weeks(record: Record, today: date) -> KpiResult:
    """MRI request -> MRI done ≤ 42 days [5]."""
    mri = record.pathway.mri
    requested = mri.requested if mri else None
    done = mri.done if mri else None
    return _window(MRI_WITHIN_6_WEEKS, requested, done, today, "no MRI request recorded")


#: Every measure in display order: (definition, function).
KPIS: tuple[tuple[Kpi, Callable[[Record, date], KpiResult]], ...] = (
    (ONSET_TO_THERAPY, onset_to_standard_therapy),
    (URGENT_REFERRAL, urgent_referral_seen),
    (MRI_WITHIN_6_WEEKS, mri_within_6_weeks),
    (RESPONSE_EEG, response_eeg),
    (FAILURE_TO_NEXT, failure_to_next_treatment),
)


def patient_kpis(record: Record, today: date) -> list[KpiResult]:
    """Every measure for one record, in :data:`KPIS` order."""
    return [fn(record, today) for _, fn in KPIS]


# --- clinic figures ------------------------------------------------------------------------


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``successes``/``n`` [6]."""
    if n <= 0 or not 0 <= successes <= n:
        raise InputError("n", n, f"a positive count of at least successes ({successes})")
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ClinicKpi:
    kpi: Kpi
    met: int
    not_met: int
    pending: int
    excluded: dict[str, int] = field(default_factory=dict)
    k: int = DEFAULT_K

    @property
    def denominator(self) -> int:
        return self.met + self.not_met

    @property
    def released(self) -> bool:
        """The k-anonymity rule [7]: the denominator holds at least ``k`` children."""
        return self.denominator >= max(self.k, 1)

    def to_dict(self) -> dict[str, Any]:
        """The released figure: counts, rate and interval only when :attr:`released`."""
        out: dict[str, Any] = {
            "id": self.kpi.id,
            "title": self.kpi.title,
            "definition": self.kpi.to_dict(),
            "k": self.k,
            "released": self.released,
        }
        if not self.released:
            out["withheld"] = (
                "no child counted yet"
                if self.denominator == 0
                else f"fewer than {self.k} children in the denominator"
            )
            return out
        low, high = wilson_interval(self.met, self.denominator)
        out.update(
            numerator=self.met,
            denominator=self.denominator,
            rate=self.met / self.denominator,
            ci95_low=low,
            ci95_high=high,
            pending=self.pending,
            excluded=sum(self.excluded.values()),
        )
        return out


def clinic_kpis(records: Iterable[Record], today: date, k: int = DEFAULT_K) -> list[ClinicKpi]:
    """Every measure over the clinic's records (see :class:`ClinicKpi` for the release)."""
    return clinic_kpis_of_results((patient_kpis(record, today) for record in records), k)


def clinic_kpis_of_results(
    per_patient: Iterable[Iterable[KpiResult]], k: int = DEFAULT_K
) -> list[ClinicKpi]:
    """:func:`clinic_kpis` from each patient's :func:`patient_kpis` results computed before
    (the web app stores them with each patient's summary)."""
    check_k(k, "children")
    counts: dict[str, Counter[str]] = {kpi.id: Counter() for kpi, _ in KPIS}
    reasons: dict[str, Counter[str]] = {kpi.id: Counter() for kpi, _ in KPIS}
    for results in per_patient:
        for result in results:
            counts[result.kpi][result.status] += 1
            if result.status == "excluded":
                reasons[result.kpi][result.reason or "excluded"] += 1
    return [
        ClinicKpi(
            kpi,
            counts[kpi.id]["met"],
            counts[kpi.id]["not-met"],
            counts[kpi.id]["pending"],
            dict(reasons[kpi.id]),
            k,
        )
        for kpi, _ in KPIS
    ]


def pathway_report(record: Record, today: date) -> dict[str, Any]:
    """The ``pathway`` key of the patient report: each measure's definition and result, and
    the etiology work-up checklist in the NISC order (no pyridoxine trial: a clinic setting)."""
    from spasmcare.measures.workup import workup_checklist

    results = {r.kpi: r for r in patient_kpis(record, today)}
    return {
        "workup": [item.to_dict() for item in workup_checklist(record)],
        "kpis": [
            {"title": kpi.title, "definition": kpi.to_dict(), **results[kpi.id].to_dict()}
            for kpi, _ in KPIS
        ],
    }
