"""The doses the demo clinic gives, from the bundled protocols (tests check them against the
YAML files in ``spasmcare/therapy/protocols/``).

**Everything here is invented** (see :mod:`spasmcare.demo`): not clinical evidence.
"""

from __future__ import annotations

#: prednisolone-high-dose v1: (course day, mg/day) from which a daily dose applies. Days 1-14
#: "10 mg four times daily" = 40; taper days 15-19 "10 mg three times" = 30, days 20-24 twice = 20,
#: days 25-29 once = 10; stop after day 29.
PRED_STEPS: tuple[tuple[int, float], ...] = ((1, 40.0), (15, 30.0), (20, 20.0), (25, 10.0))
#: prednisolone-high-dose v1 detail day7-escalation: "20 mg three times daily" from day 8 = 60.
PRED_ESCALATED: tuple[int, float] = (8, 60.0)
PRED_LAST_DAY = 29
#: vigabatrin v1 (label titration): start 50 mg/kg/day, +50 every 3 days, target 150.
VGB_START, VGB_STEP, VGB_EVERY_DAYS, VGB_TARGET = 50.0, 50.0, 3, 150.0
#: vigabatrin-rapid v1 (ICISS): day 1 50, days 2-3 100, from day 4 100 or 150 (spasms after 72 h).
VGB_RAPID: tuple[tuple[int, float], ...] = ((1, 50.0), (2, 100.0))
VGB_RAPID_DAY4 = (100.0, 150.0)
#: vigabatrin protocols: treatment_months 3, wean_months 1, wean_step 25 mg/kg/day (defaults).
VGB_MONTHS, VGB_WEAN_MONTHS, VGB_WEAN_STEP = 3, 1, 25.0
#: Early stop of a failed vigabatrin course: the label's taper of 25-50 mg/kg/day every 3-4
#: days (Sabril label section 2.3, cited in the vigabatrin protocol); the larger step is used.
VGB_STOP_STEP, VGB_STOP_EVERY_DAYS = 50.0, 3
#: acth-high-dose v1: (course day, U/m2/day): 75 U/m2 twice daily days 1-14; taper 30 (15-17),
#: 15 (18-20), 10 (21-23) each morning; then 10 U/m2 every other morning on days 24, 26, 28.
ACTH_HIGH_STEPS: tuple[tuple[int, float], ...] = ((1, 150.0), (15, 30.0), (18, 15.0), (21, 10.0))
ACTH_ALTERNATE: tuple[int, float, int] = (24, 10.0, 28)  # from day, U/m2 per dose, last day
#: tetracosactide-depot v1: 0.5 mg IM on alternate days, days 1-13 (0.75 mg from day 9 when
#: escalated); then a reducing prednisolone course on days 15-28 (doses set by the clinic).
TETRA_MG, TETRA_ESCALATED_MG, TETRA_LAST_DAY = 0.5, 0.75, 13
TETRA_TAPER_DAYS = (15, 28)
