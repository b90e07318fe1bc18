"""Joins the clinic settings table (issue 12) to the merged history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0004_merge_i13"),
        ("clinic", "0002_i12_clinic_settings"),
    ]

    operations: list[migrations.operations.base.Operation] = []
