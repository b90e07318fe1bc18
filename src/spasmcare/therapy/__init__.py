"""Drug courses for infantile epileptic spasms (first line, and second line after a recorded
failure: :mod:`~spasmcare.therapy.offer`): protocols, schedules, monitoring.

Protocols are versioned, source-cited YAML files (bundled in ``protocols/``; a clinic keeps its
own copies and confirmations in a directory it names). :func:`plan_course` turns a protocol,
a weight (and a length for per-m² doses) and a start date into a day-by-day plan with decision
points, taper, wean, monitoring, safety warnings; :mod:`~spasmcare.therapy.export` prints it as
a table or an iCalendar file. Details the sources mark VERIFY or NOT FOUND are shown as "to be
confirmed by the clinic" until a clinic confirms them, and never reach a family's printout.
"""

from spasmcare.therapy.bsa import FORMULAS, bsa_m2
from spasmcare.therapy.confirm import confirm_detail
from spasmcare.therapy.dosing import DEFAULT_SYRINGES, Syringe, measurable_volume
from spasmcare.therapy.export import table_rows, to_ics, write_ics
from spasmcare.therapy.protocol import (
    TO_BE_CONFIRMED,
    Confirmation,
    Protocol,
    day7_decision_id,
    list_protocols,
    load_protocol,
)
from spasmcare.therapy.schedule import CoursePlan, DecisionPoint, Dose, PlanDay, plan_course

__all__ = [
    "DEFAULT_SYRINGES",
    "FORMULAS",
    "TO_BE_CONFIRMED",
    "Confirmation",
    "CoursePlan",
    "DecisionPoint",
    "Dose",
    "PlanDay",
    "Protocol",
    "Syringe",
    "bsa_m2",
    "confirm_detail",
    "day7_decision_id",
    "list_protocols",
    "load_protocol",
    "measurable_volume",
    "plan_course",
    "table_rows",
    "to_ics",
    "write_ics",
]
