"""The one exception type for bad input, shared by every domain package.

Adapters (CLI, web) turn it into a one-line message: the CLI prints it and exits with code 2;
a web form shows it beside the field.
"""

from __future__ import annotations

from typing import Any


class InputError(ValueError):
    """Input that a clinical calculation cannot accept.

    Parameters
    ----------
    field : str
        The name of the input, as the user knows it (``weight_kg``, ``--ratio``).
    value : Any
        The value that was given.
    accepted : str
        What would be accepted, in words (``"a number from 0.5 to 6"``).
    """

    def __init__(self, field: str, value: Any, accepted: str) -> None:
        self.field = field
        self.value = value
        self.accepted = accepted
        super().__init__(f"{field}: {value!r} is not accepted; {accepted}")
