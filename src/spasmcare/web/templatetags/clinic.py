"""Small display filters: looking up a dict by key, an entry in one line."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def entry_text(data: Any) -> str:
    """A record item as ``key: value`` pairs, in the record's own words."""
    if not isinstance(data, dict):
        return str(data)
    parts = []
    for key, value in data.items():
        if isinstance(value, dict | list):
            value = "…" if key == "doses" else value
        parts.append(f"{key}: {value}")
    return "; ".join(parts)
