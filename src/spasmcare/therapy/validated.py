"""Protocol files validated once per version, not on every run.

A protocol file never changes once written (a change is a new version), so once a file's
content has passed :func:`spasmcare.therapy.protocol.validate_protocol`, the same content under
the same validator passes again. This module remembers, in a small file in the user's cache
directory, the SHA-256 of each (validator, file content) pair that passed: a command that reads
the protocols (``spasmcare report``) then checks each file's hash instead of running the JSON
Schema again (about 95 % of the time it took to read the eight bundled files).

The validator's fingerprint is the hash of the protocol schema and of the validating code
(``protocol.py``), so any change to either validates every file again. The cache is only ever
an optimisation: if it cannot be read or written (no home directory, read-only), every file is
validated as before. ``SPASMCARE_CACHE_DIR`` chooses the directory (default
``$XDG_CACHE_HOME/spasmcare`` or ``~/.cache/spasmcare``); ``SPASMCARE_CACHE_DIR=off`` turns the
cache off.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

FILE = "protocols-validated.txt"
#: Most lines the file keeps (software setting): older ones are dropped on the next write.
MAX_LINES = 2000


def cache_dir() -> Path | None:
    chosen = os.environ.get("SPASMCARE_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "spasmcare"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of what decides whether a file is valid: the schema and the validating code."""
    digest = hashlib.sha256()
    package = resources.files("spasmcare.therapy")
    digest.update((package / "protocol.schema.json").read_bytes())
    digest.update((package / "protocol.py").read_bytes())
    return digest.hexdigest()


def _key(content_sha256: str) -> str:
    return hashlib.sha256(f"{fingerprint()}:{content_sha256}".encode()).hexdigest()


def _path() -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / FILE


def _known() -> frozenset[str]:
    path = _path()
    try:
        return frozenset(path.read_text("ascii").split()) if path is not None else frozenset()
    except (OSError, UnicodeDecodeError):
        return frozenset()


def is_known_valid(content_sha256: str) -> bool:
    """Whether this content passed the current validator before."""
    return _key(content_sha256) in _known()


def remember_valid(content_sha256: str) -> None:
    """Record that this content passed the current validator (best effort)."""
    key = _key(content_sha256)
    if key in _known():
        return
    path = _path()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lines = [*sorted(_known()), key][-MAX_LINES:]
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text("\n".join(lines) + "\n", "ascii")
        os.replace(temporary, path)
    except OSError:
        return
