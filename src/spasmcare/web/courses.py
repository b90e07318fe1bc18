"""Drug courses of a patient as the planner saved them: monitoring status and confirmations.

(Filled in by the course-planner work.)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spasmcare.web.models import Entry, Patient


def monitoring_overdue(patient: Patient, entries: list[Entry], on: date) -> list[Any]:
    return []


def confirmations_pending(patient: Patient, entries: list[Entry]) -> list[Any]:
    return []
