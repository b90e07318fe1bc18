"""``python -m spasmcare.web restore DIRECTORY [--replace] [--other-key]``: put a backup made by
``backup`` into the configured database and data directory (stop the app first). Every refusal
is one line on stderr, exit 2, with nothing written (see :mod:`spasmcare.web.operations.backup`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from spasmcare.plain import day_text
from spasmcare.web.management.commands.backup import _files, guarded
from spasmcare.web.operations.backup import restore


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no page is served: the URL checks are not needed
    help = "Restore the whole clinic from a backup directory (stop the app first)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", help="a directory made by the backup command")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite a database that holds a clinic"
        )
        parser.add_argument(
            "--other-key",
            action="store_true",
            help="accept a backup signed with another secret key (after checking where it "
            "came from); its checksums are still checked",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with guarded():
            manifest = restore(
                Path(options["directory"]),
                replace=options["replace"],
                other_key=options["other_key"],
            )
        self.stdout.write(
            f"Restored the clinic backed up on {day_text(manifest.made_at)} UTC "
            f"({sum(manifest.rows.values())} rows, {_files(len(manifest.files))})."
        )
