"""The fictional demo clinic: deterministic synthetic patient records for the demo and benchmarks.

**Everything here is invented.** The infants, families, diaries, doses, EEGs, growth, labs and
events are made up by a seeded random generator so that the web app's ``make demo`` and its
performance benchmark have realistic-looking data to show. They are not clinical evidence,
describe no real patient, and must never be used to judge a treatment or a threshold. Every name
ends in "(fictional)" and every record id starts with ``demo-``.

The output depends only on ``today`` and ``seed`` (stdlib :class:`random.Random`, one generator
per infant): the same arguments give the same records, and every date lies on or before
``today``, so each record passes :func:`spasmcare.record.record_from_dict` with that ``today``.

Stories of :func:`demo_clinic` (14 infants, ``demo-0001`` … ``demo-0014``)
--------------------------------------------------------------------------
1. Prednisolone responder (unknown etiology).
2. Prednisolone raised to 60 mg/day on day 8, then responder; steroid hypertension (preterm,
   structural).
3. TSC: vigabatrin first line, responder, weaned after 3 months; visual monitoring planned.
4. TSC: vigabatrin partial response, classic ketogenic diet added (formula feeds), diet
   responder. **The family login's child** (``family=True``).
5. Tetracosactide depot responder, relapse, then vigabatrin (ICISS titration) responder.
6. High-dose ACTH responder with a febrile episode (congenital CMV).
7. Prednisolone with vigabatrin (ICISS combination) responder (preterm).
8. CDKL5: prednisolone and vigabatrin non-responder, then MCT diet, partial diet responder.
9. Metabolic: ACTH non-responder, then classic diet responder; one high ketone reading.
10. Focal cortical dysplasia: prednisolone and vigabatrin non-responder, modified Atkins diet
    without response; the family stopped logging 3-5 days ago (stale diary).
11. ARX: prednisolone and vigabatrin non-responder, then low glycaemic index treatment, partial
    diet responder.
12. Course in progress: prednisolone started 3-6 days ago, the day-7 decision is upcoming; the
    latest blood pressure (when the schema has vitals) is raised. Newly diagnosed, so its diary
    is only 2-3 weeks long, the one exception to 3-12 months.
13. Prednisolone responder, relapse, second prednisolone course responder; stale diary.
14. STXBP1: vigabatrin and ACTH non-responder, classic diet partial responder, weight
    faltering on the diet.

:func:`long_record` builds one infant with a daily diary over ``days`` days (2 years by
default) for the dashboard benchmark: prednisolone and vigabatrin failure, classic ketogenic
diet partial responder, a worsening treated with ACTH, a ratio increase, weekly ketones,
monthly growth.

Doses follow version 1 of the bundled protocols in ``spasmcare/therapy/protocols/``, planned
with :func:`spasmcare.therapy.plan_course` or read from the loaded protocol
(:mod:`spasmcare.demo.doses`; a test checks them against the YAML files). Lab results written
in mg/dL use the record's own conversion (:mod:`spasmcare.record.units`). Flagged
protocol details (tapers, escalations) are shown as given, as if the fictional clinic had
confirmed them. Growth follows a chosen WHO z-score through :func:`spasmcare.growth.value_at_sds`
at the gestation-corrected age.

``DemoInfant.keto`` (ketogenic-diet infants only) holds the prescription inputs, named as the
keyword parameters of :mod:`spasmcare.keto.prescription` (and of ``build_prescription`` in
``spasmcare.cli.keto``, which takes the ratio as text)::

    diet         "classic" | "mct" | "mad" | "lgit"   (prescription function to call)
    age_months   float, chronological age at the latest growth measurement  } Patient(...)
    sex          "male" | "female"                                           }
    weight_kg    float, latest measured weight                              }
    length_cm    float, latest measured length                              }
    meals        int: 3 meals, or the number of feeds a day when feed is True
    feed         bool: True = formula feeds (infants under 12 months), False = meals
    ratio        float, classic only (classic(patient, ratio, ...))
    mct_percent  float, mct only;  carb_limit_g float, mad only;
    carb_g, gi_cutoff  float, lgit only

:func:`keto_prescription` turns the dict into a :class:`~spasmcare.keto.prescription.Prescription`.

Vitals (blood pressure, heart rate) are added only when the packaged record schema has a
``vitals`` section, so this module works with schemas with and without it.

The package sits above :mod:`spasmcare.therapy`, :mod:`spasmcare.record` and
:mod:`spasmcare.keto` (it may import them; no domain package imports it). Its modules:
``base`` (the infant under construction), ``doses`` (the protocol doses it gives),
``treatments``, ``diets``, ``eeg``, ``writer`` (the record), ``case``, ``stories`` (the fourteen
infants), ``clinic`` (:func:`demo_clinic`, :func:`long_record`) and ``prescription``
(:func:`keto_prescription`).
"""

from spasmcare.demo.base import DemoInfant
from spasmcare.demo.clinic import LONG_DAYS_RANGE, demo_clinic, long_record
from spasmcare.demo.doses import (
    ACTH_ALTERNATE,
    ACTH_HIGH_STEPS,
    PRED_ESCALATED,
    PRED_LAST_DAY,
    PRED_STEPS,
    TETRA_ESCALATED_MG,
    TETRA_LAST_DAY,
    TETRA_MG,
    TETRA_TAPER_DAYS,
    VGB_EVERY_DAYS,
    VGB_MONTHS,
    VGB_RAPID,
    VGB_RAPID_DAY4,
    VGB_START,
    VGB_STEP,
    VGB_STOP_EVERY_DAYS,
    VGB_STOP_STEP,
    VGB_TARGET,
    VGB_WEAN_MONTHS,
    VGB_WEAN_STEP,
)
from spasmcare.demo.prescription import keto_prescription
from spasmcare.demo.stories import STORIES
from spasmcare.demo.writer import vitals_supported

__all__ = [
    "ACTH_ALTERNATE",
    "ACTH_HIGH_STEPS",
    "LONG_DAYS_RANGE",
    "PRED_ESCALATED",
    "PRED_LAST_DAY",
    "PRED_STEPS",
    "STORIES",
    "TETRA_ESCALATED_MG",
    "TETRA_LAST_DAY",
    "TETRA_MG",
    "TETRA_TAPER_DAYS",
    "VGB_EVERY_DAYS",
    "VGB_MONTHS",
    "VGB_RAPID",
    "VGB_RAPID_DAY4",
    "VGB_START",
    "VGB_STEP",
    "VGB_STOP_EVERY_DAYS",
    "VGB_STOP_STEP",
    "VGB_TARGET",
    "VGB_WEAN_MONTHS",
    "VGB_WEAN_STEP",
    "DemoInfant",
    "demo_clinic",
    "keto_prescription",
    "long_record",
    "vitals_supported",
]
