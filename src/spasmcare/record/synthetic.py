"""Moved: the fictional demo clinic is :mod:`spasmcare.demo` (above ``therapy`` and ``record``).

This name re-exports it for one release so that scripts importing
``spasmcare.record.synthetic`` keep working; import :mod:`spasmcare.demo` instead. Nothing in
spasmcare imports this module. The re-export is read lazily, so ``spasmcare.record`` itself
never loads the demo package that sits above it.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    import spasmcare.demo

    try:
        return getattr(spasmcare.demo, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
