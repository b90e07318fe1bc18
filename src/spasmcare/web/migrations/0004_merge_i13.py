"""Joins the security and governance tables (issue 13) to the merged history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0003_merge_i10_i15"),
        ("clinic", "0002_i13_security"),
    ]

    operations: list[migrations.operations.base.Operation] = []
