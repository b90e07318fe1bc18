"""``python -m spasmcare.web refresh_summaries [--date YYYY-MM-DD]``: bring every live patient's
stored summary up to date for a day, ahead of the clinic's first reader.

Alerts and follow-up depend on the date, so at a new day every stored summary is stale and the
first reader of the patient list or the cohort page would compute them (about 9 ms a patient,
90 s for 10,000). Run this shortly after midnight (cron, a systemd timer) or after changing the
clinic's settings; patients whose summary is already current are skipped, so it is cheap to run
again.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spasmcare.plain import day_text
from spasmcare.web.clinic import records
from spasmcare.web.clinic.models import Patient
from spasmcare.web.patients import summaries


class Command(BaseCommand):
    help = "Compute every live patient's stale summary for a day (default: today), in batches"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="the day, YYYY-MM-DD [default: today]")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options.get("date")
        try:
            on = date.fromisoformat(text) if text else records.today()
        except ValueError:
            raise CommandError(f"--date: {text!r} is not accepted; a date YYYY-MM-DD") from None
        pks = list(
            Patient.objects.filter(retracted_at__isnull=True).order_by("pk").values_list(
                "pk", flat=True
            )
        )
        start = time.perf_counter()
        for i in range(0, len(pks), summaries.BATCH):
            batch = list(Patient.objects.filter(pk__in=pks[i : i + summaries.BATCH]))
            summaries.stored(batch, on)
            self.stdout.write(f"{min(i + summaries.BATCH, len(pks))} of {len(pks)} patients")
        self.stdout.write(
            f"Summaries of {len(pks)} patients current for {day_text(on)} "
            f"({time.perf_counter() - start:.1f} s)"
        )
