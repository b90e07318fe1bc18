"""One self-contained HTML page for a family's printed sheet (weaning plan, feeding mode).

No script, font or CDN: the page opens offline and prints on A4. The caller escapes the body's
text; the title is escaped here.
"""

from __future__ import annotations

from html import escape

#: The sheets' one stylesheet, inline.
CSS = (
    "body{font-family:system-ui,Arial,sans-serif;margin:24px auto;max-width:900px;"
    "color:#1c2833;font-size:15px}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #d5d8dc;padding:6px;text-align:left;vertical-align:top}"
    "th{background:#f4f6f7}.src{color:#7f8c8d;font-size:12px}"
)


def family_page(title: str, body_html: str) -> str:
    """``body_html`` (already escaped) in a page titled ``title``, with :data:`CSS` inline."""
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"{body_html}</body></html>\n"
    )
