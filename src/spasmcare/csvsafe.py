"""The one CSV writer of the project: cells a spreadsheet could run as a formula are neutralised.

A spreadsheet opening a CSV treats a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula, and some also after a leading tab or carriage return [1]; a cell such as ``-1-1`` or
``=HYPERLINK(...)`` then computes or calls out instead of showing the text. Every CSV that
spasmcare writes (the cohort CSV, the REDCap dictionary and import files) goes through
:func:`csv_text` / :class:`SafeWriter`, which prefix such a cell with a single quote, as the
OWASP guidance advises [1], unless the cell is a plain decimal number (``-25.0``, ``-1e-05``),
which stays as it is so numbers stay numbers. Quoting and embedded quotes are the ``csv``
module's job (RFC 4180 [2]).

References
----------
1. OWASP Foundation. CSV Injection (owasp.org/www-community/attacks/CSV_Injection): cells
   beginning with ``=``, ``+``, ``-``, ``@``, tab (0x09) or carriage return (0x0D) are
   interpreted as formulas; prepend a single quote and escape embedded double quotes.
2. Shafranovich Y. RFC 4180: Common Format and MIME Type for Comma-Separated Values (CSV)
   Files (2005).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any, TextIO

#: First characters that make a spreadsheet read a cell as a formula [1].
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: A plain decimal number as Python writes one (``repr`` of a float, ``str`` of an int).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_number(text: str) -> bool:
    """True for a plain decimal number such as ``-25.0``, ``3`` or ``-1e-05``."""
    return _NUMBER.fullmatch(text) is not None


def safe_cell(text: str) -> str:
    """``text``, with a single quote in front when a spreadsheet would run it as a formula."""
    if text.startswith(FORMULA_STARTS) and not is_number(text):
        return "'" + text
    return text


class SafeWriter:
    """A ``csv.writer`` (lines ending ``\\n``) whose every cell passes :func:`safe_cell`.

    A row with a carriage return in a cell is written with every cell quoted: Python 3.11's
    minimal quoting quotes only the characters of the line terminator, and an unquoted CR
    would end the line in a reader."""

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, cells: Iterable[Any]) -> None:
        safe = [safe_cell("" if c is None else str(c)) for c in cells]
        (self._quoted if any("\r" in c for c in safe) else self._writer).writerow(safe)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The rows (header first) as CSV text through :class:`SafeWriter`."""
    buffer = io.StringIO()
    SafeWriter(buffer).writerows(rows)
    return buffer.getvalue()
