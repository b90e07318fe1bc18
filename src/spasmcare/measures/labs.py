"""Labs and ketosis: configurable target ranges, each alert with its source and an action.

Cut-offs the reference does not give (acidosis by bicarbonate, lipids) have no default: they
are listed as "not configured" until a clinic sets them, rather than using an invented value.

References
----------
1. NHS "Ketogenic Guide for General Critical Care" (adapted from Nottingham), docslib.org:
   target blood β-hydroxybutyrate 2-5 mmol/L, > 5 hyperketosis symptoms; target glucose
   3-5 mmol/L, ≤ 2.5 mmol/L hypoglycaemia symptoms (keto-therapy.md §2.3).
2. NHS GGC "Ketogenic diet: inpatient and illness protocol": blood BHB > 6 mmol/L is high;
   treat with 30 mL fruit juice, or 30 mL water with 5 g Maxijul, recheck in 15-20 minutes
   (keto-therapy.md §2.3).
3. Dressler A, et al. Breastfeed Med 2020;15(2):72-78: clinically relevant ketosis in infants
   = BHB ≥ 2 mmol/L, reached after 41 h (standard KD) and 47 h (with breast milk)
   (keto-therapy.md §2.2-2.3).
4. Textbook page mirrored at vertigoexercises.us (book not identified): glucose below
   50 mg/dL treated with 15-30 mL apple juice, IV glucose 0.25 g/kg if oral treatment is not
   possible, recheck in 30-60 min (keto-therapy.md §2.3).
5. Sargent JD, Stukel TA, Kresel J, Klein RZ. Normal values for random urinary calcium to
   creatinine ratios in infancy. J Pediatr 1993 (stored copy c.coek.info). 95th centiles of the
   molar ratio: < 7 months 2.42; 7-18 months 1.69; 19 months-6 years 1.18 mmol/mmol.
6. Sydney Children's Hospitals Network, KD "Initial screening and monitoring": electrolytes
   for low HCO3; fasting lipids for raised triglycerides and cholesterol; urinalysis and urine
   calcium for renal-stone risk (keto-therapy.md §2.4). No numeric cut-offs given.
7. Front Neurol 2023;14:1215618 Table 3: potassium citrate and hydration to prevent kidney
   stones (keto-therapy.md §2.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from spasmcare.growth import DAYS_PER_MONTH
from spasmcare.record.model import LabResult, Record
from spasmcare.record.units import ANALYTES

SRC_BHB = "NHS critical-care KD guide: target BHB 2-5 mmol/L, > 5 hyperketosis symptoms"
SRC_BHB_HIGH = "NHS GGC KD inpatient & illness protocol: BHB > 6 mmol/L high"
SRC_BHB_LOW = "Dressler 2020, Breastfeed Med 15:72-8: relevant ketosis in infants BHB ≥ 2 mmol/L"
SRC_GLUCOSE = "NHS critical-care KD guide: glucose ≤ 2.5 mmol/L hypoglycaemia"
SRC_UCACR = "Sargent 1993, J Pediatr: 95th centile of urine Ca/Cr for age"

#: (upper age [months], 95th centile of urine Ca/Cr [mmol/mmol]) [5]. Older: not covered.
UCACR_P95_BY_AGE: tuple[tuple[float, float], ...] = ((7.0, 2.42), (19.0, 1.69), (84.0, 1.18))


@dataclass(frozen=True)
class LabThresholds:
    """Alert cut-offs in SI units; defaults with their source, ``None`` = not configured.

    Attributes
    ----------
    bhb_target_low_mmol_l : float
        2.0 [1, 3]. Below it on a diet: "below target".
    bhb_target_high_mmol_l : float
        5.0 [1]. Above it: hyperketosis symptoms possible.
    bhb_high_mmol_l : float
        6.0 [2]. Above it: treat as high ketones.
    glucose_low_mmol_l : float
        2.5 [1] (at or below). The Front Neurol 2023 table uses < 45 mg/dL (2.5 mmol/L).
    bicarbonate_low_mmol_l : float or None
        Acidosis. NOT FOUND in the reference [6]: ``None`` until set locally.
    total_cholesterol_high_mmol_l, triglycerides_high_mmol_l : float or None
        NOT FOUND in the reference [6]: ``None`` until set locally.
    ucacr_p95_by_age : tuple
        Hypercalciuria = urine Ca/Cr above the 95th centile for age [5].
    bhb_low_grace_days : int
        Days from the diet start before a low BHB is alerted: 2, because infants reached
        BHB ≥ 2 mmol/L after a median 41-47 hours [3].
    """

    bhb_target_low_mmol_l: float = 2.0
    bhb_target_high_mmol_l: float = 5.0
    bhb_high_mmol_l: float = 6.0
    glucose_low_mmol_l: float = 2.5
    bicarbonate_low_mmol_l: float | None = None
    total_cholesterol_high_mmol_l: float | None = None
    triglycerides_high_mmol_l: float | None = None
    ucacr_p95_by_age: tuple[tuple[float, float], ...] = UCACR_P95_BY_AGE
    bhb_low_grace_days: int = 2


DEFAULT_LABS = LabThresholds()


@dataclass(frozen=True)
class Alert:
    """One out-of-range result with what to do; ``severity`` is ``urgent`` or ``review``."""

    kind: str
    severity: str
    at: Any
    analyte: str
    value: float
    unit: str
    message: str
    action: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "at": self.at.isoformat() if hasattr(self.at, "isoformat") else self.at,
            "analyte": self.analyte,
            "value": round(self.value, 3),
            "unit": self.unit,
            "message": self.message,
            "action": self.action,
            "source": self.source,
        }


def _on_diet(record: Record, day: date, grace_days: int = 0) -> bool:
    """``day`` falls in a diet period, at least ``grace_days`` after its start."""
    return any(
        (day - d.start).days >= grace_days and (d.stop is None or day <= d.stop)
        for d in record.diet_periods
    )


def ucacr_upper(age_months: float, thresholds: LabThresholds = DEFAULT_LABS) -> float | None:
    """95th centile of urine Ca/Cr [mmol/mmol] for the age, or ``None`` beyond the table [5]."""
    for upper_age, value in thresholds.ucacr_p95_by_age:
        if age_months < upper_age:
            return value
    return None


def urine_ca_cr_ratios(record: Record) -> list[LabResult]:
    """Urine Ca/Cr results: those entered, plus those computed from a urine calcium and a
    urine creatinine taken at the same time (both in mmol/L)."""
    out = [x for x in record.labs if x.analyte == "urine_calcium_creatinine_ratio"]
    have = {x.at for x in out}
    creat = {x.at: x for x in record.labs if x.analyte == "urine_creatinine" and x.value_si > 0}
    for x in record.labs:
        if x.analyte == "urine_calcium" and x.at in creat and x.at not in have:
            ratio = x.value_si / creat[x.at].value_si
            out.append(
                LabResult(
                    at=x.at,
                    analyte="urine_calcium_creatinine_ratio",
                    value=ratio,
                    unit="mmol/mmol",
                    value_si=ratio,
                    unit_si="mmol/mmol",
                    name="computed from urine calcium and creatinine",
                )
            )
    return sorted(out, key=lambda x: x.at)


def _bhb_alert(record: Record, x: LabResult, t: LabThresholds) -> Alert | None:
    """A β-hydroxybutyrate above the urgent limit, above the target, or below it on the diet."""
    v, unit = x.value_si, x.unit_si
    if v > t.bhb_high_mmol_l:
        return Alert(
            "bhb_high",
            "urgent",
            x.at,
            x.analyte,
            v,
            unit,
            f"β-hydroxybutyrate {v:.1f} mmol/L, above {t.bhb_high_mmol_l:g}",
            "High ketones: assess the infant now. The NHS GGC protocol gives 30 mL "
            "fruit juice (or 30 mL water with 5 g Maxijul) and a recheck after 15-20 "
            "minutes; tell the ketogenic team.",
            SRC_BHB_HIGH,
        )
    if v > t.bhb_target_high_mmol_l:
        return Alert(
            "bhb_above_target",
            "review",
            x.at,
            x.analyte,
            v,
            unit,
            f"β-hydroxybutyrate {v:.1f} mmol/L, above the "
            f"{t.bhb_target_low_mmol_l:g}-{t.bhb_target_high_mmol_l:g} target",
            "Watch for hyperketosis (lethargy, vomiting, fast breathing), recheck, and "
            "review the ratio with the dietitian.",
            SRC_BHB,
        )
    if v < t.bhb_target_low_mmol_l and _on_diet(record, x.day, t.bhb_low_grace_days):
        return Alert(
            "bhb_below_target",
            "review",
            x.at,
            x.analyte,
            v,
            unit,
            f"β-hydroxybutyrate {v:.1f} mmol/L on the diet, below {t.bhb_target_low_mmol_l:g}",
            "Ketosis below target: check adherence, hidden carbohydrate (medicines, "
            "feeds) and the prescribed ratio with the ketogenic team.",
            SRC_BHB_LOW,
        )
    return None


def _chemistry_alert(x: LabResult, t: LabThresholds) -> Alert | None:
    """A low glucose, a low bicarbonate or raised lipids (the last two only with a local
    cut-off)."""
    v, unit = x.value_si, x.unit_si
    if x.analyte == "glucose" and v <= t.glucose_low_mmol_l:
        return Alert(
            "glucose_low",
            "urgent",
            x.at,
            x.analyte,
            v,
            unit,
            f"glucose {v:.1f} mmol/L, at or below {t.glucose_low_mmol_l:g}",
            "Hypoglycaemia: check the infant now and follow the local protocol. Sources "
            "quote 15-30 mL apple or orange juice by mouth, IV glucose 0.25 g/kg when oral "
            "treatment is not possible, and a recheck.",
            SRC_GLUCOSE,
        )
    if (
        x.analyte == "bicarbonate"
        and t.bicarbonate_low_mmol_l is not None
        and v < t.bicarbonate_low_mmol_l
    ):
        return Alert(
            "acidosis",
            "review",
            x.at,
            x.analyte,
            v,
            unit,
            f"bicarbonate {v:.1f} mmol/L, below the local cut-off {t.bicarbonate_low_mmol_l:g}",
            "Possible metabolic acidosis: check a blood gas, hydration and drugs that "
            "lower bicarbonate (e.g. topiramate), and discuss citrate/bicarbonate with "
            "the team.",
            "local cut-off (no sourced value)",
        )
    if x.analyte in ("total_cholesterol", "triglycerides"):
        limit = (
            t.total_cholesterol_high_mmol_l
            if x.analyte == "total_cholesterol"
            else t.triglycerides_high_mmol_l
        )
        if limit is not None and v > limit:
            return Alert(
                f"{x.analyte}_high",
                "review",
                x.at,
                x.analyte,
                v,
                unit,
                f"{ANALYTES[x.analyte].label} {v:.2f} mmol/L, above the local cut-off {limit:g}",
                "Raised lipids on the diet: repeat fasting, and review the fat sources "
                "with the dietitian.",
                "local cut-off (no sourced value)",
            )
    return None


def _ucacr_alerts(record: Record, t: LabThresholds) -> list[Alert]:
    """Every urine calcium/creatinine ratio above the 95th centile for the age."""
    alerts: list[Alert] = []
    birth = record.patient.birth_date
    for x in urine_ca_cr_ratios(record):
        age_months = (x.day - birth).days / DAYS_PER_MONTH
        upper = ucacr_upper(age_months, t)
        if upper is not None and x.value_si > upper:
            alerts.append(
                Alert(
                    "hypercalciuria",
                    "review",
                    x.at,
                    "urine_calcium_creatinine_ratio",
                    x.value_si,
                    "mmol/mmol",
                    f"urine Ca/Cr {x.value_si:.2f} mmol/mmol, above the 95th centile for "
                    f"{age_months:.0f} months ({upper:g})",
                    "Possible hypercalciuria: repeat on a fresh spot urine, check hydration, and "
                    "discuss potassium citrate and a renal ultrasound if stones are suspected.",
                    SRC_UCACR,
                )
            )
    return alerts


def lab_alerts(record: Record, thresholds: LabThresholds = DEFAULT_LABS) -> list[Alert]:
    """Alerts for every lab result outside its configured range, in time order."""
    alerts: list[Alert] = []
    for x in sorted(record.labs, key=lambda x: x.at):
        if x.analyte == "bhb":
            alert = _bhb_alert(record, x, thresholds)
        else:
            alert = _chemistry_alert(x, thresholds)
        if alert is not None:
            alerts.append(alert)
    alerts += _ucacr_alerts(record, thresholds)
    return sorted(alerts, key=lambda a: (str(a.at), a.kind))


#: The lab alerts that stay off until a clinic sets a cut-off (no sourced one), by setting.
UNSOURCED_ALERTS: dict[str, str] = {
    "bicarbonate_low_mmol_l": "acidosis (low bicarbonate)",
    "total_cholesterol_high_mmol_l": "high total cholesterol",
    "triglycerides_high_mmol_l": "high triglycerides",
}


def not_configured(thresholds: LabThresholds = DEFAULT_LABS) -> list[str]:
    """The alerts switched off because the reference gives no cut-off (in the report's JSON,
    naming the setting; the HTML page names only the alert, from :data:`UNSOURCED_ALERTS`)."""
    return [
        f"{label}: no sourced cut-off; set {name} locally"
        for name, label in UNSOURCED_ALERTS.items()
        if getattr(thresholds, name) is None
    ]


def lab_rows(record: Record) -> list[dict[str, Any]]:
    """Every lab result, as entered and in SI units, in time order (computed Ca/Cr included)."""
    computed = [x for x in urine_ca_cr_ratios(record) if x.name and x.name.startswith("computed")]
    rows = []
    for x in sorted([*record.labs, *computed], key=lambda x: (x.at, x.analyte)):
        label = x.name if x.analyte == "other" else ANALYTES[x.analyte].label
        rows.append(
            {
                "at": x.at.isoformat(timespec="minutes"),
                "analyte": x.analyte,
                "label": label,
                "value": x.value,
                "unit": x.unit,
                "value_si": round(x.value_si, 3),
                "unit_si": x.unit_si,
                "note": x.name if x.analyte != "other" else None,
            }
        )
    return rows
