"""``python -m spasmcare.web restore DIRECTORY [--replace]``: put a backup made by ``backup``
into the configured database and data directory (stop the app first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spasmcare.errors import InputError
from spasmcare.web.backup import restore


class Command(BaseCommand):
    help = "Restore the whole clinic from a backup directory (stop the app first)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", help="a directory made by the backup command")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite a database that holds a clinic"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(Path(options["directory"]), replace=options["replace"])
        except InputError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored the clinic backed up at {manifest['made_at']} "
            f"({sum(manifest['rows'].values())} rows, {len(manifest['files'])} files)."
        )
