"""``python -m spasmcare.web backup [DIRECTORY]``: a consistent, signed backup of the whole
clinic while the app runs (see :mod:`spasmcare.web.operations.backup`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from spasmcare.errors import InputError
from spasmcare.web.operations.backup import backup
from spasmcare.web.operations.backup_manifest import short


@contextmanager
def guarded() -> Iterator[None]:
    """Every failure of a backup or restore as one line (exit 2 for a refused input, 1 for a
    failure of the machine), never a traceback."""
    try:
        yield
    except InputError as exc:
        raise CommandError(" ".join(str(exc).split()), returncode=2) from None
    except (OSError, sqlite3.Error) as exc:
        raise CommandError(f"failed: {short(exc)}", returncode=1) from None


def _files(n: int) -> str:
    return "1 file" if n == 1 else f"{n} files"


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no page is served: the URL checks are not needed
    help = "Back up the whole clinic (database snapshot, videos, protocols) into a directory"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "directory", nargs="?", help="a new directory [default: DATA_DIR/backups/<time>]"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(options["directory"] or settings.DATA_DIR / "backups" / stamp)
        with guarded():
            manifest = backup(target)
        self.stdout.write(
            f"Backed up {sum(manifest.rows.values())} rows of {len(manifest.rows)} tables and "
            f"{_files(len(manifest.files))} to {target}"
        )
