"""The first seizure of another kind after the spasms stopped.

Many children with infantile spasms later have other seizure types; studies of IESS treatment
report the "subsequent development of other seizure types" as an outcome [3]. The record keeps
those seizures apart from the spasm diary (``Record.other_seizures``, ILAE 2017 basic types
[1]; :mod:`spasmcare.record.seizures`), so no spasm measure changes when one is entered.

Definition (:func:`first_other_seizure_after_cessation`): spasm cessation is the first day of
the first run of ``confirm_days`` recorded spasm-free days after the treatment's start, exactly
as :func:`spasmcare.measures.response.time_to_spasm_cessation` measures it [2]; the measure is
the first other seizure (any ILAE 2017 type [1]) on or after that day: its date-time, its type
and the number of days from the cessation day to the seizure's day (0 = the same day).

References
----------
1. Fisher RS, Cross JH, French JA, et al. Operational classification of seizure types by the
   International League Against Epilepsy. Epilepsia 2017;58(4):522-530 (doi 10.1111/epi.13670).
2. Cessation of spasms: AAN/CNS 2004 outcome (Mackay MT, et al. Neurology 2004;62:1668-81),
   confirmed by a 7-day spasm-free run as in Elterman 2001 (Neurology 57:1416-21); see
   :mod:`spasmcare.measures.response`, references 4 and 12.
3. Auvichayapat N, et al. Treatment of infantile spasms with sodium valproate followed by
   benzodiazepines. J Med Assoc Thai (PMID 17957923, abstract): outcomes included cessation of
   spasms and the subsequent development of other seizure types.
"""

from __future__ import annotations

from spasmcare.measures.diary import MeasureResult, treatment_day
from spasmcare.measures.response import DEFAULT, ResponseOptions, time_to_spasm_cessation
from spasmcare.plain import day_text
from spasmcare.record.model import Record, Treatment

KEY = "first_other_seizure_after_cessation"
SOURCE = (
    "First seizure of another ILAE 2017 type (Fisher, Epilepsia 2017;58:522-30) on or after "
    "spasm cessation (AAN/CNS 2004 outcome, confirmed by a 7-day spasm-free run as in Elterman "
    "2001); outcome 'subsequent development of other seizure types' (PMID 17957923)"
)


def first_other_seizure_after_cessation(
    record: Record,
    treatment: Treatment,
    options: ResponseOptions = DEFAULT,
    cessation: MeasureResult | None = None,
) -> MeasureResult:
    """The first other seizure on or after spasm cessation under ``treatment``.

    ``met`` (bad news, ``met_is_favourable`` False) with ``value`` = days from the cessation day
    to the seizure's day and ``details`` {date, at, type, type_label, cessation_date,
    days_after_cessation}; ``not met`` when no other seizure is recorded from the cessation day
    on; ``not assessable`` when the spasms have not been seen to stop. ``cessation``: the
    :func:`time_to_spasm_cessation` result when the caller has it already.
    """
    label = "First other seizure after spasm cessation"
    stopped = cessation or time_to_spasm_cessation(record, treatment, options)
    if stopped.status != "measured":
        return MeasureResult(
            key=KEY,
            label=label,
            status="not assessable",
            value=None,
            source=SOURCE,
            reason=f"the spasms have not been seen to stop ({stopped.reason})",
            met_is_favourable=False,
        )
    n = int(stopped.details["cessation_day"])
    ceased = treatment_day(treatment.start, n, options.first_day_number)
    after = sorted(
        (s for s in record.other_seizures if s.day >= ceased), key=lambda s: (s.at, s.type)
    )
    if not after:
        return MeasureResult(
            key=KEY,
            label=label,
            status="not met",
            value=None,
            source=SOURCE,
            window=(ceased, max(ceased, stopped.window[1] if stopped.window else ceased)),
            reason=f"no other seizure recorded since the spasms stopped on {day_text(ceased)}",
            details={"treatment": treatment.id, "cessation_date": ceased},
            met_is_favourable=False,
        )
    first = after[0]
    days = (first.day - ceased).days
    return MeasureResult(
        key=KEY,
        label=label,
        status="met",
        value=days,
        source=SOURCE,
        window=(ceased, first.day),
        days_used=(ceased, first.day),
        reason=(
            f"{first.label} on {day_text(first.day)}, {days} days after the spasms stopped "
            f"on {day_text(ceased)}"
        ),
        details={
            "treatment": treatment.id,
            "date": first.day,
            "at": first.at,
            "type": first.type,
            "type_label": first.label,
            "cessation_date": ceased,
            "days_after_cessation": days,
        },
        met_is_favourable=False,
    )
