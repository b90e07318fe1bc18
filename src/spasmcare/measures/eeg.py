"""EEG scores for infantile spasms: the Kramer hypsarrhythmia scale and the BASED score.

Only what the reference gives is encoded. The exact point definitions of each Kramer item
(µV and % cut-offs) and the original 2015 BASED grades were NOT FOUND; the disputed Kramer
maximum and outcome cut-off are options.

References
----------
1. Kramer U, Sue WC, Mikati MA. Hypsarrhythmia: frequency of variant patterns and correlation
   with etiology and outcome. 1997 (believed Neurology 48(1):197-203; VERIFY journal). Severity
   features: disorganisation, delta slowing, high amplitude, spikes; eight variants recorded as
   present/absent; better outcome with < 75 % delta, total ≤ 10 and no electrodecremental
   discharges (drug-protocols.md §5.1).
2. Kulandaivel K, et al. AES 2008 abstract 2.033: disorganisation, delta activity, amplitude,
   spikes and other abnormalities scored 0-3 each; a total above 9 is "usually unequivocal
   hypsarrhythmia" (drug-protocols.md §5.1).
3. Pediatric Neurology Briefs summary: "16 most severe, 0 normal" and outcome cut-off < 10;
   conflicts with 5 items × 3 = 15 and with ≤ 10 of [1] (drug-protocols.md §5.1).
4. Mytinger JR, et al. BASED score, 2021 version (medicalcriteria.com/web/spasms-and-west/):
   grades 0-5, grade 4 probable and grade 5 definite epileptic encephalopathy; grades 3-5 from
   the most epileptic 5-minute epoch (drug-protocols.md §5.2).
5. Wan L, et al. (pure.bit.edu.cn): a BASED score ≥ 3 after ACTH was followed by relapse in
   89.3 % (64 children, 37 relapsed within 12 months) (drug-protocols.md §5.2). The finding
   is about EEGs after ACTH and before relapse: it says nothing of other drugs, of the
   ketogenic diet, or of an EEG taken once spasms have returned.
6. Zhang Y, Yu L, Zhou Y, Zhang L, Wang Y, Zhou S. Clin Neurol Neurosurg 2019;184:105402:
   "Patients with a hypsarrhythmia score ≥ 8 at 3 months of therapy may not be benefited from
   KD" (39 children). Which scale gave the score (Kramer?) is NOT confirmed
   (drug-protocols.md §5.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.measures.diary import MeasureResult, add_months
from spasmcare.plain import day_text
from spasmcare.record.model import DietPeriod, Eeg, Record, kramer_item_sum

# The Kramer items and variants are named once, in spasmcare.record.model (KRAMER_ITEMS,
# KRAMER_VARIANTS), where the record and these scores both read them.

BASED_LABELS: dict[int, str] = {
    0: "normal",
    1: "definite non-epileptiform abnormality",
    2: "< 3 spike foci, no abnormal high-amplitude channel",
    3: "≥ 3 foci in < 50 % of bins without high amplitude, or < 3 foci with high amplitude",
    4: "probable epileptic encephalopathy",
    5: "definite epileptic encephalopathy",
}

SRC_KRAMER = "Kramer 1997 (items 0-3 each per Kulandaivel, AES 2008); maximum 15 vs 16 disputed"
SRC_BASED = "Mytinger, BASED score 2021 version (medicalcriteria.com)"
SRC_ZHANG = (
    "Zhang 2019, Clin Neurol Neurosurg 184:105402: hypsarrhythmia score ≥ 8 at "
    "3 months of KD — may not benefit (scale not confirmed: VERIFY)"
)
SRC_WAN = "Wan et al.: BASED ≥ 3 after ACTH followed by relapse in 89.3 % (64 children)"


@dataclass(frozen=True)
class EegOptions:
    """Configurable EEG rules; every default with its reason.

    Attributes
    ----------
    kramer_max_total : int
        Highest total accepted: 16 (default, the published summary [3]) so that no reported
        score is rejected, though five items × 3 make 15 [2].
    kramer_favourable_max : int
        Totals up to this are the better-outcome group: 10 (Kramer abstract "≤ 10" [1]); the
        PNB summary says "< 10" [3], i.e. 9.
    kramer_hyps_above : int or None
        Infer hypsarrhythmia from a Kramer total above this when the EEG report does not say:
        ``None`` (default: never infer; [2] says a total above 9 is "usually" unequivocal).
    based_hyps_from : int or None
        Infer hypsarrhythmia from a BASED grade at or above this when the report does not say:
        ``None`` (default: the 2021 table does not use the word hypsarrhythmia [4]).
    based_relapse_from : int
        BASED grade after ACTH from which relapse risk is flagged: 3 [5].
    based_relapse_drugs : tuple of str
        First words (lower case) of the drug names that count as ACTH for that flag [5]:
        ACTH and its brand/generic names, and tetracosactide (synthetic ACTH 1-24), as the
        cohort groups them; the reference does not say whether Wan's cohort included
        tetracosactide, so a clinic may narrow this to natural ACTH only.
    kd_score_cutoff : int
        Hypsarrhythmia score at 3 months of diet flagged as poor outcome likely: 8 [6].
    kd_eeg_tolerance_days : int
        How far from the 3-month date an EEG still counts for the flag: 14 days (software
        default, not from a source; [6] does not give one).
    """

    kramer_max_total: int = 16
    kramer_favourable_max: int = 10
    kramer_hyps_above: int | None = None
    based_hyps_from: int | None = None
    based_relapse_from: int = 3
    based_relapse_drugs: tuple[str, ...] = (
        "acth",
        "acthar",
        "corticotropin",
        "tetracosactide",
        "tetracosactrin",
        "cosyntropin",
        "synacthen",
    )
    kd_score_cutoff: int = 8
    kd_eeg_tolerance_days: int = 14

    def __post_init__(self) -> None:
        if self.kramer_max_total not in (15, 16):
            raise InputError("kramer_max_total", self.kramer_max_total, "15 or 16")


DEFAULT_EEG = EegOptions()


def kramer_total(items: dict[str, int], options: EegOptions = DEFAULT_EEG) -> int:
    """Total of the five Kramer items, each 0-3 [1, 2], at most ``kramer_max_total``."""
    total = kramer_item_sum(items)
    if total > options.kramer_max_total:
        raise InputError("kramer.total", total, f"at most {options.kramer_max_total}")
    return total


def kramer_favourable(total: int, options: EegOptions = DEFAULT_EEG) -> bool:
    """Kramer total in the better-outcome group (≤ ``kramer_favourable_max``) [1, 3]."""
    if not 0 <= total <= options.kramer_max_total:
        raise InputError("kramer.total", total, f"a score from 0 to {options.kramer_max_total}")
    return total <= options.kramer_favourable_max


def based_grade(
    spike_foci: int,
    spike_bins_half_or_more: bool = False,
    high_amplitude_channels: int = 0,
    grouped_multifocal_or_attenuations: bool = False,
    non_epileptiform_abnormality: bool = False,
) -> int:
    """BASED grade 0-5 from the features of the 2021 table [4].

    Parameters
    ----------
    spike_foci : int
        Number of distinct spike foci (either or both hemispheres; midline counts).
    spike_bins_half_or_more : bool
        Spikes in ≥ 50 % of 1-s bins (≥ 10 of twenty 15-s pages each with ≥ 8/15 bins).
    high_amplitude_channels : int
        Channels with abnormal high amplitude (longitudinal bipolar, peak to peak).
    grouped_multifocal_or_attenuations : bool
        Grouped multifocal spikes or paroxysmal voltage attenuations.
    non_epileptiform_abnormality : bool
        Any definite non-epileptiform abnormality.
    """
    if spike_foci < 0 or high_amplitude_channels < 0:
        raise InputError("based", (spike_foci, high_amplitude_channels), "counts of 0 or more")
    many_foci = spike_foci >= 3
    high = high_amplitude_channels >= 1
    if many_foci and spike_bins_half_or_more:
        return 5
    if (many_foci and high) or grouped_multifocal_or_attenuations:
        return 4
    if many_foci or high:
        return 3
    if spike_foci >= 1:
        return 2
    return 1 if non_epileptiform_abnormality else 0


def hypsarrhythmia_present(eeg: Eeg, options: EegOptions = DEFAULT_EEG) -> bool | None:
    """Hypsarrhythmia on ``eeg``: the report's yes/no; else inferred only if an option says so."""
    if eeg.hypsarrhythmia is not None:
        return eeg.hypsarrhythmia
    total = eeg.kramer.total if eeg.kramer else None
    if options.kramer_hyps_above is not None and total is not None:
        return total > options.kramer_hyps_above
    if options.based_hyps_from is not None and eeg.based_grade is not None:
        return eeg.based_grade >= options.based_hyps_from
    return None


def _drug_word(drug: str) -> str:
    word = drug.strip().lower().replace("(", " ").split()
    return word[0] if word else ""


def based_relapse_flag(
    record: Record,
    eeg: Eeg,
    relapse_date: date | None = None,
    options: EegOptions = DEFAULT_EEG,
) -> str | None:
    """The relapse-risk message for a BASED grade ≥ ``based_relapse_from`` [5], or ``None``.

    Raised only where the finding applies: the EEG is dated after the start of an ACTH course
    (``based_relapse_drugs``), is not taken during a ketogenic diet period, and is not taken
    at or after a relapse (``relapse_date``: the first day of spasms again after a
    remission; an EEG then describes the relapse, it does not predict it).
    """
    if eeg.based_grade is None or eeg.based_grade < options.based_relapse_from:
        return None
    acth = sorted(
        (
            t
            for t in record.treatments
            if t.start < eeg.day and _drug_word(t.drug) in options.based_relapse_drugs
        ),
        key=lambda t: t.start,
    )
    if not acth:
        return None
    for d in record.diet_periods:
        if d.start <= eeg.day and (d.stop is None or eeg.day <= d.stop):
            return None
    if relapse_date is not None and eeg.day >= relapse_date:
        return None
    return (
        f"BASED {eeg.based_grade} ≥ {options.based_relapse_from} after ACTH "
        f"({acth[-1].drug}, started {day_text(acth[-1].start)}): relapse followed in 89.3 % "
        "(Wan et al.)"
    )


def eeg_rows(
    record: Record, options: EegOptions = DEFAULT_EEG, relapse_date: date | None = None
) -> list[dict[str, Any]]:
    """One row per EEG: scores, labels, flags (for the report). ``relapse_date`` (the relapse
    found by the response measures, if any) keeps the BASED relapse flag off EEGs taken at or
    after it (:func:`based_relapse_flag`)."""
    rows = []
    for eeg in sorted(record.eegs, key=lambda e: e.day):
        total = eeg.kramer.total if eeg.kramer else None
        flags = []
        if total is not None and not kramer_favourable(total, options):
            flags.append(
                f"Kramer total {total} > {options.kramer_favourable_max}: the "
                "worse-outcome group in Kramer 1997"
            )
        variants = eeg.kramer.variants if eeg.kramer else {}
        if variants.get("electrodecremental_discharges"):
            flags.append("electrodecremental discharges: went with worse outcome (Kramer 1997)")
        based_flag = based_relapse_flag(record, eeg, relapse_date, options)
        if based_flag:
            flags.append(based_flag)
        rows.append(
            {
                "date": eeg.day,
                "hypsarrhythmia": hypsarrhythmia_present(eeg, options),
                "kramer_total": total,
                "kramer_items": dict(eeg.kramer.items) if eeg.kramer else {},
                "kramer_variants": [k for k, v in variants.items() if v],
                "kramer_favourable": kramer_favourable(total, options)
                if total is not None
                else None,
                "based_grade": eeg.based_grade,
                "based_label": BASED_LABELS.get(eeg.based_grade)
                if eeg.based_grade is not None
                else None,
                "report": eeg.report,
                "flags": flags,
            }
        )
    return rows


def kd_hypsarrhythmia_score_3m(
    record: Record, diet: DietPeriod, options: EegOptions = DEFAULT_EEG
) -> MeasureResult:
    """Flag "hypsarrhythmia score ≥ 8 at 3 months of ketogenic diet: poor outcome likely,
    consider alternatives" [6].

    Uses the Kramer total of the EEG nearest the 3-month date, within
    ``kd_eeg_tolerance_days``. ``met`` = the flag is raised.
    """
    when = add_months(diet.start, 3)
    tol = timedelta(days=options.kd_eeg_tolerance_days)
    near = sorted(
        (
            e
            for e in record.eegs
            if e.kramer
            and e.kramer.total is not None
            and abs(e.day - when) <= tol
            and e.day >= diet.start
        ),
        key=lambda e: (abs(e.day - when), e.day),
    )
    label = f"Hypsarrhythmia score ≥ {options.kd_score_cutoff} at 3 months of diet"
    common: dict[str, Any] = {
        "key": "kd_hypsarrhythmia_score_3m",
        "label": label,
        "source": SRC_ZHANG,
        "window": (when - tol, when + tol),
        "met_is_favourable": False,
    }  # met = the poor-outcome flag
    if diet.stop is not None and diet.stop < when:
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            reason=f"diet stopped on {diet.stop}",
            details={"diet": diet.id},
        )
    if not near:
        return MeasureResult(
            **common,
            status="not assessable",
            value=None,
            reason=f"no scored EEG within {options.kd_eeg_tolerance_days} days of {when}",
            details={"diet": diet.id},
        )
    eeg = near[0]
    total = eeg.kramer.total if eeg.kramer else None
    assert total is not None
    flagged = total >= options.kd_score_cutoff
    reason = f"Kramer total {total} on {eeg.day}: " + (
        "poor outcome on the diet likely — consider alternatives"
        if flagged
        else f"below {options.kd_score_cutoff}"
    )
    return MeasureResult(
        **common,
        status="met" if flagged else "not met",
        value=total,
        days_used=(eeg.day,),
        reason=reason,
        details={
            "diet": diet.id,
            "eeg_date": eeg.day,
            "flag": flagged,
            "scale_note": "scale of Zhang 2019 not confirmed (VERIFY)",
        },
    )
