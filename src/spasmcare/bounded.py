"""Bounded file reads: no input file, however large or endless (``/dev/zero``, a pipe), can
exhaust memory.

:func:`read_bytes` reads at most ``limit + 1`` bytes, so a file over the limit is refused after
reading just past it, and a 200 MB record costs no more memory than a 20 MB one. Every file the
CLI reads goes through it (:func:`spasmcare.cli._common.read_text`); the refusal is an
:class:`~spasmcare.errors.InputError` naming the option or argument, the file and the limit, so
the CLI prints it as one line and exits 2.

The limit is a software setting (no clinical meaning): 20 MB, the size of the largest record
document the record reader accepts (:data:`spasmcare.record.io.MAX_DOCUMENT_CHARS`) and of the
largest FHIR Bundle the web import page accepts. A caller that reads another kind of file passes
its own ``limit``.
"""

from __future__ import annotations

from pathlib import Path

from spasmcare.errors import InputError

#: Largest file any CLI command reads [bytes] (software setting; see the module docstring).
MAX_INPUT_BYTES = 20_000_000


def size_words(limit: int) -> str:
    """``limit`` bytes in words: "20 MB (20,000,000 bytes)"."""
    if limit >= 1_000_000:
        return f"{limit / 1_000_000:g} MB ({limit:,} bytes)"
    return f"{limit:,} bytes"


def read_bytes(path: Path, field: str, limit: int | None = None) -> bytes:
    """The bytes of ``path``, reading at most ``limit + 1`` of them (default
    :data:`MAX_INPUT_BYTES`); an InputError naming ``field`` and the file when it cannot be read
    or holds more than ``limit`` bytes."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(field, str(path), f"a readable file ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputError(
            field,
            str(path),
            f"a file of at most {size_words(limit)}, a software limit on every file read",
        )
    return data


def read_text(path: Path, field: str, limit: int | None = None, what: str = "UTF-8 text") -> str:
    """:func:`read_bytes` decoded as UTF-8; an InputError naming ``field`` if it is not."""
    data = read_bytes(path, field, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(field, str(path), f"{what} ({exc.reason} at byte {exc.start})") from None
