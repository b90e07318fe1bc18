"""Joins the stored patient summaries (issue 10) and the bulk exports (issue 15)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0002_i10_patient_summary"),
        ("clinic", "0002_i15_bulkexport"),
    ]

    operations: list[migrations.operations.base.Operation] = []
