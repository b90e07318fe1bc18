"""Calendar-month arithmetic shared by the domain packages (course checks, diet monitoring,
response time points): the same day of the month some months later, clipped to the month's
last day, so 31 Jan + 1 month = 28 Feb (29 Feb in a leap year) and 31 Jan + 2 months = 31 Mar.

Pure and dependency-free, so any package may import it without depending on another.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day of the month ``months`` calendar months later (``months`` may be negative),
    clipped to the last day of that month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
