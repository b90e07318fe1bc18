"""``python -m spasmcare.web backup [DIRECTORY]``: a consistent backup of the whole clinic
while the app runs (see :mod:`spasmcare.web.backup`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from spasmcare.errors import InputError
from spasmcare.web.backup import backup


class Command(BaseCommand):
    help = "Back up the whole clinic (database snapshot, videos, protocols) into a directory"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "directory", nargs="?", help="a new directory [default: DATA_DIR/backups/<time>]"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(options["directory"] or settings.DATA_DIR / "backups" / stamp)
        try:
            manifest = backup(target.resolve())
        except InputError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Backed up {rows} rows of {len(manifest['rows'])} tables and "
            f"{len(manifest['files'])} files to {target}"
        )
