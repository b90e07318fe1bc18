"""The fourteen stories of the demo clinic (see :mod:`spasmcare.demo`).

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from spasmcare.demo.base import DemoInfant, _day
from spasmcare.demo.case import Story, _case, _fictional
from spasmcare.demo.doses import ACTH_ALTERNATE, PRED_LAST_DAY
from spasmcare.demo.prescription import keto_prescription
from spasmcare.growth import DAYS_PER_MONTH


def _ada(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        1,
        "Ada Example",
        "female",
        {
            "category": "unknown",
            "detail": _fictional("MRI brain, metabolic screen and epilepsy gene panel normal."),
        },
        onset_months=(4.5, 7.0),
        span_days=(120, 170),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    c.knot(c.start, 1.0)
    c.knot(t0 + timedelta(days=1), 0.85)
    c.knot(_day(t0, rng.randint(4, 6)), 0.0)
    c.prednisolone("pred1", t0, escalate=False)
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    c.event(
        _day(t0, rng.randint(3, 9)),
        "irritability",
        1,
        "pred1",
        "Unsettled and hungry on prednisolone; settled during the taper.",
    )
    return c.finish("prednisolone responder", vitals=vitals)


def _ben(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        2,
        "Ben Sample",
        "male",
        {
            "category": "structural",
            "detail": _fictional("Born at 34+2 weeks; periventricular leukomalacia on MRI."),
        },
        onset_months=(6.0, 8.0),
        span_days=(110, 180),
        gestation=(34, 2),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.9)
    c.knot(_day(t0, 7), 0.7)
    c.knot(_day(t0, 9), 0.55)
    c.knot(_day(t0, rng.randint(11, 12)), 0.0)
    c.prednisolone("pred1", t0, escalate=True, high_bp=(9, 21))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    c.event(
        _day(t0, 11),
        "hypertension",
        2,
        "pred1",
        "Blood pressure raised on two readings on 60 mg/day; checked twice weekly, no "
        "medicine started; settled during the taper.",
    )
    return c.finish(
        "prednisolone raised to 60 mg/day on day 8, then responder; steroid hypertension",
        vitals=vitals,
    )


def _cleo(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        3,
        "Cleo Demo",
        "female",
        {
            "category": "tsc",
            "gene": "TSC2",
            "detail": _fictional(
                "Cortical tubers and subependymal nodules on MRI; cardiac "
                "rhabdomyoma on echocardiogram."
            ),
        },
        onset_months=(3.5, 5.5),
        span_days=(150, 240),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 4), 0.85)
    c.knot(_day(t0, rng.randint(9, 12)), 0.0)
    c.vigabatrin(
        "vgb1",
        t0,
        note="First-line vigabatrin for tuberous sclerosis. Visual "
        "monitoring planned with ophthalmology (formal visual fields are not possible "
        "in an infant).",
    )
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    c.event(
        _day(t0, rng.randint(4, 8)),
        "drowsiness",
        1,
        "vgb1",
        "Sleepier for a few days while the dose went up.",
    )
    return c.finish("TSC: vigabatrin first line, responder", vitals=vitals)


def _dev(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        4,
        "Dev Placeholder",
        "male",
        {
            "category": "tsc",
            "gene": "TSC1",
            "detail": _fictional("Cortical tubers on MRI; hypomelanotic macules."),
        },
        onset_months=(4.0, 5.0),
        span_days=(150, 185),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    kd = t0 + timedelta(days=rng.randint(38, 45))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 10), 0.6)
    c.knot(kd - timedelta(days=1), 0.55)
    c.knot(kd + timedelta(days=rng.randint(18, 25)), 0.15)
    c.knot(kd + timedelta(days=rng.randint(40, 55)), 0.0)
    c.vigabatrin(
        "vgb1",
        t0,
        wean=False,
        note="First-line vigabatrin for tuberous sclerosis, continued with the diet. "
        "Visual monitoring planned with ophthalmology.",
    )
    c.diet(
        "kd1",
        "classic-kd",
        kd,
        ratio=3.0,
        achieved=(2.9, 0.08),
        ramp=(1.0, 2.0, 3.0),
        note="Started in hospital without fasting, ratio raised daily; KetoCal-based feeds.",
    )
    c.diet_labs(kd, hypo_day=2)
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(kd - timedelta(days=2))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    c.event(
        kd + timedelta(days=rng.randint(8, 14)),
        "constipation",
        1,
        None,
        "Eased with extra water in the feeds.",
    )
    return c.finish(
        "vigabatrin (TSC) partial response, then classic KD feeds: KD responder; family login",
        keto={"diet": "classic", "ratio": 3.0},
        family=True,
        vitals=vitals,
    )


def _eve(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        5,
        "Eve Example",
        "female",
        {"category": "unknown", "detail": _fictional("MRI normal; gene panel negative.")},
        onset_months=(5.0, 8.0),
        span_days=(170, 280),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    relapse = t0 + timedelta(days=rng.randint(60, 80))
    v = relapse + timedelta(days=rng.randint(8, 10))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.8)
    c.knot(_day(t0, rng.randint(5, 6)), 0.0)
    c.knot(relapse - timedelta(days=1), 0.0)
    c.knot(relapse + timedelta(days=3), 0.5)
    c.knot(relapse + timedelta(days=8), 0.6)
    c.knot(v, 0.55)
    c.knot(v + timedelta(days=rng.randint(6, 9)), 0.0)
    c.tetracosactide("tcd1", t0, escalate=False)
    c.vigabatrin(
        "vgb1", v, rapid=True, note="Second line after relapse. Visual monitoring planned."
    )
    c.protect(relapse - timedelta(days=2), relapse + timedelta(days=10))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(relapse + timedelta(days=5))
    c.eeg(_day(v, 14))
    c.eeg(v + timedelta(days=rng.randint(85, 95)))
    c.event(_day(t0, rng.randint(4, 10)), "irritability", 1, "tcd1", None)
    return c.finish("tetracosactide responder, relapse, then vigabatrin responder", vitals=vitals)


def _finn(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        6,
        "Finn Sample",
        "male",
        {
            "category": "infectious",
            "detail": _fictional(
                "Congenital cytomegalovirus; periventricular calcification "
                "on cranial ultrasound and MRI."
            ),
        },
        onset_months=(4.0, 7.0),
        span_days=(100, 170),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.8)
    c.knot(_day(t0, rng.randint(8, 10)), 0.0)
    c.acth("acth1", t0, high_bp=(6, 13))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    c.event(
        _day(t0, rng.randint(9, 12)),
        "fever",
        2,
        "acth1",
        "Fever on ACTH; admitted for 48 hours; blood culture negative.",
    )
    c.event(_day(t0, 7), "hypertension", 1, "acth1", "Mildly raised; rechecked twice weekly.")
    return c.finish("high-dose ACTH responder with a febrile episode", vitals=vitals)


def _gia(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        7,
        "Gia Demo",
        "female",
        {
            "category": "unknown",
            "detail": _fictional("Born at 32+3 weeks; MRI and gene panel normal."),
        },
        onset_months=(5.0, 8.0),
        span_days=(150, 260),
        gestation=(32, 3),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.6)
    c.knot(_day(t0, rng.randint(4, 6)), 0.0)
    c.prednisolone("pred1", t0, escalate=False, protocol="prednisolone-vigabatrin")
    c.vigabatrin(
        "vgb1",
        t0,
        rapid=True,
        protocol="prednisolone-vigabatrin",
        note="Given with prednisolone (ICISS combination). Visual monitoring planned.",
    )
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(t0, rng.randint(85, 95)))
    return c.finish("prednisolone with vigabatrin (ICISS combination) responder", vitals=vitals)


def _hana(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        8,
        "Hana Placeholder",
        "female",
        {
            "category": "genetic",
            "gene": "CDKL5",
            "detail": _fictional("De novo CDKL5 variant on the epilepsy gene panel."),
        },
        onset_months=(3.2, 4.5),
        span_days=(200, 300),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    v = _day(t0, PRED_LAST_DAY + 2 + rng.randint(0, 2))
    kd = v + timedelta(days=rng.randint(35, 42))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 7), 0.85)
    c.knot(_day(t0, 14), 0.75)
    c.knot(_day(v, 10), 0.7)
    c.knot(kd, 0.75)
    c.knot(kd + timedelta(days=30), 0.3)
    c.knot(kd + timedelta(days=60), 0.2)
    c.prednisolone("pred1", t0, escalate=True)
    c.vigabatrin(
        "vgb1",
        v,
        stop_on=v + timedelta(days=rng.randint(24, 28)),
        note="Second line. Visual monitoring planned.",
    )
    mct_percent = 40.0
    rx = keto_prescription(
        {
            "diet": "mct",
            "mct_percent": mct_percent,
            "age_months": (kd - c.birth).days / DAYS_PER_MONTH,
            "sex": c.sex,
            "weight_kg": c.weight_kg(kd),
            "length_cm": c.length_cm(kd),
        }
    )
    ratio = round(rx.ratio or 1.5, 2)
    c.diet(
        "kd1",
        "mct",
        kd,
        ratio=ratio,
        achieved=(ratio - 0.1, 0.1),
        note="MCT (Liquigen) introduced over a week.",
    )
    c.diet_labs(kd, low_day=rng.randint(40, 60))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(v, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    c.event(
        kd + timedelta(days=rng.randint(2, 6)), "vomiting", 1, None, "While MCT was introduced."
    )
    return c.finish(
        "prednisolone and vigabatrin non-responder, then MCT diet: partial KD responder",
        keto={"diet": "mct", "mct_percent": mct_percent},
        vitals=vitals,
    )


def _ivo(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        9,
        "Ivo Example",
        "male",
        {
            "category": "metabolic",
            "detail": _fictional(
                "Born at 35+5 weeks. Raised lactate; pyruvate dehydrogenase "
                "deficiency under investigation by the metabolic team."
            ),
        },
        onset_months=(4.0, 6.5),
        span_days=(170, 260),
        gestation=(35, 5),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    kd = t0 + timedelta(days=rng.randint(30, 36))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 14), 0.8)
    c.knot(kd, 0.75)
    c.knot(kd + timedelta(days=rng.randint(20, 30)), 0.1)
    c.knot(kd + timedelta(days=rng.randint(45, 60)), 0.0)
    c.acth("acth1", t0)
    c.diet("kd1", "classic-kd", kd, ratio=3.0, achieved=(2.85, 0.1), ramp=(1.0, 2.0, 3.0))
    c.diet_labs(kd, high_day=rng.randint(12, 20), ucacr_high=True)
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    return c.finish(
        "ACTH non-responder, then classic KD responder; one high ketone reading",
        keto={"diet": "classic", "ratio": 3.0},
        vitals=vitals,
    )


def _jade(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        10,
        "Jade Sample",
        "female",
        {
            "category": "structural",
            "detail": _fictional(
                "Left frontal focal cortical dysplasia on MRI; referred for "
                "epilepsy surgery assessment."
            ),
        },
        onset_months=(10.5, 11.5),
        span_days=(200, 280),
        lag_days=(3, 5),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    v = _day(t0, PRED_LAST_DAY + 2 + rng.randint(0, 2))
    kd = v + timedelta(days=rng.randint(35, 42))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 7), 0.9)
    c.knot(_day(t0, 20), 0.8)
    c.knot(_day(v, 14), 0.75)
    c.knot(kd, 0.75)
    c.knot(kd + timedelta(days=30), 0.8)
    c.knot(kd + timedelta(days=90), 0.85)
    c.prednisolone("pred1", t0, escalate=True)
    c.vigabatrin(
        "vgb1",
        v,
        stop_on=v + timedelta(days=rng.randint(24, 28)),
        note="Second line. Visual monitoring planned.",
    )
    c.diet(
        "mad1",
        "mad",
        kd,
        ratio=None,
        achieved=(1.2, 0.15),
        note="Modified Atkins: 10 g carbohydrate a day; ratio estimated from food records.",
    )
    c.diet_labs(kd, above_days=(rng.randint(20, 40),))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    c.event(kd + timedelta(days=rng.randint(10, 20)), "constipation", 1, None, None)
    return c.finish(
        "prednisolone and vigabatrin non-responder, modified Atkins without response; stale diary",
        keto={"diet": "mad", "carb_limit_g": 10.0},
        vitals=vitals,
    )


def _kai(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        11,
        "Kai Demo",
        "male",
        {"category": "genetic", "gene": "ARX", "detail": _fictional("Hemizygous ARX variant.")},
        onset_months=(9.5, 11.0),
        span_days=(210, 300),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    v = _day(t0, PRED_LAST_DAY + 2 + rng.randint(0, 2))
    kd = v + timedelta(days=rng.randint(35, 42))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 7), 0.85)
    c.knot(_day(t0, 20), 0.75)
    c.knot(_day(v, 10), 0.7)
    c.knot(kd, 0.7)
    c.knot(kd + timedelta(days=30), 0.25)
    c.knot(kd + timedelta(days=60), 0.2)
    c.prednisolone("pred1", t0, escalate=True)
    c.vigabatrin(
        "vgb1",
        v,
        rapid=True,
        stop_on=v + timedelta(days=rng.randint(24, 28)),
        note="Second line. Visual monitoring planned.",
    )
    c.diet(
        "lgit1",
        "lgit",
        kd,
        ratio=None,
        achieved=(1.0, 0.12),
        note="Low glycaemic index treatment: 40 g carbohydrate a day from foods of GI < 50.",
    )
    c.diet_labs(kd)
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(v, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    return c.finish(
        "prednisolone and vigabatrin non-responder, then LGIT: partial KD responder",
        keto={"diet": "lgit", "carb_g": 40.0, "gi_cutoff": 50.0},
        vitals=vitals,
    )


def _lia(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    started = rng.randint(3, 6)
    t0 = today - timedelta(days=started)
    c = _case(
        rng,
        today,
        12,
        "Lia Placeholder",
        "female",
        {
            "category": "unknown",
            "detail": _fictional("Newly diagnosed; MRI booked, gene panel sent."),
        },
        onset_months=(4.0, 8.0),
        span_days=(started + 9, started + 12),
        lag_days=(1, 1),
    )
    c.gaps = 0
    c.knot(c.start, 1.0)
    c.knot(today, 0.8)
    c.prednisolone("pred1", t0, escalate=False, high_bp=(2, 14))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    return c.finish(
        f"course in progress: prednisolone started {started} days ago, day-7 decision "
        "upcoming; latest blood pressure raised",
        vitals=vitals,
    )


def _max(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        13,
        "Max Example",
        "male",
        {"category": "unknown", "detail": _fictional("MRI normal.")},
        onset_months=(5.0, 9.0),
        span_days=(140, 220),
        lag_days=(3, 5),
    )
    t0 = c.start + timedelta(days=rng.randint(8, 11))
    relapse = t0 + timedelta(days=rng.randint(55, 70))
    t1 = relapse + timedelta(days=rng.randint(8, 10))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 3), 0.7)
    c.knot(_day(t0, rng.randint(4, 6)), 0.0)
    c.knot(relapse - timedelta(days=1), 0.0)
    c.knot(relapse + timedelta(days=2), 0.5)
    c.knot(relapse + timedelta(days=7), 0.55)
    c.knot(t1 + timedelta(days=1), 0.5)
    c.knot(_day(t1, 5), 0.0)
    c.prednisolone("pred1", t0, escalate=False)
    c.prednisolone("pred2", t1, escalate=False, note="Second course for a relapse.")
    c.protect(relapse - timedelta(days=2), relapse + timedelta(days=10))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(relapse + timedelta(days=4))
    c.eeg(_day(t1, 14))
    return c.finish(
        "prednisolone responder, relapse, second prednisolone course responder; stale diary",
        vitals=vitals,
    )


def _nia(rng: random.Random, today: date, vitals: frozenset[str] | None) -> DemoInfant:
    c = _case(
        rng,
        today,
        14,
        "Nia Sample",
        "female",
        {"category": "genetic", "gene": "STXBP1", "detail": _fictional("De novo STXBP1 variant.")},
        onset_months=(3.5, 5.0),
        span_days=(220, 330),
    )
    c.wz0 = rng.uniform(0.0, 0.3)
    t0 = c.start + timedelta(days=rng.randint(8, 10))
    a = t0 + timedelta(days=rng.randint(33, 37))
    kd = _day(a, ACTH_ALTERNATE[2] + rng.randint(3, 7))
    c.knot(c.start, 1.0)
    c.knot(_day(t0, 14), 0.85)
    c.knot(_day(a, 14), 0.7)
    c.knot(kd, 0.7)
    c.knot(kd + timedelta(days=30), 0.3)
    c.knot(kd + timedelta(days=60), 0.15)
    c.faltering_from = kd + timedelta(days=10)
    c.vigabatrin(
        "vgb1",
        t0,
        stop_on=t0 + timedelta(days=rng.randint(24, 28)),
        note="First line. Visual monitoring planned.",
    )
    c.acth("acth1", a)
    c.diet("kd1", "classic-kd", kd, ratio=3.0, achieved=(2.8, 0.12), ramp=(1.0, 2.0, 3.0))
    c.diet_labs(kd, above_days=(rng.randint(15, 30), rng.randint(50, 70)))
    c.eeg(t0 - timedelta(days=rng.randint(1, 3)))
    c.eeg(_day(t0, 14))
    c.eeg(_day(a, 14))
    c.eeg(kd + timedelta(days=rng.randint(85, 95)))
    c.event(
        kd + timedelta(days=rng.randint(60, 80)),
        "poor weight gain",
        2,
        None,
        "Weight crossing down the centiles on the diet; energy reviewed with the dietitian.",
    )
    return c.finish(
        "vigabatrin and ACTH non-responder, then classic KD: partial KD responder; "
        "faltering weight",
        keto={"diet": "classic", "ratio": 3.0},
        vitals=vitals,
    )


STORIES: tuple[Story, ...] = (
    _ada,
    _ben,
    _cleo,
    _dev,
    _eve,
    _finn,
    _gia,
    _hana,
    _ivo,
    _jade,
    _kai,
    _lia,
    _max,
    _nia,
)
