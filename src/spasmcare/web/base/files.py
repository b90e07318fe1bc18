"""Private files: the data directory (database, uploads, backups, secret key) is readable by
the app's own user only, whatever already exists there. Imported by the settings, so it uses
nothing but the standard library."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def make_private(root: Path) -> int:
    """Make ``root`` and everything under it readable by the app's own user only (0700
    directories, 0600 files); symbolic links are not followed. Returns how many modes changed."""
    changed = 0

    def fix(path: Path, mode: int) -> None:
        nonlocal changed
        current = stat.S_IMODE(path.lstat().st_mode)
        if current != mode:
            os.chmod(path, mode)
            changed += 1

    if not root.exists() or root.is_symlink():
        return 0
    fix(root, 0o700)
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        for d in dirnames:
            if not (base / d).is_symlink():
                fix(base / d, 0o700)
        for f in filenames:
            p = base / f
            if not p.is_symlink():
                fix(p, 0o600)
    return changed
