"""The clinic's own settings: phone numbers for the family sheets and alert thresholds.

One :class:`~spasmcare.web.models.ClinicSettings` row, edited by an administrator on the
"Clinic settings" page and read by the patient list, the dashboards and
the family printouts. Nothing here decides a clinical number: the blood-pressure limits are
whatever the clinic enters, because the reference gives no infant threshold
(``drug-protocols.md`` §1.6, NOT FOUND; see :mod:`spasmcare.measures.alerts`). Until the
clinic sets them, :func:`missing` names what is missing and the pages say so.

A value set in the environment (``SPASMCARE_ALERTS``, see ``settings.py``) is the starting
point; a value saved on the page wins over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from spasmcare.measures.alerts import AlertSettings
from spasmcare.web.base.compiled import Compiled
from spasmcare.web.clinic.models import ClinicSettings, User

BP_FIELDS = ("bp_systolic_high_mmhg", "bp_diastolic_high_mmhg")


@dataclass(frozen=True)
class Clinic:
    """What the pages read of the clinic's settings."""

    clinic_name: str = ""
    phone: str = ""
    out_of_hours_phone: str = ""
    bp_systolic_high_mmhg: float | None = None
    bp_diastolic_high_mmhg: float | None = None
    version: int = 0

    @property
    def phones_set(self) -> bool:
        return bool(self.phone.strip() and self.out_of_hours_phone.strip())

    @property
    def alerts_set(self) -> bool:
        return all(getattr(self, name) is not None for name in BP_FIELDS)


def _from_row(row: ClinicSettings | None) -> Clinic:
    env: dict[str, Any] = dict(getattr(settings, "SPASMCARE_ALERTS", {}) or {})
    if row is None:
        return Clinic(
            bp_systolic_high_mmhg=env.get("bp_systolic_high_mmhg"),
            bp_diastolic_high_mmhg=env.get("bp_diastolic_high_mmhg"),
        )
    return Clinic(
        clinic_name=row.clinic_name,
        phone=row.phone,
        out_of_hours_phone=row.out_of_hours_phone,
        bp_systolic_high_mmhg=(
            row.bp_systolic_high_mmhg
            if row.bp_systolic_high_mmhg is not None
            else env.get("bp_systolic_high_mmhg")
        ),
        bp_diastolic_high_mmhg=(
            row.bp_diastolic_high_mmhg
            if row.bp_diastolic_high_mmhg is not None
            else env.get("bp_diastolic_high_mmhg")
        ),
        version=row.version,
    )


#: The settings' one row, by its key: read by most requests, so compiled once (issue 21).
_ROW: Compiled[ClinicSettings] = Compiled(lambda pk: ClinicSettings.objects.filter(pk=pk), (-1,))


def current() -> Clinic:
    """The clinic's settings, read from the database each time (one row by key): a
    per-process cache would keep another worker on old alert limits after a save."""
    return _from_row(_ROW.first(1))


def alert_settings(clinic: Clinic | None = None) -> AlertSettings:
    """The domain's alert settings with the clinic's thresholds (environment, then page);
    ``clinic``: settings already read (default: read them now)."""
    env: dict[str, Any] = dict(getattr(settings, "SPASMCARE_ALERTS", {}) or {})
    clinic = clinic or current()
    return AlertSettings(**(env | {name: getattr(clinic, name) for name in BP_FIELDS}))


def missing(clinic: Clinic | None = None) -> list[str]:
    """What the clinic still has to set, in words (empty when everything is set)."""
    clinic = clinic or current()
    out = []
    if not clinic.phone.strip():
        out.append("the clinic's phone number (printed on the family sheets)")
    if not clinic.out_of_hours_phone.strip():
        out.append("the out-of-hours phone number (printed on the family sheets)")
    if not clinic.alerts_set:
        out.append("the blood-pressure alert limits (until then blood pressure is not checked)")
    return out


def save(values: dict[str, Any], user: User | None) -> Clinic:
    """Store the page's values (one row) and raise the version."""
    with transaction.atomic():
        row, _ = ClinicSettings.objects.select_for_update().get_or_create(pk=1)
        for name in ("clinic_name", "phone", "out_of_hours_phone", *BP_FIELDS):
            if name in values:
                setattr(row, name, values[name])
        row.version += 1
        row.updated_at = timezone.now()
        row.updated_by = user
        row.save()
    return current()
